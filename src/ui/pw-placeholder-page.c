/* pw-placeholder-page.c: a step that says what it will do
 *
 * Steps whose issue has not landed yet show what they will do, so that the
 * whole workshop can be walked and reviewed. Such a page is created with
 * #PwPage:built %FALSE: it says "not built yet", is never complete, and the
 * window passes it on Next without applying it. (The Results view also uses
 * this class, as a built page with nothing to run.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-placeholder-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-placeholder-page.h"
#include "pw-step-intro.h"

struct _PwPlaceholderPage
{
  PwPage parent_instance;

  char *description;
  GStrv tasks;
  char *intro;
  char *guide_uri;

  AdwStatusPage *status_page;
  AdwPreferencesGroup *tasks_group;
  GtkLabel *not_built_label;
  PwStepIntro *intro_widget;
};

G_DEFINE_FINAL_TYPE (PwPlaceholderPage, pw_placeholder_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_DESCRIPTION,
  PROP_TASKS,
  PROP_INTRO,
  PROP_GUIDE_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_task_rows (PwPlaceholderPage *self)
{
  if (self->tasks == NULL)
    return;

  for (guint i = 0; self->tasks[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *number = gtk_label_new (NULL);
      g_autofree char *text = g_strdup_printf ("%u", i + 1);

      gtk_label_set_text (GTK_LABEL (number), text);
      gtk_widget_add_css_class (number, "task-number");
      gtk_widget_set_valign (number, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->tasks[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);
      adw_preferences_group_add (self->tasks_group, row);
    }
}

static void
pw_placeholder_page_constructed (GObject *object)
{
  PwPlaceholderPage *self = PW_PLACEHOLDER_PAGE (object);

  G_OBJECT_CLASS (pw_placeholder_page_parent_class)->constructed (object);

  g_object_bind_property (self, "title", self->status_page, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "icon-name", self->status_page, "icon-name", G_BINDING_SYNC_CREATE);
  adw_status_page_set_description (self->status_page, self->description);
  gtk_widget_set_visible (GTK_WIDGET (self->not_built_label), !pw_page_get_built (PW_PAGE (self)));
  pw_step_intro_set_text (self->intro_widget, self->intro);
  pw_step_intro_set_uri (self->intro_widget, self->guide_uri);
  gtk_widget_set_visible (GTK_WIDGET (self->intro_widget), self->intro != NULL);
  add_task_rows (self);
}

static void
pw_placeholder_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_PLACEHOLDER_PAGE);

  G_OBJECT_CLASS (pw_placeholder_page_parent_class)->dispose (object);
}

static void
pw_placeholder_page_finalize (GObject *object)
{
  PwPlaceholderPage *self = PW_PLACEHOLDER_PAGE (object);

  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->tasks, g_strfreev);
  g_clear_pointer (&self->intro, g_free);
  g_clear_pointer (&self->guide_uri, g_free);

  G_OBJECT_CLASS (pw_placeholder_page_parent_class)->finalize (object);
}

static void
pw_placeholder_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PwPlaceholderPage *self = PW_PLACEHOLDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_TASKS:
      g_value_set_boxed (value, self->tasks);
      break;
    case PROP_INTRO:
      g_value_set_string (value, self->intro);
      break;
    case PROP_GUIDE_URI:
      g_value_set_string (value, self->guide_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_placeholder_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PwPlaceholderPage *self = PW_PLACEHOLDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_DESCRIPTION:
      self->description = g_value_dup_string (value);
      break;
    case PROP_TASKS:
      self->tasks = g_value_dup_boxed (value);
      break;
    case PROP_INTRO:
      self->intro = g_value_dup_string (value);
      break;
    case PROP_GUIDE_URI:
      self->guide_uri = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_placeholder_page_class_init (PwPlaceholderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_placeholder_page_constructed;
  object_class->dispose = pw_placeholder_page_dispose;
  object_class->finalize = pw_placeholder_page_finalize;
  object_class->get_property = pw_placeholder_page_get_property;
  object_class->set_property = pw_placeholder_page_set_property;

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASKS] =
    g_param_spec_boxed ("tasks", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTRO] =
    g_param_spec_string ("intro", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GUIDE_URI] =
    g_param_spec_string ("guide-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-placeholder-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwPlaceholderPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, PwPlaceholderPage, tasks_group);
  gtk_widget_class_bind_template_child (widget_class, PwPlaceholderPage, not_built_label);
  gtk_widget_class_bind_template_child (widget_class, PwPlaceholderPage, intro_widget);
}

static void
pw_placeholder_page_init (PwPlaceholderPage *self)
{
  g_type_ensure (PW_TYPE_STEP_INTRO);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pw_placeholder_page_new:
 * @title: the step's title
 * @icon_name: a symbolic icon name
 * @description: one or two sentences on what the step is for
 * @tasks: (nullable): what the step will do, one line each
 */
PwPage *
pw_placeholder_page_new (const char         *title,
                         const char         *icon_name,
                         const char         *description,
                         const char * const *tasks)
{
  return g_object_new (PW_TYPE_PLACEHOLDER_PAGE,
                       "title", title,
                       "icon-name", icon_name,
                       "description", description,
                       "tasks", tasks,
                       NULL);
}

const char *
pw_placeholder_page_get_description (PwPlaceholderPage *self)
{
  g_return_val_if_fail (PW_IS_PLACEHOLDER_PAGE (self), NULL);

  return self->description;
}

const char * const *
pw_placeholder_page_get_tasks (PwPlaceholderPage *self)
{
  g_return_val_if_fail (PW_IS_PLACEHOLDER_PAGE (self), NULL);

  return (const char * const *) self->tasks;
}
