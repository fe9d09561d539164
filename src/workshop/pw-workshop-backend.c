/* pw-workshop-backend.c: the back end: the embedded local server (its
 * start in a thread, its throwaway keys) and the AWS client for the
 * chosen back end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pw-aws-error.h"
#include "pw-workshop-private.h"

/* ---------------------------------------------------------------------
 * The back end: the embedded server and the client
 * --------------------------------------------------------------------- */

void
pw_workshop_stop_server (PwWorkshop *self)
{
  if (self->server != NULL)
    {
      pw_local_server_stop (self->server);
      g_clear_object (&self->server);
    }
  if (self->local_keys_dir != NULL)
    {
      g_autofree char *file = g_build_filename (self->local_keys_dir, "credentials", NULL);

      g_unlink (file);
      g_rmdir (self->local_keys_dir);
      g_clear_pointer (&self->local_keys_dir, g_free);
    }
}

static char *
random_key (const char *alphabet,
            guint       length)
{
  GString *s = g_string_sized_new (length);
  guint n = strlen (alphabet);

  for (guint i = 0; i < length; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, n)]);
  return g_string_free (s, FALSE);
}

/* Keys of embedded servers whose process died (kill -9) are removed;
 * the folder name carries the process id. */
static void
remove_stale_keys (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_user_runtime_dir (), 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint64 pid;
      g_auto(GStrv) parts = NULL;

      if (!g_str_has_prefix (name, "pw-workshop-"))
        continue;
      parts = g_strsplit (name + strlen ("pw-workshop-"), "-", 2);
      if (parts[0] == NULL || parts[1] == NULL ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT, &pid, NULL))
        continue;
      if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *folder = g_build_filename (g_get_user_runtime_dir (), name, NULL);
          g_autofree char *file = g_build_filename (folder, "credentials", NULL);

          g_unlink (file);
          g_rmdir (folder);
        }
    }
}

/* Local: the server, not started yet, with keys made for this run, kept
 * in a private temporary folder (tmpfs) and removed on shutdown: the
 * server reads its keys from that file, and so does ensure_client(). */
static PwLocalServer *
new_local_server (PwWorkshop  *self,
                  GError     **error)
{
  g_autofree char *key_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  PwLocalServerOptions options = { 0 };

  if (self->local_keys_dir == NULL)
    {
      g_autofree char *base = g_strdup_printf ("pw-workshop-%d-XXXXXX", (int) getpid ());
      g_autofree char *tmpl = g_build_filename (g_get_user_runtime_dir (), base, NULL);

      remove_stale_keys ();

      if (g_mkdtemp_full (tmpl, 0700) == NULL)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot create a private folder in %s: %s"), g_get_user_runtime_dir (),
                       g_strerror (saved));
          return NULL;
        }
      self->local_keys_dir = g_steal_pointer (&tmpl);
    }
  key_id = random_key ("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  secret = random_key ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
  file = g_build_filename (self->local_keys_dir, "credentials", NULL);
  text = g_strdup_printf ("[default]\naws_access_key_id = PWLW%s\naws_secret_access_key = %s\n",
                          key_id, secret);
  memset (secret, 0, strlen (secret));
  if (!g_file_set_contents_full (file, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      memset (text, 0, strlen (text));
      return NULL;
    }
  memset (text, 0, strlen (text));

  if (g_mkdir_with_parents (self->local_data_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("Cannot create the local engine’s folder %s: %s"),
                   self->local_data_dir, g_strerror (saved));
      return NULL;
    }
  options.data_dir = self->local_data_dir;
  options.region = self->region;
  options.credentials_file = file;
  options.step_ms = self->local_step_ms;
  return pw_local_server_new (&options);
}

/* Local: starts the server if needed (blocking: ensure_client_async() starts
 * it in a thread first), reads its keys; AWS: the configuration given. Then
 * the client. */
gboolean
pw_workshop_ensure_client (PwWorkshop  *self,
                           GError     **error)
{
  g_autoptr(PwAwsConfig) config = NULL;

  if (self->client != NULL)
    return TRUE;

  if (self->backend == PW_WORKSHOP_BACKEND_LOCAL)
    {
      g_autoptr(PwAwsCredentials) credentials = NULL;

      if (self->server == NULL)
        {
          g_autoptr(PwLocalServer) server = new_local_server (self, error);

          if (server == NULL)
            return FALSE;
          if (!pw_local_server_start (server, error))
            {
              g_prefix_error (error, _("Cannot start the local engine: "));
              return FALSE;
            }
          self->server = g_steal_pointer (&server);
        }
      {
        g_autofree char *file = g_build_filename (self->local_keys_dir, "credentials", NULL);
        g_autoptr(GKeyFile) keys = g_key_file_new ();
        g_autofree char *id = NULL;
        g_autofree char *secret = NULL;

        if (!g_key_file_load_from_file (keys, file, G_KEY_FILE_NONE, error))
          return FALSE;
        id = g_key_file_get_string (keys, "default", "aws_access_key_id", error);
        if (id == NULL)
          return FALSE;
        secret = g_key_file_get_string (keys, "default", "aws_secret_access_key", error);
        if (secret == NULL)
          return FALSE;
        credentials = pw_aws_credentials_new (id, secret, NULL, "local-engine");
        memset (secret, 0, strlen (secret));
      }

      config = pw_aws_config_new ();
      config->region = g_strdup (self->region);
      config->endpoint_url = g_strdup (pw_local_server_get_url (self->server));
      pw_aws_config_set_credentials (config, credentials);
    }
  else
    {
      if (self->aws_config == NULL)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                       _("No AWS credentials were given: choose a profile or enter an access key."));
          return FALSE;
        }
      if (self->aws_config->credentials == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS,
                       _("No AWS credentials were found for the profile “%s”."),
                       self->aws_config->profile != NULL ? self->aws_config->profile : "default");
          return FALSE;
        }
      config = pw_aws_config_copy (self->aws_config);
    }

  self->client = pw_aws_client_new (config);
  pw_workshop_notify (self, PW_WORKSHOP_PROP_CLIENT);
  return TRUE;
}

/* The embedded server loads its state (every S3 object is read for its
 * checksum) in pw_local_server_start(), which can take seconds with a big
 * data folder: it runs in a thread here. That is safe: the server serves
 * from its own worker threads, each with its own GMainContext and
 * SoupServer, and attaches nothing to the caller's context. The workshop
 * takes the server on the main context once it listens. */
static void
server_start_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (pw_local_server_start (PW_LOCAL_SERVER (source_object), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
server_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PwWorkshop) self = user_data;
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->starting);
  PwLocalServer *server = PW_LOCAL_SERVER (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_prefix_error (&error, _("Cannot start the local engine: "));
  else if (self->shut_down || self->backend != PW_WORKSHOP_BACKEND_LOCAL || self->server != NULL)
    {
      /* The window closed, or the back end changed, while it started. */
      pw_local_server_stop (server);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  else
    self->server = g_object_ref (server);

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      GError *task_error = NULL;

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else if (pw_workshop_ensure_client (self, &task_error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, task_error);
    }
}

/* ensure_client() without blocking: the local server starts in a thread. */
void
pw_workshop_ensure_client_async (PwWorkshop          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(PwLocalServer) server = NULL;
  g_autoptr(GTask) start = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, pw_workshop_ensure_client_async);
  g_task_set_check_cancellable (task, FALSE);
  if (self->client != NULL || self->backend != PW_WORKSHOP_BACKEND_LOCAL || self->server != NULL)
    {
      if (pw_workshop_ensure_client (self, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (self->starting != NULL)
    {
      g_ptr_array_add (self->starting, task);
      return;
    }
  server = new_local_server (self, &error);
  if (server == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  self->starting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->starting, task);
  start = g_task_new (server, NULL, server_started_cb, g_object_ref (self));
  g_task_run_in_thread (start, server_start_in_thread);
}

gboolean
pw_workshop_ensure_client_finish (PwWorkshop    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

