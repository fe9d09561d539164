/* test-engine-select.c: the engine's top-k selection (pw_select_top())
 * against a full sort, on scores with ties, NaN, infinities and skipped
 * indices, for list lengths from 0 to more than there are scores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "pw-engine.h"
#include "pw-model-private.h"

static int
compare_reference (gconstpointer a,
                   gconstpointer b)
{
  const PwScored *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

/* the best @k of @scores by a full sort */
static guint
reference_top (const float  *scores,
               guint         n,
               const guint8 *skip,
               guint         k,
               PwScored     *out)
{
  g_autofree PwScored *all = g_new (PwScored, MAX (1, n));
  guint m = 0;

  for (guint i = 0; i < n; i++)
    if (skip == NULL || !skip[i])
      {
        all[m].score = isnan (scores[i]) ? -G_MAXFLOAT : scores[i];
        all[m].index = i;
        m++;
      }
  qsort (all, m, sizeof (PwScored), compare_reference);
  m = MIN (m, k);
  memcpy (out, all, sizeof (PwScored) * m);
  return m;
}

static void
check (const float  *scores,
       guint         n,
       const guint8 *skip,
       guint         k)
{
  g_autofree PwScored *got = g_new (PwScored, MAX (1, k));
  g_autofree PwScored *want = g_new (PwScored, MAX (1, k));
  guint n_got = pw_select_top (scores, n, skip, k, got);
  guint n_want = reference_top (scores, n, skip, k, want);

  g_assert_cmpuint (n_got, ==, n_want);
  for (guint r = 0; r < n_got; r++)
    {
      g_assert_cmpuint (got[r].index, ==, want[r].index);
      g_assert_cmpfloat (got[r].score, ==, want[r].score);
    }
}

/* random scores in several shapes, with and without skipped indices */
static void
test_random (void)
{
  static const guint ks[] = { 0, 1, 2, 5, 25, 64, 100, 500 };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 400; round++)
    {
      guint n = round < 20 ? round : (guint) g_rand_int_range (rand, 0, 5000);
      guint shape = round % 5;
      g_autofree float *scores = g_new (float, MAX (1, n));
      g_autofree guint8 *skip = g_new0 (guint8, MAX (1, n));

      for (guint i = 0; i < n; i++)
        {
          double x = g_rand_double (rand);
          switch (shape)
            {
            case 0: scores[i] = (float) x; break;                       /* distinct */
            case 1: scores[i] = floorf ((float) x * 8) / 8; break;      /* many ties */
            case 2: scores[i] = (float) i / (n + 1); break;             /* ascending: every score a new best */
            case 3: scores[i] = x < 0.1 ? NAN : (x < 0.15 ? -INFINITY : (x > 0.97 ? INFINITY : (float) x)); break;
            default: scores[i] = 0; break;                              /* all equal */
            }
          skip[i] = g_rand_double (rand) < 0.2;
        }
      for (guint q = 0; q < G_N_ELEMENTS (ks); q++)
        {
          check (scores, n, NULL, ks[q]);
          check (scores, n, skip, ks[q]);
        }
    }
  g_rand_free (rand);
}

/* only NaN, or everything skipped */
static void
test_edges (void)
{
  float nans[40];
  guint8 all[40];
  PwScored out[25];

  for (guint i = 0; i < G_N_ELEMENTS (nans); i++)
    {
      nans[i] = NAN;
      all[i] = 1;
    }
  check (nans, G_N_ELEMENTS (nans), NULL, 25);
  g_assert_cmpuint (pw_select_top (nans, G_N_ELEMENTS (nans), NULL, 25, out), ==, 25);
  g_assert_cmpuint (out[0].index, ==, 0);
  g_assert_cmpfloat (out[0].score, ==, -G_MAXFLOAT);
  g_assert_cmpuint (pw_select_top (nans, G_N_ELEMENTS (nans), all, 25, out), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/select/random", test_random);
  g_test_add_func ("/engine/select/edges", test_edges);
  return g_test_run ();
}
