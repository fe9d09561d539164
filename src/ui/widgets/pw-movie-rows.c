/* pw-movie-rows.c: rows and columns of movies for the results pages
 *
 * Live Events, the storefront and Analysis all show movies the same way:
 * rank, title, genres (from the prepared data through the workshop, never
 * the engine), and a mark for items that entered or left a list or that
 * are hits. Marks are words as well as colours, so they read on a
 * projector, in greyscale and to a screen reader. Also the genre shares
 * of lists, for the stacked bar chart: each item counts 1, split evenly
 * among its genres, so a list's shares sum to 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-movie-rows"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-movie-rows.h"
#include "pw-workshop-data.h"

char *
pw_movie_dup_title (PwWorkshop *workshop,
                    const char *item_id)
{
  const char *title = workshop ? pw_workshop_get_item_title (workshop, item_id) : NULL;

  if (title != NULL && *title != '\0')
    return g_strdup (title);
  /* Translators: a movie without a title, %s is its id */
  return g_strdup_printf (_("Movie %s"), item_id);
}

char *
pw_movie_dup_genres (PwWorkshop *workshop,
                     const char *item_id)
{
  const char *genres = workshop ? pw_workshop_get_item_genres (workshop, item_id) : NULL;
  char *shown = g_strdup (genres ? genres : "");

  /* "Action|Thriller" -> "Action, Thriller" */
  if (strchr (shown, '|') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (shown, "|", -1);
      g_free (shown);
      shown = g_strjoinv (", ", parts);
    }
  return shown;
}

GtkWidget *
pw_movie_row_new (PwWorkshop  *workshop,
                  const char  *item_id,
                  const char  *prefix,
                  const char  *extra,
                  PwMovieMark  mark)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = pw_movie_dup_title (workshop, item_id);
  g_autofree char *genres = pw_movie_dup_genres (workshop, item_id);
  const char *word = NULL;
  const char *css = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (*genres != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), genres);
  g_object_set_data_full (G_OBJECT (row), "item-id", g_strdup (item_id), g_free);

  if (prefix != NULL)
    {
      GtkWidget *label = gtk_label_new (prefix);

      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_size_request (label, 24, -1);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);
    }
  if (extra != NULL)
    {
      GtkWidget *label = gtk_label_new (extra);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  switch (mark)
    {
    case PW_MOVIE_MARK_NEW:
      /* Translators: a mark on a movie that entered the list after a click; keep it short */
      word = C_("movie mark", "New");
      css = "mark-new";
      break;
    case PW_MOVIE_MARK_LEFT:
      /* Translators: a mark on a movie that left the list after a click; keep it short */
      word = C_("movie mark", "Left");
      css = "mark-left";
      break;
    case PW_MOVIE_MARK_HIT:
      /* Translators: a mark on a recommended movie the user really watched later; keep it short */
      word = C_("movie mark", "Hit");
      css = "mark-hit";
      break;
    case PW_MOVIE_MARK_NONE:
    default:
      break;
    }
  if (word != NULL)
    {
      GtkWidget *badge = gtk_label_new (word);

      gtk_widget_add_css_class (badge, "movie-mark");
      gtk_widget_add_css_class (badge, css);
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
      gtk_widget_add_css_class (row, css);
      {
        g_autofree char *description = g_strdup_printf ("%s, %s", word, genres);
        gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                        -1);
      }
    }
  return row;
}

char *
pw_movie_dup_day (gint64 timestamp)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (timestamp);

  return when != NULL ? g_date_time_format (when, "%Y-%m-%d") : NULL;
}

GtkWidget *
pw_movie_row_new_for_interaction (PwWorkshop                  *workshop,
                                  const PwWorkshopInteraction *interaction)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (interaction != NULL, NULL);

  date = pw_movie_dup_day (interaction->timestamp);
  return pw_movie_row_new (workshop, interaction->item_id, NULL, date, PW_MOVIE_MARK_NONE);
}

GtkWidget *
pw_movie_list_new (const char *accessible_name)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  if (accessible_name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                    -1);
  return list;
}

void
pw_movie_clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_BOX (box))
        gtk_box_remove (GTK_BOX (box), child);
      else if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
add_shares (GHashTable         *shares,
            PwWorkshop         *workshop,
            const char * const *items)
{
  guint n = items ? g_strv_length ((char **) items) : 0;

  for (guint i = 0; i < n; i++)
    {
      const char *genres = pw_workshop_get_item_genres (workshop, items[i]);
      g_auto(GStrv) parts = g_strsplit (genres && *genres ? genres : "", "|", -1);
      guint n_parts = g_strv_length (parts);

      if (n_parts == 0)
        {
          /* Translators: the genre share of movies without a genre */
          double *v = g_hash_table_lookup (shares, _("Unknown"));
          if (v == NULL)
            g_hash_table_insert (shares, g_strdup (_("Unknown")), v = g_new0 (double, 1));
          *v += 1.0 / n;
          continue;
        }
      for (guint g = 0; g < n_parts; g++)
        {
          double *v = g_hash_table_lookup (shares, parts[g]);

          if (v == NULL)
            g_hash_table_insert (shares, g_strdup (parts[g]), v = g_new0 (double, 1));
          *v += 1.0 / n / n_parts;
        }
    }
}

/* The share of @genre among @items (each item split among its genres). */
double
pw_movie_genre_share (PwWorkshop         *workshop,
                      const char * const *items,
                      const char         *genre)
{
  g_autoptr(GHashTable) shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  double *v;

  add_shares (shares, workshop, items);
  v = g_hash_table_lookup (shares, genre);
  return v ? *v : 0;
}

typedef struct { const char *genre; double total; } GenreTotal;

static int
compare_totals (gconstpointer a,
                gconstpointer b)
{
  const GenreTotal *x = a, *y = b;

  if (x->total != y->total)
    return x->total < y->total ? 1 : -1;
  return g_strcmp0 (x->genre, y->genre);
}

/**
 * pw_movie_genre_shares:
 * @chart: a stacked chart to fill (categories and series replaced)
 * @lists: (element-type GStrv): the lists, in order
 * @names: (element-type utf8): the category label of each list
 * @max_genres: the genres shown as series, the largest overall; the rest
 *   is one series "Other genres"
 *
 * Fills @chart with the genre shares of each list.
 */
void
pw_movie_genre_shares (PwChart    *chart,
                       PwWorkshop *workshop,
                       GPtrArray  *lists,
                       GPtrArray  *names,
                       guint       max_genres)
{
  g_autoptr(GPtrArray) per_list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GHashTable) totals = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (GenreTotal));
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint shown;

  g_return_if_fail (lists->len == names->len);

  for (guint l = 0; l < lists->len; l++)
    {
      GHashTable *shares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      add_shares (shares, workshop, g_ptr_array_index (lists, l));
      g_ptr_array_add (per_list, shares);
      g_hash_table_iter_init (&iter, shares);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          double *t = g_hash_table_lookup (totals, key);
          if (t == NULL)
            {
              GenreTotal gt = { key, 0 };
              g_array_append_val (sorted, gt);
              g_hash_table_insert (totals, key, GUINT_TO_POINTER (sorted->len));
            }
          g_array_index (sorted, GenreTotal, GPOINTER_TO_UINT (g_hash_table_lookup (totals, key)) - 1).total += *(double *) value;
        }
    }
  g_array_sort (sorted, compare_totals);
  shown = MIN (sorted->len, max_genres);
  if (sorted->len == max_genres + 1)
    shown = sorted->len;  /* "Other" for one genre says less than its name */

  pw_chart_clear (chart);
  for (guint l = 0; l < names->len; l++)
    g_ptr_array_add (labels, g_ptr_array_index (names, l));
  g_ptr_array_add (labels, NULL);
  pw_chart_set_categories (chart, (const char * const *) labels->pdata);
  for (guint g = 0; g < shown; g++)
    {
      g_autofree double *values = g_new0 (double, lists->len);
      const char *genre = g_array_index (sorted, GenreTotal, g).genre;

      for (guint l = 0; l < lists->len; l++)
        {
          double *v = g_hash_table_lookup (g_ptr_array_index (per_list, l), genre);
          values[l] = v ? *v : 0;
        }
      pw_chart_add_series (chart, genre, values, lists->len);
    }
  if (shown < sorted->len)
    {
      g_autofree double *values = g_new0 (double, lists->len);

      for (guint l = 0; l < lists->len; l++)
        {
          double sum = 0, all = 0;

          g_hash_table_iter_init (&iter, g_ptr_array_index (per_list, l));
          while (g_hash_table_iter_next (&iter, &key, &value))
            all += *(double *) value;
          for (guint g = 0; g < shown; g++)
            {
              double *v = g_hash_table_lookup (g_ptr_array_index (per_list, l),
                                               g_array_index (sorted, GenreTotal, g).genre);
              sum += v ? *v : 0;
            }
          values[l] = MAX (0, all - sum);
        }
      /* Translators: the series of a genre chart that groups the smaller genres */
      pw_chart_add_series (chart, _("Other genres"), values, lists->len);
    }
}

/**
 * pw_movie_list_columns:
 * @chart: a chart of the columns kind to fill (its columns replaced)
 * @lists: (element-type GStrv): the lists of item ids, in order
 * @names: (element-type utf8): the heading of each list (the clicked movie)
 *
 * Fills @chart with the lists side by side, as titles: each list with the
 * items that entered it since the list before marked, then the items of
 * the list before that left it. The same marks as the Live Events page's
 * columns.
 */
void
pw_movie_list_columns (PwChart    *chart,
                       PwWorkshop *workshop,
                       GPtrArray  *lists,
                       GPtrArray  *names)
{
  g_return_if_fail (PW_IS_CHART (chart));
  g_return_if_fail (lists->len == names->len);

  pw_chart_clear (chart);
  for (guint l = 0; l < lists->len; l++)
    {
      const char * const *list = g_ptr_array_index (lists, l);
      const char * const *before = l > 0 ? g_ptr_array_index (lists, l - 1) : NULL;
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (PwChartMark));

      for (guint i = 0; list != NULL && list[i] != NULL; i++)
        {
          PwChartMark mark = before != NULL && !g_strv_contains (before, list[i])
                             ? PW_CHART_MARK_ENTERED : PW_CHART_MARK_NONE;

          g_ptr_array_add (texts, pw_movie_dup_title (workshop, list[i]));
          g_array_append_val (marks, mark);
        }
      for (guint i = 0; before != NULL && before[i] != NULL; i++)
        if (list == NULL || !g_strv_contains (list, before[i]))
          {
            PwChartMark mark = PW_CHART_MARK_LEFT;

            g_ptr_array_add (texts, pw_movie_dup_title (workshop, before[i]));
            g_array_append_val (marks, mark);
          }
      pw_chart_add_column (chart, g_ptr_array_index (names, l),
                           (const char * const *) texts->pdata, (const PwChartMark *) marks->data, texts->len);
    }
}
