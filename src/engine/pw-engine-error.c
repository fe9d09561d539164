/* pw-engine-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include "pw-engine-error.h"

G_DEFINE_QUARK (pw-engine-error-quark, pw_engine_error)
