/* pw-local-http-framer.c: the HTTP/1.1 request framing of one connection,
 * as libsoup 3.2's server reads it
 *
 * PwLocalRequestReader feeds every byte a client sends through this
 * framer before libsoup reads it. The framer finds where each request head
 * starts and ends and where its body ends (Content-Length, or the chunked
 * coding), so that it can keep each request's raw request-target (GLib's
 * URI parser, which libsoup uses, removes `.` and `..` segments from it)
 * and answer heads libsoup would refuse with an empty 400.
 *
 * Invariants:
 * - Bytes go to OUT in the order they came, unchanged. A request head goes
 *   to OUT only whole and only once it is known to be one libsoup accepts
 *   (libsoup's own parser, soup_headers_parse_request(), and the same
 *   checks and URI parse as libsoup's server decide); so libsoup never sees
 *   a byte of a head the framer refuses, and every head that reaches OUT
 *   becomes exactly one SoupServerMessage, in order: the queue of heads
 *   (pw_local_http_framer_pop()) lines up with libsoup's messages.
 * - The end of a head is found line by line the way libsoup's
 *   soup_message_io_data_read_headers() finds it (an empty line after a
 *   line feed); the end of a body the way SoupBodyInputStream finds it.
 *   Where libsoup's own reading is uncertain or breaks the connection (a
 *   chunk-size line of 128 bytes or more, or one of blanks only; a chunk
 *   trailer; a body with a negative length), the framer is "lost": it
 *   passes every later byte on untouched and queues no further head, so the
 *   server falls back to libsoup's view of those requests. A lost framer
 *   never refuses anything.
 * - After an error nothing more goes to OUT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <stdlib.h>
#include <string.h>
#include <libsoup/soup.h>

#include "pw-local-http-framer.h"

/* SoupBodyInputStream reads chunk-size lines into a buffer of this size. */
#define CHUNK_LINE_MAX 128

typedef enum
{
  STATE_HEAD,
  STATE_BODY,
  STATE_CHUNK_SIZE,
  STATE_CHUNK_DATA,
  STATE_CHUNK_END,
  STATE_TRAILER,
  STATE_LOST,
  STATE_ERROR,
} State;

struct _PwLocalHttpFramer
{
  State state;
  GByteArray *head;        /* the head being received */
  gint64 head_start;
  gsize line_start;        /* in head: where the current line starts */
  gboolean line_checked;   /* the request line passed libsoup's parser */
  guint64 remaining;       /* of the body, or of the chunk */
  GByteArray *line;        /* a chunk-size or chunk-end line */
  GQueue heads;            /* of PwLocalRequestHead */

  PwLocalHeadError error;
  guint error_status;
  char *error_detail;
  GBytes *error_head;
};

void
pw_local_request_head_free (PwLocalRequestHead *head)
{
  if (head == NULL)
    return;
  g_free (head->method);
  g_free (head->raw_target);
  g_free (head->path);
  g_free (head->query);
  g_free (head);
}

PwLocalHttpFramer *
pw_local_http_framer_new (void)
{
  PwLocalHttpFramer *framer = g_new0 (PwLocalHttpFramer, 1);

  framer->head = g_byte_array_new ();
  framer->line = g_byte_array_new ();
  g_queue_init (&framer->heads);
  return framer;
}

void
pw_local_http_framer_free (PwLocalHttpFramer *framer)
{
  if (framer == NULL)
    return;
  g_byte_array_unref (framer->head);
  g_byte_array_unref (framer->line);
  g_queue_clear_full (&framer->heads, (GDestroyNotify) pw_local_request_head_free);
  g_free (framer->error_detail);
  g_clear_pointer (&framer->error_head, g_bytes_unref);
  g_free (framer);
}

/* The request line (after the empty lines libsoup skips), shown safely. */
static char *
show_request_line (const guint8 *data,
                   gsize         length)
{
  GString *out = g_string_new (NULL);
  gsize i = 0;

  while (i < length && (data[i] == '\r' || data[i] == '\n'))
    i++;
  for (; i < length && data[i] != '\n' && out->len < 80; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f)
        g_string_append_c (out, (char) data[i]);
      else if (data[i] != '\r')
        g_string_append_printf (out, "\\x%02X", data[i]);
    }
  if (i < length && data[i] != '\n')
    g_string_append (out, "...");
  return g_string_free (out, FALSE);
}

static gboolean
is_tchar (guint8 c)
{
  return g_ascii_isalnum (c) || (c != 0 && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A method, blanks and a target, then the end of the line: HTTP/0.9. */
static gboolean
looks_like_http09 (const guint8 *data,
                   gsize         length)
{
  gsize i = 0;
  gsize start;

  while (i < length && (data[i] == '\r' || data[i] == '\n'))
    i++;
  for (start = i; i < length && is_tchar (data[i]); i++)
    ;
  if (i == start || i >= length || (data[i] != ' ' && data[i] != '\t'))
    return FALSE;
  while (i < length && (data[i] == ' ' || data[i] == '\t'))
    i++;
  for (start = i; i < length && data[i] > 0x20 && data[i] < 0x7f; i++)
    ;
  if (i == start)
    return FALSE;
  while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'))
    i++;
  return i < length && data[i] == '\n';
}

static void
fail (PwLocalHttpFramer *framer,
      PwLocalHeadError   error,
      guint              status)
{
  framer->state = STATE_ERROR;
  framer->error = error;
  framer->error_status = status;
  framer->error_detail = show_request_line (framer->head->data, framer->head->len);
  framer->error_head = g_bytes_new (framer->head->data, framer->head->len);
}

/* Why soup_headers_parse_request() refused HEAD (LENGTH bytes). */
static void
fail_parse (PwLocalHttpFramer *framer,
            guint              status,
            gsize              length)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  gsize line_end = 0;
  const guint8 *data = framer->head->data;

  if (status == SOUP_STATUS_HTTP_VERSION_NOT_SUPPORTED)
    {
      fail (framer, PW_LOCAL_HEAD_VERSION, status);
      return;
    }
  /* Is the request line alone acceptable? Then the header lines are not. */
  while (line_end < length && (data[line_end] == '\r' || data[line_end] == '\n'))
    line_end++;
  while (line_end < length && data[line_end] != '\n')
    line_end++;
  if (line_end < length)
    {
      guint line_status;

      headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      /* (Not inside SOUP_STATUS_IS_SUCCESSFUL: it reads its argument twice.) */
      line_status = soup_headers_parse_request ((const char *) data, (int) line_end + 1, headers, &method, &path,
                                                NULL);
      if (SOUP_STATUS_IS_SUCCESSFUL (line_status))
        {
          fail (framer, PW_LOCAL_HEAD_BAD_HEADERS, SOUP_STATUS_BAD_REQUEST);
          return;
        }
    }
  fail (framer, looks_like_http09 (data, length) ? PW_LOCAL_HEAD_HTTP09 : PW_LOCAL_HEAD_GARBAGE,
        SOUP_STATUS_BAD_REQUEST);
}

static void
reset_head (PwLocalHttpFramer *framer)
{
  g_byte_array_set_size (framer->head, 0);
  framer->line_start = 0;
  framer->line_checked = FALSE;
  framer->state = STATE_HEAD;
}

/* The head is whole: PARSE_LENGTH of its bytes without the empty line
 * that ended it, as libsoup parses it. The checks are those of libsoup's
 * server (parse_headers() in soup-server-message-io-http1.c), made with
 * the same functions. */
static void
finish_head (PwLocalHttpFramer *framer,
             gsize              parse_length,
             GByteArray        *out)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupHTTPVersion version = SOUP_HTTP_1_1;
  SoupEncoding encoding;
  const char *host;
  PwLocalRequestHead *head;
  gboolean opaque = FALSE;
  guint status;

  /* (libsoup NUL-terminates its copy; the parser takes the length.) */
  status = soup_headers_parse_request ((const char *) framer->head->data, (int) parse_length, headers,
                                       &method, &path, &version);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fail_parse (framer, status, parse_length);
      return;
    }
  encoding = soup_message_headers_get_encoding (headers);
  if (encoding == SOUP_ENCODING_UNRECOGNIZED)
    {
      if (soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
        fail (framer, PW_LOCAL_HEAD_TRANSFER_ENCODING, SOUP_STATUS_NOT_IMPLEMENTED);
      else
        fail (framer, PW_LOCAL_HEAD_CONTENT_LENGTH, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  host = soup_message_headers_get_one (headers, "Host");
  if (host != NULL && strchr (host, '/') != NULL)
    {
      fail (framer, PW_LOCAL_HEAD_BAD_HOST, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (strcmp (path, "*") == 0 && host != NULL)
    {
      url = g_strdup_printf ("http://%s/", host);
      uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
      opaque = TRUE;
    }
  else if (strcmp (method, "CONNECT") == 0)
    opaque = TRUE;     /* libsoup parses the authority; nothing of ours uses it */
  else if (*path != '/')
    {
      uri = g_uri_parse (path, SOUP_HTTP_URI_FLAGS, NULL);
      opaque = TRUE;
    }
  else if (host != NULL)
    {
      url = g_strdup_printf ("http://%s%s", host, path);
      uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
    }
  else if (version == SOUP_HTTP_1_0)
    opaque = TRUE;     /* libsoup builds the URI from the local address */
  else
    {
      fail (framer, PW_LOCAL_HEAD_BAD_HOST, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (strcmp (method, "CONNECT") != 0 && !(version == SOUP_HTTP_1_0 && host == NULL && *path == '/')
      && (uri == NULL || g_uri_get_host (uri) == NULL))
    {
      fail (framer, PW_LOCAL_HEAD_BAD_URI, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  head = g_new0 (PwLocalRequestHead, 1);
  head->method = g_steal_pointer (&method);
  head->start_time = framer->head_start;
  if (!opaque)
    {
      head->raw_target = g_strdup (path);
      head->path = g_strdup (g_uri_get_path (uri));
      head->query = g_strdup (g_uri_get_query (uri));
    }
  g_queue_push_tail (&framer->heads, head);
  g_byte_array_append (out, framer->head->data, framer->head->len);
  reset_head (framer);

  switch (encoding)
    {
    case SOUP_ENCODING_CHUNKED:
      g_byte_array_set_size (framer->line, 0);
      framer->state = STATE_CHUNK_SIZE;
      break;
    case SOUP_ENCODING_CONTENT_LENGTH:
      {
        goffset length = soup_message_headers_get_content_length (headers);

        if (length < 0)
          framer->state = STATE_LOST;   /* libsoup reads such a body until the end */
        else if (length > 0)
          {
            framer->remaining = (guint64) length;
            framer->state = STATE_BODY;
          }
      }
      break;
    default:
      break;   /* a request says it has a body, or it has none */
    }
}

/* One byte of a head. */
static void
head_byte (PwLocalHttpFramer *framer,
           guint8             c,
           gint64             now,
           GByteArray        *out)
{
  GByteArray *head = framer->head;
  gsize length;
  gsize line_length;

  if (head->len == 0)
    framer->head_start = now;
  g_byte_array_append (head, &c, 1);
  length = head->len;
  if (c == '\n')
    {
      line_length = length - framer->line_start;
      /* libsoup's end of the head: a line "\n" or "\r\n" right after a
       * line feed, with at least two (three) bytes before it. */
      if (line_length == 1 && length - 1 >= 2 && head->data[length - 2] == '\n')
        {
          finish_head (framer, length - 1, out);
          return;
        }
      if (line_length == 2 && head->data[length - 2] == '\r' && length - 2 >= 3 && head->data[length - 3] == '\n')
        {
          finish_head (framer, length - 2, out);
          return;
        }
      if (!framer->line_checked)
        {
          gboolean blank = TRUE;

          for (gsize i = framer->line_start; i < length && blank; i++)
            blank = head->data[i] == '\r' || head->data[i] == '\n';
          if (!blank)
            {
              g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
              g_autofree char *method = NULL;
              g_autofree char *path = NULL;
              guint status = soup_headers_parse_request ((const char *) head->data, (int) length, headers,
                                                         &method, &path, NULL);

              if (!SOUP_STATUS_IS_SUCCESSFUL (status))
                {
                  fail_parse (framer, status, length);
                  return;
                }
              framer->line_checked = TRUE;
            }
        }
      framer->line_start = length;
    }
  else if (c == '\0' && !framer->line_checked)
    {
      /* No NUL in a request line (soup_headers_parse()). */
      fail (framer, PW_LOCAL_HEAD_GARBAGE, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (length >= PW_LOCAL_MAX_REQUEST_HEAD)
    fail (framer, PW_LOCAL_HEAD_TOO_LARGE, SOUP_STATUS_BAD_REQUEST);
}

/* A whole chunk-size line in framer->line. */
static void
chunk_size_line (PwLocalHttpFramer *framer)
{
  g_autofree char *text = g_strndup ((const char *) framer->line->data, framer->line->len);
  gboolean blank = TRUE;
  gint64 size;

  for (const char *p = text; *p != '\0' && blank; p++)
    blank = g_ascii_isspace (*p);
  if (blank)
    {
      /* libsoup's strtoul() would read on past the line. */
      framer->state = STATE_LOST;
      return;
    }
  /* As SoupBodyInputStream reads it: strtoul, into a goffset. */
  size = (gint64) strtoul (text, NULL, 16);
  if (size > 0)
    {
      framer->remaining = (guint64) size;
      framer->state = STATE_CHUNK_DATA;
    }
  else
    framer->state = STATE_TRAILER;
  g_byte_array_set_size (framer->line, 0);
}

/**
 * pw_local_http_framer_feed:
 * @now: the monotonic time, for the start of a head
 * @out: receives what libsoup may read now
 *
 * Returns: %FALSE once the connection has an error (see
 * pw_local_http_framer_get_error()); nothing from it on goes to @out.
 */
gboolean
pw_local_http_framer_feed (PwLocalHttpFramer *framer,
                           const guint8      *data,
                           gsize              length,
                           gint64             now,
                           GByteArray        *out)
{
  gsize i = 0;

  while (i < length)
    {
      switch (framer->state)
        {
        case STATE_ERROR:
          return FALSE;

        case STATE_LOST:
          g_byte_array_append (out, data + i, length - i);
          i = length;
          break;

        case STATE_HEAD:
          head_byte (framer, data[i++], now, out);
          break;

        case STATE_BODY:
        case STATE_CHUNK_DATA:
          {
            gsize n = (gsize) MIN ((guint64) (length - i), framer->remaining);

            g_byte_array_append (out, data + i, n);
            i += n;
            framer->remaining -= n;
            if (framer->remaining == 0)
              {
                if (framer->state == STATE_BODY)
                  reset_head (framer);
                else
                  {
                    g_byte_array_set_size (framer->line, 0);
                    framer->state = STATE_CHUNK_END;
                  }
              }
          }
          break;

        case STATE_CHUNK_SIZE:
        case STATE_CHUNK_END:
          {
            guint8 c = data[i++];

            g_byte_array_append (out, &c, 1);
            g_byte_array_append (framer->line, &c, 1);
            if (c == '\n')
              {
                if (framer->state == STATE_CHUNK_SIZE)
                  chunk_size_line (framer);
                else
                  {
                    /* libsoup reads any one line there. */
                    g_byte_array_set_size (framer->line, 0);
                    framer->state = STATE_CHUNK_SIZE;
                  }
              }
            else if (framer->line->len >= CHUNK_LINE_MAX)
              framer->state = STATE_LOST;   /* libsoup fails on such a line */
          }
          break;

        case STATE_TRAILER:
          {
            guint8 c = data[i++];

            g_byte_array_append (out, &c, 1);
            g_byte_array_append (framer->line, &c, 1);
            /* Only the plain end "\r\n" is read alike by every libsoup
             * 3.x; a trailer field makes the framer lost. */
            if (framer->line->len == 1 && c != '\r')
              framer->state = STATE_LOST;
            else if (framer->line->len == 2)
              {
                if (c == '\n')
                  reset_head (framer);
                else
                  framer->state = STATE_LOST;
              }
          }
          break;
        }
    }
  return framer->state != STATE_ERROR;
}

/* The oldest head not popped yet, or %NULL. */
PwLocalRequestHead *
pw_local_http_framer_pop (PwLocalHttpFramer *framer)
{
  return g_queue_pop_head (&framer->heads);
}

const PwLocalRequestHead *
pw_local_http_framer_peek (PwLocalHttpFramer *framer)
{
  return g_queue_peek_head (&framer->heads);
}

guint
pw_local_http_framer_get_n_heads (PwLocalHttpFramer *framer)
{
  return g_queue_get_length (&framer->heads);
}

/* Whether part of a head has come (and since when). */
gboolean
pw_local_http_framer_in_head (PwLocalHttpFramer *framer,
                              gint64            *start_time)
{
  if (framer->state != STATE_HEAD || framer->head->len == 0)
    return FALSE;
  if (start_time != NULL)
    *start_time = framer->head_start;
  return TRUE;
}

gboolean
pw_local_http_framer_is_lost (PwLocalHttpFramer *framer)
{
  return framer->state == STATE_LOST;
}

/* From now on every byte passes untouched and no head is queued (the
 * connection left libsoup, or the server found a head that does not
 * match); the heads not popped yet are dropped. */
void
pw_local_http_framer_lose (PwLocalHttpFramer *framer)
{
  if (framer->state != STATE_ERROR)
    framer->state = STATE_LOST;
  g_queue_clear_full (&framer->heads, (GDestroyNotify) pw_local_request_head_free);
}

PwLocalHeadError
pw_local_http_framer_get_error (PwLocalHttpFramer  *framer,
                                guint              *status,
                                const char        **detail,
                                GBytes            **head)
{
  if (status != NULL)
    *status = framer->error_status;
  if (detail != NULL)
    *detail = framer->error_detail;
  if (head != NULL)
    *head = framer->error_head;
  return framer->state == STATE_ERROR ? framer->error : PW_LOCAL_HEAD_OK;
}
