/* test-workshop-results.c: the results steps of the workflow (live events,
 * exploration, batch inference, population evaluation, per-user analysis)
 * through the local back end on loopback, on small synthetic data.
 *
 * The population evaluation made through the runtime API is compared with
 * the engine's own evaluation (pw_evaluate_validation()) of the very model
 * file the campaign serves, on the same validation file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pw-cli-engine.h"
#include "pw-data.h"
#include "pw-aws.h"
#include "pw-evaluation.h"
#include "pw-local-server.h"
#include "pw-model.h"
#include "pw-workshop.h"
#include "pw-workshop-test-utils.h"
#include "pw-workshop-batch.h"
#include "pw-workshop-data.h"
#include "pw-workshop-evaluate.h"
#include "pw-workshop-events.h"

static char *tmp_root;

static char **
recommend (PwWorkshop *w,
           const char *user,
           guint       n)
{
  PwTestWait wt = { NULL };
  g_autoptr(GError) error = NULL;
  char **items;

  pw_workshop_recommend_async (w, user, n, NULL, pw_test_wait_cb, &wt);
  items = pw_workshop_recommend_finish (w, pw_test_wait_result (&wt), NULL, &error);
  g_assert_no_error (error);
  g_object_unref (wt.result);
  return items;
}

static void
update_exploration (PwWorkshop *w,
                    double      weight)
{
  PwTestWait wt = { NULL };
  g_autoptr(GError) error = NULL;

  pw_workshop_update_exploration_async (w, weight, 30, NULL, pw_test_wait_cb, &wt);
  g_assert_true (pw_workshop_update_exploration_finish (w, pw_test_wait_result (&wt), &error));
  g_assert_no_error (error);
  g_object_unref (wt.result);
}

static gboolean
has_genre (PwWorkshop *w,
           const char *item,
           const char *genre)
{
  const char *genres = pw_workshop_get_item_genres (w, item);
  g_auto(GStrv) parts = NULL;

  if (genres == NULL)
    return FALSE;
  parts = g_strsplit (genres, "|", -1);
  return g_strv_contains ((const char * const *) parts, genre);
}

static guint
genre_count (PwWorkshop  *w,
             char       **items,
             const char  *genre)
{
  guint n = 0;

  for (guint i = 0; items[i] != NULL; i++)
    n += has_genre (w, items[i], genre);
  return n;
}

/* The model file the local engine trained for @recipe_part. */
static char *
model_file (const char *local_dir,
            const char *recipe_part)
{
  g_autofree char *dir = g_build_filename (local_dir, "models", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (strstr (name, recipe_part) != NULL && g_str_has_suffix (name, ".model"))
      return g_build_filename (dir, name, NULL);
  g_assert_not_reached ();
  return NULL;
}

static void
assert_same_metrics (const char      *what,
                     const PwMetrics *api,
                     const PwMetrics *engine)
{
  guint n_keys;
  const PwMetricKey *keys = pw_metrics_get_keys (&n_keys);

  g_assert_cmpuint (api->users, ==, engine->users);
  for (guint k = 0; k < n_keys; k++)
    {
      double a = pw_metrics_get_value (api, &keys[k]);
      double e = pw_metrics_get_value (engine, &keys[k]);

      g_test_message ("%s %-45s runtime API %.6f  engine %.6f", what, keys[k].key, a, e);
      g_assert_cmpfloat_with_epsilon (a, e, 1e-9);
    }
}

static guint progress_notifies;

static void
progress_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  double f = pw_workshop_get_progress_fraction (PW_WORKSHOP (object));

  if (f > 0 && f < 1)
    progress_notifies++;
}

static void
cancel_on_progress_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  const char *message = pw_workshop_get_progress_message (PW_WORKSHOP (object));

  if (message != NULL && g_str_has_prefix (message, "Evaluating"))
    g_cancellable_cancel (user_data);
}

static void
test_results_local (void)
{
  g_autofree char *local_dir = pw_test_workshop_make_dir (tmp_root, "results/local");
  g_autofree char *data_dir = pw_test_workshop_make_dir (tmp_root, "results/data");
  g_autofree char *state = g_build_filename (tmp_root, "results", "workshop.json", NULL);
  const char *chosen[] = { "aws-user-personalization", "aws-similar-items", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwPrepareResult) prepared = NULL;
  PwWorkshop *w;

  prepared = pw_test_prepare_synthetic (data_dir, 42, 240, 200, 14000);

  w = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, "local-data-dir", local_dir,
                      "local-step-ms", 30, NULL);
  g_assert_no_error (error);

  /* Nothing is complete, nothing runs before the campaigns. */
  for (guint s = PW_WORKSHOP_STEP_LIVE_EVENTS; s <= PW_WORKSHOP_STEP_ANALYSIS; s++)
    {
      g_assert_true (pw_workshop_step_is_built (s));
      g_assert_cmpint (pw_workshop_get_step_state (w, s), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
    }

  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_assert_no_error (error);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATASET_GROUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pw_workshop_set_recipes_chosen (w, chosen, &error));
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_TRAINING, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BATCH, NULL, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CAMPAIGNS, NULL, &error));
  g_assert_no_error (error);

  /* ---- Population evaluation through the runtime API ---- */
  {
    gulong id = g_signal_connect (w, "notify::progress-fraction", G_CALLBACK (progress_cb), NULL);
    g_autoptr(PwDataset) validation = NULL;
    PwMetrics api[PW_EVALUATION_N_KINDS], engine;
    PwRecommendOptions ropts;
    const char *parts[PW_EVALUATION_N_KINDS] = { "user-personalization", "similar-items" };
    double seconds;

    pw_workshop_set_evaluation_limits (w, 3, 1000);
    g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_ANALYSIS, NULL, &error));
    g_assert_no_error (error);
    g_signal_handler_disconnect (w, id);
    g_assert_cmpuint (progress_notifies, >, 0);
    g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_ANALYSIS), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

    validation = pw_cli_engine_load_validation (data_dir, &error);
    g_assert_no_error (error);
    for (guint k = 0; k < PW_EVALUATION_N_KINDS; k++)
      {
        g_autofree char *path = model_file (local_dir, parts[k]);
        g_autoptr(PwModel) model = pw_model_load (path, &error);

        g_assert_no_error (error);
        g_assert_true (pw_workshop_get_evaluation (w, k, &api[k], &seconds));
        g_assert_cmpfloat (seconds, >, 0);
        g_assert_cmpuint (api[k].users, ==, prepared->split->n_validation_users);
        pw_recommend_options_init (&ropts);
        ropts.num_results = 25;
        /* The campaign's exploration: the workshop's default 0.3, 30 days. */
        ropts.exploration_weight = k == PW_EVALUATION_USER_PERSONALIZATION ? 0.3 : 0;
        ropts.exploration_item_age_cut_off = 30;
        g_assert_true (pw_evaluate_validation (model, validation, &ropts, &engine, NULL, &error));
        g_assert_no_error (error);
        assert_same_metrics (parts[k], &api[k], &engine);
        g_assert_cmpfloat (api[k].precision_at_25, >, 0);
      }

    /* Cancel stops it, with the earlier results kept. */
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      pw_workshop_set_evaluation_limits (w, 1, 50);
      id = g_signal_connect (w, "notify::progress-message", G_CALLBACK (cancel_on_progress_cb), cancel);
      g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_ANALYSIS, cancel, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_signal_handler_disconnect (w, id);
      g_assert_false (pw_workshop_get_busy (w));
      g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_ANALYSIS), ==,
                       PW_WORKSHOP_STEP_STATE_COMPLETE);
      pw_workshop_set_evaluation_limits (w, 0, 0);
    }
  }

  /* ---- Per-user analysis ---- */
  {
    g_autofree char *user = pw_workshop_find_default_user (w, NULL, &error);
    g_autoptr(PwUserAnalysis) a = NULL;
    PwTestWait wt = { NULL };
    guint hits = 0;

    g_assert_no_error (error);
    pw_workshop_analyze_user_async (w, user, NULL, pw_test_wait_cb, &wt);
    a = pw_workshop_analyze_user_finish (w, pw_test_wait_result (&wt), &error);
    g_object_unref (wt.result);
    g_assert_no_error (error);
    g_assert_cmpstr (a->user_id, ==, user);
    g_assert_cmpuint (a->recent_training->len, ==, 5);
    for (guint i = 1; i < a->recent_training->len; i++)
      g_assert_cmpint (((PwWorkshopInteraction *) a->recent_training->pdata[i - 1])->timestamp, >=,
                       ((PwWorkshopInteraction *) a->recent_training->pdata[i])->timestamp);
    g_assert_cmpuint (a->n_recommended, ==, 25);
    for (guint i = 0; i < 10; i++)
      hits += a->relevance[i];
    g_assert_cmpuint (hits, ==, a->hits_top10);
    for (guint i = 0; i < a->n_recommended; i++)
      {
        gboolean in_validation = FALSE;

        for (guint v = 0; v < a->validation->len; v++)
          in_validation |= g_strcmp0 (((PwWorkshopInteraction *) a->validation->pdata[v])->item_id,
                                      a->recommended[i]) == 0;
        g_assert_cmpint (a->relevance[i], ==, in_validation);
      }
  }

  /* ---- Batch inference ---- */
  {
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *csv = g_build_filename (tmp_root, "results", "batch.csv", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) rows = NULL;
    guint n_items = 0;

    g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BATCH, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BATCH), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
    g_assert_nonnull (pw_workshop_get_batch_output (w));
    lines = pw_workshop_batch_parse (pw_workshop_get_batch_output (w), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (lines->len, ==, prepared->split->n_training_users);
    for (guint i = 0; i < lines->len; i++)
      {
        PwBatchLine *line = lines->pdata[i];
        guint u;

        /* Real USER_IDs, never row numbers. */
        g_assert_true (pw_interactions_lookup_user (prepared->interactions, line->user_id, &u));
        g_assert_null (line->error);
        g_assert_cmpuint (line->n_items, ==, 25);
        g_assert_nonnull (line->scores);
        n_items += line->n_items;
      }
    g_assert_true (pw_workshop_batch_export_csv (lines, prepared->items, csv, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
    rows = g_strsplit (text, "\n", -1);
    g_assert_cmpstr (rows[0], ==, "USER_ID,RANK,ITEM_ID,SCORE,TITLE,GENRES");
    g_assert_cmpuint (g_strv_length (rows), ==, n_items + 2); /* header, rows, "" after the last \n */
    g_assert_true (g_str_has_prefix (rows[1], ((PwBatchLine *) lines->pdata[0])->user_id));
    g_assert_true (g_str_has_prefix (rows[1] + strlen (((PwBatchLine *) lines->pdata[0])->user_id), ",1,"));

    /* A damaged output is refused with its line number. */
    {
      g_autofree char *bad = g_build_filename (tmp_root, "results", "bad.out", NULL);
      g_autoptr(GPtrArray) none = NULL;

      g_assert_true (g_file_set_contents (bad, "{\"input\":{\"userId\":\"1\"},\"output\":{\"recommendedItems\":[\"2\"]}}\n"
                                               "{\"input\":{}}\n", -1, NULL));
      none = pw_workshop_batch_parse (bad, &error);
      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "line 2"));
      g_clear_error (&error);
    }
  }

  /* ---- Live events: three clicks of one genre ---- */
  {
    g_autofree char *user = NULL;
    g_auto(GStrv) genres = pw_workshop_list_genres (w);
    g_auto(GStrv) first = NULL;
    g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    g_autoptr(GPtrArray) history = NULL;
    const char *genre = NULL;
    g_auto(GStrv) shortcuts = NULL;
    guint clicked = 0;

    g_assert_null (pw_workshop_get_tracking_id (w));
    g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_LIVE_EVENTS, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_LIVE_EVENTS), ==,
                     PW_WORKSHOP_STEP_STATE_COMPLETE);
    g_assert_nonnull (pw_workshop_get_tracking_id (w));
    /* Running it again reuses the tracker. */
    g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_LIVE_EVENTS, NULL, &error));
    g_assert_no_error (error);

    user = pw_workshop_find_default_user (w, NULL, &error);
    g_assert_no_error (error);
    history = pw_workshop_get_user_history (w, user, FALSE, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (history->len, >, 0);
    g_assert_cmpstr (pw_workshop_get_session_id (w, user), ==, pw_workshop_get_session_id (w, user));
    first = recommend (w, user, 10);
    g_test_message ("default user %s (Thriller/Sci-Fi), first list: %s", user, g_strjoinv (" ", first));

    /* The genre the first list shows least, with three unseen best-known films. */
    for (guint gi = 0; genres[gi] != NULL; gi++)
      {
        g_auto(GStrv) s = pw_workshop_get_genre_shortcuts (w, genres[gi], 50);
        guint unseen = 0;

        for (guint k = 0; s[k] != NULL; k++)
          {
            gboolean seen = FALSE;

            for (guint h = 0; h < history->len; h++)
              seen |= g_strcmp0 (((PwWorkshopInteraction *) history->pdata[h])->item_id, s[k]) == 0;
            unseen += !seen;
          }
        if (unseen >= 3 && (genre == NULL || genre_count (w, first, genres[gi]) < genre_count (w, first, genre) ||
                            (genre_count (w, first, genres[gi]) == genre_count (w, first, genre) &&
                             strcmp (genres[gi], "Documentary") == 0)))
          genre = genres[gi];
      }
    g_assert_nonnull (genre);
    shortcuts = pw_workshop_get_genre_shortcuts (w, genre, 50);
    g_ptr_array_add (lists, g_strdupv (first));
    for (guint k = 0; shortcuts[k] != NULL && clicked < 3; k++)
      {
        PwTestWait wt = { NULL };
        gboolean changed = FALSE;
        gboolean seen = FALSE;
        char **next;

        for (guint h = 0; h < history->len; h++)
          seen |= g_strcmp0 (((PwWorkshopInteraction *) history->pdata[h])->item_id, shortcuts[k]) == 0;
        if (seen)
          continue;
        pw_workshop_put_event_async (w, user, shortcuts[k], 5, (const char * const *) lists->pdata[lists->len - 1],
                                     10, NULL, pw_test_wait_cb, &wt);
        next = pw_workshop_put_event_finish (w, pw_test_wait_result (&wt), NULL, &changed, &error);
        g_object_unref (wt.result);
        g_assert_no_error (error);
        g_assert_true (changed);
        g_assert_false (g_strv_equal ((const char * const *) next, lists->pdata[lists->len - 1]));
        g_assert_false (g_strv_contains ((const char * const *) next, shortcuts[k]));
        g_test_message ("after a click on %s (%s): %s — %u of 10 are %s", shortcuts[k],
                        pw_workshop_get_item_title (w, shortcuts[k]), g_strjoinv (" ", next),
                        genre_count (w, next, genre), genre);
        g_ptr_array_add (lists, next);
        clicked++;
      }
    g_assert_cmpuint (clicked, ==, 3);
    g_assert_cmpuint (genre_count (w, lists->pdata[3], genre), >, genre_count (w, first, genre));

    /* A click on an unknown tracker state is refused early: bad input. */
    {
      PwTestWait wt = { NULL };

      pw_workshop_put_event_async (w, user, "", 5, NULL, 10, NULL, pw_test_wait_cb, &wt);
      g_assert_null (pw_workshop_put_event_finish (w, pw_test_wait_result (&wt), NULL, NULL, &error));
      g_object_unref (wt.result);
      g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
  }

  /* ---- Exploration through UpdateCampaign ---- */
  {
    int cold_none = 0, cold_full = 0;
    const char *users[] = { "1", "2", "3", "4", "5", "6", "7", "8" };

    update_exploration (w, 0);
    g_assert_cmpfloat (pw_workshop_get_exploration_weight (w), ==, 0);
    g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CAMPAIGNS), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
    for (guint i = 0; i < G_N_ELEMENTS (users); i++)
      {
        g_auto(GStrv) items = recommend (w, users[i], 25);

        cold_none += pw_workshop_count_cold_items (w, (const char * const *) items);
      }
    update_exploration (w, 1);
    g_assert_cmpfloat (pw_workshop_get_exploration_weight (w), ==, 1);
    g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CAMPAIGNS), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
    for (guint i = 0; i < G_N_ELEMENTS (users); i++)
      {
        g_auto(GStrv) items = recommend (w, users[i], 25);

        cold_full += pw_workshop_count_cold_items (w, (const char * const *) items);
      }
    g_test_message ("cold items in 8 users' top 25: weight 0 → %d, weight 1 → %d", cold_none, cold_full);
    g_assert_cmpint (cold_none, ==, 0);
    g_assert_cmpint (cold_full, >, 0);
    {
      PwTestWait wt = { NULL };

      pw_workshop_update_exploration_async (w, 1.5, 30, NULL, pw_test_wait_cb, &wt);
      g_assert_false (pw_workshop_update_exploration_finish (w, pw_test_wait_result (&wt), &error));
      g_object_unref (wt.result);
      g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }
  }

  /* ---- Data look-ups ---- */
  {
    g_auto(GStrv) users = pw_workshop_search_users (w, "1", 20);
    g_auto(GStrv) genres = pw_workshop_list_genres (w);
    const char *title = pw_workshop_get_item_title (w, pw_interactions_get_item_id (prepared->interactions, 0));
    g_auto(GStrv) words = g_strsplit (title, " ", 2);
    g_auto(GStrv) found = pw_workshop_search_titles (w, words[0], 1000);

    g_assert_cmpuint (g_strv_length (users), >, 0);
    g_assert_cmpstr (users[0], ==, "1");
    for (guint i = 0; users[i] != NULL; i++)
      g_assert_true (g_str_has_prefix (users[i], "1"));
    for (guint i = 1; genres[i] != NULL; i++)
      g_assert_cmpint (strcmp (genres[i - 1], genres[i]), <, 0);
    g_assert_true (g_strv_contains ((const char * const *) found,
                                    pw_interactions_get_item_id (prepared->interactions, 0)));
    g_assert_cmpint (pw_workshop_count_cold_items (w, (const char *[]) { "no-such-item", NULL }), ==, 1);
  }

  /* ---- Cleanup: the tracker, its dataset and the batch job go too ---- */
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CLEANUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pw_workshop_count_live (w), ==, 0);
  {
    GListModel *list = pw_workshop_get_resources (w);
    gboolean tracker = FALSE, batch = FALSE, events_dataset = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (list); i++)
      {
        g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

        g_assert_cmpint (pw_workshop_resource_get_status (r), ==, PW_RESOURCE_STATUS_DELETED);
        tracker |= pw_workshop_resource_get_kind (r) == PW_RESOURCE_EVENT_TRACKER;
        batch |= pw_workshop_resource_get_kind (r) == PW_RESOURCE_BATCH_JOB;
        events_dataset |= g_strcmp0 (pw_workshop_resource_get_detail (r), "EVENT_INTERACTIONS") == 0;
      }
    g_assert_true (tracker);
    g_assert_true (batch);
    g_assert_true (events_dataset);
  }
  for (guint s = PW_WORKSHOP_STEP_LIVE_EVENTS; s <= PW_WORKSHOP_STEP_ANALYSIS; s++)
    g_assert_cmpint (pw_workshop_get_step_state (w, s), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_finalize_object (w);
}

/* The AWS path (role, bucket policy, AWS's waits and limits) against
 * personalize-local started here and used as an AWS endpoint. */
static void
test_results_aws_path (void)
{
  g_autofree char *server_dir = pw_test_workshop_make_dir (tmp_root, "aws/server");
  g_autofree char *data_dir = pw_test_workshop_make_dir (tmp_root, "aws/data");
  g_autofree char *state = g_build_filename (tmp_root, "aws", "workshop.json", NULL);
  const char *chosen[] = { "aws-user-personalization", "aws-similar-items", NULL };
  g_autoptr(PwLocalServer) server = NULL;
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(PwPrepareResult) prepared = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) next = NULL;
  g_autofree char *user = NULL;
  PwLocalServerOptions server_options = { 0 };
  PwMetrics m;
  PwTestWait wt = { NULL };
  gboolean changed = FALSE;
  PwWorkshop *w;

  server_options.data_dir = server_dir;
  server_options.step_ms = 20;
  server = pw_local_server_new (&server_options);
  g_assert_true (pw_local_server_start (server, &error));
  g_assert_no_error (error);

  prepared = pw_test_prepare_synthetic (data_dir, 42, 150, 150, 9000);

  w = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, NULL);
  g_assert_no_error (error);
  config = pw_test_local_config (server, NULL);
  g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_assert_true (pw_workshop_set_recipes_chosen (w, chosen, &error));
  for (PwWorkshopStep s = PW_WORKSHOP_STEP_DATASET_GROUP; s <= PW_WORKSHOP_STEP_CAMPAIGNS; s++)
    {
      g_assert_true (pw_test_workshop_run_step (w, s, NULL, &error));
      g_assert_no_error (error);
    }

  /* Batch: the role and a bucket policy that lets Personalize write. */
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BATCH, NULL, &error));
  g_assert_no_error (error);
  lines = pw_workshop_batch_parse (pw_workshop_get_batch_output (w), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, prepared->split->n_training_users);

  /* Evaluation with AWS's rate limit raised for the test. */
  pw_workshop_set_evaluation_limits (w, 4, 400);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_ANALYSIS, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pw_workshop_get_evaluation (w, PW_EVALUATION_SIMILAR_ITEMS, &m, NULL));
  g_assert_cmpuint (m.users, ==, prepared->split->n_validation_users);

  /* A click, waited for the AWS way. */
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_LIVE_EVENTS, NULL, &error));
  g_assert_no_error (error);
  pw_workshop_set_event_wait (w, 5000, 200);
  user = pw_workshop_find_default_user (w, NULL, &error);
  g_assert_no_error (error);
  first = recommend (w, user, 10);
  pw_workshop_put_event_async (w, user, first[0], 5, (const char * const *) first, 10, NULL, pw_test_wait_cb, &wt);
  next = pw_workshop_put_event_finish (w, pw_test_wait_result (&wt), NULL, &changed, &error);
  g_object_unref (wt.result);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_false (g_strv_contains ((const char * const *) next, first[0]));

  update_exploration (w, 0.5);
  g_assert_cmpfloat (pw_workshop_get_exploration_weight (w), ==, 0.5);

  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CLEANUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pw_workshop_count_live (w), ==, 0);
  g_assert_finalize_object (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = pw_test_workshop_env_init ("test-workshop-results-XXXXXX");

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workshop/results/local", test_results_local);
  g_test_add_func ("/workshop/results/aws-path", test_results_aws_path);
  status = g_test_run ();

  pw_test_workshop_env_done (tmp_root, status);
  return status;
}
