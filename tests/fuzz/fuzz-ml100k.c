/* fuzz-ml100k.c: libFuzzer target for the ml100k reader (pw_movielens_parse_ml100k_data, pw_movielens_parse_ml100k_items)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  return fuzz_reader (data, size, pw_movielens_parse_ml100k_data, pw_movielens_parse_ml100k_items);
}
