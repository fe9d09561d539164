/* pw-prepare.h: the whole of notebook 1.1 (wizard step 2 of 9): get the data, read it, split it,
 * write the files, compute the statistics (sync and async)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib-object.h>

#include "pw-data-stats.h"
#include "pw-interactions.h"
#include "pw-items.h"
#include "pw-split.h"
#include "pw-synthetic.h"

G_BEGIN_DECLS

typedef enum
{
  PW_SOURCE_SYNTHETIC,
  PW_SOURCE_ML_1M,
  PW_SOURCE_ML_100K,
  PW_SOURCE_ML_LATEST_SMALL,
  PW_SOURCE_CSV,
} PwSource;

/* "synthetic", "ml-1m", "ml-100k", "ml-latest-small", "csv" */
const char *pw_source_to_string   (PwSource    source);
gboolean    pw_source_from_string (const char *name,
                                   PwSource   *source);

/**
 * PwPrepareOptions:
 * @source: where the data comes from
 * @input: ml-*: a folder with the dataset (NULL: download into the cache);
 *   csv: the interactions CSV (required)
 * @items: csv: an items CSV (optional)
 * @output_dir: where the six files go (NULL: write nothing)
 * @split: the split's options
 * @flags: %PW_READ_SKIP_BAD_ROWS to skip bad rows
 * @synthetic: the synthetic generator's options
 * @cache_dir: downloads (NULL: pw_data_get_cache_dir())
 * @base_url: where ml-*.zip are (NULL: GroupLens)
 *
 * Initialise with pw_prepare_options_init(); strings are borrowed.
 */
typedef struct
{
  PwSource            source;
  const char         *input;
  const char         *items;
  const char         *output_dir;
  PwSplitOptions      split;
  PwReadFlags         flags;
  PwSyntheticOptions  synthetic;
  const char         *cache_dir;
  const char         *base_url;
} PwPrepareOptions;

void pw_prepare_options_init (PwPrepareOptions *options);

typedef enum
{
  PW_PREPARE_DOWNLOADING,
  PW_PREPARE_READING,
  PW_PREPARE_SPLITTING,
  PW_PREPARE_WRITING,
  PW_PREPARE_DONE,
} PwPreparePhase;

/**
 * PwPrepareProgress:
 * @phase: what is happening
 * @done: bytes downloaded (DOWNLOADING), else 0
 * @total: bytes to download (0 when unknown), else 0
 *
 * pw_prepare_run() calls it in its own thread; pw_prepare_async() calls it
 * in the caller's main context.
 */
typedef void (*PwPrepareProgress) (PwPreparePhase phase,
                                   guint64        done,
                                   guint64        total,
                                   gpointer       user_data);

/**
 * PwPrepareResult:
 * @source: the source used
 * @interactions: everything read
 * @items: the catalogue (may have no items for a CSV without one)
 * @split: the split
 * @stats: statistics of the data and the split
 * @report: rows read, skipped, ...
 * @folder: for ml-*, the folder read
 */
typedef struct
{
  PwSource        source;
  PwInteractions *interactions;
  PwItems        *items;
  PwSplit        *split;
  PwDataStats    *stats;
  PwReadReport    report;
  char           *folder;
} PwPrepareResult;

/* A boxed type, reference counted: pw_prepare_result_free() drops one
 * reference (the same as pw_prepare_result_unref()); copying the boxed
 * value takes one. Safe to share between threads read-only. */
#define PW_TYPE_PREPARE_RESULT (pw_prepare_result_get_type ())
GType            pw_prepare_result_get_type (void) G_GNUC_CONST;
/* An empty result (every member zero), for readers that fill one. */
PwPrepareResult *pw_prepare_result_new   (void);
PwPrepareResult *pw_prepare_result_ref   (PwPrepareResult          *result);
void             pw_prepare_result_unref (PwPrepareResult          *result);
void             pw_prepare_result_free (PwPrepareResult          *result);

PwPrepareResult *pw_prepare_run         (const PwPrepareOptions   *options,
                                         PwPrepareProgress         progress,
                                         gpointer                  user_data,
                                         GCancellable             *cancellable,
                                         GError                  **error);

/* The same in a worker thread. @options' strings are copied. @progress
 * runs in the thread-default main context of the caller; @notify frees
 * @progress_data after the last call. */
void             pw_prepare_async       (const PwPrepareOptions   *options,
                                         PwPrepareProgress         progress,
                                         gpointer                  progress_data,
                                         GDestroyNotify            notify,
                                         GCancellable             *cancellable,
                                         GAsyncReadyCallback       callback,
                                         gpointer                  user_data);
PwPrepareResult *pw_prepare_finish      (GAsyncResult             *result,
                                         GError                  **error);

/* Reads back what pw_prepare_run() wrote to @directory (pw-prepare-load.c):
 * the interactions of the training, validation and cold-start files, the
 * split rebuilt from them (its options are zero), catalog.csv's titles and
 * genres, the statistics. @checksums: (nullable) file name → SHA-256 hex;
 * a file it names must match (PW_DATA_ERROR_CHECKSUM). Blocking. */
PwPrepareResult *pw_prepare_load        (const char               *directory,
                                         PwSource                  source,
                                         GHashTable               *checksums,
                                         GCancellable             *cancellable,
                                         GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwPrepareResult, pw_prepare_result_free)

G_END_DECLS
