/* pw-dataset-group-page.c: step 3 of 9 (notebook 2.1), the dataset group and the imports
 *
 * Shows the live structure diagram and the list of what the step creates
 * (on AWS the role, its policies and the bucket policy; the bucket and the
 * uploaded files; the dataset group, schemas, datasets and import jobs),
 * each with its status, elapsed time and failure reason. Applying the page
 * runs the workshop's DATASET_GROUP step (PwPage's default apply).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-dataset-group-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-dataset-group-page.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-structure-diagram.h"

struct _PwDatasetGroupPage
{
  PwPage parent_instance;

  GtkBox *diagram_box;
  GtkBox *resources_box;
  PwStepProgress *progress;
};

G_DEFINE_FINAL_TYPE (PwDatasetGroupPage, pw_dataset_group_page, PW_TYPE_PAGE)

#define DATASET_GROUP_KINDS \
  (PW_RESOURCE_KIND_BIT (PW_RESOURCE_ROLE) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_ROLE_POLICY_ATTACHMENT) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_BUCKET) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_BUCKET_POLICY) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_OBJECT) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_DATASET_GROUP) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_SCHEMA) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_DATASET) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_IMPORT_JOB))

static void
pw_dataset_group_page_constructed (GObject *object)
{
  PwDatasetGroupPage *self = PW_DATASET_GROUP_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_dataset_group_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_DATASET_GROUP);
  gtk_box_append (self->diagram_box, pw_structure_diagram_new (workshop));
  gtk_box_append (self->resources_box,
                  pw_resource_list_new (workshop ? pw_workshop_get_resources (workshop) : NULL,
                                        DATASET_GROUP_KINDS));
}

static void
pw_dataset_group_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_DATASET_GROUP_PAGE);

  G_OBJECT_CLASS (pw_dataset_group_page_parent_class)->dispose (object);
}

static void
pw_dataset_group_page_class_init (PwDatasetGroupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_dataset_group_page_constructed;
  object_class->dispose = pw_dataset_group_page_dispose;

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-dataset-group-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwDatasetGroupPage, diagram_box);
  gtk_widget_class_bind_template_child (widget_class, PwDatasetGroupPage, resources_box);
  gtk_widget_class_bind_template_child (widget_class, PwDatasetGroupPage, progress);
}

static void
pw_dataset_group_page_init (PwDatasetGroupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  pw_page_set_title (PW_PAGE (self), _("Dataset Group"));
  pw_page_set_icon_name (PW_PAGE (self), "folder-symbolic");
}

PwPage *
pw_dataset_group_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_DATASET_GROUP_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_DATASET_GROUP,
                       NULL);
}
