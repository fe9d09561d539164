/* pw-window-private.h: the window's table of steps, for the tests (a page
 * added to the table is built and checked by tests/test-pages.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

typedef struct
{
  PwPage *(*create) (PwWorkshop *workshop);
  PwWorkshopStep step;
} PwStepInfo;

/* The steps in screen order, each with its page's constructor. */
const PwStepInfo *pw_window_get_step_infos (guint *n_infos);

G_END_DECLS
