/* test-workshop-leftovers.c: "Find leftovers" and adopting them, against
 * personalize-local started by the workshop: S3 buckets (ListBuckets) and
 * IAM roles (ListRoles) with the workshop's prefix are found beside the
 * Personalize resources, others are not; adopted leftovers are deleted by
 * the CLEANUP step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <string.h>

#include "pw-workshop.h"
#include "pw-workshop-test-utils.h"

static char *tmp_root;

static GListModel *
find_leftovers (PwWorkshop *w)
{
  PwTestWait wait = { NULL };
  g_autoptr(GError) error = NULL;
  GListModel *found;

  pw_workshop_find_leftovers_async (w, NULL, pw_test_wait_cb, &wait);
  found = pw_workshop_find_leftovers_finish (w, pw_test_wait_result (&wait), &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return found;
}

static JsonObject *
call (PwWorkshop   *w,
      PwAwsService  service,
      const char   *operation,
      JsonObject   *input,
      GError      **error)
{
  PwTestWait wait = { NULL };
  JsonObject *out;

  pw_aws_client_call_async (pw_workshop_get_client (w), service, operation, input, NULL, pw_test_wait_cb, &wait);
  out = pw_aws_client_call_finish (pw_workshop_get_client (w), pw_test_wait_result (&wait), error);
  g_object_unref (wait.result);
  return out;
}

static void
call_ok (PwWorkshop   *w,
         PwAwsService  service,
         const char   *operation,
         JsonObject   *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) out = call (w, service, operation, input, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
}

/* call_ok() with an input of string members: name, value, ..., NULL. */
static void
call_ok_with (PwWorkshop   *w,
              PwAwsService  service,
              const char   *operation,
              ...)
{
  g_autoptr(JsonObject) input = json_object_new ();
  const char *name;
  va_list args;

  va_start (args, operation);
  while ((name = va_arg (args, const char *)) != NULL)
    json_object_set_string_member (input, name, va_arg (args, const char *));
  va_end (args);
  call_ok (w, service, operation, input);
}

static PwWorkshopResource *
find_named (GListModel     *list,
            PwResourceKind  kind,
            const char     *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (pw_workshop_resource_get_kind (r) == kind && g_strcmp0 (pw_workshop_resource_get_name (r), name) == 0)
        return r;
    }
  return NULL;
}

/* The names ListBuckets and ListRoles give now, one per line. */
static char *
listed_names (PwWorkshop *w)
{
  g_autoptr(JsonObject) none = json_object_new ();
  g_autoptr(JsonObject) buckets = NULL, roles = NULL;
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new ("\n");
  JsonArray *array;

  buckets = call (w, PW_AWS_SERVICE_S3, "ListBuckets", none, &error);
  g_assert_no_error (error);
  array = json_object_get_array_member (buckets, "Buckets");
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (out, "bucket:%s\n",
                            json_object_get_string_member (json_array_get_object_element (array, i), "Name"));
  roles = call (w, PW_AWS_SERVICE_IAM, "ListRoles", none, &error);
  g_assert_no_error (error);
  array = json_object_get_array_member (roles, "Roles");
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (out, "role:%s\n",
                            json_object_get_string_member (json_array_get_object_element (array, i), "RoleName"));
  return g_string_free (out, FALSE);
}

/* A workshop on its own personalize-local, and resources made outside it
 * through the client, as an earlier run would have left them. */
static PwWorkshop *
setup (const char *name)
{
  g_autofree char *state = g_build_filename (tmp_root, name, "workshop.json", NULL);
  g_autofree char *local = g_build_filename (tmp_root, name, "local", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  PwWorkshop *w;
  const char *trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                      "\"Principal\":{\"Service\":\"personalize.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  w = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, "local-data-dir", local,
                      "local-step-ms", 20, NULL);
  g_assert_no_error (error);

  /* Nothing yet (this starts the embedded server and the client). */
  found = find_leftovers (w);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
  g_assert_nonnull (pw_workshop_get_client (w));

  call_ok_with (w, PW_AWS_SERVICE_S3, "CreateBucket", "Bucket", "pw-workshop-leftover1", NULL);
  call_ok_with (w, PW_AWS_SERVICE_S3, "PutObject", "Bucket", "pw-workshop-leftover1",
                "Key", "training_interaction.csv", "Body", "USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n", NULL);
  call_ok_with (w, PW_AWS_SERVICE_S3, "CreateBucket", "Bucket", "someone-elses-bucket", NULL);
  call_ok_with (w, PW_AWS_SERVICE_IAM, "CreateRole", "RoleName", "pw-workshop-role-leftover1",
                "AssumeRolePolicyDocument", trust, NULL);
  call_ok_with (w, PW_AWS_SERVICE_IAM, "AttachRolePolicy", "RoleName", "pw-workshop-role-leftover1",
                "PolicyArn", "arn:aws:iam::aws:policy/AmazonS3FullAccess", NULL);
  call_ok_with (w, PW_AWS_SERVICE_IAM, "CreateRole", "RoleName", "someone-elses-role",
                "AssumeRolePolicyDocument", trust, NULL);
  call_ok_with (w, PW_AWS_SERVICE_PERSONALIZE, "CreateDatasetGroup", "name", "pw-workshop-dsg-leftover1", NULL);
  return w;
}

/* Found: the prefixed bucket and role beside the dataset group; not the others. */
static GListModel *
find_and_check (PwWorkshop *w)
{
  GListModel *found = find_leftovers (w);

  g_assert_nonnull (find_named (found, PW_RESOURCE_BUCKET, "pw-workshop-leftover1"));
  g_assert_nonnull (find_named (found, PW_RESOURCE_ROLE, "pw-workshop-role-leftover1"));
  g_assert_nonnull (pw_workshop_resource_get_arn (find_named (found, PW_RESOURCE_ROLE, "pw-workshop-role-leftover1")));
  g_assert_nonnull (find_named (found, PW_RESOURCE_DATASET_GROUP, "pw-workshop-dsg-leftover1"));
  g_assert_null (find_named (found, PW_RESOURCE_BUCKET, "someone-elses-bucket"));
  g_assert_null (find_named (found, PW_RESOURCE_ROLE, "someone-elses-role"));
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (pw_workshop_get_resources (w)), ==, 0);
  return found;
}

static void
test_find (void)
{
  g_autoptr(PwWorkshop) w = setup ("find");
  g_autoptr(GListModel) found = find_and_check (w);
  g_autofree char *names = listed_names (w);

  /* ListBuckets and ListRoles themselves, through the client. */
  g_assert_nonnull (strstr (names, "\nbucket:pw-workshop-leftover1\n"));
  g_assert_nonnull (strstr (names, "\nbucket:someone-elses-bucket\n"));
  g_assert_nonnull (strstr (names, "\nrole:pw-workshop-role-leftover1\n"));
  g_assert_nonnull (strstr (names, "\nrole:someone-elses-role\n"));
  pw_workshop_shutdown (w);
}

/* Adopted leftovers are recorded in the state and deleted by Cleanup. */
static void
test_adopt_cleanup (void)
{
  g_autoptr(PwWorkshop) w = setup ("adopt");
  g_autoptr(GListModel) found = find_and_check (w);
  g_autoptr(GListModel) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;
  PwTestWait wait = { NULL };
  guint adopted = 0;

  g_assert_true (pw_workshop_adopt_leftovers (w, found, &adopted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (adopted, ==, 3);
  g_assert_cmpuint (pw_workshop_count_live (w), ==, 3);
  g_assert_true (g_file_get_contents (pw_workshop_get_state_file (w), &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "pw-workshop-leftover1"));
  g_assert_nonnull (strstr (text, "pw-workshop-role-leftover1"));
  g_assert_nonnull (strstr (text, "pw-workshop-dsg-leftover1"));
  /* Adopting again adds nothing. */
  g_assert_true (pw_workshop_adopt_leftovers (w, found, &adopted, &error));
  g_assert_cmpuint (adopted, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (pw_workshop_get_resources (w)), ==, 3);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CLEANUP), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);

  /* Cleanup deletes them (the bucket with its object, the role with its policy). */
  pw_workshop_run_step_async (w, PW_WORKSHOP_STEP_CLEANUP, NULL, pw_test_wait_cb, &wait);
  g_assert_true (pw_workshop_run_step_finish (w, pw_test_wait_result (&wait), &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (pw_workshop_count_live (w), ==, 0);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CLEANUP), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

  names = listed_names (w);
  g_assert_null (strstr (names, "pw-workshop-"));
  g_assert_nonnull (strstr (names, "\nbucket:someone-elses-bucket\n"));
  g_assert_nonnull (strstr (names, "\nrole:someone-elses-role\n"));
  again = find_leftovers (w);
  g_assert_cmpuint (g_list_model_get_n_items (again), ==, 0);
  pw_workshop_shutdown (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = pw_test_workshop_env_init ("test-workshop-leftovers-XXXXXX");

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workshop-leftovers/find", test_find);
  g_test_add_func ("/workshop-leftovers/adopt-cleanup", test_adopt_cleanup);
  status = g_test_run ();

  pw_test_workshop_env_done (tmp_root, status);
  return status;
}
