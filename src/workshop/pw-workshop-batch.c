/* pw-workshop-batch.c: the BATCH step (docs/workshop.md 5.1: a JSON-lines input
 * of every real USER_ID, upload, CreateBatchInferenceJob, wait, download),
 * and the output's parser and CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-interactions.h"
#include "pw-workshop-batch.h"
#include "pw-workshop-private.h"

#define UP_RECIPE_ARN "arn:aws:personalize:::recipe/aws-user-personalization"
#define BATCH_INPUT_FILE "batch_input.json"
#define BATCH_OUTPUT_FILE "batch_output.json"
#define BATCH_NUM_RESULTS 25

void
pw_batch_line_free (PwBatchLine *line)
{
  if (line == NULL)
    return;
  g_free (line->user_id);
  g_strfreev (line->items);
  g_free (line->scores);
  g_free (line->error);
  g_free (line);
}

/* ---------------------------------------------------------------------
 * Parse and export
 * --------------------------------------------------------------------- */

static gboolean
line_error (GError    **error,
            const char *path,
            guint       number,
            const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s, line %u: %s"), path, number, what);
  return FALSE;
}

static PwBatchLine *
parse_line (const char  *path,
            guint        number,
            const char  *text,
            gsize        length,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  PwBatchLine *line;
  JsonObject *root, *input, *output;
  JsonNode *node, *id;
  JsonArray *items, *scores = NULL;

  if (!json_parser_load_from_data (parser, text, (gssize) length, &local_error))
    {
      line_error (error, path, number, local_error->message);
      return NULL;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      line_error (error, path, number, _("not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (node);
  node = json_object_get_member (root, "input");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      line_error (error, path, number, _("no \"input\" object"));
      return NULL;
    }
  input = json_node_get_object (node);
  id = json_object_get_member (input, "userId");
  if (id == NULL)
    id = json_object_get_member (input, "itemId");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
      *json_node_get_string (id) == '\0')
    {
      line_error (error, path, number, _("the input has no userId or itemId string"));
      return NULL;
    }
  line = g_new0 (PwBatchLine, 1);
  line->user_id = g_strdup (json_node_get_string (id));
  node = json_object_get_member (root, "error");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    line->error = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                  ? g_strdup (json_node_get_string (node)) : g_strdup (_("an error"));
  node = json_object_get_member (root, "output");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (line->error == NULL)
        {
          pw_batch_line_free (line);
          line_error (error, path, number, _("neither an output nor an error"));
          return NULL;
        }
      line->items = g_new0 (char *, 1);
      return line;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      (node = json_object_get_member ((output = json_node_get_object (node)), "recommendedItems")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    {
      pw_batch_line_free (line);
      line_error (error, path, number, _("the output has no recommendedItems array"));
      return NULL;
    }
  items = json_node_get_array (node);
  if (json_array_get_length (items) > 10000)
    {
      pw_batch_line_free (line);
      line_error (error, path, number, _("more than 10,000 recommended items"));
      return NULL;
    }
  node = json_object_get_member (output, "scores");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      scores = json_node_get_array (node);
      if (json_array_get_length (scores) != json_array_get_length (items))
        {
          pw_batch_line_free (line);
          line_error (error, path, number, _("scores and recommendedItems differ in length"));
          return NULL;
        }
    }
  line->n_items = json_array_get_length (items);
  line->items = g_new0 (char *, line->n_items + 1);
  if (scores != NULL)
    line->scores = g_new0 (double, MAX (1, line->n_items));
  for (guint i = 0; i < line->n_items; i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          pw_batch_line_free (line);
          line_error (error, path, number, _("a recommended item is not a string"));
          return NULL;
        }
      line->items[i] = g_strdup (json_node_get_string (item));
      if (scores != NULL)
        {
          JsonNode *s = json_array_get_element (scores, i);

          if (!JSON_NODE_HOLDS_VALUE (s) || (json_node_get_value_type (s) != G_TYPE_DOUBLE &&
                                             json_node_get_value_type (s) != G_TYPE_INT64))
            {
              pw_batch_line_free (line);
              line_error (error, path, number, _("a score is not a number"));
              return NULL;
            }
          line->scores[i] = json_node_get_double (s);
        }
    }
  return line;
}

GPtrArray *
pw_workshop_batch_parse (const char  *path,
                         GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_batch_line_free);
  const char *p, *end;
  guint number = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, error))
    return NULL;
  for (p = text, end = text + length; p < end; )
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      const char *q = p;

      number++;
      while (q < stop && g_ascii_isspace (*q))
        q++;
      if (q < stop)
        {
          PwBatchLine *line = parse_line (path, number, p, stop - p, error);

          if (line == NULL)
            return NULL;
          g_ptr_array_add (lines, line);
        }
      p = nl != NULL ? nl + 1 : end;
    }
  return g_steal_pointer (&lines);
}

static void
append_field (GString    *out,
              const char *value)
{
  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

gboolean
pw_workshop_batch_export_csv (GPtrArray   *lines,
                              PwItems     *items,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(GString) out = g_string_new ("USER_ID,RANK,ITEM_ID,SCORE,TITLE,GENRES\n");

  g_return_val_if_fail (lines != NULL && path != NULL, FALSE);

  for (guint l = 0; l < lines->len; l++)
    {
      PwBatchLine *line = g_ptr_array_index (lines, l);

      for (guint i = 0; i < line->n_items; i++)
        {
          guint index;
          gboolean known = items != NULL && pw_items_lookup (items, line->items[i], &index);

          append_field (out, line->user_id);
          g_string_append_printf (out, ",%u,", i + 1);
          append_field (out, line->items[i]);
          g_string_append_c (out, ',');
          if (line->scores != NULL)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (out, g_ascii_dtostr (buf, sizeof buf, line->scores[i]));
            }
          g_string_append_c (out, ',');
          append_field (out, known ? pw_items_get_title (items, index) : NULL);
          g_string_append_c (out, ',');
          append_field (out, known ? pw_items_get_genres (items, index) : NULL);
          g_string_append_c (out, '\n');
        }
    }
  return g_file_set_contents_full (path, out->str, (gssize) out->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

const char *
pw_workshop_get_batch_output (PwWorkshop *self)
{
  JsonObject *batch;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  if (pw_workshop_get_step_state (self, PW_WORKSHOP_STEP_BATCH) != PW_WORKSHOP_STEP_STATE_COMPLETE ||
      !json_object_has_member (pw_workshop_get_results (self), "batch") ||
      (batch = json_object_get_object_member (pw_workshop_get_results (self), "batch")) == NULL)
    return NULL;
  return json_object_get_string_member_with_default (batch, "output", NULL);
}

/* ---------------------------------------------------------------------
 * The step (worker)
 * --------------------------------------------------------------------- */

/* The real USER_IDs of the training file, in order of first appearance. */
static gboolean
write_input (PwWorkshopRun  *run,
             const char     *path,
             guint          *out_users,
             GError        **error)
{
  g_autofree char *training = g_build_filename (run->output_dir, "training_interaction.csv", NULL);
  g_autoptr(PwInteractions) t = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  t = pw_interactions_read_csv (training, PW_READ_NONE, NULL, run->cancellable, error);
  if (t == NULL)
    return FALSE;
  if (t->n_users == 0)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA, _("%s has no users."), training);
      return FALSE;
    }
  for (guint u = 0; u < t->n_users; u++)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), pw_interactions_get_user_id (t, u));
      g_autofree char *quoted = json_to_string (node, FALSE);

      g_string_append_printf (text, "{\"userId\": %s}\n", quoted);
    }
  *out_users = t->n_users;
  return g_file_set_contents_full (path, text->str, (gssize) text->len, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                   error);
}

/* A batch job writes its output into the bucket: the bucket policy the
 * Dataset group step set lets Personalize read only; this one (replacing
 * it) also lets it write (spec/personalize-api.md 6: s3:GetObject,
 * s3:ListBucket, s3:PutObject). */
static gboolean
allow_batch_writes (PwWorkshopRun  *run,
                    const char     *bucket,
                    GError        **error)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *policy = NULL;

  policy = g_strdup_printf ("{\"Version\": \"2012-10-17\", \"Id\": \"PersonalizeS3BucketAccessPolicy\", "
                            "\"Statement\": [{\"Sid\": \"PersonalizeS3BucketAccessPolicy\", \"Effect\": \"Allow\", "
                            "\"Principal\": {\"Service\": \"personalize.amazonaws.com\"}, "
                            "\"Action\": [\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObject\"], "
                            "\"Resource\": [\"arn:aws:s3:::%s\", \"arn:aws:s3:::%s/*\"]}]}", bucket, bucket);
  json_object_set_string_member (input, "Bucket", bucket);
  json_object_set_string_member (input, "Policy", policy);
  pw_workshop_run_progress (run, -1, _("Letting Amazon Personalize write the batch output"));
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_S3, "PutBucketPolicy", input, error);
  if (out == NULL)
    {
      g_prefix_error (error, _("Setting the policy of the bucket “%s”: "), bucket);
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_workshop_steps_batch (PwWorkshopRun  *run,
                         GError        **error)
{
  gint g = run->generation[PW_WORKSHOP_STEP_BATCH];
  PwWorkshopResource *bucket_r = pw_workshop_steps_find (run, PW_RESOURCE_BUCKET, NULL, NULL, NULL, -1);
  PwWorkshopResource *dsg = pw_workshop_steps_find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  PwWorkshopResource *solution = NULL, *version = NULL, *object, *job;
  g_autofree char *input_path = NULL;
  g_autofree char *output_path = NULL;
  g_autofree char *input_key = NULL;
  g_autofree char *output_prefix = NULL;
  g_autofree char *output_key = NULL;
  g_autofree char *s3_input = NULL;
  g_autofree char *s3_output = NULL;
  g_autofree char *job_name = NULL;
  g_autofree char *local_role = NULL;
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(GPtrArray) lines = NULL;
  JsonObject *source, *destination, *wrap;
  const char *bucket, *role;
  guint n_users = 0;

  if (dsg != NULL)
    solution = pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION, NULL, UP_RECIPE_ARN,
                                       pw_workshop_resource_get_arn (dsg), -1);
  if (solution != NULL)
    version = pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION_VERSION, NULL, NULL,
                                      pw_workshop_resource_get_arn (solution),
                                      run->generation[PW_WORKSHOP_STEP_TRAINING]);
  if (bucket_r == NULL || version == NULL || pw_workshop_resource_get_status (version) != PW_RESOURCE_STATUS_ACTIVE)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("Train user-personalization first: the batch job uses its solution version."));
      return FALSE;
    }
  if (run->output_dir == NULL)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("Prepare the data first."));
      return FALSE;
    }
  bucket = pw_workshop_resource_get_name (bucket_r);

  /* 1. The input: every real USER_ID (the notebook sent row numbers). */
  pw_workshop_run_progress (run, 0.05, _("Writing the batch input"));
  input_path = g_build_filename (run->output_dir, BATCH_INPUT_FILE, NULL);
  if (!write_input (run, input_path, &n_users, error))
    return FALSE;

  /* 2. Upload, recorded first. */
  input_key = g_strdup_printf ("batch/input-%s-%d.json", run->suffix, g);
  object = pw_workshop_steps_find (run, PW_RESOURCE_OBJECT, "BATCH_INPUT", NULL, bucket, g);
  if (object == NULL || g_strcmp0 (pw_workshop_resource_get_name (object), input_key) != 0)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

      change.detail = "BATCH_INPUT";
      change.parent_arn = bucket;
      if ((object = pw_workshop_run_add (run, PW_RESOURCE_OBJECT, input_key, &change, error)) == NULL)
        return FALSE;
    }
  pw_workshop_run_progress (run, 0.1, _("Uploading the batch input"));
  if (!pw_workshop_steps_record_status (run, object, PW_RESOURCE_STATUS_CREATING, NULL, error) ||
      !pw_workshop_run_put_object (run, bucket, input_key, input_path, error) ||
      !pw_workshop_steps_record_status (run, object, PW_RESOURCE_STATUS_ACTIVE, NULL, error))
    return FALSE;

  /* 3. The job, recorded before the call, waited for. */
  output_prefix = g_strdup_printf ("batch/output-%s-%d/", run->suffix, g);
  s3_input = g_strdup_printf ("s3://%s/%s", bucket, input_key);
  s3_output = g_strdup_printf ("s3://%s/%s", bucket, output_prefix);
  role = pw_workshop_steps_role_arn (run);
  if (run->backend == PW_WORKSHOP_BACKEND_AWS && !allow_batch_writes (run, bucket, error))
    return FALSE;
  if (role == NULL)
    {
      if (run->backend == PW_WORKSHOP_BACKEND_AWS)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                       _("The workshop's IAM role is missing: run the Dataset group step again."));
          return FALSE;
        }
      /* The local engine checks the ARN's form only. */
      local_role = g_strdup ("arn:aws:iam::123456789012:role/" PW_WORKSHOP_NAME_PREFIX "local");
      role = local_role;
    }
  json_object_set_string_member (input, "solutionVersionArn", pw_workshop_resource_get_arn (version));
  source = json_object_new ();
  json_object_set_string_member (source, "path", s3_input);
  wrap = json_object_new ();
  json_object_set_object_member (wrap, "s3DataSource", source);
  json_object_set_object_member (input, "jobInput", wrap);
  destination = json_object_new ();
  json_object_set_string_member (destination, "path", s3_output);
  wrap = json_object_new ();
  json_object_set_object_member (wrap, "s3DataDestination", destination);
  json_object_set_object_member (input, "jobOutput", wrap);
  json_object_set_string_member (input, "roleArn", role);
  json_object_set_int_member (input, "numResults", BATCH_NUM_RESULTS);
  job_name = g_strdup_printf ("%sbatch-%s-%d", PW_WORKSHOP_NAME_PREFIX, run->suffix, g);
  pw_workshop_run_progress (run, 0.2, _("Running the batch inference job"));
  job = pw_workshop_steps_ensure_active (run, PW_RESOURCE_BATCH_JOB, job_name, NULL, UP_RECIPE_ARN,
                                         pw_workshop_resource_get_arn (version), g, input, error);
  if (job == NULL)
    return FALSE;

  /* 4. The output: INPUT NAME + ".out" under the output path. */
  pw_workshop_run_progress (run, 0.85, _("Downloading the batch output"));
  output_key = g_strdup_printf ("%s%s.out", output_prefix, strrchr (input_key, '/') + 1);
  output_path = g_build_filename (run->output_dir, BATCH_OUTPUT_FILE, NULL);
  object = pw_workshop_steps_find (run, PW_RESOURCE_OBJECT, "BATCH_OUTPUT", NULL, bucket, g);
  if (object == NULL || g_strcmp0 (pw_workshop_resource_get_name (object), output_key) != 0)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

      /* Made by the job: recorded so that cleanup knows it (the bucket's
       * whole content is deleted anyway). */
      change.detail = "BATCH_OUTPUT";
      change.parent_arn = bucket;
      change.status = PW_RESOURCE_STATUS_ACTIVE;
      if ((object = pw_workshop_run_add (run, PW_RESOURCE_OBJECT, output_key, &change, error)) == NULL)
        return FALSE;
    }
  if (!pw_workshop_run_get_object (run, bucket, output_key, output_path, error))
    {
      g_prefix_error (error, _("Downloading s3://%s/%s: "), bucket, output_key);
      return FALSE;
    }
  if ((lines = pw_workshop_batch_parse (output_path, error)) == NULL)
    return FALSE;
  if (lines->len != n_users)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_RESOURCE_FAILED,
                   _("The batch output has %u lines for %u users."), lines->len, n_users);
      return FALSE;
    }

  json_object_set_int_member (record, "generation", g);
  json_object_set_string_member (record, "job_arn", pw_workshop_resource_get_arn (job));
  json_object_set_string_member (record, "version_arn", pw_workshop_resource_get_arn (version));
  json_object_set_string_member (record, "input", input_path);
  json_object_set_string_member (record, "output", output_path);
  json_object_set_string_member (record, "output_key", output_key);
  json_object_set_int_member (record, "users", n_users);
  if (!pw_workshop_run_set_result (run, "batch", record, error))
    return FALSE;
  pw_workshop_run_progress (run, 1.0, _("The batch output is ready"));
  return TRUE;
}
