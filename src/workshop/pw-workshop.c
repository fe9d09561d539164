/* pw-workshop.c: the wizard's driver, the object itself: its properties
 * and signals, the recipes and published metrics, and the accessors and
 * setters (back end, prepared data, recipes, exploration weight)
 *
 * The object is implemented over several files sharing
 * pw-workshop-private.h: -state.c (state file, step states), -backend.c
 * (server, client), -run.c (running steps, the worker's calls),
 * -recommend.c, -leftovers.c; and the steps' own code in
 * pw-workshop-steps*.c, -events.c, -batch.c, -evaluate.c.
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

static void pw_workshop_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PwWorkshop, pw_workshop, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, pw_workshop_initable_iface_init))

enum {
  STEP_STATE_CHANGED,
  RESOURCE_ADDED,
  RESOURCE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[PW_WORKSHOP_N_PROPS];
static guint signals[N_SIGNALS];

void
pw_workshop_notify (PwWorkshop     *self,
                    PwWorkshopProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
pw_workshop_emit_step_state_changed (PwWorkshop     *self,
                                     PwWorkshopStep  step)
{
  g_signal_emit (self, signals[STEP_STATE_CHANGED], 0, step);
}

void
pw_workshop_emit_resource_added (PwWorkshop         *self,
                                 PwWorkshopResource *resource)
{
  g_signal_emit (self, signals[RESOURCE_ADDED], 0, resource);
}

void
pw_workshop_emit_resource_changed (PwWorkshop         *self,
                                   PwWorkshopResource *resource)
{
  g_signal_emit (self, signals[RESOURCE_CHANGED], 0, resource);
}

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

const PwRecipeInfo *
pw_workshop_lookup_recipe (const char *name)
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
char *
pw_workshop_random_suffix (void)
{
  return g_strdup_printf ("%06x%06x", g_random_int_range (0, 0x1000000), g_random_int_range (0, 0x1000000));
}

/* ---------------------------------------------------------------------
 * GObject
 * --------------------------------------------------------------------- */

static void
pw_workshop_dispose (GObject *object)
{
  PwWorkshop *self = PW_WORKSHOP (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  pw_workshop_stop_server (self);
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
    case PW_WORKSHOP_PROP_STATE_FILE: g_value_set_string (value, self->state_file); break;
    case PW_WORKSHOP_PROP_LOCAL_DATA_DIR: g_value_set_string (value, self->local_data_dir); break;
    case PW_WORKSHOP_PROP_LOCAL_STEP_MS: g_value_set_uint (value, self->local_step_ms); break;
    case PW_WORKSHOP_PROP_BACKEND: g_value_set_enum (value, self->backend); break;
    case PW_WORKSHOP_PROP_REGION: g_value_set_string (value, self->region); break;
    case PW_WORKSHOP_PROP_CLIENT: g_value_set_object (value, self->client); break;
    case PW_WORKSHOP_PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PW_WORKSHOP_PROP_RUNNING_STEP: g_value_set_enum (value, self->running_step); break;
    case PW_WORKSHOP_PROP_PROGRESS_FRACTION: g_value_set_double (value, self->progress_fraction); break;
    case PW_WORKSHOP_PROP_PROGRESS_MESSAGE: g_value_set_string (value, self->progress_message); break;
    case PW_WORKSHOP_PROP_RECIPES: g_value_set_boxed (value, self->recipes); break;
    case PW_WORKSHOP_PROP_EXPLORATION_WEIGHT: g_value_set_double (value, self->exploration_weight); break;
    case PW_WORKSHOP_PROP_PREPARED: g_value_set_boxed (value, self->prepared); break;
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
    case PW_WORKSHOP_PROP_STATE_FILE:
      self->state_file = g_value_dup_string (value);
      break;
    case PW_WORKSHOP_PROP_LOCAL_DATA_DIR:
      self->local_data_dir = g_value_dup_string (value);
      break;
    case PW_WORKSHOP_PROP_LOCAL_STEP_MS:
      self->local_step_ms = g_value_get_uint (value);
      break;
    case PW_WORKSHOP_PROP_RECIPES:
      {
        g_autoptr(GError) error = NULL;

        if (!pw_workshop_set_recipes_chosen (self, g_value_get_boxed (value), &error))
          g_warning ("%s", error->message);
      }
      break;
    case PW_WORKSHOP_PROP_EXPLORATION_WEIGHT:
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

  properties[PW_WORKSHOP_PROP_STATE_FILE] = g_param_spec_string ("state-file", NULL, NULL, NULL, co);
  properties[PW_WORKSHOP_PROP_LOCAL_DATA_DIR] = g_param_spec_string ("local-data-dir", NULL, NULL, NULL, co);
  properties[PW_WORKSHOP_PROP_LOCAL_STEP_MS] = g_param_spec_uint ("local-step-ms", NULL, NULL, 0, 60000, 0, co);
  properties[PW_WORKSHOP_PROP_BACKEND] = g_param_spec_enum ("backend", NULL, NULL, PW_TYPE_WORKSHOP_BACKEND,
                                                PW_WORKSHOP_BACKEND_LOCAL, ro);
  properties[PW_WORKSHOP_PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, ro);
  properties[PW_WORKSHOP_PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, PW_TYPE_AWS_CLIENT, ro);
  properties[PW_WORKSHOP_PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PW_WORKSHOP_PROP_RUNNING_STEP] = g_param_spec_enum ("running-step", NULL, NULL, PW_TYPE_WORKSHOP_STEP,
                                                     PW_WORKSHOP_STEP_BACKEND, ro);
  properties[PW_WORKSHOP_PROP_PROGRESS_FRACTION] = g_param_spec_double ("progress-fraction", NULL, NULL, -1, 1, 0, ro);
  properties[PW_WORKSHOP_PROP_PROGRESS_MESSAGE] = g_param_spec_string ("progress-message", NULL, NULL, NULL, ro);
  properties[PW_WORKSHOP_PROP_RECIPES] = g_param_spec_boxed ("recipes", NULL, NULL, G_TYPE_STRV, rw);
  properties[PW_WORKSHOP_PROP_EXPLORATION_WEIGHT] = g_param_spec_double ("exploration-weight", NULL, NULL, 0, 1,
                                                             PW_WORKSHOP_DEFAULT_EXPLORATION_WEIGHT, rw);
  properties[PW_WORKSHOP_PROP_PREPARED] = g_param_spec_boxed ("prepared", NULL, NULL, PW_TYPE_PREPARE_RESULT, ro);
  g_object_class_install_properties (object_class, PW_WORKSHOP_N_PROPS, properties);

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
  self->suffix = pw_workshop_random_suffix ();
  self->resources = g_list_store_new (PW_TYPE_WORKSHOP_RESOURCE);
  self->metrics = json_object_new ();
  self->results = json_object_new ();
  self->metric_order = g_ptr_array_new_with_free_func (g_free);
  self->recipes = g_strdupv ((char **) preselected);
  self->exploration_weight = PW_WORKSHOP_DEFAULT_EXPLORATION_WEIGHT;
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
  if (!pw_workshop_load_state (self, error))
    return FALSE;
  for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
    self->step_states[i] = pw_workshop_compute_step_state (self, i);
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
    pw_workshop_stop_server (self);
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

gboolean
pw_workshop_refuse_if_busy (PwWorkshop  *self,
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

  if (pw_workshop_refuse_if_busy (self, error))
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_CLIENT]);
    }
  if (backend != PW_WORKSHOP_BACKEND_LOCAL)
    pw_workshop_stop_server (self);
  self->backend_ok = FALSE;
  changed = self->backend != backend || g_strcmp0 (self->region, region) != 0;
  if (self->backend != backend)
    {
      self->backend = backend;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_BACKEND]);
    }
  if (g_strcmp0 (self->region, region) != 0)
    {
      g_free (self->region);
      self->region = g_strdup (region);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_REGION]);
    }
  /* The same back end and region again (a resume, new keys): what exists
   * there still counts. Another one: nothing made elsewhere does. */
  if (changed)
    pw_workshop_invalidate_from (self, PW_WORKSHOP_STEP_DATASET_GROUP);
  pw_workshop_refresh_step_states (self);
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
      char *sha = pw_workshop_file_sha256 (path);

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

  if (pw_workshop_refuse_if_busy (self, error))
    return FALSE;
  a = pw_workshop_data_file (output_dir, FALSE);
  b = pw_workshop_data_file (output_dir, TRUE);
  if ((sa = pw_workshop_file_sha256 (a)) == NULL || (sb = pw_workshop_file_sha256 (b)) == NULL)
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_PREPARED]);

  if (changed)
    pw_workshop_invalidate_from (self, PW_WORKSHOP_STEP_DATASET_GROUP);
  else if (!pw_workshop_save_state (self, error))
    return FALSE;
  pw_workshop_refresh_step_states (self);
  return TRUE;
}

PwPrepareResult *
pw_workshop_get_prepared (PwWorkshop *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return self->prepared;
}

/* Loading the prepared data back from its files (after a restart) */

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
              pw_workshop_refresh_step_states (self);
            }
          g_clear_error (&error);
          error = wrapped;
        }
      g_task_return_error (task, error);
      return;
    }
  self->prepared = g_steal_pointer (&prepared);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_PREPARED]);
  pw_workshop_refresh_step_states (self);
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

  joined = pw_workshop_join_cancellables (self, cancellable);
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

  if (pw_workshop_refuse_if_busy (self, error))
    return FALSE;
  for (guint i = 0; recipes != NULL && recipes[i] != NULL; i++)
    {
      if (pw_workshop_lookup_recipe (recipes[i]) == NULL)
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_RECIPES]);
  /* Completeness is per chosen recipe; nothing trained is thrown away. */
  if (!pw_workshop_save_state (self, &local_error))
    g_warning ("%s", local_error->message);
  pw_workshop_refresh_step_states (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PW_WORKSHOP_PROP_EXPLORATION_WEIGHT]);
  /* The weight is a campaign setting: the campaigns are made anew. */
  self->generation[PW_WORKSHOP_STEP_CAMPAIGNS]++;
  if (!pw_workshop_save_state (self, &error))
    g_warning ("%s", error->message);
  pw_workshop_refresh_step_states (self);
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

