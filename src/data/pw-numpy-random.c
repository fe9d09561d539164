/* pw-numpy-random.c: NumPy's legacy RandomState (MT19937) permutation
 *
 * The algorithms of numpy/random/src/mt19937/mt19937.c (seeding, the
 * generator) and numpy/random/src/distributions (random_interval) and
 * mtrand.pyx (the legacy shuffle: for i from n-1 down to 1, swap i with
 * random_interval(i)).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-numpy-random.h"

#define N PW_MT19937_N
#define M 397
#define MATRIX_A 0x9908b0dfU
#define UPPER_MASK 0x80000000U
#define LOWER_MASK 0x7fffffffU

void
pw_mt19937_seed (PwMt19937 *mt,
                 guint32    seed)
{
  for (int pos = 0; pos < N; pos++)
    {
      mt->key[pos] = seed;
      seed = 1812433253U * (seed ^ (seed >> 30)) + (guint32) pos + 1;
    }
  mt->pos = N;
}

void
pw_mt19937_init_by_array (PwMt19937     *mt,
                          const guint32 *init_key,
                          guint          key_length)
{
  guint32 *mt_ = mt->key;
  int i = 1;
  guint j = 0;
  int k;

  pw_mt19937_seed (mt, 19650218U);
  k = N > (int) key_length ? N : (int) key_length;
  for (; k > 0; k--)
    {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + init_key[j] + j;
      i++;
      j++;
      if (i >= N)
        {
          mt_[0] = mt_[N - 1];
          i = 1;
        }
      if (j >= key_length)
        j = 0;
    }
  for (k = N - 1; k > 0; k--)
    {
      mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - (guint32) i;
      i++;
      if (i >= N)
        {
          mt_[0] = mt_[N - 1];
          i = 1;
        }
    }
  mt_[0] = 0x80000000U;
  mt->pos = N;
}

static void
generate (PwMt19937 *mt)
{
  guint32 y;
  int i;

  for (i = 0; i < N - M; i++)
    {
      y = (mt->key[i] & UPPER_MASK) | (mt->key[i + 1] & LOWER_MASK);
      mt->key[i] = mt->key[i + M] ^ (y >> 1) ^ (-(y & 1) & MATRIX_A);
    }
  for (; i < N - 1; i++)
    {
      y = (mt->key[i] & UPPER_MASK) | (mt->key[i + 1] & LOWER_MASK);
      mt->key[i] = mt->key[i + (M - N)] ^ (y >> 1) ^ (-(y & 1) & MATRIX_A);
    }
  y = (mt->key[N - 1] & UPPER_MASK) | (mt->key[0] & LOWER_MASK);
  mt->key[N - 1] = mt->key[M - 1] ^ (y >> 1) ^ (-(y & 1) & MATRIX_A);
  mt->pos = 0;
}

guint32
pw_mt19937_next32 (PwMt19937 *mt)
{
  guint32 y;

  if (mt->pos == N)
    generate (mt);
  y = mt->key[mt->pos++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

guint64
pw_mt19937_next64 (PwMt19937 *mt)
{
  guint64 hi = pw_mt19937_next32 (mt);

  return (hi << 32) | pw_mt19937_next32 (mt);
}

guint64
pw_numpy_random_interval (PwMt19937 *mt,
                          guint64    max)
{
  guint64 mask, value;

  if (max == 0)
    return 0;
  mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;

  if (max <= 0xffffffffU)
    while ((value = (pw_mt19937_next32 (mt) & mask)) > max)
      ;
  else
    while ((value = (pw_mt19937_next64 (mt) & mask)) > max)
      ;
  return value;
}

void
pw_numpy_shuffle (PwMt19937 *mt,
                  guint32   *array,
                  gsize      n)
{
  g_return_if_fail (mt != NULL);
  g_return_if_fail (array != NULL || n == 0);

  for (gsize i = n > 0 ? n - 1 : 0; i >= 1; i--)
    {
      gsize j = (gsize) pw_numpy_random_interval (mt, i);
      guint32 tmp = array[j];

      array[j] = array[i];
      array[i] = tmp;
    }
}

guint32 *
pw_numpy_permutation (guint32 seed,
                      gsize   n)
{
  PwMt19937 mt;
  guint32 *perm;

  g_return_val_if_fail (n <= G_MAXUINT32, NULL);

  perm = g_new (guint32, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    perm[i] = (guint32) i;
  pw_mt19937_seed (&mt, seed);
  pw_numpy_shuffle (&mt, perm, n);
  return perm;
}
