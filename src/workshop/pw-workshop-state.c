/* pw-workshop-state.c: the state file and the step states: writing and
 * reading the state file (atomically; checksums of the prepared data), and
 * computing each step's state from the recorded resources
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
 * The state file
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_save_state (PwWorkshop  *self,
                        GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  guint n;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, PW_WORKSHOP_STATE_VERSION);
  json_builder_set_member_name (builder, "suffix");
  json_builder_add_string_value (builder, self->suffix);
  json_builder_set_member_name (builder, "backend");
  json_builder_add_string_value (builder, pw_workshop_backend_to_string (self->backend));
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, self->region);
  if (self->output_dir != NULL)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "output_dir");
      json_builder_add_string_value (builder, self->output_dir);
      if (self->data_source != NULL)
        {
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, self->data_source);
        }
      json_builder_set_member_name (builder, "interactions_sha256");
      json_builder_add_string_value (builder, self->interactions_sha256);
      json_builder_set_member_name (builder, "items_sha256");
      json_builder_add_string_value (builder, self->items_sha256);
      json_builder_set_member_name (builder, "invalid");
      json_builder_add_boolean_value (builder, self->data_invalid);
      json_builder_set_member_name (builder, "checksums");
      json_builder_begin_object (builder);
      {
        GHashTableIter iter;
        gpointer key, value;

        g_hash_table_iter_init (&iter, self->data_checksums);
        while (g_hash_table_iter_next (&iter, &key, &value))
          {
            json_builder_set_member_name (builder, key);
            json_builder_add_string_value (builder, value);
          }
      }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "recipes");
  json_builder_begin_array (builder);
  for (guint i = 0; self->recipes[i] != NULL; i++)
    json_builder_add_string_value (builder, self->recipes[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "exploration_weight");
  json_builder_add_double_value (builder, self->exploration_weight);
  json_builder_set_member_name (builder, "generations");
  json_builder_begin_object (builder);
  for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
    {
      json_builder_set_member_name (builder, pw_workshop_step_to_string (i));
      json_builder_add_int_value (builder, self->generation[i]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "metrics");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->metrics));
  json_builder_set_member_name (builder, "metric_order");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->metric_order->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->metric_order, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->results));
  json_builder_set_member_name (builder, "resources");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (G_LIST_MODEL (self->resources), i);
      JsonObject *object = pw_workshop_resource_to_json (r);

      json_object_set_int_member (object, "generation", pw_workshop_resource_get_generation (r));
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), object));
      json_object_unref (object);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  dir = g_path_get_dirname (self->state_file);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("Cannot create the folder of the workshop state %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents_full (self->state_file, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("Cannot write the workshop state %s: %s"), self->state_file, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
state_error (GError     **error,
             const char  *path,
             const char  *what)
{
  g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
               _("The workshop state %s is damaged: %s. Move it away to start afresh."), path, what);
  return FALSE;
}

const char *
pw_workshop_json_get_string (JsonObject *object,
                             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
pw_workshop_json_get_object (JsonObject *object,
                             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

char *
pw_workshop_file_sha256 (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guchar buffer[65536];
  gssize n;

  if (in == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL, NULL)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

char *
pw_workshop_data_file (const char *dir,
                       gboolean    items)
{
  return g_build_filename (dir, items ? "training_item.csv" : "training_interaction.csv", NULL);
}

static gboolean
check_data_files (PwWorkshop *self)
{
  g_autofree char *a = NULL, *b = NULL, *sa = NULL, *sb = NULL;

  if (self->output_dir == NULL)
    return FALSE;
  a = pw_workshop_data_file (self->output_dir, FALSE);
  b = pw_workshop_data_file (self->output_dir, TRUE);
  sa = pw_workshop_file_sha256 (a);
  sb = pw_workshop_file_sha256 (b);
  return sa != NULL && sb != NULL &&
         g_strcmp0 (sa, self->interactions_sha256) == 0 &&
         g_strcmp0 (sb, self->items_sha256) == 0;
}

gboolean
pw_workshop_load_state (PwWorkshop  *self,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object, *data, *generations;
  JsonArray *array;
  const char *s;

  if (!g_file_test (self->state_file, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!json_parser_load_from_mapped_file (parser, self->state_file, &local_error))
    return state_error (error, self->state_file, local_error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return state_error (error, self->state_file, _("not a JSON object"));
  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", 0) != PW_WORKSHOP_STATE_VERSION)
    return state_error (error, self->state_file, _("unknown version"));

  if ((s = pw_workshop_json_get_string (object, "suffix")) == NULL || strlen (s) > 32)
    return state_error (error, self->state_file, _("no name suffix"));
  g_free (self->suffix);
  self->suffix = g_strdup (s);
  if (!pw_workshop_backend_from_string (pw_workshop_json_get_string (object, "backend"), &self->backend))
    return state_error (error, self->state_file, _("unknown back end"));
  if ((s = pw_workshop_json_get_string (object, "region")) == NULL)
    return state_error (error, self->state_file, _("no region"));
  g_free (self->region);
  self->region = g_strdup (s);

  data = json_object_get_member (object, "data") != NULL &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data"))
         ? json_object_get_object_member (object, "data") : NULL;
  if (data != NULL)
    {
      self->output_dir = g_strdup (pw_workshop_json_get_string (data, "output_dir"));
      self->data_source = g_strdup (pw_workshop_json_get_string (data, "source"));
      self->interactions_sha256 = g_strdup (pw_workshop_json_get_string (data, "interactions_sha256"));
      self->items_sha256 = g_strdup (pw_workshop_json_get_string (data, "items_sha256"));
      self->data_invalid = json_object_get_boolean_member_with_default (data, "invalid", FALSE);
      if (json_object_get_member (data, "checksums") != NULL &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "checksums")))
        {
          JsonObject *sums = json_object_get_object_member (data, "checksums");
          g_autoptr(GList) names = json_object_get_members (sums);

          for (GList *l = names; l != NULL; l = l->next)
            if (pw_workshop_json_get_string (sums, l->data) != NULL && !strchr (l->data, '/'))
              g_hash_table_insert (self->data_checksums, g_strdup (l->data),
                                   g_strdup (pw_workshop_json_get_string (sums, l->data)));
        }
      self->data_files_ok = !self->data_invalid && check_data_files (self);
    }

  if (json_object_has_member (object, "recipes") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "recipes")))
    {
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

      array = json_object_get_array_member (object, "recipes");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
              pw_workshop_lookup_recipe (json_node_get_string (node)) == NULL)
            return state_error (error, self->state_file, _("unknown recipe"));
          g_strv_builder_add (b, json_node_get_string (node));
        }
      g_strfreev (self->recipes);
      self->recipes = g_strv_builder_end (b);
    }
  self->exploration_weight = json_object_get_double_member_with_default (object, "exploration_weight",
                                                                         PW_WORKSHOP_DEFAULT_EXPLORATION_WEIGHT);
  self->exploration_weight = CLAMP (self->exploration_weight, 0, 1);

  if (json_object_has_member (object, "generations") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "generations")))
    {
      generations = json_object_get_object_member (object, "generations");
      for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
        {
          gint64 g = json_object_get_int_member_with_default (generations, pw_workshop_step_to_string (i), 0);
          self->generation[i] = (guint) CLAMP (g, 0, G_MAXINT);
        }
    }

  if (json_object_has_member (object, "metrics") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "metrics")))
    {
      json_object_unref (self->metrics);
      self->metrics = json_object_ref (json_object_get_object_member (object, "metrics"));
    }
  if (json_object_has_member (object, "results") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "results")))
    {
      json_object_unref (self->results);
      self->results = json_object_ref (json_object_get_object_member (object, "results"));
    }
  if (json_object_has_member (object, "metric_order") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "metric_order")))
    {
      array = json_object_get_array_member (object, "metric_order");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
              json_object_has_member (self->metrics, json_node_get_string (node)))
            g_ptr_array_add (self->metric_order, g_strdup (json_node_get_string (node)));
        }
    }

  if (!json_object_has_member (object, "resources") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "resources")))
    return state_error (error, self->state_file, _("no resource list"));
  array = json_object_get_array_member (object, "resources");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(PwWorkshopResource) r = NULL;
      gint64 g;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return state_error (error, self->state_file, _("a resource is not an object"));
      if ((r = pw_workshop_resource_from_json (json_node_get_object (node), &local_error)) == NULL)
        return state_error (error, self->state_file, local_error->message);
      g = json_object_get_int_member_with_default (json_node_get_object (node), "generation", 0);
      pw_workshop_resource_set_generation (r, (guint) CLAMP (g, 0, G_MAXINT));
      g_list_store_append (self->resources, r);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------
 * Step states
 * --------------------------------------------------------------------- */

PwWorkshopResource *
pw_workshop_resources_find (GListModel     *resources,
                            PwResourceKind  kind,
                            const char     *detail,
                            const char     *recipe,
                            const char     *parent,
                            gint            generation)
{
  guint n = g_list_model_get_n_items (resources);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (resources, i - 1);

      if (pw_workshop_resource_get_kind (r) != kind ||
          pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_DELETED)
        continue;
      if (detail != NULL && g_strcmp0 (pw_workshop_resource_get_detail (r), detail) != 0)
        continue;
      if (recipe != NULL && g_strcmp0 (pw_workshop_resource_get_recipe (r), recipe) != 0)
        continue;
      if (parent != NULL && g_strcmp0 (pw_workshop_resource_get_parent_arn (r), parent) != 0)
        continue;
      if (generation >= 0 && pw_workshop_resource_get_generation (r) != (guint) generation)
        continue;
      return r; /* the store keeps it */
    }
  return NULL;
}

static PwWorkshopResource *
find_current (PwWorkshop     *self,
              PwResourceKind  kind,
              const char     *detail,
              const char     *recipe,
              const char     *parent)
{
  return pw_workshop_resources_find (G_LIST_MODEL (self->resources), kind, detail, recipe, parent, -1);
}

static gboolean
is_active (PwWorkshopResource *r,
           gint                generation)
{
  if (r == NULL || pw_workshop_resource_get_status (r) != PW_RESOURCE_STATUS_ACTIVE)
    return FALSE;
  return generation < 0 || pw_workshop_resource_get_generation (r) == (guint) generation;
}

static gboolean
dataset_group_complete (PwWorkshop *self)
{
  gint g = self->generation[PW_WORKSHOP_STEP_DATASET_GROUP];
  PwWorkshopResource *dsg = find_current (self, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL);
  const char *parts[] = { "INTERACTIONS", "ITEMS" };

  if (!is_active (find_current (self, PW_RESOURCE_BUCKET, NULL, NULL, NULL), -1) || !is_active (dsg, -1))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      PwWorkshopResource *ds = find_current (self, PW_RESOURCE_DATASET, parts[i], NULL,
                                             pw_workshop_resource_get_arn (dsg));

      if (!is_active (find_current (self, PW_RESOURCE_OBJECT, parts[i], NULL, NULL), g) ||
          !is_active (find_current (self, PW_RESOURCE_SCHEMA, parts[i], NULL, NULL), -1) ||
          !is_active (ds, -1) ||
          !is_active (find_current (self, PW_RESOURCE_IMPORT_JOB, parts[i], NULL,
                                    pw_workshop_resource_get_arn (ds)), g))
        return FALSE;
    }
  if (self->backend == PW_WORKSHOP_BACKEND_AWS)
    {
      PwWorkshopResource *role = find_current (self, PW_RESOURCE_ROLE, NULL, NULL, NULL);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
      guint attached = 0;

      if (!is_active (role, -1) ||
          !is_active (find_current (self, PW_RESOURCE_BUCKET_POLICY, NULL, NULL, NULL), -1))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PwWorkshopResource) r = g_list_model_get_item (G_LIST_MODEL (self->resources), i);

          if (pw_workshop_resource_get_kind (r) == PW_RESOURCE_ROLE_POLICY_ATTACHMENT &&
              g_strcmp0 (pw_workshop_resource_get_parent_arn (r), pw_workshop_resource_get_arn (role)) == 0 &&
              is_active (r, -1))
            attached++;
        }
      if (attached < 2)
        return FALSE;
    }
  return TRUE;
}

/* The ACTIVE version of this generation for @recipe, or NULL. */
static PwWorkshopResource *
current_version (PwWorkshop *self,
                 const char *recipe)
{
  const PwRecipeInfo *info = pw_workshop_lookup_recipe (recipe);
  PwWorkshopResource *dsg = find_current (self, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL);
  PwWorkshopResource *solution, *version;

  if (info == NULL || dsg == NULL)
    return NULL;
  solution = find_current (self, PW_RESOURCE_SOLUTION, NULL, info->arn, pw_workshop_resource_get_arn (dsg));
  if (!is_active (solution, -1))
    return NULL;
  version = find_current (self, PW_RESOURCE_SOLUTION_VERSION, NULL, NULL, pw_workshop_resource_get_arn (solution));
  if (!is_active (version, self->generation[PW_WORKSHOP_STEP_TRAINING]))
    return NULL;
  return version;
}

static gboolean
training_complete (PwWorkshop *self)
{
  if (self->recipes[0] == NULL)
    return FALSE;
  for (guint i = 0; self->recipes[i] != NULL; i++)
    {
      PwWorkshopResource *version = current_version (self, self->recipes[i]);
      JsonObject *m;

      if (version == NULL || !json_object_has_member (self->metrics, self->recipes[i]))
        return FALSE;
      m = json_object_get_object_member (self->metrics, self->recipes[i]);
      if (m == NULL ||
          g_strcmp0 (pw_workshop_json_get_string (m, "version_arn"), pw_workshop_resource_get_arn (version)) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
campaigns_complete (PwWorkshop *self)
{
  const char *campaign_recipes[] = { "aws-user-personalization", "aws-similar-items" };

  for (guint i = 0; i < G_N_ELEMENTS (campaign_recipes); i++)
    {
      PwWorkshopResource *version = current_version (self, campaign_recipes[i]);
      PwWorkshopResource *campaign;

      if (version == NULL)
        return FALSE;
      campaign = find_current (self, PW_RESOURCE_CAMPAIGN, NULL, NULL, pw_workshop_resource_get_arn (version));
      if (!is_active (campaign, self->generation[PW_WORKSHOP_STEP_CAMPAIGNS]))
        return FALSE;
    }
  return TRUE;
}

gboolean
pw_workshop_cleanup_complete (PwWorkshop *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));

  return n > 0 && pw_workshop_count_live (self) == 0;
}

PwWorkshopStepState
pw_workshop_compute_step_state (PwWorkshop     *self,
                                PwWorkshopStep  step)
{
  gboolean complete = FALSE;

  if (!pw_workshop_step_is_built (step))
    return PW_WORKSHOP_STEP_STATE_NOT_BUILT;
  if (self->busy && self->running_step == step)
    return PW_WORKSHOP_STEP_STATE_RUNNING;

  switch (step)
    {
    case PW_WORKSHOP_STEP_BACKEND:
      complete = self->backend_ok;
      break;
    case PW_WORKSHOP_STEP_DATA:
      complete = self->prepared != NULL || self->data_files_ok;
      break;
    case PW_WORKSHOP_STEP_DATASET_GROUP:
      complete = dataset_group_complete (self);
      break;
    case PW_WORKSHOP_STEP_TRAINING:
      complete = dataset_group_complete (self) && training_complete (self);
      break;
    case PW_WORKSHOP_STEP_CAMPAIGNS:
      complete = dataset_group_complete (self) && campaigns_complete (self);
      break;
    case PW_WORKSHOP_STEP_CLEANUP:
      complete = pw_workshop_cleanup_complete (self);
      break;
    case PW_WORKSHOP_STEP_LIVE_EVENTS:
    case PW_WORKSHOP_STEP_BATCH:
    case PW_WORKSHOP_STEP_ANALYSIS:
      complete = dataset_group_complete (self) && campaigns_complete (self) &&
                 pw_workshop_results_step_complete (self, step);
      break;
    case PW_WORKSHOP_N_STEPS:
    default:
      g_assert_not_reached ();
    }
  return complete ? PW_WORKSHOP_STEP_STATE_COMPLETE : PW_WORKSHOP_STEP_STATE_INCOMPLETE;
}

void
pw_workshop_refresh_step_states (PwWorkshop *self)
{
  for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
    {
      PwWorkshopStepState state = pw_workshop_compute_step_state (self, i);

      if (state != self->step_states[i])
        {
          self->step_states[i] = state;
          pw_workshop_emit_step_state_changed (self, (PwWorkshopStep) i);
        }
    }
}

PwWorkshopStepState
pw_workshop_get_step_state (PwWorkshop     *self,
                            PwWorkshopStep  step)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_return_val_if_fail (step < PW_WORKSHOP_N_STEPS, PW_WORKSHOP_STEP_STATE_NOT_BUILT);

  return self->step_states[step];
}

void
pw_workshop_invalidate_from (PwWorkshop     *self,
                             PwWorkshopStep  step)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));
  g_return_if_fail (step < PW_WORKSHOP_N_STEPS);

  if (step <= PW_WORKSHOP_STEP_BACKEND)
    self->backend_ok = FALSE;
  /* The data no longer holds until pw_workshop_set_prepared(); its
   * checksums stay, so that the same data again outdates nothing. */
  if (step <= PW_WORKSHOP_STEP_DATA)
    {
      if (self->prepared != NULL)
        {
          g_clear_pointer (&self->prepared, pw_prepare_result_unref);
          pw_workshop_notify (self, PW_WORKSHOP_PROP_PREPARED);
        }
      self->data_files_ok = FALSE;
      self->data_invalid = TRUE;
    }
  /* Nothing live: nothing to outdate (a fresh workshop keeps generation 0). */
  if (pw_workshop_count_live (self) > 0)
    for (guint i = MAX (step, PW_WORKSHOP_STEP_DATASET_GROUP); i < PW_WORKSHOP_STEP_CLEANUP; i++)
      self->generation[i]++;
  if (!pw_workshop_save_state (self, &error))
    g_warning ("%s", error->message);
  pw_workshop_refresh_step_states (self);
}

PwWorkshopResource *
pw_workshop_find_current (PwWorkshop     *self,
                          PwResourceKind  kind,
                          const char     *detail,
                          const char     *recipe,
                          const char     *parent)
{
  return find_current (self, kind, detail, recipe, parent);
}

gboolean
pw_workshop_resource_is_active (PwWorkshopResource *r,
                                gint                generation)
{
  return is_active (r, generation);
}

PwWorkshopResource *
pw_workshop_current_version (PwWorkshop *self,
                             const char *recipe)
{
  return current_version (self, recipe);
}
