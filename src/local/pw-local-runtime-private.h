/* pw-local-runtime-private.h: Personalize Runtime and Events operations
 * of personalize-local (REST-JSON), on top of the store and the campaign
 * models of the jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-local-resources-private.h"

G_BEGIN_DECLS

gboolean    pw_local_get_recommendations (PwLocalPersonalize   *self,
                                          JsonObject           *input,
                                          PwLocalResponse      *response,
                                          GError              **error);
gboolean    pw_local_get_personalized_ranking (PwLocalPersonalize *self,
                                          JsonObject           *input,
                                          PwLocalResponse      *response,
                                          GError              **error);
gboolean    pw_local_put_events      (PwLocalPersonalize   *self,
                                      JsonObject           *input,
                                      PwLocalResponse      *response,
                                      GError              **error);

G_END_DECLS
