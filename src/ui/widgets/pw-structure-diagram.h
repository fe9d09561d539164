/* pw-structure-diagram.h: the dataset group's structure, alive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-workshop.h"

G_BEGIN_DECLS

#define PW_TYPE_STRUCTURE_DIAGRAM (pw_structure_diagram_get_type ())
G_DECLARE_FINAL_TYPE (PwStructureDiagram, pw_structure_diagram, PW, STRUCTURE_DIAGRAM, AdwBin)

GtkWidget *pw_structure_diagram_new          (PwWorkshop         *workshop);
/* How many blocks exist (any status but "not yet"), and how many are ACTIVE. */
guint      pw_structure_diagram_get_n_filled (PwStructureDiagram *self);
guint      pw_structure_diagram_get_n_active (PwStructureDiagram *self);
/* The text alternative: one line per block ("Dataset: Active"). */
char      *pw_structure_diagram_describe     (PwStructureDiagram *self);

G_END_DECLS
