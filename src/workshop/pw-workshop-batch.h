/* pw-workshop-batch.h: the BATCH step (batch inference for every user) and
 * its output: parse, preview, CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-items.h"
#include "pw-workshop.h"

G_BEGIN_DECLS

/*
 * THE BATCH STEP. pw_workshop_run_step_async (self, PW_WORKSHOP_STEP_BATCH,
 * …) needs CAMPAIGNS complete (it uses the user-personalization solution
 * version, not the campaign; docs/workshop.md 5.1) and the prepared data or its
 * recorded output folder:
 *   1. writes OUTPUT_DIR/batch_input.json (atomically): one line
 *      {"userId": "…"} per USER_ID of training_interaction.csv, in order of
 *      first appearance: the real USER_IDs, never row numbers;
 *   2. uploads it to the workshop bucket as "batch/input-SUFFIX.json"
 *      (a PW_RESOURCE_OBJECT, detail "BATCH_INPUT", recorded first);
 *   3. CreateBatchInferenceJob "pw-workshop-batch-SUFFIX-N" on the
 *      user-personalization version (numResults 25; output path
 *      s3://BUCKET/batch/output-SUFFIX-N/; the workshop's role on AWS);
 *      a PW_RESOURCE_BATCH_JOB (parent: the version) recorded before the
 *      call; waited for (Describe with backoff) until ACTIVE;
 *   4. downloads "batch/output-SUFFIX-N/input-SUFFIX.json.out" to
 *      OUTPUT_DIR/batch_output.json (atomically; a PW_RESOURCE_OBJECT,
 *      detail "BATCH_OUTPUT", parent the bucket) and checks that it parses
 *      with one line per input user.
 * Progress and cancel as for every step. A cancelled or failed job stays
 * recorded (cleanup marks it DELETED with its version; the S3 objects go
 * with the bucket). Running the step again after it completed checks and
 * returns; after an invalidation it makes a new job.
 *
 * COMPLETE when CAMPAIGNS is complete, the state holds an ACTIVE batch job
 * of this step's generation on the current user-personalization version,
 * and the downloaded output file recorded for it still exists.
 */

/* (nullable) The downloaded output of the current batch job (a local JSON
 * lines file), %NULL until BATCH completed. */
const char *pw_workshop_get_batch_output   (PwWorkshop *self);

/**
 * PwBatchLine:
 * @user_id: input.userId (or input.itemId for a related-items job)
 * @items: output.recommendedItems, best first, %NULL-terminated (empty
 *   when the line has an error)
 * @scores: (nullable): output.scores, one per item, or %NULL when the line
 *   has none (related items, popularity)
 * @n_items: the length of @items
 * @error: (nullable): the line's "error" when not null
 */
typedef struct
{
  char   *user_id;
  char  **items;
  double *scores;
  guint   n_items;
  char   *error;
} PwBatchLine;

void        pw_batch_line_free             (PwBatchLine *line);

/**
 * pw_workshop_batch_parse:
 * @path: a batch inference output file (JSON lines, AWS's format:
 *   {"input": {"userId": …}, "output": {"recommendedItems": […],
 *   "scores": […]}, "error": null})
 *
 * Reads every line. Empty lines are skipped; a line that is not such an
 * object fails the whole parse with G_IO_ERROR_INVALID_DATA naming the
 * file and the line number. Returns a GPtrArray of PwBatchLine (transfer
 * full, with its free function), in file order.
 */
GPtrArray  *pw_workshop_batch_parse        (const char  *path,
                                            GError     **error);

/**
 * pw_workshop_batch_export_csv:
 * @lines: (element-type PwBatchLine): as pw_workshop_batch_parse() gives
 * @items: (nullable): titles and genres (e.g. the prepared data's items)
 * @path: the CSV to write, atomically (g_file_set_contents)
 *
 * Writes USER_ID,RANK,ITEM_ID,SCORE,TITLE,GENRES (RFC 4180 quoting; RANK
 * from 1; SCORE empty when the line had none; TITLE and GENRES empty
 * without @items), one row per recommended item.
 */
gboolean    pw_workshop_batch_export_csv   (GPtrArray   *lines,
                                            PwItems     *items,
                                            const char  *path,
                                            GError     **error);

G_END_DECLS
