/* pw-local-http-framer.h: the HTTP/1.1 request framing of one connection,
 * as libsoup 3.2's server reads it (private to personalize-local)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest request head (request line and header lines) the framer passes
 * on; libsoup's own limit is a little above it. */
#define PW_LOCAL_MAX_REQUEST_HEAD (64 * 1024)

typedef enum
{
  PW_LOCAL_HEAD_OK = 0,
  PW_LOCAL_HEAD_GARBAGE,           /* the first line is no request line */
  PW_LOCAL_HEAD_HTTP09,            /* a request line without a version */
  PW_LOCAL_HEAD_VERSION,           /* HTTP/2.0 and others: 505 */
  PW_LOCAL_HEAD_TOO_LARGE,         /* PW_LOCAL_MAX_REQUEST_HEAD bytes, no end */
  PW_LOCAL_HEAD_BAD_HEADERS,       /* header lines libsoup refuses */
  PW_LOCAL_HEAD_BAD_URI,           /* a target GLib's URI parser refuses */
  PW_LOCAL_HEAD_BAD_HOST,          /* no Host (HTTP/1.1), or one with '/' */
  PW_LOCAL_HEAD_TRANSFER_ENCODING, /* a transfer coding other than chunked: 501 */
  PW_LOCAL_HEAD_CONTENT_LENGTH,    /* a Content-Length that is no number */
} PwLocalHeadError;

/* One request head the framer passed on, in the order of the connection. */
typedef struct
{
  char *method;
  char *raw_target;   /* the request-target as sent; %NULL when it is not origin-form */
  char *path;         /* what GLib's g_uri_parse() makes of it, as libsoup does */
  char *query;        /* ditto; %NULL when none */
  gint64 start_time;  /* g_get_monotonic_time() when the head's first byte came */
} PwLocalRequestHead;

typedef struct _PwLocalHttpFramer PwLocalHttpFramer;

PwLocalHttpFramer  *pw_local_http_framer_new         (void);
void                pw_local_http_framer_free        (PwLocalHttpFramer *framer);
gboolean            pw_local_http_framer_feed        (PwLocalHttpFramer *framer,
                                                      const guint8      *data,
                                                      gsize              length,
                                                      gint64             now,
                                                      GByteArray        *out);
PwLocalRequestHead *pw_local_http_framer_pop         (PwLocalHttpFramer *framer);
const PwLocalRequestHead *pw_local_http_framer_peek  (PwLocalHttpFramer *framer);
guint               pw_local_http_framer_get_n_heads (PwLocalHttpFramer *framer);
gboolean            pw_local_http_framer_in_head     (PwLocalHttpFramer *framer,
                                                      gint64            *start_time);
gboolean            pw_local_http_framer_is_lost     (PwLocalHttpFramer *framer);
void                pw_local_http_framer_lose        (PwLocalHttpFramer *framer);
PwLocalHeadError    pw_local_http_framer_get_error   (PwLocalHttpFramer *framer,
                                                      guint             *status,
                                                      const char       **detail,
                                                      GBytes          **head);
void                pw_local_request_head_free       (PwLocalRequestHead *head);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwLocalRequestHead, pw_local_request_head_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwLocalHttpFramer, pw_local_http_framer_free)

G_END_DECLS
