/* pw-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-application"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-application.h"
#include "pw-ui.h"
#include "pw-window.h"

struct _PwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (PwApplication, pw_application, ADW_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Personalize Workshop contributors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Personalize Workshop"),
                        "application-icon", PW_APP_ID,
                        "developer-name", _("The Personalize Workshop contributors"),
                        "developers", developers,
                        "version", PW_VERSION,
                        "website", "https://github.com/personalize-workshop/personalize-workshop",
                        "issue-url", "https://github.com/personalize-workshop/personalize-workshop/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Learn, teach and demonstrate Amazon Personalize with the MovieLens workshop, on your own computer or on AWS."),
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close each window so that it saves its state and cancels its work. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL },
  { "quit", quit_action, NULL, NULL, NULL },
};

static void
pw_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (pw_window_new (ADW_APPLICATION (application)));

  gtk_window_present (window);
}

static void
pw_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (pw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close", close_accels);
}

static void
pw_application_class_init (PwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pw_application_activate;
  app_class->startup = pw_application_startup;
}

static void
pw_application_init (PwApplication *self)
{
}

PwApplication *
pw_application_new (GApplicationFlags flags)
{
  pw_ui_init ();

  return g_object_new (PW_TYPE_APPLICATION,
                       "application-id", PW_APP_ID,
                       "resource-base-path", PW_RESOURCE_BASE,
                       "flags", flags,
                       NULL);
}
