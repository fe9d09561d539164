/* pw-campaigns-page.c: step 5 of 9 (notebooks 4.1 and 4.2), campaigns and recommendations
 *
 * Applying the page runs the workshop's CAMPAIGNS step (user-personalization
 * and similar-items, minProvisionedTPS 1). Once they are active the page
 * asks them through the workshop (never the engine or the server):
 * "Recommend for a user" shows the user's most recent movies beside the
 * campaign's list, with titles and genres from the prepared data (users
 * are searched by id as one types); "Similar movies" searches the titles
 * and shows what the similar-items campaign finds for the chosen movie.
 * The user id and the title query are page properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-campaigns-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-campaigns-page.h"
#include "pw-movie-rows.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-structure-diagram.h"
#include "pw-ui.h"

#define N_RESULTS 10
#define N_HISTORY 10
#define N_MATCHES 8

struct _PwCampaignsPage
{
  PwPage parent_instance;

  char *user_id;
  char *item_query;
  char *similar_item;          /* the movie the last similar-items answer is for */
  guint n_recommended;
  guint n_similar;
  GCancellable *cancellable;

  GtkBox *diagram_box;
  GtkBox *resources_box;
  PwStepProgress *progress;
  AdwPreferencesGroup *recommend_group;
  AdwEntryRow *user_entry;
  GtkBox *recommend_box;
  AdwPreferencesGroup *similar_group;
  AdwEntryRow *title_entry;
  GtkBox *similar_box;
};

G_DEFINE_FINAL_TYPE (PwCampaignsPage, pw_campaigns_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_USER_ID,
  PROP_ITEM_QUERY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PwPrepareResult *
prepared (PwCampaignsPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));

  return workshop ? pw_workshop_get_prepared (workshop) : NULL;
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* A row for a movie: its title (or id) and genres. */
static GtkWidget *
movie_row (PwPrepareResult *data,
           const char      *item_id,
           const char      *extra)
{
  GtkWidget *row = adw_action_row_new ();
  const char *title = NULL;
  const char *genres = NULL;
  guint index;

  if (data != NULL && data->items != NULL && pw_items_lookup (data->items, item_id, &index))
    {
      title = pw_items_get_title (data->items, index);
      genres = pw_items_get_genres (data->items, index);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (title != NULL && *title != '\0')
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  else
    {
      /* Translators: a movie without a title, %s is its id */
      g_autofree char *text = g_strdup_printf (_("Movie %s"), item_id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
    }
  if (genres != NULL && *genres != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (genres, "|", -1);
      g_autofree char *shown = g_strjoinv (", ", parts);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
    }
  if (extra != NULL)
    {
      GtkWidget *label = gtk_label_new (extra);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  return row;
}

/* Similar-items answers carry no meaningful score (AWS sends none): show
 * scores only when some are not zero. */
static gboolean
scores_meaningful (const double *scores,
                   char        **items)
{
  if (scores == NULL)
    return FALSE;
  for (guint i = 0; items[i] != NULL; i++)
    if (scores[i] != 0.0)
      return TRUE;
  return FALSE;
}

static char *
movie_title (PwPrepareResult *data,
             const char      *item_id)
{
  guint index;

  if (data != NULL && data->items != NULL && pw_items_lookup (data->items, item_id, &index) &&
      *pw_items_get_title (data->items, index) != '\0')
    return g_strdup (pw_items_get_title (data->items, index));
  /* Translators: a movie without a title, %s is its id */
  return g_strdup_printf (_("Movie %s"), item_id);
}

static GtkWidget *
titled_list (const char *title,
             GtkWidget **out_list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0f);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), list);
  *out_list = list;
  return box;
}

/* The user's most recent training interactions, newest first. */
static void
fill_history (PwCampaignsPage *self,
              GtkWidget       *list,
              const char      *user_id)
{
  PwPrepareResult *data = prepared (self);
  PwInteractions *in;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  guint user;

  if (data == NULL || data->split == NULL)
    return;
  in = data->split->interactions ? data->split->interactions : data->interactions;
  if (in == NULL || !pw_interactions_lookup_user (in, user_id, &user))
    return;
  for (guint i = 0; i < in->n_rows; i++)
    if (in->users[i] == user && data->split->row_set[i] == PW_SPLIT_TRAINING)
      g_array_append_val (rows, i);

  /* The newest N_HISTORY, newest first (a partial selection is enough). */
  for (guint k = 0; k < rows->len && k < N_HISTORY; k++)
    {
      guint best = k;
      for (guint j = k + 1; j < rows->len; j++)
        if (in->timestamps[g_array_index (rows, guint, j)] > in->timestamps[g_array_index (rows, guint, best)])
          best = j;
      if (best != k)
        {
          guint tmp = g_array_index (rows, guint, k);
          g_array_index (rows, guint, k) = g_array_index (rows, guint, best);
          g_array_index (rows, guint, best) = tmp;
        }
      {
        guint row = g_array_index (rows, guint, k);
        g_autofree char *date = pw_movie_dup_day (in->timestamps[row]);
        gtk_list_box_append (GTK_LIST_BOX (list),
                             movie_row (data, pw_interactions_get_item_id (in, in->items[row]), date));
      }
    }
}

/* The finish function of a campaign's answer: recommendations for a user,
 * or items similar to an item (the two have the same signature). */
typedef char **(*AnswerFinish) (PwWorkshop    *workshop,
                                GAsyncResult  *result,
                                double       **out_scores,
                                GError       **error);

/* Finishes a campaign's answer: its items and *@out_scores, or %NULL
 * after showing the error (nothing when cancelled). */
static char **
answer_finish (PwCampaignsPage  *self,
               AnswerFinish      finish,
               GObject          *object,
               GAsyncResult     *result,
               double          **out_scores)
{
  g_autoptr(GError) error = NULL;
  char **items = finish (PW_WORKSHOP (object), result, out_scores, &error);

  if (items == NULL)
    pw_page_show_error (PW_PAGE (self), error);
  return items;
}

/* One row per answered item into @list, with its score when the scores
 * mean something (scores_meaningful()); returns how many rows. */
static guint
fill_answer (PwCampaignsPage *self,
             GtkWidget       *list,
             char           **items,
             const double    *scores)
{
  guint n = 0;

  for (; items[n] != NULL; n++)
    {
      g_autofree char *score = scores_meaningful (scores, items) ? g_strdup_printf ("%.3f", scores[n]) : NULL;
      gtk_list_box_append (GTK_LIST_BOX (list), movie_row (prepared (self), items[n], score));
    }
  return n;
}

static void
recommend_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PwCampaignsPage) self = user_data;
  g_autofree double *scores = NULL;
  g_auto(GStrv) items = answer_finish (self, pw_workshop_recommend_finish, object, result, &scores);
  GtkWidget *history_list;
  GtkWidget *recommend_list;

  if (items == NULL)
    return;
  clear_box (self->recommend_box);
  /* Translators: the column of a user's recent movies */
  gtk_box_append (self->recommend_box, titled_list (_("Recently Watched"), &history_list));
  /* Translators: the column of the campaign's answer */
  gtk_box_append (self->recommend_box, titled_list (_("Recommended"), &recommend_list));
  fill_history (self, history_list, self->user_id);
  self->n_recommended = fill_answer (self, recommend_list, items, scores);
}

static void
recommend_cb (PwCampaignsPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  g_autofree char *id = pw_ui_editable_dup_stripped (GTK_EDITABLE (self->user_entry));

  if (workshop == NULL || id == NULL)
    return;
  pw_campaigns_page_set_user_id (self, id);
  pw_workshop_recommend_async (workshop, id, N_RESULTS, self->cancellable,
                               recommend_done_cb, g_object_ref (self));
}

static void
pick_user_cb (GtkButton       *button,
              PwCampaignsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), gtk_button_get_label (button));
  recommend_cb (self);
}

/* As the user types, the first matching user ids (by prefix) as buttons. */
static void
user_search_changed_cb (PwCampaignsPage *self)
{
  PwPrepareResult *data = prepared (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));
  PwInteractions *in;
  GtkWidget *flow;
  guint found = 0;

  if (data == NULL || data->interactions == NULL || *text == '\0')
    return;
  if (gtk_widget_get_first_child (GTK_WIDGET (self->recommend_box)) != NULL &&
      g_strcmp0 (text, self->user_id) == 0)
    return;

  in = data->interactions;
  clear_box (self->recommend_box);
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), N_MATCHES);
  for (guint u = 0; u < in->n_users && found < N_MATCHES; u++)
    {
      const char *id = pw_interactions_get_user_id (in, u);

      if (id != NULL && g_str_has_prefix (id, text))
        {
          GtkWidget *button = gtk_button_new_with_label (id);
          gtk_widget_add_css_class (button, "pill");
          g_signal_connect_object (button, "clicked", G_CALLBACK (pick_user_cb), self, 0);
          gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
          found++;
        }
    }
  if (found > 0)
    gtk_box_append (self->recommend_box, flow);
}

static void
similar_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PwCampaignsPage) self = user_data;
  g_autofree double *scores = NULL;
  g_auto(GStrv) items = answer_finish (self, pw_workshop_similar_items_finish, object, result, &scores);
  GtkWidget *list;

  if (items == NULL)
    return;
  clear_box (self->similar_box);
  {
    g_autofree char *title = movie_title (prepared (self), self->similar_item);
    /* Translators: the heading of the similar-items answer, %s is a movie title */
    g_autofree char *heading = g_strdup_printf (_("Movies Like “%s”"), title);
    gtk_box_append (self->similar_box, titled_list (heading, &list));
  }
  self->n_similar = fill_answer (self, list, items, scores);
}

static void
ask_similar (PwCampaignsPage *self,
             const char      *item_id)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));

  if (workshop == NULL)
    return;
  g_free (self->similar_item);
  self->similar_item = g_strdup (item_id);
  pw_workshop_similar_items_async (workshop, item_id, N_RESULTS, self->cancellable,
                                   similar_done_cb, g_object_ref (self));
}

static void
pick_movie_cb (GtkListBox      *list,
               GtkListBoxRow   *row,
               PwCampaignsPage *self)
{
  const char *item_id = g_object_get_data (G_OBJECT (row), "item-id");

  if (item_id != NULL)
    ask_similar (self, item_id);
}

/* Titles containing the query (case-insensitive), as rows to pick. */
static guint
show_title_matches (PwCampaignsPage *self,
                    const char      *query,
                    char           **out_first)
{
  PwPrepareResult *data = prepared (self);
  g_autofree char *needle = g_utf8_casefold (query, -1);
  GtkWidget *list;
  guint found = 0;

  clear_box (self->similar_box);
  if (data == NULL || data->items == NULL || *query == '\0')
    return 0;
  list = gtk_list_box_new ();
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
  g_signal_connect_object (list, "row-activated", G_CALLBACK (pick_movie_cb), self, 0);
  for (guint i = 0; i < data->items->n_items && found < N_MATCHES; i++)
    {
      g_autofree char *title = g_utf8_casefold (pw_items_get_title (data->items, i), -1);
      if (strstr (title, needle) != NULL)
        {
          GtkWidget *row = movie_row (data, pw_items_get_id (data->items, i), NULL);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "item-id", g_strdup (pw_items_get_id (data->items, i)), g_free);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
          if (found == 0 && out_first != NULL)
            *out_first = g_strdup (pw_items_get_id (data->items, i));
          found++;
        }
    }
  if (found > 0)
    gtk_box_append (self->similar_box, list);
  return found;
}

static void
title_search_changed_cb (PwCampaignsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));

  pw_campaigns_page_set_item_query (self, text);
  show_title_matches (self, text, NULL);
}

/* Apply (Enter): the first match, or the text as an item id. */
static void
similar_cb (PwCampaignsPage *self)
{
  g_autofree char *first = NULL;
  g_autofree char *text = pw_ui_editable_dup_stripped (GTK_EDITABLE (self->title_entry));

  if (text == NULL)
    return;
  if (show_title_matches (self, text, &first) > 0)
    ask_similar (self, first);
  else
    ask_similar (self, text);
}

static void
update_tryout (PwCampaignsPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  gboolean ready = workshop != NULL &&
                   pw_workshop_get_step_state (workshop, PW_WORKSHOP_STEP_CAMPAIGNS) == PW_WORKSHOP_STEP_STATE_COMPLETE;

  gtk_widget_set_visible (GTK_WIDGET (self->recommend_group), ready);
  gtk_widget_set_visible (GTK_WIDGET (self->similar_group), ready);
  if (!ready)
    {
      clear_box (self->recommend_box);
      clear_box (self->similar_box);
    }
}

static void
step_state_changed_cb (PwCampaignsPage *self,
                       PwWorkshopStep   step)
{
  if (step == PW_WORKSHOP_STEP_CAMPAIGNS)
    update_tryout (self);
}

static void
pw_campaigns_page_constructed (GObject *object)
{
  PwCampaignsPage *self = PW_CAMPAIGNS_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_campaigns_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_CAMPAIGNS);
  gtk_box_append (self->diagram_box, pw_structure_diagram_new (workshop));
  gtk_box_append (self->resources_box,
                  pw_resource_list_new (workshop ? pw_workshop_get_resources (workshop) : NULL,
                                        PW_RESOURCE_KIND_BIT (PW_RESOURCE_CAMPAIGN)));
  if (workshop != NULL)
    g_signal_connect_object (workshop, "step-state-changed",
                             G_CALLBACK (step_state_changed_cb), self, G_CONNECT_SWAPPED);
  update_tryout (self);
}

static void
pw_campaigns_page_dispose (GObject *object)
{
  PwCampaignsPage *self = PW_CAMPAIGNS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_CAMPAIGNS_PAGE);

  G_OBJECT_CLASS (pw_campaigns_page_parent_class)->dispose (object);
}

static void
pw_campaigns_page_finalize (GObject *object)
{
  PwCampaignsPage *self = PW_CAMPAIGNS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->item_query, g_free);
  g_clear_pointer (&self->similar_item, g_free);

  G_OBJECT_CLASS (pw_campaigns_page_parent_class)->finalize (object);
}

static void
pw_campaigns_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PwCampaignsPage *self = PW_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_ITEM_QUERY:
      g_value_set_string (value, self->item_query);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_campaigns_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PwCampaignsPage *self = PW_CAMPAIGNS_PAGE (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      pw_campaigns_page_set_user_id (self, g_value_get_string (value));
      break;
    case PROP_ITEM_QUERY:
      pw_campaigns_page_set_item_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_campaigns_page_class_init (PwCampaignsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_campaigns_page_constructed;
  object_class->dispose = pw_campaigns_page_dispose;
  object_class->finalize = pw_campaigns_page_finalize;
  object_class->get_property = pw_campaigns_page_get_property;
  object_class->set_property = pw_campaigns_page_set_property;

  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ITEM_QUERY] =
    g_param_spec_string ("item-query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-campaigns-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, diagram_box);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, resources_box);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, progress);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, recommend_group);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, user_entry);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, recommend_box);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, similar_group);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, title_entry);
  gtk_widget_class_bind_template_child (widget_class, PwCampaignsPage, similar_box);
  gtk_widget_class_bind_template_callback (widget_class, recommend_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, similar_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_search_changed_cb);
}

static void
pw_campaigns_page_init (PwCampaignsPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  pw_page_set_title (PW_PAGE (self), _("Campaigns"));
  pw_page_set_icon_name (PW_PAGE (self), "media-playback-start-symbolic");
}

PwPage *
pw_campaigns_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_CAMPAIGNS_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_CAMPAIGNS,
                       NULL);
}

const char *
pw_campaigns_page_get_user_id (PwCampaignsPage *self)
{
  g_return_val_if_fail (PW_IS_CAMPAIGNS_PAGE (self), NULL);

  return self->user_id;
}

void
pw_campaigns_page_set_user_id (PwCampaignsPage *self,
                               const char      *user_id)
{
  g_return_if_fail (PW_IS_CAMPAIGNS_PAGE (self));

  if (!pw_ui_set_str (&self->user_id, user_id))
    return;
  pw_ui_editable_sync_text (GTK_EDITABLE (self->user_entry), user_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
}

const char *
pw_campaigns_page_get_item_query (PwCampaignsPage *self)
{
  g_return_val_if_fail (PW_IS_CAMPAIGNS_PAGE (self), NULL);

  return self->item_query;
}

void
pw_campaigns_page_set_item_query (PwCampaignsPage *self,
                                  const char      *query)
{
  g_return_if_fail (PW_IS_CAMPAIGNS_PAGE (self));

  if (!pw_ui_set_str (&self->item_query, query))
    return;
  pw_ui_editable_sync_text (GTK_EDITABLE (self->title_entry), query);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM_QUERY]);
}

guint
pw_campaigns_page_get_n_recommended (PwCampaignsPage *self)
{
  g_return_val_if_fail (PW_IS_CAMPAIGNS_PAGE (self), 0);

  return self->n_recommended;
}

guint
pw_campaigns_page_get_n_similar (PwCampaignsPage *self)
{
  g_return_val_if_fail (PW_IS_CAMPAIGNS_PAGE (self), 0);

  return self->n_similar;
}
