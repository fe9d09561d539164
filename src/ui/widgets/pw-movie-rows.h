/* pw-movie-rows.h: rows and columns of movies for the results pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-charts.h"
#include "pw-workshop-data.h"
#include "pw-workshop.h"

G_BEGIN_DECLS

/* Marks a row may carry. */
typedef enum
{
  PW_MOVIE_MARK_NONE,
  PW_MOVIE_MARK_NEW,        /* entered the list since the one before */
  PW_MOVIE_MARK_LEFT,       /* was in the list before, is not any more */
  PW_MOVIE_MARK_HIT,        /* among the user's validation items */
} PwMovieMark;

GtkWidget *pw_movie_row_new           (PwWorkshop  *workshop,
                                       const char  *item_id,
                                       const char  *prefix,
                                       const char  *extra,
                                       PwMovieMark  mark);
/* A row for one of a user's interactions: the movie, and the day it
 * happened (pw_movie_dup_day()) as its extra text. */
GtkWidget *pw_movie_row_new_for_interaction (PwWorkshop                  *workshop,
                                             const PwWorkshopInteraction *interaction);
/* @timestamp (Unix seconds) as its UTC day, "2000-12-31"; %NULL when it
 * is out of GDateTime's range. */
char      *pw_movie_dup_day           (gint64       timestamp);
char      *pw_movie_dup_title         (PwWorkshop  *workshop,
                                       const char  *item_id);
char      *pw_movie_dup_genres        (PwWorkshop  *workshop,
                                       const char  *item_id);
GtkWidget *pw_movie_list_new          (const char  *accessible_name);
void       pw_movie_clear_box         (GtkWidget   *box);
void       pw_movie_genre_shares      (PwChart     *chart,
                                       PwWorkshop  *workshop,
                                       GPtrArray   *lists,
                                       GPtrArray   *names,
                                       guint        max_genres);
void       pw_movie_list_columns      (PwChart     *chart,
                                       PwWorkshop  *workshop,
                                       GPtrArray   *lists,
                                       GPtrArray   *names);
double     pw_movie_genre_share       (PwWorkshop         *workshop,
                                       const char * const *items,
                                       const char         *genre);

G_END_DECLS
