/* pw-user-state.c: what the scorers read of a user: the state (distinct
 * items newest first, recency weights, the session's events marked) and,
 * for the trainers, every training user's distinct warm items (the user
 * histories as CSR)
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

/* ---- user state ---- */

/* a thread's marks of the items a state already holds (one byte per
 * item, all 0 between calls), freed with the thread */
typedef struct
{
  gsize  len;
  guint8 marks[];
} SeenMarks;

static GPrivate seen_marks = G_PRIVATE_INIT (g_free);

static guint8 *
thread_marks (gsize n_items)
{
  SeenMarks *m = g_private_get (&seen_marks);

  if (m == NULL || m->len < n_items)
    {
      m = g_malloc0 (sizeof (SeenMarks) + MAX (1, n_items));
      m->len = MAX (1, n_items);
      g_private_replace (&seen_marks, m);
    }
  return m->marks;
}

/**
 * pw_user_state_build:
 * Distinct items of @events, newest first, weighted
 * floor + (1 - floor) * 2^(-rank / half_life) (1 when @half_life <= 0).
 *
 * Real-time events (PutEvents) are marked: they form the session part of
 * the state (see pw_model_score_dense()).
 */
void
pw_user_state_build (PwModel       *self,
                     const PwEvent *events,
                     guint          n_events,
                     double         half_life,
                     PwUserState   *state)
{
  guint8 *seen = NULL;
  guint rank = 0;

  state->items = g_new (guint32, MAX (1, n_events));
  state->weights = g_new (float, MAX (1, n_events));
  state->realtime = g_new (guint8, MAX (1, n_events));
  state->n = 0;
  state->n_realtime = 0;
  state->has_time = FALSE;
  state->time = 0;
  for (gint e = (gint) n_events - 1; e >= 0 && !state->has_time; e--)
    if (!(events[e].flags & PW_EVENT_REALTIME))
      {
        state->has_time = TRUE;
        state->time = events[e].timestamp;
      }
  if (n_events > 64)
    seen = thread_marks (self->n_items);

  for (gint e = (gint) n_events - 1; e >= 0; e--)
    {
      guint32 it = events[e].item;
      gboolean dup = FALSE;

      if (seen != NULL && it < self->n_items)
        {
          dup = seen[it] != 0;
          seen[it] = 1;
        }
      else
        for (guint k = 0; k < state->n && !dup; k++)
          dup = state->items[k] == it;
      if (dup)
        continue;
      state->items[state->n] = it;
      state->weights[state->n] = half_life > 0
        ? (float) (self->recency_floor + (1.0 - self->recency_floor) * exp2 (-(double) rank / half_life))
        : 1.0f;
      state->realtime[state->n] = (events[e].flags & PW_EVENT_REALTIME) != 0;
      state->n_realtime += state->realtime[state->n];
      state->n++;
      rank++;
    }
  for (guint k = 0; seen != NULL && k < state->n; k++)
    if (state->items[k] < self->n_items)
      seen[state->items[k]] = 0;
}

void
pw_user_state_clear (PwUserState *state)
{
  g_clear_pointer (&state->items, g_free);
  g_clear_pointer (&state->weights, g_free);
  g_clear_pointer (&state->realtime, g_free);
  state->n = 0;
  state->n_realtime = 0;
}

/* ---- user histories for the trainers ---- */

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* each user's items in ascending order, users [begin, end) */
static void
sort_users (guint    begin,
            guint    end,
            guint    worker,
            gpointer data)
{
  PwUserItems *history = data;

  for (guint u = begin; u < end; u++)
    {
      guint32 *items = history->items + history->ptr[u];
      guint len = history->ptr[u + 1] - history->ptr[u];
      gboolean sorted = TRUE;

      for (guint p = 1; p < len && sorted; p++)
        sorted = items[p - 1] < items[p];
      if (!sorted)
        qsort (items, len, sizeof (guint32), compare_u32);
    }
}

static gboolean
users_sorted (const PwUserItems *history)
{
  for (guint u = 0; u < history->n_users; u++)
    for (guint32 p = history->ptr[u] + 1; p < history->ptr[u + 1]; p++)
      if (history->items[p - 1] >= history->items[p])
        return FALSE;
  return TRUE;
}

/* Each training user's distinct warm items (dense indices), ascending. */
void
pw_user_items_build (PwModel     *self,
                     PwUserItems *history)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint8 *seen = g_new0 (guint8, MAX (1, self->n_items));

  history->n_users = self->n_train_users;
  history->ptr = g_new0 (guint32, history->n_users + 1);
  for (guint u = 0; u < history->n_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      history->ptr[u] = items->len;
      for (guint e = 0; e < h->len; e++)
        {
          guint32 it = g_array_index (h, PwEvent, e).item;
          if (!seen[it] && self->dense_of[it] >= 0)
            {
              guint32 d = (guint32) self->dense_of[it];
              seen[it] = 1;
              g_array_append_val (items, d);
            }
        }
      for (guint e = 0; e < h->len; e++)
        seen[g_array_index (h, PwEvent, e).item] = 0;
    }
  history->ptr[history->n_users] = items->len;
  history->items = (guint32 *) g_array_free (items, FALSE);
  g_free (seen);
  pw_parallel_for (history->n_users, 256, MAX (1, self->n_threads), sort_users, history);
}

void
pw_user_items_clear (PwUserItems *history)
{
  g_clear_pointer (&history->ptr, g_free);
  g_clear_pointer (&history->items, g_free);
}

/* ---- XᵀX of the user histories ---- */

typedef struct
{
  const PwUserItems *history;   /* items ascending per user */
  float             *gram;
  guint              n;
  float              sign;
  const guint8      *only_users;  /* nullable: only these users */
} GramJob;

/* the upper triangle (b >= a) of the rows [begin, end) */
static void
gram_rows (guint    begin,
           guint    end,
           guint    worker,
           gpointer data)
{
  GramJob *job = data;
  const PwUserItems *history = job->history;

  for (guint u = 0; u < history->n_users; u++)
    {
      const guint32 *items = history->items + history->ptr[u];
      guint len = history->ptr[u + 1] - history->ptr[u], p = 0, lo = 0, hi = len;

      if (job->only_users != NULL && !job->only_users[u])
        continue;
      /* the first item >= begin */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (items[mid] < begin)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (p = lo; p < len && items[p] < end; p++)
        {
          float *row = job->gram + (gsize) items[p] * job->n;
          for (guint q = p; q < len; q++)
            row[items[q]] += job->sign;
        }
    }
}

static void
mirror_rows (guint    begin,
             guint    end,
             guint    worker,
             gpointer data)
{
  GramJob *job = data;
  gsize n = job->n;

  for (gsize a = begin; a < end; a++)
    for (gsize b = 0; b < a; b++)
      job->gram[a * n + b] = job->gram[b * n + a];
}

/* gram += sign * XᵀX: the upper triangle (rows split between threads: no
 * two threads write a row; each user's items sorted, so that a thread finds
 * its rows' part of a user by bisection), then mirrored. The counts are
 * whole numbers: exact in float32 whatever the order. */
void
pw_gram_accumulate (const PwUserItems *history,
                    float             *gram,
                    guint              n,
                    float              sign,
                    const guint8      *only_users,
                    guint              n_threads)
{
  g_autofree guint32 *sorted = NULL;
  PwUserItems by_item = *history;
  GramJob job = { &by_item, gram, n, sign, only_users };
  guint chunk = MAX (16, n / (n_threads * 8) + 1);

  /* pw_user_items_build()'s lists are sorted already */
  if (!users_sorted (history))
    {
      by_item.items = sorted = g_memdup2 (history->items, sizeof (guint32) * MAX (1, history->ptr[history->n_users]));
      pw_parallel_for (history->n_users, 256, n_threads, sort_users, &by_item);
    }
  pw_parallel_for (n, chunk, n_threads, gram_rows, &job);
  pw_parallel_for (n, chunk, n_threads, mirror_rows, &job);
}
