/* pw-engine.h: the recommendation engine (no GTK, no HTTP)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-dataset.h"
#include "pw-engine-error.h"
#include "pw-evaluation.h"
#include "pw-metrics.h"
#include "pw-model.h"
#include "pw-recipe.h"
#include "pw-engine-synthetic.h"
