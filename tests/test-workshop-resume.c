/* test-workshop-resume.c: what a restarted application gets back from the
 * workshop: the prepared data read again from its files (titles, genres,
 * the training history, the users), a clear error when those files are
 * gone or changed, and the default output folder of a fresh workshop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pw-data.h"
#include "pw-workshop.h"
#include "pw-workshop-test-utils.h"

static char *tmp_root;

static gboolean
load_prepared (PwWorkshop  *w,
               GError     **error)
{
  PwTestWait wait = { NULL };
  gboolean ok;

  pw_workshop_load_prepared_async (w, NULL, pw_test_wait_cb, &wait);
  ok = pw_workshop_load_prepared_finish (w, pw_test_wait_result (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

/* The last reference goes, and the workshop is finalised: worker threads
 * drop theirs shortly after their callback ran. */
static void
finalize_workshop (PwWorkshop *w)
{
  gpointer weak = w;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (w), &weak);
  g_object_unref (w);
  while (weak != NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

static PwWorkshop *
new_workshop (const char *state)
{
  g_autoptr(GError) error = NULL;
  PwWorkshop *w = pw_workshop_new (state, &error);

  g_assert_no_error (error);
  return w;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The titles of a user's training rows, as a sorted multiset. */
static char *
training_history (PwPrepareResult *data,
                  const char      *user_id)
{
  PwInteractions *in = data->split->interactions;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  guint user;

  g_assert_true (pw_interactions_lookup_user (in, user_id, &user));
  for (guint r = 0; r < in->n_rows; r++)
    if (in->users[r] == user && data->split->row_set[r] == PW_SPLIT_TRAINING)
      {
        const char *item = pw_interactions_get_item_id (in, in->items[r]);
        guint index;

        g_assert_true (pw_items_lookup (data->items, item, &index));
        g_ptr_array_add (seen, g_strdup_printf ("%s@%" G_GINT64_FORMAT "|%s|%s", item, in->timestamps[r],
                                                pw_items_get_title (data->items, index),
                                                pw_items_get_genres (data->items, index)));
      }
  g_ptr_array_sort (seen, compare_strings);
  g_ptr_array_add (seen, NULL);
  return g_strjoinv ("\n", (char **) seen->pdata);
}

static void
test_reload_prepared (void)
{
  g_autofree char *dir = g_build_filename (tmp_root, "reload", NULL);
  g_autofree char *out = g_build_filename (dir, "data", NULL);
  g_autofree char *state = g_build_filename (dir, "workshop.json", NULL);
  g_autofree char *catalog = g_build_filename (out, "catalog.csv", NULL);
  g_autofree char *cold = g_build_filename (out, "coldstart_interaction.csv", NULL);
  g_autoptr(PwPrepareResult) original = NULL;
  g_autoptr(GError) error = NULL;
  PwPrepareResult *loaded;
  PwWorkshop *w;
  const char *user;
  guint item, checked = 0;

  original = pw_test_prepare_synthetic (out, 42, 200, 150, 12000);

  w = new_workshop (state);
  g_assert_true (pw_workshop_set_prepared (w, original, out, &error));
  g_assert_no_error (error);
  finalize_workshop (w);

  /* A restart: the DATA step holds from the files, the data is not there yet. */
  w = new_workshop (state);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_null (pw_workshop_get_prepared (w));
  g_assert_true (load_prepared (w, &error));
  g_assert_no_error (error);
  loaded = pw_workshop_get_prepared (w);
  g_assert_nonnull (loaded);
  g_assert_cmpint (loaded->source, ==, PW_SOURCE_SYNTHETIC);

  /* Titles and genres of every movie of the catalogue. */
  g_assert_nonnull (loaded->items);
  for (guint i = 0; i < original->items->n_items; i++)
    {
      const char *id = pw_items_get_id (original->items, i);

      if (!pw_interactions_lookup_item (original->interactions, id, &item))
        continue;
      g_assert_true (pw_items_lookup (loaded->items, id, &item));
      g_assert_cmpstr (pw_items_get_title (loaded->items, item), ==, pw_items_get_title (original->items, i));
      g_assert_cmpstr (pw_items_get_genres (loaded->items, item), ==, pw_items_get_genres (original->items, i));
      g_assert_cmpstr (pw_items_get_title (loaded->items, item), !=, "");
      checked++;
    }
  g_assert_cmpuint (checked, >, 50);

  /* The split and the statistics, and a user's history. */
  g_assert_cmpuint (loaded->interactions->n_rows, ==, original->interactions->n_rows);
  g_assert_cmpuint (loaded->interactions->n_users, ==, original->interactions->n_users);
  g_assert_cmpuint (loaded->split->n_training_rows, ==, original->split->n_training_rows);
  g_assert_cmpuint (loaded->split->n_validation_rows, ==, original->split->n_validation_rows);
  g_assert_cmpuint (loaded->split->n_cold_rows, ==, original->split->n_cold_rows);
  g_assert_cmpuint (loaded->split->n_warm_items, ==, original->split->n_warm_items);
  g_assert_cmpuint (loaded->split->n_cold_items, ==, original->split->n_cold_items);
  g_assert_cmpuint (loaded->split->n_training_users, ==, original->split->n_training_users);
  g_assert_cmpuint (loaded->split->n_validation_items, ==, original->split->n_validation_items);
  g_assert_cmpuint (loaded->stats->n_rows, ==, original->stats->n_rows);
  g_assert_cmpuint (loaded->stats->training.max, ==, original->stats->training.max);
  for (guint u = 0; u < 5; u++)
    {
      g_autofree char *a = NULL, *b = NULL;

      user = pw_interactions_get_user_id (original->interactions, u);
      a = training_history (original, user);
      b = training_history (loaded, user);
      g_assert_cmpstr (a, ==, b);
      g_assert_cmpuint (strlen (a), >, 0);
    }
  finalize_workshop (w);

  /* A changed catalogue: a clear error naming it, and DATA no longer holds. */
  {
    g_autofree char *text = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (catalog, &text, &length, NULL));
    text[length - 2] = text[length - 2] == 'x' ? 'y' : 'x';
    g_assert_true (g_file_set_contents (catalog, text, length, NULL));
  }
  w = new_workshop (state);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_false (load_prepared (w, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "catalog.csv"));
  g_assert_nonnull (strstr (error->message, "changed"));
  g_clear_error (&error);
  g_assert_null (pw_workshop_get_prepared (w));
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  finalize_workshop (w);

  /* A file gone: the same. */
  g_assert_cmpint (g_unlink (cold), ==, 0);
  w = new_workshop (state);
  g_assert_false (load_prepared (w, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "coldstart_interaction.csv"));
  g_clear_error (&error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  finalize_workshop (w);
}

/* Without prepared files there is nothing to load. */
static void
test_reload_nothing (void)
{
  g_autofree char *state = g_build_filename (tmp_root, "nothing", "workshop.json", NULL);
  g_autoptr(GError) error = NULL;
  PwWorkshop *w = new_workshop (state);

  g_assert_false (load_prepared (w, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY);
  finalize_workshop (w);
}

/* A fresh workshop has an output folder: the default in the user's data. */
static void
test_default_output_dir (void)
{
  g_autofree char *state = g_build_filename (tmp_root, "fresh", "workshop.json", NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "personalize-workshop", "data", NULL);
  PwWorkshop *w = new_workshop (state);

  g_assert_cmpstr (pw_workshop_get_output_dir (w), ==, expected);
  finalize_workshop (w);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  tmp_root = g_dir_make_tmp ("test-workshop-resume-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_root, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", tmp_root, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workshop-resume/reload-prepared", test_reload_prepared);
  g_test_add_func ("/workshop-resume/reload-nothing", test_reload_nothing);
  g_test_add_func ("/workshop-resume/default-output-dir", test_default_output_dir);
  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_root);
      (void) system (cmd);
    }
  return status;
}
