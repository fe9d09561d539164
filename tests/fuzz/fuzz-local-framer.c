/* fuzz-local-framer.c: personalize-local's HTTP/1.1 request framing
 * (PwLocalHttpFramer), fed the input whole and in pieces
 *
 * Checks what the framer promises: what it passes on is the input's
 * beginning, unchanged; it finds the same heads (method, raw target, path,
 * query), the same error and passes on the same bytes whatever the pieces
 * the input comes in (the pieces are cut at sizes drawn from the input).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-local-common.h"
#include "pw-local-http-framer.h"

typedef struct
{
  GByteArray *out;
  GString *heads;
  PwLocalHeadError error;
  gboolean lost;
} Result;

static void
run (const uint8_t *data,
     size_t         size,
     guint32        seed,
     Result        *result)
{
  g_autoptr(PwLocalHttpFramer) framer = pw_local_http_framer_new ();
  GRand *rand = seed != 0 ? g_rand_new_with_seed (seed) : NULL;
  gsize at = 0;

  result->out = g_byte_array_new ();
  result->heads = g_string_new (NULL);
  while (at < size)
    {
      gsize piece = rand != NULL ? (gsize) g_rand_int_range (rand, 1, 40) : size - at;
      PwLocalRequestHead *head;

      gboolean more;

      piece = MIN (piece, size - at);
      more = pw_local_http_framer_feed (framer, data + at, piece, 0, result->out);
      at += piece;
      /* Pop the heads between the pieces, as the server does. */
      while ((head = pw_local_http_framer_pop (framer)) != NULL)
        {
          g_string_append_printf (result->heads, "%s %s %s %s\n", head->method,
                                  head->raw_target != NULL ? head->raw_target : "(none)",
                                  head->path != NULL ? head->path : "(none)",
                                  head->query != NULL ? head->query : "(none)");
          /* A raw target is origin-form, and GLib's parse of it is kept. */
          g_assert (head->raw_target == NULL || (head->raw_target[0] == '/' && head->path != NULL));
          pw_local_request_head_free (head);
        }
      if (!more)
        break;
    }
  result->error = pw_local_http_framer_get_error (framer, NULL, NULL, NULL);
  result->lost = pw_local_http_framer_is_lost (framer);
  if (rand != NULL)
    g_rand_free (rand);
}

static void
result_clear (Result *result)
{
  g_byte_array_unref (result->out);
  g_string_free (result->heads, TRUE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Result whole;
  guint32 seed = 1;

  for (size_t i = 0; i < MIN (size, 16); i++)
    seed = seed * 31 + data[i];
  run (data, size, 0, &whole);
  /* Bytes pass on unchanged and in order. */
  g_assert (whole.out->len <= size);
  g_assert (whole.out->len == 0 || memcmp (whole.out->data, data, whole.out->len) == 0);
  for (guint k = 0; k < 3; k++)
    {
      Result pieces;

      run (data, size, seed + k, &pieces);
      g_assert_cmpuint (pieces.out->len, ==, whole.out->len);
      g_assert (whole.out->len == 0 || memcmp (pieces.out->data, whole.out->data, whole.out->len) == 0);
      g_assert_cmpstr (pieces.heads->str, ==, whole.heads->str);
      g_assert_cmpint (pieces.error, ==, whole.error);
      g_assert_cmpint (pieces.lost, ==, whole.lost);
      result_clear (&pieces);
    }
  result_clear (&whole);
  return 0;
}
