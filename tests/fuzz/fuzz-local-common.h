/* fuzz-local-common.h: shared by the personalize-local fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "pw-local-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A data directory for the stores the targets read; made once per process. */
static inline const char *
fuzz_local_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("pw-local-fuzz-XXXXXX", NULL);
      g_assert (dir != NULL);
    }
  return dir;
}

static inline void
fuzz_local_check_error (const GError *error)
{
  g_assert (error != NULL);
  g_assert (error->domain == PW_LOCAL_ERROR);
  g_assert (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
}
