/* fuzz-local-json.c: Personalize request bodies (JSON 1.1 and REST-JSON)
 * as personalize-local checks them, and schema strings
 *
 * The first byte picks the operation; the rest is the body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-local-common.h"

static const char *operations[] = {
  "CreateDatasetGroup", "DescribeDatasetGroup", "ListDatasetGroups", "DeleteDatasetGroup", "CreateSchema",
  "CreateDataset", "CreateDatasetImportJob", "ListRecipes", "CreateSolution", "CreateSolutionVersion",
  "GetSolutionMetrics", "CreateCampaign", "CreateEventTracker", "CreateBatchInferenceJob",
  "GetRecommendations", "GetPersonalizedRanking", "PutEvents", "NoSuchOperation",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *operation;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autofree char *text = NULL;

  if (size == 0)
    return 0;
  operation = operations[data[0] % G_N_ELEMENTS (operations)];
  data++;
  size--;
  input = pw_local_personalize_parse_input (operation, (const char *) data, size, &error);
  if (input == NULL)
    fuzz_local_check_error (error);
  g_clear_error (&error);

  /* The same bytes as an Avro schema string. */
  text = g_strndup ((const char *) data, size);
  if (strlen (text) == size && g_utf8_validate (text, -1, NULL))
    {
      if (!pw_local_validate_avro_schema (text, &error))
        fuzz_local_check_error (error);
    }
  return 0;
}
