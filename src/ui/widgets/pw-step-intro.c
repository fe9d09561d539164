/* pw-step-intro.c: a few plain sentences on a step, with a link to the guide
 *
 * Every page opens with what its resource is, why the step exists and what
 * it costs on AWS (the notebooks' explanations are the model), and a link to
 * the matching page of the Amazon Personalize Developer Guide. The text is
 * plain (no markup), so translations cannot break it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-step-intro"

#include "pw-config.h"


#include "pw-step-intro.h"
#include "pw-ui.h"

struct _PwStepIntro
{
  AdwBin parent_instance;

  char *text;
  char *uri;

  GtkLabel *label;
  GtkLinkButton *link;
};

G_DEFINE_FINAL_TYPE (PwStepIntro, pw_step_intro, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pw_step_intro_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_STEP_INTRO);

  G_OBJECT_CLASS (pw_step_intro_parent_class)->dispose (object);
}

static void
pw_step_intro_finalize (GObject *object)
{
  PwStepIntro *self = PW_STEP_INTRO (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (pw_step_intro_parent_class)->finalize (object);
}

static void
pw_step_intro_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PwStepIntro *self = PW_STEP_INTRO (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_step_intro_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PwStepIntro *self = PW_STEP_INTRO (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      pw_step_intro_set_text (self, g_value_get_string (value));
      break;
    case PROP_URI:
      pw_step_intro_set_uri (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_step_intro_class_init (PwStepIntroClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_step_intro_dispose;
  object_class->finalize = pw_step_intro_finalize;
  object_class->get_property = pw_step_intro_get_property;
  object_class->set_property = pw_step_intro_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-step-intro.ui");
  gtk_widget_class_bind_template_child (widget_class, PwStepIntro, label);
  gtk_widget_class_bind_template_child (widget_class, PwStepIntro, link);
}

static void
pw_step_intro_init (PwStepIntro *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pw_step_intro_new (const char *text,
                   const char *uri)
{
  return g_object_new (PW_TYPE_STEP_INTRO, "text", text, "uri", uri, NULL);
}

const char *
pw_step_intro_get_text (PwStepIntro *self)
{
  g_return_val_if_fail (PW_IS_STEP_INTRO (self), NULL);

  return self->text;
}

void
pw_step_intro_set_text (PwStepIntro *self,
                        const char  *text)
{
  g_return_if_fail (PW_IS_STEP_INTRO (self));

  if (!pw_ui_set_str (&self->text, text))
    return;
  gtk_label_set_text (self->label, text ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
pw_step_intro_get_uri (PwStepIntro *self)
{
  g_return_val_if_fail (PW_IS_STEP_INTRO (self), NULL);

  return self->uri;
}

/**
 * pw_step_intro_set_uri:
 * @uri: (nullable): the guide's page; only https links are shown
 */
void
pw_step_intro_set_uri (PwStepIntro *self,
                       const char  *uri)
{
  gboolean shown;

  g_return_if_fail (PW_IS_STEP_INTRO (self));

  if (!pw_ui_set_str (&self->uri, uri))
    return;
  shown = uri != NULL && g_str_has_prefix (uri, "https://");
  if (shown)
    {
      gtk_link_button_set_uri (self->link, uri);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->link), uri);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->link), shown);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}
