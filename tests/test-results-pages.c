/* test-results-pages.c: Live Events, the storefront, Batch Export,
 * Analysis and the Results view, driven through their widgets
 *
 * Local mode on small synthetic data. The workshop is brought to active
 * campaigns first (that is the wizard's part, tested in test-wizard);
 * then every page of issue 11 is driven as a person would: buttons
 * clicked, the exploration slider moved, pages applied, the CSV exported.
 * What each page shows is checked (lists, marks, charts, counts) and a
 * PNG of each is kept under the build directory, light and dark. The
 * Results view then holds every chart of the session, each exported to
 * PNG, SVG and PDF at slide size and checked by its magic bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pw-analysis-page.h"
#include "pw-batch-page.h"
#include "pw-chart-board.h"
#include "pw-chart-card.h"
#include "pw-live-events-page.h"
#include "pw-results-page.h"
#include "pw-storefront.h"
#include "pw-application.h"
#include "pw-aws.h"
#include "pw-local-server.h"
#include "pw-test-utils.h"
#include "pw-workshop-data.h"
#include "pw-workshop-evaluate.h"
#include "pw-workshop-events.h"

static PwWorkshop *workshop;
static char *tmp_dir;
static guint n_live_lists;  /* the lists the Live Events test ended with */

static PwApplication *app;

static void
run_step (PwWorkshopStep step)
{
  PwTestWait w = { NULL };
  g_autoptr(GError) error = NULL;

  pw_workshop_run_step_async (workshop, step, NULL, pw_test_wait_cb, &w);
  g_assert_true (pw_workshop_run_step_finish (workshop, pw_test_wait_result_within (&w, 300000), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

/* The wizard's part, done through @w: its back end, synthetic data under
 * @dir/data, @recipes trained, campaigns active. */
static void
bring_to_campaigns (PwWorkshop         *w,
                    const char         *dir,
                    guint               seed,
                    guint               n_users,
                    guint               n_items,
                    guint               n_ratings,
                    const char * const *recipes)
{
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  PwWorkshop *saved = workshop;
  g_autoptr(GError) error = NULL;
  PwPrepareResult *prepared;

  /* run_step () drives the file's workshop. */
  workshop = w;
  run_step (PW_WORKSHOP_STEP_BACKEND);

  prepared = pw_test_prepare_synthetic (data_dir, seed, n_users, n_items, n_ratings);
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_assert_no_error (error);
  pw_prepare_result_unref (prepared);

  g_assert_true (pw_workshop_set_recipes_chosen (w, recipes, &error));
  run_step (PW_WORKSHOP_STEP_DATASET_GROUP);
  run_step (PW_WORKSHOP_STEP_TRAINING);
  run_step (PW_WORKSHOP_STEP_CAMPAIGNS);
  workshop = saved != NULL ? saved : w;
}

static void
set_up_workshop (void)
{
  static const char * const recipes[] = { "aws-user-personalization", "aws-popularity-count", "aws-similar-items", NULL };

  tmp_dir = g_dir_make_tmp ("pw-results-pages-XXXXXX", NULL);
  workshop = pw_test_new_workshop (tmp_dir);
  pw_workshop_set_event_wait (workshop, 3000, 50);
  bring_to_campaigns (workshop, tmp_dir, 7, 300, 400, 20000, recipes);
}

/* The page's whole content (the child of its scrolled window). */
static GtkWidget *
content_of (GtkWidget *page)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (page));

  if (GTK_IS_SCROLLED_WINDOW (child))
    {
      GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (child));
      return GTK_IS_VIEWPORT (viewport) ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : viewport;
    }
  return child;
}

static void
save_light_dark (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dark = g_strdup_printf ("dark-%s", name);
  /* A page's content has no background of its own: give it the window's,
   * so that the PNG shows what the window shows. */
  gboolean add_background = !GTK_IS_WINDOW (widget);

  if (add_background)
    gtk_widget_add_css_class (widget, "background");
  pw_test_set_dark (FALSE);
  pw_test_save_screenshot (widget, name, 200);
  pw_test_set_dark (TRUE);
  pw_test_save_screenshot (widget, dark, 200);
  pw_test_set_dark (FALSE);
  if (add_background)
    gtk_widget_remove_css_class (widget, "background");
}

static GtkWidget *
show_page (PwPage *page)
{
  GtkWidget *window = gtk_window_new ();
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  adw_toast_overlay_set_child (overlay, GTK_WIDGET (page));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (overlay));
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (pw_test_widget_is_drawn, page, 10000);
  return window;
}

static void
close_page (GtkWidget *window,
            PwPage    *page)
{
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  gtk_window_destroy (GTK_WINDOW (window));
  pw_test_iterate_for (100);
  g_assert_null (page);
}

static void
apply_page (PwPage *page,
            guint   timeout_ms)
{
  PwTestApply a = { 0 };

  pw_test_page_apply (page, NULL, &a, timeout_ms);
  g_assert_no_error (a.error);
  g_assert_true (a.ok);
  g_assert_true (pw_page_get_complete (page));
}

static gboolean
live_idle (gpointer data)
{
  return !pw_live_events_page_get_busy (data);
}

/* The buttons carrying @key (movie shortcuts, posters), depth first. */
static void
collect_buttons (GtkWidget  *root,
                 const char *key,
                 GPtrArray  *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && g_object_get_data (G_OBJECT (child), key) != NULL)
        g_ptr_array_add (out, child);
      else
        collect_buttons (child, key, out);
    }
}

static GtkWidget *
find_in_flow_with_data (GtkWidget  *root,
                        const char *key,
                        guint       nth)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  collect_buttons (root, key, all);
  return nth < all->len ? g_ptr_array_index (all, nth) : NULL;
}

/* The live-event columns chart holds the page's lists: one column per
 * list, headed as the page heads it, each item's title in order with the
 * entered ones marked, then the ones that left; its TSV table says the
 * same, row by row. */
static void
check_list_columns (PwLiveEventsPage *live,
                    PwChart          *chart,
                    const char       *first_heading)
{
  guint n = pw_live_events_page_get_n_lists (live);
  g_autofree char *tsv = pw_chart_to_table (chart, PW_CHART_TABLE_TSV);
  g_auto(GStrv) rows = g_strsplit (tsv, "\n", -1);
  g_auto(GStrv) header = g_strsplit (rows[0], "\t", -1);

  g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_COLUMNS);
  g_assert_false (pw_chart_is_empty (chart));
  g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, n);
  g_assert_cmpuint (g_strv_length (header), ==, n + 1);
  g_assert_cmpstr (pw_chart_get_category (chart, 0), ==, first_heading);
  for (guint c = 0; c < n; c++)
    {
      const char * const *list = pw_live_events_page_get_list (live, c);
      const char * const *before = c > 0 ? pw_live_events_page_get_list (live, c - 1) : NULL;
      guint k = 0;
      guint n_left_rows = 0;

      g_assert_cmpstr (header[c + 1], ==, pw_chart_get_category (chart, c));
      for (guint i = 0; list[i] != NULL; i++, k++)
        {
          PwChartMark mark = PW_CHART_MARK_LEFT;
          const char *cell = pw_chart_get_cell (chart, c, k, &mark);
          gboolean entered = before != NULL && !g_strv_contains (before, list[i]);
          g_auto(GStrv) row = NULL;
          g_autofree char *expected = NULL;

          g_assert_cmpstr (cell, ==, pw_workshop_get_item_title (workshop, list[i]));
          g_assert_cmpint (mark, ==, entered ? PW_CHART_MARK_ENTERED : PW_CHART_MARK_NONE);
          g_assert_nonnull (rows[i + 1]);
          row = g_strsplit (rows[i + 1], "\t", -1);
          g_assert_cmpuint (g_strv_length (row), ==, n + 1);
          expected = g_strdup_printf ("%u", i + 1);
          g_assert_cmpstr (row[0], ==, expected);
          g_free (expected);
          expected = g_strdup_printf ("%s%s", entered ? "+ " : "", cell);
          g_assert_cmpstr (row[c + 1], ==, expected);
        }
      for (guint i = 0; before != NULL && before[i] != NULL; i++)
        if (!g_strv_contains (list, before[i]))
          {
            PwChartMark mark = PW_CHART_MARK_NONE;

            g_assert_cmpstr (pw_chart_get_cell (chart, c, k++, &mark), ==, pw_workshop_get_item_title (workshop, before[i]));
            g_assert_cmpint (mark, ==, PW_CHART_MARK_LEFT);
            n_left_rows++;
          }
      g_assert_cmpuint (pw_chart_get_n_cells (chart, c), ==, k);
      g_assert_null (pw_chart_get_cell (chart, c, k, NULL));
      if (n_left_rows > 0)
        {
          g_auto(GStrv) row = g_strsplit (rows[g_strv_length ((char **) list) + 1], "\t", -1);
          g_assert_cmpstr (row[0], ==, "Left the list");
          g_assert_true (g_str_has_prefix (row[c + 1], "− "));
        }
    }
}

/* Shortcut buttons of the genre row, in order. */
static GPtrArray *
shortcut_buttons (GtkWidget *root)
{
  GPtrArray *buttons = g_ptr_array_new ();

  collect_buttons (root, "item-id", buttons);
  return buttons;
}

static gboolean
lists_differ (const char * const *a,
              const char * const *b)
{
  if (g_strv_length ((char **) a) != g_strv_length ((char **) b))
    return TRUE;
  for (guint i = 0; a[i] != NULL; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  PwLiveEventsPage *page;
  double weight;
} WaitWeight;

static gboolean
weight_applied (gpointer data)
{
  WaitWeight *w = data;

  return !pw_live_events_page_get_busy (w->page) &&
         ABS (pw_live_events_page_get_applied_weight (w->page) - w->weight) < 1e-6 &&
         pw_live_events_page_get_n_cold (w->page) >= 0 &&
         !pw_workshop_get_busy (workshop);
}

static gboolean
storefront_refreshed (gpointer data)
{
  PwStorefront *s = data;
  guint *before = g_object_get_data (G_OBJECT (s), "before");

  return !pw_storefront_get_busy (s) && pw_storefront_get_n_refreshes (s) > *before;
}

static void
test_live_events (void)
{
  PwPage *page = g_object_ref_sink (pw_live_events_page_new (workshop));
  PwLiveEventsPage *live = PW_LIVE_EVENTS_PAGE (page);
  GtkWidget *window = show_page (page);
  GtkWidget *button;
  g_autoptr(GPtrArray) shortcuts = NULL;
  const char *clicked[3];
  double first_share, last_share;
  GtkWidget *storefront;

  g_assert_true (pw_page_get_built (page));
  g_assert_false (pw_page_get_complete (page));
  save_light_dark (content_of (GTK_WIDGET (page)), "results-live-events-before");

  /* The event tracker. */
  apply_page (page, 60000);
  g_assert_nonnull (pw_workshop_get_tracking_id (workshop));
  pw_test_iterate_for (100);

  /* The default user: most Thriller and Sci-Fi; history and first list. */
  button = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Most Thriller and Sci-Fi");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  pw_test_iterate_until (live_idle, live, 20000);
  {
    g_autofree char *expected = pw_workshop_find_default_user (workshop, NULL, NULL);
    g_assert_cmpstr (pw_live_events_page_get_user_id (live), ==, expected);
  }
  g_assert_cmpuint (pw_live_events_page_get_n_history (live), >, 0);
  g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, 1);
  g_assert_cmpuint (g_strv_length ((char **) pw_live_events_page_get_list (live, 0)), ==, 10);

  /* Three documentaries from the genre shortcut (Documentary by default). */
  shortcuts = shortcut_buttons (GTK_WIDGET (page));
  g_assert_cmpuint (shortcuts->len, >=, 3);
  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *b = g_ptr_array_index (shortcuts, i);
      const char *genres;

      clicked[i] = g_object_get_data (G_OBJECT (b), "item-id");
      genres = pw_workshop_get_item_genres (workshop, clicked[i]);
      g_assert_nonnull (strstr (genres, "Documentary"));
      g_signal_emit_by_name (b, "clicked");
      g_assert_true (pw_live_events_page_get_busy (live));
      pw_test_iterate_until (live_idle, live, 20000);
      g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, i + 2);
      /* Each list differs from the one before. */
      g_assert_true (lists_differ (pw_live_events_page_get_list (live, i + 1),
                                   pw_live_events_page_get_list (live, i)));
    }
  /* The clicks raise Documentary's share of the top 10. */
  first_share = 0;
  last_share = 0;
  {
    PwChart *chart = pw_live_events_page_get_shares_chart (live);

    g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_STACKED);
    g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, 4);
    for (guint s = 0; s < pw_chart_get_n_series (chart); s++)
      if (g_strcmp0 (pw_chart_get_series_name (chart, s), "Documentary") == 0)
        {
          first_share = pw_chart_get_value (chart, s, 0);
          last_share = pw_chart_get_value (chart, s, 3);
        }
    g_test_message ("Documentary share: first list %.3f, after three clicks %.3f", first_share, last_share);
    g_assert_cmpfloat (last_share, >, first_share);
    /* Each column's shares add up to the whole list. */
    for (guint c = 0; c < 4; c++)
      {
        double sum = 0;
        for (guint s = 0; s < pw_chart_get_n_series (chart); s++)
          sum += pw_chart_get_value (chart, s, c);
        g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-6);
      }
  }
  /* Columns headed by the clicked movie; entered items marked. */
  {
    g_autofree char *title = NULL;
    g_autofree char *heading = NULL;

    title = g_strdup (pw_workshop_get_item_title (workshop, clicked[0]));
    heading = g_strdup_printf ("2. After “%s”", title);
    g_assert_nonnull (pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, heading));
    g_assert_nonnull (pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, "New"));
  }
  /* The charts are on the session's board. */
  g_assert_nonnull (pw_chart_board_lookup (pw_chart_board_get_for_workshop (workshop), "live-genre-shares"));
  g_assert_nonnull (pw_chart_board_lookup (pw_chart_board_get_for_workshop (workshop), "live-clicked-genre"));
  /* The lists themselves, as columns: on the board for the Results view. */
  {
    PwChart *columns = pw_chart_board_lookup (pw_chart_board_get_for_workshop (workshop), "live-columns");

    g_assert_nonnull (columns);
    g_assert_cmpuint (pw_chart_get_n_categories (columns), ==, 4);
    check_list_columns (live, columns, "1. First list");
    {
      g_autofree char *heading = g_strdup_printf ("2. After “%s”", pw_workshop_get_item_title (workshop, clicked[0]));
      g_assert_cmpstr (pw_chart_get_category (columns, 1), ==, heading);
    }
  }
  save_light_dark (content_of (GTK_WIDGET (page)), "results-live-events");
  /* What the audience sees: the history folded away, the lists up. */
  {
    GtkWidget *heading = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, "Recommendations After Each Click");
    GtkWidget *scroller = adw_bin_get_child (ADW_BIN (page));
    graphene_point_t p;

    g_assert_nonnull (heading);
    g_assert_true (gtk_widget_compute_point (heading, content_of (GTK_WIDGET (page)), &GRAPHENE_POINT_INIT (0, 0), &p));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), p.y - 12);
  }
  save_light_dark (window, "results-live-events-window");

  /* A movie found by title: typing lists the matches, Enter clicks the first. */
  {
    GtkWidget *entry = pw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Movie Title");
    g_autofree char *title = g_strdup (pw_workshop_get_item_title (workshop, clicked[0]));
    guint n_lists = pw_live_events_page_get_n_lists (live);
    g_autofree char *heading = NULL;
    g_auto(GStrv) found = NULL;

    g_assert_nonnull (entry);
    /* The first word of a title the data has. */
    if (strchr (title, ' ') != NULL)
      *strchr (title, ' ') = '\0';
    found = pw_workshop_search_titles (workshop, title, 1);
    g_assert_nonnull (found[0]);
    gtk_editable_set_text (GTK_EDITABLE (entry), title);
    g_signal_emit_by_name (entry, "entry-activated");
    pw_test_iterate_until (live_idle, live, 20000);
    g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, n_lists + 1);
    heading = g_strdup_printf ("%u. After “%s”", n_lists + 1, pw_workshop_get_item_title (workshop, found[0]));
    g_assert_nonnull (pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, heading));
  }

  /* Exploration: the slider changes the campaign (UpdateCampaign), and
   * the page counts the cold movies in the user's list. */
  {
    GtkWidget *scale = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_SCALE, NULL);
    WaitWeight w = { live, 1.0 };
    int cold_high, cold_none;

    g_assert_nonnull (scale);
    gtk_range_set_value (GTK_RANGE (scale), 1.0);
    pw_test_iterate_until (weight_applied, &w, 60000);
    g_assert_cmpfloat_with_epsilon (pw_workshop_get_exploration_weight (workshop), 1.0, 1e-6);
    cold_high = pw_live_events_page_get_n_cold (live);
    w.weight = 0.0;
    gtk_range_set_value (GTK_RANGE (scale), 0.0);
    pw_test_iterate_until (weight_applied, &w, 60000);
    g_assert_cmpfloat_with_epsilon (pw_workshop_get_exploration_weight (workshop), 0.0, 1e-6);
    cold_none = pw_live_events_page_get_n_cold (live);
    g_test_message ("cold movies in the list: %d at weight 1, %d at weight 0", cold_high, cold_none);
    g_assert_cmpint (cold_none, ==, 0);
    g_assert_cmpint (cold_high, >, cold_none);
    g_assert_nonnull (pw_chart_board_lookup (pw_chart_board_get_for_workshop (workshop), "exploration-cold-items"));
    save_light_dark (content_of (GTK_WIDGET (page)), "results-live-events-exploration");
  }

  /* The storefront: both rows, then a click refreshes them and adds a column. */
  storefront = pw_live_events_page_open_storefront (live);
  {
    static guint before = 0;
    GtkWidget *tile;
    g_auto(GStrv) previous = NULL;
    guint n_lists = pw_live_events_page_get_n_lists (live);

    g_object_set_data (G_OBJECT (storefront), "before", &before);
    pw_test_iterate_until (storefront_refreshed, storefront, 20000);
    g_assert_cmpuint (g_strv_length ((char **) pw_storefront_get_recommended (PW_STOREFRONT (storefront))), ==, 10);
    g_assert_cmpuint (g_strv_length ((char **) pw_storefront_get_similar (PW_STOREFRONT (storefront))), >, 0);
    save_light_dark (GTK_WIDGET (gtk_widget_get_root (storefront)), "results-storefront");

    before = pw_storefront_get_n_refreshes (PW_STOREFRONT (storefront));
    previous = g_strdupv ((char **) pw_storefront_get_recommended (PW_STOREFRONT (storefront)));
    /* A poster of the "Browse" grid. */
    tile = find_in_flow_with_data (storefront, "item-id", 20);
    g_assert_nonnull (tile);
    g_signal_emit_by_name (tile, "clicked");
    g_assert_true (pw_storefront_get_busy (PW_STOREFRONT (storefront)));
    pw_test_iterate_until (storefront_refreshed, storefront, 20000);
    g_assert_cmpstr (pw_storefront_get_seed (PW_STOREFRONT (storefront)), ==,
                     g_object_get_data (G_OBJECT (tile), "item-id"));
    g_assert_true (lists_differ (pw_storefront_get_recommended (PW_STOREFRONT (storefront)),
                                 (const char * const *) previous));
    g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, n_lists + 1);
    save_light_dark (GTK_WIDGET (gtk_widget_get_root (storefront)), "results-storefront-clicked");
    gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (storefront)));
  }
  /* The columns on the board follow every list, the storefront's too. */
  n_live_lists = pw_live_events_page_get_n_lists (live);
  check_list_columns (live, pw_chart_board_lookup (pw_chart_board_get_for_workshop (workshop), "live-columns"),
                      "1. First list");

  g_object_unref (page);
  close_page (window, page);
}

static gboolean
batch_idle (gpointer data)
{
  return !pw_batch_page_get_busy (data) && pw_batch_page_get_n_lines (data) > 0;
}

static gboolean
batch_exported (gpointer data)
{
  return !pw_batch_page_get_busy (data) && pw_batch_page_get_exported (data) != NULL;
}

static void
test_batch (void)
{
  PwPage *page = g_object_ref_sink (pw_batch_page_new (workshop));
  GtkWidget *window = show_page (page);
  g_autofree char *csv_path = g_build_filename (tmp_dir, "recommendations.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  PwPrepareResult *data = pw_workshop_get_prepared (workshop);

  apply_page (page, 120000);
  pw_test_iterate_until (batch_idle, page, 20000);
  /* One line per training user. */
  g_assert_cmpuint (pw_batch_page_get_n_lines (PW_BATCH_PAGE (page)), ==, data->split->n_training_users);
  g_assert_cmpuint (pw_batch_page_get_n_previewed (PW_BATCH_PAGE (page)), ==, 5);
  save_light_dark (content_of (GTK_WIDGET (page)), "results-batch");

  pw_batch_page_export_to (PW_BATCH_PAGE (page), csv);
  pw_test_iterate_until (batch_exported, page, 20000);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "USER_ID,RANK,ITEM_ID,SCORE,TITLE,GENRES");
  /* 25 recommendations per user, a row each (and the final newline). */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 25 * data->split->n_training_users + 1);

  g_object_unref (page);
  close_page (window, page);
}

static gboolean
analysis_idle (gpointer data)
{
  return !pw_analysis_page_get_busy (data) && pw_analysis_page_get_hits_top10 (data) >= 0;
}

static void
test_analysis (void)
{
  PwPage *page = g_object_ref_sink (pw_analysis_page_new (workshop));
  PwAnalysisPage *analysis = PW_ANALYSIS_PAGE (page);
  GtkWidget *window = show_page (page);
  g_auto(GStrv) first = pw_workshop_search_users (workshop, "", 1);
  g_autofree char *label = g_strdup_printf ("User %s", first[0]);
  GtkWidget *button;

  /* The first users are one click away on synthetic data. */
  button = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  pw_test_iterate_until (analysis_idle, analysis, 20000);
  g_assert_cmpstr (pw_analysis_page_get_user_id (analysis), ==, first[0]);
  g_assert_cmpuint (pw_analysis_page_get_strip_length (analysis), ==, 25);
  g_assert_cmpint (pw_analysis_page_get_hits_top10 (analysis), <=, 10);
  g_assert_cmpuint (pw_analysis_page_get_n_validation (analysis), >, 0);
  g_assert_nonnull (pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, "Most Recent in Training"));
  g_assert_nonnull (pw_chart_board_lookup (pw_chart_board_get_for_workshop (workshop), "analysis-user"));

  /* Population evaluation (the page's step): both campaigns, two charts each. */
  apply_page (page, 300000);
  pw_test_iterate_for (200);
  for (guint kind = 0; kind < PW_EVALUATION_N_KINDS; kind++)
    {
      PwChart *standard = pw_analysis_page_get_evaluation_chart (analysis, kind, FALSE);
      PwChart *variant = pw_analysis_page_get_evaluation_chart (analysis, kind, TRUE);
      PwMetrics m;

      g_assert_true (pw_workshop_get_evaluation (workshop, kind, &m, NULL));
      g_assert_nonnull (standard);
      g_assert_nonnull (variant);
      /* This evaluation, this run's training metrics, the published ones. */
      g_assert_cmpuint (pw_chart_get_n_series (standard), ==, 3);
      g_assert_cmpuint (pw_chart_get_n_series (variant), ==, 2);
      g_assert_cmpfloat_with_epsilon (pw_chart_get_value (standard, 0, 0), m.mean_reciprocal_rank_at_25, 1e-12);
      g_assert_cmpfloat_with_epsilon (pw_chart_get_value (variant, 0, 5), m.workshop_ndcg_at_10, 1e-12);
      g_assert_cmpfloat_with_epsilon (pw_chart_get_value (standard, 0, 5),
                                      m.normalized_discounted_cumulative_gain_at_10, 1e-12);
      /* Each NDCG label says which definition. */
      g_assert_nonnull (strstr (pw_chart_get_category (standard, 5), "standard"));
      g_assert_nonnull (strstr (pw_chart_get_category (variant, 5), "notebook"));
    }
  save_light_dark (content_of (GTK_WIDGET (page)), "results-analysis");

  g_object_unref (page);
  close_page (window, page);
}

static gboolean
file_written (gpointer data)
{
  return g_file_query_exists (data, NULL);
}

static void
check_magic (const char    *path,
             PwChartFormat  format)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  switch (format)
    {
    case PW_CHART_FORMAT_PNG:
      g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
      {
        g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, NULL);
        g_assert_nonnull (texture);
        g_assert_cmpint (gdk_texture_get_width (texture), ==, PW_CHART_EXPORT_WIDTH);
      }
      break;
    case PW_CHART_FORMAT_SVG:
      g_assert_true (g_str_has_prefix (contents, "<?xml"));
      g_assert_nonnull (strstr (contents, "</svg>"));
      break;
    case PW_CHART_FORMAT_PDF:
    default:
      g_assert_cmpmem (contents, 5, "%PDF-", 5);
      {
        /* The trailer, at the end of a binary file. */
        g_autofree char *tail = g_strndup (contents + len - MIN (len, 64), MIN (len, 64));
        g_assert_nonnull (strstr (tail, "%%EOF"));
        g_assert_nonnull (strstr (tail, "startxref"));
      }
      break;
    }
}

/* Saves @view's chart as PNG, SVG and PDF (@id names the files) the way
 * the card's Save button does, and checks each file. */
static void
export_three (PwChartView *view,
              const char  *id)
{
  const PwChartFormat formats[] = { PW_CHART_FORMAT_PNG, PW_CHART_FORMAT_SVG, PW_CHART_FORMAT_PDF };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", id, pw_chart_format_get_extension (formats[f]));
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      pw_chart_view_save_to (view, file, formats[f]);
      pw_test_iterate_until (file_written, file, 20000);
      pw_test_iterate_for (50);
      check_magic (path, formats[f]);
    }
}

static void
svg_start_element_cb (GMarkupParseContext  *context,
                      const char           *element_name,
                      const char          **attribute_names,
                      const char          **attribute_values,
                      gpointer              user_data,
                      GError              **error)
{
  if (g_strcmp0 (element_name, "svg") == 0)
    (*(guint *) user_data)++;
}

/* The whole SVG parses as XML and has one <svg> root. */
static void
check_svg_parses (const char *path)
{
  static const GMarkupParser parser = { svg_start_element_cb, NULL, NULL, NULL, NULL };
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint n_svg = 0;
  g_autoptr(GError) error = NULL;
  GMarkupParseContext *context;
  const char *start;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* GMarkup reads elements, not the <?xml?> declaration. */
  start = strstr (contents, "<svg");
  g_assert_nonnull (start);
  context = g_markup_parse_context_new (&parser, 0, &n_svg, NULL);
  g_assert_true (g_markup_parse_context_parse (context, start, len - (start - contents), &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_markup_parse_context_free (context);
  g_assert_cmpuint (n_svg, ==, 1);
}

/* The live-event columns in the Results view: a card like the others, its
 * table the lists' text, its exports valid, and PNGs kept to look at. */
static void
check_columns_card (GtkWidget *card)
{
  PwChartView *view = pw_chart_card_get_view (PW_CHART_CARD (card));
  PwChart *chart = pw_chart_view_get_chart (view);
  const char *table = gtk_label_get_text (pw_chart_card_get_table (PW_CHART_CARD (card)));

  g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_COLUMNS);
  g_assert_cmpuint (n_live_lists, >=, 4);
  g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, n_live_lists);
  /* The table beside it is the text alternative: every heading and every
   * title of every column, the marks as "+ " and "− ". */
  for (guint c = 0; c < pw_chart_get_n_categories (chart); c++)
    {
      g_assert_nonnull (strstr (table, pw_chart_get_category (chart, c)));
      for (guint i = 0; i < pw_chart_get_n_cells (chart, c); i++)
        g_assert_nonnull (strstr (table, pw_chart_get_cell (chart, c, i, NULL)));
    }
  g_assert_nonnull (strstr (table, "+ "));
  g_assert_nonnull (strstr (table, "− "));
  g_assert_nonnull (strstr (table, "Left the list"));
  g_assert_true (gtk_label_get_selectable (pw_chart_card_get_table (PW_CHART_CARD (card))));

  export_three (view, "columns-card");
  {
    g_autofree char *path = g_build_filename (tmp_dir, "columns-card.svg", NULL);
    g_autofree char *svg = NULL;

    check_svg_parses (path);
    /* The words travel with the outlines: the table in <desc>. */
    g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
    g_assert_nonnull (strstr (svg, "<desc>"));
  }

  /* The slide as exported, light and dark, and in presentation type. */
  for (guint dark = 0; dark < 2; dark++)
    {
      g_autoptr(PwChartStyle) style = pw_chart_style_new (dark);
      g_autoptr(GBytes) png = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = pw_test_screenshot_path (dark ? "dark-results-live-columns-slide" : "results-live-columns-slide");

      pw_chart_style_set_presentation (style, TRUE);
      png = pw_chart_render (chart, PW_CHART_FORMAT_PNG, PW_CHART_EXPORT_WIDTH, PW_CHART_EXPORT_HEIGHT, style, &error);
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
      g_test_message ("saved %s", path);
    }
  /* The card as the Results view shows it, scrolled into the window. */
  {
    GtkWidget *page = gtk_widget_get_ancestor (card, PW_TYPE_RESULTS_PAGE);
    GtkWidget *scroller = adw_bin_get_child (ADW_BIN (page));
    graphene_point_t p;

    g_assert_true (gtk_widget_compute_point (card, content_of (page), &GRAPHENE_POINT_INIT (0, 0), &p));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), p.y - 12);
    save_light_dark (GTK_WIDGET (gtk_widget_get_root (card)), "results-live-columns-card");
  }
}

static void
test_results (void)
{
  PwPage *page = g_object_ref_sink (pw_results_page_new (workshop));
  PwResultsPage *results = PW_RESULTS_PAGE (page);
  GtkWidget *window = show_page (page);
  static const char * const ids[] = {
    "data-activity", "data-genres", "training-metrics", "live-columns", "live-genre-shares", "live-clicked-genre",
    "exploration-cold-items", "analysis-user", "evaluation-user-personalization-standard",
    "evaluation-user-personalization-notebook", "evaluation-similar-items-standard",
    "evaluation-similar-items-notebook", NULL,
  };
  PwChartBoard *board = pw_chart_board_get_for_workshop (workshop);
  GtkWidget *card;
  guint n_cards = 0;
  PwPresentation *presentation;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (pw_chart_board_lookup (board, ids[i]) == NULL)
        g_error ("the Results view lacks the chart “%s”", ids[i]);
    }
  g_assert_cmpuint (pw_results_page_get_n_charts (results), >=, 13);
  save_light_dark (content_of (GTK_WIDGET (page)), "results-view");
  save_light_dark (window, "results-view-window");

  /* Every card: its table beside it, and its chart exported in three formats. */
  card = pw_test_find_widget (GTK_WIDGET (page), PW_TYPE_CHART_CARD, NULL);
  g_assert_nonnull (card);
  for (GtkWidget *c = gtk_widget_get_first_child (gtk_widget_get_parent (card)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      PwChartView *view = pw_chart_card_get_view (PW_CHART_CARD (c));
      PwChart *chart = pw_chart_view_get_chart (view);
      const char *id = pw_chart_board_get_chart_id (chart);

      g_assert_cmpstr (gtk_label_get_text (pw_chart_card_get_table (PW_CHART_CARD (c))), !=, "");
      export_three (view, id);
      n_cards++;
    }
  g_assert_cmpuint (n_cards, ==, pw_results_page_get_n_charts (results));

  /* The live-event lists themselves, as their own card. */
  {
    GtkWidget *columns = NULL;

    for (GtkWidget *c = gtk_widget_get_first_child (gtk_widget_get_parent (card)); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      if (g_strcmp0 (pw_chart_board_get_chart_id (pw_chart_view_get_chart (pw_chart_card_get_view (PW_CHART_CARD (c)))),
                     "live-columns") == 0)
        columns = c;
    g_assert_nonnull (columns);
    check_columns_card (columns);
  }

  /* Presenting: full screen, one chart at a time. */
  presentation = pw_results_page_present (results);
  pw_test_iterate_until (pw_test_widget_is_drawn, presentation, 10000);
  /* The live-event columns full screen, in large type. */
  {
    guint n = g_list_model_get_n_items (pw_chart_board_get_model (board));
    guint position = G_MAXUINT;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(PwChart) chart = g_list_model_get_item (pw_chart_board_get_model (board), i);

        if (g_strcmp0 (pw_chart_board_get_chart_id (chart), "live-columns") == 0)
          position = i;
      }
    g_assert_cmpuint (position, <, n);
    pw_presentation_set_position (presentation, position);
    save_light_dark (GTK_WIDGET (presentation), "results-presentation-live-columns");
    pw_presentation_set_position (presentation, 0);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("results-presentation-%u", i + 1);
      save_light_dark (GTK_WIDGET (presentation), name);
      gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", 1);
    }
  gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", G_MAXINT32);
  save_light_dark (GTK_WIDGET (presentation), "results-presentation-last");
  gtk_window_destroy (GTK_WINDOW (presentation));

  g_object_unref (page);
  close_page (window, page);
}

/* ---------------------------------------------------------------------
 * A server that applies events late
 *
 * AWS applies a PutEvents to GetRecommendations within seconds, not at
 * once. This front of personalize-local (a real SoupServer on loopback,
 * in a thread of its own) passes every request on unchanged (the SigV4
 * signature still holds: the same Host, headers and body) and remembers
 * each user's last list; after a PutEvents it answers the next `lag`
 * GetRecommendations for that user with the remembered, old list (all
 * of them when `lag` is G_MAXUINT), as a lagging service would.
 * --------------------------------------------------------------------- */

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  SoupSession *session;
  char *target;                /* personalize-local's URL */
  char *url;                   /* this server's URL */
  GMutex lock;
  GHashTable *last_lists;      /* user id -> GBytes, the last list passed on */
  guint lag;
  guint stale_left;
  guint n_stale;               /* old lists answered */
  guint n_asked_after_event;   /* GetRecommendations since the last PutEvents */
  guint n_events;
  GCond ready;
  gboolean started;
} LateServer;

static char *
user_of_request (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "userId", NULL));
}

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  /* Hop-by-hop and length headers are the connection's own. */
  if (g_ascii_strcasecmp (name, "Content-Length") == 0 || g_ascii_strcasecmp (name, "Connection") == 0 ||
      g_ascii_strcasecmp (name, "Transfer-Encoding") == 0 || g_ascii_strcasecmp (name, "Keep-Alive") == 0)
    return;
  soup_message_headers_append (user_data, name, value);
}

static void
late_server_handler (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  LateServer *late = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  gboolean recommend = g_strcmp0 (g_uri_get_path (uri), "/recommendations") == 0;
  gboolean event = g_strcmp0 (g_uri_get_path (uri), "/events") == 0;
  g_autofree char *user = recommend ? user_of_request (body) : NULL;
  g_autoptr(GUri) target = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SoupMessage) forward = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (recommend && user != NULL)
    {
      g_autoptr(GBytes) old = NULL;

      g_mutex_lock (&late->lock);
      late->n_asked_after_event++;
      if (late->stale_left > 0 && g_hash_table_contains (late->last_lists, user))
        {
          old = g_bytes_ref (g_hash_table_lookup (late->last_lists, user));
          if (late->stale_left != G_MAXUINT)
            late->stale_left--;
          late->n_stale++;
        }
      g_mutex_unlock (&late->lock);
      if (old != NULL)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                            g_bytes_get_data (old, NULL), g_bytes_get_size (old));
          return;
        }
    }

  base = g_uri_parse (late->target, SOUP_HTTP_URI_FLAGS, NULL);
  target = g_uri_build (SOUP_HTTP_URI_FLAGS, "http", NULL, g_uri_get_host (base), g_uri_get_port (base),
                        g_uri_get_path (uri), g_uri_get_query (uri), NULL);
  forward = soup_message_new_from_uri (soup_server_message_get_method (msg), target);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header_cb,
                                soup_message_get_request_headers (forward));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (forward,
                                              soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL),
                                              body);
  answer = soup_session_send_and_read (late->session, forward, NULL, &error);
  if (answer == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
      return;
    }
  soup_message_headers_foreach (soup_message_get_response_headers (forward), copy_header_cb,
                                soup_server_message_get_response_headers (msg));
  soup_server_message_set_status (msg, soup_message_get_status (forward), NULL);
  if (g_bytes_get_size (answer) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), answer);

  g_mutex_lock (&late->lock);
  if (recommend && user != NULL && soup_message_get_status (forward) == SOUP_STATUS_OK)
    g_hash_table_insert (late->last_lists, g_strdup (user), g_bytes_ref (answer));
  if (event && soup_message_get_status (forward) == SOUP_STATUS_OK)
    {
      late->n_events++;
      late->stale_left = late->lag;
      late->n_asked_after_event = 0;
    }
  g_mutex_unlock (&late->lock);
}

static gpointer
late_server_thread (gpointer data)
{
  LateServer *late = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (late->context);
  late->session = soup_session_new ();
  late->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (late->server, NULL, late_server_handler, late, NULL);
  g_assert_true (soup_server_listen_local (late->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (late->server);
  g_mutex_lock (&late->lock);
  late->url = g_uri_to_string (uris->data);
  late->started = TRUE;
  g_cond_signal (&late->ready);
  g_mutex_unlock (&late->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (late->loop);

  soup_server_disconnect (late->server);
  g_clear_object (&late->server);
  g_clear_object (&late->session);
  g_main_context_pop_thread_default (late->context);
  return NULL;
}

static LateServer *
late_server_new (const char *target)
{
  LateServer *late = g_new0 (LateServer, 1);

  g_mutex_init (&late->lock);
  g_cond_init (&late->ready);
  late->target = g_strdup (target);
  late->last_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  late->context = g_main_context_new ();
  late->loop = g_main_loop_new (late->context, FALSE);
  late->thread = g_thread_new ("late-server", late_server_thread, late);
  g_mutex_lock (&late->lock);
  while (!late->started)
    g_cond_wait (&late->ready, &late->lock);
  g_mutex_unlock (&late->lock);
  return late;
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
late_server_free (LateServer *late)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, quit_loop_cb, late->loop, NULL);
  g_source_attach (source, late->context);
  g_source_unref (source);
  g_thread_join (late->thread);
  g_main_loop_unref (late->loop);
  g_main_context_unref (late->context);
  g_hash_table_unref (late->last_lists);
  g_mutex_clear (&late->lock);
  g_cond_clear (&late->ready);
  g_free (late->target);
  g_free (late->url);
  g_free (late);
}

static void
late_server_set_lag (LateServer *late,
                     guint       lag)
{
  g_mutex_lock (&late->lock);
  late->lag = lag;
  late->n_stale = 0;
  g_mutex_unlock (&late->lock);
}

static guint
late_server_get (LateServer *late,
                 guint      *field)
{
  guint v;

  g_mutex_lock (&late->lock);
  v = *field;
  g_mutex_unlock (&late->lock);
  return v;
}

static gboolean
status_says (gpointer data)
{
  return pw_test_find_widget (data, GTK_TYPE_LABEL, "The list did not change within the time allowed.") != NULL;
}

/* The AWS path of a click, against a server that applies events late:
 * the page waits and asks again until the list changes; and when it
 * never does, the page says so once the time allowed is over. */
static void
test_live_events_late (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-results-late-XXXXXX", NULL);
  g_autofree char *server_dir = g_build_filename (dir, "server", NULL);
  g_autofree char *state = g_build_filename (dir, "workshop.json", NULL);
  static const char * const recipes[] = { "aws-user-personalization", "aws-similar-items", NULL };
  PwLocalServerOptions server_options = { 0 };
  g_autoptr(PwLocalServer) server = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(PwAwsConfig) config = pw_aws_config_new ();
  g_autoptr(PwAwsCredentials) creds = NULL;
  g_autofree char *key_id = NULL, *secret = NULL;
  g_autoptr(GError) error = NULL;
  LateServer *late;
  PwWorkshop *aws;
  PwPage *page;
  PwLiveEventsPage *live;
  GtkWidget *window;
  g_autoptr(GPtrArray) shortcuts = NULL;
  gint64 start;
  GtkWidget *said;

  server_options.data_dir = server_dir;
  server_options.step_ms = 20;
  server = pw_local_server_new (&server_options);
  g_assert_true (pw_local_server_start (server, &error));
  g_assert_no_error (error);
  late = late_server_new (pw_local_server_get_url (server));

  /* The AWS back end: every service at personalize-local, but the
   * runtime and the events at the late server in front of it. */
  g_assert_true (g_key_file_load_from_file (keys, pw_local_server_get_credentials_file (server), 0, &error));
  key_id = g_key_file_get_string (keys, "default", "aws_access_key_id", &error);
  g_assert_no_error (error);
  secret = g_key_file_get_string (keys, "default", "aws_secret_access_key", &error);
  g_assert_no_error (error);
  creds = pw_aws_credentials_new (g_strstrip (key_id), g_strstrip (secret), NULL, "test");
  config->region = g_strdup ("us-east-1");
  config->endpoint_url = g_strdup (pw_local_server_get_url (server));
  config->service_endpoint_urls[PW_AWS_SERVICE_PERSONALIZE_RUNTIME] = g_strdup (late->url);
  config->service_endpoint_urls[PW_AWS_SERVICE_PERSONALIZE_EVENTS] = g_strdup (late->url);
  pw_aws_config_set_credentials (config, creds);

  aws = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, NULL);
  g_assert_no_error (error);
  g_assert_true (pw_workshop_set_backend (aws, PW_WORKSHOP_BACKEND_AWS, config, &error));
  g_assert_no_error (error);
  bring_to_campaigns (aws, dir, 11, 150, 200, 8000, recipes);

  page = g_object_ref_sink (pw_live_events_page_new (aws));
  live = PW_LIVE_EVENTS_PAGE (page);
  window = show_page (page);
  apply_page (page, 60000);
  pw_test_iterate_for (100);
  {
    g_autofree char *user = pw_workshop_find_default_user (aws, NULL, &error);

    g_assert_no_error (error);
    pw_live_events_page_set_user_id (live, user);
  }
  pw_test_iterate_until (live_idle, live, 20000);
  g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, 1);
  shortcuts = shortcut_buttons (GTK_WIDGET (page));
  g_assert_cmpuint (shortcuts->len, >=, 2);

  /* Late by two answers: the page asks a third time and shows the new list. */
  pw_workshop_set_event_wait (aws, 10000, 100);
  late_server_set_lag (late, 2);
  g_signal_emit_by_name (g_ptr_array_index (shortcuts, 0), "clicked");
  pw_test_iterate_until (live_idle, live, 30000);
  g_assert_cmpuint (late_server_get (late, &late->n_events), ==, 1);
  g_assert_cmpuint (late_server_get (late, &late->n_stale), ==, 2);
  g_assert_cmpuint (late_server_get (late, &late->n_asked_after_event), ==, 3);
  g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, 2);
  g_assert_true (lists_differ (pw_live_events_page_get_list (live, 1), pw_live_events_page_get_list (live, 0)));
  g_assert_false (status_says (page));
  {
    GtkWidget *sending = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, "Sending the click and waiting for the next list…");

    /* The status line is hidden again once the new list is shown. */
    g_assert_null (sending);
  }
  pw_test_save_screenshot (window, "results-live-events-late", 200);

  /* Never applied: the page waits the time allowed, then says so. */
  pw_workshop_set_event_wait (aws, 1500, 100);
  late_server_set_lag (late, G_MAXUINT);
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (g_ptr_array_index (shortcuts, 1), "clicked");
  pw_test_iterate_until (live_idle, live, 30000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1500 * 1000);
  g_assert_cmpuint (late_server_get (late, &late->n_events), ==, 2);
  g_assert_cmpuint (late_server_get (late, &late->n_stale), >=, 3);
  g_assert_cmpuint (late_server_get (late, &late->n_asked_after_event), ==, late_server_get (late, &late->n_stale));
  g_assert_cmpuint (pw_live_events_page_get_n_lists (live), ==, 3);
  g_assert_false (lists_differ (pw_live_events_page_get_list (live, 2), pw_live_events_page_get_list (live, 1)));
  said = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL, "The list did not change within the time allowed.");
  g_assert_nonnull (said);
  g_assert_true (gtk_widget_get_visible (said));
  g_assert_true (gtk_widget_get_mapped (said));
  /* Clearly: in the warning colour, not dimmed like the other statuses. */
  g_assert_true (gtk_widget_has_css_class (said, "warning"));
  g_assert_false (gtk_widget_has_css_class (said, "dim-label"));
  pw_test_save_screenshot (window, "results-live-events-never-applied", 200);

  g_object_unref (page);
  close_page (window, page);
  {
    PwTestWait w = { NULL };

    pw_workshop_run_step_async (aws, PW_WORKSHOP_STEP_CLEANUP, NULL, pw_test_wait_cb, &w);
    pw_test_wait_result_within (&w, 120000);
    g_object_unref (w.result);
  }
  pw_workshop_shutdown (aws);
  g_object_unref (aws);
  late_server_free (late);
  pw_local_server_stop (server);
  pw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pw_test_init (&argc, &argv);
  /* The application loads the style sheet, as in the real program. */
  app = pw_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  set_up_workshop ();

  g_test_add_func ("/results-pages/1-live-events", test_live_events);
  g_test_add_func ("/results-pages/2-batch", test_batch);
  g_test_add_func ("/results-pages/3-analysis", test_analysis);
  g_test_add_func ("/results-pages/4-results", test_results);
  g_test_add_func ("/results-pages/5-live-events-late", test_live_events_late);

  status = g_test_run ();
  g_clear_object (&app);

  {
    PwTestWait w = { NULL };
    pw_workshop_run_step_async (workshop, PW_WORKSHOP_STEP_CLEANUP, NULL, pw_test_wait_cb, &w);
    pw_test_wait_result_within (&w, 120000);
    g_object_unref (w.result);
  }
  pw_workshop_shutdown (workshop);
  g_clear_object (&workshop);
  pw_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
