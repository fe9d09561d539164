/* pw-resource-list.h: the workshop's resources as a live list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-workshop.h"

G_BEGIN_DECLS

#define PW_TYPE_RESOURCE_LIST (pw_resource_list_get_type ())
G_DECLARE_FINAL_TYPE (PwResourceList, pw_resource_list, PW, RESOURCE_LIST, AdwBin)

/* A set of PwResourceKind as bits (1 << kind); 0 = every kind. */
#define PW_RESOURCE_KIND_BIT(kind) (1u << (kind))

GtkWidget  *pw_resource_list_new        (GListModel     *resources,
                                         guint           kinds);
GListModel *pw_resource_list_get_model  (PwResourceList *self);
void        pw_resource_list_set_model  (PwResourceList *self,
                                         GListModel     *resources);
guint       pw_resource_list_get_kinds  (PwResourceList *self);
void        pw_resource_list_set_kinds  (PwResourceList *self,
                                         guint           kinds);
guint       pw_resource_list_get_n_shown (PwResourceList *self);
char       *pw_resource_format_elapsed  (double          seconds);

G_END_DECLS
