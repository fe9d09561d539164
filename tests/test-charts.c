/* test-charts.c: the chart model, binning, ticks, drawing, export and widgets
 *
 * The widget tests open a window under Xvfb and save PNG screenshots under
 * PW_SCREENSHOT_DIR (chart-*.png) so that the charts can be looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "pw-charts.h"
#include "pw-test-utils.h"
#include "pw-ui.h"

/* MovieLens 1M: movies per genre (a movie counts once per genre). */
static const char * const genres[] = {
  "Drama", "Comedy", "Action", "Thriller", "Romance", "Horror", "Adventure",
  "Sci-Fi", "Children's", "Crime", "War", "Documentary", "Musical", "Mystery",
  "Animation", "Fantasy", "Western", "Film-Noir", NULL
};
static const double genre_items[] = {
  1603, 1200, 503, 492, 471, 343, 283, 276, 251, 211, 143, 127, 114, 106, 105, 68, 68, 44
};

/* Long-tailed interactions per user, shaped like ML-1M's (min 20, median
 * about 96, max 2,314), from a fixed seed. */
static guint *
make_activity (gsize n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint *values = g_new (guint, n);

  for (gsize i = 0; i < n; i++)
    {
      double u1 = g_rand_double (rand);
      double u2 = g_rand_double (rand);
      double z = sqrt (-2 * log (1 - u1)) * cos (2 * G_PI * u2);
      double v = 20 + exp (log (76) + 1.1 * z);

      values[i] = (guint) CLAMP (v, 20, 2314);
    }
  values[0] = 20;
  values[1] = 2314;
  return values;
}

static PwChart *
make_genre_chart (void)
{
  PwChart *chart = pw_chart_new (PW_CHART_KIND_BAR);

  pw_chart_set_title (chart, "Movies per genre");
  pw_chart_set_category_title (chart, "Genre");
  pw_chart_set_value_title (chart, "Movies");
  pw_chart_set_categories (chart, genres);
  pw_chart_add_series (chart, NULL, genre_items, G_N_ELEMENTS (genre_items));
  return chart;
}

static PwChart *
make_metrics_chart (void)
{
  static const char * const metrics[] = { "MRR@25", "NDCG@10", "NDCG@25", "P@10", NULL };
  static const double popularity[] = { 0.0449, 0.0560, 0.0914, 0.0158 };
  static const double personalization[] = { 0.2629, 0.2748, 0.3549, 0.0944 };
  static const double similar[] = { 0.1873, 0.1976, 0.2630, 0.0588 };
  PwChart *chart = pw_chart_new (PW_CHART_KIND_BAR);

  pw_chart_set_title (chart, "Offline metrics by recipe");
  pw_chart_set_value_title (chart, "Score");
  pw_chart_set_value_format (chart, PW_CHART_VALUE_FRACTION);
  pw_chart_set_categories (chart, metrics);
  pw_chart_add_series (chart, "popularity-count", popularity, 4);
  pw_chart_add_series (chart, "user-personalization", personalization, 4);
  pw_chart_add_series (chart, "similar-items", similar, 4);
  return chart;
}

static PwChart *
make_histogram_chart (void)
{
  g_autofree guint *activity = make_activity (6040);
  g_autoptr(PwChartBins) bins = pw_chart_bins_new (activity, 6040, PW_CHART_BINNING_LOG, 0);
  PwChart *chart = pw_chart_new (PW_CHART_KIND_HISTOGRAM);

  pw_chart_set_title (chart, "Interactions per user (all data)");
  pw_chart_set_category_title (chart, "Interactions per user");
  pw_chart_set_value_title (chart, "Users");
  pw_chart_set_bins (chart, bins, NULL);
  return chart;
}

/* Ratings over 35 months, as interactions-over-time shows them. */
static PwChart *
make_time_chart (void)
{
  PwChart *chart = pw_chart_new (PW_CHART_KIND_BAR);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  double values[35];

  for (guint i = 0; i < 35; i++)
    {
      guint month = (3 + i) % 12 + 1;
      guint year = 2000 + (3 + i) / 12;

      g_ptr_array_add (labels, g_strdup_printf ("%u-%02u", year, month));
      /* Most ratings in the first year, then a long tail. */
      values[i] = round (180000 * exp (-(double) i / 3.0) + 2000 + 500 * (i % 4));
    }
  g_ptr_array_add (labels, NULL);

  pw_chart_set_title (chart, "Ratings per month");
  pw_chart_set_category_title (chart, "Month");
  pw_chart_set_value_title (chart, "Ratings");
  pw_chart_set_orientation (chart, PW_CHART_ORIENTATION_VERTICAL);
  pw_chart_set_categories (chart, (const char * const *) labels->pdata);
  pw_chart_add_series (chart, NULL, values, 35);
  return chart;
}

/* Ticks ------------------------------------------------------------------ */

static gboolean
is_nice (double step)
{
  double m = step / pow (10, floor (log10 (step) + 1e-9));

  return fabs (m - 1) < 1e-6 || fabs (m - 2) < 1e-6 || fabs (m - 5) < 1e-6;
}

static void
test_ticks_examples (void)
{
  double first, step;
  guint n;

  n = pw_chart_nice_ticks (0, 100, 6, FALSE, &first, &step);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat (first, ==, 0);
  g_assert_cmpfloat (step, ==, 20);

  /* 1,603 movies in 8 ticks or fewer: 0, 500 ... 2,000. */
  n = pw_chart_nice_ticks (0, 1603, 8, TRUE, &first, &step);
  g_assert_cmpfloat (step, ==, 500);
  g_assert_cmpuint (n, ==, 5);

  /* Fractions: 0, 0.1, 0.2, 0.3, 0.4. */
  n = pw_chart_nice_ticks (0, 0.3549, 6, FALSE, &first, &step);
  g_assert_cmpfloat_with_epsilon (step, 0.1, 1e-12);
  g_assert_cmpuint (n, ==, 5);

  /* Integers never get fractional steps. */
  n = pw_chart_nice_ticks (0, 3, 8, TRUE, &first, &step);
  g_assert_cmpfloat (step, ==, 1);
  g_assert_cmpuint (n, ==, 4);

  /* An empty range is widened. */
  n = pw_chart_nice_ticks (0, 0, 5, FALSE, &first, &step);
  g_assert_cmpfloat (first, ==, 0);
  g_assert_cmpfloat (first + (n - 1) * step, >=, 1);

  /* Negative values. */
  n = pw_chart_nice_ticks (-35, 80, 6, FALSE, &first, &step);
  g_assert_cmpfloat (first, <=, -35);
  g_assert_cmpfloat (first + (n - 1) * step, >=, 80);
  g_assert_cmpfloat (step, ==, 50);
}

static void
test_ticks_properties (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 2000; i++)
    {
      double scale = pow (10, g_rand_int_range (rand, -4, 7));
      double a = g_rand_double_range (rand, -1, 1) * scale;
      double b = a + g_rand_double (rand) * scale;
      guint max_ticks = g_rand_int_range (rand, 2, 12);
      gboolean integer = g_rand_boolean (rand);
      double first, step;
      guint n = pw_chart_nice_ticks (a, b, max_ticks, integer, &first, &step);
      double last = first + (n - 1) * step;

      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpuint (n, <=, max_ticks);
      g_assert_true (is_nice (step));
      if (integer)
        g_assert_cmpfloat (step, >=, 1);
      g_assert_cmpfloat (first, <=, a + step * 1e-6);
      g_assert_cmpfloat (last, >=, b - step * 1e-6);
      g_assert_cmpfloat (fabs (first / step - round (first / step)), <, 1e-6);
    }
}

/* Bins ------------------------------------------------------------------- */

static void
check_bins_consistent (const PwChartBins *bins,
                       const guint       *values,
                       gsize              n)
{
  guint64 sum = 0;
  g_autofree guint64 *counts = g_new0 (guint64, bins->n_bins);

  for (guint i = 0; i < bins->n_bins; i++)
    {
      g_assert_cmpfloat (bins->edges[i], <, bins->edges[i + 1]);
      g_assert_cmpfloat (bins->edges[i], ==, floor (bins->edges[i]));
      sum += bins->counts[i];
    }
  g_assert_cmpuint (sum, ==, n);
  g_assert_cmpuint (bins->total, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      int b = pw_chart_bins_find (bins, values[i]);

      g_assert_cmpint (b, >=, 0);
      g_assert_cmpfloat (bins->edges[b], <=, values[i]);
      g_assert_cmpfloat (values[i], <, bins->edges[b + 1]);
      counts[b]++;
    }
  for (guint i = 0; i < bins->n_bins; i++)
    g_assert_cmpuint (counts[i], ==, bins->counts[i]);
}

static void
test_bins_log (void)
{
  static const double expected[] = { 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000 };
  g_autofree guint *activity = make_activity (6040);
  g_autoptr(PwChartBins) bins = pw_chart_bins_new (activity, 6040, PW_CHART_BINNING_LOG, 0);
  g_autoptr(PwChartBins) coarse = pw_chart_bins_new (activity, 6040, PW_CHART_BINNING_LOG, 6);
  g_autoptr(PwChartBins) copy = NULL;
  g_autofree char *label0 = NULL;
  g_autofree char *label_last = NULL;

  g_assert_cmpuint (bins->min, ==, 20);
  g_assert_cmpuint (bins->max, ==, 2314);
  g_assert_cmpuint (bins->n_bins, ==, G_N_ELEMENTS (expected) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat (bins->edges[i], ==, expected[i]);
  check_bins_consistent (bins, activity, 6040);

  label0 = pw_chart_bins_get_label (bins, 0);
  g_assert_cmpstr (label0, ==, "20–29");
  label_last = pw_chart_bins_get_label (bins, bins->n_bins - 1);
  g_assert_cmpstr (label_last, ==, "2,000–2,999");

  /* Too many bins for 6: the 1-3-10 ladder. */
  g_assert_cmpuint (coarse->n_bins, <=, 6);
  g_assert_cmpfloat (coarse->edges[0], ==, 10);
  g_assert_cmpfloat (coarse->edges[1], ==, 30);
  check_bins_consistent (coarse, activity, 6040);

  copy = pw_chart_bins_copy (bins);
  g_assert_cmpmem (copy->edges, sizeof (double) * (copy->n_bins + 1),
                   bins->edges, sizeof (double) * (bins->n_bins + 1));
  g_assert_cmpmem (copy->counts, sizeof (guint64) * copy->n_bins,
                   bins->counts, sizeof (guint64) * bins->n_bins);
}

static void
test_bins_log_small (void)
{
  /* Validation-set-like counts: 1 to 115, small ones common. */
  static const guint values[] = { 1, 1, 2, 3, 4, 5, 5, 6, 9, 10, 14, 15, 40, 115 };
  static const guint with_zero[] = { 0, 0, 1, 7 };
  g_autoptr(PwChartBins) bins = pw_chart_bins_new (values, G_N_ELEMENTS (values), PW_CHART_BINNING_LOG, 0);
  g_autoptr(PwChartBins) zero = pw_chart_bins_new (with_zero, G_N_ELEMENTS (with_zero), PW_CHART_BINNING_LOG, 0);
  g_autofree char *one = pw_chart_bins_get_label (bins, 0);
  g_autofree char *three = pw_chart_bins_get_label (bins, 2);

  g_assert_cmpfloat (bins->edges[0], ==, 1);
  g_assert_cmpfloat (bins->edges[1], ==, 2);
  g_assert_cmpstr (one, ==, "1");
  g_assert_cmpstr (three, ==, "3–4");
  g_assert_cmpuint (bins->counts[0], ==, 2);
  check_bins_consistent (bins, values, G_N_ELEMENTS (values));

  g_assert_cmpfloat (zero->edges[0], ==, 0);
  g_assert_cmpuint (zero->counts[0], ==, 2);
  check_bins_consistent (zero, with_zero, G_N_ELEMENTS (with_zero));
}

static void
test_bins_linear (void)
{
  guint hundred[100];
  static const guint narrow[] = { 5, 9, 17, 12 };
  g_autoptr(PwChartBins) bins = NULL;
  g_autoptr(PwChartBins) ones = NULL;
  g_autoptr(PwChartBins) many = NULL;
  g_autofree guint *activity = make_activity (6040);

  for (guint i = 0; i < 100; i++)
    hundred[i] = i;
  bins = pw_chart_bins_new (hundred, 100, PW_CHART_BINNING_LINEAR, 10);
  g_assert_cmpuint (bins->n_bins, ==, 10);
  for (guint i = 0; i <= 10; i++)
    g_assert_cmpfloat (bins->edges[i], ==, 10 * i);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (bins->counts[i], ==, 10);
  check_bins_consistent (bins, hundred, 100);

  ones = pw_chart_bins_new (narrow, G_N_ELEMENTS (narrow), PW_CHART_BINNING_LINEAR, 0);
  g_assert_cmpfloat (ones->edges[0], ==, 5);
  g_assert_cmpfloat (ones->edges[1] - ones->edges[0], ==, 1);
  g_assert_cmpuint (ones->n_bins, ==, 13);
  check_bins_consistent (ones, narrow, G_N_ELEMENTS (narrow));

  many = pw_chart_bins_new (activity, 6040, PW_CHART_BINNING_LINEAR, 25);
  g_assert_cmpuint (many->n_bins, <=, 25);
  g_assert_true (is_nice (many->edges[1] - many->edges[0]));
  check_bins_consistent (many, activity, 6040);
}

static void
test_bins_empty (void)
{
  g_autoptr(PwChartBins) bins = pw_chart_bins_new (NULL, 0, PW_CHART_BINNING_LOG, 0);
  g_autoptr(PwChart) chart = pw_chart_new (PW_CHART_KIND_HISTOGRAM);

  g_assert_cmpuint (bins->n_bins, ==, 0);
  g_assert_cmpint (pw_chart_bins_find (bins, 3), ==, -1);
  pw_chart_set_bins (chart, bins, NULL);
  g_assert_true (pw_chart_is_empty (chart));
}

/* Model ------------------------------------------------------------------ */

static void
test_format (void)
{
  static const struct {
    PwChartValueFormat format;
    double value;
    const char *text;
  } cases[] = {
    { PW_CHART_VALUE_INTEGER, 0, "0" },
    { PW_CHART_VALUE_INTEGER, 999, "999" },
    { PW_CHART_VALUE_INTEGER, 1000, "1,000" },
    { PW_CHART_VALUE_INTEGER, 433180, "433,180" },
    { PW_CHART_VALUE_INTEGER, 1000209, "1,000,209" },
    { PW_CHART_VALUE_INTEGER, -12345, "-12,345" },
    { PW_CHART_VALUE_INTEGER, 2.6, "3" },
    { PW_CHART_VALUE_FRACTION, 0.26291, "0.263" },
    { PW_CHART_VALUE_FRACTION, 0.0136, "0.014" },
    { PW_CHART_VALUE_FRACTION, 1, "1.000" },
    { PW_CHART_VALUE_PERCENT, 0.125, "12.5%" },
    { PW_CHART_VALUE_PERCENT, 0.9, "90.0%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = pw_chart_format_number (cases[i].format, cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  {
    g_autofree char *a = pw_chart_format_tick (PW_CHART_VALUE_FRACTION, 0.05, 0.05);
    g_autofree char *b = pw_chart_format_tick (PW_CHART_VALUE_PERCENT, 0.2, 0.1);
    g_autofree char *c = pw_chart_format_tick (PW_CHART_VALUE_INTEGER, 2000, 500);
    g_autofree char *d = pw_chart_format_tick (PW_CHART_VALUE_FRACTION, 0.30000000000000004, 0.1);

    g_assert_cmpstr (a, ==, "0.05");
    g_assert_cmpstr (b, ==, "20%");
    g_assert_cmpstr (c, ==, "2,000");
    g_assert_cmpstr (d, ==, "0.3");
  }
}

static void
count_cb (PwChart *chart,
          guint   *count)
{
  (*count)++;
}

static void
test_model (void)
{
  g_autoptr(PwChart) chart = make_genre_chart ();
  g_autoptr(PwChart) copy = NULL;
  guint changed = 0;
  double min, max;
  static const double short_values[] = { 1, 2 };

  g_signal_connect (chart, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, 18);
  g_assert_cmpuint (pw_chart_get_n_series (chart), ==, 1);
  g_assert_cmpstr (pw_chart_get_category (chart, 11), ==, "Documentary");
  g_assert_cmpfloat (pw_chart_get_value (chart, 0, 11), ==, 127);
  g_assert_true (pw_chart_get_range (chart, &min, &max));
  g_assert_cmpfloat (min, ==, 44);
  g_assert_cmpfloat (max, ==, 1603);
  g_assert_false (pw_chart_get_edges (chart, NULL, NULL));

  pw_chart_set_highlight (chart, 11);
  pw_chart_set_highlight (chart, 11);
  g_assert_cmpint (pw_chart_get_highlight (chart), ==, 11);
  g_assert_cmpuint (changed, ==, 1);
  pw_chart_set_title (chart, "Movies per genre");
  g_assert_cmpuint (changed, ==, 1);

  copy = pw_chart_copy (chart);
  pw_chart_clear (chart);
  g_assert_true (pw_chart_is_empty (chart));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (pw_chart_get_n_categories (copy), ==, 18);
  g_assert_cmpfloat (pw_chart_get_value (copy, 0, 0), ==, 1603);
  g_assert_cmpint (pw_chart_get_highlight (copy), ==, 11);
  g_assert_cmpstr (pw_chart_get_title (copy), ==, "Movies per genre");

  /* Missing values are 0. */
  pw_chart_set_categories (chart, genres);
  pw_chart_add_series (chart, "short", short_values, 2);
  g_assert_cmpfloat (pw_chart_get_value (chart, 0, 1), ==, 2);
  g_assert_cmpfloat (pw_chart_get_value (chart, 0, 17), ==, 0);
}

/* The enum properties have enum GTypes, so a .ui file names their values
 * ("horizontal"), and a wrong name is an error, not a silent 0. */
static void
test_model_enums_by_name (void)
{
  static const char ui[] =
    "<interface>"
    "  <object class='PwChartView' id='view'>"
    "    <property name='chart'>"
    "      <object class='PwChart' id='chart'>"
    "        <property name='kind'>histogram</property>"
    "        <property name='orientation'>horizontal</property>"
    "        <property name='value-format'>percent</property>"
    "      </object>"
    "    </property>"
    "  </object>"
    "</interface>";
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) bad_value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTypeClass) chart_class = g_type_class_ref (PW_TYPE_CHART);
  g_autoptr(GTypeClass) format_class = g_type_class_ref (PW_TYPE_CHART_VALUE_FORMAT);
  GParamSpec *pspec;
  PwChart *chart;
  PwChartOrientation orientation;

  g_type_ensure (PW_TYPE_CHART_VIEW);

  pspec = g_object_class_find_property (G_OBJECT_CLASS (chart_class), "orientation");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == PW_TYPE_CHART_ORIENTATION);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (chart_class), "value-format");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == PW_TYPE_CHART_VALUE_FORMAT);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (chart_class), "kind");
  g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
  g_assert_true (pspec->value_type == PW_TYPE_CHART_KIND);

  /* By name through GtkBuilder, the construct-only kind included. */
  g_assert_true (gtk_builder_add_from_string (builder, ui, -1, &error));
  g_assert_no_error (error);
  chart = PW_CHART (gtk_builder_get_object (builder, "chart"));
  g_assert_nonnull (chart);
  g_assert_true (pw_chart_view_get_chart (PW_CHART_VIEW (gtk_builder_get_object (builder, "view"))) == chart);
  g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_HISTOGRAM);
  g_assert_cmpint (pw_chart_get_orientation (chart), ==, PW_CHART_ORIENTATION_HORIZONTAL);
  g_assert_cmpint (pw_chart_get_value_format (chart), ==, PW_CHART_VALUE_PERCENT);

  /* A GValue made from a nick sets the property too, and reads back. */
  g_assert_true (gtk_builder_value_from_string_type (builder, PW_TYPE_CHART_ORIENTATION, "vertical", &value, &error));
  g_assert_no_error (error);
  g_object_set_property (G_OBJECT (chart), "orientation", &value);
  g_assert_cmpint (pw_chart_get_orientation (chart), ==, PW_CHART_ORIENTATION_VERTICAL);
  g_object_get (chart, "orientation", &orientation, NULL);
  g_assert_cmpint (orientation, ==, PW_CHART_ORIENTATION_VERTICAL);
  g_assert_cmpstr (g_enum_get_value (G_ENUM_CLASS (format_class), PW_CHART_VALUE_FRACTION)->value_nick, ==, "fraction");

  /* A name the enum does not have is refused, with an error; the
   * property keeps its value. */
  g_assert_false (gtk_builder_value_from_string_type (builder, PW_TYPE_CHART_ORIENTATION, "diagonal",
                                                      &bad_value, &error));
  g_assert_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE);
  g_assert_cmpint (pw_chart_get_orientation (chart), ==, PW_CHART_ORIENTATION_VERTICAL);
}

static void
test_table (void)
{
  static const char * const recipes[] = { "user-personalization", "popularity|count", NULL };
  static const double p10[] = { 0.0944, 0.0158 };
  static const double ndcg[] = { 0.2748, 0.056 };
  g_autoptr(PwChart) chart = pw_chart_new (PW_CHART_KIND_BAR);
  g_autoptr(PwChart) genre_chart = make_genre_chart ();
  g_autoptr(PwChart) empty = pw_chart_new (PW_CHART_KIND_HISTOGRAM);
  g_autofree char *tsv = NULL;
  g_autofree char *md = NULL;
  g_autofree char *genre_tsv = NULL;
  g_autofree char *desc = NULL;
  g_autofree char *empty_tsv = NULL;
  g_autofree char *empty_desc = NULL;
  g_auto(GStrv) lines = NULL;

  pw_chart_set_category_title (chart, "Recipe");
  pw_chart_set_value_format (chart, PW_CHART_VALUE_FRACTION);
  pw_chart_set_categories (chart, recipes);
  pw_chart_add_series (chart, "P@10", p10, 2);
  pw_chart_add_series (chart, "NDCG@10", ndcg, 2);

  tsv = pw_chart_to_table (chart, PW_CHART_TABLE_TSV);
  g_assert_cmpstr (tsv, ==,
                   "Recipe\tP@10\tNDCG@10\n"
                   "user-personalization\t0.0944\t0.2748\n"
                   "popularity|count\t0.0158\t0.056\n");
  md = pw_chart_to_table (chart, PW_CHART_TABLE_MARKDOWN);
  g_assert_cmpstr (md, ==,
                   "| Recipe | P@10 | NDCG@10 |\n"
                   "|---|---:|---:|\n"
                   "| user-personalization | 0.094 | 0.275 |\n"
                   "| popularity\\|count | 0.016 | 0.056 |\n");

  /* Every category and value of the genre chart, in order. */
  genre_tsv = pw_chart_to_table (genre_chart, PW_CHART_TABLE_TSV);
  lines = g_strsplit (genre_tsv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "Genre\tMovies");
  for (guint i = 0; genres[i] != NULL; i++)
    {
      g_autofree char *row = g_strdup_printf ("%s\t%g", genres[i], genre_items[i]);

      g_assert_cmpstr (lines[i + 1], ==, row);
    }
  g_assert_cmpstr (lines[19], ==, "");
  g_assert_null (lines[20]);

  desc = pw_chart_describe (genre_chart);
  g_assert_true (g_str_has_prefix (desc, "Bar chart, 18 categories. Drama: 1,603. Comedy: 1,200."));
  g_assert_true (g_str_has_suffix (desc, "Film-Noir: 44."));

  empty_tsv = pw_chart_to_table (empty, PW_CHART_TABLE_TSV);
  g_assert_cmpstr (empty_tsv, ==, "Category\tValue\n");
  empty_desc = pw_chart_describe (empty);
  g_assert_cmpstr (empty_desc, ==, "No data");
}

/* Layout ----------------------------------------------------------------- */

static guint
count_role (PwChartLayout *layout,
            PwChartRole    role)
{
  guint n = 0;

  for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
    if (pw_chart_layout_get_item (layout, i)->role == role)
      n++;
  return n;
}

static const PwChartItem *
find_text (PwChartLayout *layout,
           const char    *text)
{
  for (guint i = 0; i < pw_chart_layout_get_n_items (layout); i++)
    {
      const PwChartItem *item = pw_chart_layout_get_item (layout, i);

      if (item->type == PW_CHART_ITEM_TEXT && g_strcmp0 (item->text, text) == 0)
        return item;
    }
  return NULL;
}

/* Texts inside the canvas and not overlapping each other or any bar. */
static void
check_no_overlaps (PwChartLayout *layout,
                   int            width,
                   int            height)
{
  guint n = pw_chart_layout_get_n_items (layout);

  for (guint i = 0; i < n; i++)
    {
      const PwChartItem *a = pw_chart_layout_get_item (layout, i);

      if (a->type == PW_CHART_ITEM_LINE)
        continue;
      if (a->x < -0.5 || a->y < -0.5 || a->x + a->width > width + 0.5 || a->y + a->height > height + 0.5)
        g_error ("“%s” (%g,%g %gx%g) is outside the %dx%d chart",
                 a->text ? a->text : "bar", a->x, a->y, a->width, a->height, width, height);
      if (a->type != PW_CHART_ITEM_TEXT)
        continue;
      for (guint j = 0; j < n; j++)
        {
          const PwChartItem *b = pw_chart_layout_get_item (layout, j);
          double ox, oy;

          if (j == i || b->type == PW_CHART_ITEM_LINE || (b->type == PW_CHART_ITEM_TEXT && j < i))
            continue;
          ox = MIN (a->x + a->width, b->x + b->width) - MAX (a->x, b->x);
          oy = MIN (a->y + a->height, b->y + b->height) - MAX (a->y, b->y);
          /* One pixel of ink-free line spacing may touch. */
          if (ox > 1 && oy > 1)
            g_error ("“%s” (%g,%g %gx%g) overlaps “%s” (%g,%g %gx%g) at %dx%d",
                     a->text, a->x, a->y, a->width, a->height,
                     b->text ? b->text : "a bar", b->x, b->y, b->width, b->height, width, height);
        }
    }
}

static const int sizes[][2] = { { 360, 260 }, { 640, 400 }, { 900, 600 }, { 1600, 900 } };

static void
test_layout_genres (void)
{
  g_autoptr(PwChart) chart = make_genre_chart ();
  g_autoptr(PwChartStyle) style = pw_chart_style_new (FALSE);

  for (guint p = 0; p < 2; p++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autoptr(PwChartLayout) layout = NULL;
        const PwChartItem *drama = NULL;
        const PwChartItem *comedy = NULL;

        pw_chart_style_set_presentation (style, p == 1);
        if (p == 1 && sizes[i][0] < 900)
          continue;
        layout = pw_test_layout_chart (chart, sizes[i][0], sizes[i][1], style);

        /* 18 long labels: horizontal bars, one per genre. */
        g_assert_true (pw_chart_layout_is_horizontal (layout));
        g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_BAR), ==, 18);
        check_no_overlaps (layout, sizes[i][0], sizes[i][1]);
        g_assert_nonnull (find_text (layout, "Movies per genre"));

        for (guint k = 0; k < pw_chart_layout_get_n_items (layout); k++)
          {
            const PwChartItem *item = pw_chart_layout_get_item (layout, k);

            if (item->role == PW_CHART_ROLE_BAR && item->category == 0)
              drama = item;
            if (item->role == PW_CHART_ROLE_BAR && item->category == 1)
              comedy = item;
          }
        g_assert_nonnull (drama);
        g_assert_nonnull (comedy);
        /* Bars start at the same baseline and are as long as their values. */
        g_assert_cmpfloat_with_epsilon (drama->x, comedy->x, 0.01);
        g_assert_cmpfloat_with_epsilon (comedy->width / drama->width, 1200.0 / 1603.0, 0.01);
        /* Drama is above Comedy. */
        g_assert_cmpfloat (drama->y, <, comedy->y);

        if (sizes[i][1] >= (p == 1 ? 900 : 600))
          {
            /* Enough room: every label and every value is shown. */
            g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_CATEGORY_LABEL), ==, 18);
            g_assert_nonnull (find_text (layout, "Documentary"));
            g_assert_nonnull (find_text (layout, "1,603"));
            g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_VALUE_LABEL), ==, 18);
          }
        g_assert_cmpint (pw_chart_layout_find_bar (layout, drama->x + 1, drama->y + 1, NULL), ==, 0);
      }
}

static void
test_layout_vertical (void)
{
  g_autoptr(PwChart) chart = make_metrics_chart ();
  g_autoptr(PwChart) histogram = make_histogram_chart ();
  g_autoptr(PwChartStyle) style = pw_chart_style_new (FALSE);

  for (guint p = 0; p < 2; p++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autoptr(PwChartLayout) layout = NULL;
        g_autoptr(PwChartLayout) hist = NULL;
        int series = -1;

        pw_chart_style_set_presentation (style, p == 1);
        if (p == 1 && sizes[i][0] < 900)
          continue;
        layout = pw_test_layout_chart (chart, sizes[i][0], sizes[i][1], style);
        /* Four short labels fit under vertical bars (on a narrow chart
         * they may not, and the bars turn horizontal). */
        if (sizes[i][0] >= 640)
          g_assert_false (pw_chart_layout_is_horizontal (layout));
        g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_BAR), ==, 12);
        /* Three series: a legend. */
        g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_SWATCH), ==, 3);
        g_assert_nonnull (find_text (layout, "user-personalization"));
        g_assert_nonnull (find_text (layout, "NDCG@10"));
        check_no_overlaps (layout, sizes[i][0], sizes[i][1]);

        for (guint k = 0; k < pw_chart_layout_get_n_items (layout); k++)
          {
            const PwChartItem *item = pw_chart_layout_get_item (layout, k);

            if (item->role == PW_CHART_ROLE_BAR && item->category == 2 && item->series == 1)
              {
                g_assert_cmpint (pw_chart_layout_find_bar (layout, item->x + item->width / 2,
                                                           item->y + item->height - 1, &series), ==, 2);
                g_assert_cmpint (series, ==, 1);
              }
          }

        hist = pw_test_layout_chart (histogram, sizes[i][0], sizes[i][1], style);
        g_assert_false (pw_chart_layout_is_horizontal (hist));
        g_assert_cmpuint (count_role (hist, PW_CHART_ROLE_BAR), ==, 13);
        /* The first and last edges are labelled. */
        g_assert_nonnull (find_text (hist, "20"));
        check_no_overlaps (hist, sizes[i][0], sizes[i][1]);
        if (sizes[i][0] >= 900)
          g_assert_nonnull (find_text (hist, "3,000"));
      }
}

static void
test_layout_time (void)
{
  g_autoptr(PwChart) chart = make_time_chart ();
  g_autoptr(PwChartStyle) style = pw_chart_style_new (FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(PwChartLayout) layout = pw_test_layout_chart (chart, sizes[i][0], sizes[i][1], style);
      guint labels = count_role (layout, PW_CHART_ROLE_CATEGORY_LABEL);

      /* Vertical as asked, every month a bar, labels thinned to fit. */
      g_assert_false (pw_chart_layout_is_horizontal (layout));
      g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_BAR), ==, 35);
      g_assert_cmpuint (labels, >=, 2);
      g_assert_cmpuint (labels, <, 35);
      g_assert_nonnull (find_text (layout, "2000-04"));
      check_no_overlaps (layout, sizes[i][0], sizes[i][1]);
    }
}

static void
test_layout_long_and_negative (void)
{
  static const char * const titles[] = {
    "Buena Vista Social Club (1999)",
    "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1963)",
    "Hoop Dreams (1994)",
    NULL
  };
  static const double scores[] = { 0.91, 0.85, 0.42 };
  static const char * const recipes[] = { "popularity", "personalization", "similar", NULL };
  static const double deltas[] = { -0.0512, 0.1203, 0.0871 };
  g_autoptr(PwChart) chart = pw_chart_new (PW_CHART_KIND_BAR);
  g_autoptr(PwChart) delta = pw_chart_new (PW_CHART_KIND_BAR);
  g_autoptr(PwChartStyle) style = pw_chart_style_new (FALSE);

  pw_chart_set_title (chart, "Recommendations for user 1200");
  pw_chart_set_value_format (chart, PW_CHART_VALUE_FRACTION);
  pw_chart_set_categories (chart, titles);
  pw_chart_add_series (chart, NULL, scores, 3);

  pw_chart_set_title (delta, "Change in NDCG@10");
  pw_chart_set_value_format (delta, PW_CHART_VALUE_PERCENT);
  pw_chart_set_categories (delta, recipes);
  pw_chart_add_series (delta, NULL, deltas, 3);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(PwChartLayout) layout = pw_test_layout_chart (chart, sizes[i][0], sizes[i][1], style);
      g_autoptr(PwChartLayout) horizontal = NULL;
      g_autoptr(PwChartLayout) vertical = NULL;

      /* Long titles: horizontal bars, labels cut to 40% of the width. */
      g_assert_true (pw_chart_layout_is_horizontal (layout));
      for (guint k = 0; k < pw_chart_layout_get_n_items (layout); k++)
        {
          const PwChartItem *item = pw_chart_layout_get_item (layout, k);

          if (item->role == PW_CHART_ROLE_CATEGORY_LABEL)
            g_assert_cmpfloat (item->width, <=, sizes[i][0] * 0.4 + 0.5);
        }
      check_no_overlaps (layout, sizes[i][0], sizes[i][1]);

      /* A negative value: its bar grows the other way from zero. */
      pw_chart_set_orientation (delta, PW_CHART_ORIENTATION_VERTICAL);
      vertical = pw_test_layout_chart (delta, sizes[i][0], sizes[i][1], style);
      check_no_overlaps (vertical, sizes[i][0], sizes[i][1]);
      pw_chart_set_orientation (delta, PW_CHART_ORIENTATION_HORIZONTAL);
      horizontal = pw_test_layout_chart (delta, sizes[i][0], sizes[i][1], style);
      check_no_overlaps (horizontal, sizes[i][0], sizes[i][1]);
      for (guint k = 0; k < pw_chart_layout_get_n_items (horizontal); k++)
        {
          const PwChartItem *a = pw_chart_layout_get_item (horizontal, k);

          for (guint j = 0; j < pw_chart_layout_get_n_items (horizontal); j++)
            {
              const PwChartItem *b = pw_chart_layout_get_item (horizontal, j);

              /* popularity's bar ends where personalization's starts. */
              if (a->role == PW_CHART_ROLE_BAR && b->role == PW_CHART_ROLE_BAR &&
                  a->category == 0 && b->category == 1)
                g_assert_cmpfloat_with_epsilon (a->x + a->width, b->x, 0.01);
            }
        }
      g_assert_nonnull (find_text (horizontal, "-5.1%"));
    }
}

static void
test_layout_empty (void)
{
  g_autoptr(PwChart) chart = pw_chart_new (PW_CHART_KIND_HISTOGRAM);
  g_autoptr(PwChartStyle) style = pw_chart_style_new (TRUE);
  g_autoptr(PwChartLayout) layout = NULL;
  g_autoptr(PwChartLayout) tiny = NULL;
  const PwChartItem *no_data;

  pw_chart_set_title (chart, "Interactions per user (validation)");
  layout = pw_test_layout_chart (chart, 640, 400, style);
  no_data = find_text (layout, "No data");
  g_assert_nonnull (no_data);
  g_assert_cmpint (no_data->role, ==, PW_CHART_ROLE_NO_DATA);
  g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_BAR), ==, 0);
  g_assert_cmpuint (count_role (layout, PW_CHART_ROLE_TICK_LABEL), ==, 0);
  /* Centred. */
  g_assert_cmpfloat_with_epsilon (no_data->x + no_data->width / 2, 320, 1);
  check_no_overlaps (layout, 640, 400);

  /* Too small to draw anything but the title: no crash, nothing outside. */
  pw_chart_set_categories (chart, genres);
  pw_chart_add_series (chart, NULL, genre_items, 18);
  tiny = pw_test_layout_chart (chart, 40, 30, style);
  check_no_overlaps (tiny, 40, 30);
}

/* Export ----------------------------------------------------------------- */

typedef struct
{
  guint accent;
  guint dark;
  guint light;
  guint32 corner;
} PixelCounts;

static void
count_pixels (cairo_surface_t *surface,
              PixelCounts     *counts)
{
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);

  memset (counts, 0, sizeof *counts);
  counts->corner = *(const guint32 *) data;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + x * 4);
        int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
        int lum = (r * 2126 + g * 7152 + b * 722) / 10000;

        /* #3584e4 */
        if (abs (r - 0x35) < 8 && abs (g - 0x84) < 8 && abs (b - 0xe4) < 8)
          counts->accent++;
        if (lum < 80)
          counts->dark++;
        if (lum > 200)
          counts->light++;
      }
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pw-charts-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export_png (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "genres.png", NULL);
  g_autofree char *dark_path = g_build_filename (dir, "genres-dark.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) dark_file = g_file_new_for_path (dark_path);
  g_autoptr(PwChart) chart = make_genre_chart ();
  g_autoptr(PwChartStyle) dark = pw_chart_style_new (TRUE);
  g_autoptr(GError) error = NULL;
  PwChartFormat format;
  cairo_surface_t *surface;
  PixelCounts light_counts, dark_counts;

  g_assert_true (pw_chart_format_for_file (file, &format));
  g_assert_cmpint (format, ==, PW_CHART_FORMAT_PNG);
  g_assert_true (pw_chart_export (chart, file, format, 800, 450, NULL, NULL, &error));
  g_assert_no_error (error);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 800);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 450);
  count_pixels (surface, &light_counts);
  cairo_surface_destroy (surface);
  /* White background, blue bars, dark text. */
  g_assert_cmphex (light_counts.corner, ==, 0xffffffff);
  g_assert_cmpuint (light_counts.accent, >, 10000);
  g_assert_cmpuint (light_counts.dark, >, 1000);

  g_assert_true (pw_chart_export (chart, dark_file, PW_CHART_FORMAT_PNG, 800, 450, dark, NULL, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (dark_path);
  count_pixels (surface, &dark_counts);
  cairo_surface_destroy (surface);
  g_assert_cmphex (dark_counts.corner, ==, 0xff242424);
  g_assert_cmpuint (dark_counts.accent, >, 10000);
  /* Light text on the dark background. */
  g_assert_cmpuint (dark_counts.light, >, 1000);

  remove_dir (dir);
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* Like strstr() over binary data (PDF streams hold NUL bytes). */
static gboolean
has_bytes (const char *data,
           gsize       len,
           const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
test_export_svg_pdf (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *svg_path = g_build_filename (dir, "metrics.SVG", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "metrics.pdf", NULL);
  g_autoptr(GFile) svg_file = g_file_new_for_path (svg_path);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr(PwChart) chart = make_genre_chart ();
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *pdf = NULL;
  gsize svg_len, pdf_len;
  PwChartFormat format;

  g_assert_true (pw_chart_format_for_file (svg_file, &format));
  g_assert_cmpint (format, ==, PW_CHART_FORMAT_SVG);
  g_assert_true (pw_chart_export (chart, svg_file, format, 1600, 900, NULL, NULL, &error));
  g_assert_no_error (error);
  svg = read_file (svg_path, &svg_len);
  g_assert_true (g_str_has_prefix (svg, "<?xml"));
  g_assert_nonnull (strstr (svg, "width=\"1600px\""));
  g_assert_nonnull (strstr (svg, "<title>Movies per genre</title>"));
  for (guint i = 0; genres[i] != NULL; i++)
    {
      g_autofree char *value = pw_chart_format_number (PW_CHART_VALUE_INTEGER, genre_items[i]);
      g_autofree char *row = g_strdup_printf ("| %s | %s |", genres[i], value);
      g_autofree char *escaped = g_markup_escape_text (row, -1);

      g_assert_nonnull (strstr (svg, escaped));
    }
  /* The drawing itself: glyphs and bars. */
  g_assert_nonnull (strstr (svg, "<path"));
  g_assert_true (g_str_has_suffix (g_strchomp (svg), "</svg>"));

  /* A real SVG renderer (librsvg, through gdk-pixbuf) reads it, with the
   * blue bars where they belong. */
  {
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (svg_path, &error);

    if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
      {
        g_test_message ("no SVG loader for gdk-pixbuf; not rendering the SVG");
        g_clear_error (&error);
      }
    else
      {
        cairo_surface_t *surface;
        cairo_t *cr;
        PixelCounts counts;

        g_assert_no_error (error);
        g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 1600);
        g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 900);
        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1600, 900);
        cr = cairo_create (surface);
        gdk_cairo_set_source_pixbuf (cr, pixbuf, 0, 0);
        cairo_paint (cr);
        cairo_destroy (cr);
        cairo_surface_flush (surface);
        count_pixels (surface, &counts);
        cairo_surface_destroy (surface);
        g_assert_cmphex (counts.corner, ==, 0xffffffff);
        g_assert_cmpuint (counts.accent, >, 50000);
        g_assert_cmpuint (counts.dark, >, 1000);
      }
  }

  g_assert_true (pw_chart_format_for_file (pdf_file, &format));
  g_assert_cmpint (format, ==, PW_CHART_FORMAT_PDF);
  g_assert_true (pw_chart_export (chart, pdf_file, format, 800, 450, NULL, NULL, &error));
  g_assert_no_error (error);
  pdf = read_file (pdf_path, &pdf_len);
  g_assert_cmpuint (pdf_len, >, 1000);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_assert_true (has_bytes (pdf, pdf_len, "/MediaBox [ 0 0 800 450 ]"));
  g_assert_true (has_bytes (pdf, pdf_len, "%%EOF"));
  /* The title as document metadata. */
  g_assert_true (has_bytes (pdf, pdf_len, "/Title (Movies per genre)"));

  remove_dir (dir);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;

  pw_chart_export_finish (PW_CHART (object), result, error);
  /* Mark done even on success. */
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static gboolean
error_set (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
test_export_async (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "histogram.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PwChart) chart = make_histogram_chart ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;
  cairo_surface_t *surface;
  PixelCounts counts;

  /* An older file is replaced whole. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));

  pw_chart_export_async (chart, file, PW_CHART_FORMAT_PNG, 1600, 900, NULL, NULL, export_done_cb, &error);
  /* The chart may change at once: the thread draws a copy. */
  pw_chart_clear (chart);
  pw_test_iterate_until (error_set, &error, 20000);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1600);
  count_pixels (surface, &counts);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (counts.accent, >, 50000);
  /* No temporary file left behind. */
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* Cancelled before it writes: the old file stays. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_cancellable_cancel (cancellable);
  pw_chart_export_async (chart, file, PW_CHART_FORMAT_PNG, 400, 300, NULL, cancellable, export_done_cb, &error);
  pw_test_iterate_until (error_set, &error, 20000);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  {
    g_autofree char *contents = read_file (path, NULL);

    g_assert_cmpstr (contents, ==, "old");
  }

  remove_dir (dir);
}

static void
test_export_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "chart.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(GFile) text = g_file_new_for_path ("chart.txt");
  g_autoptr(PwChart) chart = make_genre_chart ();
  g_autoptr(GError) error = NULL;
  PwChartFormat format;

  g_assert_false (pw_chart_format_for_file (text, &format));

  g_assert_false (pw_chart_export (chart, file, PW_CHART_FORMAT_PDF, 800, 450, NULL, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  /* The message says where. */
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  g_assert_false (pw_chart_export (chart, file, PW_CHART_FORMAT_PNG, 0, 450, NULL, NULL, &error));
  g_assert_error (error, PW_CHART_ERROR, PW_CHART_ERROR_FAILED);

  remove_dir (dir);
}

/* Widgets ---------------------------------------------------------------- */

typedef struct
{
  GtkWidget *window;
  GtkWidget *frame;
  GtkWidget *chart;
} WidgetFixture;

static void
show_chart (WidgetFixture *f,
            GtkWidget     *chart,
            int            width,
            int            height)
{
  f->window = gtk_window_new ();
  f->chart = chart;
  f->frame = adw_bin_new ();
  gtk_widget_add_css_class (f->frame, "background");
  gtk_widget_set_size_request (chart, width, height);
  gtk_widget_set_margin_start (chart, 12);
  gtk_widget_set_margin_end (chart, 12);
  gtk_widget_set_margin_top (chart, 12);
  gtk_widget_set_margin_bottom (chart, 12);
  adw_bin_set_child (ADW_BIN (f->frame), chart);
  gtk_window_set_child (GTK_WINDOW (f->window), f->frame);
  gtk_window_present (GTK_WINDOW (f->window));
  pw_test_iterate_until (pw_test_widget_is_drawn, chart, 10000);
  pw_test_iterate_for (100);
}

static void
close_chart (WidgetFixture *f)
{
  g_object_add_weak_pointer (G_OBJECT (f->chart), (gpointer *) &f->chart);
  gtk_window_destroy (GTK_WINDOW (f->window));
  pw_test_iterate_for (50);
  g_assert_null (f->chart);
}

static void
screenshot (WidgetFixture *f,
            const char    *name,
            PixelCounts   *counts)
{
  g_autofree char *path = pw_test_screenshot_path (name);
  cairo_surface_t *surface;

  g_assert_true (pw_test_save_widget_png (f->frame, path));
  g_test_message ("screenshot: %s", path);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  count_pixels (surface, counts);
  cairo_surface_destroy (surface);
}

typedef struct
{
  PwChartView *view;
  gboolean dark;
} WaitStyle;

static gboolean
style_is (gpointer data)
{
  WaitStyle *w = data;
  g_autoptr(PwChartStyle) style = pw_chart_view_get_style (w->view);

  return pw_chart_style_is_dark (style) == w->dark;
}

static void
set_dark (WidgetFixture *f,
          gboolean       dark)
{
  WaitStyle w = { PW_CHART_VIEW (f->chart), dark };

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  pw_test_iterate_until (style_is, &w, 5000);
  pw_test_iterate_for (100);
}

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_widget_bar_light_dark (void)
{
  WidgetFixture f = { 0 };
  GtkWidget *bar = pw_bar_chart_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (bar));
  g_autoptr(PwChartStyle) light_style = NULL;
  g_autoptr(PwChartStyle) dark_style = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *table = NULL;
  g_autofree char *desc = NULL;
  char *problem;
  PixelCounts light, dark, highlight;

  g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_BAR);
  pw_chart_set_title (chart, "Movies per genre");
  pw_chart_set_category_title (chart, "Genre");
  pw_chart_set_value_title (chart, "Movies");
  pw_bar_chart_set_data (PW_BAR_CHART (bar), genres, genre_items, G_N_ELEMENTS (genre_items));

  /* The text alternative, as the accessible label and description. */
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                "Movies per genre");
  g_assert_null (problem);
  desc = pw_chart_describe (chart);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc);
  g_assert_null (problem);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_ROLE_IMG));

  show_chart (&f, bar, 900, 620);

  set_dark (&f, FALSE);
  light_style = pw_chart_view_get_style (PW_CHART_VIEW (bar));
  g_assert_false (pw_chart_style_is_dark (light_style));
  screenshot (&f, "chart-bar-genres", &light);
  g_assert_cmpuint (light.accent, >, 5000);
  g_assert_cmpuint (light.dark, >, 1000);

  set_dark (&f, TRUE);
  dark_style = pw_chart_view_get_style (PW_CHART_VIEW (bar));
  g_assert_true (pw_chart_style_is_dark (dark_style));
  /* The foreground is light in the dark theme. */
  g_assert_cmpfloat (dark_style->foreground.red, >, 0.8);
  screenshot (&f, "chart-bar-genres-dark", &dark);
  g_assert_cmpuint (dark.accent, >, 5000);
  g_assert_cmpuint (dark.light, >, 1000);
  /* The background is dark, and the text drawn on it is light. */
  g_assert_cmpuint ((dark.corner >> 8) & 0xff, <, 0x40);
  g_assert_cmpuint (dark.dark, >, 10 * light.dark);

  /* Highlighting Documentary pales the other bars. */
  set_dark (&f, FALSE);
  pw_chart_set_highlight (chart, 11);
  pw_test_iterate_for (100);
  screenshot (&f, "chart-bar-genres-highlight", &highlight);
  g_assert_cmpuint (highlight.accent, >, 200);
  g_assert_cmpuint (highlight.accent, <, light.accent / 4);

  /* The context menu (also on the Menu key) offers copying and saving. */
  g_assert_true (gtk_widget_activate_action (bar, "chart.show-menu", NULL));
  pw_test_iterate_for (100);
  {
    GtkWidget *menu = gtk_widget_get_first_child (bar);

    g_assert_true (GTK_IS_POPOVER_MENU (menu));
    g_assert_true (gtk_widget_get_visible (menu));
    g_assert_true (gtk_widget_get_mapped (menu));
    gtk_popover_popdown (GTK_POPOVER (menu));
    pw_test_iterate_for (50);
  }

  /* Copy as Table puts the TSV on the clipboard. */
  expected = pw_chart_to_table (chart, PW_CHART_TABLE_TSV);
  table = pw_chart_view_get_table (PW_CHART_VIEW (bar), PW_CHART_TABLE_TSV);
  g_assert_cmpstr (table, ==, expected);
  g_assert_true (gtk_widget_activate_action (bar, "chart.copy-table", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (bar), NULL, clipboard_text_cb, &copied);
  pw_test_iterate_until (string_set, &copied, 5000);
  g_assert_cmpstr (copied, ==, expected);

  close_chart (&f);
}

static void
test_widget_metrics (void)
{
  WidgetFixture f = { 0 };
  g_autoptr(PwChart) chart = make_metrics_chart ();
  GtkWidget *bar = g_object_new (PW_TYPE_BAR_CHART, "chart", chart, "presentation", TRUE, NULL);
  PixelCounts counts;

  g_assert_true (pw_chart_view_get_chart (PW_CHART_VIEW (bar)) == chart);
  g_assert_true (pw_chart_view_get_presentation (PW_CHART_VIEW (bar)));
  show_chart (&f, bar, 1200, 675);
  set_dark (&f, FALSE);
  screenshot (&f, "chart-bar-metrics", &counts);
  g_assert_cmpuint (counts.accent, >, 5000);

  /* The menu's toggle. */
  g_assert_true (gtk_widget_activate_action (bar, "chart.presentation", NULL));
  g_assert_false (pw_chart_view_get_presentation (PW_CHART_VIEW (bar)));
  close_chart (&f);
}

static void
test_widget_histogram (void)
{
  WidgetFixture f = { 0 };
  GtkWidget *histogram = pw_histogram_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (histogram));
  g_autofree guint *activity = make_activity (6040);
  g_autofree char *desc = NULL;
  PixelCounts counts, dark;

  g_assert_cmpint (pw_chart_get_kind (chart), ==, PW_CHART_KIND_HISTOGRAM);
  pw_chart_set_title (chart, "Interactions per user (all data)");
  pw_chart_set_category_title (chart, "Interactions per user");
  pw_chart_set_value_title (chart, "Users");
  pw_histogram_set_values (PW_HISTOGRAM (histogram), activity, 6040, PW_CHART_BINNING_LOG, 0);
  g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, 13);
  g_assert_true (pw_chart_get_edges (chart, NULL, NULL));
  desc = pw_chart_describe (chart);
  g_assert_true (g_str_has_prefix (desc, "Histogram, 13 bins. 20–29: "));

  show_chart (&f, histogram, 900, 560);
  set_dark (&f, FALSE);
  screenshot (&f, "chart-histogram", &counts);
  g_assert_cmpuint (counts.accent, >, 10000);
  set_dark (&f, TRUE);
  screenshot (&f, "chart-histogram-dark", &dark);
  g_assert_cmpuint (dark.light, >, 500);
  set_dark (&f, FALSE);
  close_chart (&f);
}

static void
test_widget_time_and_ratings (void)
{
  static const char * const stars[] = { "1", "2", "3", "4", "5", NULL };
  static const double ratings[] = { 56174, 107557, 261197, 348971, 226310 };
  WidgetFixture f = { 0 };
  WidgetFixture g = { 0 };
  g_autoptr(PwChart) time_chart = make_time_chart ();
  GtkWidget *time_bar = g_object_new (PW_TYPE_BAR_CHART, "chart", time_chart, NULL);
  GtkWidget *ratings_bar = pw_bar_chart_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (ratings_bar));
  PixelCounts counts;

  show_chart (&f, time_bar, 900, 500);
  set_dark (&f, FALSE);
  screenshot (&f, "chart-bar-time", &counts);
  g_assert_cmpuint (counts.accent, >, 5000);
  close_chart (&f);

  pw_chart_set_title (chart, "Ratings");
  pw_chart_set_category_title (chart, "Stars");
  pw_chart_set_value_title (chart, "Ratings");
  pw_bar_chart_set_data (PW_BAR_CHART (ratings_bar), stars, ratings, 5);
  pw_chart_view_set_presentation (PW_CHART_VIEW (ratings_bar), TRUE);
  show_chart (&g, ratings_bar, 1000, 560);
  screenshot (&g, "chart-bar-ratings", &counts);
  g_assert_cmpuint (counts.accent, >, 20000);
  close_chart (&g);
}

static void
test_widget_histogram_validation (void)
{
  WidgetFixture f = { 0 };
  GtkWidget *histogram = pw_histogram_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (histogram));
  g_autofree guint *activity = make_activity (6040);
  PixelCounts counts;

  /* The validation set holds about a tenth of each user's ratings. */
  for (guint i = 0; i < 6040; i++)
    activity[i] = MAX (1, activity[i] / 20);
  pw_chart_set_title (chart, "Interactions per user (validation)");
  pw_chart_set_category_title (chart, "Interactions per user");
  pw_chart_set_value_title (chart, "Users");
  pw_histogram_set_values (PW_HISTOGRAM (histogram), activity, 6040, PW_CHART_BINNING_LOG, 0);
  g_assert_cmpstr (pw_chart_get_category (chart, 0), ==, "1");
  pw_chart_view_set_presentation (PW_CHART_VIEW (histogram), TRUE);

  show_chart (&f, histogram, 1000, 560);
  set_dark (&f, FALSE);
  screenshot (&f, "chart-histogram-validation", &counts);
  g_assert_cmpuint (counts.accent, >, 10000);
  close_chart (&f);
}

/* The last toast a chart lent; a weak pointer, so NULL once it is freed. */
static AdwToast *lent_toast;

static void
toast_cb (PwChartView  *view,
          AdwToast     *toast,
          char        **title)
{
  *title = g_strdup (adw_toast_get_title (toast));
  /* The toast is lent (transfer none): a handler that keeps nothing leaves
   * it to be freed by the chart right after the signal. */
  g_clear_weak_pointer (&lent_toast);
  g_set_weak_pointer (&lent_toast, toast);
}

static void
test_widget_save_to (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *stem = g_build_filename (dir, "genres", NULL);
  g_autofree char *svg_path = g_build_filename (dir, "genres.svg", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "genres.pdf", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "missing", "genres.png", NULL);
  g_autoptr(GFile) stem_file = g_file_new_for_path (stem);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  GtkWidget *bar = g_object_ref_sink (pw_bar_chart_new ());
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (bar));
  g_autofree char *title = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *pdf = NULL;

  pw_chart_set_title (chart, "Movies per genre");
  pw_bar_chart_set_data (PW_BAR_CHART (bar), genres, genre_items, G_N_ELEMENTS (genre_items));
  g_signal_connect (bar, "add-toast", G_CALLBACK (toast_cb), &title);

  /* No extension: the chosen format's is added. */
  pw_chart_view_save_to (PW_CHART_VIEW (bar), stem_file, PW_CHART_FORMAT_SVG);
  pw_test_iterate_until (string_set, &title, 20000);
  g_assert_cmpstr (title, ==, "Saved “genres.svg”");
  g_assert_null (lent_toast);
  svg = read_file (svg_path, NULL);
  g_assert_nonnull (strstr (svg, "<title>Movies per genre</title>"));
  g_assert_nonnull (strstr (svg, "width=\"1600px\""));
  g_clear_pointer (&title, g_free);

  /* The extension wins over the format. */
  pw_chart_view_save_to (PW_CHART_VIEW (bar), pdf_file, PW_CHART_FORMAT_PNG);
  pw_test_iterate_until (string_set, &title, 20000);
  g_assert_cmpstr (title, ==, "Saved “genres.pdf”");
  pdf = read_file (pdf_path, NULL);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  g_clear_pointer (&title, g_free);

  /* A failure is told, with the place. */
  pw_chart_view_save_to (PW_CHART_VIEW (bar), bad_file, PW_CHART_FORMAT_PNG);
  pw_test_iterate_until (string_set, &title, 20000);
  g_assert_true (g_str_has_prefix (title, "Could not save the chart: "));
  g_assert_nonnull (strstr (title, "missing"));
  g_assert_null (lent_toast);

  g_assert_finalize_object (bar);
  remove_dir (dir);
}

static void
test_widget_empty (void)
{
  WidgetFixture f = { 0 };
  GtkWidget *histogram = pw_histogram_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (histogram));
  g_autofree char *copied = NULL;
  char *problem;
  PixelCounts counts;

  pw_chart_set_title (chart, "Interactions per user (validation)");
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (histogram),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "No data");
  g_assert_null (problem);

  show_chart (&f, histogram, 640, 400);
  set_dark (&f, FALSE);
  /* Nothing to copy: the action is disabled, the clipboard keeps its text. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (histogram), "before");
  gtk_widget_activate_action (histogram, "chart.copy-table", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (histogram), NULL, clipboard_text_cb, &copied);
  pw_test_iterate_until (string_set, &copied, 5000);
  g_assert_cmpstr (copied, ==, "before");
  screenshot (&f, "chart-empty", &counts);
  g_assert_cmpuint (counts.accent, ==, 0);
  g_assert_cmpuint (counts.dark, >, 100);
  close_chart (&f);
}

static gboolean
file_chooser_shown (gpointer data)
{
  GtkWidget **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; *dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (window))
        *dialog = window;
    }
  return *dialog != NULL;
}

/* "Save Image As…": the filter chosen in the dialog gives the format when
 * the name has no extension. The test session has no portal, so
 * GtkFileChooserNative shows its own dialog, which the test fills in. */
static void
test_widget_save_as_filter (void)
{
  static const struct { const char *filter; const char *ext; const char *magic; } cases[] = {
    { "SVG Image", "svg", "<?xml" },
    { "PDF Document", "pdf", "%PDF-" },
    { "PNG Image", "png", "\x89PNG" },
  };
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *unique = g_path_get_basename (dir);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  WidgetFixture f = { 0 };
  GtkWidget *bar = pw_bar_chart_new ();

  pw_bar_chart_set_data (PW_BAR_CHART (bar), genres, genre_items, G_N_ELEMENTS (genre_items));
  show_chart (&f, bar, 400, 300);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *title = NULL;
      g_autofree char *stem = g_strdup_printf ("%s-by-filter-%u", unique, c);
      g_autofree char *expected = g_strdup_printf ("Saved “%s.%s”", stem, cases[c].ext);
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GListModel) filters = NULL;
      g_autoptr(GFile) chosen = NULL;
      GtkWidget *dialog = NULL;
      gulong id = g_signal_connect (bar, "add-toast", G_CALLBACK (toast_cb), &title);
      gboolean found = FALSE;

      g_assert_true (gtk_widget_activate_action (bar, "chart.save-as", NULL));
      pw_test_iterate_until (file_chooser_shown, &dialog, 10000);
      g_assert_nonnull (dialog);

      filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (dialog));
      g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 3);
      for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
        {
          g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

          if (g_strcmp0 (gtk_file_filter_get_name (filter), cases[c].filter) == 0)
            {
              gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), filter);
              found = TRUE;
            }
        }
      g_assert_true (found);
      /* GTK 4.8's dialog may settle in another folder than the one asked
       * for: the file is looked for where the dialog says it goes. */
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
      pw_test_iterate_for (300);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), stem);
      pw_test_iterate_for (100);
      chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_assert_nonnull (chosen);
      g_assert_cmpstr (g_file_peek_path (chosen) + strlen (g_file_peek_path (chosen)) - strlen (stem), ==, stem);
      path = g_strdup_printf ("%s.%s", g_file_peek_path (chosen), cases[c].ext);
      gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

      pw_test_iterate_until (string_set, &title, 20000);
      g_signal_handler_disconnect (bar, id);
      g_assert_cmpstr (title, ==, expected);
      contents = read_file (path, NULL);
      g_assert_true (g_str_has_prefix (contents, cases[c].magic));
      g_unlink (path);
    }
  close_chart (&f);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-process test accessibility backend (no AT-SPI bus needed), so
   * that the accessible label and description can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  pw_test_init (&argc, &argv);

  g_test_add_func ("/charts/ticks/examples", test_ticks_examples);
  g_test_add_func ("/charts/ticks/properties", test_ticks_properties);
  g_test_add_func ("/charts/bins/log", test_bins_log);
  g_test_add_func ("/charts/bins/log-small", test_bins_log_small);
  g_test_add_func ("/charts/bins/linear", test_bins_linear);
  g_test_add_func ("/charts/bins/empty", test_bins_empty);
  g_test_add_func ("/charts/model/format", test_format);
  g_test_add_func ("/charts/model/data", test_model);
  g_test_add_func ("/charts/model/enums-by-name", test_model_enums_by_name);
  g_test_add_func ("/charts/model/table", test_table);
  g_test_add_func ("/charts/layout/genres", test_layout_genres);
  g_test_add_func ("/charts/layout/vertical", test_layout_vertical);
  g_test_add_func ("/charts/layout/time", test_layout_time);
  g_test_add_func ("/charts/layout/long-and-negative", test_layout_long_and_negative);
  g_test_add_func ("/charts/layout/empty", test_layout_empty);
  g_test_add_func ("/charts/export/png", test_export_png);
  g_test_add_func ("/charts/export/svg-pdf", test_export_svg_pdf);
  g_test_add_func ("/charts/export/async", test_export_async);
  g_test_add_func ("/charts/export/errors", test_export_errors);
  g_test_add_func ("/charts/widget/bar-light-dark", test_widget_bar_light_dark);
  g_test_add_func ("/charts/widget/metrics", test_widget_metrics);
  g_test_add_func ("/charts/widget/histogram", test_widget_histogram);
  g_test_add_func ("/charts/widget/time-and-ratings", test_widget_time_and_ratings);
  g_test_add_func ("/charts/widget/histogram-validation", test_widget_histogram_validation);
  g_test_add_func ("/charts/widget/save-to", test_widget_save_to);
  g_test_add_func ("/charts/widget/save-as-filter", test_widget_save_as_filter);
  g_test_add_func ("/charts/widget/empty", test_widget_empty);

  return g_test_run ();
}
