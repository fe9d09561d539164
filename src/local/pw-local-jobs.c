/* pw-local-jobs.c: the long jobs of personalize-local: dataset imports,
 * training, batch inference, and loading the model a campaign serves
 *
 * They run in worker threads without the state lock, read their inputs
 * under it, and write their results (files first, then the records that
 * point at them) so that a crash at any point leaves either the old state
 * or the new one; the status change that follows is made by the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <math.h>
#include <string.h>

#include "pw-dataset.h"
#include "pw-engine-error.h"
#include "pw-evaluation.h"
#include "pw-interactions.h"
#include "pw-items.h"
#include "pw-metrics.h"
#include "pw-local-jobs-private.h"
#include "pw-local-store.h"

#define MIN_INTERACTIONS 1000
#define MIN_ACTIVE_USERS 25
#define MAX_BATCH_FILES 1000

/* Sets @error when the server is stopping. */
static gboolean
stopped (PwLocalPersonalize  *self,
         GError             **error)
{
  if (!g_cancellable_is_cancelled (self->cancellable))
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Stopped");
  return TRUE;
}

/* Adds the files a dataset's imports wrote to @files. */
static void
add_dataset_files (PwLocalResource *dataset,
                   GPtrArray *files)
{
  JsonArray *list = json_object_get_array_member (dataset->internal, "files");

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    g_ptr_array_add (files, g_strdup (json_array_get_string_element (list, i)));
}

/* The files under an s3:// location: one object, or every object under a
 * folder (a location ending in '/'). */
static GPtrArray *
list_location (PwLocalPersonalize  *self,
               const char          *location,
               char               **out_bucket,
               GError             **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  GPtrArray *keys;

  if (!pw_local_s3_parse_url (location, &bucket, &key))
    {
      pw_local_invalid_input (error, "%s is not an s3://BUCKET/KEY location with a valid bucket name", location);
      return NULL;
    }
  if (!pw_local_s3_bucket_exists (self->s3, bucket))
    {
      pw_local_invalid_input (error, "The bucket %s of %s does not exist in personalize-local's S3; create it "
                              "(aws s3 mb s3://%s) and upload the file first", bucket, location, bucket);
      return NULL;
    }
  if (*key == '\0' || g_str_has_suffix (key, "/"))
    {
      g_autoptr(GPtrArray) all = pw_local_s3_list_keys (self->s3, bucket, key, error);

      if (all == NULL)
        return NULL;
      keys = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < all->len; i++)
        if (!g_str_has_suffix (all->pdata[i], "/"))
          g_ptr_array_add (keys, g_strdup (all->pdata[i]));
      if (keys->len == 0)
        {
          g_ptr_array_unref (keys);
          pw_local_invalid_input (error, "The folder %s holds no file; upload the data there first (aws s3 cp FILE %s)",
                                  location, location);
          return NULL;
        }
    }
  else
    {
      keys = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (keys, g_strdup (key));
    }
  *out_bucket = g_steal_pointer (&bucket);
  return keys;
}

/* The schema's fields: names, and whether each may be null. */
static gboolean
schema_fields (const char  *schema,
               GPtrArray  **names,
               GArray     **nullable)
{
  g_autoptr(JsonNode) root = pw_local_json_parse (schema, strlen (schema), NULL);
  JsonArray *fields;

  if (root == NULL)
    return FALSE;
  fields = json_object_get_array_member (json_node_get_object (root), "fields");
  *names = g_ptr_array_new_with_free_func (g_free);
  *nullable = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *field = json_array_get_object_element (fields, i);
      JsonNode *type = json_object_get_member (field, "type");
      gboolean can_be_null = FALSE;

      if (JSON_NODE_HOLDS_ARRAY (type))
        for (guint j = 0; j < json_array_get_length (json_node_get_array (type)); j++)
          if (g_strcmp0 (json_array_get_string_element (json_node_get_array (type), j), "null") == 0)
            can_be_null = TRUE;
      g_ptr_array_add (*names, g_strdup (json_object_get_string_member (field, "name")));
      g_array_append_val (*nullable, can_be_null);
    }
  return TRUE;
}

/* The CSV header must name schema fields only, and every field that cannot
 * be null. */
static gboolean
check_header (const char  *data,
              gsize        length,
              const char  *display,
              const char  *schema,
              const char  *schema_arn,
              GError     **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GArray) nullable = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) columns = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  const char *end;
  gsize skip = 0;

  if (!schema_fields (schema, &names, &nullable))
    return pw_local_invalid_input (error, "The schema %s cannot be read", schema_arn);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (all, "%s%s", i > 0 ? "," : "", (char *) names->pdata[i]);
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    skip = 3;
  end = memchr (data + skip, '\n', length - skip);
  line = g_strndup (data + skip, (end != NULL ? (gsize) (end - data) : length) - skip);
  g_strchomp (line);
  if (*line == '\0')
    return pw_local_invalid_input (error, "%s line 1: the file is empty or has no header; the first line must name the "
                                   "columns, e.g. %s", display, all->str);
  columns = g_strsplit (line, ",", -1);
  for (guint c = 0; columns[c] != NULL; c++)
    {
      gboolean found = FALSE;

      g_strstrip (columns[c]);
      if (columns[c][0] == '"' && g_str_has_suffix (columns[c], "\"") && strlen (columns[c]) >= 2)
        {
          memmove (columns[c], columns[c] + 1, strlen (columns[c]));
          columns[c][strlen (columns[c]) - 1] = '\0';
        }
      for (guint i = 0; i < names->len; i++)
        if (g_ascii_strcasecmp (columns[c], names->pdata[i]) == 0)
          found = TRUE;
      if (!found)
        return pw_local_invalid_input (error, "%s line 1, column %u: the column \"%s\" is not a field of the schema %s "
                                       "(its fields: %s); change the header or the schema", display, c + 1, columns[c],
                                       schema_arn, all->str);
    }
  for (guint i = 0; i < names->len; i++)
    {
      gboolean found = FALSE;

      if (g_array_index (nullable, gboolean, i))
        continue;
      for (guint c = 0; columns[c] != NULL; c++)
        if (g_ascii_strcasecmp (columns[c], names->pdata[i]) == 0)
          found = TRUE;
      if (!found)
        return pw_local_invalid_input (error, "%s line 1: the header lacks the column %s that the schema %s requires "
                                       "(header: %s)", display, (char *) names->pdata[i], schema_arn, line);
    }
  return TRUE;
}

/* Parses one imported file as its dataset type's CSV (interactions and
 * items with the data layer's readers; other types by lines) and counts
 * its rows into @report. */
static gboolean
parse_rows (const char    *type,
            const char    *data,
            gsize          length,
            const char    *display,
            PwReadReport  *report,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  if (strcmp (type, "INTERACTIONS") == 0)
    {
      g_autoptr(PwInteractions) table = pw_interactions_parse_csv (data, length, display, PW_READ_NONE,
                                                                   report, &local_error);
      ok = table != NULL;
    }
  else if (strcmp (type, "ITEMS") == 0)
    {
      g_autoptr(PwItems) table = pw_items_parse_csv (data, length, display, PW_READ_NONE, report, &local_error);
      ok = table != NULL;
    }
  else
    {
      for (gsize p = 0; p < length; p++)
        if (data[p] == '\n')
          report->n_rows++;
      report->n_rows = report->n_rows > 0 ? report->n_rows - 1 : 0;
    }
  if (!ok)
    return pw_local_invalid_input (error, "Import of %s failed: %s", display, local_error->message);
  return TRUE;
}

gboolean
pw_local_job_import (PwLocalPersonalize  *self,
                     const char          *job_arn,
                     GError             **error)
{
  g_autofree char *dataset_arn = NULL;
  g_autofree char *location = NULL;
  g_autofree char *role = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *schema_arn = NULL;
  g_autofree char *type = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint64 rows = 0;
  PwLocalResource *job;
  PwLocalResource *dataset;
  PwLocalResource *s;
  PwLocalSnapshot job_before, dataset_before;

  if ((job = pw_local_lock_lookup (self, job_arn, PW_LOCAL_KIND_IMPORT_JOB, error)) == NULL)
    return FALSE;
  dataset_arn = g_strdup (json_object_get_string_member (job->obj, "datasetArn"));
  location = g_strdup (json_object_get_string_member (json_object_get_object_member (job->obj, "dataSource"),
                                                      "dataLocation"));
  role = g_strdup (json_object_get_string_member_with_default (job->obj, "roleArn", NULL));
  mode = g_strdup (json_object_get_string_member_with_default (job->obj, "importMode", "FULL"));
  dataset = pw_local_lookup (self, dataset_arn, PW_LOCAL_KIND_DATASET, NULL);
  s = dataset != NULL ? pw_local_lookup (self, json_object_get_string_member (dataset->obj, "schemaArn"),
                                         PW_LOCAL_KIND_SCHEMA, NULL) : NULL;
  if (dataset == NULL || s == NULL)
    {
      g_mutex_unlock (&self->lock);
      return pw_local_invalid_input (error, "The dataset %s or its schema was deleted during the import", dataset_arn);
    }
  type = g_strdup (json_object_get_string_member (dataset->obj, "datasetType"));
  schema = g_strdup (json_object_get_string_member (s->obj, "schema"));
  schema_arn = g_strdup (s->arn);
  g_mutex_unlock (&self->lock);

  if (role != NULL && !pw_local_iam_role_exists (self->iam, role))
    return pw_local_invalid_input (error, "Insufficient privileges for accessing data in S3: the role %s does not "
                                   "exist; create it (aws iam create-role) and attach a policy before importing", role);
  if ((keys = list_location (self, location, &bucket, error)) == NULL)
    return FALSE;

  escaped = pw_local_store_escape (job_arn + strlen (self->prefix) + 1);
  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *display = g_strdup_printf ("s3://%s/%s", bucket, (char *) keys->pdata[i]);
      g_autofree char *name = g_strdup_printf ("%s-%u.csv", escaped, i);
      g_autofree char *path = g_build_filename (self->imports_dir, name, NULL);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) bytes = pw_local_s3_get_object (self->s3, bucket, keys->pdata[i], &local_error);
      PwReadReport report = { 0 };
      const char *data;
      gsize length;

      if (bytes == NULL)
        return pw_local_invalid_input (error, "Cannot read %s: %s; upload it first (aws s3 cp FILE %s)", display,
                                       local_error->message, display);
      data = g_bytes_get_data (bytes, &length);
      if (data == NULL)
        data = "";
      if (!check_header (data, length, display, schema, schema_arn, error))
        return FALSE;
      if (!parse_rows (type, data, length, display, &report, error))
        {
          pw_read_report_clear (&report);
          return FALSE;
        }
      rows += report.n_rows;
      pw_read_report_clear (&report);
      if (stopped (self, error))
        return FALSE;
      if (!pw_local_store_write (path, data, length, 0600, error))
        return FALSE;
      g_ptr_array_add (files, g_steal_pointer (&path));
    }

  g_mutex_lock (&self->lock);
  dataset = pw_local_lookup (self, dataset_arn, PW_LOCAL_KIND_DATASET, NULL);
  job = pw_local_lookup (self, job_arn, PW_LOCAL_KIND_IMPORT_JOB, NULL);
  if (dataset == NULL || job == NULL)
    {
      g_mutex_unlock (&self->lock);
      return pw_local_invalid_input (error, "The dataset %s was deleted during the import", dataset_arn);
    }
  pw_local_snapshot_take (dataset, &dataset_before);
  pw_local_snapshot_take (job, &job_before);
  {
    JsonArray *old = json_object_get_array_member (dataset->internal, "files");
    JsonArray *list = json_array_new ();

    /* FULL replaces the bulk data; INCREMENTAL adds to it. A job that runs
     * again after a crash does not add its files twice. */
    if (strcmp (mode, "INCREMENTAL") == 0 && old != NULL)
      for (guint i = 0; i < json_array_get_length (old); i++)
        {
          const char *f = json_array_get_string_element (old, i);
          gboolean mine = FALSE;

          for (guint j = 0; j < files->len; j++)
            if (strcmp (f, files->pdata[j]) == 0)
              mine = TRUE;
          if (!mine)
            json_array_add_string_element (list, f);
        }
    for (guint j = 0; j < files->len; j++)
      json_array_add_string_element (list, files->pdata[j]);
    json_object_set_array_member (dataset->internal, "files", list);
  }
  json_object_set_int_member (job->internal, "rows", rows);
  /* The job's record first: if the dataset's write fails, neither changes
   * in memory (the job's rows on disk are only a count). */
  if (!pw_local_persist (self, job, error) || !pw_local_persist (self, dataset, error))
    {
      pw_local_snapshot_restore (job, &job_before);
      pw_local_snapshot_restore (dataset, &dataset_before);
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  pw_local_snapshot_clear (&job_before);
  pw_local_snapshot_clear (&dataset_before);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static const char *
column_value (PwItems    *items,
              guint       item,
              const char *name)
{
  for (guint c = 0; c < pw_items_get_n_columns (items); c++)
    if (g_ascii_strcasecmp (pw_items_get_column_name (items, c), name) == 0)
      return pw_items_get_value (items, item, c);
  return NULL;
}

/* Whether training takes an interaction of @type and @value: the
 * solution's eventType (if any) and eventValueThreshold (if finite; a value
 * below it, or none, is left out). */
static gboolean
event_wanted (const char *type,
              double      value,
              const char *event_type,
              double      threshold)
{
  if (event_type != NULL && strcmp (type, event_type) != 0)
    return FALSE;
  return !isfinite (threshold) || value >= threshold;
}

gboolean
pw_local_job_train (PwLocalPersonalize  *self,
                    const char          *version_arn,
                    GError             **error)
{
  g_autofree char *group_arn = NULL;
  g_autofree char *event_type = NULL;
  g_autofree char *interactions_arn = NULL;
  g_autofree char *items_arn = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *model_path = NULL;
  g_autoptr(GPtrArray) interaction_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) item_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(PwDataset) dataset = pw_dataset_new ();
  g_autoptr(PwModel) model = NULL;
  g_autoptr(GHashTable) per_user = NULL;
  g_autoptr(JsonObject) metrics_obj = json_object_new ();
  g_autoptr(GError) eval_error = NULL;
  PwTrainOptions options;
  PwMetrics metrics;
  PwRecipe recipe;
  double threshold = -INFINITY;
  gint64 started = g_get_monotonic_time ();
  guint active_users = 0;
  PwLocalResource *v;
  PwLocalSnapshot before;
  PwLocalResource *d;

  if ((v = pw_local_lock_lookup (self, version_arn, PW_LOCAL_KIND_SOLUTION_VERSION, error)) == NULL)
    return FALSE;
  if (!pw_local_recipe_of (v, &recipe))
    {
      g_mutex_unlock (&self->lock);
      return pw_local_invalid_input (error, "The recipe %s is not one personalize-local trains",
                                     json_object_get_string_member_with_default (v->obj, "recipeArn", "(none)"));
    }
  group_arn = g_strdup (json_object_get_string_member (v->obj, "datasetGroupArn"));
  event_type = g_strdup (json_object_get_string_member_with_default (v->obj, "eventType", NULL));
  if (json_object_has_member (v->obj, "solutionConfig"))
    {
      JsonObject *config = json_object_get_object_member (v->obj, "solutionConfig");
      const char *text = json_object_get_string_member_with_default (config, "eventValueThreshold", NULL);

      if (text != NULL)
        threshold = g_ascii_strtod (text, NULL);
    }
  interactions_arn = g_strdup_printf ("%s:dataset/%s/INTERACTIONS", self->prefix,
                                      group_arn + strlen (self->prefix) + 1 + strlen ("dataset-group/"));
  items_arn = g_strdup_printf ("%s:dataset/%s/ITEMS", self->prefix,
                               group_arn + strlen (self->prefix) + 1 + strlen ("dataset-group/"));
  d = pw_local_lookup (self, interactions_arn, PW_LOCAL_KIND_DATASET, NULL);
  if (d == NULL)
    {
      g_mutex_unlock (&self->lock);
      return pw_local_invalid_input (error, "The dataset group %s has no INTERACTIONS dataset; create one "
                                     "(CreateDataset) and import interactions before training", group_arn);
    }
  add_dataset_files (d, interaction_files);
  d = pw_local_lookup (self, items_arn, PW_LOCAL_KIND_DATASET, NULL);
  if (d != NULL)
    add_dataset_files (d, item_files);
  events_path = pw_local_events_path (self, group_arn);
  model_path = pw_local_model_path (self, version_arn);
  g_mutex_unlock (&self->lock);

  if (interaction_files->len == 0)
    return pw_local_invalid_input (error, "No interactions have been imported into %s; run a dataset import job "
                                   "(CreateDatasetImportJob) and wait for it to be ACTIVE", interactions_arn);

  for (guint f = 0; f < interaction_files->len; f++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PwInteractions) table = pw_interactions_read_csv (interaction_files->pdata[f], PW_READ_NONE, NULL,
                                                                  self->cancellable, &local_error);

      if (table == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint r = 0; r < table->n_rows; r++)
        {
          float value = table->values[r];

          if (!event_wanted (pw_interactions_get_row_event_type (table, r), value, event_type, threshold))
            continue;
          pw_dataset_add_interaction_by_id (dataset,
                                            pw_interactions_get_user_id (table, table->users[r]),
                                            pw_interactions_get_item_id (table, table->items[r]),
                                            table->timestamps[r], isnan (value) ? 1.0f : value);
        }
    }
  events = pw_local_read_events (events_path);
  for (guint e = 0; e < events->len; e++)
    {
      JsonObject *ev = events->pdata[e];
      const char *user = json_object_get_string_member_with_default (ev, "userId", NULL);
      const char *item = json_object_get_string_member_with_default (ev, "itemId", NULL);
      const char *type = json_object_get_string_member_with_default (ev, "eventType", "");
      double value = json_object_get_double_member_with_default (ev, "eventValue", NAN);
      gint64 sent_at;

      if (user == NULL || item == NULL || !pw_local_event_time (ev, &sent_at))
        continue;
      if (!event_wanted (type, value, event_type, threshold))
        continue;
      pw_dataset_add_interaction_by_id (dataset, user, item, sent_at, isnan (value) ? 1.0f : (float) value);
    }
  for (guint f = 0; f < item_files->len; f++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PwItems) items = pw_items_read_csv (item_files->pdata[f], PW_READ_NONE, NULL,
                                                    self->cancellable, &local_error);

      if (items == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = 0; i < items->n_items; i++)
        {
          guint idx = pw_dataset_add_item (dataset, pw_items_get_id (items, i));
          const char *genres = pw_items_get_genres (items, i);
          const char *created = column_value (items, i, "CREATION_TIMESTAMP");

          pw_dataset_set_item_metadata (dataset, idx, genres != NULL && *genres != '\0' ? genres : NULL,
                                        created != NULL && *created != '\0' ? g_ascii_strtoll (created, NULL, 10) : -1);
        }
    }

  /* Personalize's minimum (docs/personalize-api.md 3). */
  per_user = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < pw_dataset_get_n_interactions (dataset); i++)
    {
      PwInteraction *in = &g_array_index (dataset->interactions, PwInteraction, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_user, GUINT_TO_POINTER (in->user + 1))) + 1;

      g_hash_table_insert (per_user, GUINT_TO_POINTER (in->user + 1), GUINT_TO_POINTER (n));
      if (n == 2)
        active_users++;
    }
  if (pw_dataset_get_n_interactions (dataset) < MIN_INTERACTIONS || active_users < MIN_ACTIVE_USERS)
    return pw_local_invalid_input (error, "Not enough data to train: %u interactions (at least %d are needed) and %u "
                                   "users with 2 or more interactions (at least %d)%s%s; import more interactions",
                                   pw_dataset_get_n_interactions (dataset), MIN_INTERACTIONS, active_users,
                                   MIN_ACTIVE_USERS, event_type != NULL ? " of event type " : "",
                                   event_type != NULL ? event_type : "");

  pw_train_options_init (&options, recipe);
  model = pw_model_train (dataset, &options, self->cancellable, error);
  if (model == NULL)
    return FALSE;
  pw_metrics_init (&metrics);
  if (pw_evaluate_solution (dataset, &options, &metrics, self->cancellable, &eval_error))
    {
      guint n_keys;
      const PwMetricKey *keys = pw_metrics_get_keys (&n_keys);

      for (guint k = 0; k < n_keys; k++)
        if (keys[k].personalize)
          json_object_set_double_member (metrics_obj, keys[k].key, pw_metrics_get_value (&metrics, &keys[k]));
    }
  else if (g_error_matches (eval_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&eval_error));
      return FALSE;
    }
  else
    g_warning ("No metrics for %s: %s", version_arn, eval_error->message);

  if (!pw_model_save (model, model_path, error))
    return FALSE;

  if ((v = pw_local_lock_lookup (self, version_arn, PW_LOCAL_KIND_SOLUTION_VERSION, error)) == NULL)
    {
      pw_local_store_remove (model_path, NULL);
      return FALSE;
    }
  pw_local_snapshot_take (v, &before);
  json_object_set_object_member (v->internal, "metrics", json_object_ref (metrics_obj));
  json_object_set_int_member (v->internal, "eventsUsed", events->len);
  json_object_set_double_member (v->obj, "trainingHours",
                                 (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC / 3600.0);
  if (!pw_local_persist_or_restore (self, v, &before, error))
    {
      g_mutex_unlock (&self->lock);
      pw_local_store_remove (model_path, NULL);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * pw_local_campaign_model:
 * The model a campaign serves, loaded on first use with the events its
 * version was not trained on replayed (so real-time state survives a
 * restart).
 */
PwModel *
pw_local_campaign_model (PwLocalPersonalize  *self,
                         const char          *campaign_arn,
                         GError             **error)
{
  g_autofree char *version_arn = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(GPtrArray) events = NULL;
  PwModel *model;
  PwLocalResource *c;
  PwLocalResource *v;
  gint64 used;

  g_mutex_lock (&self->models_lock);
  model = g_hash_table_lookup (self->campaign_models, campaign_arn);
  if (model != NULL)
    {
      pw_model_ref (model);
      g_mutex_unlock (&self->models_lock);
      return model;
    }
  g_mutex_lock (&self->lock);
  c = pw_local_lookup (self, campaign_arn, PW_LOCAL_KIND_CAMPAIGN, error);
  v = c != NULL ? pw_local_lookup (self, json_object_get_string_member (c->obj, "solutionVersionArn"),
                                   PW_LOCAL_KIND_SOLUTION_VERSION, error) : NULL;
  if (v == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_mutex_unlock (&self->models_lock);
      return NULL;
    }
  version_arn = g_strdup (v->arn);
  model_path = pw_local_model_path (self, version_arn);
  events_path = pw_local_events_path (self, json_object_get_string_member (v->obj, "datasetGroupArn"));
  used = json_object_get_int_member_with_default (v->internal, "eventsUsed", 0);
  g_mutex_unlock (&self->lock);

  model = pw_model_load (model_path, error);
  if (model == NULL)
    {
      g_mutex_unlock (&self->models_lock);
      return NULL;
    }
  events = pw_local_read_events (events_path);
  for (guint e = (guint) MAX (used, 0); e < events->len; e++)
    {
      JsonObject *ev = events->pdata[e];
      const char *user = json_object_get_string_member_with_default (ev, "userId", NULL);
      const char *item = json_object_get_string_member_with_default (ev, "itemId", NULL);
      gint64 sent_at;

      if (user != NULL && item != NULL && pw_local_event_time (ev, &sent_at))
        pw_model_put_event (model, user, item, sent_at, NULL);
    }
  g_hash_table_insert (self->campaign_models, g_strdup (campaign_arn), pw_model_ref (model));
  g_mutex_unlock (&self->models_lock);
  return model;
}

static void
exploration_options (JsonObject         *config,
                     PwRecommendOptions *options)
{
  JsonObject *exploration;

  if (config == NULL || !json_object_has_member (config, "itemExplorationConfig"))
    return;
  exploration = json_object_get_object_member (config, "itemExplorationConfig");
  if (exploration == NULL)
    return;
  if (json_object_has_member (exploration, "explorationWeight"))
    options->exploration_weight = g_ascii_strtod (json_object_get_string_member (exploration, "explorationWeight"), NULL);
  if (json_object_has_member (exploration, "explorationItemAgeCutOff"))
    options->exploration_item_age_cut_off =
      g_ascii_strtod (json_object_get_string_member (exploration, "explorationItemAgeCutOff"), NULL);
}

/* Also used by the runtime. */

void
pw_local_exploration_options (JsonObject         *config,
                              PwRecommendOptions *options)
{
  exploration_options (config, options);
}

static JsonNode *
batch_line (PwModel            *model,
            PwRecipe            recipe,
            JsonObject         *input,
            PwRecommendOptions *options)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) recs = NULL;
  PwRecipeType type = pw_recipe_get_type_for (recipe);
  gboolean scores = recipe == PW_RECIPE_USER_PERSONALIZATION || recipe == PW_RECIPE_PERSONALIZED_RANKING;
  const char *user = json_object_get_string_member_with_default (input, "userId", NULL);
  const char *item = json_object_get_string_member_with_default (input, "itemId", NULL);

  json_object_set_object_member (out, "input", json_object_ref (input));
  if (type == PW_RECIPE_TYPE_RELATED_ITEMS)
    {
      if (item == NULL)
        g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                     "This solution version recommends related items: each line needs an \"itemId\"");
      else
        recs = pw_model_recommend_related (model, item, NULL, options, &error);
    }
  else if (type == PW_RECIPE_TYPE_PERSONALIZED_RANKING)
    {
      JsonNode *list = json_object_get_member (input, "itemList");

      if (user == NULL || list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
        g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                     "This solution version ranks items: each line needs \"userId\" and \"itemList\"");
      else
        {
          JsonArray *array = json_node_get_array (list);
          g_autoptr(GPtrArray) ids = g_ptr_array_new ();

          for (guint i = 0; i < json_array_get_length (array) && i < 500; i++)
            {
              JsonNode *n = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
                g_ptr_array_add (ids, (gpointer) json_node_get_string (n));
            }
          recs = pw_model_rank (model, user, (const char * const *) ids->pdata, ids->len, &error);
        }
    }
  else
    {
      if (user == NULL)
        g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                     "This solution version recommends items for users: each line needs a \"userId\"");
      else
        recs = pw_model_recommend (model, user, options, &error);
    }
  if (recs == NULL)
    {
      json_object_set_null_member (out, "output");
      json_object_set_string_member (out, "error", error->message);
    }
  else
    {
      JsonObject *output = json_object_new ();
      JsonArray *ids = json_array_new ();
      JsonArray *values = json_array_new ();

      for (guint i = 0; i < recs->len; i++)
        {
          PwRecommendation *rec = &g_array_index (recs, PwRecommendation, i);

          json_array_add_string_element (ids, rec->item_id);
          if (rec->has_score)
            json_array_add_double_element (values, rec->score);
        }
      json_object_set_array_member (output, "recommendedItems", ids);
      if (scores)
        json_object_set_array_member (output, "scores", values);
      else
        json_array_unref (values);
      json_object_set_object_member (out, "output", output);
      json_object_set_null_member (out, "error");
    }
  return json_node_init_object (json_node_alloc (), out);
}

gboolean
pw_local_job_batch (PwLocalPersonalize  *self,
                    const char          *job_arn,
                    GError             **error)
{
  g_autofree char *version_arn = NULL;
  g_autofree char *input_path = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *in_bucket = NULL;
  g_autofree char *out_bucket = NULL;
  g_autofree char *out_prefix = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(PwModel) model = NULL;
  g_autoptr(JsonObject) config = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  PwRecommendOptions options;
  PwRecipe recipe;
  PwLocalResource *job;
  PwLocalResource *v;

  pw_recommend_options_init (&options);
  if ((job = pw_local_lock_lookup (self, job_arn, PW_LOCAL_KIND_BATCH_JOB, error)) == NULL)
    return FALSE;
  version_arn = g_strdup (json_object_get_string_member (job->obj, "solutionVersionArn"));
  input_path = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_object_get_object_member (job->obj, "jobInput"), "s3DataSource"), "path"));
  output_path = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_object_get_object_member (job->obj, "jobOutput"), "s3DataDestination"),
    "path"));
  options.num_results = (guint) json_object_get_int_member_with_default (job->obj, "numResults", 25);
  if (json_object_has_member (job->obj, "batchInferenceJobConfig"))
    config = json_object_ref (json_object_get_object_member (job->obj, "batchInferenceJobConfig"));
  v = pw_local_lookup (self, version_arn, PW_LOCAL_KIND_SOLUTION_VERSION, NULL);
  if (v == NULL || !pw_local_recipe_of (v, &recipe))
    {
      g_mutex_unlock (&self->lock);
      return pw_local_invalid_input (error, "The solution version %s was deleted", version_arn);
    }
  model_path = pw_local_model_path (self, version_arn);
  g_mutex_unlock (&self->lock);
  exploration_options (config, &options);

  if ((keys = list_location (self, input_path, &in_bucket, error)) == NULL)
    return FALSE;
  if (keys->len > MAX_BATCH_FILES)
    return pw_local_invalid_input (error, "%s holds %u files; a batch inference job reads at most %d", input_path,
                                   keys->len, MAX_BATCH_FILES);
  {
    g_autofree char *key = NULL;

    if (!pw_local_s3_parse_url (output_path, &out_bucket, &key))
      return pw_local_invalid_input (error, "%s is not an s3://BUCKET/PREFIX/ location", output_path);
    if (!pw_local_s3_bucket_exists (self->s3, out_bucket))
      return pw_local_invalid_input (error, "The output bucket %s does not exist; create it first (aws s3 mb s3://%s)",
                                     out_bucket, out_bucket);
    out_prefix = (*key == '\0' || g_str_has_suffix (key, "/")) ? g_strdup (key) : g_strconcat (key, "/", NULL);
  }
  model = pw_model_load (model_path, error);
  if (model == NULL)
    return FALSE;

  for (guint f = 0; f < keys->len; f++)
    {
      const char *key = keys->pdata[f];
      const char *base = strrchr (key, '/') != NULL ? strrchr (key, '/') + 1 : key;
      g_autofree char *out_key = g_strconcat (out_prefix, base, ".out", NULL);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) bytes = pw_local_s3_get_object (self->s3, in_bucket, key, &local_error);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GBytes) out_bytes = NULL;
      const char *data;
      gsize length;
      gsize start = 0;
      guint line_no = 0;

      if (bytes == NULL)
        return pw_local_invalid_input (error, "Cannot read s3://%s/%s: %s", in_bucket, key, local_error->message);
      data = g_bytes_get_data (bytes, &length);
      while (data != NULL && start < length)
        {
          const char *nl = memchr (data + start, '\n', length - start);
          gsize end = nl != NULL ? (gsize) (nl - data) : length;
          g_autoptr(JsonNode) node = NULL;
          g_autoptr(JsonNode) result = NULL;
          g_autofree char *text = NULL;
          g_autoptr(GError) line_error = NULL;

          line_no++;
          if (end > start && !(end - start == 1 && data[start] == '\r'))
            {
              node = pw_local_json_parse (data + start, end - start, &line_error);
              if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
                return pw_local_invalid_input (error, "s3://%s/%s line %u is not a JSON object such as {\"userId\": "
                                               "\"42\"}%s%s", in_bucket, key, line_no, line_error != NULL ? ": " : "",
                                               line_error != NULL ? line_error->message : "");
              result = batch_line (model, recipe, json_node_get_object (node), &options);
              json_generator_set_root (gen, result);
              text = json_generator_to_data (gen, NULL);
              g_string_append (out, text);
              g_string_append_c (out, '\n');
            }
          start = end + 1;
          if (stopped (self, error))
            return FALSE;
        }
      out_bytes = g_bytes_new (out->str, out->len);
      if (!pw_local_s3_put_object (self->s3, out_bucket, out_key, out_bytes, error))
        return FALSE;
    }
  return TRUE;
}
