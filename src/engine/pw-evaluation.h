/* pw-evaluation.h: solution metrics and the validation evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-dataset.h"
#include "pw-metrics.h"
#include "pw-model.h"

G_BEGIN_DECLS

gboolean pw_evaluate_solution   (PwDataset                *dataset,
                                 const PwTrainOptions     *options,
                                 PwMetrics                *metrics,
                                 GCancellable             *cancellable,
                                 GError                  **error);
gboolean pw_evaluate_validation (PwModel                  *model,
                                 PwDataset                *validation,
                                 const PwRecommendOptions *options,
                                 PwMetrics                *metrics,
                                 GCancellable             *cancellable,
                                 GError                  **error);

G_END_DECLS
