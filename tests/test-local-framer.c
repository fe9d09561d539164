/* test-local-framer.c: personalize-local's HTTP/1.1 request framing
 * (PwLocalHttpFramer) on known byte streams, whole and cut at random
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "pw-local-http-framer.h"

/* Pipelined requests: a body by Content-Length, a chunked body with a
 * chunk extension, targets with dot segments, a query, empty lines
 * between requests (libsoup skips them), HTTP/1.0 without Host. */
static const char stream_text[] =
  "PUT /dots/.. HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Length: 12\r\n\r\nGET / HTTP/1"
  "POST /dots/../x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
  "4;name=value\r\nGET \r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n"
  "GET /dots/a/../b?list-type=2&prefix=.. HTTP/1.1\r\nHost: h\r\n\r\n"
  "\r\n"
  "HEAD /dots/./a HTTP/1.1\r\nhost: h\r\nContent-Length: 0\r\n\r\n"
  "GET /old HTTP/1.0\r\n\r\n"
  "DELETE /dots/%2e%2e/y HTTP/1.1\r\nHost: h\r\n\r\n";

static const char *expected[][4] = {
  { "PUT", "/dots/..", "/", NULL },
  { "POST", "/dots/../x", "/x", NULL },
  { "GET", "/dots/a/../b?list-type=2&prefix=..", "/dots/b", "list-type=2&prefix=.." },
  { "HEAD", "/dots/./a", "/dots/a", NULL },
  { "GET", NULL, NULL, NULL },
  { "DELETE", "/dots/%2e%2e/y", "/y", NULL },
};

static GPtrArray *
feed_in_pieces (const guint8 *data,
                gsize         size,
                GRand        *rand,
                GByteArray   *out,
                PwLocalHeadError *error)
{
  g_autoptr(PwLocalHttpFramer) framer = pw_local_http_framer_new ();
  GPtrArray *heads = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_local_request_head_free);
  gsize at = 0;
  PwLocalRequestHead *head;

  while (at < size)
    {
      gsize piece = rand != NULL ? (gsize) g_rand_int_range (rand, 1, 64) : size;

      piece = MIN (piece, size - at);
      if (!pw_local_http_framer_feed (framer, data + at, piece, 0, out))
        break;
      at += piece;
      if (rand != NULL && g_rand_boolean (rand))
        while ((head = pw_local_http_framer_pop (framer)) != NULL)
          g_ptr_array_add (heads, head);
    }
  while ((head = pw_local_http_framer_pop (framer)) != NULL)
    g_ptr_array_add (heads, head);
  *error = pw_local_http_framer_get_error (framer, NULL, NULL, NULL);
  return heads;
}

static void
check_stream_heads (GPtrArray *heads)
{
  g_assert_cmpuint (heads->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < heads->len; i++)
    {
      PwLocalRequestHead *head = heads->pdata[i];

      g_assert_cmpstr (head->method, ==, expected[i][0]);
      g_assert_cmpstr (head->raw_target, ==, expected[i][1]);
      g_assert_cmpstr (head->path, ==, expected[i][2]);
      g_assert_cmpstr (head->query, ==, expected[i][3]);
    }
}

static void
test_pipelined (void)
{
  const guint8 *data = (const guint8 *) stream_text;
  gsize size = strlen (stream_text);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  PwLocalHeadError error;
  g_autoptr(GPtrArray) heads = feed_in_pieces (data, size, NULL, out, &error);

  g_assert_cmpint (error, ==, PW_LOCAL_HEAD_OK);
  g_assert_cmpmem (out->data, out->len, data, size);
  check_stream_heads (heads);
}

static void
test_random_pieces (void)
{
  const guint8 *data = (const guint8 *) stream_text;
  gsize size = strlen (stream_text);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      PwLocalHeadError error;
      g_autoptr(GPtrArray) heads = feed_in_pieces (data, size, rand, out, &error);

      g_assert_cmpint (error, ==, PW_LOCAL_HEAD_OK);
      g_assert_cmpmem (out->data, out->len, data, size);
      check_stream_heads (heads);
    }
}

typedef struct
{
  const char *text;
  PwLocalHeadError error;
  guint passed;        /* bytes passed on before the refused head */
} Refusal;

static void
test_refused (void)
{
  static const Refusal cases[] = {
    { "\x01\x02garbage\r\n\r\n", PW_LOCAL_HEAD_GARBAGE, 0 },
    { "GET /\r\n\r\n", PW_LOCAL_HEAD_HTTP09, 0 },
    { "GET / HTTP/2.0\r\nHost: h\r\n\r\n", PW_LOCAL_HEAD_VERSION, 0 },
    { "GET /b/%zz HTTP/1.1\r\nHost: h\r\n\r\n", PW_LOCAL_HEAD_BAD_URI, 0 },
    { "GET /b HTTP/1.1\r\n\r\n", PW_LOCAL_HEAD_BAD_HOST, 0 },
    { "GET /b HTTP/1.1\r\nHost: a/b\r\n\r\n", PW_LOCAL_HEAD_BAD_HOST, 0 },
    { "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", PW_LOCAL_HEAD_TRANSFER_ENCODING, 0 },
    { "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: ten\r\n\r\n", PW_LOCAL_HEAD_CONTENT_LENGTH, 0 },
    /* After a good request (its body included), a NUL in a request line. */
    { "PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nokGET /\0", PW_LOCAL_HEAD_GARBAGE, 51 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PwLocalHttpFramer) framer = pw_local_http_framer_new ();
      g_autoptr(GByteArray) out = g_byte_array_new ();
      gsize size = strlen (cases[i].text);

      if (i == G_N_ELEMENTS (cases) - 1)
        size += 1 + strlen ("\r\n\r\n");   /* past the NUL */
      g_test_message ("case %u", i);
      g_assert_false (pw_local_http_framer_feed (framer, (const guint8 *) cases[i].text, size, 0, out));
      g_assert_cmpint (pw_local_http_framer_get_error (framer, NULL, NULL, NULL), ==, cases[i].error);
      g_assert_cmpuint (out->len, ==, cases[i].passed);
    }
}

/* A head of 64 KiB with no end is refused before libsoup's limit; a body
 * of the same size is not a head. */
static void
test_large_head (void)
{
  g_autoptr(PwLocalHttpFramer) framer = pw_local_http_framer_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GString) text = g_string_new ("PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 70000\r\n\r\n");
  gsize body_start = text->len;

  for (guint i = 0; i < 70000; i++)
    g_string_append_c (text, 'a' + i % 26);
  g_string_append (text, "GET / HTTP/1.1\r\nHost: h\r\nX-Big: ");
  for (guint i = 0; i < 70000; i++)
    g_string_append_c (text, 'b');
  g_assert_false (pw_local_http_framer_feed (framer, (const guint8 *) text->str, text->len, 0, out));
  g_assert_cmpint (pw_local_http_framer_get_error (framer, NULL, NULL, NULL), ==, PW_LOCAL_HEAD_TOO_LARGE);
  g_assert_cmpuint (out->len, ==, body_start + 70000);
  g_assert_cmpuint (pw_local_http_framer_get_n_heads (framer), ==, 1);
}

/* Where libsoup's reading is uncertain the framer passes everything on
 * and queues nothing more. */
static void
test_lost (void)
{
  static const char *texts[] = {
    "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 1\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n",
    "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n",
    "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n  \r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(PwLocalHttpFramer) framer = pw_local_http_framer_new ();
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(PwLocalRequestHead) head = NULL;

      g_assert_true (pw_local_http_framer_feed (framer, (const guint8 *) texts[i], strlen (texts[i]), 0, out));
      g_assert_true (pw_local_http_framer_is_lost (framer));
      g_assert_cmpmem (out->data, out->len, texts[i], strlen (texts[i]));
      head = pw_local_http_framer_pop (framer);
      g_assert_cmpstr (head->raw_target, ==, "/b");
      g_assert_null (pw_local_http_framer_pop (framer));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/local/framer/pipelined", test_pipelined);
  g_test_add_func ("/local/framer/random-pieces", test_random_pieces);
  g_test_add_func ("/local/framer/refused", test_refused);
  g_test_add_func ("/local/framer/large-head", test_large_head);
  g_test_add_func ("/local/framer/lost", test_lost);
  return g_test_run ();
}
