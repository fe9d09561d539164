/* pw-training-page.h: step 4 of 9 (notebooks 3.1 and 3.2), training and offline metrics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_TRAINING_PAGE (pw_training_page_get_type ())
G_DECLARE_FINAL_TYPE (PwTrainingPage, pw_training_page, PW, TRAINING_PAGE, PwPage)

PwPage             *pw_training_page_new                (PwWorkshop         *workshop);
const char * const *pw_training_page_get_recipes        (PwTrainingPage     *self);
void                pw_training_page_set_recipes        (PwTrainingPage     *self,
                                                         const char * const *recipes);
double              pw_training_page_get_exploration_weight (PwTrainingPage *self);
void                pw_training_page_set_exploration_weight (PwTrainingPage *self,
                                                             double          weight);
GtkWidget          *pw_training_page_get_chart          (PwTrainingPage     *self);

G_END_DECLS
