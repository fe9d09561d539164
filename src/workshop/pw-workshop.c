/* pw-workshop.c: the wizard's driver: back end, client, embedded server,
 * prepared data, state file, resources, and the glue between the worker
 * that runs a step and the main context that owns everything
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

#define STATE_VERSION 1
#define DEFAULT_EXPLORATION_WEIGHT 0.3

struct _PwWorkshop
{
  GObject            parent_instance;

  char              *state_file;
  char              *local_data_dir;
  guint              local_step_ms;
  GMainContext      *context;

  PwWorkshopBackend  backend;
  char              *region;
  PwAwsConfig       *aws_config;
  PwAwsClient       *client;
  PwLocalServer     *server;
  char              *local_keys_dir;
  GPtrArray         *starting;      /* GTasks waiting for the server's start */
  gboolean           backend_ok;

  PwPrepareResult   *prepared;
  char              *output_dir;
  char              *data_source;
  char              *interactions_sha256;
  char              *items_sha256;
  GHashTable        *data_checksums; /* the other prepared files: name → sha256 */
  char              *default_output_dir;
  gboolean           data_files_ok;
  gboolean           data_invalid;

  char              *suffix;
  guint              generation[PW_WORKSHOP_N_STEPS];
  GListStore        *resources;
  JsonObject        *metrics;       /* recipe → { version_arn, values {} } */
  GPtrArray         *metric_order;  /* recipe names in training order */

  char             **recipes;
  double             exploration_weight;
  JsonObject        *results;       /* the results steps' records */

  GCancellable      *cancellable;
  gboolean           busy;
  PwWorkshopStep     running_step;
  double             progress_fraction;
  char              *progress_message;

  PwWorkshopStepState step_states[PW_WORKSHOP_N_STEPS];
  gboolean           shut_down;
};

static void pw_workshop_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PwWorkshop, pw_workshop, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, pw_workshop_initable_iface_init))

enum {
  PROP_0,
  PROP_STATE_FILE,
  PROP_LOCAL_DATA_DIR,
  PROP_LOCAL_STEP_MS,
  PROP_BACKEND,
  PROP_REGION,
  PROP_CLIENT,
  PROP_BUSY,
  PROP_RUNNING_STEP,
  PROP_PROGRESS_FRACTION,
  PROP_PROGRESS_MESSAGE,
  PROP_RECIPES,
  PROP_EXPLORATION_WEIGHT,
  PROP_PREPARED,
  N_PROPS
};

enum {
  STEP_STATE_CHANGED,
  RESOURCE_ADDED,
  RESOURCE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------
 * Static data
 * --------------------------------------------------------------------- */

static const PwRecipeInfo recipes_info[] = {
  { "aws-user-personalization", "arn:aws:personalize:::recipe/aws-user-personalization", TRUE, FALSE },
  { "aws-popularity-count", "arn:aws:personalize:::recipe/aws-popularity-count", TRUE, FALSE },
  { "aws-similar-items", "arn:aws:personalize:::recipe/aws-similar-items", TRUE, FALSE },
  { "aws-personalized-ranking", "arn:aws:personalize:::recipe/aws-personalized-ranking", TRUE, FALSE },
  { "aws-sims", "arn:aws:personalize:::recipe/aws-sims", FALSE, FALSE },
  { "aws-hrnn", "arn:aws:personalize:::recipe/aws-hrnn", FALSE, TRUE },
  { "aws-hrnn-metadata", "arn:aws:personalize:::recipe/aws-hrnn-metadata", FALSE, TRUE },
  { "aws-hrnn-coldstart", "arn:aws:personalize:::recipe/aws-hrnn-coldstart", FALSE, TRUE },
};

const PwRecipeInfo *
pw_workshop_get_recipes (guint *n_recipes)
{
  if (n_recipes != NULL)
    *n_recipes = G_N_ELEMENTS (recipes_info);
  return recipes_info;
}

static const PwRecipeInfo *
lookup_recipe (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (recipes_info); i++)
    if (g_strcmp0 (recipes_info[i].name, name) == 0)
      return &recipes_info[i];
  return NULL;
}

static const char * const metric_names[] = {
  "coverage",
  "mean_reciprocal_rank_at_25",
  "normalized_discounted_cumulative_gain_at_5",
  "normalized_discounted_cumulative_gain_at_10",
  "normalized_discounted_cumulative_gain_at_25",
  "precision_at_5",
  "precision_at_10",
  "precision_at_25",
  NULL,
};

const char * const *
pw_workshop_get_metric_names (guint *n_names)
{
  if (n_names != NULL)
    *n_names = G_N_ELEMENTS (metric_names) - 1;
  return metric_names;
}

/* docs/workshop.md's table, in the order of metric_names[]. */
static const struct
{
  const char *recipe;
  double values[G_N_ELEMENTS (metric_names) - 1];
} published_metrics[] = {
  { "aws-popularity-count", { 0.0136, 0.0449, 0.0346, 0.0560, 0.0914, 0.0155, 0.0158, 0.0142 } },
  { "aws-user-personalization", { 0.2838, 0.2629, 0.2083, 0.2748, 0.3549, 0.1104, 0.0944, 0.0660 } },
  { "aws-similar-items", { 0.2552, 0.1873, 0.1509, 0.1976, 0.2630, 0.0690, 0.0588, 0.0425 } },
  { "aws-personalized-ranking", { 0.2865, 0.2652, 0.2027, 0.2625, 0.3474, 0.1078, 0.0907, 0.0656 } },
};

gboolean
pw_workshop_get_published_metric (const char *recipe,
                                  const char *metric,
                                  double     *value)
{
  g_return_val_if_fail (recipe != NULL, FALSE);
  g_return_val_if_fail (metric != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  for (guint r = 0; r < G_N_ELEMENTS (published_metrics); r++)
    if (g_str_equal (published_metrics[r].recipe, recipe))
      for (guint m = 0; metric_names[m] != NULL; m++)
        if (g_str_equal (metric_names[m], metric))
          {
            *value = published_metrics[r].values[m];
            return TRUE;
          }
  return FALSE;
}

char *
pw_workshop_get_default_state_file (void)
{
  return g_build_filename (g_get_user_data_dir (), "personalize-workshop", "workshop.json", NULL);
}

static char *
default_local_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "personalize-workshop", "local", NULL);
}

/* 12 lowercase hex digits: S3 bucket names must be lowercase. */
static char *
random_suffix (void)
{
  return g_strdup_printf ("%06x%06x", g_random_int_range (0, 0x1000000), g_random_int_range (0, 0x1000000));
}

/* ---------------------------------------------------------------------
 * The state file
 * --------------------------------------------------------------------- */

static gboolean
save_state (PwWorkshop  *self,
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
  json_builder_add_int_value (builder, STATE_VERSION);
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

static const char *
opt_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
file_sha256 (const char *path)
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

static char *
data_file (const char *dir,
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
  a = data_file (self->output_dir, FALSE);
  b = data_file (self->output_dir, TRUE);
  sa = file_sha256 (a);
  sb = file_sha256 (b);
  return sa != NULL && sb != NULL &&
         g_strcmp0 (sa, self->interactions_sha256) == 0 &&
         g_strcmp0 (sb, self->items_sha256) == 0;
}

static gboolean
load_state (PwWorkshop  *self,
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
  if (json_object_get_int_member_with_default (object, "version", 0) != STATE_VERSION)
    return state_error (error, self->state_file, _("unknown version"));

  if ((s = opt_string (object, "suffix")) == NULL || strlen (s) > 32)
    return state_error (error, self->state_file, _("no name suffix"));
  g_free (self->suffix);
  self->suffix = g_strdup (s);
  if (!pw_workshop_backend_from_string (opt_string (object, "backend"), &self->backend))
    return state_error (error, self->state_file, _("unknown back end"));
  if ((s = opt_string (object, "region")) == NULL)
    return state_error (error, self->state_file, _("no region"));
  g_free (self->region);
  self->region = g_strdup (s);

  data = json_object_get_member (object, "data") != NULL &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data"))
         ? json_object_get_object_member (object, "data") : NULL;
  if (data != NULL)
    {
      self->output_dir = g_strdup (opt_string (data, "output_dir"));
      self->data_source = g_strdup (opt_string (data, "source"));
      self->interactions_sha256 = g_strdup (opt_string (data, "interactions_sha256"));
      self->items_sha256 = g_strdup (opt_string (data, "items_sha256"));
      self->data_invalid = json_object_get_boolean_member_with_default (data, "invalid", FALSE);
      if (json_object_get_member (data, "checksums") != NULL &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "checksums")))
        {
          JsonObject *sums = json_object_get_object_member (data, "checksums");
          g_autoptr(GList) names = json_object_get_members (sums);

          for (GList *l = names; l != NULL; l = l->next)
            if (opt_string (sums, l->data) != NULL && !strchr (l->data, '/'))
              g_hash_table_insert (self->data_checksums, g_strdup (l->data),
                                   g_strdup (opt_string (sums, l->data)));
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
              lookup_recipe (json_node_get_string (node)) == NULL)
            return state_error (error, self->state_file, _("unknown recipe"));
          g_strv_builder_add (b, json_node_get_string (node));
        }
      g_strfreev (self->recipes);
      self->recipes = g_strv_builder_end (b);
    }
  self->exploration_weight = CLAMP (json_object_get_double_member_with_default (object, "exploration_weight",
                                                                                 DEFAULT_EXPLORATION_WEIGHT), 0, 1);

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

static PwWorkshopResource *
find_current (PwWorkshop     *self,
              PwResourceKind  kind,
              const char     *detail,
              const char     *recipe,
              const char     *parent)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));

  for (guint i = n; i > 0; i--)
    {
      PwWorkshopResource *r = g_list_model_get_item (G_LIST_MODEL (self->resources), i - 1);

      g_object_unref (r); /* the store keeps it */
      if (pw_workshop_resource_get_kind (r) != kind ||
          pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_DELETED)
        continue;
      if (detail != NULL && g_strcmp0 (pw_workshop_resource_get_detail (r), detail) != 0)
        continue;
      if (recipe != NULL && g_strcmp0 (pw_workshop_resource_get_recipe (r), recipe) != 0)
        continue;
      if (parent != NULL && g_strcmp0 (pw_workshop_resource_get_parent_arn (r), parent) != 0)
        continue;
      return r;
    }
  return NULL;
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
  const PwRecipeInfo *info = lookup_recipe (recipe);
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
      if (m == NULL || g_strcmp0 (opt_string (m, "version_arn"), pw_workshop_resource_get_arn (version)) != 0)
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

static gboolean
cleanup_complete (PwWorkshop *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));

  return n > 0 && pw_workshop_count_live (self) == 0;
}

static PwWorkshopStepState
compute_step_state (PwWorkshop     *self,
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
      complete = cleanup_complete (self);
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

static void
update_step_states (PwWorkshop *self)
{
  for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
    {
      PwWorkshopStepState state = compute_step_state (self, i);

      if (state != self->step_states[i])
        {
          self->step_states[i] = state;
          g_signal_emit (self, signals[STEP_STATE_CHANGED], 0, (PwWorkshopStep) i);
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
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREPARED]);
        }
      self->data_files_ok = FALSE;
      self->data_invalid = TRUE;
    }
  /* Nothing live: nothing to outdate (a fresh workshop keeps generation 0). */
  if (pw_workshop_count_live (self) > 0)
    for (guint i = MAX (step, PW_WORKSHOP_STEP_DATASET_GROUP); i < PW_WORKSHOP_STEP_CLEANUP; i++)
      self->generation[i]++;
  if (!save_state (self, &error))
    g_warning ("%s", error->message);
  update_step_states (self);
}

/* ---------------------------------------------------------------------
 * GObject
 * --------------------------------------------------------------------- */

static void
stop_server (PwWorkshop *self)
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

static void
pw_workshop_dispose (GObject *object)
{
  PwWorkshop *self = PW_WORKSHOP (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  stop_server (self);
  g_clear_pointer (&self->prepared, pw_prepare_result_unref);

  G_OBJECT_CLASS (pw_workshop_parent_class)->dispose (object);
}

static void
pw_workshop_finalize (GObject *object)
{
  PwWorkshop *self = PW_WORKSHOP (object);

  g_free (self->state_file);
  g_free (self->local_data_dir);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->region);
  g_clear_pointer (&self->aws_config, pw_aws_config_free);
  g_free (self->output_dir);
  g_free (self->data_source);
  g_free (self->interactions_sha256);
  g_free (self->items_sha256);
  g_clear_pointer (&self->data_checksums, g_hash_table_unref);
  g_free (self->default_output_dir);
  g_free (self->suffix);
  g_clear_object (&self->resources);
  g_clear_pointer (&self->metrics, json_object_unref);
  g_clear_pointer (&self->results, json_object_unref);
  g_clear_pointer (&self->metric_order, g_ptr_array_unref);
  g_strfreev (self->recipes);
  g_clear_object (&self->cancellable);
  g_free (self->progress_message);

  G_OBJECT_CLASS (pw_workshop_parent_class)->finalize (object);
}

static void
pw_workshop_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PwWorkshop *self = PW_WORKSHOP (object);

  switch (prop_id)
    {
    case PROP_STATE_FILE: g_value_set_string (value, self->state_file); break;
    case PROP_LOCAL_DATA_DIR: g_value_set_string (value, self->local_data_dir); break;
    case PROP_LOCAL_STEP_MS: g_value_set_uint (value, self->local_step_ms); break;
    case PROP_BACKEND: g_value_set_enum (value, self->backend); break;
    case PROP_REGION: g_value_set_string (value, self->region); break;
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_RUNNING_STEP: g_value_set_enum (value, self->running_step); break;
    case PROP_PROGRESS_FRACTION: g_value_set_double (value, self->progress_fraction); break;
    case PROP_PROGRESS_MESSAGE: g_value_set_string (value, self->progress_message); break;
    case PROP_RECIPES: g_value_set_boxed (value, self->recipes); break;
    case PROP_EXPLORATION_WEIGHT: g_value_set_double (value, self->exploration_weight); break;
    case PROP_PREPARED: g_value_set_boxed (value, self->prepared); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_workshop_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PwWorkshop *self = PW_WORKSHOP (object);

  switch (prop_id)
    {
    case PROP_STATE_FILE:
      self->state_file = g_value_dup_string (value);
      break;
    case PROP_LOCAL_DATA_DIR:
      self->local_data_dir = g_value_dup_string (value);
      break;
    case PROP_LOCAL_STEP_MS:
      self->local_step_ms = g_value_get_uint (value);
      break;
    case PROP_RECIPES:
      {
        g_autoptr(GError) error = NULL;

        if (!pw_workshop_set_recipes_chosen (self, g_value_get_boxed (value), &error))
          g_warning ("%s", error->message);
      }
      break;
    case PROP_EXPLORATION_WEIGHT:
      pw_workshop_set_exploration_weight (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_workshop_class_init (PwWorkshopClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pw_workshop_dispose;
  object_class->finalize = pw_workshop_finalize;
  object_class->get_property = pw_workshop_get_property;
  object_class->set_property = pw_workshop_set_property;

  properties[PROP_STATE_FILE] = g_param_spec_string ("state-file", NULL, NULL, NULL, co);
  properties[PROP_LOCAL_DATA_DIR] = g_param_spec_string ("local-data-dir", NULL, NULL, NULL, co);
  properties[PROP_LOCAL_STEP_MS] = g_param_spec_uint ("local-step-ms", NULL, NULL, 0, 60000, 0, co);
  properties[PROP_BACKEND] = g_param_spec_enum ("backend", NULL, NULL, PW_TYPE_WORKSHOP_BACKEND,
                                                PW_WORKSHOP_BACKEND_LOCAL, ro);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, ro);
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, PW_TYPE_AWS_CLIENT, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_RUNNING_STEP] = g_param_spec_enum ("running-step", NULL, NULL, PW_TYPE_WORKSHOP_STEP,
                                                     PW_WORKSHOP_STEP_BACKEND, ro);
  properties[PROP_PROGRESS_FRACTION] = g_param_spec_double ("progress-fraction", NULL, NULL, -1, 1, 0, ro);
  properties[PROP_PROGRESS_MESSAGE] = g_param_spec_string ("progress-message", NULL, NULL, NULL, ro);
  properties[PROP_RECIPES] = g_param_spec_boxed ("recipes", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_EXPLORATION_WEIGHT] = g_param_spec_double ("exploration-weight", NULL, NULL, 0, 1,
                                                             DEFAULT_EXPLORATION_WEIGHT, rw);
  properties[PROP_PREPARED] = g_param_spec_boxed ("prepared", NULL, NULL, PW_TYPE_PREPARE_RESULT, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STEP_STATE_CHANGED] =
    g_signal_new ("step-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PW_TYPE_WORKSHOP_STEP);
  signals[RESOURCE_ADDED] =
    g_signal_new ("resource-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PW_TYPE_WORKSHOP_RESOURCE);
  signals[RESOURCE_CHANGED] =
    g_signal_new ("resource-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PW_TYPE_WORKSHOP_RESOURCE);
}

static void
pw_workshop_init (PwWorkshop *self)
{
  static const char * const preselected[] = {
    "aws-user-personalization", "aws-popularity-count", "aws-similar-items", "aws-personalized-ranking", NULL,
  };

  self->context = g_main_context_ref_thread_default ();
  self->backend = PW_WORKSHOP_BACKEND_LOCAL;
  self->region = g_strdup ("us-east-1");
  self->suffix = random_suffix ();
  self->resources = g_list_store_new (PW_TYPE_WORKSHOP_RESOURCE);
  self->metrics = json_object_new ();
  self->results = json_object_new ();
  self->metric_order = g_ptr_array_new_with_free_func (g_free);
  self->recipes = g_strdupv ((char **) preselected);
  self->exploration_weight = DEFAULT_EXPLORATION_WEIGHT;
  self->cancellable = g_cancellable_new ();
  self->progress_fraction = 0;
  self->data_checksums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->default_output_dir = g_build_filename (g_get_user_data_dir (), "personalize-workshop", "data", NULL);
}

static gboolean
pw_workshop_initable_init (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  PwWorkshop *self = PW_WORKSHOP (initable);

  if (self->state_file == NULL)
    self->state_file = pw_workshop_get_default_state_file ();
  if (self->local_data_dir == NULL)
    self->local_data_dir = default_local_data_dir ();
  if (!load_state (self, error))
    return FALSE;
  for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
    self->step_states[i] = compute_step_state (self, i);
  return TRUE;
}

static void
pw_workshop_initable_iface_init (GInitableIface *iface)
{
  iface->init = pw_workshop_initable_init;
}

PwWorkshop *
pw_workshop_new (const char  *state_file,
                 GError     **error)
{
  return g_initable_new (PW_TYPE_WORKSHOP, NULL, error, "state-file", state_file, NULL);
}

/* ---------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

PwWorkshopBackend
pw_workshop_get_backend (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), PW_WORKSHOP_BACKEND_LOCAL);
  return self->backend;
}

const char *
pw_workshop_get_region (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->region;
}

PwAwsClient *
pw_workshop_get_client (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->client;
}

const char *
pw_workshop_get_local_url (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->server != NULL ? pw_local_server_get_url (self->server) : NULL;
}

GCancellable *
pw_workshop_get_cancellable (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->cancellable;
}

const char *
pw_workshop_get_state_file (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->state_file;
}

gboolean
pw_workshop_get_busy (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  return self->busy;
}

PwWorkshopStep
pw_workshop_get_running_step (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), PW_WORKSHOP_STEP_BACKEND);
  return self->running_step;
}

double
pw_workshop_get_progress_fraction (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), 0);
  return self->progress_fraction;
}

const char *
pw_workshop_get_progress_message (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->progress_message;
}

void
pw_workshop_shutdown (PwWorkshop *self)
{
  g_return_if_fail (PW_IS_WORKSHOP (self));

  g_cancellable_cancel (self->cancellable);
  self->shut_down = TRUE;
  if (!self->busy)
    stop_server (self);
}

GListModel *
pw_workshop_get_resources (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return G_LIST_MODEL (self->resources);
}

PwWorkshopResource *
pw_workshop_find_resource (PwWorkshop *self,
                           const char *id)
{
  guint n;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (G_LIST_MODEL (self->resources), i);

      if (g_strcmp0 (pw_workshop_resource_get_id (r), id) == 0)
        return r;
    }
  return NULL;
}

guint
pw_workshop_count_live (PwWorkshop *self)
{
  guint n, live = 0;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (G_LIST_MODEL (self->resources), i);

      if (pw_resource_status_is_live (pw_workshop_resource_get_status (r)))
        live++;
    }
  return live;
}

static gboolean
refuse_if_busy (PwWorkshop  *self,
                GError     **error)
{
  if (!self->busy)
    return FALSE;
  g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_BUSY,
               _("The workshop is busy with the step “%s”; wait for it or cancel it first."),
               pw_workshop_step_get_title (self->running_step));
  return TRUE;
}

gboolean
pw_workshop_set_backend (PwWorkshop         *self,
                         PwWorkshopBackend   backend,
                         const PwAwsConfig  *config,
                         GError            **error)
{
  const char *region = "us-east-1";
  gboolean changed;
  guint n;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  g_return_val_if_fail (backend == PW_WORKSHOP_BACKEND_LOCAL || backend == PW_WORKSHOP_BACKEND_AWS, FALSE);

  if (refuse_if_busy (self, error))
    return FALSE;
  if (backend == PW_WORKSHOP_BACKEND_AWS)
    {
      if (config == NULL || config->region == NULL || *config->region == '\0')
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_REGION,
                       _("Choose an AWS region where Amazon Personalize is available."));
          return FALSE;
        }
      if (!pw_workshop_region_is_valid (config->region))
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_REGION,
                       _("Amazon Personalize is not available in the region “%s”. Choose one of the regions offered."),
                       config->region);
          return FALSE;
        }
      region = config->region;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (G_LIST_MODEL (self->resources), i);

      if (pw_resource_status_is_live (pw_workshop_resource_get_status (r)) &&
          (pw_workshop_resource_get_backend (r) != backend ||
           g_strcmp0 (pw_workshop_resource_get_region (r), region) != 0))
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_BACKEND_IN_USE,
                       _("The workshop still has resources on the %s back end in %s (for example %s “%s”). "
                         "Run Cleanup before changing the back end or region."),
                       pw_workshop_backend_to_string (pw_workshop_resource_get_backend (r)),
                       pw_workshop_resource_get_region (r),
                       pw_resource_kind_get_title (pw_workshop_resource_get_kind (r)),
                       pw_workshop_resource_get_name (r));
          return FALSE;
        }
    }

  g_clear_pointer (&self->aws_config, pw_aws_config_free);
  if (backend == PW_WORKSHOP_BACKEND_AWS)
    self->aws_config = pw_aws_config_copy (config);
  if (self->client != NULL)
    {
      g_clear_object (&self->client);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }
  if (backend != PW_WORKSHOP_BACKEND_LOCAL)
    stop_server (self);
  self->backend_ok = FALSE;
  changed = self->backend != backend || g_strcmp0 (self->region, region) != 0;
  if (self->backend != backend)
    {
      self->backend = backend;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKEND]);
    }
  if (g_strcmp0 (self->region, region) != 0)
    {
      g_free (self->region);
      self->region = g_strdup (region);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
    }
  /* The same back end and region again (a resume, new keys): what exists
   * there still counts. Another one: nothing made elsewhere does. */
  if (changed)
    pw_workshop_invalidate_from (self, PW_WORKSHOP_STEP_DATASET_GROUP);
  update_step_states (self);
  return TRUE;
}

/* The checksums of the prepared files that pw_workshop_load_prepared_async()
 * reads besides the two uploaded ones. */
static const char * const other_data_files[] = {
  PW_VALIDATION_INTERACTIONS_FILE, PW_COLDSTART_INTERACTIONS_FILE, PW_CATALOG_FILE,
};

static void
record_other_checksums (PwWorkshop *self)
{
  g_hash_table_remove_all (self->data_checksums);
  for (guint i = 0; i < G_N_ELEMENTS (other_data_files); i++)
    {
      g_autofree char *path = g_build_filename (self->output_dir, other_data_files[i], NULL);
      char *sha = file_sha256 (path);

      if (sha != NULL)
        g_hash_table_insert (self->data_checksums, g_strdup (other_data_files[i]), sha);
    }
}

gboolean
pw_workshop_set_prepared (PwWorkshop       *self,
                          PwPrepareResult  *result,
                          const char       *output_dir,
                          GError          **error)
{
  g_autofree char *a = NULL, *b = NULL, *sa = NULL, *sb = NULL;
  gboolean changed;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (output_dir != NULL, FALSE);

  if (refuse_if_busy (self, error))
    return FALSE;
  a = data_file (output_dir, FALSE);
  b = data_file (output_dir, TRUE);
  if ((sa = file_sha256 (a)) == NULL || (sb = file_sha256 (b)) == NULL)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                   _("The prepared data in %s has no readable %s"), output_dir,
                   sa == NULL ? "training_interaction.csv" : "training_item.csv");
      return FALSE;
    }
  changed = g_strcmp0 (sa, self->interactions_sha256) != 0 || g_strcmp0 (sb, self->items_sha256) != 0;

  pw_prepare_result_ref (result);
  g_clear_pointer (&self->prepared, pw_prepare_result_unref);
  self->prepared = result;
  g_free (self->output_dir);
  self->output_dir = g_strdup (output_dir);
  g_free (self->data_source);
  self->data_source = g_strdup (pw_source_to_string (result->source));
  g_free (self->interactions_sha256);
  self->interactions_sha256 = g_steal_pointer (&sa);
  g_free (self->items_sha256);
  self->items_sha256 = g_steal_pointer (&sb);
  self->data_files_ok = TRUE;
  self->data_invalid = FALSE;
  record_other_checksums (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREPARED]);

  if (changed)
    pw_workshop_invalidate_from (self, PW_WORKSHOP_STEP_DATASET_GROUP);
  else if (!save_state (self, error))
    return FALSE;
  update_step_states (self);
  return TRUE;
}

PwPrepareResult *
pw_workshop_get_prepared (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->prepared;
}

/* Loading the prepared data back from its files (after a restart) */

static GCancellable *join_cancellables (PwWorkshop   *self,
                                        GCancellable *cancellable);

typedef struct
{
  char       *output_dir;
  PwSource    source;
  GHashTable *checksums;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->output_dir);
  g_hash_table_unref (job->checksums);
  g_free (job);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadJob *job = task_data;
  GError *error = NULL;
  PwPrepareResult *result = pw_prepare_load (job->output_dir, job->source, job->checksums, cancellable, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) pw_prepare_result_unref);
  else
    g_task_return_error (task, error);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(PwPrepareResult) prepared = NULL;
  GError *error = NULL;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  /* Prepared again meanwhile (or dropped): that data counts, not this. */
  if (self->prepared != NULL || g_strcmp0 (job->output_dir, self->output_dir) != 0 || !self->data_files_ok)
    {
      g_clear_error (&error);
      if (self->prepared != NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("Prepare the data first."));
      return;
    }
  if (prepared == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *wrapped = g_error_new (PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                                         _("The prepared data cannot be loaded again: %s. Prepare the data again."),
                                         error->message);
          /* Gone or changed: the DATA step no longer holds. */
          if (g_error_matches (error, PW_DATA_ERROR, PW_DATA_ERROR_MISSING_FILE) ||
              g_error_matches (error, PW_DATA_ERROR, PW_DATA_ERROR_CHECKSUM))
            {
              self->data_files_ok = FALSE;
              update_step_states (self);
            }
          g_clear_error (&error);
          error = wrapped;
        }
      g_task_return_error (task, error);
      return;
    }
  self->prepared = g_steal_pointer (&prepared);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREPARED]);
  update_step_states (self);
  g_task_return_boolean (task, TRUE);
}

void
pw_workshop_load_prepared_async (PwWorkshop          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GCancellable) joined = NULL;
  g_autoptr(GTask) task = NULL;
  GTask *worker;
  LoadJob *job;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_load_prepared_async);
  if (self->prepared != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->output_dir == NULL || !self->data_files_ok)
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("Prepare the data first."));
      return;
    }
  job = g_new0 (LoadJob, 1);
  job->output_dir = g_strdup (self->output_dir);
  if (!pw_source_from_string (self->data_source, &job->source))
    job->source = PW_SOURCE_CSV;
  job->checksums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, self->data_checksums);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (job->checksums, g_strdup (key), g_strdup (value));
  g_hash_table_insert (job->checksums, g_strdup (PW_TRAINING_INTERACTIONS_FILE),
                       g_strdup (self->interactions_sha256));

  worker = g_task_new (self, joined, load_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (worker, load_in_thread);
  g_object_unref (worker);
}

gboolean
pw_workshop_load_prepared_finish (PwWorkshop    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
pw_workshop_get_output_dir (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->output_dir != NULL ? self->output_dir : self->default_output_dir;
}

const char * const *
pw_workshop_get_recipes_chosen (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return (const char * const *) self->recipes;
}

gboolean
pw_workshop_set_recipes_chosen (PwWorkshop         *self,
                                const char * const *recipes,
                                GError            **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);

  if (refuse_if_busy (self, error))
    return FALSE;
  for (guint i = 0; recipes != NULL && recipes[i] != NULL; i++)
    {
      if (lookup_recipe (recipes[i]) == NULL)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                       _("Unknown recipe “%s”"), recipes[i]);
          return FALSE;
        }
      if (!g_strv_contains ((const char * const *) self->recipes, recipes[i]) || TRUE)
        {
          gboolean dup = FALSE;
          for (guint j = 0; j < i; j++)
            dup |= g_strcmp0 (recipes[j], recipes[i]) == 0;
          if (!dup)
            g_strv_builder_add (builder, recipes[i]);
        }
    }
  {
    g_auto(GStrv) chosen = g_strv_builder_end (builder);

    if (g_strv_equal ((const char * const *) chosen, (const char * const *) self->recipes))
      return TRUE;
    g_strfreev (self->recipes);
    self->recipes = g_steal_pointer (&chosen);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPES]);
  /* Completeness is per chosen recipe; nothing trained is thrown away. */
  if (!save_state (self, &local_error))
    g_warning ("%s", local_error->message);
  update_step_states (self);
  return TRUE;
}

double
pw_workshop_get_exploration_weight (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), 0);
  return self->exploration_weight;
}

void
pw_workshop_set_exploration_weight (PwWorkshop *self,
                                    double      weight)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  weight = CLAMP (weight, 0, 1);
  if (self->exploration_weight == weight || self->busy)
    return;
  self->exploration_weight = weight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPLORATION_WEIGHT]);
  /* The weight is a campaign setting: the campaigns are made anew. */
  self->generation[PW_WORKSHOP_STEP_CAMPAIGNS]++;
  if (!save_state (self, &error))
    g_warning ("%s", error->message);
  update_step_states (self);
}

gboolean
pw_workshop_get_metric (PwWorkshop *self,
                        const char *recipe,
                        const char *metric,
                        double     *out_value)
{
  JsonObject *m, *values;
  JsonNode *node;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  g_return_val_if_fail (recipe != NULL && metric != NULL, FALSE);

  if (!json_object_has_member (self->metrics, recipe) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->metrics, recipe)))
    return FALSE;
  m = json_object_get_object_member (self->metrics, recipe);
  if (!json_object_has_member (m, "values") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (m, "values")))
    return FALSE;
  values = json_object_get_object_member (m, "values");
  node = json_object_get_member (values, metric);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  if (out_value != NULL)
    *out_value = json_node_get_double (node);
  return TRUE;
}

char **
pw_workshop_dup_trained_recipes (PwWorkshop *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  for (guint i = 0; i < self->metric_order->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->metric_order, i));
  return g_strv_builder_end (builder);
}

/* ---------------------------------------------------------------------
 * The back end: the embedded server and the client
 * --------------------------------------------------------------------- */

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
static gboolean
ensure_client (PwWorkshop  *self,
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
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
      else if (ensure_client (self, &task_error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, task_error);
    }
}

/* ensure_client() without blocking: the local server starts in a thread. */
static void
ensure_client_async (PwWorkshop          *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(PwLocalServer) server = NULL;
  g_autoptr(GTask) start = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, ensure_client_async);
  g_task_set_check_cancellable (task, FALSE);
  if (self->client != NULL || self->backend != PW_WORKSHOP_BACKEND_LOCAL || self->server != NULL)
    {
      if (ensure_client (self, &error))
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

static gboolean
ensure_client_finish (PwWorkshop    *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------
 * Running steps
 * --------------------------------------------------------------------- */

static void
set_progress (PwWorkshop *self,
              double      fraction,
              const char *message)
{
  if (self->progress_fraction != fraction)
    {
      self->progress_fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_FRACTION]);
    }
  if (g_strcmp0 (self->progress_message, message) != 0)
    {
      g_free (self->progress_message);
      self->progress_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS_MESSAGE]);
    }
}

static void
set_busy (PwWorkshop     *self,
          gboolean        busy,
          PwWorkshopStep  step)
{
  if (busy)
    {
      self->running_step = step;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING_STEP]);
      set_progress (self, -1, NULL);
    }
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (!busy)
    {
      set_progress (self, 0, NULL);
      if (self->shut_down)
        stop_server (self);
    }
  update_step_states (self);
}

static void
run_free (PwWorkshopRun *run)
{
  g_clear_object (&run->self);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_free (run->region);
  g_free (run->suffix);
  g_free (run->output_dir);
  g_strfreev (run->recipes);
  if (run->data_free != NULL)
    g_clear_pointer (&run->data, run->data_free);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  g_free (run);
}

static void
cancel_run_cb (GCancellable *cancellable,
               gpointer      user_data)
{
  GCancellable *joined = user_data;

  g_cancellable_cancel (joined);
}

/* One cancellable that the caller's and the workshop's both cancel. */
static GCancellable *
join_cancellables (PwWorkshop   *self,
                   GCancellable *cancellable)
{
  GCancellable *joined = g_cancellable_new ();

  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_run_cb), g_object_ref (joined), g_object_unref);
  g_cancellable_connect (self->cancellable, G_CALLBACK (cancel_run_cb), g_object_ref (joined), g_object_unref);
  return joined;
}

static PwWorkshopRun *
run_new (PwWorkshop     *self,
         PwWorkshopStep  step,
         GCancellable   *cancellable)
{
  PwWorkshopRun *run = g_new0 (PwWorkshopRun, 1);

  run->self = g_object_ref (self);
  run->step = step;
  run->cancellable = join_cancellables (self, cancellable);
  run->context = g_main_context_ref (self->context);
  run->backend = self->backend;
  run->region = g_strdup (self->region);
  memcpy (run->generation, self->generation, sizeof run->generation);
  run->suffix = g_strdup (self->suffix);
  run->output_dir = g_strdup (self->output_dir);
  run->recipes = g_strdupv (self->recipes);
  run->exploration_weight = self->exploration_weight;
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  return run;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PwWorkshopRun *run = task_data;
  GError *error = NULL;

  if (pw_workshop_steps_run (run, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
step_finished (PwWorkshop *self,
               GTask      *task)
{
  set_busy (self, FALSE, self->running_step);
}

static void
worker_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* A cleanup that finished starts new names for the next round. */
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_task_get_source_tag (task) == GINT_TO_POINTER (PW_WORKSHOP_STEP_CLEANUP + 1) &&
          cleanup_complete (self))
        {
          g_autoptr(GError) save_error = NULL;

          g_free (self->suffix);
          self->suffix = random_suffix ();
          if (!save_state (self, &save_error))
            g_warning ("%s", save_error->message);
        }
      step_finished (self, task);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      step_finished (self, task);
      g_task_return_error (task, error);
    }
}

static void
connection_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwWorkshop *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) out = NULL;
  GError *error = NULL;
  gboolean is_step = g_task_get_task_data (task) != NULL;

  out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  if (out == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ;
      else if (self->backend == PW_WORKSHOP_BACKEND_LOCAL)
        g_prefix_error (&error, _("The local engine did not answer: "));
      else if (g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_NETWORK) ||
               g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_TIMEOUT))
        g_prefix_error (&error, _("AWS cannot be reached; check the network connection (STS GetCallerIdentity): "));
      else if (g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE) ||
               g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS) ||
               g_error_matches (error, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE))
        g_prefix_error (&error, _("The AWS credentials were not accepted (STS GetCallerIdentity): "));
      else
        g_prefix_error (&error, _("Checking the AWS connection failed (STS GetCallerIdentity): "));
      self->backend_ok = FALSE;
      if (is_step)
        set_busy (self, FALSE, PW_WORKSHOP_STEP_BACKEND);
      else
        update_step_states (self);
      g_task_return_error (task, error);
      return;
    }
  self->backend_ok = TRUE;
  if (is_step)
    set_busy (self, FALSE, PW_WORKSHOP_STEP_BACKEND);
  else
    update_step_states (self);
  g_task_return_pointer (task, json_object_ref (out), (GDestroyNotify) json_object_unref);
}

static void
connection_client_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  GTask *task = user_data;
  g_autoptr(JsonObject) input = json_object_new ();
  GError *error = NULL;

  if (!ensure_client_finish (self, result, &error))
    {
      self->backend_ok = FALSE;
      if (g_task_get_task_data (task) != NULL)
        set_busy (self, FALSE, PW_WORKSHOP_STEP_BACKEND);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  pw_aws_client_call_async (self->client, PW_AWS_SERVICE_STS, "GetCallerIdentity", input,
                            g_task_get_cancellable (task), connection_done_cb, task);
}

static void
start_connection_test (PwWorkshop   *self,
                       GTask        *task)
{
  ensure_client_async (self, g_task_get_cancellable (task), connection_client_cb, task);
}

static gboolean
check_ready (PwWorkshop      *self,
             PwWorkshopStep   step,
             GError         **error)
{
  if (!pw_workshop_step_is_built (step))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_BUILT,
                   _("The step “%s” is not built yet."), pw_workshop_step_get_title (step));
      return FALSE;
    }
  if (refuse_if_busy (self, error))
    return FALSE;
  if (step == PW_WORKSHOP_STEP_DATA)
    {
      if (self->step_states[step] == PW_WORKSHOP_STEP_STATE_COMPLETE)
        return TRUE;
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("Prepare the data first."));
      return FALSE;
    }
  if (step == PW_WORKSHOP_STEP_CLEANUP || step == PW_WORKSHOP_STEP_BACKEND)
    return TRUE;
  /* The results steps need the campaigns, not each other. */
  for (guint i = 0; i < MIN (step, PW_WORKSHOP_STEP_LIVE_EVENTS); i++)
    if (pw_workshop_step_is_built (i) && self->step_states[i] != PW_WORKSHOP_STEP_STATE_COMPLETE)
      {
        g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                     _("Complete the step “%s” first."), pw_workshop_step_get_title (i));
        return FALSE;
      }
  if (step == PW_WORKSHOP_STEP_CAMPAIGNS &&
      (!g_strv_contains ((const char * const *) self->recipes, "aws-user-personalization") ||
       !g_strv_contains ((const char * const *) self->recipes, "aws-similar-items")))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("The campaigns need the recipes aws-user-personalization and aws-similar-items: "
                     "choose them on the Training step and train them."));
      return FALSE;
    }
  return TRUE;
}

/* The client is there (the local server started): the step's worker. */
static void
step_client_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  PwWorkshopStep step = GPOINTER_TO_INT (g_task_get_source_tag (task)) - 1;
  GCancellable *joined = g_task_get_cancellable (task);
  GError *error = NULL;
  GTask *worker;

  if (!ensure_client_finish (self, result, &error))
    {
      set_busy (self, FALSE, step);
      g_task_return_error (task, error);
      return;
    }
  worker = g_task_new (self, joined, worker_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, run_new (self, step, joined), (GDestroyNotify) run_free);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, run_in_thread);
  g_object_unref (worker);
}

void
pw_workshop_run_step_async (PwWorkshop          *self,
                            PwWorkshopStep       step,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) joined = NULL;
  GError *error = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));
  g_return_if_fail (step < PW_WORKSHOP_N_STEPS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  joined = join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, GINT_TO_POINTER (step + 1));
  g_task_set_check_cancellable (task, FALSE);

  if (!check_ready (self, step, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (step == PW_WORKSHOP_STEP_DATA)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_cancellable_set_error_if_cancelled (joined, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  set_busy (self, TRUE, step);
  if (step == PW_WORKSHOP_STEP_BACKEND)
    {
      g_task_set_task_data (task, GINT_TO_POINTER (1), NULL);
      set_progress (self, -1, _("Checking the connection"));
      start_connection_test (self, g_steal_pointer (&task));
      return;
    }
  ensure_client_async (self, joined, step_client_cb, g_steal_pointer (&task));
}

gboolean
pw_workshop_run_step_finish (PwWorkshop    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pw_workshop_test_connection_async (PwWorkshop          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GCancellable) joined = NULL;
  GTask *task;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_test_connection_async);
  g_task_set_check_cancellable (task, FALSE);
  start_connection_test (self, task);
}

gboolean
pw_workshop_test_connection_finish (PwWorkshop    *self,
                                    GAsyncResult  *result,
                                    char         **out_account,
                                    char         **out_arn,
                                    GError       **error)
{
  g_autoptr(JsonObject) out = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  out = g_task_propagate_pointer (G_TASK (result), error);
  if (out == NULL)
    return FALSE;
  if (out_account != NULL)
    *out_account = g_strdup (opt_string (out, "Account"));
  if (out_arn != NULL)
    *out_arn = g_strdup (opt_string (out, "Arn"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * For the results steps (pw-workshop-private.h)
 * --------------------------------------------------------------------- */

void
pw_workshop_run_custom_async (PwWorkshop          *self,
                              PwWorkshopStep       step,
                              PwWorkshopRunFunc    func,
                              gpointer             data,
                              GDestroyNotify       data_free,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) joined = NULL;
  PwWorkshopRun *run;
  GTask *worker;
  GError *error = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, GINT_TO_POINTER (PW_WORKSHOP_N_STEPS + 1));
  g_task_set_check_cancellable (task, FALSE);
  if (refuse_if_busy (self, &error) || g_cancellable_set_error_if_cancelled (joined, &error))
    {
      if (data_free != NULL)
        data_free (data);
      g_task_return_error (task, error);
      return;
    }
  set_busy (self, TRUE, step);
  if (!ensure_client (self, &error))
    {
      if (data_free != NULL)
        data_free (data);
      set_busy (self, FALSE, step);
      g_task_return_error (task, error);
      return;
    }
  run = run_new (self, step, joined);
  run->func = (gboolean (*) (gpointer, GError **)) func;
  run->data = data;
  run->data_free = data_free;
  worker = g_task_new (self, joined, worker_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, run, (GDestroyNotify) run_free);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, run_in_thread);
  g_object_unref (worker);
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

PwWorkshopResource *
pw_workshop_current_version (PwWorkshop *self,
                             const char *recipe)
{
  return current_version (self, recipe);
}

PwWorkshopResource *
pw_workshop_current_campaign (PwWorkshop *self,
                              const char *recipe)
{
  PwWorkshopResource *version = current_version (self, recipe);
  PwWorkshopResource *campaign;

  if (version == NULL)
    return NULL;
  campaign = find_current (self, PW_RESOURCE_CAMPAIGN, NULL, NULL, pw_workshop_resource_get_arn (version));
  return is_active (campaign, -1) ? campaign : NULL;
}

guint
pw_workshop_get_generation (PwWorkshop     *self,
                            PwWorkshopStep  step)
{
  return self->generation[step];
}

JsonObject *
pw_workshop_get_results (PwWorkshop *self)
{
  return self->results;
}

gboolean
pw_workshop_save_results (PwWorkshop  *self,
                          GError     **error)
{
  gboolean ok = save_state (self, error);

  update_step_states (self);
  return ok;
}

void
pw_workshop_record_exploration_weight (PwWorkshop *self,
                                       double      weight)
{
  g_autoptr(GError) error = NULL;

  weight = CLAMP (weight, 0, 1);
  if (self->exploration_weight == weight)
    return;
  self->exploration_weight = weight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPLORATION_WEIGHT]);
  if (!save_state (self, &error))
    g_warning ("%s", error->message);
}

void
pw_workshop_refresh_step_states (PwWorkshop *self)
{
  update_step_states (self);
}

/* ---------------------------------------------------------------------
 * Recommendations
 * --------------------------------------------------------------------- */

typedef struct
{
  char   **items;
  double  *scores;
} Recommendations;

static void
recommendations_free (Recommendations *r)
{
  g_strfreev (r->items);
  g_free (r->scores);
  g_free (r);
}

static void
recommend_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) out = NULL;
  GError *error = NULL;
  Recommendations *r;
  JsonArray *list;
  guint n;

  out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  if (out == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!json_object_has_member (out, "itemList") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (out, "itemList")))
    {
      g_task_return_new_error (task, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                               _("GetRecommendations answered without an itemList"));
      return;
    }
  list = json_object_get_array_member (out, "itemList");
  n = json_array_get_length (list);
  r = g_new0 (Recommendations, 1);
  r->items = g_new0 (char *, n + 1);
  r->scores = g_new0 (double, MAX (n, 1));
  for (guint i = 0, j = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *item;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if ((id = opt_string (item, "itemId")) == NULL)
        continue;
      r->items[j] = g_strdup (id);
      r->scores[j] = json_object_get_double_member_with_default (item, "score", 0);
      j++;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) recommendations_free);
}

static void
recommend_async (PwWorkshop          *self,
                 const char          *recipe,
                 const char          *member,
                 const char          *id,
                 guint                num_results,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             tag)
{
  g_autoptr(GCancellable) joined = join_cancellables (self, cancellable);
  GTask *task = g_task_new (self, joined, callback, user_data);
  g_autoptr(JsonObject) input = json_object_new ();
  PwWorkshopResource *version, *campaign = NULL;

  g_task_set_source_tag (task, tag);
  g_task_set_check_cancellable (task, FALSE);
  version = current_version (self, recipe);
  if (version != NULL)
    campaign = find_current (self, PW_RESOURCE_CAMPAIGN, NULL, NULL, pw_workshop_resource_get_arn (version));
  if (self->client == NULL || !is_active (campaign, -1))
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                               _("There is no active campaign for %s yet: run the Campaigns step first."), recipe);
      g_object_unref (task);
      return;
    }
  if (id == NULL || *id == '\0' || num_results < 1 || num_results > 500)
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                               _("Give an id and between 1 and 500 results."));
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (input, "campaignArn", pw_workshop_resource_get_arn (campaign));
  json_object_set_string_member (input, member, id);
  json_object_set_int_member (input, "numResults", num_results);
  pw_aws_client_call_async (self->client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", input,
                            joined, recommend_done_cb, task);
}

static char **
recommend_finish (PwWorkshop    *self,
                  GAsyncResult  *result,
                  double       **out_scores,
                  GError       **error)
{
  Recommendations *r = g_task_propagate_pointer (G_TASK (result), error);
  char **items;

  if (r == NULL)
    return NULL;
  items = g_steal_pointer (&r->items);
  if (out_scores != NULL)
    *out_scores = g_steal_pointer (&r->scores);
  recommendations_free (r);
  return items;
}

void
pw_workshop_recommend_async (PwWorkshop          *self,
                             const char          *user_id,
                             guint                num_results,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PW_IS_WORKSHOP (self));
  recommend_async (self, "aws-user-personalization", "userId", user_id, num_results, cancellable,
                   callback, user_data, pw_workshop_recommend_async);
}

char **
pw_workshop_recommend_finish (PwWorkshop    *self,
                              GAsyncResult  *result,
                              double       **out_scores,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return recommend_finish (self, result, out_scores, error);
}

void
pw_workshop_similar_items_async (PwWorkshop          *self,
                                 const char          *item_id,
                                 guint                num_results,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PW_IS_WORKSHOP (self));
  recommend_async (self, "aws-similar-items", "itemId", item_id, num_results, cancellable,
                   callback, user_data, pw_workshop_similar_items_async);
}

char **
pw_workshop_similar_items_finish (PwWorkshop    *self,
                                  GAsyncResult  *result,
                                  double       **out_scores,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return recommend_finish (self, result, out_scores, error);
}

/* ---------------------------------------------------------------------
 * The worker's way to the main context
 * --------------------------------------------------------------------- */

typedef enum
{
  CALL_AWS,
  CALL_LIST_ALL,
  CALL_PUT_OBJECT,
  CALL_ADD,
  CALL_RECORD,
  CALL_PROGRESS,
  CALL_METRICS,
} CallKind;

typedef struct
{
  PwWorkshopRun          *run;
  CallKind                kind;
  /* in */
  PwAwsService            service;
  const char             *operation;
  JsonObject             *input;
  const char             *list_member;
  const char             *bucket;
  const char             *key;
  const char             *path;
  PwResourceKind          resource_kind;
  const char             *name;
  PwWorkshopResource     *resource;
  const PwResourceChange *change;
  double                  fraction;
  const char             *message;
  const char             *recipe;
  const char             *version_arn;
  /* out */
  gboolean                done;
  gboolean                ok;
  JsonObject             *out;
  JsonArray              *array;
  GError                 *error;
} Call;

static void
call_done (Call *call)
{
  g_mutex_lock (&call->run->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->run->cond);
  g_mutex_unlock (&call->run->lock);
}

static void
aws_call_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Call *call = user_data;

  switch (call->kind)
    {
    case CALL_AWS:
      call->out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &call->error);
      call->ok = call->out != NULL;
      break;
    case CALL_LIST_ALL:
      call->array = pw_aws_client_list_all_finish (PW_AWS_CLIENT (source), result, &call->error);
      call->ok = call->array != NULL;
      break;
    case CALL_PUT_OBJECT:
      call->out = pw_aws_client_put_object_finish (PW_AWS_CLIENT (source), result, &call->error);
      call->ok = call->out != NULL;
      break;
    case CALL_ADD:
    case CALL_RECORD:
    case CALL_PROGRESS:
    case CALL_METRICS:
    default:
      g_assert_not_reached ();
    }
  call_done (call);
}

static void
upload_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  Call *call = user_data;
  PwWorkshop *self = call->run->self;
  g_autofree char *message = NULL;
  g_autofree char *done_s = g_format_size (done);
  g_autofree char *total_s = total > 0 ? g_format_size (total) : g_strdup ("?");

  message = g_strdup_printf (_("Uploading %s to S3: %s of %s"), call->key, done_s, total_s);
  set_progress (self, total > 0 ? (double) done / total : -1, message);
}

static void
emit_changed (PwWorkshop         *self,
              PwWorkshopResource *resource)
{
  g_signal_emit (self, signals[RESOURCE_CHANGED], 0, resource);
  update_step_states (self);
}

static gboolean
apply_change (PwWorkshopResource     *r,
              const PwResourceChange *change)
{
  gboolean changed = FALSE;

  if (change == NULL)
    return FALSE;
  if (change->arn != NULL)
    changed |= pw_workshop_resource_set_arn (r, change->arn);
  if (change->status >= 0)
    changed |= pw_workshop_resource_set_status (r, change->status);
  if (change->failure_reason != NULL || change->clear_failure_reason)
    changed |= pw_workshop_resource_set_failure_reason (r, change->failure_reason);
  if (change->parent_arn != NULL)
    changed |= pw_workshop_resource_set_parent_arn (r, change->parent_arn);
  if (change->recipe != NULL)
    changed |= pw_workshop_resource_set_recipe (r, change->recipe);
  if (change->detail != NULL)
    changed |= pw_workshop_resource_set_detail (r, change->detail);
  return changed;
}

static gboolean
main_call_cb (gpointer user_data)
{
  Call *call = user_data;
  PwWorkshopRun *run = call->run;
  PwWorkshop *self = run->self;

  switch (call->kind)
    {
    case CALL_AWS:
      pw_aws_client_call_async (self->client, call->service, call->operation, call->input,
                                run->cancellable, aws_call_done_cb, call);
      return G_SOURCE_REMOVE;

    case CALL_LIST_ALL:
      pw_aws_client_list_all_async (self->client, call->service, call->operation, call->input,
                                    call->list_member, run->cancellable, aws_call_done_cb, call);
      return G_SOURCE_REMOVE;

    case CALL_PUT_OBJECT:
      {
        g_autoptr(GFile) file = g_file_new_for_path (call->path);

        pw_aws_client_put_object_async (self->client, call->bucket, call->key, file, "text/csv",
                                        upload_progress_cb, call, run->cancellable, aws_call_done_cb, call);
      }
      return G_SOURCE_REMOVE;

    case CALL_ADD:
      {
        g_autoptr(PwWorkshopResource) r = pw_workshop_resource_new (call->resource_kind, call->name, run->region,
                                                                     run->backend, NULL);
        guint generation = 0;

        apply_change (r, call->change);
        if (call->resource_kind == PW_RESOURCE_OBJECT || call->resource_kind == PW_RESOURCE_IMPORT_JOB)
          generation = run->generation[PW_WORKSHOP_STEP_DATASET_GROUP];
        else if (call->resource_kind == PW_RESOURCE_SOLUTION_VERSION)
          generation = run->generation[PW_WORKSHOP_STEP_TRAINING];
        else if (call->resource_kind == PW_RESOURCE_CAMPAIGN)
          generation = run->generation[PW_WORKSHOP_STEP_CAMPAIGNS];
        pw_workshop_resource_set_generation (r, generation);
        g_list_store_append (self->resources, r);
        call->ok = save_state (self, &call->error);
        if (!call->ok)
          {
            /* Not recorded: the caller must not create it. */
            guint n = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
            g_list_store_remove (self->resources, n - 1);
          }
        else
          {
            call->resource = r;
            g_signal_emit (self, signals[RESOURCE_ADDED], 0, r);
            update_step_states (self);
          }
      }
      break;

    case CALL_RECORD:
      if (apply_change (call->resource, call->change))
        {
          call->ok = save_state (self, &call->error);
          emit_changed (self, call->resource);
        }
      else
        call->ok = TRUE;
      break;

    case CALL_PROGRESS:
      set_progress (self, call->fraction, call->message);
      call->ok = TRUE;
      break;

    case CALL_METRICS:
      {
        JsonObject *m = json_object_new ();

        json_object_set_string_member (m, "version_arn", call->version_arn);
        json_object_set_object_member (m, "values", json_object_ref (call->input));
        json_object_set_object_member (self->metrics, call->recipe, m);
        for (guint i = 0; i < self->metric_order->len; i++)
          if (g_strcmp0 (g_ptr_array_index (self->metric_order, i), call->recipe) == 0)
            {
              g_ptr_array_remove_index (self->metric_order, i);
              break;
            }
        g_ptr_array_add (self->metric_order, g_strdup (call->recipe));
        call->ok = save_state (self, &call->error);
        update_step_states (self);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  call_done (call);
  return G_SOURCE_REMOVE;
}

static gboolean
run_on_main (Call    *call,
             GError **error)
{
  PwWorkshopRun *run = call->run;

  g_assert (!g_main_context_is_owner (run->context));

  g_main_context_invoke (run->context, main_call_cb, call);
  g_mutex_lock (&run->lock);
  while (!call->done)
    g_cond_wait (&run->cond, &run->lock);
  g_mutex_unlock (&run->lock);
  if (!call->ok)
    {
      if (call->error != NULL)
        g_propagate_error (error, call->error);
      else
        g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE, "internal error");
      return FALSE;
    }
  return TRUE;
}

JsonObject *
pw_workshop_run_call (PwWorkshopRun  *run,
                      PwAwsService    service,
                      const char     *operation,
                      JsonObject     *input,
                      GError        **error)
{
  Call call = { .run = run, .kind = CALL_AWS, .service = service, .operation = operation, .input = input };

  if (!run_on_main (&call, error))
    return NULL;
  return call.out;
}

JsonArray *
pw_workshop_run_list_all (PwWorkshopRun  *run,
                          PwAwsService    service,
                          const char     *operation,
                          JsonObject     *input,
                          const char     *list_member,
                          GError        **error)
{
  Call call = { .run = run, .kind = CALL_LIST_ALL, .service = service, .operation = operation,
                .input = input, .list_member = list_member };

  if (!run_on_main (&call, error))
    return NULL;
  return call.array;
}

gboolean
pw_workshop_run_put_object (PwWorkshopRun  *run,
                            const char     *bucket,
                            const char     *key,
                            const char     *path,
                            GError        **error)
{
  Call call = { .run = run, .kind = CALL_PUT_OBJECT, .bucket = bucket, .key = key, .path = path };

  if (!run_on_main (&call, error))
    return FALSE;
  json_object_unref (call.out);
  return TRUE;
}

PwWorkshopResource *
pw_workshop_run_add (PwWorkshopRun          *run,
                     PwResourceKind          kind,
                     const char             *name,
                     const PwResourceChange *change,
                     GError                **error)
{
  Call call = { .run = run, .kind = CALL_ADD, .resource_kind = kind, .name = name, .change = change };

  if (!run_on_main (&call, error))
    return NULL;
  return call.resource;
}

gboolean
pw_workshop_run_record (PwWorkshopRun          *run,
                        PwWorkshopResource     *resource,
                        const PwResourceChange *change,
                        GError                **error)
{
  Call call = { .run = run, .kind = CALL_RECORD, .resource = resource, .change = change };

  return run_on_main (&call, error);
}

void
pw_workshop_run_progress (PwWorkshopRun *run,
                          double         fraction,
                          const char    *message)
{
  Call call = { .run = run, .kind = CALL_PROGRESS, .fraction = fraction, .message = message };

  run_on_main (&call, NULL);
}

gboolean
pw_workshop_run_set_metrics (PwWorkshopRun  *run,
                             const char     *recipe,
                             const char     *version_arn,
                             JsonObject     *metrics,
                             GError        **error)
{
  Call call = { .run = run, .kind = CALL_METRICS, .recipe = recipe, .version_arn = version_arn, .input = metrics };

  return run_on_main (&call, error);
}

gboolean
pw_workshop_run_sleep (PwWorkshopRun  *run,
                       guint           ms,
                       GError        **error)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
      g_usleep (MIN (20000, MAX (0, end - g_get_monotonic_time ())));
    }
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

GListModel *
pw_workshop_run_get_resources (PwWorkshopRun *run)
{
  return G_LIST_MODEL (run->self->resources);
}

/* ---------------------------------------------------------------------
 * Leftovers (the worker lists, the main context returns)
 * --------------------------------------------------------------------- */

gboolean pw_workshop_steps_find_leftovers (PwWorkshopRun  *run,
                                           GListStore     *store,
                                           GError        **error);

static void
leftovers_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  PwWorkshopRun *run = task_data;
  g_autoptr(GListStore) store = g_list_store_new (PW_TYPE_WORKSHOP_RESOURCE);
  GError *error = NULL;

  if (pw_workshop_steps_find_leftovers (run, store, &error))
    g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
leftovers_client_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ensure_client_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, run_new (self, PW_WORKSHOP_N_STEPS, g_task_get_cancellable (task)),
                        (GDestroyNotify) run_free);
  g_task_run_in_thread (task, leftovers_in_thread);
}

void
pw_workshop_find_leftovers_async (PwWorkshop          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GCancellable) joined = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_find_leftovers_async);
  g_task_set_check_cancellable (task, FALSE);
  ensure_client_async (self, joined, leftovers_client_cb, g_steal_pointer (&task));
}

GListModel *
pw_workshop_find_leftovers_finish (PwWorkshop    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------
 * Adopting leftovers
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_adopt_leftovers (PwWorkshop  *self,
                             GListModel  *leftovers,
                             guint       *out_n_adopted,
                             GError     **error)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint n, before;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (leftovers), FALSE);

  if (out_n_adopted != NULL)
    *out_n_adopted = 0;
  if (refuse_if_busy (self, error))
    return FALSE;

  before = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
  n = g_list_model_get_n_items (leftovers);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (leftovers, i);
      const char *id = pw_workshop_resource_get_id (r);
      PwWorkshopResource *known;

      if (!PW_IS_WORKSHOP_RESOURCE (r) || id == NULL ||
          !pw_resource_status_is_live (pw_workshop_resource_get_status (r)))
        continue;
      /* Already recorded (live or not): a resource listed again is the
       * same one; an entry DELETED in the state that exists again is
       * recorded anew. */
      known = pw_workshop_find_resource (self, id);
      if (known != NULL && pw_resource_status_is_live (pw_workshop_resource_get_status (known)))
        continue;
      if (pw_workshop_resource_get_backend (r) != self->backend ||
          g_strcmp0 (pw_workshop_resource_get_region (r), self->region) != 0)
        continue;
      pw_workshop_resource_set_generation (r, 0);
      g_list_store_append (self->resources, r);
      g_ptr_array_add (added, g_object_ref (r));
    }
  if (added->len == 0)
    return TRUE;
  if (!save_state (self, error))
    {
      g_list_store_splice (self->resources, before, added->len, NULL, 0);
      return FALSE;
    }
  for (guint i = 0; i < added->len; i++)
    g_signal_emit (self, signals[RESOURCE_ADDED], 0, g_ptr_array_index (added, i));
  update_step_states (self);
  if (out_n_adopted != NULL)
    *out_n_adopted = added->len;
  return TRUE;
}
