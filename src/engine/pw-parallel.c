/* pw-parallel.c: a parallel for loop over index ranges, and top-k selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <string.h>

#include "pw-model-private.h"

typedef struct
{
  guint          n;
  guint          chunk;
  gint           next;
  PwParallelFunc func;
  gpointer       user_data;
} ParallelJob;

typedef struct
{
  ParallelJob *job;
  guint        worker;
} WorkerArgs;

guint
pw_parallel_n_threads (guint requested)
{
  if (requested > 0)
    return requested;
  return MAX (1, g_get_num_processors ());
}

static void
run_chunks (ParallelJob *job,
            guint        worker)
{
  for (;;)
    {
      guint begin = (guint) g_atomic_int_add (&job->next, (gint) job->chunk);
      if (begin >= job->n)
        break;
      job->func (begin, MIN (job->n, begin + job->chunk), worker, job->user_data);
    }
}

static gpointer
worker_main (gpointer data)
{
  WorkerArgs *args = data;

  run_chunks (args->job, args->worker);
  return NULL;
}

/**
 * pw_parallel_for:
 * Calls @func on [begin, end) ranges of at most @chunk indices covering
 * 0..@n, on @n_threads threads (the caller's included). @worker is 0..n_threads-1
 * and can index per-thread scratch space.
 */
void
pw_parallel_for (guint          n,
                 guint          chunk,
                 guint          n_threads,
                 PwParallelFunc func,
                 gpointer       user_data)
{
  ParallelJob job = { n, MAX (1, chunk), 0, func, user_data };
  GThread *threads[64];
  WorkerArgs args[64];
  guint n_spawn;

  if (n == 0)
    return;
  n_threads = MIN (MAX (1, n_threads), 64);
  n_spawn = MIN (n_threads, (n + job.chunk - 1) / job.chunk) - 1;
  if (n_spawn == 0)
    {
      func (0, n, 0, user_data);
      return;
    }

  for (guint t = 0; t < n_spawn; t++)
    {
      args[t].job = &job;
      args[t].worker = t + 1;
      threads[t] = g_thread_new ("pw-engine", worker_main, &args[t]);
    }
  run_chunks (&job, 0);
  for (guint t = 0; t < n_spawn; t++)
    g_thread_join (threads[t]);
}

static inline gboolean
scored_better (float   sa,
               guint32 ia,
               float   sb,
               guint32 ib)
{
  return sa > sb || (sa == sb && ia < ib);
}

static int
compare_scored (gconstpointer a,
                gconstpointer b)
{
  const PwScored *x = a, *y = b;

  if (scored_better (x->score, x->index, y->score, y->index))
    return -1;
  if (scored_better (y->score, y->index, x->score, x->index))
    return 1;
  return 0;
}

/* Moves the @k best of @a (n > k, distinct by (score, index)) to a[0..k),
 * in no order (quickselect). */
static void
keep_best (PwScored *a,
           guint     n,
           guint     k)
{
  guint lo = 0, hi = n;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2, store = lo;
      PwScored pivot = a[mid], tmp;

      a[mid] = a[hi - 1];
      a[hi - 1] = pivot;
      for (guint i = lo; i < hi - 1; i++)
        if (scored_better (a[i].score, a[i].index, pivot.score, pivot.index))
          {
            tmp = a[i];
            a[i] = a[store];
            a[store++] = tmp;
          }
      a[hi - 1] = a[store];
      a[store] = pivot;
      /* a[lo..store) better than the pivot, a(store..hi) worse */
      if (store == k || store + 1 == k)
        return;
      if (k < store)
        hi = store;
      else
        lo = store + 1;
    }
}

/* how many scores pw_select_top() checks at once against its threshold: a
 * block where none passes is skipped without a branch per score (the
 * compiler makes the check a few vector compares) */
#define SELECT_BLOCK 16

/**
 * pw_select_top:
 * @skip: (nullable): indices with a non-zero entry are left out
 *
 * Writes the best @k of @scores (NaN never wins) to @out, best first, ties
 * broken by the lower index. Returns how many were written.
 *
 * The candidates gather in a buffer of 4k; when it fills, the k best stay
 * and the worst of them becomes the threshold a later score must pass
 * (strictly: a later index loses a tie).
 */
guint
pw_select_top (const float  *scores,
               guint         n,
               const guint8 *skip,
               guint         k,
               PwScored     *out)
{
  PwScored stack_buf[256];
  g_autofree PwScored *heap_buf = NULL;
  PwScored *buf = stack_buf;
  guint cap, len = 0, i = 0;
  gboolean full = FALSE;
  float threshold = 0;

  if (k == 0)
    return 0;
  cap = MAX (4 * MIN (k, G_MAXUINT / 8), 64);
  if (cap > G_N_ELEMENTS (stack_buf))
    buf = heap_buf = g_new (PwScored, cap);

  while (i < n)
    {
      guint end = MIN (n, i + SELECT_BLOCK);

      if (full && end - i == SELECT_BLOCK)
        {
          int any = 0;

          for (guint j = 0; j < SELECT_BLOCK; j++)
            any |= scores[i + j] > threshold;
          if (!any)
            {
              i = end;
              continue;
            }
        }
      for (; i < end; i++)
        {
          float s = scores[i];

          if (skip != NULL && skip[i])
            continue;
          if (s != s)
            s = -G_MAXFLOAT;
          if (full && !(s > threshold))
            continue;
          buf[len].score = s;
          buf[len].index = i;
          if (++len == cap)
            {
              keep_best (buf, len, k);
              len = k;
              full = TRUE;
              threshold = buf[0].score;
              for (guint j = 1; j < k; j++)
                threshold = MIN (threshold, buf[j].score);
            }
        }
    }
  if (len > k)
    {
      keep_best (buf, len, k);
      len = k;
    }
  qsort (buf, len, sizeof (PwScored), compare_scored);
  memcpy (out, buf, sizeof (PwScored) * len);
  return len;
}

guint32
pw_hash_pair (guint32 a,
              guint32 b)
{
  guint64 h = ((guint64) a << 32) ^ b ^ G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return (guint32) h;
}
