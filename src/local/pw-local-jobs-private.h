/* pw-local-jobs-private.h: the work behind the lifecycles of
 * personalize-local (imports, training, batch inference, campaign models),
 * run in worker threads without the store's lock held
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-model.h"
#include "pw-local-resources-private.h"

G_BEGIN_DECLS

gboolean    pw_local_job_import      (PwLocalPersonalize *self,
                                      const char         *job_arn,
                                      GError            **error);
gboolean    pw_local_job_train       (PwLocalPersonalize *self,
                                      const char         *version_arn,
                                      GError            **error);
gboolean    pw_local_job_batch       (PwLocalPersonalize *self,
                                      const char         *job_arn,
                                      GError            **error);
PwModel    *pw_local_campaign_model  (PwLocalPersonalize *self,
                                      const char         *campaign_arn,
                                      GError            **error);
void        pw_local_exploration_options (JsonObject         *config,
                                      PwRecommendOptions *options);

G_END_DECLS
