/* pw-numpy-random.h: NumPy's legacy RandomState (MT19937) permutation,
 * bit for bit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PW_MT19937_N 624

/**
 * PwMt19937:
 *
 * The Mersenne Twister as NumPy's legacy `RandomState` runs it.
 */
typedef struct
{
  guint32 key[PW_MT19937_N];
  int     pos;
} PwMt19937;

/* RandomState(seed) for an integer seed (init_genrand). */
void     pw_mt19937_seed          (PwMt19937     *mt,
                                   guint32        seed);
/* RandomState([k0, k1, ...]) (init_by_array). */
void     pw_mt19937_init_by_array (PwMt19937     *mt,
                                   const guint32 *init_key,
                                   guint          key_length);
guint32  pw_mt19937_next32        (PwMt19937     *mt);
guint64  pw_mt19937_next64        (PwMt19937     *mt);

/* NumPy's random_interval(): a value in [0, max] by masked rejection. */
guint64  pw_numpy_random_interval (PwMt19937     *mt,
                                   guint64        max);
/* RandomState.shuffle() of a 1-d array. */
void     pw_numpy_shuffle         (PwMt19937     *mt,
                                   guint32       *array,
                                   gsize          n);
/* RandomState(seed).permutation(n): a new array of n indices. */
guint32 *pw_numpy_permutation     (guint32        seed,
                                   gsize          n);

G_END_DECLS
