/* test-page.c: the wizard page contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>

#include "pw-page.h"
#include "pw-test-utils.h"
#include "pw-ui.h"

/* A page that keeps PwPage's default apply (no workshop, nothing to do). */
#define TEST_TYPE_PLAIN_PAGE (test_plain_page_get_type ())
G_DECLARE_FINAL_TYPE (TestPlainPage, test_plain_page, TEST, PLAIN_PAGE, PwPage)

struct _TestPlainPage
{
  PwPage parent_instance;
};

G_DEFINE_FINAL_TYPE (TestPlainPage, test_plain_page, PW_TYPE_PAGE)

static void
test_plain_page_class_init (TestPlainPageClass *klass)
{
}

static void
test_plain_page_init (TestPlainPage *self)
{
}

/* A page whose work takes until it is released or cancelled. */
#define TEST_TYPE_SLOW_PAGE (test_slow_page_get_type ())
G_DECLARE_FINAL_TYPE (TestSlowPage, test_slow_page, TEST, SLOW_PAGE, PwPage)

struct _TestSlowPage
{
  PwPage parent_instance;
  GTask *pending;
  gboolean fail;
};

G_DEFINE_FINAL_TYPE (TestSlowPage, test_slow_page, PW_TYPE_PAGE)

static void
slow_cancelled_cb (GCancellable *cancellable,
                   TestSlowPage *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  if (task != NULL)
    g_task_return_error_if_cancelled (task);
}

static void
test_slow_page_apply_async (PwPage              *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TestSlowPage *self = TEST_SLOW_PAGE (page);

  g_assert_null (self->pending);
  self->pending = g_task_new (self, cancellable, callback, user_data);
  if (cancellable != NULL)
    g_signal_connect (cancellable, "cancelled", G_CALLBACK (slow_cancelled_cb), self);
}

static gboolean
test_slow_page_apply_finish (PwPage        *page,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_slow_page_release (TestSlowPage *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->pending);

  g_assert_nonnull (task);
  if (self->fail)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "the step failed");
  else
    g_task_return_boolean (task, TRUE);
}

static void
test_slow_page_class_init (TestSlowPageClass *klass)
{
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->apply_async = test_slow_page_apply_async;
  page_class->apply_finish = test_slow_page_apply_finish;
}

static void
test_slow_page_init (TestSlowPage *self)
{
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_page_complete_notifies_on_change (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_SLOW_PAGE, NULL));
  guint count = 0;

  g_signal_connect (page, "notify::complete", G_CALLBACK (count_notify_cb), &count);
  g_assert_false (pw_page_get_complete (page));
  pw_page_set_complete (page, FALSE);
  g_assert_cmpuint (count, ==, 0);
  pw_page_set_complete (page, TRUE);
  pw_page_set_complete (page, TRUE);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (pw_page_get_complete (page));

  pw_page_set_title (page, "Data");
  pw_page_set_title (page, "Data");
  g_assert_cmpstr (pw_page_get_title (page), ==, "Data");
}

static void
test_page_apply_success (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_SLOW_PAGE, NULL));
  PwTestApply r = { 0 };
  PwTestApply again = { 0 };

  pw_page_apply_async (page, NULL, pw_test_apply_cb, &r);
  g_assert_true (pw_page_get_applying (page));
  g_assert_false (pw_page_get_complete (page));

  /* A second apply while the first runs is refused. */
  pw_page_apply_async (page, NULL, pw_test_apply_cb, &again);
  pw_test_apply_wait (&again, 5000);
  g_assert_false (again.ok);
  g_assert_error (again.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&again.error);
  g_assert_true (pw_page_get_applying (page));

  test_slow_page_release (TEST_SLOW_PAGE (page));
  pw_test_apply_wait (&r, 5000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_false (pw_page_get_applying (page));
  g_assert_true (pw_page_get_complete (page));
}

static void
test_page_apply_failure (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_SLOW_PAGE, NULL));
  PwTestApply r = { 0 };

  TEST_SLOW_PAGE (page)->fail = TRUE;
  pw_page_apply_async (page, NULL, pw_test_apply_cb, &r);
  test_slow_page_release (TEST_SLOW_PAGE (page));
  pw_test_apply_wait (&r, 5000);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&r.error);
  g_assert_false (pw_page_get_applying (page));
  g_assert_false (pw_page_get_complete (page));
}

static void
test_page_apply_cancel (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_SLOW_PAGE, NULL));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PwTestApply r = { 0 };

  pw_page_apply_async (page, cancellable, pw_test_apply_cb, &r);
  g_assert_true (pw_page_get_applying (page));
  g_cancellable_cancel (cancellable);
  pw_test_apply_wait (&r, 5000);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_false (pw_page_get_applying (page));
  g_assert_false (pw_page_get_complete (page));
}

static void
test_page_default_apply (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_PLAIN_PAGE, "title", "Training", NULL));
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  PwTestApply r = { 0 };
  PwTestApply r2 = { 0 };

  g_assert_cmpstr (pw_page_get_title (page), ==, "Training");

  /* Already cancelled: the page stays incomplete. */
  g_cancellable_cancel (cancelled);
  pw_page_apply_async (page, cancelled, pw_test_apply_cb, &r);
  pw_test_apply_wait (&r, 5000);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_false (pw_page_get_complete (page));

  pw_page_apply_async (page, NULL, pw_test_apply_cb, &r2);
  pw_test_apply_wait (&r2, 5000);
  g_assert_no_error (r2.error);
  g_assert_true (pw_page_get_complete (page));
}

static void
toast_cb (PwPage    *page,
          AdwToast  *toast,
          char     **title)
{
  *title = g_strdup (adw_toast_get_title (toast));
}

static void
test_page_add_toast (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_SLOW_PAGE, NULL));
  g_autofree char *title = NULL;

  g_signal_connect (page, "add-toast", G_CALLBACK (toast_cb), &title);
  pw_page_add_toast (page, adw_toast_new ("Imported 433,180 rows"));
  g_assert_cmpstr (title, ==, "Imported 433,180 rows");
}

static void
keep_toast_cb (PwPage    *page,
               AdwToast  *toast,
               GPtrArray *kept)
{
  g_ptr_array_add (kept, g_object_ref (toast));
}

static void
test_page_toast_ownership (void)
{
  g_autoptr(PwPage) page = g_object_ref_sink (g_object_new (TEST_TYPE_SLOW_PAGE, NULL));
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  AdwToast *toast = adw_toast_new ("Saved");
  AdwToast *watched = toast;
  g_autofree char *title = NULL;
  gulong id;

  /* pw_page_add_toast takes the caller's reference; a handler that shows
   * nothing keeps nothing, so the toast is freed at once. */
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &watched);
  id = g_signal_connect (page, "add-toast", G_CALLBACK (toast_cb), &title);
  pw_page_add_toast (page, toast);
  g_assert_cmpstr (title, ==, "Saved");
  g_assert_null (watched);
  g_signal_handler_disconnect (page, id);

  /* A handler that keeps it holds the only reference left. */
  toast = adw_toast_new ("Kept");
  g_signal_connect (page, "add-toast", G_CALLBACK (keep_toast_cb), kept);
  pw_page_add_toast (page, toast);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_finalize_object (g_ptr_array_steal_index (kept, 0));
}

int
main (int   argc,
      char *argv[])
{
  pw_test_init (&argc, &argv);

  g_test_add_func ("/page/complete-notifies-on-change", test_page_complete_notifies_on_change);
  g_test_add_func ("/page/apply-success", test_page_apply_success);
  g_test_add_func ("/page/apply-failure", test_page_apply_failure);
  g_test_add_func ("/page/apply-cancel", test_page_apply_cancel);
  g_test_add_func ("/page/default-apply", test_page_default_apply);
  g_test_add_func ("/page/add-toast", test_page_add_toast);
  g_test_add_func ("/page/toast-ownership", test_page_toast_ownership);

  return g_test_run ();
}
