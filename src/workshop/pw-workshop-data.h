/* pw-workshop-data.h: what the results pages look up in the prepared data:
 * titles and genres, users' histories, the default user, genre shortcuts,
 * search, cold items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-workshop.h"

G_BEGIN_DECLS

/*
 * Every function here reads pw_workshop_get_prepared() (the prepared
 * data in memory: interactions, split, items) and calls no service. They
 * are cheap (one pass over the training rows at most; ML-1M: a few
 * milliseconds) and may be called on the main context. Without prepared
 * data (a resumed workshop whose data was not prepared again in this
 * session) they fail with PW_WORKSHOP_ERROR_NOT_READY or return empty
 * results, as each says.
 *
 * "Training" and "validation" are the workshop's split (docs/workshop.md "The
 * split"): the rows of the prepared data's PwSplit with PW_SPLIT_TRAINING
 * and PW_SPLIT_VALIDATION.
 */

/**
 * PwWorkshopInteraction:
 * @user_id: the USER_ID
 * @item_id: the ITEM_ID
 * @title: the item's title ("" when the data has none)
 * @genres: the item's genres, "|" between them ("" when none)
 * @timestamp: TIMESTAMP (seconds since the epoch)
 * @event_value: EVENT_VALUE (the rating for MovieLens; NAN when absent)
 *
 * One interaction row with its item's title and genres. Free with
 * pw_workshop_interaction_free().
 */
typedef struct
{
  char   *user_id;
  char   *item_id;
  char   *title;
  char   *genres;
  gint64  timestamp;
  double  event_value;
} PwWorkshopInteraction;

void pw_workshop_interaction_free (PwWorkshopInteraction *interaction);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwWorkshopInteraction, pw_workshop_interaction_free)

/* (nullable) The title / genres of @item_id in the prepared data's items,
 * "" when the item is known but has none, %NULL when it is unknown or
 * nothing is prepared. Owned by the prepared data. */
const char *pw_workshop_get_item_title   (PwWorkshop *self,
                                          const char *item_id);
const char *pw_workshop_get_item_genres  (PwWorkshop *self,
                                          const char *item_id);

/**
 * pw_workshop_get_user_history:
 * @user_id: a USER_ID
 * @validation: %FALSE: the training rows; %TRUE: the validation rows
 * @max: at most this many, the most recent ones (0: all)
 *
 * The user's rows of that set, newest first (timestamp descending; equal
 * timestamps: the later row first). Returns a GPtrArray of
 * PwWorkshopInteraction (transfer full, with its free function), empty for
 * a user without rows there; %NULL with NOT_READY when nothing is
 * prepared.
 */
GPtrArray  *pw_workshop_get_user_history (PwWorkshop  *self,
                                          const char  *user_id,
                                          gboolean     validation,
                                          guint        max,
                                          GError     **error);

/**
 * pw_workshop_find_default_user:
 * @genres: (nullable): the genres that count; %NULL: { "Thriller",
 *   "Sci-Fi", NULL } (docs/workshop.md 4.4)
 *
 * The user whose training history is most concentrated in @genres: the
 * highest share of training rows whose item has at least one of @genres,
 * among users with at least 20 training rows (all users when none has 20);
 * ties go to the user with more such rows, then to the first user in the
 * data. Returns the USER_ID (transfer full), or %NULL with NOT_READY
 * (nothing prepared) or INVALID_DATA (no item has any of the genres).
 */
char       *pw_workshop_find_default_user (PwWorkshop         *self,
                                           const char * const *genres,
                                           GError            **error);

/* Every genre of the items, sorted (transfer full, %NULL-terminated; empty
 * when nothing is prepared or the items have no genres). */
char      **pw_workshop_list_genres       (PwWorkshop *self);

/**
 * pw_workshop_get_genre_shortcuts:
 * @genre: a genre, e.g. "Documentary" (exact, case-sensitive)
 * @max: how many at most (1..500)
 *
 * The genre's best-known films: the items having @genre, by number of
 * training rows, most first (ties: item order in the data). Items with no
 * training row are not included. (transfer full, %NULL-terminated; empty
 * for an unknown genre or when nothing is prepared.)
 */
char      **pw_workshop_get_genre_shortcuts (PwWorkshop *self,
                                             const char *genre,
                                             guint       max);

/**
 * pw_workshop_search_users:
 * @text: what the user typed; leading and trailing spaces are ignored
 * @max: how many at most (1..1000)
 *
 * USER_IDs of the training set that start with @text (an empty @text
 * matches every user), exact match first, then shorter ids first, then in
 * numeric order for decimal ids and byte order otherwise. (transfer full,
 * %NULL-terminated; empty when nothing matches or nothing is prepared.)
 */
char      **pw_workshop_search_users      (PwWorkshop *self,
                                           const char *text,
                                           guint       max);

/**
 * pw_workshop_search_titles:
 * @text: words the title must contain, case-insensitively (UTF-8 casefold);
 *   each whitespace-separated word must occur
 * @max: how many at most (1..1000)
 *
 * ITEM_IDs of items whose title contains every word of @text, the most
 * interacted-with (training rows) first. An empty @text matches nothing.
 * (transfer full, %NULL-terminated.)
 */
char      **pw_workshop_search_titles     (PwWorkshop *self,
                                           const char *text,
                                           guint       max);

/**
 * pw_workshop_count_cold_items:
 * @items: (array zero-terminated=1): item ids, e.g. a recommendation list
 *
 * How many of @items are cold: never interacted with in the training set
 * (docs/workshop.md: the items of the split's cold half and any item not in the
 * data at all). These are the items only exploration (explorationWeight)
 * can bring into a user-personalization list. -1 when nothing is prepared.
 */
int         pw_workshop_count_cold_items  (PwWorkshop         *self,
                                           const char * const *items);

/* TRUE when @item_id is cold in the sense above (FALSE when nothing is
 * prepared). */
gboolean    pw_workshop_item_is_cold      (PwWorkshop *self,
                                           const char *item_id);

G_END_DECLS
