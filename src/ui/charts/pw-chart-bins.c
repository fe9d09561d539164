/* pw-chart-bins.c: integer values into histogram bins, and nice axis ticks
 *
 * Pure functions, no GTK: the data layer's statistics can be binned here
 * and the result tested without a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-bins"

#include "pw-config.h"

#include <math.h>

#include "pw-chart.h"
#include "pw-chart-bins.h"

G_DEFINE_BOXED_TYPE (PwChartBins, pw_chart_bins, pw_chart_bins_copy, pw_chart_bins_free)

/* The ladders of log-friendly edges within one decade, finest first. */
static const double ladder_fine[] = { 1, 1.5, 2, 3, 5, 7 };
static const double ladder_medium[] = { 1, 2, 5 };
static const double ladder_coarse[] = { 1, 3 };
static const double ladder_decade[] = { 1 };

static const struct {
  const double *steps;
  guint n_steps;
} ladders[] = {
  { ladder_fine, G_N_ELEMENTS (ladder_fine) },
  { ladder_medium, G_N_ELEMENTS (ladder_medium) },
  { ladder_coarse, G_N_ELEMENTS (ladder_coarse) },
  { ladder_decade, G_N_ELEMENTS (ladder_decade) },
};

/* The whole-number edges of @ladder from the largest one <= @min to the
 * smallest one > @max. */
static GArray *
log_edges (guint         min,
           guint         max,
           const double *steps,
           guint         n_steps)
{
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (double));
  double decade = 1;
  double last = -1;
  gboolean started = FALSE;

  if (min == 0)
    {
      double zero = 0;

      g_array_append_val (edges, zero);
      last = 0;
      started = TRUE;
    }

  /* Walk the ladder upwards; remember the last edge below or at min so
   * that the first bin contains min. */
  for (;;)
    {
      for (guint i = 0; i < n_steps; i++)
        {
          double edge = round (steps[i] * decade);

          if (edge <= last)
            continue;
          if (!started)
            {
              if (edge <= min)
                {
                  last = edge;
                  continue;
                }
              g_array_append_val (edges, last);
              started = TRUE;
            }
          g_array_append_val (edges, edge);
          last = edge;
          if (edge > max)
            return edges;
        }
      decade *= 10;
    }
}

/**
 * pw_chart_bins_new:
 * @values: (array length=n_values): the values, e.g. interactions per user
 * @n_values: their number
 * @binning: linear or log-friendly edges
 * @max_bins: the most bins wanted (0: 20)
 *
 * Counts @values into bins with whole-number edges. Linear bins all have
 * one round width; log bins follow the 1-1.5-2-3-5-7 ladder (or a coarser
 * one if that would give more than @max_bins bins), so a long tail gets a
 * few wide bins and the common small values narrow ones.
 *
 * Returns: (transfer full): the bins; no bins when @n_values is 0
 */
PwChartBins *
pw_chart_bins_new (const guint    *values,
                   gsize           n_values,
                   PwChartBinning  binning,
                   guint           max_bins)
{
  PwChartBins *self = g_new0 (PwChartBins, 1);
  guint min = G_MAXUINT;
  guint max = 0;

  g_return_val_if_fail (values != NULL || n_values == 0, self);

  if (max_bins == 0)
    max_bins = 20;

  self->binning = binning;
  self->total = n_values;
  if (n_values == 0)
    {
      self->edges = g_new0 (double, 1);
      return self;
    }

  for (gsize i = 0; i < n_values; i++)
    {
      min = MIN (min, values[i]);
      max = MAX (max, values[i]);
    }
  self->min = min;
  self->max = max;

  if (binning == PW_CHART_BINNING_LOG)
    {
      GArray *edges = NULL;

      for (guint l = 0; l < G_N_ELEMENTS (ladders); l++)
        {
          g_clear_pointer (&edges, g_array_unref);
          edges = log_edges (min, max, ladders[l].steps, ladders[l].n_steps);
          if (edges->len - 1 <= max_bins)
            break;
        }
      self->n_bins = edges->len - 1;
      self->edges = (double *) g_array_free (edges, FALSE);
    }
  else
    {
      double width = pw_chart_nice_step ((double) (max - min + 1) / max_bins);
      double lo;

      width = MAX (1, ceil (width));
      lo = floor (min / width) * width;
      self->n_bins = (guint) ceil ((max + 1 - lo) / width);
      while (self->n_bins > max_bins)
        {
          width = pw_chart_nice_step (width * 1.5);
          lo = floor (min / width) * width;
          self->n_bins = (guint) ceil ((max + 1 - lo) / width);
        }
      self->edges = g_new (double, self->n_bins + 1);
      for (guint i = 0; i <= self->n_bins; i++)
        self->edges[i] = lo + i * width;
    }

  self->counts = g_new0 (guint64, self->n_bins);
  for (gsize i = 0; i < n_values; i++)
    {
      int bin = pw_chart_bins_find (self, values[i]);

      g_assert (bin >= 0);
      self->counts[bin]++;
    }

  return self;
}

PwChartBins *
pw_chart_bins_copy (const PwChartBins *self)
{
  PwChartBins *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->edges = g_memdup2 (self->edges, sizeof (double) * (self->n_bins + 1));
  copy->counts = g_memdup2 (self->counts, sizeof (guint64) * self->n_bins);
  return copy;
}

void
pw_chart_bins_free (PwChartBins *self)
{
  if (self == NULL)
    return;
  g_free (self->edges);
  g_free (self->counts);
  g_free (self);
}

/**
 * pw_chart_bins_find:
 * @self: bins
 * @value: a value
 *
 * Returns: the bin that holds @value, or -1 if it is outside every bin
 */
int
pw_chart_bins_find (const PwChartBins *self,
                    guint              value)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (self != NULL, -1);

  if (self->n_bins == 0 || value < self->edges[0] || value >= self->edges[self->n_bins])
    return -1;

  /* Binary search for the last edge <= value. */
  hi = self->n_bins;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (self->edges[mid] <= value)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
}

/**
 * pw_chart_bins_get_label:
 * @self: bins
 * @bin: a bin
 *
 * Returns: (transfer full): the values the bin holds, e.g. "20–29", or "1"
 *   for a bin of one value
 */
char *
pw_chart_bins_get_label (const PwChartBins *self,
                         guint              bin)
{
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (bin < self->n_bins, NULL);

  lo = pw_chart_format_number (PW_CHART_VALUE_INTEGER, self->edges[bin]);
  if (self->edges[bin + 1] - self->edges[bin] <= 1)
    return g_steal_pointer (&lo);
  hi = pw_chart_format_number (PW_CHART_VALUE_INTEGER, self->edges[bin + 1] - 1);
  return g_strdup_printf ("%s–%s", lo, hi);
}

/**
 * pw_chart_nice_step:
 * @rough: a positive step
 *
 * Returns: the smallest of 1, 2 or 5 x 10^k that is >= @rough
 */
double
pw_chart_nice_step (double rough)
{
  double decade;
  double f;

  if (!(rough > 0) || !isfinite (rough))
    return 1;

  decade = pow (10, floor (log10 (rough)));
  f = rough / decade;
  /* Tolerate rounding: 2.0000000001 is 2. */
  if (f <= 1 + 1e-9)
    return decade;
  if (f <= 2 + 1e-9)
    return 2 * decade;
  if (f <= 5 + 1e-9)
    return 5 * decade;
  return 10 * decade;
}

/**
 * pw_chart_nice_ticks:
 * @min: the smallest value to show
 * @max: the largest value to show
 * @max_ticks: the most ticks wanted (at least 2)
 * @integer: whether ticks must be whole numbers
 * @first: (out): the first tick, <= @min
 * @step: (out): the distance between ticks, 1, 2 or 5 x 10^k
 *
 * Chooses axis ticks at round values covering @min..@max: the first tick is
 * at or below @min, the last at or above @max. An empty range is widened
 * (0..0 becomes 0..1).
 *
 * Returns: the number of ticks
 */
guint
pw_chart_nice_ticks (double    min,
                     double    max,
                     guint     max_ticks,
                     gboolean  integer,
                     double   *first,
                     double   *step)
{
  double s;
  double lo;
  double hi;
  guint n;

  g_return_val_if_fail (first != NULL && step != NULL, 0);

  max_ticks = MAX (max_ticks, 2);
  if (!isfinite (min) || !isfinite (max))
    min = max = 0;
  if (min > max)
    {
      double t = min;

      min = max;
      max = t;
    }
  if (max - min < 1e-12)
    {
      if (max == 0)
        max = 1;
      else if (max > 0)
        min = 0;
      else
        max = 0;
    }

  s = pw_chart_nice_step ((max - min) / (max_ticks - 1));
  for (;;)
    {
      if (integer && s < 1)
        s = 1;
      lo = floor (min / s + 1e-9) * s;
      hi = ceil (max / s - 1e-9) * s;
      n = MAX (2, (guint) round ((hi - lo) / s) + 1);
      if (n <= max_ticks)
        break;
      s = pw_chart_nice_step (s * 1.01);
    }

  *first = lo;
  *step = s;
  return n;
}
