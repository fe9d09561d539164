/* pw-chart-board.c: every chart of the session, for the Results view
 *
 * The pages that make charts (Live Events, Analysis, …) publish them here
 * under a stable id; the Results view and the presentation window show the
 * board's list model, in the workshop's order whatever the order of the
 * pages visited. A chart published again under the same id replaces
 * the old one in place, so the Results view keeps its order. One board
 * per workshop (kept as the workshop's object data, so pages that only
 * receive the workshop find it and never reach for each other).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-board"

#include "pw-config.h"

#include "pw-chart-board.h"

#define BOARD_KEY "pw-chart-board"
#define ID_KEY "pw-chart-board-id"

struct _PwChartBoard
{
  GObject parent_instance;

  GListStore *charts;
};

G_DEFINE_FINAL_TYPE (PwChartBoard, pw_chart_board, G_TYPE_OBJECT)

static void
pw_chart_board_dispose (GObject *object)
{
  PwChartBoard *self = PW_CHART_BOARD (object);

  g_clear_object (&self->charts);

  G_OBJECT_CLASS (pw_chart_board_parent_class)->dispose (object);
}

static void
pw_chart_board_class_init (PwChartBoardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pw_chart_board_dispose;
}

static void
pw_chart_board_init (PwChartBoard *self)
{
  self->charts = g_list_store_new (PW_TYPE_CHART);
}

/**
 * pw_chart_board_get_for_workshop:
 *
 * Returns: (transfer none): the board of @workshop, made on first use
 */
PwChartBoard *
pw_chart_board_get_for_workshop (PwWorkshop *workshop)
{
  PwChartBoard *board;

  g_return_val_if_fail (PW_IS_WORKSHOP (workshop), NULL);

  board = g_object_get_data (G_OBJECT (workshop), BOARD_KEY);
  if (board == NULL)
    {
      board = g_object_new (PW_TYPE_CHART_BOARD, NULL);
      g_object_set_data_full (G_OBJECT (workshop), BOARD_KEY, board, g_object_unref);
    }
  return board;
}

/* (transfer none) A GListModel of PwChart in publishing order. */
GListModel *
pw_chart_board_get_model (PwChartBoard *self)
{
  g_return_val_if_fail (PW_IS_CHART_BOARD (self), NULL);

  return G_LIST_MODEL (self->charts);
}

static gboolean
find_id (PwChartBoard *self,
         const char   *id,
         guint        *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->charts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwChart) chart = g_list_model_get_item (G_LIST_MODEL (self->charts), i);

      if (g_strcmp0 (pw_chart_board_get_chart_id (chart), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The workshop's order (docs/workshop.md): the data, training, live events,
 * exploration, per-user analysis, evaluation; others last. */
static guint
id_rank (const char *id)
{
  static const char * const prefixes[] = { "data-", "training-", "live-", "exploration-", "analysis-", "evaluation-" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (id != NULL && g_str_has_prefix (id, prefixes[i]))
      return i;
  return G_N_ELEMENTS (prefixes);
}

/**
 * pw_chart_board_publish:
 * @id: a stable id ("live-genre-shares"); also the file name exports suggest
 * @chart: the chart; the board keeps a reference (the page may go on
 *   changing it: views follow its "changed" signal)
 */
void
pw_chart_board_publish (PwChartBoard *self,
                        const char   *id,
                        PwChart      *chart)
{
  guint position;

  g_return_if_fail (PW_IS_CHART_BOARD (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (PW_IS_CHART (chart));

  g_object_set_data_full (G_OBJECT (chart), ID_KEY, g_strdup (id), g_free);
  if (find_id (self, id, &position))
    {
      g_autoptr(PwChart) old = g_list_model_get_item (G_LIST_MODEL (self->charts), position);

      if (old == chart)
        return;
      g_list_store_splice (self->charts, position, 1, (gpointer *) &chart, 1);
    }
  else
    {
      /* After the last chart of the same or an earlier part of the workshop. */
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->charts));
      guint rank = id_rank (id);

      position = n;
      while (position > 0)
        {
          g_autoptr(PwChart) before = g_list_model_get_item (G_LIST_MODEL (self->charts), position - 1);

          if (id_rank (pw_chart_board_get_chart_id (before)) <= rank)
            break;
          position--;
        }
      g_list_store_insert (self->charts, position, chart);
    }
}

/* (nullable) (transfer none) */
PwChart *
pw_chart_board_lookup (PwChartBoard *self,
                       const char   *id)
{
  guint position;
  g_autoptr(PwChart) chart = NULL;

  g_return_val_if_fail (PW_IS_CHART_BOARD (self), NULL);

  if (!find_id (self, id, &position))
    return NULL;
  chart = g_list_model_get_item (G_LIST_MODEL (self->charts), position);
  return chart;  /* the store keeps its own reference */
}

const char *
pw_chart_board_get_chart_id (PwChart *chart)
{
  g_return_val_if_fail (PW_IS_CHART (chart), NULL);

  return g_object_get_data (G_OBJECT (chart), ID_KEY);
}
