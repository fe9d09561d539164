/* fuzz-replay.c: runs a fuzz target over files and folders of inputs
 * without libFuzzer (the seed corpus in `meson test`, or a crash file)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "fuzz-common.h"

static guint n_inputs;

static void
run_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;
      GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

      g_assert (dir != NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      g_dir_close (dir);
      for (guint k = 0; k < names->len; k++)
        run_path (g_ptr_array_index (names, k));
      g_ptr_array_unref (names);
    }
  else
    {
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        g_error ("cannot read %s", path);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
      g_free (contents);
      n_inputs++;
    }
}

int
main (int   argc,
      char *argv[])
{
  for (int k = 1; k < argc; k++)
    run_path (argv[k]);
  if (n_inputs == 0)
    {
      fprintf (stderr, "no inputs\n");
      return 1;
    }
  printf ("%u inputs replayed\n", n_inputs);
  return 0;
}
