/* pw-page.c: the wizard page contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-page.h"
#include "pw-ui.h"

typedef struct
{
  char *title;
  char *icon_name;
  guint complete : 1;
  guint applying : 1;
  guint built : 1;
  guint stale : 1;             /* the page's options changed since the step ran */
  guint busy : 1;
  PwWorkshop *workshop;
  guint step;                  /* a PwWorkshopStep, or PW_WORKSHOP_N_STEPS: none */
} PwPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PwPage, pw_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_COMPLETE,
  PROP_APPLYING,
  PROP_BUILT,
  PROP_WORKSHOP,
  PROP_STEP,
  PROP_BUSY,
  N_PROPS
};

enum {
  ADD_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * pw_page_step_done_cb:
 * @workshop: the #PwWorkshop that ran a step
 * @result: its result
 * @task: (transfer full): a #GTask of a page's apply, returned with the
 *   step's outcome
 *
 * The callback of pw_workshop_run_step_async() for a page whose apply ends
 * with its step: pages pass it instead of each writing the same one.
 */
void
pw_page_step_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!pw_workshop_run_step_finish (PW_WORKSHOP (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
pw_page_real_apply_async (PwPage              *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, pw_page_real_apply_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (priv->workshop != NULL && priv->step < PW_WORKSHOP_N_STEPS)
    {
      pw_workshop_run_step_async (priv->workshop, priv->step, cancellable,
                                  pw_page_step_done_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
pw_page_real_apply_finish (PwPage        *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
set_applying (PwPage   *self,
              gboolean  applying)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  applying = !!applying;
  if (priv->applying == applying)
    return;
  priv->applying = applying;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);
}

/* The workshop is the truth: complete means its step is COMPLETE. */
static void
sync_complete (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);
  gboolean complete;

  if (priv->workshop == NULL || priv->step >= PW_WORKSHOP_N_STEPS)
    return;

  complete = pw_workshop_get_step_state (priv->workshop, priv->step) == PW_WORKSHOP_STEP_STATE_COMPLETE &&
             !priv->stale;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
step_state_changed_cb (PwPage         *self,
                       PwWorkshopStep  step,
                       PwWorkshop     *workshop)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  if (step == priv->step)
    sync_complete (self);
  if (PW_PAGE_GET_CLASS (self)->workshop_changed != NULL)
    PW_PAGE_GET_CLASS (self)->workshop_changed (self, step);
}

static void
pw_page_map (GtkWidget *widget)
{
  PwPage *self = PW_PAGE (widget);

  GTK_WIDGET_CLASS (pw_page_parent_class)->map (widget);
  if (PW_PAGE_GET_CLASS (self)->workshop_changed != NULL)
    PW_PAGE_GET_CLASS (self)->workshop_changed (self, PW_WORKSHOP_N_STEPS);
}

static void
pw_page_constructed (GObject *object)
{
  PwPage *self = PW_PAGE (object);
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  G_OBJECT_CLASS (pw_page_parent_class)->constructed (object);

  if (priv->workshop != NULL)
    g_signal_connect_object (priv->workshop, "step-state-changed",
                             G_CALLBACK (step_state_changed_cb), self,
                             G_CONNECT_SWAPPED);
  if (priv->workshop != NULL && priv->step < PW_WORKSHOP_N_STEPS)
    {
      priv->built = pw_workshop_step_is_built (priv->step);
      sync_complete (self);
    }
}

static void
pw_page_dispose (GObject *object)
{
  PwPage *self = PW_PAGE (object);
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_clear_object (&priv->workshop);

  G_OBJECT_CLASS (pw_page_parent_class)->dispose (object);
}

static void
pw_page_finalize (GObject *object)
{
  PwPage *self = PW_PAGE (object);
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->icon_name, g_free);

  G_OBJECT_CLASS (pw_page_parent_class)->finalize (object);
}

static void
pw_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PwPage *self = PW_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, pw_page_get_title (self));
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, pw_page_get_icon_name (self));
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, pw_page_get_complete (self));
      break;
    case PROP_APPLYING:
      g_value_set_boolean (value, pw_page_get_applying (self));
      break;
    case PROP_BUILT:
      g_value_set_boolean (value, pw_page_get_built (self));
      break;
    case PROP_WORKSHOP:
      g_value_set_object (value, pw_page_get_workshop (self));
      break;
    case PROP_STEP:
      g_value_set_uint (value, pw_page_get_step (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, pw_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  PwPage *self = PW_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      pw_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      pw_page_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      pw_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_BUILT:
      {
        PwPagePrivate *priv = pw_page_get_instance_private (self);
        priv->built = g_value_get_boolean (value);
      }
      break;
    case PROP_WORKSHOP:
      {
        PwPagePrivate *priv = pw_page_get_instance_private (self);
        priv->workshop = g_value_dup_object (value);
      }
      break;
    case PROP_STEP:
      {
        PwPagePrivate *priv = pw_page_get_instance_private (self);
        priv->step = g_value_get_uint (value);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_page_class_init (PwPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  klass->apply_async = pw_page_real_apply_async;
  klass->apply_finish = pw_page_real_apply_finish;

  object_class->constructed = pw_page_constructed;
  object_class->dispose = pw_page_dispose;
  object_class->finalize = pw_page_finalize;
  object_class->get_property = pw_page_get_property;
  object_class->set_property = pw_page_set_property;
  widget_class->map = pw_page_map;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PwPage:built:
   *
   * %FALSE for a step that no issue has built yet: the window shows it as
   * "not built yet", never checks it, and Next passes it without running
   * anything or calling it done.
   */
  properties[PROP_BUILT] =
    g_param_spec_boolean ("built", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwPage:workshop:
   *
   * The workshop this page is a step of (construct-only, nullable for a
   * page that is not a step, such as the Results view).
   */
  properties[PROP_WORKSHOP] =
    g_param_spec_object ("workshop", NULL, NULL, PW_TYPE_WORKSHOP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwPage:step:
   *
   * The #PwWorkshopStep this page shows, or %PW_WORKSHOP_N_STEPS for none.
   */
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, PW_WORKSHOP_N_STEPS, PW_WORKSHOP_N_STEPS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PwPage:busy:
   *
   * Whether the page waits for something it asked of the workshop outside
   * of apply (a user's list, an export): its own controls are insensitive
   * meanwhile. Set by the page (pw_page_set_busy()).
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwPage::add-toast:
   * @toast: (transfer none): the toast to show
   *
   * Asks whoever holds the page to show @toast. The toast is lent: a
   * handler that keeps it takes its own reference (see
   * pw_page_add_toast()).
   */
  signals[ADD_TOAST] =
    g_signal_new ("add-toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

static void
pw_page_init (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  priv->built = TRUE;
  priv->step = PW_WORKSHOP_N_STEPS;
}

const char *
pw_page_get_title (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), NULL);

  return priv->title;
}

void
pw_page_set_title (PwPage     *self,
                   const char *title)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_if_fail (PW_IS_PAGE (self));

  if (pw_ui_set_str (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
pw_page_get_icon_name (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), NULL);

  return priv->icon_name;
}

void
pw_page_set_icon_name (PwPage     *self,
                       const char *icon_name)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_if_fail (PW_IS_PAGE (self));

  if (pw_ui_set_str (&priv->icon_name, icon_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

gboolean
pw_page_get_complete (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), FALSE);

  return priv->complete;
}

/**
 * pw_page_set_complete:
 *
 * A page that is not built (#PwPage:built) never becomes complete. On a
 * workshop page, %FALSE marks the page stale (pw_page_mark_stale()) and
 * %TRUE only clears that mark: the page is complete when the workshop
 * says its step is.
 */
void
pw_page_set_complete (PwPage   *self,
                      gboolean  complete)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_if_fail (PW_IS_PAGE (self));

  complete = !!complete && priv->built;
  if (priv->workshop != NULL && priv->step < PW_WORKSHOP_N_STEPS)
    {
      /* A workshop page is complete when its workshop says so, never
       * because someone said it is. */
      if (!complete)
        pw_page_mark_stale (self);
      else
        {
          priv->stale = FALSE;
          sync_complete (self);
        }
      return;
    }
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

gboolean
pw_page_get_built (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), FALSE);

  return priv->built;
}

gboolean
pw_page_get_applying (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), FALSE);

  return priv->applying;
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PwPage *self = PW_PAGE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  set_applying (self, FALSE);

  if (!PW_PAGE_GET_CLASS (self)->apply_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    PwPagePrivate *priv = pw_page_get_instance_private (self);

    priv->stale = FALSE;
    if (priv->workshop != NULL && priv->step < PW_WORKSHOP_N_STEPS)
      sync_complete (self);
    else
      pw_page_set_complete (self, TRUE);
  }
  g_task_return_boolean (task, TRUE);
}

/**
 * pw_page_apply_async:
 *
 * Runs the page's step. On success the page becomes complete. While it
 * runs, #PwPage:applying is %TRUE; a page applies once at a time.
 */
void
pw_page_apply_async (PwPage              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_PAGE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_page_apply_async);

  if (pw_page_get_applying (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "%s", _("This step is already running"));
      return;
    }

  if (!pw_page_get_built (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s", _("This step is not built yet"));
      return;
    }

  set_applying (self, TRUE);
  PW_PAGE_GET_CLASS (self)->apply_async (self, cancellable, apply_cb,
                                         g_steal_pointer (&task));
}

gboolean
pw_page_apply_finish (PwPage        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (PW_IS_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pw_page_add_toast:
 * @toast: (transfer full): the toast to show
 *
 * Asks whoever holds the page to show @toast. Toast ownership, one rule for
 * the whole UI: a function that adds a toast (this one,
 * pw_window_add_toast(), adw_toast_overlay_add_toast()) takes the caller's
 * reference, so `pw_page_add_toast (page, adw_toast_new (…))` is right; an
 * `add-toast` signal (#PwPage, #PwChartView) lends the toast to its handlers
 * (transfer none), which take a reference of their own if they keep it. An
 * #AdwToast is not floating in libadwaita 1.2, so nobody sinks it.
 */
void
pw_page_add_toast (PwPage   *self,
                   AdwToast *toast)
{
  g_autoptr(AdwToast) owned = NULL;

  g_return_if_fail (PW_IS_PAGE (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  owned = toast;
  g_signal_emit (self, signals[ADD_TOAST], 0, owned);
}

/**
 * pw_page_show_error:
 *
 * Shows @error's message in a toast (pw_page_add_toast()), unless it says
 * the operation was cancelled: a cancelled operation is the user's (or
 * the page's) own doing and needs no message.
 */
void
pw_page_show_error (PwPage       *self,
                    const GError *error)
{
  g_return_if_fail (PW_IS_PAGE (self));
  g_return_if_fail (error != NULL);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    pw_page_add_toast (self, adw_toast_new (error->message));
}

/**
 * pw_page_show_ready:
 * @step: the step whose result the page shows
 * @has_data: what else the page needs (its data, an output file) is there
 * @ready_box: the part shown once @step is complete and @has_data
 * @not_ready: (nullable): the part that says why not, shown otherwise
 * @became_ready: (out) (optional): whether @ready_box was hidden until now
 *   (the moment to fill what depends on the step only once)
 *
 * The "ready or not yet" switch of the pages that show a step's result.
 *
 * Returns: whether the page is ready
 */
gboolean
pw_page_show_ready (PwPage         *self,
                    PwWorkshopStep  step,
                    gboolean        has_data,
                    GtkWidget      *ready_box,
                    GtkWidget      *not_ready,
                    gboolean       *became_ready)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);
  gboolean ready, was_ready;

  g_return_val_if_fail (PW_IS_PAGE (self), FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (ready_box), FALSE);

  ready = priv->workshop != NULL && has_data &&
          pw_workshop_get_step_state (priv->workshop, step) == PW_WORKSHOP_STEP_STATE_COMPLETE;
  was_ready = gtk_widget_get_visible (ready_box);
  gtk_widget_set_visible (ready_box, ready);
  if (not_ready != NULL)
    gtk_widget_set_visible (not_ready, !ready);
  if (became_ready != NULL)
    *became_ready = ready && !was_ready;
  return ready;
}

/**
 * pw_page_get_workshop:
 *
 * Returns: (nullable) (transfer none): the workshop this page is a step of
 */
PwWorkshop *
pw_page_get_workshop (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), NULL);

  return priv->workshop;
}

guint
pw_page_get_step (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_val_if_fail (PW_IS_PAGE (self), PW_WORKSHOP_N_STEPS);

  return priv->step;
}

/**
 * pw_page_mark_stale:
 *
 * The page's options changed since its step ran (a different data source,
 * other recipes): the page is incomplete until it applies again, whatever
 * the workshop says of the step's resources.
 */
void
pw_page_mark_stale (PwPage *self)
{
  PwPagePrivate *priv = pw_page_get_instance_private (self);

  g_return_if_fail (PW_IS_PAGE (self));

  if (priv->applying)
    return;
  priv->stale = TRUE;
  if (priv->complete)
    {
      priv->complete = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
}

gboolean
pw_page_get_busy (PwPage *self)
{
  PwPagePrivate *priv;

  g_return_val_if_fail (PW_IS_PAGE (self), FALSE);

  priv = pw_page_get_instance_private (self);
  return priv->busy;
}

/* For the page itself; notifies "busy" on a change. */
void
pw_page_set_busy (PwPage   *self,
                  gboolean  busy)
{
  PwPagePrivate *priv;

  g_return_if_fail (PW_IS_PAGE (self));

  priv = pw_page_get_instance_private (self);
  busy = !!busy;
  if (priv->busy == busy)
    return;
  priv->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
