/* pw-workshop-error.c: the PW_WORKSHOP_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include "pw-workshop-error.h"

G_DEFINE_QUARK (pw-workshop-error-quark, pw_workshop_error)
