/* pw-data-stats.h: statistics for the Data page's charts and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pw-interactions.h"
#include "pw-items.h"
#include "pw-split.h"

G_BEGIN_DECLS

/**
 * PwActivity:
 * @n_users: users with at least one row
 * @min: fewest rows of a user
 * @median: median rows per user (the mean of the two middle values for an
 *   even count, as pandas computes it)
 * @max: most rows of a user
 * @mean: mean rows per user
 *
 * Interactions per user over the users that have any (all zero when none).
 */
typedef struct
{
  guint  n_users;
  guint  min;
  double median;
  guint  max;
  double mean;
} PwActivity;

/* Computes the activity of @counts, ignoring zeros. */
PwActivity pw_activity_compute (const guint *counts,
                                guint        n);

/**
 * PwHistogram:
 * @n_bins: number of bins
 * @edges: [n_bins + 1] bin edges; bin k holds lo <= v < hi, the last bin
 *   also v == hi (numpy.histogram's rule)
 * @counts: [n_bins] values per bin
 * @max_count: the largest count (for scaling)
 */
typedef struct
{
  guint    n_bins;
  double  *edges;
  guint64 *counts;
  guint64  max_count;
} PwHistogram;

/* A histogram of @values (zeros ignored when @skip_zeros) over [min, max]
 * with @n_bins equal bins (fewer when the range is narrower). */
PwHistogram *pw_histogram_new  (const guint *values,
                                guint        n,
                                guint        n_bins,
                                gboolean     skip_zeros);
void         pw_histogram_free (PwHistogram *histogram);

/**
 * PwBarSeries:
 * @n: number of bars
 * @labels: [n] labels ("Drama", "4", "2000-05")
 * @values: [n] heights
 * @max_value: the largest value
 *
 * Categories with values, in display order.
 */
typedef struct
{
  guint   n;
  char  **labels;
  double *values;
  double  max_value;
} PwBarSeries;

void pw_bar_series_free (PwBarSeries *series);

/**
 * PwDataStats:
 * @n_rows: interactions
 * @n_users: users
 * @n_items: items with interactions
 * @first_timestamp: earliest TIMESTAMP
 * @last_timestamp: latest TIMESTAMP
 * @whole: per-user activity of all rows
 * @training: per-user activity of the training rows (zeros when no split)
 * @validation: per-user activity of the validation rows
 * @per_user_whole: [n_users] rows per user (dense user index)
 * @per_user_training: [n_users] training rows per user (NULL with no split)
 * @per_user_validation: [n_users] validation rows per user (NULL with no split)
 * @histogram_whole: interactions per user, all rows
 * @histogram_training: the same for training (NULL with no split)
 * @histogram_validation: the same for validation (NULL with no split)
 * @items_per_genre: items with interactions per genre, largest first
 *   (NULL without genres)
 * @interactions_per_genre: interactions per genre (an item with two
 *   genres counts for both), largest first (NULL without genres)
 * @event_values: rows per EVENT_VALUE (distinct values, ascending; binned
 *   when there are more than 50), NULL when there are none
 * @per_month: rows per calendar month (UTC, "YYYY-MM", consecutive), or per
 *   year ("YYYY") when the data spans more than 20 years
 */
typedef struct
{
  guint        n_rows;
  guint        n_users;
  guint        n_items;
  gint64       first_timestamp;
  gint64       last_timestamp;
  PwActivity   whole;
  PwActivity   training;
  PwActivity   validation;
  guint       *per_user_whole;
  guint       *per_user_training;
  guint       *per_user_validation;
  PwHistogram *histogram_whole;
  PwHistogram *histogram_training;
  PwHistogram *histogram_validation;
  PwBarSeries *items_per_genre;
  PwBarSeries *interactions_per_genre;
  PwBarSeries *event_values;
  PwBarSeries *per_month;
} PwDataStats;

#define PW_DATA_STATS_HISTOGRAM_BINS 50

/* @items and @split may be NULL. */
PwDataStats *pw_data_stats_new  (PwInteractions *interactions,
                                 PwItems        *items,
                                 PwSplit        *split);
void         pw_data_stats_free (PwDataStats    *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwHistogram, pw_histogram_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwBarSeries, pw_bar_series_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwDataStats, pw_data_stats_free)

G_END_DECLS
