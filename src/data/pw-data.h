/* pw-data.h: the data layer's public headers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-data-error.h"
#include "pw-interactions.h"
#include "pw-items.h"
