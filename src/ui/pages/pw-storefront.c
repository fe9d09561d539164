/* pw-storefront.c: the live events as a small movie site, for an audience
 *
 * Question 1 of the workshop told as a movie site would: a "Recommended
 * for you" row (the user-personalization campaign), a "Because you
 * watched …" row (the similar-items campaign, seeded with the last movie
 * clicked, or the user's last training movie), and a grid of well-known
 * titles of every genre. Clicking any movie sends the event through the
 * workshop (PutEvents, then the next list) and both rows refresh; the
 * page that opened it hears of each new list ("list-changed") and adds
 * it as a column. Posters are drawn from the genre (no images are
 * downloaded): a coloured tile with the title in large type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-storefront"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-movie-rows.h"
#include "pw-storefront.h"
#include "pw-ui.h"
#include "pw-workshop-data.h"
#include "pw-workshop-events.h"

#define N_ROW 10
#define N_PER_GENRE 2
#define N_GRID 24

struct _PwStorefront
{
  AdwBin parent_instance;

  PwWorkshop *workshop;
  char *user_id;
  char *seed;
  GStrv recommended;
  GStrv similar;
  gboolean busy;
  guint n_refreshes;
  GCancellable *cancellable;

  GtkLabel *greeting;
  GtkWidget *recommended_row;
  GtkLabel *because_label;
  GtkWidget *similar_row;
  GtkWidget *grid;
  GtkLabel *status;
};

G_DEFINE_FINAL_TYPE (PwStorefront, pw_storefront, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WORKSHOP,
  PROP_USER_ID,
  N_PROPS
};

enum {
  LIST_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void tile_clicked_cb (GtkButton *button, PwStorefront *self);

/* A poster: the title over a colour of its first genre. */
static GtkWidget *
tile_new (PwStorefront *self,
          const char   *item_id,
          gboolean      large)
{
  g_autofree char *title = pw_movie_dup_title (self->workshop, item_id);
  g_autofree char *genres = pw_movie_dup_genres (self->workshop, item_id);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *poster = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (title);
  GtkWidget *kind = gtk_label_new (genres);
  g_autofree char *css = g_strdup_printf ("poster-%u", g_str_hash (genres) % 6);
  g_autofree char *accessible = g_strdup_printf ("%s, %s", title, genres);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "storefront-tile");
  gtk_widget_add_css_class (poster, "poster");
  gtk_widget_add_css_class (poster, css);
  gtk_widget_set_size_request (poster, large ? 180 : 150, large ? 240 : 200);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (name), 4);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 12);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (name, "poster-title");
  gtk_widget_set_vexpand (name, TRUE);
  gtk_widget_set_valign (name, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (name, 10);
  gtk_widget_set_margin_end (name, 10);
  gtk_box_append (GTK_BOX (poster), name);
  gtk_label_set_ellipsize (GTK_LABEL (kind), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (kind), 18);
  gtk_widget_add_css_class (kind, "caption");
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_box_append (GTK_BOX (box), poster);
  gtk_box_append (GTK_BOX (box), kind);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_tooltip_text (button, accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "item-id", g_strdup (item_id), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (tile_clicked_cb), self, 0);
  return button;
}

static void
fill_row (PwStorefront        *self,
          GtkWidget           *row,
          const char * const  *items)
{
  pw_movie_clear_box (row);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    gtk_box_append (GTK_BOX (row), tile_new (self, items[i], TRUE));
}

static void
set_busy (PwStorefront *self,
          gboolean      busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->recommended_row, !busy);
  gtk_widget_set_sensitive (self->similar_row, !busy);
  gtk_widget_set_sensitive (self->grid, !busy);
}

static void
show_error (PwStorefront *self,
            GError       *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_text (self->status, error->message);
}

static void
similar_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PwStorefront) self = user_data;
  g_autoptr(GError) error = NULL;
  char **items = pw_workshop_similar_items_finish (PW_WORKSHOP (object), result, NULL, &error);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  set_busy (self, FALSE);
  if (items == NULL)
    {
      show_error (self, error);
      return;
    }
  g_strfreev (self->similar);
  self->similar = items;
  title = pw_movie_dup_title (self->workshop, self->seed);
  /* Translators: the storefront's row of similar movies, %s a title */
  text = g_strdup_printf (_("Because you watched “%s”"), title);
  gtk_label_set_text (self->because_label, text);
  fill_row (self, self->similar_row, (const char * const *) items);
  self->n_refreshes++;
}

static void
ask_similar (PwStorefront *self)
{
  if (self->seed == NULL)
    {
      set_busy (self, FALSE);
      return;
    }
  pw_workshop_similar_items_async (self->workshop, self->seed, N_ROW, self->cancellable,
                                   similar_cb, g_object_ref (self));
}

static void
recommended_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PwStorefront) self = user_data;
  g_autoptr(GError) error = NULL;
  char **items = pw_workshop_recommend_finish (PW_WORKSHOP (object), result, NULL, &error);

  if (items == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error);
      return;
    }
  g_strfreev (self->recommended);
  self->recommended = items;
  fill_row (self, self->recommended_row, (const char * const *) items);
  ask_similar (self);
}

static void
event_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PwStorefront) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean changed = TRUE;
  char **items = pw_workshop_put_event_finish (PW_WORKSHOP (object), result, NULL, &changed, &error);

  if (items == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error);
      return;
    }
  g_strfreev (self->recommended);
  self->recommended = items;
  fill_row (self, self->recommended_row, (const char * const *) items);
  gtk_label_set_text (self->status, changed ? "" : _("The list did not change within the time allowed."));
  g_signal_emit (self, signals[LIST_CHANGED], 0, self->seed, self->recommended);
  ask_similar (self);
}

static void
tile_clicked_cb (GtkButton    *button,
                 PwStorefront *self)
{
  pw_storefront_click (self, g_object_get_data (G_OBJECT (button), "item-id"));
}

static void
fill_grid (PwStorefront *self)
{
  g_auto(GStrv) genres = pw_workshop_list_genres (self->workshop);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  pw_movie_clear_box (self->grid);
  for (guint g = 0; genres != NULL && genres[g] != NULL && seen->len < N_GRID; g++)
    {
      g_auto(GStrv) films = pw_workshop_get_genre_shortcuts (self->workshop, genres[g], N_PER_GENRE + 2);
      guint added = 0;

      for (guint i = 0; films != NULL && films[i] != NULL && added < N_PER_GENRE; i++)
        {
          if (g_ptr_array_find_with_equal_func (seen, films[i], g_str_equal, NULL))
            continue;
          g_ptr_array_add (seen, g_strdup (films[i]));
          gtk_flow_box_append (GTK_FLOW_BOX (self->grid), tile_new (self, films[i], FALSE));
          added++;
        }
    }
}

static void
pw_storefront_constructed (GObject *object)
{
  PwStorefront *self = PW_STOREFRONT (object);

  G_OBJECT_CLASS (pw_storefront_parent_class)->constructed (object);
  if (self->workshop != NULL)
    fill_grid (self);
}

static void
pw_storefront_dispose (GObject *object)
{
  PwStorefront *self = PW_STOREFRONT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->workshop);
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_STOREFRONT);

  G_OBJECT_CLASS (pw_storefront_parent_class)->dispose (object);
}

static void
pw_storefront_finalize (GObject *object)
{
  PwStorefront *self = PW_STOREFRONT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->seed, g_free);
  g_clear_pointer (&self->recommended, g_strfreev);
  g_clear_pointer (&self->similar, g_strfreev);

  G_OBJECT_CLASS (pw_storefront_parent_class)->finalize (object);
}

static void
pw_storefront_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PwStorefront *self = PW_STOREFRONT (object);

  switch (prop_id)
    {
    case PROP_WORKSHOP:
      g_value_set_object (value, self->workshop);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_storefront_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PwStorefront *self = PW_STOREFRONT (object);

  switch (prop_id)
    {
    case PROP_WORKSHOP:
      self->workshop = g_value_dup_object (value);
      break;
    case PROP_USER_ID:
      pw_storefront_set_user_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_storefront_class_init (PwStorefrontClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_storefront_constructed;
  object_class->dispose = pw_storefront_dispose;
  object_class->finalize = pw_storefront_finalize;
  object_class->get_property = pw_storefront_get_property;
  object_class->set_property = pw_storefront_set_property;

  properties[PROP_WORKSHOP] =
    g_param_spec_object ("workshop", NULL, NULL, PW_TYPE_WORKSHOP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwStorefront::list-changed:
   * @item_id: the movie clicked
   * @items: the user's new list
   */
  signals[LIST_CHANGED] =
    g_signal_new ("list-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);

  gtk_widget_class_set_css_name (widget_class, "storefront");
  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-storefront.ui");
  gtk_widget_class_bind_template_child (widget_class, PwStorefront, greeting);
  gtk_widget_class_bind_template_child (widget_class, PwStorefront, status);
  gtk_widget_class_bind_template_child (widget_class, PwStorefront, recommended_row);
  gtk_widget_class_bind_template_child (widget_class, PwStorefront, because_label);
  gtk_widget_class_bind_template_child (widget_class, PwStorefront, similar_row);
  gtk_widget_class_bind_template_child (widget_class, PwStorefront, grid);
}

static void
pw_storefront_init (PwStorefront *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
pw_storefront_new (PwWorkshop *workshop)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (workshop), NULL);
  return g_object_new (PW_TYPE_STOREFRONT, "workshop", workshop, NULL);
}

const char *
pw_storefront_get_user_id (PwStorefront *self)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), NULL);
  return self->user_id;
}

/**
 * pw_storefront_set_user_id:
 *
 * Shows the site as @user_id sees it: their list, and movies like their
 * last training movie.
 */
void
pw_storefront_set_user_id (PwStorefront *self,
                           const char   *user_id)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *greeting = NULL;

  g_return_if_fail (PW_IS_STOREFRONT (self));

  if (user_id == NULL || !pw_ui_set_str (&self->user_id, user_id))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);

  /* Translators: the storefront's greeting, %s is a user id */
  greeting = g_strdup_printf (_("Welcome back, user %s"), user_id);
  gtk_label_set_text (self->greeting, greeting);
  g_clear_pointer (&self->seed, g_free);
  history = pw_workshop_get_user_history (self->workshop, user_id, FALSE, 1, NULL);
  if (history != NULL && history->len > 0)
    self->seed = g_strdup (((PwWorkshopInteraction *) g_ptr_array_index (history, 0))->item_id);
  set_busy (self, TRUE);
  pw_workshop_recommend_async (self->workshop, user_id, N_ROW, self->cancellable,
                               recommended_cb, g_object_ref (self));
}

/**
 * pw_storefront_click:
 *
 * What clicking a poster does: sends the event, then refreshes both rows.
 *
 * Returns: %FALSE when it cannot now (no user yet, or busy)
 */
gboolean
pw_storefront_click (PwStorefront *self,
                     const char   *item_id)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  if (self->busy || self->user_id == NULL)
    return FALSE;
  g_free (self->seed);
  self->seed = g_strdup (item_id);
  set_busy (self, TRUE);
  gtk_label_set_text (self->status, _("Sending the click and waiting for the next list…"));
  pw_workshop_put_event_async (self->workshop, self->user_id, item_id, 5.0,
                               (const char * const *) self->recommended, N_ROW, self->cancellable,
                               event_cb, g_object_ref (self));
  return TRUE;
}

gboolean
pw_storefront_get_busy (PwStorefront *self)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), FALSE);
  return self->busy;
}

const char * const *
pw_storefront_get_recommended (PwStorefront *self)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), NULL);
  return (const char * const *) self->recommended;
}

const char * const *
pw_storefront_get_similar (PwStorefront *self)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), NULL);
  return (const char * const *) self->similar;
}

const char *
pw_storefront_get_seed (PwStorefront *self)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), NULL);
  return self->seed;
}

/* How many times both rows were filled (user picked, or a click). */
guint
pw_storefront_get_n_refreshes (PwStorefront *self)
{
  g_return_val_if_fail (PW_IS_STOREFRONT (self), 0);
  return self->n_refreshes;
}
