/* pw-workshop-run.c: running a step: busy and progress, the worker
 * thread and its cancellable, the checks before a step, the connection
 * test, and the worker's way to the main context (pw_workshop_run_*(),
 * which do each call and state change there and block the worker)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pw-aws-error.h"
#include "pw-workshop-private.h"

/* ---------------------------------------------------------------------
 * Running steps
 * --------------------------------------------------------------------- */

static void
set_progress (PwWorkshop *self,
              double      fraction,
              const char *message)
{
  if (self->progress_fraction != fraction)
    {
      self->progress_fraction = fraction;
      pw_workshop_notify (self, PW_WORKSHOP_PROP_PROGRESS_FRACTION);
    }
  if (g_strcmp0 (self->progress_message, message) != 0)
    {
      g_free (self->progress_message);
      self->progress_message = g_strdup (message);
      pw_workshop_notify (self, PW_WORKSHOP_PROP_PROGRESS_MESSAGE);
    }
}

static void
set_busy (PwWorkshop     *self,
          gboolean        busy,
          PwWorkshopStep  step)
{
  if (busy)
    {
      self->running_step = step;
      pw_workshop_notify (self, PW_WORKSHOP_PROP_RUNNING_STEP);
      set_progress (self, -1, NULL);
    }
  self->busy = busy;
  pw_workshop_notify (self, PW_WORKSHOP_PROP_BUSY);
  if (!busy)
    {
      set_progress (self, 0, NULL);
      if (self->shut_down)
        pw_workshop_stop_server (self);
    }
  pw_workshop_refresh_step_states (self);
}

void
pw_workshop_run_free (PwWorkshopRun *run)
{
  g_clear_object (&run->self);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_free (run->region);
  g_free (run->suffix);
  g_free (run->output_dir);
  g_strfreev (run->recipes);
  if (run->data_free != NULL)
    g_clear_pointer (&run->data, run->data_free);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  g_free (run);
}

static void
cancel_run_cb (GCancellable *cancellable,
               gpointer      user_data)
{
  GCancellable *joined = user_data;

  g_cancellable_cancel (joined);
}

/* One cancellable that the caller's and the workshop's both cancel. */
GCancellable *
pw_workshop_join_cancellables (PwWorkshop   *self,
                               GCancellable *cancellable)
{
  GCancellable *joined = g_cancellable_new ();

  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_run_cb), g_object_ref (joined), g_object_unref);
  g_cancellable_connect (self->cancellable, G_CALLBACK (cancel_run_cb), g_object_ref (joined), g_object_unref);
  return joined;
}

PwWorkshopRun *
pw_workshop_run_new (PwWorkshop     *self,
                     PwWorkshopStep  step,
                     GCancellable   *cancellable)
{
  PwWorkshopRun *run = g_new0 (PwWorkshopRun, 1);

  run->self = g_object_ref (self);
  run->step = step;
  run->cancellable = pw_workshop_join_cancellables (self, cancellable);
  run->context = g_main_context_ref (self->context);
  run->backend = self->backend;
  run->region = g_strdup (self->region);
  memcpy (run->generation, self->generation, sizeof run->generation);
  run->suffix = g_strdup (self->suffix);
  run->output_dir = g_strdup (self->output_dir);
  run->recipes = g_strdupv (self->recipes);
  run->exploration_weight = self->exploration_weight;
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  return run;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PwWorkshopRun *run = task_data;
  GError *error = NULL;

  if (pw_workshop_steps_run (run, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
step_finished (PwWorkshop *self,
               GTask      *task)
{
  set_busy (self, FALSE, self->running_step);
}

static void
worker_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* A cleanup that finished starts new names for the next round. */
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_task_get_source_tag (task) == GINT_TO_POINTER (PW_WORKSHOP_STEP_CLEANUP + 1) &&
          pw_workshop_cleanup_complete (self))
        {
          g_autoptr(GError) save_error = NULL;

          g_free (self->suffix);
          self->suffix = pw_workshop_random_suffix ();
          if (!pw_workshop_save_state (self, &save_error))
            g_warning ("%s", save_error->message);
        }
      step_finished (self, task);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      step_finished (self, task);
      g_task_return_error (task, error);
    }
}

static void
connection_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwWorkshop *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) out = NULL;
  GError *error = NULL;
  gboolean is_step = g_task_get_task_data (task) != NULL;

  out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  if (out == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ;
      else if (self->backend == PW_WORKSHOP_BACKEND_LOCAL)
        g_prefix_error (&error, _("The local engine did not answer: "));
      else if (g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_NETWORK) ||
               g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_TIMEOUT))
        g_prefix_error (&error, _("AWS cannot be reached; check the network connection (STS GetCallerIdentity): "));
      else if (g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE) ||
               g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS) ||
               g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE))
        g_prefix_error (&error, _("The AWS credentials were not accepted (STS GetCallerIdentity): "));
      else
        g_prefix_error (&error, _("Checking the AWS connection failed (STS GetCallerIdentity): "));
      self->backend_ok = FALSE;
      if (is_step)
        set_busy (self, FALSE, PW_WORKSHOP_STEP_BACKEND);
      else
        pw_workshop_refresh_step_states (self);
      g_task_return_error (task, error);
      return;
    }
  self->backend_ok = TRUE;
  if (is_step)
    set_busy (self, FALSE, PW_WORKSHOP_STEP_BACKEND);
  else
    pw_workshop_refresh_step_states (self);
  g_task_return_pointer (task, json_object_ref (out), (GDestroyNotify) json_object_unref);
}

static void
connection_client_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  GTask *task = user_data;
  g_autoptr(JsonObject) input = json_object_new ();
  GError *error = NULL;

  if (!pw_workshop_ensure_client_finish (self, result, &error))
    {
      self->backend_ok = FALSE;
      if (g_task_get_task_data (task) != NULL)
        set_busy (self, FALSE, PW_WORKSHOP_STEP_BACKEND);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  pw_aws_client_call_async (self->client, PW_AWS_SERVICE_STS, "GetCallerIdentity", input,
                            g_task_get_cancellable (task), connection_done_cb, task);
}

static void
start_connection_test (PwWorkshop   *self,
                       GTask        *task)
{
  pw_workshop_ensure_client_async (self, g_task_get_cancellable (task), connection_client_cb, task);
}

static gboolean
check_ready (PwWorkshop      *self,
             PwWorkshopStep   step,
             GError         **error)
{
  if (!pw_workshop_step_is_built (step))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_BUILT,
                   _("The step “%s” is not built yet."), pw_workshop_step_get_title (step));
      return FALSE;
    }
  if (pw_workshop_refuse_if_busy (self, error))
    return FALSE;
  if (step == PW_WORKSHOP_STEP_DATA)
    {
      if (self->step_states[step] == PW_WORKSHOP_STEP_STATE_COMPLETE)
        return TRUE;
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("Prepare the data first."));
      return FALSE;
    }
  if (step == PW_WORKSHOP_STEP_CLEANUP || step == PW_WORKSHOP_STEP_BACKEND)
    return TRUE;
  /* The results steps need the campaigns, not each other. */
  for (guint i = 0; i < MIN (step, PW_WORKSHOP_STEP_LIVE_EVENTS); i++)
    if (pw_workshop_step_is_built (i) && self->step_states[i] != PW_WORKSHOP_STEP_STATE_COMPLETE)
      {
        g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                     _("Complete the step “%s” first."), pw_workshop_step_get_title (i));
        return FALSE;
      }
  if (step == PW_WORKSHOP_STEP_CAMPAIGNS &&
      (!g_strv_contains ((const char * const *) self->recipes, "aws-user-personalization") ||
       !g_strv_contains ((const char * const *) self->recipes, "aws-similar-items")))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("The campaigns need the recipes aws-user-personalization and aws-similar-items: "
                     "choose them on the Training step and train them."));
      return FALSE;
    }
  return TRUE;
}

/* The client is there (the local server started): the step's worker. */
static void
step_client_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  PwWorkshopStep step = GPOINTER_TO_INT (g_task_get_source_tag (task)) - 1;
  GCancellable *joined = g_task_get_cancellable (task);
  GError *error = NULL;
  GTask *worker;

  if (!pw_workshop_ensure_client_finish (self, result, &error))
    {
      set_busy (self, FALSE, step);
      g_task_return_error (task, error);
      return;
    }
  worker = g_task_new (self, joined, worker_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, pw_workshop_run_new (self, step, joined), (GDestroyNotify) pw_workshop_run_free);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, run_in_thread);
  g_object_unref (worker);
}

void
pw_workshop_run_step_async (PwWorkshop          *self,
                            PwWorkshopStep       step,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) joined = NULL;
  GError *error = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));
  g_return_if_fail (step < PW_WORKSHOP_N_STEPS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  joined = pw_workshop_join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, GINT_TO_POINTER (step + 1));
  g_task_set_check_cancellable (task, FALSE);

  if (!check_ready (self, step, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (step == PW_WORKSHOP_STEP_DATA)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_cancellable_set_error_if_cancelled (joined, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  set_busy (self, TRUE, step);
  if (step == PW_WORKSHOP_STEP_BACKEND)
    {
      g_task_set_task_data (task, GINT_TO_POINTER (1), NULL);
      set_progress (self, -1, _("Checking the connection"));
      start_connection_test (self, g_steal_pointer (&task));
      return;
    }
  pw_workshop_ensure_client_async (self, joined, step_client_cb, g_steal_pointer (&task));
}

gboolean
pw_workshop_run_step_finish (PwWorkshop    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pw_workshop_test_connection_async (PwWorkshop          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GCancellable) joined = NULL;
  GTask *task;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = pw_workshop_join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_test_connection_async);
  g_task_set_check_cancellable (task, FALSE);
  start_connection_test (self, task);
}

gboolean
pw_workshop_test_connection_finish (PwWorkshop    *self,
                                    GAsyncResult  *result,
                                    char         **out_account,
                                    char         **out_arn,
                                    GError       **error)
{
  g_autoptr(JsonObject) out = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  out = g_task_propagate_pointer (G_TASK (result), error);
  if (out == NULL)
    return FALSE;
  if (out_account != NULL)
    *out_account = g_strdup (pw_workshop_json_get_string (out, "Account"));
  if (out_arn != NULL)
    *out_arn = g_strdup (pw_workshop_json_get_string (out, "Arn"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * For the results steps (pw-workshop-private.h)
 * --------------------------------------------------------------------- */

void
pw_workshop_run_custom_async (PwWorkshop          *self,
                              PwWorkshopStep       step,
                              PwWorkshopRunFunc    func,
                              gpointer             data,
                              GDestroyNotify       data_free,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) joined = NULL;
  PwWorkshopRun *run;
  GTask *worker;
  GError *error = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = pw_workshop_join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, GINT_TO_POINTER (PW_WORKSHOP_N_STEPS + 1));
  g_task_set_check_cancellable (task, FALSE);
  if (pw_workshop_refuse_if_busy (self, &error) || g_cancellable_set_error_if_cancelled (joined, &error))
    {
      if (data_free != NULL)
        data_free (data);
      g_task_return_error (task, error);
      return;
    }
  set_busy (self, TRUE, step);
  if (!pw_workshop_ensure_client (self, &error))
    {
      if (data_free != NULL)
        data_free (data);
      set_busy (self, FALSE, step);
      g_task_return_error (task, error);
      return;
    }
  run = pw_workshop_run_new (self, step, joined);
  run->func = (gboolean (*) (gpointer, GError **)) func;
  run->data = data;
  run->data_free = data_free;
  worker = g_task_new (self, joined, worker_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, run, (GDestroyNotify) pw_workshop_run_free);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, run_in_thread);
  g_object_unref (worker);
}

PwWorkshopResource *
pw_workshop_current_campaign (PwWorkshop *self,
                              const char *recipe)
{
  PwWorkshopResource *version = pw_workshop_current_version (self, recipe);
  PwWorkshopResource *campaign;

  if (version == NULL)
    return NULL;
  campaign = pw_workshop_find_current (self, PW_RESOURCE_CAMPAIGN, NULL, NULL, pw_workshop_resource_get_arn (version));
  return pw_workshop_resource_is_active (campaign, -1) ? campaign : NULL;
}

guint
pw_workshop_get_generation (PwWorkshop     *self,
                            PwWorkshopStep  step)
{
  return self->generation[step];
}

JsonObject *
pw_workshop_get_results (PwWorkshop *self)
{
  return self->results;
}

gboolean
pw_workshop_save_results (PwWorkshop  *self,
                          GError     **error)
{
  gboolean ok = pw_workshop_save_state (self, error);

  pw_workshop_refresh_step_states (self);
  return ok;
}

void
pw_workshop_record_exploration_weight (PwWorkshop *self,
                                       double      weight)
{
  g_autoptr(GError) error = NULL;

  weight = CLAMP (weight, 0, 1);
  if (self->exploration_weight == weight)
    return;
  self->exploration_weight = weight;
  pw_workshop_notify (self, PW_WORKSHOP_PROP_EXPLORATION_WEIGHT);
  if (!pw_workshop_save_state (self, &error))
    g_warning ("%s", error->message);
}

/* ---------------------------------------------------------------------
 * The worker's way to the main context
 * --------------------------------------------------------------------- */

typedef enum
{
  CALL_AWS,
  CALL_LIST_ALL,
  CALL_PUT_OBJECT,
  CALL_ADD,
  CALL_RECORD,
  CALL_PROGRESS,
  CALL_METRICS,
} CallKind;

typedef struct
{
  PwWorkshopRun          *run;
  CallKind                kind;
  /* in */
  PwAwsService            service;
  const char             *operation;
  JsonObject             *input;
  const char             *list_member;
  const char             *bucket;
  const char             *key;
  const char             *path;
  PwResourceKind          resource_kind;
  const char             *name;
  PwWorkshopResource     *resource;
  const PwResourceChange *change;
  double                  fraction;
  const char             *message;
  const char             *recipe;
  const char             *version_arn;
  /* out */
  gboolean                done;
  gboolean                ok;
  JsonObject             *out;
  JsonArray              *array;
  GError                 *error;
} Call;

static void
call_done (Call *call)
{
  g_mutex_lock (&call->run->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->run->cond);
  g_mutex_unlock (&call->run->lock);
}

static void
aws_call_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Call *call = user_data;

  switch (call->kind)
    {
    case CALL_AWS:
      call->out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &call->error);
      call->ok = call->out != NULL;
      break;
    case CALL_LIST_ALL:
      call->array = pw_aws_client_list_all_finish (PW_AWS_CLIENT (source), result, &call->error);
      call->ok = call->array != NULL;
      break;
    case CALL_PUT_OBJECT:
      call->out = pw_aws_client_put_object_finish (PW_AWS_CLIENT (source), result, &call->error);
      call->ok = call->out != NULL;
      break;
    case CALL_ADD:
    case CALL_RECORD:
    case CALL_PROGRESS:
    case CALL_METRICS:
    default:
      g_assert_not_reached ();
    }
  call_done (call);
}

static void
upload_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  Call *call = user_data;
  PwWorkshop *self = call->run->self;
  g_autofree char *message = NULL;
  g_autofree char *done_s = g_format_size (done);
  g_autofree char *total_s = total > 0 ? g_format_size (total) : g_strdup ("?");

  message = g_strdup_printf (_("Uploading %s to S3: %s of %s"), call->key, done_s, total_s);
  set_progress (self, total > 0 ? (double) done / total : -1, message);
}

static void
emit_changed (PwWorkshop         *self,
              PwWorkshopResource *resource)
{
  pw_workshop_emit_resource_changed (self, resource);
  pw_workshop_refresh_step_states (self);
}

static gboolean
apply_change (PwWorkshopResource     *r,
              const PwResourceChange *change)
{
  gboolean changed = FALSE;

  if (change == NULL)
    return FALSE;
  if (change->arn != NULL)
    changed |= pw_workshop_resource_set_arn (r, change->arn);
  if (change->status >= 0)
    changed |= pw_workshop_resource_set_status (r, change->status);
  if (change->failure_reason != NULL || change->clear_failure_reason)
    changed |= pw_workshop_resource_set_failure_reason (r, change->failure_reason);
  if (change->parent_arn != NULL)
    changed |= pw_workshop_resource_set_parent_arn (r, change->parent_arn);
  if (change->recipe != NULL)
    changed |= pw_workshop_resource_set_recipe (r, change->recipe);
  if (change->detail != NULL)
    changed |= pw_workshop_resource_set_detail (r, change->detail);
  return changed;
}

static gboolean
main_call_cb (gpointer user_data)
{
  Call *call = user_data;
  PwWorkshopRun *run = call->run;
  PwWorkshop *self = run->self;

  switch (call->kind)
    {
    case CALL_AWS:
      pw_aws_client_call_async (self->client, call->service, call->operation, call->input,
                                run->cancellable, aws_call_done_cb, call);
      return G_SOURCE_REMOVE;

    case CALL_LIST_ALL:
      pw_aws_client_list_all_async (self->client, call->service, call->operation, call->input,
                                    call->list_member, run->cancellable, aws_call_done_cb, call);
      return G_SOURCE_REMOVE;

    case CALL_PUT_OBJECT:
      {
        g_autoptr(GFile) file = g_file_new_for_path (call->path);

        pw_aws_client_put_object_async (self->client, call->bucket, call->key, file, "text/csv",
                                        upload_progress_cb, call, run->cancellable, aws_call_done_cb, call);
      }
      return G_SOURCE_REMOVE;

    case CALL_ADD:
      {
        g_autoptr(PwWorkshopResource) r = pw_workshop_resource_new (call->resource_kind, call->name, run->region,
                                                                     run->backend, NULL);
        guint generation = 0;

        apply_change (r, call->change);
        if (call->resource_kind == PW_RESOURCE_OBJECT || call->resource_kind == PW_RESOURCE_IMPORT_JOB)
          generation = run->generation[PW_WORKSHOP_STEP_DATASET_GROUP];
        else if (call->resource_kind == PW_RESOURCE_SOLUTION_VERSION)
          generation = run->generation[PW_WORKSHOP_STEP_TRAINING];
        else if (call->resource_kind == PW_RESOURCE_CAMPAIGN)
          generation = run->generation[PW_WORKSHOP_STEP_CAMPAIGNS];
        pw_workshop_resource_set_generation (r, generation);
        g_list_store_append (self->resources, r);
        call->ok = pw_workshop_save_state (self, &call->error);
        if (!call->ok)
          {
            /* Not recorded: the caller must not create it. */
            guint n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
            g_list_store_remove (self->resources, n - 1);
          }
        else
          {
            call->resource = r;
            pw_workshop_emit_resource_added (self, r);
            pw_workshop_refresh_step_states (self);
          }
      }
      break;

    case CALL_RECORD:
      if (apply_change (call->resource, call->change))
        {
          call->ok = pw_workshop_save_state (self, &call->error);
          emit_changed (self, call->resource);
        }
      else
        call->ok = TRUE;
      break;

    case CALL_PROGRESS:
      set_progress (self, call->fraction, call->message);
      call->ok = TRUE;
      break;

    case CALL_METRICS:
      {
        JsonObject *m = json_object_new ();

        json_object_set_string_member (m, "version_arn", call->version_arn);
        json_object_set_object_member (m, "values", json_object_ref (call->input));
        json_object_set_object_member (self->metrics, call->recipe, m);
        for (guint i = 0; i < self->metric_order->len; i++)
          if (g_strcmp0 (g_ptr_array_index (self->metric_order, i), call->recipe) == 0)
            {
              g_ptr_array_remove_index (self->metric_order, i);
              break;
            }
        g_ptr_array_add (self->metric_order, g_strdup (call->recipe));
        call->ok = pw_workshop_save_state (self, &call->error);
        pw_workshop_refresh_step_states (self);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  call_done (call);
  return G_SOURCE_REMOVE;
}

static gboolean
run_on_main (Call    *call,
             GError **error)
{
  PwWorkshopRun *run = call->run;

  g_assert (!g_main_context_is_owner (run->context));

  g_main_context_invoke (run->context, main_call_cb, call);
  g_mutex_lock (&run->lock);
  while (!call->done)
    g_cond_wait (&run->cond, &run->lock);
  g_mutex_unlock (&run->lock);
  if (!call->ok)
    {
      if (call->error != NULL)
        g_propagate_error (error, call->error);
      else
        g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE, "internal error");
      return FALSE;
    }
  return TRUE;
}

JsonObject *
pw_workshop_run_call (PwWorkshopRun  *run,
                      PwAwsService    service,
                      const char     *operation,
                      JsonObject     *input,
                      GError        **error)
{
  Call call = { .run = run, .kind = CALL_AWS, .service = service, .operation = operation, .input = input };

  if (!run_on_main (&call, error))
    return NULL;
  return call.out;
}

JsonArray *
pw_workshop_run_list_all (PwWorkshopRun  *run,
                          PwAwsService    service,
                          const char     *operation,
                          JsonObject     *input,
                          const char     *list_member,
                          GError        **error)
{
  Call call = { .run = run, .kind = CALL_LIST_ALL, .service = service, .operation = operation,
                .input = input, .list_member = list_member };

  if (!run_on_main (&call, error))
    return NULL;
  return call.array;
}

gboolean
pw_workshop_run_put_object (PwWorkshopRun  *run,
                            const char     *bucket,
                            const char     *key,
                            const char     *path,
                            GError        **error)
{
  Call call = { .run = run, .kind = CALL_PUT_OBJECT, .bucket = bucket, .key = key, .path = path };

  if (!run_on_main (&call, error))
    return FALSE;
  json_object_unref (call.out);
  return TRUE;
}

PwWorkshopResource *
pw_workshop_run_add (PwWorkshopRun          *run,
                     PwResourceKind          kind,
                     const char             *name,
                     const PwResourceChange *change,
                     GError                **error)
{
  Call call = { .run = run, .kind = CALL_ADD, .resource_kind = kind, .name = name, .change = change };

  if (!run_on_main (&call, error))
    return NULL;
  return call.resource;
}

gboolean
pw_workshop_run_record (PwWorkshopRun          *run,
                        PwWorkshopResource     *resource,
                        const PwResourceChange *change,
                        GError                **error)
{
  Call call = { .run = run, .kind = CALL_RECORD, .resource = resource, .change = change };

  return run_on_main (&call, error);
}

void
pw_workshop_run_progress (PwWorkshopRun *run,
                          double         fraction,
                          const char    *message)
{
  Call call = { .run = run, .kind = CALL_PROGRESS, .fraction = fraction, .message = message };

  run_on_main (&call, NULL);
}

gboolean
pw_workshop_run_set_metrics (PwWorkshopRun  *run,
                             const char     *recipe,
                             const char     *version_arn,
                             JsonObject     *metrics,
                             GError        **error)
{
  Call call = { .run = run, .kind = CALL_METRICS, .recipe = recipe, .version_arn = version_arn, .input = metrics };

  return run_on_main (&call, error);
}

gboolean
pw_workshop_run_sleep (PwWorkshopRun  *run,
                       guint           ms,
                       GError        **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      g_usleep (MIN (20000, MAX (0, end - g_get_monotonic_time ())));
    }
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

GListModel *
pw_workshop_run_get_resources (PwWorkshopRun *run)
{
  return G_LIST_MODEL (run->self->resources);
}

