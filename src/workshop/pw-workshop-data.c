/* pw-workshop-data.c: look-ups in the prepared data for the results pages
 * (titles, histories, the default user, genre shortcuts, search, cold items)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pw-workshop-data.h"

void
pw_workshop_interaction_free (PwWorkshopInteraction *interaction)
{
  if (interaction == NULL)
    return;
  g_free (interaction->user_id);
  g_free (interaction->item_id);
  g_free (interaction->title);
  g_free (interaction->genres);
  g_free (interaction);
}

static PwPrepareResult *
prepared (PwWorkshop  *self,
          GError     **error)
{
  PwPrepareResult *p = pw_workshop_get_prepared (self);

  if (p == NULL || p->interactions == NULL || p->split == NULL)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("The prepared data is not loaded: prepare the data first."));
      return NULL;
    }
  return p;
}

static gboolean
item_index (PwPrepareResult *p,
            const char      *item_id,
            guint           *out)
{
  return p->items != NULL && item_id != NULL && pw_items_lookup (p->items, item_id, out);
}

/* A field of the item (title or genres) from the prepared data, or NULL. */
static const char *
item_field (PwWorkshop  *self,
            const char  *item_id,
            const char *(*get) (PwItems *items,
                                guint    index))
{
  PwPrepareResult *p = pw_workshop_get_prepared (self);
  guint i;

  if (p == NULL || !item_index (p, item_id, &i))
    return NULL;
  return get (p->items, i);
}

const char *
pw_workshop_get_item_title (PwWorkshop *self,
                            const char *item_id)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return item_field (self, item_id, pw_items_get_title);
}

const char *
pw_workshop_get_item_genres (PwWorkshop *self,
                             const char *item_id)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  return item_field (self, item_id, pw_items_get_genres);
}

static PwWorkshopInteraction *
interaction_of_row (PwPrepareResult *p,
                    guint            row)
{
  PwInteractions *t = p->interactions;
  PwWorkshopInteraction *it = g_new0 (PwWorkshopInteraction, 1);
  guint i;

  it->user_id = g_strdup (pw_interactions_get_user_id (t, t->users[row]));
  it->item_id = g_strdup (pw_interactions_get_item_id (t, t->items[row]));
  it->timestamp = t->timestamps[row];
  it->event_value = t->values != NULL ? t->values[row] : NAN;
  if (item_index (p, it->item_id, &i))
    {
      it->title = g_strdup (pw_items_get_title (p->items, i));
      it->genres = g_strdup (pw_items_get_genres (p->items, i));
    }
  else
    {
      it->title = g_strdup ("");
      it->genres = g_strdup ("");
    }
  return it;
}

typedef struct
{
  guint  row;
  gint64 timestamp;
} RowTime;

/* Newest first; equal times: the later row first. */
static int
compare_newest (gconstpointer a,
                gconstpointer b)
{
  const RowTime *x = a, *y = b;

  if (x->timestamp != y->timestamp)
    return x->timestamp > y->timestamp ? -1 : 1;
  return x->row > y->row ? -1 : (x->row < y->row ? 1 : 0);
}

GPtrArray *
pw_workshop_get_user_history (PwWorkshop  *self,
                              const char  *user_id,
                              gboolean     validation,
                              guint        max,
                              GError     **error)
{
  PwPrepareResult *p;
  GPtrArray *out;
  g_autoptr(GArray) rows = NULL;
  const guint32 *set_rows;
  guint n_set_rows;
  guint user;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  if ((p = prepared (self, error)) == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_workshop_interaction_free);
  if (user_id == NULL || !pw_interactions_lookup_user (p->interactions, user_id, &user))
    return out;
  set_rows = validation ? p->split->validation_rows : p->split->training_rows;
  n_set_rows = validation ? p->split->n_validation_rows : p->split->n_training_rows;
  rows = g_array_new (FALSE, FALSE, sizeof (RowTime));
  for (guint k = 0; k < n_set_rows; k++)
    if (p->interactions->users[set_rows[k]] == user)
      {
        RowTime rt = { set_rows[k], p->interactions->timestamps[set_rows[k]] };
        g_array_append_val (rows, rt);
      }
  g_array_sort (rows, compare_newest);
  for (guint k = 0; k < rows->len && (max == 0 || k < max); k++)
    g_ptr_array_add (out, interaction_of_row (p, g_array_index (rows, RowTime, k).row));
  return out;
}

/* Whether item @i (an index of the interactions) has one of @genres. */
static gboolean
has_any_genre (const char         *item_genres,
               const char * const *genres)
{
  g_auto(GStrv) parts = NULL;

  if (item_genres == NULL || *item_genres == '\0')
    return FALSE;
  parts = g_strsplit (item_genres, "|", -1);
  for (guint k = 0; parts[k] != NULL; k++)
    if (g_strv_contains (genres, parts[k]))
      return TRUE;
  return FALSE;
}

/* Per interactions item index: does it have one of @genres? */
static guint8 *
items_with_genres (PwPrepareResult    *p,
                   const char * const *genres,
                   guint              *out_count)
{
  guint8 *with = g_new0 (guint8, MAX (1, p->interactions->n_items));

  *out_count = 0;
  for (guint i = 0; i < p->interactions->n_items; i++)
    {
      guint k;

      if (item_index (p, pw_interactions_get_item_id (p->interactions, i), &k)
          && has_any_genre (pw_items_get_genres (p->items, k), genres))
        {
          with[i] = 1;
          (*out_count)++;
        }
    }
  return with;
}

char *
pw_workshop_find_default_user (PwWorkshop         *self,
                               const char * const *genres,
                               GError            **error)
{
  static const char * const default_genres[] = { "Thriller", "Sci-Fi", NULL };
  PwPrepareResult *p;
  g_autofree guint8 *with = NULL;
  g_autofree guint *total = NULL;
  g_autofree guint *hits = NULL;
  guint n_with;
  guint min_rows = 20;
  gint best = -1;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  if ((p = prepared (self, error)) == NULL)
    return NULL;
  if (genres == NULL || genres[0] == NULL)
    genres = default_genres;
  with = items_with_genres (p, genres, &n_with);
  if (n_with == 0)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) genres);

      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                   _("No item of the data has the genres %s."), list);
      return NULL;
    }
  total = g_new0 (guint, MAX (1, p->interactions->n_users));
  hits = g_new0 (guint, MAX (1, p->interactions->n_users));
  for (guint k = 0; k < p->split->n_training_rows; k++)
    {
      guint row = p->split->training_rows[k];
      guint u = p->interactions->users[row];

      total[u]++;
      hits[u] += with[p->interactions->items[row]];
    }

  for (int pass = 0; pass < 2 && best < 0; pass++, min_rows = 1)
    for (guint u = 0; u < p->interactions->n_users; u++)
      {
        if (total[u] < min_rows || total[u] == 0)
          continue;
        if (best < 0)
          {
            best = (gint) u;
            continue;
          }
        /* hits[u] / total[u] > hits[best] / total[best], exactly */
        {
          guint64 lhs = (guint64) hits[u] * total[best];
          guint64 rhs = (guint64) hits[best] * total[u];

          if (lhs > rhs || (lhs == rhs && hits[u] > hits[best]))
            best = (gint) u;
        }
      }
  if (best < 0 || hits[best] == 0)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                   _("No user of the training data watched these genres."));
      return NULL;
    }
  return g_strdup (pw_interactions_get_user_id (p->interactions, (guint) best));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

char **
pw_workshop_list_genres (PwWorkshop *self)
{
  PwPrepareResult *p;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  p = pw_workshop_get_prepared (self);
  if (p != NULL && p->items != NULL)
    for (guint i = 0; i < p->items->n_items; i++)
      {
        g_auto(GStrv) parts = g_strsplit (pw_items_get_genres (p->items, i), "|", -1);

        for (guint k = 0; parts[k] != NULL; k++)
          if (*parts[k] != '\0' && !g_hash_table_contains (seen, parts[k]))
            {
              g_hash_table_add (seen, g_strdup (parts[k]));
              g_ptr_array_add (out, g_strdup (parts[k]));
            }
      }
  g_ptr_array_sort (out, compare_strings);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* Training rows per interactions item. */
static guint *
training_counts (PwPrepareResult *p)
{
  guint *counts = g_new0 (guint, MAX (1, p->interactions->n_items));

  for (guint k = 0; k < p->split->n_training_rows; k++)
    counts[p->interactions->items[p->split->training_rows[k]]]++;
  return counts;
}

typedef struct
{
  guint index;
  guint count;
} Ranked;

static int
compare_count (gconstpointer a,
               gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

static char **
ranked_ids (PwPrepareResult *p,
            GArray          *ranked,
            guint            max)
{
  GPtrArray *out = g_ptr_array_new ();

  g_array_sort (ranked, compare_count);
  for (guint k = 0; k < ranked->len && k < max; k++)
    g_ptr_array_add (out, g_strdup (pw_interactions_get_item_id (p->interactions,
                                                                 g_array_index (ranked, Ranked, k).index)));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char **
pw_workshop_get_genre_shortcuts (PwWorkshop *self,
                                 const char *genre,
                                 guint       max)
{
  PwPrepareResult *p;
  const char *genres[] = { genre, NULL };
  g_autofree guint8 *with = NULL;
  g_autofree guint *counts = NULL;
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  guint n_with;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  max = CLAMP (max, 1, 500);
  p = pw_workshop_get_prepared (self);
  if (p == NULL || p->split == NULL || genre == NULL || *genre == '\0')
    return g_new0 (char *, 1);
  with = items_with_genres (p, genres, &n_with);
  counts = training_counts (p);
  for (guint i = 0; i < p->interactions->n_items; i++)
    if (with[i] && counts[i] > 0)
      {
        Ranked r = { i, counts[i] };
        g_array_append_val (ranked, r);
      }
  return ranked_ids (p, ranked, max);
}

typedef struct
{
  const char *id;
  guint       index;
} UserMatch;

static gboolean
is_decimal (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static int
compare_user_match (gconstpointer a,
                    gconstpointer b)
{
  const UserMatch *x = a, *y = b;
  gsize lx = strlen (x->id), ly = strlen (y->id);

  /* Shorter first: the exact match (the shortest) leads. For decimal ids
   * of equal length, byte order is numeric order. */
  if (lx != ly)
    return lx < ly ? -1 : 1;
  if (is_decimal (x->id) != is_decimal (y->id))
    return is_decimal (x->id) ? -1 : 1;
  return strcmp (x->id, y->id);
}

char **
pw_workshop_search_users (PwWorkshop *self,
                          const char *text,
                          guint       max)
{
  PwPrepareResult *p;
  g_autofree char *needle = NULL;
  g_autofree guint8 *in_training = NULL;
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (UserMatch));
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  max = CLAMP (max, 1, 1000);
  p = pw_workshop_get_prepared (self);
  if (p != NULL && p->split != NULL && text != NULL)
    {
      needle = g_strstrip (g_strdup (text));
      in_training = g_new0 (guint8, MAX (1, p->interactions->n_users));
      for (guint k = 0; k < p->split->n_training_rows; k++)
        in_training[p->interactions->users[p->split->training_rows[k]]] = 1;
      for (guint u = 0; u < p->interactions->n_users; u++)
        {
          const char *id = pw_interactions_get_user_id (p->interactions, u);

          if (in_training[u] && g_str_has_prefix (id, needle))
            {
              UserMatch m = { id, u };
              g_array_append_val (matches, m);
            }
        }
      g_array_sort (matches, compare_user_match);
      for (guint k = 0; k < matches->len && k < max; k++)
        g_ptr_array_add (out, g_strdup (g_array_index (matches, UserMatch, k).id));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

char **
pw_workshop_search_titles (PwWorkshop *self,
                           const char *text,
                           guint       max)
{
  PwPrepareResult *p;
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree guint *counts = NULL;
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);

  max = CLAMP (max, 1, 1000);
  p = pw_workshop_get_prepared (self);
  if (p == NULL || p->items == NULL || p->split == NULL || text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_new0 (char *, 1);
  folded = g_utf8_casefold (text, -1);
  words = g_strsplit_set (g_strstrip (folded), " \t\n", -1);
  if (words[0] == NULL || *words[0] == '\0')
    return g_new0 (char *, 1);
  counts = training_counts (p);
  for (guint i = 0; i < p->items->n_items; i++)
    {
      const char *title = pw_items_get_title (p->items, i);
      g_autofree char *t = NULL;
      gboolean all = TRUE;
      guint idx = G_MAXUINT;

      if (title == NULL || *title == '\0' || !g_utf8_validate (title, -1, NULL))
        continue;
      t = g_utf8_casefold (title, -1);
      for (guint k = 0; words[k] != NULL && all; k++)
        if (*words[k] != '\0' && strstr (t, words[k]) == NULL)
          all = FALSE;
      if (!all || !pw_interactions_lookup_item (p->interactions, pw_items_get_id (p->items, i), &idx))
        continue;
      {
        Ranked r = { idx, counts[idx] };
        g_array_append_val (ranked, r);
      }
    }
  return ranked_ids (p, ranked, max);
}

gboolean
pw_workshop_item_is_cold (PwWorkshop *self,
                          const char *item_id)
{
  PwPrepareResult *p;
  guint i;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);

  p = pw_workshop_get_prepared (self);
  if (p == NULL || p->split == NULL || item_id == NULL)
    return FALSE;
  if (!pw_interactions_lookup_item (p->interactions, item_id, &i))
    return TRUE;
  /* Training rows are the warm items' rows; a warm item may still have
   * none (all its rows in validation): count the rows. */
  for (guint k = 0; k < p->split->n_training_rows; k++)
    if (p->interactions->items[p->split->training_rows[k]] == i)
      return FALSE;
  return TRUE;
}

int
pw_workshop_count_cold_items (PwWorkshop         *self,
                              const char * const *items)
{
  PwPrepareResult *p;
  g_autofree guint *counts = NULL;
  int n = 0;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), -1);

  p = pw_workshop_get_prepared (self);
  if (p == NULL || p->split == NULL)
    return -1;
  if (items == NULL)
    return 0;
  counts = training_counts (p);
  for (guint k = 0; items[k] != NULL; k++)
    {
      guint i;

      if (!pw_interactions_lookup_item (p->interactions, items[k], &i) || counts[i] == 0)
        n++;
    }
  return n;
}
