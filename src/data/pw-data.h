/* pw-data.h: the data layer's public headers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-archive.h"
#include "pw-data-error.h"
#include "pw-data-stats.h"
#include "pw-download.h"
#include "pw-interactions.h"
#include "pw-items.h"
#include "pw-movielens.h"
#include "pw-numpy-random.h"
#include "pw-prepare.h"
#include "pw-split.h"
#include "pw-synthetic.h"
#include "pw-time.h"
