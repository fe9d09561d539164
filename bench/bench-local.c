/* bench-local.c: GetRecommendations against personalize-local over loopback
 *
 * Starts the server in-process (the embedding API) on a free port in a
 * temporary folder, creates a campaign on synthetic data through signed
 * requests, then runs N client threads (default 8), each with its own
 * SoupSession, sending SigV4-signed GetRecommendations for random users for
 * a few seconds. Every request is verified by the server. Prints requests
 * per second and latency percentiles. Not a test: run it by hand,
 *
 *   _build/bench/bench-local [--clients 8] [--seconds 10] [--num-results 25] [--soup]
 *
 * By default the clients send pre-signed requests over raw keep-alive
 * connections (the server verifies every signature); --soup makes them
 * libsoup sessions that sign each request, as the application does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-aws-credentials.h"
#include "pw-aws-sigv4.h"
#include "pw-local-server.h"

#define P "arn:aws:personalize:us-east-1:123456789012"

static PwLocalServer *server;
static PwAwsCredentials *credentials;
static int n_clients = 8;
static int seconds = 10;
static int num_results = 25;
static int n_users = 1000;
static gboolean use_soup = FALSE;
static gint64 deadline;
/* Raw mode: one signed HTTP/1.1 request per user, built before the clock
 * starts (a SigV4 signature stays valid for 15 minutes); the server still
 * verifies every one. Spares the clients libsoup's and the signer's CPU,
 * which on 2 cores is CPU the server does not get. */
static GPtrArray *raw_requests;

typedef struct
{
  GArray *latencies; /* gint64 microseconds */
  guint errors;
  GThread *thread;
  guint32 seed;
} Client;

static guint
send_signed (SoupSession *session,
             const char  *method,
             const char  *path,
             const char  *service,
             const char  *target,
             const char  *content_type,
             const char  *body,
             GBytes     **out)
{
  g_autofree char *url = g_strdup_printf ("%s%s", pw_local_server_get_url (server), path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", pw_local_server_get_port (server));
  gsize len = body != NULL ? strlen (body) : 0;
  g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) (body ? body : ""), len);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GBytes) reply = NULL;

  soup_message_headers_replace (headers, "Host", host);
  if (target != NULL)
    soup_message_headers_replace (headers, "X-Amz-Target", target);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, len);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  if (!pw_aws_sigv4_sign (method, path, NULL, headers, hash, credentials, "us-east-1", service, now,
                          strcmp (service, "s3") == 0 ? PW_AWS_SIGV4_S3 : PW_AWS_SIGV4_NONE, NULL, NULL))
    g_error ("cannot sign");
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  if (out != NULL)
    *out = g_steal_pointer (&reply);
  return soup_message_get_status (msg);
}

static JsonObject *
control (SoupSession *session,
         const char  *operation,
         const char  *body)
{
  g_autofree char *target = g_strconcat ("AmazonPersonalize.", operation, NULL);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status = send_signed (session, "POST", "/", "personalize", target, "application/x-amz-json-1.1",
                              body, &reply);

  if (status != 200)
    g_error ("%s: %u %.*s", operation, status, (int) g_bytes_get_size (reply),
             (const char *) g_bytes_get_data (reply, NULL));
  json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
wait_active (SoupSession *session,
             const char  *operation,
             const char  *body,
             const char  *member)
{
  for (int i = 0; i < 6000; i++)
    {
      g_autoptr(JsonObject) out = control (session, operation, body);
      const char *status = json_object_get_string_member (json_object_get_object_member (out, member), "status");

      if (strcmp (status, "ACTIVE") == 0)
        return;
      if (strstr (status, "FAILED") != NULL)
        g_error ("%s failed", body);
      g_usleep (50000);
    }
  g_error ("%s never became ACTIVE", body);
}

static void
setup_campaign (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GString) csv = g_string_new ("USER_ID,ITEM_ID,TIMESTAMP\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *sv = NULL;
  g_autofree char *body = NULL;
  guint status;

  /* Users with tastes for one of 10 clusters of 100 items each. */
  for (int u = 1; u <= n_users; u++)
    {
      int cluster = g_rand_int_range (rand, 0, 10);

      for (int k = 0; k < 30; k++)
        {
          int item = g_rand_double (rand) < 0.85 ? cluster * 100 + g_rand_int_range (rand, 0, 100)
                                                 : g_rand_int_range (rand, 0, 1000);

          g_string_append_printf (csv, "%d,%d,%d\n", u, item + 1, 1600000000 + u * 100 + k);
        }
    }
  status = send_signed (session, "PUT", "/bench-bucket", "s3", NULL, NULL, NULL, NULL);
  g_assert (status == 200);
  status = send_signed (session, "PUT", "/bench-bucket/interactions.csv", "s3", NULL, "text/csv", csv->str, NULL);
  g_assert (status == 200);
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateDatasetGroup", "{\"name\":\"bench\"}");
  wait_active (session, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/bench\"}", "datasetGroup");
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateSchema", "{\"name\":\"bench\",\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":"
                 "\\\"Interactions\\\",\\\"fields\\\":[{\\\"name\\\":\\\"USER_ID\\\",\\\"type\\\":\\\"string\\\"},"
                 "{\\\"name\\\":\\\"ITEM_ID\\\",\\\"type\\\":\\\"string\\\"},{\\\"name\\\":\\\"TIMESTAMP\\\","
                 "\\\"type\\\":\\\"long\\\"}]}\"}");
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateDataset", "{\"name\":\"bench\",\"schemaArn\":\"" P ":schema/bench\","
                 "\"datasetGroupArn\":\"" P ":dataset-group/bench\",\"datasetType\":\"Interactions\"}");
  wait_active (session, "DescribeDataset", "{\"datasetArn\":\"" P ":dataset/bench/INTERACTIONS\"}", "dataset");
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateDatasetImportJob", "{\"jobName\":\"bench\",\"datasetArn\":\"" P
                 ":dataset/bench/INTERACTIONS\",\"dataSource\":{\"dataLocation\":\"s3://bench-bucket/interactions.csv\"}}");
  wait_active (session, "DescribeDatasetImportJob", "{\"datasetImportJobArn\":\"" P ":dataset-import-job/bench\"}",
               "datasetImportJob");
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateSolution", "{\"name\":\"bench\",\"datasetGroupArn\":\"" P ":dataset-group/bench\","
                 "\"recipeArn\":\"arn:aws:personalize:::recipe/aws-user-personalization\"}");
  wait_active (session, "DescribeSolution", "{\"solutionArn\":\"" P ":solution/bench\"}", "solution");
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateSolutionVersion", "{\"solutionArn\":\"" P ":solution/bench\"}");
  sv = g_strdup (json_object_get_string_member (out, "solutionVersionArn"));
  body = g_strdup_printf ("{\"solutionVersionArn\":\"%s\"}", sv);
  wait_active (session, "DescribeSolutionVersion", body, "solutionVersion");
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"bench\",\"solutionVersionArn\":\"%s\",\"minProvisionedTPS\":1}", sv);
  g_clear_pointer (&out, json_object_unref);
  out = control (session, "CreateCampaign", body);
  wait_active (session, "DescribeCampaign", "{\"campaignArn\":\"" P ":campaign/bench\"}", "campaign");
}

static GBytes *
build_raw_request (int user)
{
  g_autofree char *body = g_strdup_printf ("{\"campaignArn\":\"" P ":campaign/bench\",\"userId\":\"%d\","
                                           "\"numResults\":%d}", user, num_results);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", pw_local_server_get_port (server));
  g_autofree char *length = g_strdup_printf ("%zu", strlen (body));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  GString *out = g_string_new ("POST /recommendations HTTP/1.1\r\n");
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "Content-Type", "application/json");
  soup_message_headers_replace (headers, "Content-Length", length);
  if (!pw_aws_sigv4_sign ("POST", "/recommendations", NULL, headers, hash, credentials, "us-east-1",
                          "personalize", now, PW_AWS_SIGV4_NONE, NULL, NULL))
    g_error ("cannot sign");
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\r\n", name, value);
  g_string_append_printf (out, "\r\n%s", body);
  soup_message_headers_unref (headers);
  return g_string_free_to_bytes (out);
}

/* Reads one response; returns its status, or 0 when the connection broke. */
static guint
read_response (GInputStream *in,
               GByteArray   *buffer)
{
  guint8 chunk[16384];
  gssize n;
  const char *end;
  gsize header_length, content_length = 0;
  guint status = 0;

  for (;;)
    {
      end = buffer->len >= 4 ? g_strstr_len ((const char *) buffer->data, buffer->len, "\r\n\r\n") : NULL;
      if (end != NULL)
        break;
      n = g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL);
      if (n <= 0)
        return 0;
      g_byte_array_append (buffer, chunk, n);
    }
  header_length = end + 4 - (const char *) buffer->data;
  {
    g_autofree char *head = g_strndup ((const char *) buffer->data, header_length);
    const char *cl = strstr (head, "Content-Length: ");

    if (sscanf (head, "HTTP/1.1 %u", &status) != 1)
      return 0;
    if (cl != NULL)
      content_length = g_ascii_strtoull (cl + 16, NULL, 10);
  }
  while (buffer->len < header_length + content_length)
    {
      n = g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL);
      if (n <= 0)
        return 0;
      g_byte_array_append (buffer, chunk, n);
    }
  g_byte_array_remove_range (buffer, 0, header_length + content_length);
  return status;
}

static gpointer
raw_client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (c->seed);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  GOutputStream *out = NULL;
  GInputStream *in = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      GBytes *request = raw_requests->pdata[g_rand_int_range (rand, 0, n_users)];
      gint64 start = g_get_monotonic_time ();
      gsize size;
      const void *bytes = g_bytes_get_data (request, &size);
      guint status;
      gint64 elapsed;

      if (conn == NULL)
        {
          conn = g_socket_client_connect_to_host (client, "127.0.0.1", pw_local_server_get_port (server), NULL, NULL);
          if (conn == NULL)
            g_error ("cannot connect");
          g_socket_set_option (g_socket_connection_get_socket (conn), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
          out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
          in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
          g_byte_array_set_size (buffer, 0);
        }
      status = g_output_stream_write_all (out, bytes, size, NULL, NULL, NULL) ? read_response (in, buffer) : 0;
      elapsed = g_get_monotonic_time () - start;
      if (status == 0)
        {
          g_clear_object (&conn); /* closed by the server: reconnect */
          continue;
        }
      if (status != 200)
        c->errors++;
      g_array_append_val (c->latencies, elapsed);
    }
  return NULL;
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (c->seed);

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *body = g_strdup_printf ("{\"campaignArn\":\"" P ":campaign/bench\",\"userId\":\"%d\","
                                               "\"numResults\":%d}", g_rand_int_range (rand, 1, n_users + 1),
                                               num_results);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) reply = NULL;
      guint status = send_signed (session, "POST", "/recommendations", "personalize", NULL, "application/json",
                                  body, &reply);
      gint64 elapsed = g_get_monotonic_time () - start;

      if (status != 200)
        c->errors++;
      g_array_append_val (c->latencies, elapsed);
    }
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "clients", 'c', 0, G_OPTION_ARG_INT, &n_clients, "Concurrent clients (8)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "How long to measure (10)", "S" },
    { "num-results", 'n', 0, G_OPTION_ARG_INT, &num_results, "numResults of each request (25)", "N" },
    { "users", 'u', 0, G_OPTION_ARG_INT, &n_users, "Synthetic users (1000)", "N" },
    { "soup", 0, 0, G_OPTION_ARG_NONE, &use_soup, "Clients use libsoup and sign each request themselves", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *dir = g_dir_make_tmp ("pw-bench-local-XXXXXX", NULL);
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *rm = NULL;
  PwLocalServerOptions options = { 0 };
  Client *clients;
  guint errors = 0;
  gint64 start, elapsed;
  double rps;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  options.data_dir = dir;
  options.step_ms = 20;
  server = pw_local_server_new (&options);
  if (!pw_local_server_start (server, &error))
    g_error ("%s", error->message);
  g_key_file_load_from_file (keys, pw_local_server_get_credentials_file (server), 0, NULL);
  id = g_key_file_get_string (keys, "default", "aws_access_key_id", NULL);
  secret = g_key_file_get_string (keys, "default", "aws_secret_access_key", NULL);
  credentials = pw_aws_credentials_new (g_strstrip (id), g_strstrip (secret), NULL, "bench");

  printf ("setting up a user-personalization campaign on %d users x 30 interactions...\n", n_users);
  fflush (stdout);
  setup_campaign ();

  if (!use_soup)
    {
      raw_requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      for (int u = 1; u <= n_users; u++)
        g_ptr_array_add (raw_requests, build_raw_request (u));
    }
  printf ("%d clients (%s), %d s, numResults %d, every request SigV4-signed and verified by the server\n",
          n_clients, use_soup ? "libsoup, signing each request" : "raw HTTP/1.1 keep-alive, pre-signed requests",
          seconds, num_results);
  fflush (stdout);
  clients = g_new0 (Client, n_clients);
  start = g_get_monotonic_time ();
  deadline = start + (gint64) seconds * G_USEC_PER_SEC;
  for (int i = 0; i < n_clients; i++)
    {
      clients[i].latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
      clients[i].seed = 1000 + i;
      clients[i].thread = g_thread_new ("bench-client", use_soup ? client_thread : raw_client_thread, &clients[i]);
    }
  for (int i = 0; i < n_clients; i++)
    {
      g_thread_join (clients[i].thread);
      g_array_append_vals (all, clients[i].latencies->data, clients[i].latencies->len);
      errors += clients[i].errors;
      g_array_unref (clients[i].latencies);
    }
  elapsed = g_get_monotonic_time () - start;
  g_array_sort (all, compare_gint64);
  rps = all->len / ((double) elapsed / G_USEC_PER_SEC);
  printf ("requests: %u (%u errors) in %.2f s\n", all->len, errors, (double) elapsed / G_USEC_PER_SEC);
  printf ("throughput: %.0f requests/s\n", rps);
  if (all->len > 0)
    printf ("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
            g_array_index (all, gint64, all->len / 2) / 1000.0,
            g_array_index (all, gint64, (guint) (all->len * 0.90)) / 1000.0,
            g_array_index (all, gint64, (guint) (all->len * 0.99)) / 1000.0,
            g_array_index (all, gint64, all->len - 1) / 1000.0);
  g_free (clients);
  pw_local_server_stop (server);
  g_object_unref (server);
  rm = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (rm) != 0)
    fprintf (stderr, "could not remove %s\n", dir);
  return errors > 0 ? 1 : 0;
}
