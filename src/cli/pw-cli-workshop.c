/* pw-cli-workshop.c: `personalize-workshop-cli run-all`, `cleanup` and
 * `status`: the workshop's steps without a display, through PwWorkshop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "pw-aws.h"
#include "pw-cli.h"
#include "pw-data.h"
#include "pw-workshop.h"

typedef struct
{
  PwWorkshop *workshop;
  gboolean    quiet;
  char       *last_message;
  gint64      last_print;
} Printer;

/* ---------------------------------------------------------------------
 * Printing what happens
 * --------------------------------------------------------------------- */

static void
print_resource (PwWorkshopResource *r)
{
  const char *reason = pw_workshop_resource_get_failure_reason (r);

  g_printerr ("  %-20s %-50s %s%s%s\n", pw_resource_kind_get_title (pw_workshop_resource_get_kind (r)),
              pw_workshop_resource_get_name (r),
              pw_resource_status_get_title (pw_workshop_resource_get_status (r)),
              reason != NULL ? ": " : "", reason != NULL ? reason : "");
}

static void
status_changed_cb (PwWorkshopResource *r,
                   GParamSpec         *pspec,
                   Printer            *p)
{
  if (!p->quiet)
    print_resource (r);
}

static void
resource_added_cb (PwWorkshop         *workshop,
                   PwWorkshopResource *r,
                   Printer            *p)
{
  g_signal_connect (r, "notify::status", G_CALLBACK (status_changed_cb), p);
  if (!p->quiet)
    print_resource (r);
}

static void
message_changed_cb (PwWorkshop *workshop,
                    GParamSpec *pspec,
                    Printer    *p)
{
  const char *message = pw_workshop_get_progress_message (workshop);

  double fraction = pw_workshop_get_progress_fraction (workshop);
  gint64 now = g_get_monotonic_time ();

  if (p->quiet || message == NULL || g_strcmp0 (message, p->last_message) == 0)
    return;
  /* Transfers report often: at most one line a second until done. */
  if (fraction > 0 && fraction < 1 && now - p->last_print < G_USEC_PER_SEC)
    return;
  p->last_print = now;
  g_free (p->last_message);
  p->last_message = g_strdup (message);
  g_printerr ("%s\n", message);
}

static void
printer_attach (Printer    *p,
                PwWorkshop *workshop,
                gboolean    quiet)
{
  GListModel *resources = pw_workshop_get_resources (workshop);

  p->workshop = workshop;
  p->quiet = quiet;
  g_signal_connect (workshop, "resource-added", G_CALLBACK (resource_added_cb), p);
  g_signal_connect (workshop, "notify::progress-message", G_CALLBACK (message_changed_cb), p);
  for (guint i = 0; i < g_list_model_get_n_items (resources); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (resources, i);

      g_signal_connect (r, "notify::status", G_CALLBACK (status_changed_cb), p);
    }
}

static void
printer_clear (Printer *p)
{
  GListModel *resources;

  if (p->workshop == NULL)
    return;
  resources = pw_workshop_get_resources (p->workshop);
  for (guint i = 0; i < g_list_model_get_n_items (resources); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (resources, i);

      g_signal_handlers_disconnect_by_data (r, p);
    }
  g_signal_handlers_disconnect_by_data (p->workshop, p);
  g_clear_pointer (&p->last_message, g_free);
}

/* ---------------------------------------------------------------------
 * Running a step with a main loop (the workshop has no sync API)
 * --------------------------------------------------------------------- */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static gboolean
run_step (PwWorkshop      *workshop,
          PwWorkshopStep   step,
          GError         **error)
{
  Wait w = { g_main_loop_new (NULL, FALSE), NULL };
  gboolean ok;

  pw_workshop_run_step_async (workshop, step, NULL, wait_done_cb, &w);
  if (w.result == NULL)
    g_main_loop_run (w.loop);
  ok = pw_workshop_run_step_finish (workshop, w.result, error);
  g_object_unref (w.result);
  g_main_loop_unref (w.loop);
  return ok;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  PwWorkshop *workshop = user_data;

  g_printerr ("%s\n", _("Interrupted: stopping; everything made so far stays recorded in the state file."));
  g_cancellable_cancel (pw_workshop_get_cancellable (workshop));
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------
 * Setup shared by the subcommands
 * --------------------------------------------------------------------- */

typedef struct
{
  char     *state;
  char     *local_data_dir;
  int       local_step_ms;
  char     *profile;
  char     *region;
  char     *endpoint_url;
  gboolean  quiet;
} CommonOptions;

static void
common_options_clear (CommonOptions *o)
{
  g_free (o->state);
  g_free (o->local_data_dir);
  g_free (o->profile);
  g_free (o->region);
  g_free (o->endpoint_url);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommonOptions, common_options_clear)

static void
add_common_entries (GOptionContext *context,
                    CommonOptions  *o,
                    gboolean        aws)
{
  GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &o->state,
      N_("The workshop state file (default: the application’s)"), N_("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, N_("Print no progress"), NULL },
    /* For tests: where the embedded engine keeps its data, and its pace. */
    { "local-data-dir", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &o->local_data_dir, NULL, NULL },
    { "local-step-ms", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &o->local_step_ms, NULL, NULL },
    { NULL }
  };
  GOptionEntry aws_entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &o->profile,
      N_("AWS: a profile of ~/.aws/config and ~/.aws/credentials, or of the keyring"), N_("PROFILE") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &o->region, N_("AWS: the region"), N_("REGION") },
    { "endpoint-url", 0, 0, G_OPTION_ARG_STRING, &o->endpoint_url,
      N_("AWS: send every request to URL"), N_("URL") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  if (aws)
    g_option_context_add_main_entries (context, aws_entries, PW_GETTEXT_PACKAGE);
}

static PwWorkshop *
open_workshop (CommonOptions  *o,
               GError        **error)
{
  if (o->local_step_ms < 0 || o->local_step_ms > 60000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--local-step-ms must be 0 to 60000"));
      return NULL;
    }
  return g_initable_new (PW_TYPE_WORKSHOP, NULL, error,
                         "state-file", o->state,
                         "local-data-dir", o->local_data_dir,
                         "local-step-ms", (guint) o->local_step_ms,
                         NULL);
}

/* The AWS configuration as the AWS CLI resolves it, then the keyring. */
static PwAwsConfig *
resolve_aws (CommonOptions  *o,
             const char     *default_region,
             GError        **error)
{
  g_autoptr(PwAwsConfig) config = pw_aws_config_resolve_full (o->profile, o->region, o->endpoint_url,
                                                               PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE, error);

  if (config == NULL)
    return NULL;
  if (config->region == NULL && default_region != NULL)
    config->region = g_strdup (default_region);
  if (config->credentials == NULL)
    {
      g_autoptr(GError) keyring_error = NULL;
      g_autoptr(PwAwsCredentials) creds = pw_aws_keyring_lookup (config->profile, NULL, &keyring_error);

      if (creds != NULL)
        pw_aws_config_set_credentials (config, creds);
    }
  return g_steal_pointer (&config);
}

static gboolean
choose_backend (PwWorkshop         *workshop,
                PwWorkshopBackend   backend,
                CommonOptions      *o,
                GError            **error)
{
  g_autoptr(PwAwsConfig) config = NULL;

  if (backend == PW_WORKSHOP_BACKEND_AWS)
    {
      config = resolve_aws (o, pw_workshop_get_backend (workshop) == PW_WORKSHOP_BACKEND_AWS
                               ? pw_workshop_get_region (workshop) : NULL, error);
      if (config == NULL)
        return FALSE;
    }
  return pw_workshop_set_backend (workshop, backend, config, error);
}

/* ---------------------------------------------------------------------
 * Tables
 * --------------------------------------------------------------------- */

static void
print_metrics (PwWorkshop *workshop)
{
  static const char * const labels[] = { "coverage", "MRR@25", "NDCG@5", "NDCG@10", "NDCG@25", "P@5", "P@10", "P@25" };
  g_auto(GStrv) recipes = pw_workshop_dup_trained_recipes (workshop);
  const char * const *names = pw_workshop_get_metric_names (NULL);

  g_print ("\n%s\n", _("Offline metrics of the solution versions:"));
  g_print ("%-26s", _("recipe"));
  for (guint k = 0; k < G_N_ELEMENTS (labels); k++)
    g_print (" %8s", labels[k]);
  g_print ("\n");
  for (guint i = 0; recipes[i] != NULL; i++)
    {
      g_print ("%-26s", recipes[i]);
      for (guint k = 0; names[k] != NULL; k++)
        {
          double v;

          if (pw_workshop_get_metric (workshop, recipes[i], names[k], &v))
            g_print (" %8.4f", v);
          else
            g_print (" %8s", "-");
        }
      g_print ("\n");
    }
}

static void
print_state (PwWorkshop *workshop)
{
  GListModel *resources = pw_workshop_get_resources (workshop);
  guint n = g_list_model_get_n_items (resources);

  g_print (_("State file: %s\n"), pw_workshop_get_state_file (workshop));
  g_print (_("Back end: %s, region %s\n"), pw_workshop_backend_to_string (pw_workshop_get_backend (workshop)),
           pw_workshop_get_region (workshop));
  g_print ("\n%-26s %s\n", _("step"), _("state"));
  for (guint s = 0; s < PW_WORKSHOP_N_STEPS; s++)
    {
      const char *state;

      switch (pw_workshop_get_step_state (workshop, s))
        {
        case PW_WORKSHOP_STEP_STATE_NOT_BUILT: state = _("not built yet"); break;
        case PW_WORKSHOP_STEP_STATE_COMPLETE: state = _("complete"); break;
        case PW_WORKSHOP_STEP_STATE_RUNNING: state = _("running"); break;
        case PW_WORKSHOP_STEP_STATE_INCOMPLETE:
        default:
          state = _("incomplete");
        }
      g_print ("%-26s %s\n", pw_workshop_step_get_title (s), state);
    }

  g_print ("\n%-22s %-10s %-20s %s\n", _("kind"), _("status"), _("created"), _("name / ARN"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (resources, i);
      g_autofree char *created = g_date_time_format (pw_workshop_resource_get_created (r), "%Y-%m-%d %H:%M:%S");
      const char *reason = pw_workshop_resource_get_failure_reason (r);

      g_print ("%-22s %-10s %-20s %s\n", pw_resource_kind_to_string (pw_workshop_resource_get_kind (r)),
               pw_resource_status_to_string (pw_workshop_resource_get_status (r)), created,
               pw_workshop_resource_get_name (r));
      if (pw_workshop_resource_get_arn (r) != NULL)
        g_print ("%-54s %s\n", "", pw_workshop_resource_get_arn (r));
      if (reason != NULL)
        g_print ("%-54s %s %s\n", "", _("reason:"), reason);
    }
  if (n == 0)
    g_print ("%s\n", _("(no resources)"));
  g_print (_("%u of %u resources live\n"), pw_workshop_count_live (workshop), n);
}

/* ---------------------------------------------------------------------
 * Subcommands
 * --------------------------------------------------------------------- */

static int
fail (const char   *command,
      const GError *error)
{
  g_printerr ("%s: %s\n", command, error->message);
  return 1;
}

static gboolean
parse (GOptionContext  *context,
       int             *argc,
       char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", (*argv)[0], error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), (*argv)[0], (*argv)[1]);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GMainLoop *loop;
  char     **items;
  GError    *error;
} Recs;

static void
recs_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Recs *r = user_data;

  if (g_object_get_data (source, "pw-similar") != NULL)
    r->items = pw_workshop_similar_items_finish (PW_WORKSHOP (source), result, NULL, &r->error);
  else
    r->items = pw_workshop_recommend_finish (PW_WORKSHOP (source), result, NULL, &r->error);
  g_main_loop_quit (r->loop);
}

static gboolean
print_recommendations (PwWorkshop       *workshop,
                       PwPrepareResult  *data,
                       GError          **error)
{
  const char *user = PW_SYNTHETIC_THRILLER_FAN;
  const char *item = "1";
  guint index;

  /* The workshop's user and Toy Story when the data has them, else the
   * first user and item of the data. */
  if (!pw_interactions_lookup_user (data->interactions, user, &index) && data->interactions->n_users > 0)
    user = pw_interactions_get_user_id (data->interactions, 0);
  if (!pw_interactions_lookup_item (data->interactions, item, &index) && data->interactions->n_items > 0)
    item = pw_interactions_get_item_id (data->interactions, 0);

  for (guint pass = 0; pass < 2; pass++)
    {
      Recs r = { g_main_loop_new (NULL, FALSE), NULL, NULL };

      g_object_set_data (G_OBJECT (workshop), "pw-similar", pass == 1 ? GINT_TO_POINTER (1) : NULL);
      if (pass == 0)
        pw_workshop_recommend_async (workshop, user, 10, NULL, recs_done_cb, &r);
      else
        pw_workshop_similar_items_async (workshop, item, 10, NULL, recs_done_cb, &r);
      g_main_loop_run (r.loop);
      g_main_loop_unref (r.loop);
      g_object_set_data (G_OBJECT (workshop), "pw-similar", NULL);
      if (r.items == NULL)
        {
          g_propagate_error (error, r.error);
          return FALSE;
        }
      if (pass == 0)
        g_print ("\n%s %s:", _("Recommendations for user"), user);
      else
        g_print ("\n%s %s:", _("Items similar to item"), item);
      for (guint i = 0; r.items[i] != NULL; i++)
        g_print (" %s", r.items[i]);
      g_print ("\n");
      g_strfreev (r.items);
    }
  return TRUE;
}

int
pw_cli_run_all (int    argc,
                char **argv)
{
  g_auto(CommonOptions) o = { 0 };
  g_autofree char *backend_s = NULL, *source = NULL, *input = NULL, *out = NULL, *recipes_s = NULL;
  gboolean keep = FALSE;
  int n_users = 0, n_items = 0, n_ratings = 0;
  GOptionEntry entries[] = {
    { "backend", 0, 0, G_OPTION_ARG_STRING, &backend_s, N_("local (default) or aws"), N_("BACKEND") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      N_("Where the data comes from: synthetic (default), ml-1m, ml-100k, ml-latest-small"), N_("SOURCE") },
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input, N_("The dataset folder (ml-*)"), N_("PATH") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_("Where the prepared files go (default: beside the state file)"), N_("DIR") },
    { "recipes", 0, 0, G_OPTION_ARG_STRING, &recipes_s,
      N_("Comma-separated recipes to train (default: the workshop’s four)"), N_("LIST") },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, N_("Keep the resources (no cleanup at the end)"), NULL },
    /* For tests and benchmarks: a smaller synthetic catalogue. */
    { "synthetic-users", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &n_users, NULL, NULL },
    { "synthetic-items", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &n_items, NULL, NULL },
    { "synthetic-ratings", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &n_ratings, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwWorkshop) workshop = NULL;
  g_autoptr(PwPrepareResult) prepared = NULL;
  PwWorkshopBackend backend = PW_WORKSHOP_BACKEND_LOCAL;
  PwPrepareOptions options;
  Printer printer = { 0 };
  guint sigint, sigterm;
  static const PwWorkshopStep steps[] = {
    PW_WORKSHOP_STEP_DATASET_GROUP, PW_WORKSHOP_STEP_TRAINING, PW_WORKSHOP_STEP_CAMPAIGNS,
  };

  g_option_context_set_summary (context, _("Run every built step of the workshop in order: connect, prepare the "
                                           "data, create the dataset group, train, deploy the campaigns, then "
                                           "clean up (unless --keep). Run it again with the same state file to "
                                           "resume."));
  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  add_common_entries (context, &o, TRUE);
  if (!parse (context, &argc, &argv))
    return 2;

  if (backend_s != NULL && !pw_workshop_backend_from_string (backend_s, &backend))
    {
      g_printerr (_("%s: --backend must be local or aws\n"), argv[0]);
      return 2;
    }
  pw_prepare_options_init (&options);
  if (source != NULL && (!pw_source_from_string (source, &options.source) || options.source == PW_SOURCE_CSV))
    {
      g_printerr (_("%s: --source must be one of synthetic, ml-1m, ml-100k, ml-latest-small\n"), argv[0]);
      return 2;
    }
  if (input != NULL && options.source == PW_SOURCE_SYNTHETIC)
    {
      g_printerr (_("%s: --input does not go with --source synthetic\n"), argv[0]);
      return 2;
    }
  if (n_users < 0 || n_items < 0 || n_ratings < 0)
    {
      g_printerr (_("%s: synthetic sizes must be positive\n"), argv[0]);
      return 2;
    }
  if (n_users > 0)
    options.synthetic.n_users = n_users;
  if (n_items > 0)
    options.synthetic.n_items = n_items;
  if (n_ratings > 0)
    options.synthetic.n_ratings = n_ratings;

  if ((workshop = open_workshop (&o, &error)) == NULL)
    return fail (argv[0], error);
  if (recipes_s != NULL)
    {
      g_auto(GStrv) recipes = g_strsplit (recipes_s, ",", -1);

      if (!pw_workshop_set_recipes_chosen (workshop, (const char * const *) recipes, &error))
        return fail (argv[0], error);
    }
  if (out == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (pw_workshop_get_state_file (workshop));

      out = g_build_filename (dir, "data", NULL);
    }

  printer_attach (&printer, workshop, o.quiet);
  sigint = g_unix_signal_add (SIGINT, interrupted_cb, workshop);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, workshop);

  /* Backend */
  if (!choose_backend (workshop, backend, &o, &error))
    goto failed;
  if (!o.quiet)
    g_printerr ("%s: %s\n", pw_workshop_step_get_title (PW_WORKSHOP_STEP_BACKEND),
                backend == PW_WORKSHOP_BACKEND_LOCAL ? _("the local engine") : _("AWS"));
  if (!run_step (workshop, PW_WORKSHOP_STEP_BACKEND, &error))
    goto failed;
  if (backend == PW_WORKSHOP_BACKEND_AWS && !o.quiet)
    g_printerr (_("Training and campaigns cost money on AWS; the cleanup at the end deletes them.\n"));

  /* Data */
  if (!o.quiet)
    g_printerr ("%s: %s\n", pw_workshop_step_get_title (PW_WORKSHOP_STEP_DATA), pw_source_to_string (options.source));
  options.input = input;
  options.output_dir = out;
  options.base_url = g_getenv ("PW_MOVIELENS_BASE_URL");
  if ((prepared = pw_prepare_run (&options, NULL, NULL, pw_workshop_get_cancellable (workshop), &error)) == NULL ||
      !pw_workshop_set_prepared (workshop, prepared, out, &error))
    goto failed;
  if (!o.quiet)
    g_printerr (_("%u training interactions, %u users, %u items\n"), prepared->split->n_training_rows,
                prepared->split->n_training_users, prepared->split->n_training_items);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      if (!o.quiet)
        g_printerr ("%s\n", pw_workshop_step_get_title (steps[i]));
      if (!run_step (workshop, steps[i], &error))
        goto failed;
    }
  print_metrics (workshop);
  if (!print_recommendations (workshop, prepared, &error))
    {
      /* The campaigns exist and are recorded; a list that fails to come
       * is reported, and the run goes on to clean up. */
      g_printerr (_("Recommendations could not be read: %s\n"), error->message);
      g_clear_error (&error);
    }
  for (guint s = 0; s < PW_WORKSHOP_N_STEPS; s++)
    if (!pw_workshop_step_is_built (s))
      g_print (_("Step “%s”: not built yet, skipped.\n"), pw_workshop_step_get_title (s));

  if (!keep)
    {
      if (!o.quiet)
        g_printerr ("%s\n", pw_workshop_step_get_title (PW_WORKSHOP_STEP_CLEANUP));
      if (!run_step (workshop, PW_WORKSHOP_STEP_CLEANUP, &error))
        goto failed;
      g_print (_("Cleanup done: %u resources live.\n"), pw_workshop_count_live (workshop));
    }
  else
    g_print (_("Kept %u resources; run “personalize-workshop-cli cleanup” to delete them.\n"),
             pw_workshop_count_live (workshop));

  g_source_remove (sigint);
  g_source_remove (sigterm);
  printer_clear (&printer);
  pw_workshop_shutdown (workshop);
  return 0;

failed:
  g_source_remove (sigint);
  g_source_remove (sigterm);
  printer_clear (&printer);
  pw_workshop_shutdown (workshop);
  g_printerr ("%s: %s\n", argv[0], error->message);
  if (pw_workshop_count_live (workshop) > 0)
    g_printerr (_("%u resources are recorded in %s: run again to continue, or “cleanup” to delete them.\n"),
                pw_workshop_count_live (workshop), pw_workshop_get_state_file (workshop));
  return 1;
}

int
pw_cli_cleanup (int    argc,
                char **argv)
{
  g_auto(CommonOptions) o = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwWorkshop) workshop = NULL;
  Printer printer = { 0 };
  gboolean ok;
  guint sigint;

  g_option_context_set_summary (context, _("Delete everything the workshop state file lists, in dependency order."));
  add_common_entries (context, &o, TRUE);
  if (!parse (context, &argc, &argv))
    return 2;
  if ((workshop = open_workshop (&o, &error)) == NULL)
    return fail (argv[0], error);
  if (pw_workshop_count_live (workshop) == 0)
    {
      g_print ("%s\n", _("Nothing is left to clean up."));
      return 0;
    }
  if (!choose_backend (workshop, pw_workshop_get_backend (workshop), &o, &error))
    return fail (argv[0], error);

  printer_attach (&printer, workshop, o.quiet);
  sigint = g_unix_signal_add (SIGINT, interrupted_cb, workshop);
  ok = run_step (workshop, PW_WORKSHOP_STEP_CLEANUP, &error);
  g_source_remove (sigint);
  printer_clear (&printer);
  pw_workshop_shutdown (workshop);
  if (!ok)
    return fail (argv[0], error);
  g_print (_("Cleanup done: %u resources live.\n"), pw_workshop_count_live (workshop));
  return 0;
}

int
pw_cli_status (int    argc,
               char **argv)
{
  g_auto(CommonOptions) o = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwWorkshop) workshop = NULL;

  g_option_context_set_summary (context, _("Print the workshop state file as a table."));
  add_common_entries (context, &o, FALSE);
  if (!parse (context, &argc, &argv))
    return 2;
  if ((workshop = open_workshop (&o, &error)) == NULL)
    return fail (argv[0], error);
  print_state (workshop);
  return 0;
}
