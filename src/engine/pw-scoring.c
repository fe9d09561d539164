/* pw-scoring.c: how a user is scored. Everything that turns a user state
 * into a score per warm item lives here: the EASE rows of the history
 * (add_rows(), or many users at once), the session merged with the
 * history by rank (its co-occurrence rows and its genre list), the
 * sequential and time parts, the scaling between them, and the genre
 * profile exploration reads. pw_model_score_dense() is the entry point;
 * pw-recommend.c turns its scores into a list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "pw-engine-error.h"
#include "pw-model-private.h"

/**
 * pw_scorer_init:
 * The model's own matrices and weights, as pw_model_score_dense() scores.
 */
void
pw_scorer_init (PwScorer *scorer,
                PwModel  *model)
{
  scorer->dense = model->dense;
  scorer->seq = model->seq;
  scorer->seq_weight = model->seq_weight;
  scorer->seq_n_in = model->seq_n_in;
  scorer->seq_in_decay = model->seq_in_decay;
  scorer->time_counts = model->time_counts;
  scorer->n_buckets = model->n_buckets;
  scorer->bucket_start = model->bucket_start;
  scorer->bucket_width = model->bucket_width;
  scorer->time_weight = model->time_weight;
  scorer->session_genre_weight = model->session_genre_weight;
  scorer->popularity = model->popularity;
  scorer->popularity_prior = NULL;
}

/* the model's scoring: pw_score_dense() with its own scorer */
gboolean
pw_model_score_dense (PwModel           *self,
                      const PwUserState *state,
                      float             *scores)
{
  PwScorer sc;

  pw_scorer_init (&sc, self);
  return pw_score_dense (self, &sc, state, scores);
}

#define SESSION_RANK_OFFSET 5.0

/* @keys (@n) sorted ascending by an LSD radix sort, skipping the bytes that
 * are the same in every key; @tmp: scratch of the same length. Returns
 * the buffer that holds the sorted keys (@keys or @tmp). */
static guint64 *
radix_sort_u64 (guint64 *keys,
                guint64 *tmp,
                guint    n)
{
  guint64 all_or = 0, all_and = G_MAXUINT64;

  for (guint i = 0; i < n; i++)
    {
      all_or |= keys[i];
      all_and &= keys[i];
    }
  for (guint shift = 0; shift < 64; shift += 8)
    {
      guint count[256] = { 0 }, pos = 0;
      guint64 *t;

      if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
        continue;
      for (guint i = 0; i < n; i++)
        count[(keys[i] >> shift) & 0xff]++;
      for (guint b = 0; b < 256; b++)
        {
          guint c = count[b];
          count[b] = pos;
          pos += c;
        }
      for (guint i = 0; i < n; i++)
        tmp[count[(keys[i] >> shift) & 0xff]++] = keys[i];
      t = keys;
      keys = tmp;
      tmp = t;
    }
  return keys;
}

/* each warm item's rank by @scores (0 = best; ties by index) among the items
 * the state does not hold; those it holds rank last */
static void
unseen_ranks (PwModel           *self,
              const PwUserState *state,
              const float       *scores,
              guint32           *ranks)
{
  g_autofree guint64 *keys = g_new (guint64, (gsize) MAX (1, self->n_warm) * 2);
  g_autofree guint8 *held = g_new0 (guint8, MAX (1, self->n_warm));
  guint64 *sorted;
  guint m = 0;

  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      held[self->dense_of[state->items[k]]] = 1;
  for (guint i = 0; i < self->n_warm; i++)
    if (held[i])
      ranks[i] = self->n_warm;
    else
      {
        /* a key that sorts ascending by (score desc, index asc) */
        float f = scores[i] == 0 ? 0.0f : scores[i];
        guint32 bits;

        memcpy (&bits, &f, sizeof bits);
        bits = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);  /* ascending by score */
        keys[m++] = ((guint64) ~bits << 32) | i;
      }
  sorted = radix_sort_u64 (keys, keys + MAX (1, self->n_warm), m);
  for (guint r = 0; r < m; r++)
    ranks[(guint32) sorted[r]] = r;
}

/* the session's share of the preference after n real-time events:
 * n / (n + 2): a third after one click, a half after two, 60% after three */
static double
session_share (guint n_realtime)
{
  return (double) n_realtime / (n_realtime + 2.0);
}

static gboolean score_base_genre (PwModel           *self,
                  const PwScorer    *sc,
                                  const PwUserState *state,
                                  double             genre_weight,
                                  float             *scores);

/* One state's weight for a dense row (sum_rows()). */
typedef struct
{
  guint32 state;
  float   weight;
} RowEntry;

/* The column width of pw_rows_sum()'s blocks: 64 floats, so that the
 * blocks of a batch's scores (about 1,000 states: 256 KiB) stay in the
 * second-level cache while each row's block is read once for every state
 * that holds it (16 and 32 floats were slower, 128 too). */
#define ROWS_BLOCK_COLUMNS 64

/* fewer states than this are summed a whole row at a time (one user's
 * request: whole rows are read in order, what the prefetcher follows;
 * column blocks took twice as long) */
#define ROWS_BLOCK_MIN_STATES 8

/* Vector code for the row sums where the processor has it (AVX2 and FMA
 * on x86-64, chosen when the program starts); the sums are the same
 * whichever path adds them, for a given processor. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define PW_VECTOR_CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define PW_VECTOR_CLONES
#endif

/* out[state × stride + j] += weight · dense[d][c0 + j], j < width, for
 * the rows (ascending) and their entries */
PW_VECTOR_CLONES static void
add_rows_block (const float    *dense,
                gsize           n,
                gsize           c0,
                guint           width,
                const guint32  *rows,
                guint           n_rows,
                const guint32  *ptr,
                const RowEntry *entries,
                float          *out,
                gsize           stride)
{
  for (guint r = 0; r < n_rows; r++)
    {
      const float *restrict x = dense + (gsize) rows[r] * n + c0;

      for (guint e = ptr[r]; e < ptr[r + 1]; e++)
        {
          float *restrict y = out + (gsize) entries[e].state * stride;
          float a = entries[e].weight;

          for (guint j = 0; j < width; j++)
            y[j] += a * x[j];
        }
    }
}

/**
 * pw_rows_sum:
 * @dense: n x n, row-major
 * @ptr: (n_states + 1) where each state's rows start in @rows and @weights
 *   (ptr[0] need not be 0: a slice of a larger set of states)
 *
 * scores[s] = Σ weights[q] · dense[rows[q]] over state s's entries, into
 * @scores (n_states x n, row-major). Every state adds its rows in
 * ascending row order, however many states are summed at once, so a
 * user's scores do not depend on the batch. The rows are summed a column
 * block at a time into a compact scratch, so that each block of a row is
 * read once for every state that holds it: batches of about a thousand
 * states read the matrix from memory a few times instead of once per
 * hundred users (0.43 s instead of 0.62 s to score the 6,040 users of the
 * ML-1M-sized input).
 */
void
pw_rows_sum (const float   *dense,
             gsize          n,
             guint          n_states,
             const guint32 *ptr,
             const guint32 *rows_of,
             const float   *weights,
             float         *scores)
{
  g_autofree guint32 *count = g_new0 (guint32, n + 1);
  g_autofree guint32 *rows = NULL;
  g_autofree guint32 *row_ptr = NULL;
  g_autofree RowEntry *entries = NULL;
  g_autofree float *block = NULL;
  guint n_entries = ptr[n_states] - ptr[0], n_rows = 0;

  if (n_entries == 0)
    {
      memset (scores, 0, sizeof (float) * n * n_states);
      return;
    }
  for (guint q = ptr[0]; q < ptr[n_states]; q++)
    {
      n_rows += count[rows_of[q]] == 0;
      count[rows_of[q]]++;
    }
  rows = g_new (guint32, n_rows);
  row_ptr = g_new (guint32, n_rows + 1);
  entries = g_new (RowEntry, n_entries);
  /* count[d] becomes where row d's entries start */
  for (gsize d = 0, r = 0, pos = 0; d < n; d++)
    if (count[d] > 0)
      {
        guint32 c = count[d];
        rows[r] = (guint32) d;
        row_ptr[r++] = (guint32) pos;
        count[d] = (guint32) pos;
        pos += c;
      }
  row_ptr[n_rows] = n_entries;
  for (guint s = 0; s < n_states; s++)
    for (guint q = ptr[s]; q < ptr[s + 1]; q++)
      {
        entries[count[rows_of[q]]].state = s;
        entries[count[rows_of[q]]].weight = weights[q];
        count[rows_of[q]]++;
      }
  /* a few states: whole rows, read in order (what the prefetcher follows) */
  if (n_states < ROWS_BLOCK_MIN_STATES)
    {
      memset (scores, 0, sizeof (float) * n * n_states);
      add_rows_block (dense, n, 0, (guint) n, rows, n_rows, row_ptr, entries, scores, n);
      return;
    }
  /* many: each column block summed in a compact scratch (the states' rows
   * of scores are n floats apart: they would evict each other) */
  block = g_new (float, (gsize) n_states * ROWS_BLOCK_COLUMNS);
  for (gsize c0 = 0; c0 < n; c0 += ROWS_BLOCK_COLUMNS)
    {
      guint width = (guint) MIN (ROWS_BLOCK_COLUMNS, n - c0);

      memset (block, 0, sizeof (float) * n_states * ROWS_BLOCK_COLUMNS);
      add_rows_block (dense, n, c0, width, rows, n_rows, row_ptr, entries, block, ROWS_BLOCK_COLUMNS);
      for (guint s = 0; s < n_states; s++)
        memcpy (scores + (gsize) s * n + c0, block + (gsize) s * ROWS_BLOCK_COLUMNS, sizeof (float) * width);
    }
}

/**
 * pw_rows_batch_size:
 * How many users to sum at once (pw_rows_sum()) when @n_users are shared
 * among @n_threads threads, @n_states states each: about a thousand
 * states, fewer when that would leave a thread idle.
 */
guint
pw_rows_batch_size (guint n_users,
                    guint n_threads,
                    guint n_states)
{
  guint per_thread = (n_users + MAX (1, n_threads) - 1) / MAX (1, n_threads);

  return MAX (1, MIN (1024 / MAX (1, n_states), per_thread));
}

/* The weighted sum of each state's warm items' dense rows (those of its
 * real-time events only, @only_realtime 1, or of the others, 0, or all,
 * -1) into @scores (n_states x n_warm, row-major): pw_rows_sum(). */
static void
sum_rows (PwModel           *self,
          const float       *dense,
          const PwUserState *states,
          guint              n_states,
          gint               only_realtime,
          float             *scores)
{
  g_autofree guint32 *ptr = g_new (guint32, n_states + 1);
  guint n_entries = 0, q = 0;
  g_autofree guint32 *rows = NULL;
  g_autofree float *weights = NULL;

  for (guint s = 0; s < n_states; s++)
    n_entries += states[s].n;
  rows = g_new (guint32, MAX (1, n_entries));
  weights = g_new (float, MAX (1, n_entries));
  for (guint s = 0; s < n_states; s++)
    {
      ptr[s] = q;
      for (guint k = 0; k < states[s].n; k++)
        {
          gint32 d = self->dense_of[states[s].items[k]];
          if (d >= 0 && (only_realtime < 0 || states[s].realtime[k] == only_realtime))
            {
              rows[q] = (guint32) d;
              weights[q++] = states[s].weights[k];
            }
        }
    }
  ptr[n_states] = q;
  pw_rows_sum (dense, self->n_warm, n_states, ptr, rows, weights, scores);
}

static void
add_rows (PwModel           *self,
          const PwScorer    *sc,
          const PwUserState *state,
          gint               only_realtime,
          float             *scores)
{
  sum_rows (self, sc->dense, state, 1, only_realtime, scores);
}

/**
 * pw_score_rows_batch:
 * What add_rows() computes for one state (the weighted sum of its warm
 * items' dense rows), for @n_states states at once into @scores
 * (n_states x n_warm, row-major): the same sums in the same order, each
 * row read once for the batch (sum_rows()). @any (n_states) tells whether
 * each state has a warm item (a row of zeros when not).
 */
void
pw_score_rows_batch (PwModel           *self,
                     const PwScorer    *sc,
                     const PwUserState *states,
                     guint              n_states,
                     float             *scores,
                     gboolean          *any)
{
  for (guint s = 0; s < n_states; s++)
    {
      any[s] = FALSE;
      for (guint k = 0; k < states[s].n && !any[s]; k++)
        any[s] = self->dense_of[states[s].items[k]] >= 0;
    }
  sum_rows (self, sc->dense, states, n_states, -1, scores);
}

/**
 * pw_score_history_rows_batch:
 * pw_score_rows_batch() of the states' older events only (not their
 * real-time ones): the history list a session is merged with.
 */
void
pw_score_history_rows_batch (PwModel           *self,
                             const PwScorer    *sc,
                             const PwUserState *states,
                             guint              n_states,
                             float             *scores)
{
  sum_rows (self, sc->dense, states, n_states, 0, scores);
}

/* the largest score among items the state does not hold */
static float
max_unseen (PwModel           *self,
            const PwUserState *state,
            const float       *scores,
            guint8            *marks)
{
  float max = 0;

  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      marks[self->dense_of[state->items[k]]] = 1;
  for (guint i = 0; i < self->n_warm; i++)
    if (!marks[i] && scores[i] > max)
      max = scores[i];
  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      marks[self->dense_of[state->items[k]]] = 0;
  return max;
}


/* @v scaled to a maximum of 1 over the items the state does not hold;
 * FALSE (and @v untouched) when that maximum is not positive */
gboolean
pw_model_scale_unseen (PwModel           *self,
                       const PwUserState *state,
                       float             *v)
{
  g_autofree guint8 *marks = g_new0 (guint8, MAX (1, self->n_warm));
  float max = max_unseen (self, state, v, marks);

  if (max <= 0)
    return FALSE;
  cblas_sscal ((int) self->n_warm, 1.0f / max, v, 1);
  return TRUE;
}

/**
 * pw_model_score_sequence:
 * The sequential part for @state into @next (n_warm): what follows the
 * newest seq_n_in warm items, weighted seq_in_decay^age (its input as it was
 * trained), scaled to a maximum of 1 over the items the state does not hold.
 *
 * Returns: %FALSE when there is nothing to add (no sequential part, or no
 * positive score)
 */
gboolean
pw_score_sequence (PwModel           *self,
                   const PwScorer    *sc,
                         const PwUserState *state,
                         float             *next)
{
  double w = 1;
  guint used = 0;

  if (sc->seq == NULL)
    return FALSE;
  memset (next, 0, sizeof (float) * self->n_warm);
  for (guint k = 0; k < state->n && used < sc->seq_n_in; k++)
    {
      gint32 d = self->dense_of[state->items[k]];
      if (d < 0)
        continue;
      cblas_saxpy ((int) self->n_warm, (float) w, sc->seq + (gsize) d * self->n_warm, 1, next, 1);
      w *= sc->seq_in_decay;
      used++;
    }
  return pw_model_scale_unseen (self, state, next);
}

/**
 * pw_model_score_time:
 * What was popular around the user's own time (the newest event that is not
 * real-time: a campaign's clicks happen now, long after the data) into
 * @popular (n_warm): the bucket of that time and its two neighbours
 * (weights 1/2, 1, 1/2), scaled to a maximum of 1 over the items the state
 * does not hold.
 *
 * Returns: %FALSE when there is nothing to add
 */
gboolean
pw_score_time (PwModel           *self,
               const PwScorer    *sc,
                     const PwUserState *state,
                     float             *popular)
{
  gint64 b;

  if (sc->time_counts == NULL || sc->n_buckets == 0 || !state->has_time || sc->bucket_width <= 0)
    return FALSE;
  /* unsigned: exact for any two times (no overflow for absurd ones) */
  b = state->time < sc->bucket_start ? -1
    : (gint64) MIN (((guint64) state->time - (guint64) sc->bucket_start) / (guint64) sc->bucket_width,
                    (guint64) G_MAXINT64);
  if (b < 0 || b >= (gint64) sc->n_buckets)
    return FALSE;
  memset (popular, 0, sizeof (float) * self->n_warm);
  for (gint64 c = b - 1; c <= b + 1; c++)
    if (c >= 0 && c < (gint64) sc->n_buckets)
      cblas_saxpy ((int) self->n_warm, c == b ? 1.0f : 0.5f,
                   sc->time_counts + (gsize) c * self->n_warm, 1, popular, 1);
  return pw_model_scale_unseen (self, state, popular);
}

/**
 * pw_model_score_dense:
 * Scores every warm item for @state into @scores (n_warm): the EASE sum of
 * the state's rows (B rows weighted by recency), or the ALS fold-in.
 *
 * A state with real-time events (the session) and older history merges the
 * two lists by rank, with the session's share growing with its clicks
 * (session_share()), so that a few clicks visibly move a long history's
 * list whatever its length and however its scores are spread. The
 * session's share is split between what co-occurs with its items and
 * what fits their genres (session_genre_weight, chosen on the holdout with
 * pseudo-sessions): on real data a rare genre's films are seldom watched
 * together, and the genre list is what moves the list toward it. Without
 * a session the list is what it was before sessions had genres.
 *
 * With the sequential part (seq_weight > 0, chosen on the holdout), what
 * follows the newest items is added; with the time part (time_weight > 0,
 * chosen there too), what was popular around the user's own time.
 *
 * Returns: %FALSE when the state has no warm item and no session to go by
 *   (@scores untouched)
 */
gboolean
pw_score_dense (PwModel           *self,
                const PwScorer    *sc,
                      const PwUserState *state,
                      float             *scores)
{
  if (!pw_score_base (self, sc, state, scores))
    return FALSE;
  pw_score_add_parts (self, sc, state, scores);
  return TRUE;
}

void
pw_score_add_parts (PwModel           *self,
                    const PwScorer    *sc,
                          const PwUserState *state,
                          float             *scores)
{
  PwScoreParts parts;

  pw_score_parts_build (self, sc, state, &parts);
  pw_score_parts_add (self, sc, state, &parts, scores);
  pw_score_parts_clear (&parts);
}

/* the sequential and time parts of a state, computed once (the holdout
 * adds them to many mixes of the same state) */
void
pw_score_parts_build (PwModel           *self,
                      const PwScorer    *sc,
                      const PwUserState *state,
                      PwScoreParts      *parts)
{
  memset (parts, 0, sizeof *parts);
  if (self->item_factors != NULL)
    return;
  if (sc->seq != NULL && sc->seq_weight > 0)
    {
      parts->next = g_new (float, MAX (1, self->n_warm));
      if (!pw_score_sequence (self, sc, state, parts->next))
        g_clear_pointer (&parts->next, g_free);
    }
  if (sc->time_counts != NULL && sc->time_weight > 0)
    {
      parts->popular = g_new (float, MAX (1, self->n_warm));
      if (!pw_score_time (self, sc, state, parts->popular))
        g_clear_pointer (&parts->popular, g_free);
    }
}

/* scores += seq_weight · next and time_weight · popular, what comes before
 * each addition scaled to a maximum of 1 over the unseen items */
void
pw_score_parts_add (PwModel            *self,
                    const PwScorer     *sc,
                    const PwUserState  *state,
                    const PwScoreParts *parts,
                    float              *scores)
{
  if (parts->next != NULL)
    {
      pw_model_scale_unseen (self, state, scores);
      cblas_saxpy ((int) self->n_warm, (float) sc->seq_weight, parts->next, 1, scores, 1);
    }
  if (parts->popular != NULL)
    {
      pw_model_scale_unseen (self, state, scores);
      cblas_saxpy ((int) self->n_warm, (float) sc->time_weight, parts->popular, 1, scores, 1);
    }
}

void
pw_score_parts_clear (PwScoreParts *parts)
{
  g_clear_pointer (&parts->next, g_free);
  g_clear_pointer (&parts->popular, g_free);
}

/* pw_model_score_dense() without the sequential and time parts */
gboolean
pw_score_base (PwModel           *self,
               const PwScorer    *sc,
                     const PwUserState *state,
                     float             *scores)
{
  return score_base_genre (self, sc, state, sc->session_genre_weight, scores);
}

/* the genre list's popularity prior of @item: log1p (its count) over
 * log1p (the most popular item's) */
static double
popularity_prior (PwModel       *self,
                  const guint32 *popularity,
                  guint32        item)
{
  double max_pop_log = log1p ((double) popularity[self->pop_order[0]]);

  return max_pop_log > 0 ? log1p ((double) popularity[item]) / max_pop_log : 1;
}

/**
 * pw_popularity_prior_build:
 * Returns: (transfer full): popularity_prior() of every item (n_items), for
 *   a PwScorer's popularity_prior (a search that scores many sessions)
 */
double *
pw_popularity_prior_build (PwModel       *self,
                           const guint32 *popularity)
{
  double *prior = g_new (double, MAX (1, self->n_items));

  for (guint i = 0; i < self->n_items; i++)
    prior[i] = popularity_prior (self, popularity, i);
  return prior;
}

/* The session's genre list: every warm item's fit to the genres (and other
 * categorical values) of the session's items, cold ones included (idf
 * weighted cosine), times a prior that orders equally fitting items by
 * what co-occurs with the session (@rows, the session's rows, or NULL) and
 * by popularity: among the films of the clicked genre, those that go with
 * the clicks first. FALSE when the session's items have no metadata. */
static gboolean
session_genre_scores (PwModel           *self,
                      const PwScorer    *sc,
                      const PwUserState *state,
                      const float       *rows,
                      float             *out)
{
  g_autofree float *profile = g_new0 (float, MAX (1, self->n_genres));
  double total = 0, max_row = 0;
  gboolean any = FALSE;

  for (guint k = 0; k < state->n; k++)
    {
      guint32 it = state->items[k];

      if (!state->realtime[k] || self->genre_ptr[it] == self->genre_ptr[it + 1])
        continue;
      for (guint q = self->genre_ptr[it]; q < self->genre_ptr[it + 1]; q++)
        profile[self->genre_idx[q]] += state->weights[k];
      total += state->weights[k];
      any = TRUE;
    }
  if (!any)
    return FALSE;
  for (guint g = 0; g < self->n_genres; g++)
    profile[g] = (float) (profile[g] / total) * self->genre_idf[g];
  for (guint d = 0; rows != NULL && d < self->n_warm; d++)
    max_row = MAX (max_row, rows[d]);
  for (guint d = 0; d < self->n_warm; d++)
    {
      guint32 item = self->warm_items[d];
      double pop = sc->popularity_prior != NULL ? sc->popularity_prior[item]
                                                : popularity_prior (self, sc->popularity, item);
      double co = max_row > 0 ? MAX (0.0, rows[d]) / max_row : 0;

      out[d] = pw_item_affinity (self, profile, item) * (float) (0.1 + 0.3 * pop + 0.6 * co);
    }
  return TRUE;
}

/* pw_model_score_base() with the session's genre list weighted @genre_weight */
static gboolean
score_base_genre (PwModel           *self,
                  const PwScorer    *sc,
                  const PwUserState *state,
                  double             genre_weight,
                  float             *scores)
{
  gboolean any = FALSE, any_rt = FALSE, any_hist = FALSE;

  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      {
        any = TRUE;
        any_rt |= state->realtime[k];
        any_hist |= !state->realtime[k];
      }

  if (self->item_factors != NULL)
    {
      g_autofree float *x = NULL;
      g_autofree float *boosted_weights = NULL;
      PwUserState boosted = *state;
      double w_rt = 0, w_hist = 0;

      if (!any)
        return FALSE;
      /* the same share, as weights of the fold-in */
      x = g_new0 (float, self->k);
      boosted.weights = boosted_weights = g_memdup2 (state->weights, sizeof (float) * MAX (1, state->n));
      for (guint k = 0; k < state->n; k++)
        *(state->realtime[k] ? &w_rt : &w_hist) += state->weights[k];
      if (any_rt && any_hist)
        {
          double share = session_share (state->n_realtime);
          double f = share / (1.0 - share) * w_hist / w_rt;
          for (guint k = 0; k < state->n; k++)
            if (state->realtime[k])
              boosted.weights[k] *= (float) f;
        }
      pw_als_fold_in (self, &boosted, x);
      cblas_sgemv (CblasRowMajor, CblasNoTrans, (int) self->n_warm, (int) self->k, 1.0f,
                   self->item_factors, (int) self->k, x, 1, 0.0f, scores, 1);
      return TRUE;
    }

  /* a session: its lists merged with the history's by rank (with a genre
   * weight of 0 exactly the merge of the history and the session rows) */
  if (state->n_realtime > 0 && ((any_rt && any_hist) || genre_weight > 0))
    {
      PwSessionRanks ranks;
      gboolean merged = FALSE;

      if (pw_session_ranks_build (self, sc, state, genre_weight > 0, NULL, &ranks))
        merged = pw_session_ranks_merge (self, &ranks, genre_weight, scores);
      pw_session_ranks_clear (&ranks);
      if (merged)
        return TRUE;
    }
  if (!any)
    return FALSE;
  add_rows (self, sc, state, -1, scores);
  return TRUE;
}

/**
 * pw_session_ranks_build:
 * The lists a state with a session (real-time events) is merged from, each
 * as ranks among the items the state does not hold: the history's (older
 * events), the session's co-occurrence (its rows) and the session's genre
 * list (session_genre_scores(), only when @with_genre). A list that has
 * nothing to rank is %NULL. @history_rows (nullable): the history's rows
 * (what add_rows() sums over the older events), when the caller has them.
 *
 * Returns: %FALSE when the state has no session, or neither a session row
 *   nor session metadata (then the state is scored as before sessions)
 */
gboolean
pw_session_ranks_build (PwModel           *self,
                        const PwScorer    *sc,
                        const PwUserState *state,
                        gboolean           with_genre,
                        const float       *history_rows,
                        PwSessionRanks    *ranks)
{
  gboolean any_rt = FALSE, any_hist = FALSE;
  g_autofree float *v = NULL;
  g_autofree float *rows = NULL;

  memset (ranks, 0, sizeof *ranks);
  if (state->n_realtime == 0 || self->item_factors != NULL)
    return FALSE;
  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      {
        any_rt |= state->realtime[k];
        any_hist |= !state->realtime[k];
      }
  v = g_new (float, MAX (1, self->n_warm));
  rows = g_new (float, MAX (1, self->n_warm));
  if (any_rt)
    {
      add_rows (self, sc, state, 1, rows);
      ranks->session = g_new (guint32, MAX (1, self->n_warm));
      unseen_ranks (self, state, rows, ranks->session);
    }
  if (with_genre && session_genre_scores (self, sc, state, any_rt ? rows : NULL, v))
    {
      ranks->genre = g_new (guint32, MAX (1, self->n_warm));
      unseen_ranks (self, state, v, ranks->genre);
      /* what does not fit is not on the genre list: all last alike */
      for (guint d = 0; d < self->n_warm; d++)
        if (v[d] <= 0)
          ranks->genre[d] = self->n_warm;
    }
  if (!any_rt && ranks->genre == NULL)
    return FALSE;
  if (any_hist)
    {
      if (history_rows == NULL)
        add_rows (self, sc, state, 0, v);
      ranks->history = g_new (guint32, MAX (1, self->n_warm));
      unseen_ranks (self, state, history_rows != NULL ? history_rows : v, ranks->history);
    }
  ranks->share = any_hist ? session_share (state->n_realtime) : 1.0;
  return TRUE;
}

void
pw_session_ranks_clear (PwSessionRanks *ranks)
{
  g_clear_pointer (&ranks->history, g_free);
  g_clear_pointer (&ranks->session, g_free);
  g_clear_pointer (&ranks->genre, g_free);
}

/**
 * pw_session_ranks_merge:
 * The lists merged by rank into @scores (n_warm), so that the session's
 * share of the top does not depend on how any list's scores are spread:
 * history (1 - share), the session share × (1 - @genre_weight) for its
 * co-occurrence and share × @genre_weight for its genre list. After one
 * click the session's first item comes about 5th, after two the lists
 * alternate (SESSION_RANK_OFFSET = 5). A missing list's share goes to the
 * session's other one.
 *
 * Returns: %FALSE when nothing is left to merge (a session of cold items
 *   without metadata and no history, or a genre list only, weighted 0)
 */
gboolean
pw_session_ranks_merge (PwModel              *self,
                        const PwSessionRanks *ranks,
                        double                genre_weight,
                        float                *scores)
{
  double w_h = ranks->history != NULL ? 1.0 - ranks->share : 0;
  double w_s = ranks->share * (1.0 - genre_weight), w_g = ranks->share * genre_weight;

  if (ranks->genre == NULL || genre_weight <= 0)
    {
      w_s = ranks->share;
      w_g = 0;
    }
  if (ranks->session == NULL)
    {
      w_g += w_s;
      w_s = 0;
    }
  if (w_g > 0 && ranks->genre == NULL)
    return FALSE;
  if (w_h + w_s + w_g <= 0)
    return FALSE;
  for (guint i = 0; i < self->n_warm; i++)
    scores[i] = (float) ((w_h > 0 ? w_h / (ranks->history[i] + SESSION_RANK_OFFSET) : 0)
                         + (w_s > 0 ? w_s / (ranks->session[i] + SESSION_RANK_OFFSET) : 0)
                         + (w_g > 0 ? w_g / (ranks->genre[i] + SESSION_RANK_OFFSET) : 0));
  return TRUE;
}

/* profile += @scale × the genre profile of the state's items (@only_realtime:
 * 0 history, 1 session, -1 all), recency weighted, idf */
static void
add_genre_profile (PwModel           *self,
                   const PwUserState *state,
                   gint               only_realtime,
                   double             scale,
                   float             *profile)
{
  g_autofree float *part = g_new0 (float, MAX (1, self->n_genres));
  double total = 0;

  for (guint k = 0; k < state->n; k++)
    {
      guint32 it = state->items[k];

      if (only_realtime >= 0 && state->realtime[k] != only_realtime)
        continue;
      for (guint q = self->genre_ptr[it]; q < self->genre_ptr[it + 1]; q++)
        part[self->genre_idx[q]] += state->weights[k];
      total += state->weights[k];
    }
  if (total > 0)
    for (guint g = 0; g < self->n_genres; g++)
      profile[g] += (float) (part[g] / total * scale) * self->genre_idf[g];
}

/* The user's current interests as a genre profile (idf): the history's,
 * and with a session the session's beside it with the session's share of
 * the list (session_share()), so that what the user clicks now counts as
 * much in exploration as in the list. */
void
pw_genre_affinity (PwModel           *self,
                const PwUserState *state,
                float             *profile)
{
  memset (profile, 0, sizeof (float) * MAX (1, self->n_genres));
  if (state->n_realtime == 0 || state->n_realtime == state->n)
    add_genre_profile (self, state, -1, 1.0, profile);
  else
    {
      double share = session_share (state->n_realtime);

      add_genre_profile (self, state, 0, 1.0 - share, profile);
      add_genre_profile (self, state, 1, share, profile);
    }
}

float
pw_item_affinity (PwModel     *self,
               const float *profile,
               guint32      item)
{
  float s = 0;

  if (self->genre_norm[item] <= 0)
    return 0;
  for (guint q = self->genre_ptr[item]; q < self->genre_ptr[item + 1]; q++)
    s += profile[self->genre_idx[q]] * self->genre_idf[self->genre_idx[q]];
  return s / self->genre_norm[item];
}
