/* pw-live-events-page.c: step 6 of 9 (notebooks 4.3 and 4.4), live events and exploration
 *
 * Applying the page runs the workshop's LIVE_EVENTS step (the event
 * tracker). Then, as in the workshop: pick a user (search by id, or the
 * default, the user most concentrated in Thriller and Sci-Fi), see their
 * recent training history and first list, and click movies (search by
 * title, or a genre shortcut such as Documentary). Each click goes through
 * the workshop (PutEvents, then the next list, waiting until it changes on
 * AWS) and the new list becomes a column beside the ones before it, headed
 * by the clicked movie, with the items that entered and left marked. A
 * stacked bar chart shows each list's genre shares. The exploration
 * slider and the item age cut-off change the campaign through
 * UpdateCampaign and the page counts the cold items that enter the list.
 * The storefront opens the same user in a small movie-site look. Charts
 * are published on the session's board for the Results view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-live-events-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-chart-board.h"
#include "pw-live-events-page.h"
#include "pw-movie-rows.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-storefront.h"
#include "pw-ui.h"
#include "pw-workshop-data.h"
#include "pw-workshop-events.h"

#define N_RESULTS 10
#define N_HISTORY 20
#define N_SHORTCUTS 6
#define N_MATCHES 6
#define N_USER_MATCHES 8
#define CLICK_VALUE 5.0
#define EXPLORATION_DELAY_MS 600

struct _PwLiveEventsPage
{
  PwPage parent_instance;

  char *user_id;
  GPtrArray *lists;            /* GStrv per column */
  GPtrArray *names;            /* char * per column */
  guint n_history;
  gboolean exploring;
  gboolean exploration_pending;
  guint exploration_source;
  double applied_weight;
  int n_cold;
  GCancellable *cancellable;
  PwChart *list_columns;
  PwChart *shares;
  PwChart *clicked_share;
  PwChart *cold_chart;
  GArray *cold_weights;        /* double */
  GArray *cold_counts;         /* double */
  char *clicked_genre;

  GtkWidget *ready_box;
  GtkWidget *not_ready;
  AdwEntryRow *user_entry;
  GtkWidget *user_matches;
  GtkWidget *history_list;
  GtkWidget *history_expander;
  AdwEntryRow *title_entry;
  GtkWidget *title_matches;
  AdwComboRow *genre_row;
  GtkWidget *shortcuts;
  GtkWidget *columns;
  GtkLabel *status;
  GtkWidget *chart_view;
  GtkScale *weight_scale;
  GtkSpinButton *age_spin;
  GtkLabel *cold_label;
  GtkWidget *storefront_window;
  PwStepProgress *progress;
  AdwPreferencesGroup *resources_group;
};

G_DEFINE_FINAL_TYPE (PwLiveEventsPage, pw_live_events_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_USER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (PwLiveEventsPage *self,
          gboolean          busy)
{
  pw_page_set_busy (PW_PAGE (self), busy);
  gtk_widget_set_sensitive (self->title_matches, !busy);
  gtk_widget_set_sensitive (self->shortcuts, !busy);
}

static void
set_status (PwLiveEventsPage *self,
            const char       *text)
{
  gtk_label_set_text (self->status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL && *text != '\0');
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), "heading");
}

/* A status that must not be missed: in the warning colour, bold, and
 * announced to screen readers. */
static void
set_warning (PwLiveEventsPage *self,
             const char       *text)
{
  set_status (self, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static gboolean
strv_has (const char * const *list,
          const char         *item)
{
  return list != NULL && g_strv_contains (list, item);
}

/* One column: its heading, the list with entered items marked, then the
 * items that left, struck through. */
static GtkWidget *
column_new (PwLiveEventsPage *self,
            guint             index)
{
  const char * const *list = g_ptr_array_index (self->lists, index);
  const char * const *before = index > 0 ? g_ptr_array_index (self->lists, index - 1) : NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (g_ptr_array_index (self->names, index));
  GtkWidget *listbox = pw_movie_list_new (g_ptr_array_index (self->names, index));
  guint n_new = 0;

  gtk_widget_add_css_class (box, "live-column");
  gtk_widget_set_size_request (box, 190, -1);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), listbox);

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *rank = g_strdup_printf ("%u", i + 1);
      gboolean entered = before != NULL && !strv_has (before, list[i]);

      n_new += entered;
      gtk_list_box_append (GTK_LIST_BOX (listbox),
                           pw_movie_row_new (pw_page_get_workshop (PW_PAGE (self)), list[i], rank, NULL,
                                             entered ? PW_MOVIE_MARK_NEW : PW_MOVIE_MARK_NONE));
    }
  if (before != NULL)
    {
      GtkWidget *left_list = NULL;
      /* Translators: how many movies entered a list after a click */
      g_autofree char *summary = g_strdup_printf (g_dngettext (NULL, "%u new movie", "%u new movies", n_new), n_new);
      GtkWidget *label = gtk_label_new (summary);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_insert_child_after (GTK_BOX (box), label, heading);
      for (guint i = 0; before[i] != NULL; i++)
        if (!strv_has (list, before[i]))
          {
            if (left_list == NULL)
              {
                /* Translators: the heading over the movies that left a list */
                GtkWidget *left_heading = gtk_label_new (_("Left the list"));

                gtk_widget_add_css_class (left_heading, "caption-heading");
                gtk_label_set_xalign (GTK_LABEL (left_heading), 0);
                gtk_widget_set_margin_top (left_heading, 6);
                gtk_box_append (GTK_BOX (box), left_heading);
                left_list = pw_movie_list_new (_("Left the list"));
                gtk_box_append (GTK_BOX (box), left_list);
              }
            gtk_list_box_append (GTK_LIST_BOX (left_list),
                                 pw_movie_row_new (pw_page_get_workshop (PW_PAGE (self)), before[i], NULL, NULL, PW_MOVIE_MARK_LEFT));
          }
    }
  return box;
}

static void
update_charts (PwLiveEventsPage *self)
{
  PwChartBoard *board = pw_chart_board_get_for_workshop (pw_page_get_workshop (PW_PAGE (self)));
  g_autofree char *columns_title = NULL;

  /* Translators: a chart title: a user's lists side by side, %s is the user id */
  columns_title = g_strdup_printf (_("User %s's list after each click"), self->user_id != NULL ? self->user_id : "");
  pw_chart_set_title (self->list_columns, columns_title);
  pw_movie_list_columns (self->list_columns, pw_page_get_workshop (PW_PAGE (self)), self->lists, self->names);
  pw_chart_board_publish (board, "live-columns", self->list_columns);
  pw_movie_genre_shares (self->shares, pw_page_get_workshop (PW_PAGE (self)), self->lists, self->names, 6);
  pw_chart_board_publish (board, "live-genre-shares", self->shares);

  if (self->clicked_genre != NULL && self->lists->len > 1)
    {
      g_autofree double *values = g_new0 (double, self->lists->len);
      g_autofree char *title = NULL;

      for (guint l = 0; l < self->lists->len; l++)
        values[l] = pw_movie_genre_share (pw_page_get_workshop (PW_PAGE (self)), g_ptr_array_index (self->lists, l), self->clicked_genre);
      pw_chart_clear (self->clicked_share);
      /* Translators: a chart title, %s is a genre such as Documentary */
      title = g_strdup_printf (_("Share of %s in each list"), self->clicked_genre);
      pw_chart_set_title (self->clicked_share, title);
      g_ptr_array_add (self->names, NULL);
      pw_chart_set_categories (self->clicked_share, (const char * const *) self->names->pdata);
      g_ptr_array_set_size (self->names, self->names->len - 1);
      pw_chart_add_series (self->clicked_share, self->clicked_genre, values, self->lists->len);
      pw_chart_board_publish (board, "live-clicked-genre", self->clicked_share);
    }
}

static void
add_list (PwLiveEventsPage *self,
          char            **items,
          const char       *name)
{
  GtkWidget *column;

  g_ptr_array_add (self->lists, items);
  g_ptr_array_add (self->names, g_strdup (name));
  column = column_new (self, self->lists->len - 1);
  {
    /* Narrow columns, so that the four lists of the workshop fit across. */
    GtkWidget *clamp = adw_clamp_new ();

    adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 215);
    adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 215);
    adw_clamp_set_child (ADW_CLAMP (clamp), column);
    gtk_widget_set_valign (clamp, GTK_ALIGN_START);
    gtk_flow_box_append (GTK_FLOW_BOX (self->columns), clamp);
  }
  update_charts (self);
}

static void
clear_lists (PwLiveEventsPage *self)
{
  g_ptr_array_set_size (self->lists, 0);
  g_ptr_array_set_size (self->names, 0);
  g_clear_pointer (&self->clicked_genre, g_free);
  pw_movie_clear_box (self->columns);
  pw_chart_clear (self->shares);
  pw_chart_clear (self->list_columns);
  set_status (self, "");
}

static void
first_list_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PwLiveEventsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char **items = pw_workshop_recommend_finish (PW_WORKSHOP (object), result, NULL, &error);

  set_busy (self, FALSE);
  if (items == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  clear_lists (self);
  /* Translators: the heading of the first column of recommendations */
  add_list (self, items, _("1. First list"));
}

static void
fill_history (PwLiveEventsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *expander = adw_expander_row_new ();
  g_autofree char *title = NULL;

  pw_movie_clear_box (self->history_list);
  self->history_expander = NULL;
  self->n_history = 0;
  rows = pw_workshop_get_user_history (pw_page_get_workshop (PW_PAGE (self)), self->user_id, FALSE, N_HISTORY, &error);
  if (rows == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const PwWorkshopInteraction *row = g_ptr_array_index (rows, i);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                pw_movie_row_new_for_interaction (pw_page_get_workshop (PW_PAGE (self)), row));
      self->n_history++;
    }
  /* One row that folds away once the clicks begin, so that the lists come
   * up on the screen. */
  /* Translators: the row holding a user's recent movies; %u how many, %s the user */
  title = g_strdup_printf (g_dngettext (NULL, "User %2$s's %1$u most recent movie", "User %2$s's %1$u most recent movies", self->n_history),
                           self->n_history, self->user_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (self->history_list), expander);
  self->history_expander = expander;
}

static void
start_user (PwLiveEventsPage *self)
{
  if (self->user_id == NULL || pw_page_get_busy (PW_PAGE (self)))
    return;
  fill_history (self);
  clear_lists (self);
  set_busy (self, TRUE);
  pw_workshop_recommend_async (pw_page_get_workshop (PW_PAGE (self)), self->user_id, N_RESULTS, self->cancellable,
                               first_list_cb, g_object_ref (self));
}

static void
user_entry_apply_cb (PwLiveEventsPage *self)
{
  g_autofree char *id = pw_ui_editable_dup_stripped (GTK_EDITABLE (self->user_entry));
  g_auto(GStrv) found = NULL;

  if (id == NULL)
    return;
  found = pw_workshop_search_users (pw_page_get_workshop (PW_PAGE (self)), id, 1);
  if (found == NULL || found[0] == NULL || g_strcmp0 (found[0], id) != 0)
    {
      /* Translators: %s is what was typed as a user id */
      g_autofree char *text = g_strdup_printf (_("There is no user “%s” in the training data"), id);
      pw_page_add_toast (PW_PAGE (self), adw_toast_new (text));
      return;
    }
  pw_live_events_page_set_user_id (self, id);
}

static void
user_match_clicked_cb (GtkButton        *button,
                       PwLiveEventsPage *self)
{
  pw_live_events_page_set_user_id (self, gtk_button_get_label (button));
}

static void
user_entry_changed_cb (PwLiveEventsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));
  g_auto(GStrv) found = NULL;

  pw_movie_clear_box (self->user_matches);
  if (*text == '\0' || g_strcmp0 (text, self->user_id) == 0)
    return;
  found = pw_workshop_search_users (pw_page_get_workshop (PW_PAGE (self)), text, N_USER_MATCHES);
  for (guint i = 0; found != NULL && found[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (found[i]);

      gtk_widget_add_css_class (button, "pill");
      g_signal_connect_object (button, "clicked", G_CALLBACK (user_match_clicked_cb), self, 0);
      gtk_flow_box_append (GTK_FLOW_BOX (self->user_matches), button);
    }
}

static void
default_user_clicked_cb (PwLiveEventsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user = pw_workshop_find_default_user (pw_page_get_workshop (PW_PAGE (self)), NULL, &error);

  if (user == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  pw_live_events_page_set_user_id (self, user);
}

static void
event_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PwLiveEventsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *item_id = g_object_steal_data (G_OBJECT (self), "pw-clicked-item");
  gboolean changed = FALSE;
  char **items = pw_workshop_put_event_finish (PW_WORKSHOP (object), result, NULL, &changed, &error);
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  set_busy (self, FALSE);
  if (items == NULL)
    {
      set_status (self, "");
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  title = pw_movie_dup_title (pw_page_get_workshop (PW_PAGE (self)), item_id);
  /* Translators: the heading of a column of recommendations: its number
   * and the movie clicked just before, "2. After “Hoop Dreams”" */
  name = g_strdup_printf (_("%u. After “%s”"), self->lists->len + 1, title);
  add_list (self, items, name);
  if (self->history_expander != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->history_expander), FALSE);
  if (changed)
    set_status (self, "");
  else
    /* Translators: said when a click did not change the list in time */
    set_warning (self, _("The list did not change within the time allowed."));
}

static void
click_item (PwLiveEventsPage *self,
            const char       *item_id)
{
  const char * const *previous;
  const char *genres;

  if (pw_page_get_busy (PW_PAGE (self)) || self->user_id == NULL || self->lists->len == 0)
    {
      if (self->user_id == NULL)
        pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("Pick a user first")));
      return;
    }
  previous = g_ptr_array_index (self->lists, self->lists->len - 1);
  genres = pw_workshop_get_item_genres (pw_page_get_workshop (PW_PAGE (self)), item_id);
  if (genres != NULL && *genres != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (genres, "|", 2);
      /* The genre shortcut's genre when one is chosen and the movie has it. */
      const char *shortcut = NULL;

      if (adw_combo_row_get_selected_item (self->genre_row) != NULL)
        shortcut = gtk_string_object_get_string (adw_combo_row_get_selected_item (self->genre_row));
      g_free (self->clicked_genre);
      if (shortcut != NULL && strstr (genres, shortcut) != NULL)
        self->clicked_genre = g_strdup (shortcut);
      else
        self->clicked_genre = g_strdup (parts[0]);
    }
  g_object_set_data_full (G_OBJECT (self), "pw-clicked-item", g_strdup (item_id), g_free);
  set_busy (self, TRUE);
  /* Translators: shown while a click is sent and the next list is fetched */
  set_status (self, _("Sending the click and waiting for the next list…"));
  pw_workshop_put_event_async (pw_page_get_workshop (PW_PAGE (self)), self->user_id, item_id, CLICK_VALUE,
                               previous, N_RESULTS, self->cancellable, event_cb, g_object_ref (self));
}

static void
movie_row_activated_cb (GtkListBox       *list,
                        GtkListBoxRow    *row,
                        PwLiveEventsPage *self)
{
  const char *item_id = g_object_get_data (G_OBJECT (row), "item-id");

  if (item_id != NULL)
    click_item (self, item_id);
}

static void
shortcut_clicked_cb (GtkButton        *button,
                     PwLiveEventsPage *self)
{
  const char *item_id = g_object_get_data (G_OBJECT (button), "item-id");

  if (item_id != NULL)
    click_item (self, item_id);
}

static void
title_entry_changed_cb (PwLiveEventsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));
  g_auto(GStrv) found = pw_workshop_search_titles (pw_page_get_workshop (PW_PAGE (self)), text, N_MATCHES);

  pw_movie_clear_box (self->title_matches);
  for (guint i = 0; found != NULL && found[i] != NULL; i++)
    {
      GtkWidget *row = pw_movie_row_new (pw_page_get_workshop (PW_PAGE (self)), found[i], NULL, NULL, PW_MOVIE_MARK_NONE);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (GTK_LIST_BOX (self->title_matches), row);
    }
  gtk_widget_set_visible (self->title_matches, found != NULL && found[0] != NULL);
}

/* Enter in the title entry clicks the first match. */
static void
title_entry_apply_cb (PwLiveEventsPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->title_matches), 0);

  if (row != NULL)
    movie_row_activated_cb (GTK_LIST_BOX (self->title_matches), row, self);
}

static void
genre_selected_cb (PwLiveEventsPage *self)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (self->genre_row);
  g_auto(GStrv) films = NULL;

  pw_movie_clear_box (self->shortcuts);
  if (item == NULL)
    return;
  films = pw_workshop_get_genre_shortcuts (pw_page_get_workshop (PW_PAGE (self)), gtk_string_object_get_string (item), N_SHORTCUTS);
  for (guint i = 0; films != NULL && films[i] != NULL; i++)
    {
      g_autofree char *title = pw_movie_dup_title (pw_page_get_workshop (PW_PAGE (self)), films[i]);
      GtkWidget *button = gtk_button_new_with_label (title);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      if (GTK_IS_LABEL (label))
        {
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
        }
      gtk_widget_set_tooltip_text (button, title);
      gtk_widget_add_css_class (button, "pill");
      g_object_set_data_full (G_OBJECT (button), "item-id", g_strdup (films[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (shortcut_clicked_cb), self, 0);
      gtk_flow_box_append (GTK_FLOW_BOX (self->shortcuts), button);
    }
}

static void
fill_genres (PwLiveEventsPage *self)
{
  g_auto(GStrv) genres = pw_workshop_list_genres (pw_page_get_workshop (PW_PAGE (self)));
  GtkStringList *model = gtk_string_list_new ((const char * const *) genres);
  guint documentary = 0;

  for (guint i = 0; genres != NULL && genres[i] != NULL; i++)
    if (g_strcmp0 (genres[i], "Documentary") == 0)
      documentary = i;
  adw_combo_row_set_model (self->genre_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->genre_row, documentary);
  g_object_unref (model);
  genre_selected_cb (self);
}

/* Exploration. */

static void
update_cold_chart (PwLiveEventsPage *self)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->cold_weights->len; i++)
    g_ptr_array_add (labels, g_strdup_printf ("%.2f", g_array_index (self->cold_weights, double, i)));
  g_ptr_array_add (labels, NULL);
  pw_chart_clear (self->cold_chart);
  pw_chart_set_categories (self->cold_chart, (const char * const *) labels->pdata);
  pw_chart_add_series (self->cold_chart, NULL, (const double *) self->cold_counts->data, self->cold_counts->len);
  pw_chart_board_publish (pw_chart_board_get_for_workshop (pw_page_get_workshop (PW_PAGE (self))), "exploration-cold-items",
                          self->cold_chart);
}

static void apply_exploration (PwLiveEventsPage *self);

static void
exploration_list_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PwLiveEventsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) items = pw_workshop_recommend_finish (PW_WORKSHOP (object), result, NULL, &error);
  g_autofree char *text = NULL;
  guint n;
  double weight = self->applied_weight;
  gboolean found = FALSE;

  self->exploring = FALSE;
  if (items == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  n = g_strv_length (items);
  self->n_cold = pw_workshop_count_cold_items (pw_page_get_workshop (PW_PAGE (self)), (const char * const *) items);
  /* Translators: %d cold movies of %u in a user's list, then the weight */
  text = g_strdup_printf (_("%d of %u movies in user %s's list are cold (never watched in training) at weight %.2f"),
                          self->n_cold, n, self->user_id, weight);
  gtk_label_set_text (self->cold_label, text);

  for (guint i = 0; i < self->cold_weights->len; i++)
    if (ABS (g_array_index (self->cold_weights, double, i) - weight) < 1e-6)
      {
        g_array_index (self->cold_counts, double, i) = self->n_cold;
        found = TRUE;
      }
  if (!found)
    {
      guint at = 0;
      double count = self->n_cold;

      while (at < self->cold_weights->len && g_array_index (self->cold_weights, double, at) < weight)
        at++;
      g_array_insert_val (self->cold_weights, at, weight);
      g_array_insert_val (self->cold_counts, at, count);
    }
  update_cold_chart (self);

  if (self->exploration_pending)
    apply_exploration (self);
}

static void
exploration_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PwLiveEventsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pw_workshop_update_exploration_finish (PW_WORKSHOP (object), result, &error))
    {
      self->exploring = FALSE;
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  self->applied_weight = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "pw-weight")) / 1000.0;
  if (self->user_id == NULL)
    {
      self->exploring = FALSE;
      gtk_label_set_text (self->cold_label, _("Pick a user to count the cold movies in their list."));
      if (self->exploration_pending)
        apply_exploration (self);
      return;
    }
  pw_workshop_recommend_async (PW_WORKSHOP (object), self->user_id, N_RESULTS, self->cancellable,
                               exploration_list_cb, g_object_ref (self));
}

static void
apply_exploration (PwLiveEventsPage *self)
{
  double weight = gtk_range_get_value (GTK_RANGE (self->weight_scale));
  double days = gtk_spin_button_get_value (self->age_spin);

  if (self->exploring)
    {
      self->exploration_pending = TRUE;
      return;
    }
  self->exploration_pending = FALSE;
  self->exploring = TRUE;
  g_object_set_data (G_OBJECT (self), "pw-weight", GUINT_TO_POINTER ((guint) (weight * 1000 + 0.5)));
  /* Translators: shown while the campaign's exploration changes */
  gtk_label_set_text (self->cold_label, _("Updating the campaign…"));
  pw_workshop_update_exploration_async (pw_page_get_workshop (PW_PAGE (self)), weight, days, self->cancellable,
                                        exploration_cb, g_object_ref (self));
}

static gboolean
exploration_timeout_cb (gpointer data)
{
  PwLiveEventsPage *self = data;

  self->exploration_source = 0;
  apply_exploration (self);
  return G_SOURCE_REMOVE;
}

static void
exploration_changed_cb (PwLiveEventsPage *self)
{
  g_clear_handle_id (&self->exploration_source, g_source_remove);
  self->exploration_source = g_timeout_add (EXPLORATION_DELAY_MS, exploration_timeout_cb, self);
}

static void
storefront_list_cb (PwLiveEventsPage *self,
                    const char       *item_id,
                    GStrv             items)
{
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (self->lists->len == 0 || items == NULL)
    return;
  title = pw_movie_dup_title (pw_page_get_workshop (PW_PAGE (self)), item_id);
  name = g_strdup_printf (_("%u. After “%s”"), self->lists->len + 1, title);
  add_list (self, g_strdupv (items), name);
}

static void
storefront_clicked_cb (PwLiveEventsPage *self)
{
  pw_live_events_page_open_storefront (self);
}

static void
update_ready (PwLiveEventsPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  gboolean became_ready = FALSE;

  pw_page_show_ready (PW_PAGE (self), PW_WORKSHOP_STEP_LIVE_EVENTS,
                      workshop != NULL && pw_workshop_get_prepared (workshop) != NULL,
                      self->ready_box, self->not_ready, &became_ready);
  if (became_ready)
    {
      fill_genres (self);
      gtk_range_set_value (GTK_RANGE (self->weight_scale), pw_workshop_get_exploration_weight (workshop));
      self->applied_weight = pw_workshop_get_exploration_weight (workshop);
      /* Setting the value is not a change to apply. */
      g_clear_handle_id (&self->exploration_source, g_source_remove);
    }
}

static void
pw_live_events_page_workshop_changed (PwPage         *page,
                                      PwWorkshopStep  step)
{
  PwLiveEventsPage *self = PW_LIVE_EVENTS_PAGE (page);

  update_ready (self);
}

static void
pw_live_events_page_constructed (GObject *object)
{
  PwLiveEventsPage *self = PW_LIVE_EVENTS_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_live_events_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_LIVE_EVENTS);
  adw_preferences_group_add (self->resources_group,
                             pw_resource_list_new (workshop ? pw_workshop_get_resources (workshop) : NULL,
                                                   PW_RESOURCE_KIND_BIT (PW_RESOURCE_EVENT_TRACKER)));
  if (workshop != NULL)
    {
      self->applied_weight = pw_workshop_get_exploration_weight (workshop);
    }
  update_ready (self);
}

static void
pw_live_events_page_dispose (GObject *object)
{
  PwLiveEventsPage *self = PW_LIVE_EVENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->exploration_source, g_source_remove);
  if (self->storefront_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->storefront_window));
  g_clear_weak_pointer (&self->storefront_window);
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_LIVE_EVENTS_PAGE);

  G_OBJECT_CLASS (pw_live_events_page_parent_class)->dispose (object);
}

static void
pw_live_events_page_finalize (GObject *object)
{
  PwLiveEventsPage *self = PW_LIVE_EVENTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->clicked_genre, g_free);
  g_clear_pointer (&self->lists, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->cold_weights, g_array_unref);
  g_clear_pointer (&self->cold_counts, g_array_unref);
  g_clear_object (&self->shares);
  g_clear_object (&self->list_columns);
  g_clear_object (&self->clicked_share);
  g_clear_object (&self->cold_chart);

  G_OBJECT_CLASS (pw_live_events_page_parent_class)->finalize (object);
}

static void
pw_live_events_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PwLiveEventsPage *self = PW_LIVE_EVENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_live_events_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PwLiveEventsPage *self = PW_LIVE_EVENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      pw_live_events_page_set_user_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_live_events_page_class_init (PwLiveEventsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->workshop_changed = pw_live_events_page_workshop_changed;

  object_class->constructed = pw_live_events_page_constructed;
  object_class->dispose = pw_live_events_page_dispose;
  object_class->finalize = pw_live_events_page_finalize;
  object_class->get_property = pw_live_events_page_get_property;
  object_class->set_property = pw_live_events_page_set_property;

  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_STACKED_BAR_CHART);
  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-live-events-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, progress);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, not_ready);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, ready_box);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, user_entry);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, user_matches);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, title_entry);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, title_matches);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, genre_row);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, shortcuts);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, status);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, columns);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, chart_view);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, weight_scale);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, age_spin);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, cold_label);
  gtk_widget_class_bind_template_child (widget_class, PwLiveEventsPage, resources_group);
  gtk_widget_class_bind_template_callback (widget_class, default_user_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_entry_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_entry_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, movie_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, genre_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, exploration_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, storefront_clicked_cb);
}

static void
pw_live_events_page_init (PwLiveEventsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->cold_weights = g_array_new (FALSE, FALSE, sizeof (double));
  self->cold_counts = g_array_new (FALSE, FALSE, sizeof (double));
  self->n_cold = -1;

  self->list_columns = pw_chart_new (PW_CHART_KIND_COLUMNS);
  self->shares = pw_chart_new (PW_CHART_KIND_STACKED);
  pw_chart_set_title (self->shares, _("Genre shares of each list"));
  pw_chart_set_value_format (self->shares, PW_CHART_VALUE_PERCENT);
  pw_chart_set_value_title (self->shares, _("Share of the list"));
  self->clicked_share = pw_chart_new (PW_CHART_KIND_BAR);
  pw_chart_set_value_format (self->clicked_share, PW_CHART_VALUE_PERCENT);
  pw_chart_set_orientation (self->clicked_share, PW_CHART_ORIENTATION_HORIZONTAL);
  pw_chart_set_value_title (self->clicked_share, _("Share of the list"));
  self->cold_chart = pw_chart_new (PW_CHART_KIND_BAR);
  pw_chart_set_title (self->cold_chart, _("Cold movies in the list by exploration weight"));
  pw_chart_set_category_title (self->cold_chart, _("Exploration weight"));
  pw_chart_set_value_title (self->cold_chart, _("Cold movies"));
  pw_chart_set_orientation (self->cold_chart, PW_CHART_ORIENTATION_VERTICAL);
  pw_chart_view_set_chart (PW_CHART_VIEW (self->chart_view), self->shares);

  pw_page_set_title (PW_PAGE (self), _("Live Events"));
  pw_page_set_icon_name (PW_PAGE (self), "input-mouse-symbolic");
}

PwPage *
pw_live_events_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_LIVE_EVENTS_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_LIVE_EVENTS,
                       NULL);
}

const char *
pw_live_events_page_get_user_id (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), NULL);
  return self->user_id;
}

/**
 * pw_live_events_page_set_user_id:
 *
 * Picks the user: shows their recent history and asks for their first
 * list (the columns start again).
 */
void
pw_live_events_page_set_user_id (PwLiveEventsPage *self,
                                 const char       *user_id)
{
  g_return_if_fail (PW_IS_LIVE_EVENTS_PAGE (self));

  if (pw_page_get_busy (PW_PAGE (self)) || !pw_ui_set_str (&self->user_id, user_id))
    return;
  pw_ui_editable_sync_text (GTK_EDITABLE (self->user_entry), user_id);
  pw_movie_clear_box (self->user_matches);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
  if (user_id != NULL)
    start_user (self);
}

gboolean
pw_live_events_page_get_busy (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), FALSE);
  return pw_page_get_busy (PW_PAGE (self)) || self->exploring;
}

guint
pw_live_events_page_get_n_lists (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), 0);
  return self->lists->len;
}

const char * const *
pw_live_events_page_get_list (PwLiveEventsPage *self,
                              guint             index)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), NULL);
  g_return_val_if_fail (index < self->lists->len, NULL);
  return g_ptr_array_index (self->lists, index);
}

guint
pw_live_events_page_get_n_history (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), 0);
  return self->n_history;
}

/* (transfer none) The stacked chart of the lists' genre shares. */
PwChart *
pw_live_events_page_get_shares_chart (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), NULL);
  return self->shares;
}

/* Cold movies in the user's list after the last exploration change; -1
 * before any. */
int
pw_live_events_page_get_n_cold (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), -1);
  return self->n_cold;
}

double
pw_live_events_page_get_applied_weight (PwLiveEventsPage *self)
{
  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), 0);
  return self->applied_weight;
}

/**
 * pw_live_events_page_open_storefront:
 *
 * Opens (or raises) the storefront window for the current user.
 *
 * Returns: (transfer none): the storefront widget inside it
 */
GtkWidget *
pw_live_events_page_open_storefront (PwLiveEventsPage *self)
{
  GtkWidget *storefront;
  GtkRoot *root;

  g_return_val_if_fail (PW_IS_LIVE_EVENTS_PAGE (self), NULL);

  if (self->storefront_window == NULL)
    {
      GtkWidget *window = adw_window_new ();
      GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *header = adw_header_bar_new ();

      storefront = pw_storefront_new (pw_page_get_workshop (PW_PAGE (self)));
      gtk_window_set_title (GTK_WINDOW (window), _("Storefront"));
      gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
      gtk_box_append (GTK_BOX (toolbar), header);
      gtk_box_append (GTK_BOX (toolbar), storefront);
      gtk_widget_set_vexpand (storefront, TRUE);
      adw_window_set_content (ADW_WINDOW (window), toolbar);
      g_object_set_data (G_OBJECT (window), "pw-storefront", storefront);
      root = gtk_widget_get_root (GTK_WIDGET (self));
      if (GTK_IS_WINDOW (root))
        gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      g_signal_connect_object (storefront, "list-changed", G_CALLBACK (storefront_list_cb), self, G_CONNECT_SWAPPED);
      g_set_weak_pointer (&self->storefront_window, window);
    }
  storefront = g_object_get_data (G_OBJECT (self->storefront_window), "pw-storefront");
  if (self->user_id != NULL)
    pw_storefront_set_user_id (PW_STOREFRONT (storefront), self->user_id);
  gtk_window_present (GTK_WINDOW (self->storefront_window));
  return storefront;
}
