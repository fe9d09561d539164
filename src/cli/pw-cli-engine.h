/* pw-cli-engine.h: what the engine's subcommands share: reading the files
 * `prepare` writes into engine datasets, training, printing lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pw-data.h"
#include "pw-engine.h"

G_BEGIN_DECLS

PwDataset *pw_cli_engine_load_training   (const char  *dir,
                                          GError     **error);
PwDataset *pw_cli_engine_load_validation (const char  *dir,
                                          GError     **error);
PwItems   *pw_cli_engine_load_catalog    (const char  *dir);
gboolean   pw_cli_engine_parse_command_line (GOptionContext   *context,
                                             int              *argc,
                                             char           ***argv,
                                             char * const     *recipe_name,
                                             PwRecipe         *recipe);
PwModel   *pw_cli_engine_train           (PwDataset   *dataset,
                                          PwRecipe     recipe,
                                          double      *seconds,
                                          GError     **error);
void       pw_cli_engine_print_list      (PwModel     *model,
                                          PwItems     *catalog,
                                          GArray      *list);
JsonNode  *pw_cli_engine_list_to_json    (PwModel     *model,
                                          PwItems     *catalog,
                                          GArray      *list);
gboolean   pw_cli_engine_check_options   (int          argc,
                                          char       **argv,
                                          int          num_results,
                                          double       exploration_weight);
void       pw_cli_engine_recommend_options (PwRecommendOptions *options,
                                            int                 num_results,
                                            double              exploration_weight);
double     pw_cli_engine_round           (double       value);
char      *pw_cli_engine_to_json         (JsonNode    *node);

G_END_DECLS
