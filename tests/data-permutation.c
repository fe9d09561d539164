/* data-permutation.c: prints RandomState(SEED).permutation(N), one index a
 * line, for check-numpy-permutation.py
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "pw-numpy-random.h"

int
main (int   argc,
      char *argv[])
{
  guint32 *perm;
  gsize n;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s SEED N\n", argv[0]);
      return 2;
    }
  n = (gsize) g_ascii_strtoull (argv[2], NULL, 10);
  perm = pw_numpy_permutation ((guint32) g_ascii_strtoull (argv[1], NULL, 10), n);
  for (gsize i = 0; i < n; i++)
    printf ("%u\n", perm[i]);
  g_free (perm);
  return 0;
}
