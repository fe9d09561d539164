/* fuzz-local-common.h: shared by the personalize-local fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "pw-local-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *fuzz_local_dir_path;

static inline void
fuzz_local_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fuzz_local_remove_tree (child);
      else
        g_unlink (child);
      g_free (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static inline void
fuzz_local_cleanup (void)
{
  if (fuzz_local_dir_path != NULL)
    fuzz_local_remove_tree (fuzz_local_dir_path);
}

/* A data directory for the stores the targets read; made once per process
 * and removed at exit. */
static inline const char *
fuzz_local_dir (void)
{
  if (fuzz_local_dir_path == NULL)
    {
      fuzz_local_dir_path = g_dir_make_tmp ("pw-local-fuzz-XXXXXX", NULL);
      g_assert (fuzz_local_dir_path != NULL);
      atexit (fuzz_local_cleanup);
    }
  return fuzz_local_dir_path;
}

static inline void
fuzz_local_check_error (const GError *error)
{
  g_assert (error != NULL);
  g_assert (error->domain == PW_LOCAL_ERROR);
  g_assert (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
}
