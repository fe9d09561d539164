/* pw-parallel.c: a parallel for loop over index ranges, and top-k selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

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

/* A min-heap on "better": the root is the worst kept entry. */
static void
sift_down (PwScored *heap,
           guint     n,
           guint     i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, worst = i;
      PwScored tmp;

      if (l < n && scored_better (heap[worst].score, heap[worst].index, heap[l].score, heap[l].index))
        worst = l;
      if (r < n && scored_better (heap[worst].score, heap[worst].index, heap[r].score, heap[r].index))
        worst = r;
      if (worst == i)
        return;
      tmp = heap[i];
      heap[i] = heap[worst];
      heap[worst] = tmp;
      i = worst;
    }
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

/**
 * pw_select_top:
 * @skip: (nullable): indices with a non-zero entry are left out
 *
 * Writes the best @k of @scores (NaN never wins) to @out, best first, ties
 * broken by the lower index. Returns how many were written.
 */
guint
pw_select_top (const float  *scores,
               guint         n,
               const guint8 *skip,
               guint         k,
               PwScored     *out)
{
  guint len = 0;

  if (k == 0)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      float s = scores[i];

      if (skip != NULL && skip[i])
        continue;
      if (s != s)
        s = -G_MAXFLOAT;
      if (len < k)
        {
          out[len].score = s;
          out[len].index = i;
          len++;
          if (len == k)
            for (gint j = (gint) k / 2 - 1; j >= 0; j--)
              sift_down (out, len, (guint) j);
        }
      else if (scored_better (s, i, out[0].score, out[0].index))
        {
          out[0].score = s;
          out[0].index = i;
          sift_down (out, len, 0);
        }
    }
  qsort (out, len, sizeof (PwScored), compare_scored);
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
