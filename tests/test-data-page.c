/* test-data-page.c: the Data step, in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <string.h>

#include "pw-archive.h"
#include "pw-charts.h"
#include "pw-data-page.h"
#include "pw-test-utils.h"

typedef struct
{
  GtkWindow *window;
  PwDataPage *page;
  char *dir;
  char *out;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const PwSyntheticOptions small = { 7, 600, 400, 40000 };

  f->dir = g_dir_make_tmp ("pw-data-page-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->out = g_build_filename (f->dir, "out", NULL);

  f->window = GTK_WINDOW (g_object_ref_sink (gtk_window_new ()));
  f->page = PW_DATA_PAGE (pw_data_page_new (NULL));
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_set_default_size (f->window, 1000, 900);
  pw_data_page_set_output_dir (f->page, f->out);
  pw_data_page_set_synthetic (f->page, &small);
  gtk_window_present (f->window);
  pw_test_iterate_until (pw_test_widget_is_drawn, f->page, 10000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->window);
  pw_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->out);
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *path = pw_test_screenshot_path (name);

  pw_test_iterate_for (200);
  g_assert_true (pw_test_save_widget_png (widget, path));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_with_action (GtkWidget  *widget,
                         const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button_with_action (c, action);
      if (found)
        return found;
    }
  return NULL;
}

static void
count_charts (GtkWidget *widget,
              guint     *n,
              guint     *non_empty)
{
  if (PW_IS_CHART_VIEW (widget))
    {
      (*n)++;
      if (!pw_chart_is_empty (pw_chart_view_get_chart (PW_CHART_VIEW (widget))))
        (*non_empty)++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    count_charts (c, n, non_empty);
}

static void
test_synthetic (Fixture       *f,
                gconstpointer  data)
{
  PwTestApply a = { 0 };
  const PwPrepareResult *r;
  g_autofree char *training = g_build_filename (f->out, "training_interaction.csv", NULL);
  g_autofree char *validation = g_build_filename (f->out, "validation_interaction.csv", NULL);
  g_autofree char *catalog = g_build_filename (f->out, "catalog.csv", NULL);
  guint n = 0, non_empty = 0;
  GtkWidget *scrolled;

  g_assert_cmpint (pw_data_page_get_source (f->page), ==, PW_SOURCE_SYNTHETIC);
  save_png (GTK_WIDGET (f->window), "data-page-choose");
  /* The page offers to do what Next does, until it is done. */
  g_assert_true (gtk_widget_get_visible (find_button_with_action (GTK_WIDGET (f->page), "win.apply")));

  pw_test_page_apply (PW_PAGE (f->page), NULL, &a, 60000);
  g_assert_no_error (a.error);
  g_assert_true (a.ok);
  g_assert_true (pw_page_get_complete (PW_PAGE (f->page)));
  g_assert_false (gtk_widget_get_visible (find_button_with_action (GTK_WIDGET (f->page), "win.apply")));

  r = pw_data_page_get_result (f->page);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->stats->n_rows, ==, 40000);
  /* What the page reports is what it wrote. */
  g_assert_cmpuint (count_lines (training), ==, r->split->n_training_rows + 1);
  g_assert_cmpuint (count_lines (validation), ==, r->split->n_validation_rows + 1);
  g_assert_true (g_file_test (catalog, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (r->split->n_training_rows + r->split->n_validation_rows, ==, r->split->n_warm_rows);

  /* Histograms of all, training and validation; genres twice; ratings;
   * time: all with data. */
  count_charts (GTK_WIDGET (f->page), &n, &non_empty);
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpuint (non_empty, ==, 7);

  save_png (GTK_WIDGET (f->window), "data-page-summary");
  scrolled = find_descendant (GTK_WIDGET (f->page), GTK_TYPE_SCROLLED_WINDOW);
  {
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  }
  save_png (GTK_WIDGET (f->window), "data-page-charts");

  /* A changed choice makes the page incomplete again. */
  pw_data_page_set_source (f->page, PW_SOURCE_ML_100K);
  g_assert_false (pw_page_get_complete (PW_PAGE (f->page)));
  save_png (GTK_WIDGET (f->window), "data-page-movielens");
}

static void
test_csv_bad_row (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "mine.csv", NULL);
  g_autofree char *training = g_build_filename (f->out, "training_interaction.csv", NULL);
  g_autoptr(GString) text = g_string_new ("USER_ID,ITEM_ID,TIMESTAMP\n");
  PwTestApply a = { 0 };
  PwTestApply b = { 0 };
  PwTestApply c = { 0 };

  for (guint u = 1; u <= 30; u++)
    for (guint i = 1; i <= 12; i++)
      g_string_append_printf (text, "u%u,m%u,%u\n", u, (u * 7 + i) % 40, 1000000 + u * 100 + i);
  g_string_append (text, "u3,m4,yesterday\n");
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));

  pw_data_page_set_source (f->page, PW_SOURCE_CSV);

  /* No file chosen yet: a clear message, nothing written. */
  pw_test_page_apply (PW_PAGE (f->page), NULL, &c, 60000);
  g_assert_false (c.ok);
  g_assert_nonnull (c.error);
  g_assert_nonnull (strstr (c.error->message, "CSV"));
  g_clear_error (&c.error);

  pw_data_page_set_input (f->page, csv);
  pw_test_page_apply (PW_PAGE (f->page), NULL, &a, 60000);
  g_assert_false (a.ok);
  g_assert_nonnull (a.error);
  g_test_message ("error: %s", a.error->message);
  /* The message says which file, which line and which column. */
  g_assert_nonnull (strstr (a.error->message, "mine.csv"));
  g_assert_nonnull (strstr (a.error->message, "362"));
  g_assert_nonnull (strstr (a.error->message, "TIMESTAMP"));
  g_clear_error (&a.error);
  g_assert_false (pw_page_get_complete (PW_PAGE (f->page)));
  g_assert_false (g_file_test (training, G_FILE_TEST_EXISTS));

  pw_data_page_set_skip_bad_rows (f->page, TRUE);
  pw_test_page_apply (PW_PAGE (f->page), NULL, &b, 60000);
  g_assert_no_error (b.error);
  g_assert_true (pw_page_get_complete (PW_PAGE (f->page)));
  g_assert_cmpuint (pw_data_page_get_result (f->page)->report.n_skipped, ==, 1);
  g_assert_cmpuint (pw_data_page_get_result (f->page)->stats->n_rows, ==, 360);
  g_assert_true (g_file_test (training, G_FILE_TEST_EXISTS));
  save_png (GTK_WIDGET (f->window), "data-page-csv");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const PwSyntheticOptions full = PW_SYNTHETIC_OPTIONS_DEFAULT;
  PwTestApply a = { 0 };

  pw_data_page_set_synthetic (f->page, &full);
  pw_page_apply_async (PW_PAGE (f->page), cancellable, pw_test_apply_cb, &a);
  g_cancellable_cancel (cancellable);
  pw_test_apply_wait (&a, 60000);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&a.error);
  g_assert_false (pw_page_get_complete (PW_PAGE (f->page)));
  g_assert_null (pw_data_page_get_result (f->page));
  /* Nothing half-written. */
  {
    g_autofree char *training = g_build_filename (f->out, "training_interaction.csv", NULL);
    g_assert_false (g_file_test (training, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  pw_test_init (&argc, &argv);

  g_test_add ("/data-page/synthetic", Fixture, NULL, fixture_set_up, test_synthetic, fixture_tear_down);
  g_test_add ("/data-page/csv-bad-row", Fixture, NULL, fixture_set_up, test_csv_bad_row, fixture_tear_down);
  g_test_add ("/data-page/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);

  return g_test_run ();
}
