/* pw-local-control-private.h: what the control plane's files share (the
 * checks of inputs, the answers, paging, the steps every Create and
 * Delete takes) and the operations the table in pw-local-personalize.c
 * dispatches to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-local-jobs-private.h"
#include "pw-local-resources-private.h"

G_BEGIN_DECLS

/* The JSON types of the members of a request. */
typedef enum
{
  T_STR,
  T_INT,
  T_BOOL,
  T_NUM,
  T_OBJ,
  T_ARR,
  T_MAP,
} MemberType;

typedef gboolean (*PwLocalFilterFunc) (PwLocalResource *r, const char *value);

/* pw-local-personalize.c */
gboolean pw_local_node_has_type (JsonNode   *node,
                                 MemberType  type);
const char *pw_local_get_str (JsonObject *input,
                               const char *name);
gboolean pw_local_get_bool (JsonObject *input,
                            const char *name,
                            gboolean    default_value);
gboolean pw_local_check_name (JsonObject  *input,
                              const char  *member,
                              GError     **error);
gboolean pw_local_check_arn (JsonObject  *input,
                             const char  *member,
                             GError     **error);
gboolean pw_local_check_role_arn (JsonObject  *input,
                                  const char  *member,
                                  GError     **error);
gboolean pw_local_check_s3_path (const char  *path,
                                 const char  *member,
                                 GError     **error);
gboolean pw_local_check_tags (JsonObject  *input,
                              GError     **error);
char *pw_local_random_hex8 (void);
PwLocalResource *pw_local_add_resource (PwLocalPersonalize  *self,
                                         PwLocalResource     *r,
                                         GError             **error);
void pw_local_queue_job (PwLocalPersonalize *self,
                         PwLocalResource    *r,
                         gboolean            delete);
/* Queues UpdateCampaign's worker for @r (pw_local_run_update ()). */
void pw_local_queue_update (PwLocalPersonalize *self,
                            PwLocalResource    *r);
/* Sleeps one status step; FALSE when the server stops. */
gboolean pw_local_wait_step (PwLocalPersonalize *self);
JsonObject *pw_local_summary_of (JsonObject         *obj,
                                  const char * const *fields);
void pw_local_respond_object (PwLocalResponse *response,
                              JsonObject      *out);
void pw_local_respond_member (PwLocalResponse *response,
                              const char      *member,
                              JsonObject      *obj);
void pw_local_respond_string (PwLocalResponse *response,
                              const char      *member,
                              const char      *value);
void pw_local_respond_empty (PwLocalResponse *response);
int pw_local_compare_newest_first (gconstpointer a,
                                   gconstpointer b);
gboolean pw_local_list_page_full (PwLocalPersonalize  *self,
                                  PwLocalKind          kind,
                                  JsonObject          *input,
                                  const char          *filter_member,
                                  const char          *filter_value,
                                  PwLocalFilterFunc    filter,
                                  const char          *list_name,
                                  const char * const  *fields,
                                  PwLocalResponse     *response,
                                  GError             **error);
gboolean pw_local_list_page (PwLocalPersonalize  *self,
                             PwLocalKind          kind,
                             JsonObject          *input,
                             const char          *filter_member,
                             const char          *filter_value,
                             const char          *list_name,
                             const char * const  *fields,
                             PwLocalResponse     *response,
                             GError             **error);
gboolean pw_local_check_exists_not (PwLocalPersonalize  *self,
                                    const char          *arn,
                                    GError             **error);
gboolean pw_local_require_active (PwLocalResource *r,
                                  const char  *what,
                                  GError     **error);
gboolean pw_local_require_usable (PwLocalResource *r,
                                  const char  *what,
                                  GError     **error);
void pw_local_copy_member (JsonObject *to,
                           JsonObject *from,
                           const char *name);
const char *pw_local_group_name_of (PwLocalPersonalize *self,
                                     const char         *group_arn);

/* The operations (pw_local_op_*, pw_local_update_campaign) answer TRUE
 * with the response set, or FALSE with @error set; run_operation () in
 * pw-local-personalize.c checks the contract. */

/* pw-local-datasets.c: dataset groups, schemas, datasets, import jobs */
gboolean pw_local_op_create_dataset_group (PwLocalPersonalize *self,
                                           JsonObject         *in,
                                           PwLocalResponse    *response,
                                           GError            **error);
gboolean pw_local_op_describe (PwLocalPersonalize *self,
                               JsonObject         *in,
                               PwLocalKind         kind,
                               const char         *member,
                               PwLocalResponse    *response,
                               GError            **error);
gboolean pw_local_op_describe_dataset_group (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_dataset_groups (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_refuse_if_busy (PwLocalResource *r,
                                  GError     **error);
PwLocalResource *pw_local_find_child (PwLocalPersonalize *self,
                                       PwLocalKind         kind,
                                       const char         *member,
                                       const char         *value,
                                       gboolean            only_running);
gboolean pw_local_start_delete (PwLocalPersonalize  *self,
                                PwLocalResource     *r,
                                PwLocalResponse     *response,
                                GError             **error);
gboolean pw_local_op_delete_dataset_group (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_create_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_schemas (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_delete_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_create_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_datasets (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_delete_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_create_import (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_import (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_imports (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);

/* pw-local-solutions.c: recipes, solutions, solution versions */
gboolean pw_local_op_list_recipes (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_recipe (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_create_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_solutions (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_delete_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_create_version (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_version (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_versions (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_get_solution_metrics (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);

/* pw-local-campaigns.c: campaigns, event trackers */
gboolean pw_local_check_exploration (JsonObject  *config,
                                     GError     **error);
gboolean pw_local_check_tps (JsonObject  *in,
                             gint64      *tps,
                             GError     **error);
gboolean pw_local_op_create_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_campaigns (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_delete_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_create_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_trackers (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_delete_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);

/* pw-local-update-campaign.c: UpdateCampaign and its lifecycle */
gboolean pw_local_update_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
/* Worker: UPDATE PENDING > UPDATE IN_PROGRESS > ACTIVE. */
void pw_local_run_update (PwLocalPersonalize *self,
                          const char         *campaign_arn);
/* The version @arn names (or SOLUTION/$LATEST), which must be ACTIVE;
 * caller holds the lock (pw-local-campaigns.c). */
PwLocalResource *pw_local_resolve_active_version (PwLocalPersonalize  *self,
                                                  const char          *arn,
                                                  GError             **error);

/* pw-local-batch.c: batch inference */
gboolean pw_local_op_create_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_describe_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);
gboolean pw_local_op_list_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error);

G_END_DECLS
