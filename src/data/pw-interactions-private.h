/* pw-interactions-private.h: builders shared by the readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-interactions.h"
#include "pw-text-private.h"

G_BEGIN_DECLS

void     pw_interactions_reserve             (PwInteractions *self,
                                              guint           n_rows);
guint32  pw_interactions_intern_user         (PwInteractions *self,
                                              const char     *id,
                                              gsize           len);
guint32  pw_interactions_intern_item         (PwInteractions *self,
                                              const char     *id,
                                              gsize           len);
guint32  pw_interactions_intern_user_numeric (PwInteractions *self,
                                              guint64         id);
guint32  pw_interactions_intern_item_numeric (PwInteractions *self,
                                              guint64         id);
guint16  pw_interactions_intern_event_type   (PwInteractions *self,
                                              const char     *event_type,
                                              gsize           len);
guint    pw_interactions_count_event_types   (PwInteractions *self);
void     pw_interactions_append_indices      (PwInteractions *self,
                                              guint32         user,
                                              guint32         item,
                                              gint64          timestamp,
                                              float           value,
                                              guint16         event_type);

/* g_file_set_contents_full with a message naming the file. */
gboolean pw_write_file_atomic (const char  *path,
                               const char  *contents,
                               gsize        length,
                               GError     **error);

G_END_DECLS
