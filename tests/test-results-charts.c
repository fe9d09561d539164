/* test-results-charts.c: the stacked bar chart, the chart board and cards,
 * and the presentation window
 *
 * The stacked chart is laid out at several sizes (segments end to end, one
 * bar per category, nothing overlapping or outside), rendered to PNG in
 * light and dark at several sizes with the files kept under the build
 * directory's screenshots, and exported as PNG, SVG and PDF whose files
 * are checked by their magic bytes and parsed back (PNG by cairo, SVG as
 * XML, PDF's header, xref and trailer). The Results view's card shows the
 * chart's table and follows its changes; the presentation window shows
 * one chart at a time, moves with its keys and leaves on Escape, in light
 * and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "pw-chart-board.h"
#include "pw-chart-card.h"
#include "pw-charts.h"
#include "pw-presentation.h"
#include "pw-results-page.h"
#include "pw-test-utils.h"

static const char * const lists[] = { "1. First list", "2. After “Hoop Dreams”", "3. After “The War Room”", "4. After “Buena Vista Social Club”", NULL };
static const char * const genre_names[] = { "Thriller", "Sci-Fi", "Drama", "Documentary", "Other genres" };
static const double shares[][4] = {
  { 0.40, 0.30, 0.20, 0.10 },   /* Thriller */
  { 0.30, 0.25, 0.15, 0.10 },   /* Sci-Fi */
  { 0.20, 0.20, 0.20, 0.20 },   /* Drama */
  { 0.00, 0.15, 0.35, 0.50 },   /* Documentary */
  { 0.10, 0.10, 0.10, 0.10 },   /* Other */
};

static PwChart *
make_stacked (void)
{
  PwChart *chart = pw_chart_new (PW_CHART_KIND_STACKED);

  pw_chart_set_title (chart, "Genre shares of each list");
  pw_chart_set_value_title (chart, "Share of the list");
  pw_chart_set_value_format (chart, PW_CHART_VALUE_PERCENT);
  pw_chart_set_categories (chart, lists);
  for (guint g = 0; g < G_N_ELEMENTS (genre_names); g++)
    pw_chart_add_series (chart, genre_names[g], shares[g], 4);
  return chart;
}

static void
test_stacked_model (void)
{
  g_autoptr(PwChart) chart = make_stacked ();
  g_autofree char *description = pw_chart_describe (chart);
  g_autofree char *table = pw_chart_to_table (chart, PW_CHART_TABLE_TSV);
  double lo, hi;

  g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_STACKED);
  /* The range is that of the bars' totals (each list sums to 1). */
  g_assert_true (pw_chart_get_range (chart, &lo, &hi));
  g_assert_cmpfloat_with_epsilon (lo, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi, 1.0, 1e-9);
  g_assert_true (g_str_has_prefix (description, "Stacked bar chart, 4 bars."));
  g_assert_nonnull (strstr (table, "Documentary"));
  g_assert_nonnull (strstr (table, "4. After “Buena Vista Social Club”"));

  /* A copy keeps the kind. */
  {
    g_autoptr(PwChart) copy = pw_chart_copy (chart);
    g_assert_cmpint (pw_chart_get_kind (copy), ==, PW_CHART_KIND_STACKED);
  }
}

static const int sizes[][2] = { { 360, 260 }, { 640, 400 }, { 900, 600 }, { 1600, 900 } };

static void
test_stacked_layout (void)
{
  g_autoptr(PwChart) chart = make_stacked ();

  for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (guint presentation = 0; presentation < 2; presentation++)
      {
        int w = sizes[z][0], h = sizes[z][1];
        g_autoptr(PwChartStyle) style = pw_chart_style_new (FALSE);
        g_autoptr(PwChartLayout) layout = NULL;
        double start[4], end[4], y[4];
        guint n_bars = 0;

        for (guint i = 0; i < 4; i++)
          start[i] = G_MAXDOUBLE, end[i] = -1, y[i] = -1;
        pw_chart_style_set_presentation (style, presentation);
        layout = pw_test_layout_chart (chart, w, h, style);
        g_assert_true (pw_chart_layout_is_horizontal (layout));

        for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
          {
            const PwChartItem *a = pw_chart_layout_get_item (layout, i);

            if (a->type != PW_CHART_ITEM_LINE)
              g_assert_true (a->x >= -0.5 && a->y >= -0.5 && a->x + a->width <= w + 0.5 && a->y + a->height <= h + 0.5);
            if (a->role != PW_CHART_ROLE_BAR)
              continue;
            n_bars++;
            g_assert_cmpint (a->category, >=, 0);
            g_assert_cmpint (a->category, <, 4);
            /* Segments of one bar share their row. */
            if (y[a->category] < 0)
              y[a->category] = a->y;
            g_assert_cmpfloat_with_epsilon (a->y, y[a->category], 0.01);
            start[a->category] = MIN (start[a->category], a->x);
            end[a->category] = MAX (end[a->category], a->x + a->width);
          }
        /* The smallest size with the large type of a projector has no room
         * left under the title and the legend: then nothing is drawn
         * rather than something crushed. */
        if (n_bars == 0 && w < 640)
          {
            g_test_message ("%dx%d%s: no room for the bars", w, h, presentation ? " (presentation)" : "");
            continue;
          }
        /* 19 non-zero segments (the first list has no documentary). */
        if (n_bars != 19)
          for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
            {
              const PwChartItem *a = pw_chart_layout_get_item (layout, i);
              g_test_message ("%dx%d: role %d “%s” %g,%g %gx%g", w, h, a->role, a->text ? a->text : "",
                              a->x, a->y, a->width, a->height);
            }
        g_assert_cmpuint (n_bars, ==, 19);
        /* Every list sums to 1: the bars are equally long and start at 0. */
        for (guint i = 1; i < 4; i++)
          {
            g_assert_cmpfloat_with_epsilon (start[i], start[0], 0.5);
            g_assert_cmpfloat_with_epsilon (end[i], end[0], 0.5);
            g_assert_cmpfloat (y[i], >, y[i - 1]);
          }
        /* Segments are end to end: the total of a row's widths is its length. */
        for (guint c = 0; c < 4; c++)
          {
            double sum = 0;

            for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
              {
                const PwChartItem *a = pw_chart_layout_get_item (layout, i);
                if (a->role == PW_CHART_ROLE_BAR && a->category == (int) c)
                  sum += a->width;
              }
            g_assert_cmpfloat_with_epsilon (sum, end[c] - start[c], 0.5);
          }
        /* Value labels sit inside their segment. */
        for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
          {
            const PwChartItem *t = pw_chart_layout_get_item (layout, i);

            if (t->role != PW_CHART_ROLE_VALUE_LABEL)
              continue;
            for (guint j = 0; j < pw_chart_layout_get_n_items (layout); j++)
              {
                const PwChartItem *b = pw_chart_layout_get_item (layout, j);

                if (b->role == PW_CHART_ROLE_BAR && b->category == t->category && b->series == t->series)
                  {
                    g_assert_cmpfloat (t->x, >=, b->x - 0.5);
                    g_assert_cmpfloat (t->x + t->width, <=, b->x + b->width + 0.5);
                  }
              }
          }
      }
}

static void
check_png (GBytes *bytes,
           int     width,
           int     height)
{
  static const guint8 magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (len, >, sizeof magic);
  g_assert_cmpmem (data, sizeof magic, magic, sizeof magic);
  texture = gdk_texture_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
}

static void
check_svg (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_strndup (data, len);
  g_autoptr(GMarkupParseContext) context = NULL;
  GMarkupParser parser = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (text, "<?xml"));
  g_assert_nonnull (strstr (text, "<svg"));
  g_assert_true (g_str_has_suffix (g_strchomp (text), "</svg>"));
  /* Well-formed XML. */
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
}

static void
check_pdf (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *tail = NULL;

  g_assert_cmpuint (len, >, 200);
  g_assert_cmpmem (data, 5, "%PDF-", 5);
  tail = g_strndup (data + len - MIN (len, 64), MIN (len, 64));
  g_assert_nonnull (strstr (tail, "%%EOF"));
  g_assert_nonnull (strstr (tail, "startxref"));
}

static void
test_stacked_render (void)
{
  g_autoptr(PwChart) chart = make_stacked ();

  for (guint dark = 0; dark < 2; dark++)
    for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
      {
        g_autoptr(PwChartStyle) style = pw_chart_style_new (dark);
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) png = pw_chart_render (chart, PW_CHART_FORMAT_PNG, sizes[z][0], sizes[z][1], style, &error);
        g_autofree char *name = g_strdup_printf ("chart-stacked-%dx%d%s", sizes[z][0], sizes[z][1], dark ? "-dark" : "");
        g_autofree char *path = pw_test_screenshot_path (name);

        g_assert_no_error (error);
        check_png (png, sizes[z][0], sizes[z][1]);
        g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
        g_test_message ("saved %s", path);
      }

  /* Slide-size exports, through files, as the Save button writes them. */
  {
    g_autofree char *dir = g_dir_make_tmp ("pw-results-charts-XXXXXX", NULL);
    const PwChartFormat formats[] = { PW_CHART_FORMAT_PNG, PW_CHART_FORMAT_SVG, PW_CHART_FORMAT_PDF };

    for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        g_autofree char *name = g_strdup_printf ("shares.%s", pw_chart_format_get_extension (formats[f]));
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) bytes = NULL;
        char *contents;
        gsize len;

        g_assert_true (pw_chart_export (chart, file, formats[f], PW_CHART_EXPORT_WIDTH, PW_CHART_EXPORT_HEIGHT,
                                        NULL, NULL, &error));
        g_assert_no_error (error);
        g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
        bytes = g_bytes_new_take (contents, len);
        if (formats[f] == PW_CHART_FORMAT_PNG)
          check_png (bytes, PW_CHART_EXPORT_WIDTH, PW_CHART_EXPORT_HEIGHT);
        else if (formats[f] == PW_CHART_FORMAT_SVG)
          check_svg (bytes);
        else
          check_pdf (bytes);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
}


/* Three lists of ten, as the Live Events page fills them: the second and
 * third with entered and left movies. */
static PwChart *
make_columns (void)
{
  PwChart *chart = pw_chart_new (PW_CHART_KIND_COLUMNS);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  PwChartMark marks[12];

  pw_chart_set_title (chart, "User 7's list after each click");
  for (guint c = 0; c < 3; c++)
    {
      guint n = 0;

      g_ptr_array_set_size (texts, 0);
      for (guint i = 0; i < 10; i++, n++)
        {
          /* Column c drops its first c movies and takes c new ones. */
          g_ptr_array_add (texts, g_strdup_printf ("A movie with a rather long title, number %u (19%02u)", i + c, i + c));
          marks[n] = c > 0 && i >= 10 - c ? PW_CHART_MARK_ENTERED : PW_CHART_MARK_NONE;
        }
      for (guint i = 0; c > 0 && i < 1; i++, n++)
        {
          g_ptr_array_add (texts, g_strdup_printf ("A movie with a rather long title, number %u (19%02u)", c - 1, c - 1));
          marks[n] = PW_CHART_MARK_LEFT;
        }
      {
        g_autofree char *heading = g_strdup_printf ("%u. After “Movie %u”", c + 1, c);

        pw_chart_add_column (chart, heading, (const char * const *) texts->pdata, marks, n);
      }
    }
  return chart;
}

static gboolean
boxes_overlap (const PwChartItem *a,
               const PwChartItem *b)
{
  return a->x < b->x + b->width - 0.5 && b->x < a->x + a->width - 0.5 &&
         a->y < b->y + b->height - 0.5 && b->y < a->y + a->height - 0.5;
}

/* The columns kind: its model, its table (the text alternative), and its
 * layout at every size, on screen and on a projector: every text inside
 * the chart, no two texts overlapping, one heading per column, a tint
 * behind each entered movie and a line through each one that left. */
static void
test_columns (void)
{
  g_autoptr(PwChart) chart = make_columns ();
  g_autoptr(PwChart) copy = NULL;
  g_autofree char *tsv = NULL;
  g_autofree char *copy_tsv = NULL;
  g_auto(GStrv) rows = NULL;
  PwChartMark mark = PW_CHART_MARK_NONE;

  g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, 3);
  g_assert_cmpuint (pw_chart_get_n_cells (chart, 0), ==, 10);
  g_assert_cmpuint (pw_chart_get_n_cells (chart, 2), ==, 11);
  g_assert_cmpuint (pw_chart_get_n_cells (chart, 3), ==, 0);
  g_assert_null (pw_chart_get_cell (chart, 0, 10, NULL));
  g_assert_cmpstr (pw_chart_get_cell (chart, 2, 10, &mark), ==, "A movie with a rather long title, number 1 (1901)");
  g_assert_cmpint (mark, ==, PW_CHART_MARK_LEFT);
  g_assert_false (pw_chart_is_empty (chart));

  tsv = pw_chart_to_table (chart, PW_CHART_TABLE_TSV);
  rows = g_strsplit (tsv, "\n", -1);
  g_assert_cmpstr (rows[0], ==, "Rank\t1. After “Movie 0”\t2. After “Movie 1”\t3. After “Movie 2”");
  g_assert_cmpstr (rows[1], ==, "1\tA movie with a rather long title, number 0 (1900)\t"
                                "A movie with a rather long title, number 1 (1901)\t"
                                "A movie with a rather long title, number 2 (1902)");
  g_assert_true (g_str_has_suffix (rows[10], "\t+ A movie with a rather long title, number 11 (1911)"));
  g_assert_cmpstr (rows[11], ==, "Left the list\t\t− A movie with a rather long title, number 0 (1900)\t"
                                 "− A movie with a rather long title, number 1 (1901)");
  g_assert_cmpstr (rows[12], ==, "");
  g_assert_null (rows[13]);
  copy = pw_chart_copy (chart);
  copy_tsv = pw_chart_to_table (copy, PW_CHART_TABLE_TSV);
  g_assert_cmpstr (copy_tsv, ==, tsv);
  {
    g_autofree char *describe = pw_chart_describe (chart);

    g_assert_nonnull (strstr (describe, "new: A movie with a rather long title, number 11 (1911)"));
    g_assert_nonnull (strstr (describe, "left: A movie with a rather long title, number 0 (1900)"));
  }

  for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (guint presentation = 0; presentation < 2; presentation++)
      {
        int w = sizes[z][0], h = sizes[z][1];
        g_autoptr(PwChartStyle) style = pw_chart_style_new (presentation);
        g_autoptr(PwChartLayout) layout = NULL;
        guint n_headings = 0, n_tints = 0, n_strikes = 0;

        pw_chart_style_set_presentation (style, presentation);
        layout = pw_test_layout_chart (chart, w, h, style);
        for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
          {
            const PwChartItem *a = pw_chart_layout_get_item (layout, i);

            g_assert_true (a->x >= -0.5 && a->y >= -0.5);
            if (a->type != PW_CHART_ITEM_LINE)
              g_assert_true (a->x + a->width <= w + 0.5 && a->y + a->height <= h + 0.5);
            n_headings += a->role == PW_CHART_ROLE_COLUMN_HEADING;
            n_tints += a->role == PW_CHART_ROLE_MARK && a->type == PW_CHART_ITEM_RECT && a->category >= 0;
            n_strikes += a->role == PW_CHART_ROLE_MARK && a->type == PW_CHART_ITEM_LINE;
            if (a->type != PW_CHART_ITEM_TEXT)
              continue;
            for (guint j = i + 1; j < pw_chart_layout_get_n_items (layout); j++)
              {
                const PwChartItem *b = pw_chart_layout_get_item (layout, j);

                if (b->type == PW_CHART_ITEM_TEXT && boxes_overlap (a, b))
                  g_error ("%d × %d%s: “%s” overlaps “%s”", w, h, presentation ? " (projector)" : "", a->text, b->text);
              }
          }
        /* Every row on a slide or a window; a small chart shows the rows
         * that fit (checked above: nothing beyond its edges). */
        g_test_message ("columns %d × %d%s: %u headings, %u tinted, %u struck", w, h,
                        presentation ? " (projector)" : "", n_headings, n_tints, n_strikes);
        if (w >= 900)
          {
            g_assert_cmpuint (n_headings, ==, 3);
            g_assert_cmpuint (n_tints, ==, 1 + 2);
            /* Two movies left, and the legend's sample. */
            g_assert_cmpuint (n_strikes, ==, 2 + 1);
          }
      }

  /* The slide, dark, for looking at. */
  {
    g_autoptr(PwChartStyle) style = pw_chart_style_new (TRUE);
    g_autoptr(GBytes) png = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = pw_test_screenshot_path ("chart-columns-dark-slide");

    png = pw_chart_render (chart, PW_CHART_FORMAT_PNG, PW_CHART_EXPORT_WIDTH, PW_CHART_EXPORT_HEIGHT, style, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
    g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  }

  pw_chart_clear (chart);
  g_assert_true (pw_chart_is_empty (chart));
  g_assert_cmpuint (pw_chart_get_n_cells (chart, 0), ==, 0);
}

static void
test_board_and_card (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-results-board-XXXXXX", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  PwChartBoard *board = pw_chart_board_get_for_workshop (workshop);
  g_autoptr(PwChart) a = make_stacked ();
  g_autoptr(PwChart) b = pw_chart_new (PW_CHART_KIND_BAR);
  g_autoptr(PwChart) a2 = make_stacked ();
  GtkWidget *window, *card;
  const char *table;

  /* One board per workshop; publishing again under an id replaces in place. */
  g_assert_true (pw_chart_board_get_for_workshop (workshop) == board);
  pw_chart_board_publish (board, "shares", a);
  pw_chart_set_title (b, "Cold movies");
  pw_chart_set_categories (b, (const char * const[]) { "0.00", "0.50", NULL });
  pw_chart_add_series (b, NULL, (const double[]) { 0, 3 }, 2);
  pw_chart_board_publish (board, "cold", b);
  g_assert_cmpuint (g_list_model_get_n_items (pw_chart_board_get_model (board)), ==, 2);
  pw_chart_board_publish (board, "shares", a2);
  g_assert_cmpuint (g_list_model_get_n_items (pw_chart_board_get_model (board)), ==, 2);
  g_assert_true (pw_chart_board_lookup (board, "shares") == a2);
  g_assert_true (pw_chart_board_lookup (board, "cold") == b);
  g_assert_cmpstr (pw_chart_board_get_chart_id (a2), ==, "shares");
  g_assert_null (pw_chart_board_lookup (board, "nothing"));

  /* Charts come in the workshop's order, whatever the publishing order. */
  {
    g_autofree char *wdir = g_dir_make_tmp ("pw-results-order-XXXXXX", NULL);
    g_autoptr(PwWorkshop) w2 = pw_test_new_workshop (wdir);
    PwChartBoard *b2 = pw_chart_board_get_for_workshop (w2);
    const char *order[] = { "evaluation-x", "live-genre-shares", "data-activity", "analysis-user", "training-metrics", "live-clicked-genre" };
    const char *expected[] = { "data-activity", "training-metrics", "live-genre-shares", "live-clicked-genre", "analysis-user", "evaluation-x" };

    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      {
        g_autoptr(PwChart) c = pw_chart_new (PW_CHART_KIND_BAR);
        pw_chart_board_publish (b2, order[i], c);
      }
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_autoptr(PwChart) c = g_list_model_get_item (pw_chart_board_get_model (b2), i);
        g_assert_cmpstr (pw_chart_board_get_chart_id (c), ==, expected[i]);
      }
    g_clear_object (&w2);
    pw_test_remove_dir (wdir);
  }

  /* The card: the chart and its table, which follows the chart. */
  card = pw_chart_card_new (a2);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 460);
  gtk_window_set_child (GTK_WINDOW (window), card);
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (pw_test_widget_is_drawn, card, 10000);
  g_assert_true (pw_chart_view_get_chart (pw_chart_card_get_view (PW_CHART_CARD (card))) == a2);
  table = gtk_label_get_text (pw_chart_card_get_table (PW_CHART_CARD (card)));
  g_assert_nonnull (strstr (table, "Documentary"));
  g_assert_nonnull (strstr (table, "50.0%"));
  g_assert_nonnull (strstr (table, "4. After “Buena Vista Social Club”"));
  g_assert_true (gtk_label_get_selectable (pw_chart_card_get_table (PW_CHART_CARD (card))));
  pw_test_set_dark (FALSE);
  pw_test_save_screenshot (window, "results-card", 150);
  pw_test_set_dark (TRUE);
  pw_test_save_screenshot (window, "dark-results-card", 150);
  pw_test_set_dark (FALSE);

  pw_chart_set_categories (a2, (const char * const[]) { "Only list", NULL });
  pw_chart_add_series (a2, "Western", (const double[]) { 1.0 }, 1);
  table = gtk_label_get_text (pw_chart_card_get_table (PW_CHART_CARD (card)));
  g_assert_nonnull (strstr (table, "Western"));

  g_object_add_weak_pointer (G_OBJECT (card), (gpointer *) &card);
  gtk_window_destroy (GTK_WINDOW (window));
  pw_test_iterate_for (50);
  g_assert_null (card);
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

static gboolean
is_destroyed (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_presentation (void)
{
  g_autoptr(GListStore) charts = g_list_store_new (PW_TYPE_CHART);
  g_autoptr(PwChart) stacked = make_stacked ();
  g_autoptr(PwChart) bar = pw_chart_new (PW_CHART_KIND_BAR);
  g_autoptr(PwChart) third = pw_chart_new (PW_CHART_KIND_BAR);
  PwPresentation *presentation;
  GtkWidget *view;

  pw_chart_set_title (bar, "Offline metrics");
  pw_chart_set_value_format (bar, PW_CHART_VALUE_FRACTION);
  pw_chart_set_categories (bar, (const char * const[]) { "MRR@25", "P@10", "NDCG@10", NULL });
  pw_chart_add_series (bar, "user-personalization", (const double[]) { 0.26, 0.09, 0.27 }, 3);
  pw_chart_add_series (bar, "popularity-count", (const double[]) { 0.04, 0.02, 0.06 }, 3);
  pw_chart_set_title (third, "Third");
  pw_chart_set_categories (third, (const char * const[]) { "a", NULL });
  pw_chart_add_series (third, NULL, (const double[]) { 1 }, 1);
  g_list_store_append (charts, stacked);
  g_list_store_append (charts, bar);

  presentation = pw_presentation_new (G_LIST_MODEL (charts));
  view = pw_presentation_get_view (presentation);
  gtk_window_fullscreen (GTK_WINDOW (presentation));
  gtk_window_present (GTK_WINDOW (presentation));
  pw_test_iterate_until (pw_test_widget_is_drawn, view, 10000);
  pw_test_iterate_for (300);

  /* Large type: the presentation style. */
  g_assert_true (pw_chart_view_get_presentation (PW_CHART_VIEW (view)));
  g_assert_cmpuint (pw_presentation_get_position (presentation), ==, 0);
  g_assert_true (pw_chart_view_get_chart (PW_CHART_VIEW (view)) == stacked);
  pw_test_set_dark (FALSE);
  pw_test_save_screenshot (GTK_WIDGET (presentation), "presentation-1", 150);
  pw_test_set_dark (TRUE);
  pw_test_save_screenshot (GTK_WIDGET (presentation), "dark-presentation-1", 150);
  pw_test_set_dark (FALSE);

  /* The keys' actions: forward, past the end stays, back, ends. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", 1));
  g_assert_cmpuint (pw_presentation_get_position (presentation), ==, 1);
  g_assert_true (pw_chart_view_get_chart (PW_CHART_VIEW (view)) == bar);
  pw_test_save_screenshot (GTK_WIDGET (presentation), "presentation-2", 150);
  pw_test_set_dark (TRUE);
  pw_test_save_screenshot (GTK_WIDGET (presentation), "dark-presentation-2", 150);
  pw_test_set_dark (FALSE);
  gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", 1);
  g_assert_cmpuint (pw_presentation_get_position (presentation), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", -1);
  g_assert_cmpuint (pw_presentation_get_position (presentation), ==, 0);
  /* A chart published while presenting is there at once. */
  g_list_store_append (charts, third);
  gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", G_MAXINT32);
  g_assert_cmpuint (pw_presentation_get_position (presentation), ==, 2);
  g_assert_true (pw_chart_view_get_chart (PW_CHART_VIEW (view)) == third);
  gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.move", "i", G_MININT32);
  g_assert_cmpuint (pw_presentation_get_position (presentation), ==, 0);

  /* Escape leaves. */
  g_object_add_weak_pointer (G_OBJECT (presentation), (gpointer *) &presentation);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (presentation), "presentation.leave", NULL));
  pw_test_iterate_until (is_destroyed, &presentation, 5000);
}

/* The key bindings of the presentation exist for the keys presenters use. */
static void
test_presentation_keys (void)
{
  g_autoptr(GListStore) charts = g_list_store_new (PW_TYPE_CHART);
  g_autoptr(PwChart) a = make_stacked ();
  g_autoptr(PwChart) b = make_stacked ();
  PwPresentation *presentation;
  GListModel *controllers;
  const struct { guint key; guint expect; } steps[] = {
    { GDK_KEY_Right, 1 }, { GDK_KEY_Left, 0 }, { GDK_KEY_Page_Down, 1 }, { GDK_KEY_Page_Up, 0 },
    { GDK_KEY_space, 1 }, { GDK_KEY_Home, 0 }, { GDK_KEY_End, 1 }, { GDK_KEY_Up, 0 }, { GDK_KEY_Down, 1 },
  };

  g_list_store_append (charts, a);
  g_list_store_append (charts, b);
  presentation = pw_presentation_new (G_LIST_MODEL (charts));
  gtk_window_present (GTK_WINDOW (presentation));
  pw_test_iterate_until (pw_test_widget_is_drawn, presentation, 10000);

  /* The bindings, as GTK keeps them: shortcuts in the widget's shortcut
   * controllers. Each key's action is activated as a key press would. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (presentation));
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autoptr(GtkShortcutTrigger) trigger = gtk_keyval_trigger_new (steps[s].key, 0);
      gboolean found = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
        {
          g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

          /* The presentation's own keys, first to see a key press. */
          if (!GTK_IS_SHORTCUT_CONTROLLER (c) ||
              gtk_event_controller_get_propagation_phase (c) != GTK_PHASE_CAPTURE)
            continue;
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)) && !found; k++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), k);

              if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger))
                {
                  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                               GTK_WIDGET (presentation),
                                                               gtk_shortcut_get_arguments (shortcut)));
                  found = TRUE;
                }
            }
        }
      g_assert_true (found);
      g_assert_cmpuint (pw_presentation_get_position (presentation), ==, steps[s].expect);
    }
  g_object_unref (controllers);
  gtk_window_destroy (GTK_WINDOW (presentation));
  pw_test_iterate_for (50);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_query_exists (data, NULL);
}

static void
check_file (const char    *path,
            PwChartFormat  format)
{
  char *contents;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (contents, len);
  if (format == PW_CHART_FORMAT_PNG)
    check_png (bytes, PW_CHART_EXPORT_WIDTH, PW_CHART_EXPORT_HEIGHT);
  else if (format == PW_CHART_FORMAT_SVG)
    check_svg (bytes);
  else
    check_pdf (bytes);
}

/* The Results view on prepared data: the data and genre distributions as
 * cards, each with its table, each exported through its view as the Save
 * button does, at slide size, in the three formats. */
static void
test_results_view_data (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-results-view-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  g_autoptr(GError) error = NULL;
  PwPrepareResult *prepared;
  PwPage *page;
  GtkWidget *window, *card, *scroller;
  guint n_cards = 0;

  prepared = pw_test_prepare_synthetic (data_dir, 42, 300, 240, 15000);
  g_assert_true (pw_workshop_set_prepared (workshop, prepared, data_dir, &error));
  g_assert_no_error (error);
  pw_prepare_result_unref (prepared);

  page = g_object_ref_sink (pw_results_page_new (workshop));
  /* All data, training, validation, movies and interactions per genre. */
  g_assert_cmpuint (pw_results_page_get_n_charts (PW_RESULTS_PAGE (page)), ==, 5);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (pw_test_widget_is_drawn, page, 10000);
  scroller = adw_bin_get_child (ADW_BIN (page));
  pw_test_set_dark (FALSE);
  pw_test_save_screenshot (window, "results-view-data", 150);
  pw_test_save_screenshot (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)), "results-view-data-full", 150);
  pw_test_set_dark (TRUE);
  pw_test_save_screenshot (window, "dark-results-view-data", 150);
  pw_test_set_dark (FALSE);

  card = pw_test_find_widget (GTK_WIDGET (page), PW_TYPE_CHART_CARD, NULL);
  g_assert_nonnull (card);
  for (GtkWidget *c = gtk_widget_get_first_child (gtk_widget_get_parent (card)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      PwChartView *view = pw_chart_card_get_view (PW_CHART_CARD (c));
      const char *id = pw_chart_board_get_chart_id (pw_chart_view_get_chart (view));
      const PwChartFormat formats[] = { PW_CHART_FORMAT_PNG, PW_CHART_FORMAT_SVG, PW_CHART_FORMAT_PDF };

      g_assert_nonnull (id);
      g_assert_cmpuint (strlen (gtk_label_get_text (pw_chart_card_get_table (PW_CHART_CARD (c)))), >, 20);
      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", id, pw_chart_format_get_extension (formats[f]));
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autoptr(GFile) file = g_file_new_for_path (path);

          pw_chart_view_save_to (view, file, formats[f]);
          pw_test_iterate_until (file_exists, file, 20000);
          pw_test_iterate_for (50);
          check_file (path, formats[f]);
          g_unlink (path);
        }
      n_cards++;
    }
  g_assert_cmpuint (n_cards, ==, 5);

  gtk_window_destroy (GTK_WINDOW (window));
  pw_test_iterate_for (50);
  g_assert_finalize_object (page);
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pw_test_init (&argc, &argv);
  /* The application's style sheet, as AdwApplication loads it. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, PW_RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/results-charts/stacked/model", test_stacked_model);
  g_test_add_func ("/results-charts/stacked/layout", test_stacked_layout);
  g_test_add_func ("/results-charts/stacked/render", test_stacked_render);
  g_test_add_func ("/results-charts/columns", test_columns);
  g_test_add_func ("/results-charts/board-and-card", test_board_and_card);
  g_test_add_func ("/results-charts/presentation", test_presentation);
  g_test_add_func ("/results-charts/presentation-keys", test_presentation_keys);
  g_test_add_func ("/results-charts/results-view-data", test_results_view_data);

  status = g_test_run ();
  return status;
}
