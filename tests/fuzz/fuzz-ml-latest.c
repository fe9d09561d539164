/* fuzz-ml-latest.c: libFuzzer target for the ml-latest reader (pw_movielens_parse_latest_ratings, pw_movielens_parse_latest_movies)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  return fuzz_reader (data, size, pw_movielens_parse_latest_ratings, pw_movielens_parse_latest_movies);
}
