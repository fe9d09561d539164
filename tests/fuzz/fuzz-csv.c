/* fuzz-csv.c: libFuzzer target for the csv reader (pw_interactions_parse_csv, pw_items_parse_csv)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  return fuzz_reader (data, size, pw_interactions_parse_csv, pw_items_parse_csv);
}
