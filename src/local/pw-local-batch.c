/* pw-local-batch.c: personalize-local's control plane: batch inference jobs
 *
 * The operations run with the store's lock held (pw-local-personalize.c
 * dispatches to them); see pw-local-personalize.c for the lifecycles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <math.h>
#include <string.h>

#include "pw-local-control-private.h"
#include "pw-local-store.h"

/* ---- batch inference ---- */

gboolean
pw_local_op_create_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  JsonObject *job_input = json_object_get_object_member (in, "jobInput");
  JsonObject *job_output = json_object_get_object_member (in, "jobOutput");
  JsonNode *source = json_object_get_member (job_input, "s3DataSource");
  JsonNode *destination = json_object_get_member (job_output, "s3DataDestination");
  const char *mode = pw_local_get_str (in, "batchInferenceJobMode");
  const char *input_path;
  const char *output_path;
  g_autofree char *arn = NULL;
  PwLocalResource *version;
  PwLocalResource *r;
  gint64 num_results = 25;

  if (!pw_local_check_name (in, "jobName", error) || !pw_local_check_role_arn (in, "roleArn", error) || !pw_local_check_tags (in, error))
    return FALSE;
  if (source == NULL || !JSON_NODE_HOLDS_OBJECT (source) || destination == NULL
      || !JSON_NODE_HOLDS_OBJECT (destination))
    {
      pw_local_invalid_input (error, "jobInput.s3DataSource and jobOutput.s3DataDestination are required objects "
                              "with a \"path\"");
      return FALSE;
    }
  input_path = pw_local_get_str (json_node_get_object (source), "path");
  output_path = pw_local_get_str (json_node_get_object (destination), "path");
  if (!pw_local_check_s3_path (input_path, "jobInput.s3DataSource.path", error)
      || !pw_local_check_s3_path (output_path, "jobOutput.s3DataDestination.path", error))
    return FALSE;
  if (mode != NULL && strcmp (mode, "BATCH_INFERENCE") != 0)
    {
      pw_local_invalid_input (error, "batchInferenceJobMode %s is not supported by personalize-local; use "
                              "BATCH_INFERENCE", mode);
      return FALSE;
    }
  if (pw_local_get_str (in, "filterArn") != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist (personalize-local has no filters).", pw_local_get_str (in, "filterArn"));
      return FALSE;
    }
  if (json_object_has_member (in, "numResults") && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "numResults")))
    {
      num_results = json_object_get_int_member (in, "numResults");
      if (num_results < 1 || num_results > 500)
        {
          pw_local_invalid_input (error, "numResults %" G_GINT64_FORMAT " must be between 1 and 500", num_results);
          return FALSE;
        }
    }
  if (json_object_has_member (in, "batchInferenceJobConfig")
      && !pw_local_check_exploration (json_object_get_object_member (in, "batchInferenceJobConfig"), error))
    return FALSE;
  if (!pw_local_check_arn (in, "solutionVersionArn", error)
      || (version = pw_local_lookup (self, pw_local_get_str (in, "solutionVersionArn"), PW_LOCAL_KIND_SOLUTION_VERSION,
                                     error)) == NULL
      || !pw_local_require_active (version, "Solution version", error))
    return FALSE;
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_BATCH_JOB, pw_local_get_str (in, "jobName"));
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_BATCH_JOB, arn);
  json_object_set_string_member (r->obj, "jobName", pw_local_get_str (in, "jobName"));
  json_object_set_string_member (r->obj, "batchInferenceJobArn", arn);
  json_object_set_string_member (r->obj, "solutionVersionArn", version->arn);
  json_object_set_int_member (r->obj, "numResults", num_results);
  pw_local_copy_member (r->obj, in, "jobInput");
  pw_local_copy_member (r->obj, in, "jobOutput");
  pw_local_copy_member (r->obj, in, "batchInferenceJobConfig");
  pw_local_copy_member (r->obj, in, "roleArn");
  json_object_set_string_member (r->obj, "batchInferenceJobMode", "BATCH_INFERENCE");
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  pw_local_respond_string (response, "batchInferenceJobArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_BATCH_JOB, "batchInferenceJob", response, error);
}

gboolean
pw_local_op_list_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "batchInferenceJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason",
    "solutionVersionArn", "batchInferenceJobMode", NULL };

  if (!pw_local_check_arn (in, "solutionVersionArn", error))
    return FALSE;
  return pw_local_list_page (self, PW_LOCAL_KIND_BATCH_JOB, in, "solutionVersionArn", pw_local_get_str (in, "solutionVersionArn"),
               "batchInferenceJobs", fields, response, error);
}
