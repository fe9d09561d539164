/* pw-prepare.c: notebook 1.1 (wizard step 2 of 9) as one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-data-error.h"
#include "pw-download.h"
#include "pw-movielens.h"
#include "pw-prepare.h"

static const char *const source_names[] = {
  "synthetic", "ml-1m", "ml-100k", "ml-latest-small", "csv",
};

const char *
pw_source_to_string (PwSource source)
{
  g_return_val_if_fail ((guint) source < G_N_ELEMENTS (source_names), NULL);
  return source_names[source];
}

gboolean
pw_source_from_string (const char *name,
                       PwSource   *source)
{
  for (guint k = 0; k < G_N_ELEMENTS (source_names); k++)
    if (g_strcmp0 (name, source_names[k]) == 0)
      {
        if (source != NULL)
          *source = (PwSource) k;
        return TRUE;
      }
  return FALSE;
}

void
pw_prepare_options_init (PwPrepareOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->source = PW_SOURCE_SYNTHETIC;
  options->split = PW_SPLIT_OPTIONS_DEFAULT;
  options->synthetic = PW_SYNTHETIC_OPTIONS_DEFAULT;
}

static void
prepare_result_clear (gpointer data)
{
  PwPrepareResult *result = data;

  g_clear_pointer (&result->stats, pw_data_stats_free);
  g_clear_pointer (&result->split, pw_split_free);
  g_clear_pointer (&result->interactions, pw_interactions_unref);
  g_clear_pointer (&result->items, pw_items_unref);
  pw_read_report_clear (&result->report);
  g_free (result->folder);
}

/* Results live in an atomic reference-counted box (g_atomic_rc_box), so
 * that the app's pages and the workshop can share one without copying a
 * million rows. */
PwPrepareResult *
pw_prepare_result_new (void)
{
  return g_atomic_rc_box_new0 (PwPrepareResult);
}

PwPrepareResult *
pw_prepare_result_ref (PwPrepareResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  return g_atomic_rc_box_acquire (result);
}

void
pw_prepare_result_unref (PwPrepareResult *result)
{
  if (result == NULL)
    return;
  g_atomic_rc_box_release_full (result, prepare_result_clear);
}

void
pw_prepare_result_free (PwPrepareResult *result)
{
  pw_prepare_result_unref (result);
}

G_DEFINE_BOXED_TYPE (PwPrepareResult, pw_prepare_result,
                     pw_prepare_result_ref, pw_prepare_result_unref)

typedef struct
{
  PwPrepareProgress progress;
  gpointer          user_data;
} Progress;

static void
download_progress_cb (guint64  received,
                      guint64  total,
                      gpointer user_data)
{
  Progress *p = user_data;

  if (p->progress != NULL)
    p->progress (PW_PREPARE_DOWNLOADING, received, total, p->user_data);
}

static void
report (Progress       *p,
        PwPreparePhase  phase)
{
  if (p->progress != NULL)
    p->progress (phase, 0, 0, p->user_data);
}

PwPrepareResult *
pw_prepare_run (const PwPrepareOptions  *options,
                PwPrepareProgress        progress,
                gpointer                 user_data,
                GCancellable            *cancellable,
                GError                 **error)
{
  g_autoptr(PwPrepareResult) result = NULL;
  Progress p = { progress, user_data };

  g_return_val_if_fail (options != NULL, NULL);

  if (!pw_split_options_validate (&options->split, error))
    return NULL;

  result = g_atomic_rc_box_new0 (PwPrepareResult);
  result->source = options->source;

  switch (options->source)
    {
    case PW_SOURCE_SYNTHETIC:
      report (&p, PW_PREPARE_READING);
      if (!pw_synthetic_generate (&options->synthetic, &result->interactions, &result->items, error))
        return NULL;
      result->report.n_rows = result->interactions->n_rows;
      break;

    case PW_SOURCE_ML_1M:
    case PW_SOURCE_ML_100K:
    case PW_SOURCE_ML_LATEST_SMALL:
      {
        PwMovieLensFormat format = options->source == PW_SOURCE_ML_1M ? PW_MOVIELENS_1M
                                 : options->source == PW_SOURCE_ML_100K ? PW_MOVIELENS_100K
                                 : PW_MOVIELENS_LATEST_SMALL;

        if (options->input != NULL)
          result->folder = g_strdup (options->input);
        else
          {
            report (&p, PW_PREPARE_DOWNLOADING);
            if (!pw_movielens_fetch (format, options->cache_dir, options->base_url,
                                     download_progress_cb, &p, &result->folder, cancellable, error))
              return NULL;
          }
        report (&p, PW_PREPARE_READING);
        if (!pw_movielens_read_folder (format, result->folder, options->flags, &result->report,
                                       &result->interactions, &result->items, cancellable, error))
          return NULL;
      }
      break;

    case PW_SOURCE_CSV:
      if (options->input == NULL)
        {
          g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT,
                       _("The csv source needs an interactions file"));
          return NULL;
        }
      report (&p, PW_PREPARE_READING);
      result->interactions = pw_interactions_read_csv (options->input, options->flags,
                                                       &result->report, cancellable, error);
      if (result->interactions == NULL)
        return NULL;
      if (options->items != NULL)
        {
          PwReadReport items_report = { 0 };

          result->items = pw_items_read_csv (options->items, options->flags, &items_report,
                                             cancellable, error);
          result->report.n_skipped += items_report.n_skipped;
          result->report.latin1 |= items_report.latin1;
          if (result->report.first_skipped == NULL)
            result->report.first_skipped = g_steal_pointer (&items_report.first_skipped);
          pw_read_report_clear (&items_report);
          if (result->items == NULL)
            return NULL;
        }
      else
        result->items = pw_items_new ();
      break;

    default:
      g_return_val_if_reached (NULL);
    }

  if (result->interactions->n_rows == 0)
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_EMPTY, _("There are no interactions to split"));
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (&p, PW_PREPARE_SPLITTING);
  result->split = pw_split_new (result->interactions, &options->split, error);
  if (result->split == NULL)
    return NULL;
  result->stats = pw_data_stats_new (result->interactions, result->items, result->split);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (options->output_dir != NULL)
    {
      report (&p, PW_PREPARE_WRITING);
      if (!pw_split_write (result->split, result->items, options->output_dir, cancellable, error))
        return NULL;
    }
  report (&p, PW_PREPARE_DONE);
  return g_steal_pointer (&result);
}

/* Async ---------------------------------------------------------------- */

typedef struct
{
  PwPrepareOptions  options;
  char             *input, *items, *output_dir, *cache_dir, *base_url;
  PwPrepareProgress progress;
  gpointer          progress_data;
  GDestroyNotify    notify;
  GMainContext     *context;
  /* The latest download progress not yet delivered (coalesced). */
  GMutex            lock;
  gboolean          pending;
  guint64           done, total;
  GTask            *task;    /* weak */
} Job;

typedef struct
{
  Job            *job;
  PwPreparePhase  phase;
  guint64         done, total;
} ProgressEvent;

static void
job_free (Job *job)
{
  g_free (job->input);
  g_free (job->items);
  g_free (job->output_dir);
  g_free (job->cache_dir);
  g_free (job->base_url);
  if (job->notify != NULL)
    job->notify (job->progress_data);
  g_main_context_unref (job->context);
  g_mutex_clear (&job->lock);
  g_free (job);
}

static gboolean
deliver_cb (gpointer data)
{
  ProgressEvent *ev = data;
  Job *job = ev->job;

  if (ev->phase == PW_PREPARE_DOWNLOADING)
    {
      g_mutex_lock (&job->lock);
      ev->done = job->done;
      ev->total = job->total;
      job->pending = FALSE;
      g_mutex_unlock (&job->lock);
    }
  job->progress (ev->phase, ev->done, ev->total, job->progress_data);
  return G_SOURCE_REMOVE;
}

static void
event_free (gpointer data)
{
  ProgressEvent *ev = data;

  g_object_unref (ev->job->task);
  g_free (ev);
}

static void
thread_progress_cb (PwPreparePhase phase,
                    guint64        done,
                    guint64        total,
                    gpointer       user_data)
{
  Job *job = user_data;
  ProgressEvent *ev;

  if (job->progress == NULL)
    return;
  if (phase == PW_PREPARE_DOWNLOADING)
    {
      gboolean queued;

      g_mutex_lock (&job->lock);
      job->done = done;
      job->total = total;
      queued = job->pending;
      job->pending = TRUE;
      g_mutex_unlock (&job->lock);
      if (queued)
        return;
    }
  ev = g_new0 (ProgressEvent, 1);
  ev->job = job;
  ev->phase = phase;
  ev->done = done;
  ev->total = total;
  /* The task keeps the job alive until every event is delivered. */
  g_object_ref (job->task);
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_cb, ev, event_free);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  PwPrepareResult *result = pw_prepare_run (&job->options, thread_progress_cb, job, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) pw_prepare_result_free);
}

void
pw_prepare_async (const PwPrepareOptions *options,
                  PwPrepareProgress       progress,
                  gpointer                progress_data,
                  GDestroyNotify          notify,
                  GCancellable           *cancellable,
                  GAsyncReadyCallback     callback,
                  gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (options != NULL);

  job = g_new0 (Job, 1);
  job->options = *options;
  job->options.input = job->input = g_strdup (options->input);
  job->options.items = job->items = g_strdup (options->items);
  job->options.output_dir = job->output_dir = g_strdup (options->output_dir);
  job->options.cache_dir = job->cache_dir = g_strdup (options->cache_dir);
  job->options.base_url = job->base_url = g_strdup (options->base_url);
  job->progress = progress;
  job->progress_data = progress_data;
  job->notify = notify;
  job->context = g_main_context_ref_thread_default ();
  g_mutex_init (&job->lock);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_prepare_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  job->task = task;
  g_task_run_in_thread (task, prepare_thread);
}

PwPrepareResult *
pw_prepare_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pw_prepare_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
