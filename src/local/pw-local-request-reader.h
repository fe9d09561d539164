/* pw-local-request-reader.h: the input side of a personalize-local
 * connection, read before libsoup reads it (private to personalize-local)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "pw-local-http-framer.h"

G_BEGIN_DECLS

#define PW_TYPE_LOCAL_REQUEST_READER (pw_local_request_reader_get_type ())
G_DECLARE_FINAL_TYPE (PwLocalRequestReader, pw_local_request_reader, PW, LOCAL_REQUEST_READER, GInputStream)

/* Makes the whole answer (status line, headers, body) to a head the reader
 * refuses; HEAD holds what came of it (it may be cut short). */
typedef GBytes *(*PwLocalRequestReaderAnswerFunc) (PwLocalHeadError  error,
                                                   guint             status,
                                                   const char       *detail,
                                                   GBytes           *head,
                                                   gpointer          user_data);

PwLocalRequestReader *pw_local_request_reader_new          (GSocketConnection              *connection,
                                                            guint                           timeout_seconds,
                                                            PwLocalRequestReaderAnswerFunc  answer,
                                                            gpointer                        user_data);
void                  pw_local_request_reader_attach       (PwLocalRequestReader           *self,
                                                            GSocketAddress                 *remote);
PwLocalRequestReader *pw_local_request_reader_for_message  (SoupServerMessage              *msg);
PwLocalRequestHead   *pw_local_request_reader_pop          (PwLocalRequestReader           *self);
gboolean              pw_local_request_reader_next_start   (PwLocalRequestReader           *self,
                                                            gint64                         *start_time);
void                  pw_local_request_reader_request_done (PwLocalRequestReader           *self);
void                  pw_local_request_reader_pass_through (PwLocalRequestReader           *self);
GSocket              *pw_local_request_reader_get_socket   (PwLocalRequestReader           *self);
void                  pw_local_request_reader_shutdown     (PwLocalRequestReader           *self);

G_END_DECLS
