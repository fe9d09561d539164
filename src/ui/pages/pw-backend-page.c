/* pw-backend-page.c: step 1 of 9, where the workshop runs and with which keys
 *
 * "Local engine" (the default) needs nothing typed. "AWS account" takes an
 * AWS CLI profile, or an access key id, secret access key and optional
 * session token, and a region where Personalize exists; typed keys can be
 * saved to and removed from the system keyring (src/aws/pw-aws-keyring.h,
 * profile "default", where the command line finds them too). "Test
 * connection" asks STS through the workshop and shows the account and ARN.
 * Applying the page gives the choice to the workshop
 * (pw_workshop_set_backend()) and runs its BACKEND step.
 *
 * The choices live in properties (backend, region, profile); the secret
 * and the session token live only in their password rows and in memory,
 * never in a property, a toast, an error or the state file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-backend-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-aws-keyring.h"
#include "pw-backend-page.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-ui.h"

/* The keyring entry for typed keys; the command line's default profile
 * falls back to it. */
#define KEYRING_PROFILE "default"

struct _PwBackendPage
{
  PwPage parent_instance;

  PwWorkshopBackend backend;
  char *region;
  char *profile;               /* NULL: the keys typed on the page */
  char *account;
  GStrv profiles;              /* the AWS CLI's profiles, in the combo row after "typed" */
  PwAwsCredentials *saved;     /* the keyring's keys, if any */
  GCancellable *cancellable;
  gboolean updating;

  GtkCheckButton *local_check;
  GtkCheckButton *aws_check;
  GtkLabel *cost_warning;
  AdwPreferencesGroup *aws_group;
  AdwComboRow *profile_row;
  AdwEntryRow *access_key_row;
  AdwPasswordEntryRow *secret_key_row;
  AdwPasswordEntryRow *session_token_row;
  AdwComboRow *region_row;
  AdwActionRow *keyring_row;
  GtkButton *save_keys_button;
  GtkButton *remove_keys_button;
  GtkButton *test_button;
  AdwActionRow *account_row;
  AdwActionRow *arn_row;
  PwStepProgress *progress;
};

G_DEFINE_FINAL_TYPE (PwBackendPage, pw_backend_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_BACKEND,
  PROP_REGION,
  PROP_PROFILE,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
entry_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
update_keyring_row (PwBackendPage *self)
{
  gboolean typed = self->profile == NULL;
  gboolean have_typed = *entry_text (self->access_key_row) != '\0' && *entry_text (self->secret_key_row) != '\0';

  if (self->saved != NULL)
    {
      /* Translators: %s is an access key id (not secret) */
      g_autofree char *text = g_strdup_printf (_("Keys for %s are saved in the keyring"),
                                               self->saved->access_key_id);
      adw_action_row_set_subtitle (self->keyring_row, text);
    }
  else
    adw_action_row_set_subtitle (self->keyring_row, _("No keys saved"));

  gtk_widget_set_visible (GTK_WIDGET (self->keyring_row), typed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_keys_button), have_typed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_keys_button), self->saved != NULL);
}

static void
update_rows (PwBackendPage *self)
{
  gboolean aws = self->backend == PW_WORKSHOP_BACKEND_AWS;
  gboolean typed = self->profile == NULL;

  self->updating = TRUE;
  gtk_check_button_set_active (aws ? self->aws_check : self->local_check, TRUE);
  self->updating = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->aws_group), aws);
  gtk_widget_set_visible (GTK_WIDGET (self->cost_warning), aws);
  gtk_widget_set_visible (GTK_WIDGET (self->access_key_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_key_row), typed);
  gtk_widget_set_visible (GTK_WIDGET (self->session_token_row), typed);
  if (typed && self->saved != NULL && *entry_text (self->secret_key_row) == '\0')
    /* Translators: the secret key row when the keyring holds one */
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_key_row), _("Secret Access Key (saved in the keyring)"));
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_key_row), _("Secret Access Key"));
  update_keyring_row (self);
}

/* A failed test reads as one, in the error colour (and in words). */
static void
show_connection_failed (PwBackendPage *self,
                        const char    *message)
{
  adw_action_row_set_subtitle (self->account_row, _("Could not connect"));
  adw_action_row_set_subtitle (self->arn_row, message);
  gtk_widget_add_css_class (GTK_WIDGET (self->account_row), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->arn_row), "error");
}

static void
reset_connection_rows (PwBackendPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->account_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->arn_row), "error");
  adw_action_row_set_subtitle (self->account_row, _("Not tested yet"));
  adw_action_row_set_subtitle (self->arn_row, "—");
  if (pw_ui_set_str (&self->account, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

/* Any change of back end, keys or region: the BACKEND step must run again. */
static void
invalidate (PwBackendPage *self)
{
  reset_connection_rows (self);
  pw_page_mark_stale (PW_PAGE (self));
}

static void
backend_toggled_cb (PwBackendPage *self)
{
  if (self->updating)
    return;
  pw_backend_page_set_backend (self, gtk_check_button_get_active (self->aws_check)
                                     ? PW_WORKSHOP_BACKEND_AWS : PW_WORKSHOP_BACKEND_LOCAL);
}

static void
profile_changed_cb (PwBackendPage *self)
{
  guint selected = adw_combo_row_get_selected (self->profile_row);

  if (self->updating)
    return;
  if (selected == 0 || self->profiles == NULL || selected > g_strv_length (self->profiles))
    pw_backend_page_set_profile (self, NULL);
  else
    pw_backend_page_set_profile (self, self->profiles[selected - 1]);
}

static void
keys_changed_cb (PwBackendPage *self)
{
  update_rows (self);
  invalidate (self);
}

static void
region_changed_cb (PwBackendPage *self)
{
  guint n = 0;
  const char * const *regions = pw_workshop_get_regions (&n);
  guint selected = adw_combo_row_get_selected (self->region_row);

  if (self->updating || selected >= n)
    return;
  pw_backend_page_set_region (self, regions[selected]);
}

/* The configuration the page describes, or NULL with an error that says
 * what is missing (never quoting a secret). */
static PwAwsConfig *
build_config (PwBackendPage  *self,
              GError        **error)
{
  g_autoptr(PwAwsConfig) config = NULL;

  if (self->profile != NULL)
    {
      config = pw_aws_config_resolve_full (self->profile, self->region, NULL,
                                           PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE, error);
      if (config == NULL)
        return NULL;
      return g_steal_pointer (&config);
    }

  config = pw_aws_config_new ();
  g_free (config->region);
  config->region = g_strdup (self->region);
  if (*entry_text (self->access_key_row) != '\0' || *entry_text (self->secret_key_row) != '\0')
    {
      g_autoptr(PwAwsCredentials) creds = NULL;
      const char *token = entry_text (self->session_token_row);
      g_autofree char *id = g_strstrip (g_strdup (entry_text (self->access_key_row)));

      if (*id == '\0' || *entry_text (self->secret_key_row) == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Type both the access key ID and the secret access key"));
          return NULL;
        }
      creds = pw_aws_credentials_new (id, entry_text (self->secret_key_row),
                                      *token != '\0' ? token : NULL, "keyring");
      pw_aws_config_set_credentials (config, creds);
    }
  else if (self->saved != NULL)
    pw_aws_config_set_credentials (config, self->saved);
  else
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose an AWS CLI profile, or type an access key ID and secret access key"));
      return NULL;
    }
  return g_steal_pointer (&config);
}

/* Gives the page's choice to the workshop. */
static gboolean
give_backend (PwBackendPage  *self,
              GError        **error)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  g_autoptr(PwAwsConfig) config = NULL;

  if (self->backend == PW_WORKSHOP_BACKEND_AWS)
    {
      config = build_config (self, error);
      if (config == NULL)
        return FALSE;
    }
  return pw_workshop_set_backend (workshop, self->backend, config, error);
}

static void
show_identity (PwBackendPage *self,
               const char    *account,
               const char    *arn)
{
  adw_action_row_set_subtitle (self->account_row, account ? account : "—");
  adw_action_row_set_subtitle (self->arn_row, arn ? arn : "—");
  if (pw_ui_set_str (&self->account, account))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

static void
test_connection_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PwBackendPage) self = user_data;
  g_autofree char *account = NULL;
  g_autofree char *arn = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  if (!pw_workshop_test_connection_finish (PW_WORKSHOP (object), result, &account, &arn, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_connection_failed (self, error->message);
      return;
    }
  show_identity (self, account, arn);
  /* The workshop's BACKEND step is now complete: so is the page. */
  pw_page_set_complete (PW_PAGE (self), TRUE);
}

static void
test_connection_cb (PwBackendPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  g_autoptr(GError) error = NULL;

  if (workshop == NULL || pw_workshop_get_busy (workshop))
    return;
  if (!give_backend (self, &error))
    {
      show_connection_failed (self, error->message);
      return;
    }
  reset_connection_rows (self);
  adw_action_row_set_subtitle (self->account_row, _("Connecting…"));
  adw_action_row_set_subtitle (self->arn_row, "—");
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  pw_workshop_test_connection_async (workshop, self->cancellable, test_connection_done_cb, g_object_ref (self));
}

static void
keyring_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PwBackendPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PwAwsCredentials *creds = pw_aws_keyring_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("No keyring: %s", error->message);   /* the message names no secret */
  g_clear_pointer (&self->saved, pw_aws_credentials_free);
  self->saved = creds;
  if (creds != NULL && *entry_text (self->access_key_row) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->access_key_row), creds->access_key_id);
  update_rows (self);
}

static void
keyring_store_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PwBackendPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pw_aws_keyring_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("The keys could not be saved in the keyring")));
      return;
    }
  pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("Keys saved in the keyring")));
  pw_aws_keyring_lookup_async (KEYRING_PROFILE, self->cancellable, keyring_lookup_cb, g_object_ref (self));
}

static void
save_keys_cb (PwBackendPage *self)
{
  g_autofree char *id = g_strstrip (g_strdup (entry_text (self->access_key_row)));
  const char *token = entry_text (self->session_token_row);
  g_autoptr(PwAwsCredentials) creds = NULL;

  if (*id == '\0' || *entry_text (self->secret_key_row) == '\0')
    return;
  creds = pw_aws_credentials_new (id, entry_text (self->secret_key_row), *token ? token : NULL, "keyring");
  pw_aws_keyring_store_async (KEYRING_PROFILE, creds, self->cancellable, keyring_store_cb, g_object_ref (self));
}

static void
keyring_clear_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PwBackendPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pw_aws_keyring_clear_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("The keys could not be removed from the keyring")));
      return;
    }
  g_clear_pointer (&self->saved, pw_aws_credentials_free);
  pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("Keys removed from the keyring")));
  update_rows (self);
  invalidate (self);
}

static void
remove_keys_cb (PwBackendPage *self)
{
  pw_aws_keyring_clear_async (KEYRING_PROFILE, self->cancellable, keyring_clear_cb, g_object_ref (self));
}

static void
pw_backend_page_apply_async (PwPage              *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PwBackendPage *self = PW_BACKEND_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, pw_backend_page_apply_async);
  if (!give_backend (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pw_workshop_run_step_async (pw_page_get_workshop (page), PW_WORKSHOP_STEP_BACKEND,
                              cancellable, pw_page_step_done_cb, g_steal_pointer (&task));
}

static gboolean
pw_backend_page_apply_finish (PwPage        *page,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fill_choices (PwBackendPage *self)
{
  g_autoptr(GtkStringList) profiles = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) regions = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const char * const *region_codes = pw_workshop_get_regions (&n);

  /* Translators: the first choice of the credentials row */
  gtk_string_list_append (profiles, _("Keys Typed Below"));
  self->profiles = pw_aws_config_list_profiles (&error);
  if (self->profiles == NULL && error != NULL)
    g_debug ("No AWS CLI profiles: %s", error->message);
  for (guint i = 0; self->profiles != NULL && self->profiles[i] != NULL; i++)
    {
      /* Translators: an AWS CLI profile in the credentials row */
      g_autofree char *label = g_strdup_printf (_("AWS CLI Profile “%s”"), self->profiles[i]);
      gtk_string_list_append (profiles, label);
    }
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (regions, region_codes[i]);

  self->updating = TRUE;
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (profiles));
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (regions));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (region_codes[i], self->region) == 0)
      adw_combo_row_set_selected (self->region_row, i);
  self->updating = FALSE;
}

static void
pw_backend_page_constructed (GObject *object)
{
  PwBackendPage *self = PW_BACKEND_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_backend_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  if (workshop != NULL)
    {
      const char *region = pw_workshop_get_region (workshop);

      self->backend = pw_workshop_get_backend (workshop);
      if (region != NULL && pw_workshop_region_is_valid (region))
        pw_ui_set_str (&self->region, region);
    }
  fill_choices (self);
  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_BACKEND);
  update_rows (self);
  pw_aws_keyring_lookup_async (KEYRING_PROFILE, self->cancellable, keyring_lookup_cb, g_object_ref (self));
}

static void
pw_backend_page_dispose (GObject *object)
{
  PwBackendPage *self = PW_BACKEND_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_BACKEND_PAGE);

  G_OBJECT_CLASS (pw_backend_page_parent_class)->dispose (object);
}

static void
pw_backend_page_finalize (GObject *object)
{
  PwBackendPage *self = PW_BACKEND_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->profiles, g_strfreev);
  g_clear_pointer (&self->saved, pw_aws_credentials_free);

  G_OBJECT_CLASS (pw_backend_page_parent_class)->finalize (object);
}

static void
pw_backend_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PwBackendPage *self = PW_BACKEND_PAGE (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_enum (value, self->backend);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_backend_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PwBackendPage *self = PW_BACKEND_PAGE (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      pw_backend_page_set_backend (self, g_value_get_enum (value));
      break;
    case PROP_REGION:
      pw_backend_page_set_region (self, g_value_get_string (value));
      break;
    case PROP_PROFILE:
      pw_backend_page_set_profile (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_backend_page_class_init (PwBackendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->apply_async = pw_backend_page_apply_async;
  page_class->apply_finish = pw_backend_page_apply_finish;

  object_class->constructed = pw_backend_page_constructed;
  object_class->dispose = pw_backend_page_dispose;
  object_class->finalize = pw_backend_page_finalize;
  object_class->get_property = pw_backend_page_get_property;
  object_class->set_property = pw_backend_page_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_enum ("backend", NULL, NULL, PW_TYPE_WORKSHOP_BACKEND, PW_WORKSHOP_BACKEND_LOCAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, "us-east-1",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-backend-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, local_check);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, aws_check);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, cost_warning);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, aws_group);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, session_token_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, save_keys_button);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, remove_keys_button);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, account_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, arn_row);
  gtk_widget_class_bind_template_child (widget_class, PwBackendPage, progress);
  gtk_widget_class_bind_template_callback (widget_class, backend_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, keys_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, region_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_keys_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_keys_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_connection_cb);
}

static void
pw_backend_page_init (PwBackendPage *self)
{
  self->backend = PW_WORKSHOP_BACKEND_LOCAL;
  self->region = g_strdup ("us-east-1");
  self->cancellable = g_cancellable_new ();
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->updating = FALSE;
  pw_ui_fix_mnemonic_buttons (GTK_WIDGET (self));

  pw_page_set_title (PW_PAGE (self), _("Backend & Credentials"));
  pw_page_set_icon_name (PW_PAGE (self), "network-server-symbolic");
}

PwPage *
pw_backend_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_BACKEND_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_BACKEND,
                       NULL);
}

PwWorkshopBackend
pw_backend_page_get_backend (PwBackendPage *self)
{
  g_return_val_if_fail (PW_IS_BACKEND_PAGE (self), PW_WORKSHOP_BACKEND_LOCAL);

  return self->backend;
}

void
pw_backend_page_set_backend (PwBackendPage     *self,
                             PwWorkshopBackend  backend)
{
  g_return_if_fail (PW_IS_BACKEND_PAGE (self));
  g_return_if_fail (backend == PW_WORKSHOP_BACKEND_LOCAL || backend == PW_WORKSHOP_BACKEND_AWS);

  if (self->backend == backend)
    return;
  self->backend = backend;
  update_rows (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND]);
}

const char *
pw_backend_page_get_region (PwBackendPage *self)
{
  g_return_val_if_fail (PW_IS_BACKEND_PAGE (self), NULL);

  return self->region;
}

/* Only regions where Personalize exists; anything else is refused. */
void
pw_backend_page_set_region (PwBackendPage *self,
                            const char    *region)
{
  guint n = 0;
  const char * const *regions = pw_workshop_get_regions (&n);

  g_return_if_fail (PW_IS_BACKEND_PAGE (self));

  if (region == NULL || !pw_workshop_region_is_valid (region))
    return;
  if (!pw_ui_set_str (&self->region, region))
    return;
  self->updating = TRUE;
  for (guint i = 0; i < n; i++)
    if (g_str_equal (regions[i], region))
      adw_combo_row_set_selected (self->region_row, i);
  self->updating = FALSE;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

const char *
pw_backend_page_get_profile (PwBackendPage *self)
{
  g_return_val_if_fail (PW_IS_BACKEND_PAGE (self), NULL);

  return self->profile;
}

/**
 * pw_backend_page_set_profile:
 * @profile: (nullable): an AWS CLI profile, or %NULL for the keys typed on
 *   the page (or saved in the keyring)
 */
void
pw_backend_page_set_profile (PwBackendPage *self,
                             const char    *profile)
{
  g_return_if_fail (PW_IS_BACKEND_PAGE (self));

  if (!pw_ui_set_str (&self->profile, profile))
    return;
  self->updating = TRUE;
  if (profile == NULL)
    adw_combo_row_set_selected (self->profile_row, 0);
  else
    for (guint i = 0; self->profiles != NULL && self->profiles[i] != NULL; i++)
      if (g_str_equal (self->profiles[i], profile))
        adw_combo_row_set_selected (self->profile_row, i + 1);
  self->updating = FALSE;
  update_rows (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

/**
 * pw_backend_page_get_account:
 *
 * Returns: (nullable): the account id STS gave on the last test
 */
const char *
pw_backend_page_get_account (PwBackendPage *self)
{
  g_return_val_if_fail (PW_IS_BACKEND_PAGE (self), NULL);

  return self->account;
}
