/* pw-structure-diagram.c: the dataset group's structure, alive
 *
 * The workshop's "build it like Lego" figure: the dataset group on the
 * left, and branching from it the two schemas, datasets and import jobs,
 * one solution, version and campaign row per recipe, and the event
 * tracker. Every block is there from the start as a dashed outline ("not
 * yet") and fills in as the workshop records its resource, coloured by
 * status with libadwaita's named colours (so dark mode is right) and
 * always with the status written in it, so colour is never the only cue.
 * Built from the workshop's resource model; rebuilt when it changes.
 * Each block has an accessible label, and pw_structure_diagram_describe()
 * gives the whole figure as text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-structure-diagram"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-structure-diagram.h"

struct _PwStructureDiagram
{
  AdwBin parent_instance;

  PwWorkshop *workshop;
  GtkGrid *grid;
  GString *description;
  guint n_filled;
  guint n_active;
  guint rebuild_id;
};

G_DEFINE_FINAL_TYPE (PwStructureDiagram, pw_structure_diagram, ADW_TYPE_BIN)

static const char *
status_class (PwWorkshopResource *resource)
{
  if (resource == NULL)
    return "empty";
  switch (pw_workshop_resource_get_status (resource))
    {
    case PW_RESOURCE_STATUS_PLANNED: return "planned";
    case PW_RESOURCE_STATUS_CREATING: return "creating";
    case PW_RESOURCE_STATUS_ACTIVE: return "active";
    case PW_RESOURCE_STATUS_FAILED: return "failed";
    case PW_RESOURCE_STATUS_DELETING: return "deleting";
    case PW_RESOURCE_STATUS_DELETED: return "deleted";
    default: return "empty";
    }
}

/* "aws-user-personalization" -> "user-personalization" */
static const char *
recipe_short (const char *recipe)
{
  const char *slash;

  if (recipe == NULL)
    return "";
  slash = strrchr (recipe, '/');
  if (slash != NULL)
    recipe = slash + 1;
  if (g_str_has_prefix (recipe, "aws-"))
    recipe += 4;
  return recipe;
}

static GtkWidget *
make_block (PwStructureDiagram *self,
            const char         *title,
            const char         *subtitle,
            PwWorkshopResource *resource)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *status_label;
  const char *status = resource ? pw_resource_status_get_title (pw_workshop_resource_get_status (resource))
                                /* Translators: a diagram block whose resource does not exist yet */
                                : _("Not yet");
  g_autofree char *accessible = NULL;

  gtk_widget_add_css_class (box, "pw-block");
  gtk_widget_add_css_class (box, status_class (resource));
  gtk_widget_add_css_class (title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0.0f);
  gtk_box_append (GTK_BOX (box), title_label);
  if (subtitle != NULL && *subtitle != '\0')
    {
      GtkWidget *sub = gtk_label_new (subtitle);
      gtk_widget_add_css_class (sub, "caption");
      gtk_label_set_xalign (GTK_LABEL (sub), 0.0f);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (sub), 22);
      gtk_box_append (GTK_BOX (box), sub);
    }
  status_label = gtk_label_new (status);
  gtk_widget_add_css_class (status_label, "caption");
  gtk_widget_add_css_class (status_label, "pw-block-status");
  gtk_label_set_xalign (GTK_LABEL (status_label), 0.0f);
  gtk_box_append (GTK_BOX (box), status_label);

  if (resource != NULL)
    {
      gtk_widget_set_tooltip_text (box, pw_workshop_resource_get_name (resource));
      self->n_filled++;
      if (pw_workshop_resource_get_status (resource) == PW_RESOURCE_STATUS_ACTIVE)
        self->n_active++;
    }

  if (subtitle != NULL && *subtitle != '\0')
    accessible = g_strdup_printf ("%s (%s): %s", title, subtitle, status);
  else
    accessible = g_strdup_printf ("%s: %s", title, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  resource ? pw_workshop_resource_get_name (resource) : "", -1);
  g_string_append_printf (self->description, "%s\n", accessible);
  return box;
}

static GtkWidget *
make_link (void)
{
  GtkWidget *label = gtk_label_new ("→");

  gtk_widget_add_css_class (label, "pw-block-link");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  return label;
}

/* The newest resource of @kind that matches, ignoring DELETED ones when a
 * live one exists (a step run again makes a new import job or version). */
static PwWorkshopResource *
find_kind (GListModel     *model,
           PwResourceKind  kind,
           const char     *parent,
           const char     *recipe,
           const char     *detail,
           guint           nth)
{
  PwWorkshopResource *best = NULL;
  guint seen = 0;
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (model, i);

      if (pw_workshop_resource_get_kind (r) != kind)
        continue;
      if (parent != NULL && g_strcmp0 (pw_workshop_resource_get_parent_arn (r), parent) != 0)
        continue;
      if (recipe != NULL && g_strcmp0 (recipe_short (pw_workshop_resource_get_recipe (r)), recipe_short (recipe)) != 0)
        continue;
      if (detail != NULL && pw_workshop_resource_get_detail (r) != NULL &&
          g_ascii_strcasecmp (pw_workshop_resource_get_detail (r), detail) != 0)
        continue;
      if (nth != G_MAXUINT && seen++ != nth)
        continue;
      if (best == NULL ||
          pw_workshop_resource_get_status (best) == PW_RESOURCE_STATUS_DELETED ||
          pw_workshop_resource_get_status (r) != PW_RESOURCE_STATUS_DELETED)
        best = r;
    }
  return best;
}

static const char *
id_of (PwWorkshopResource *r)
{
  return r ? pw_workshop_resource_get_id (r) : NULL;
}

static void
clear_grid (PwStructureDiagram *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
}

static gboolean
recipe_has_campaign (const char *recipe)
{
  const char *s = recipe_short (recipe);

  return g_str_equal (s, "user-personalization") || g_str_equal (s, "similar-items");
}

static void
rebuild (PwStructureDiagram *self)
{
  GListModel *model;
  PwWorkshopResource *group;
  g_autoptr(GPtrArray) recipes = g_ptr_array_new_with_free_func (g_free);
  static const char *types[] = { "INTERACTIONS", "ITEMS" };
  int row = 0;
  GtkWidget *block;

  clear_grid (self);
  g_string_truncate (self->description, 0);
  self->n_filled = self->n_active = 0;
  if (self->workshop == NULL)
    return;

  model = pw_workshop_get_resources (self->workshop);
  group = find_kind (model, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, G_MAXUINT);

  /* Data: a schema, a dataset and an import job per dataset type. */
  for (guint t = 0; t < G_N_ELEMENTS (types); t++, row++)
    {
      /* Translators: dataset types in the diagram */
      const char *type_title = t == 0 ? _("interactions") : _("items");
      PwWorkshopResource *schema = find_kind (model, PW_RESOURCE_SCHEMA, NULL, NULL, types[t], G_MAXUINT);
      PwWorkshopResource *dataset = find_kind (model, PW_RESOURCE_DATASET, NULL, NULL, types[t], G_MAXUINT);
      PwWorkshopResource *job;

      /* Without a detail, the workshop's order: interactions first. */
      if (schema == NULL || (pw_workshop_resource_get_detail (schema) == NULL))
        schema = find_kind (model, PW_RESOURCE_SCHEMA, NULL, NULL, NULL, t);
      if (dataset == NULL || (pw_workshop_resource_get_detail (dataset) == NULL))
        dataset = find_kind (model, PW_RESOURCE_DATASET, NULL, NULL, NULL, t);
      job = dataset ? find_kind (model, PW_RESOURCE_IMPORT_JOB, id_of (dataset), NULL, NULL, G_MAXUINT) : NULL;

      gtk_grid_attach (self->grid, make_block (self, pw_resource_kind_get_title (PW_RESOURCE_SCHEMA), type_title, schema), 2, row, 1, 1);
      gtk_grid_attach (self->grid, make_link (), 3, row, 1, 1);
      gtk_grid_attach (self->grid, make_block (self, pw_resource_kind_get_title (PW_RESOURCE_DATASET), type_title, dataset), 4, row, 1, 1);
      gtk_grid_attach (self->grid, make_link (), 5, row, 1, 1);
      gtk_grid_attach (self->grid, make_block (self, pw_resource_kind_get_title (PW_RESOURCE_IMPORT_JOB), type_title, job), 6, row, 1, 1);
      gtk_grid_attach (self->grid, make_link (), 1, row, 1, 1);
    }

  /* Models: the chosen recipes, and any other the state has solutions of. */
  {
    const char * const *chosen = pw_workshop_get_recipes_chosen (self->workshop);
    guint n = g_list_model_get_n_items (model);

    for (guint i = 0; chosen != NULL && chosen[i] != NULL; i++)
      g_ptr_array_add (recipes, g_strdup (recipe_short (chosen[i])));
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(PwWorkshopResource) r = g_list_model_get_item (model, i);
        const char *recipe = recipe_short (pw_workshop_resource_get_recipe (r));
        gboolean known = FALSE;

        if (pw_workshop_resource_get_kind (r) != PW_RESOURCE_SOLUTION || *recipe == '\0')
          continue;
        for (guint j = 0; j < recipes->len; j++)
          known |= g_str_equal (g_ptr_array_index (recipes, j), recipe);
        if (!known)
          g_ptr_array_add (recipes, g_strdup (recipe));
      }
  }

  for (guint i = 0; i < recipes->len; i++, row++)
    {
      const char *recipe = g_ptr_array_index (recipes, i);
      PwWorkshopResource *solution = find_kind (model, PW_RESOURCE_SOLUTION, NULL, recipe, NULL, G_MAXUINT);
      PwWorkshopResource *version = solution ? find_kind (model, PW_RESOURCE_SOLUTION_VERSION, id_of (solution), NULL, NULL, G_MAXUINT) : NULL;

      gtk_grid_attach (self->grid, make_link (), 1, row, 1, 1);
      gtk_grid_attach (self->grid, make_block (self, pw_resource_kind_get_title (PW_RESOURCE_SOLUTION), recipe, solution), 2, row, 1, 1);
      gtk_grid_attach (self->grid, make_link (), 3, row, 1, 1);
      gtk_grid_attach (self->grid, make_block (self, pw_resource_kind_get_title (PW_RESOURCE_SOLUTION_VERSION), recipe, version), 4, row, 1, 1);
      if (recipe_has_campaign (recipe))
        {
          PwWorkshopResource *campaign = find_kind (model, PW_RESOURCE_CAMPAIGN, NULL, recipe, NULL, G_MAXUINT);
          gtk_grid_attach (self->grid, make_link (), 5, row, 1, 1);
          gtk_grid_attach (self->grid, make_block (self, pw_resource_kind_get_title (PW_RESOURCE_CAMPAIGN), recipe, campaign), 6, row, 1, 1);
        }
    }

  gtk_grid_attach (self->grid, make_link (), 1, row, 1, 1);
  gtk_grid_attach (self->grid,
                   make_block (self, pw_resource_kind_get_title (PW_RESOURCE_EVENT_TRACKER), NULL,
                               find_kind (model, PW_RESOURCE_EVENT_TRACKER, NULL, NULL, NULL, G_MAXUINT)),
                   2, row, 1, 1);
  row++;

  /* The dataset group holds everything: a tall block on the left. */
  block = make_block (self, pw_resource_kind_get_title (PW_RESOURCE_DATASET_GROUP), NULL, group);
  gtk_widget_set_valign (block, GTK_ALIGN_FILL);
  gtk_grid_attach (self->grid, block, 0, 0, 1, row);

  {
    /* Translators: the diagram's summary for screen readers */
    g_autofree char *summary = g_strdup_printf (_("%u of the workshop’s resources exist, %u active"),
                                                self->n_filled, self->n_active);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
  }
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  PwStructureDiagram *self = data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Many notifications come at once (a status and its elapsed time): one
 * rebuild per main loop turn. */
static void
queue_rebuild (PwStructureDiagram *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_idle_cb, self);
}

static void
pw_structure_diagram_dispose (GObject *object)
{
  PwStructureDiagram *self = PW_STRUCTURE_DIAGRAM (object);

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_object (&self->workshop);

  G_OBJECT_CLASS (pw_structure_diagram_parent_class)->dispose (object);
}

static void
pw_structure_diagram_finalize (GObject *object)
{
  PwStructureDiagram *self = PW_STRUCTURE_DIAGRAM (object);

  g_string_free (self->description, TRUE);

  G_OBJECT_CLASS (pw_structure_diagram_parent_class)->finalize (object);
}

static void
pw_structure_diagram_class_init (PwStructureDiagramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_structure_diagram_dispose;
  object_class->finalize = pw_structure_diagram_finalize;
}

static void
pw_structure_diagram_init (PwStructureDiagram *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->description = g_string_new (NULL);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->grid, 6);
  gtk_grid_set_row_spacing (self->grid, 8);
  gtk_widget_add_css_class (GTK_WIDGET (self->grid), "pw-diagram");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Structure of the dataset group"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->grid));
  adw_bin_set_child (ADW_BIN (self), scroller);
}

GtkWidget *
pw_structure_diagram_new (PwWorkshop *workshop)
{
  PwStructureDiagram *self = g_object_new (PW_TYPE_STRUCTURE_DIAGRAM, NULL);

  if (workshop != NULL)
    {
      self->workshop = g_object_ref (workshop);
      g_signal_connect_object (pw_workshop_get_resources (workshop), "items-changed",
                               G_CALLBACK (queue_rebuild), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workshop, "resource-changed",
                               G_CALLBACK (queue_rebuild), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workshop, "notify::recipes",
                               G_CALLBACK (queue_rebuild), self, G_CONNECT_SWAPPED);
    }
  rebuild (self);
  return GTK_WIDGET (self);
}

guint
pw_structure_diagram_get_n_filled (PwStructureDiagram *self)
{
  g_return_val_if_fail (PW_IS_STRUCTURE_DIAGRAM (self), 0);

  return self->n_filled;
}

guint
pw_structure_diagram_get_n_active (PwStructureDiagram *self)
{
  g_return_val_if_fail (PW_IS_STRUCTURE_DIAGRAM (self), 0);

  return self->n_active;
}

char *
pw_structure_diagram_describe (PwStructureDiagram *self)
{
  g_return_val_if_fail (PW_IS_STRUCTURE_DIAGRAM (self), NULL);

  return g_strdup (self->description->str);
}
