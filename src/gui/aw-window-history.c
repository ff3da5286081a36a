/* aw-window-history.c: the window's side of the history: loading it when the window opens,
 * recording a run when it ends, saving it off the main thread, showing a run when its row
 * is activated, and what the tests read of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-history.h"
#include "aw-window-private.h"


static void
on_history_saved (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(AwWindow) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);
  /* Said only by a window still open (its history goes when it closes). */
  if (!aw_history_save_finish (result, &error) && self != NULL && self->history_list != NULL)
    _aw_window_show_banner (self, GTK_MESSAGE_WARNING, error->message);
}

/* Off the main thread: a full history is about 10 ms of JSON, and the disk may be slow. */
static void
save_history (AwWindow *self)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  for (guint i = 0; i < aw_history_list_get_n_runs (self->history_list); i++)
    g_ptr_array_add (records, (gpointer)aw_history_item_get_record (
                                aw_history_list_get_item (self->history_list, i)));
  /* Weak: a window closing waits for the save in its dispose, which a reference would delay. */
  g_weak_ref_init (weak, self);
  aw_history_save_async (records, on_history_saved, weak);
}

void
_aw_window_record_run (AwWindow    *self,
                       AwRunRecord *record,
                       AwFetchRun  *run)
{
  _aw_window_set_shown (self, aw_history_list_append (self->history_list, record, run), NULL);
  save_history (self);
}

void
_aw_window_load_history (AwWindow *self)
{
  g_autofree char *notice = NULL;
  g_autoptr(GPtrArray) records = aw_history_load (&notice);
  guint n;

  g_ptr_array_set_free_func (records, NULL);
  for (guint i = 0; i < records->len; i++)
    {
      AwRunRecord *record = g_ptr_array_index (records, i);
      g_autoptr(AwFetchRun) run = aw_run_record_restore_run (record);

      aw_history_list_append (self->history_list, record, run);
    }
  /* The next run of the last run's setup shares its axis, as within a session. */
  n = aw_history_list_get_n_runs (self->history_list);
  if (n > 0)
    {
      const AwRunRecord *last = aw_history_item_get_record (
        aw_history_list_get_item (self->history_list, n - 1));

      self->axis_setup = aw_run_record_copy (last);
      self->axis_us = last->total_us;
    }
  if (notice != NULL)
    _aw_window_show_banner (self, GTK_MESSAGE_WARNING, notice);
}

static void
show_history_item (AwWindow      *self,
                   AwHistoryItem *item)
{
  const AwRunRecord *record = aw_history_item_get_record (item);
  int index = aw_history_list_index_of (self->history_list, item);

  g_set_object (&self->run, aw_history_item_get_run (item));
  self->frame_gap_us = record->frame_gap_us;
  _aw_window_set_shown (self, item, NULL);
  /* The shared axis, if the run is of the setup it was held for. */
  aw_timing_chart_set_axis_floor_us (self->chart,
                                     self->axis_setup != NULL
                                     && aw_run_record_same_setup (self->axis_setup, record, NULL)
                                     ? self->axis_us : 0);
  aw_timing_chart_set_run (self->chart, self->run);
  _aw_window_set_reference (self,
                            index > 0 ? aw_history_list_get_item (self->history_list, index - 1)
                                      : NULL,
                            record);
  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  _aw_window_update_figures (self);
  _aw_window_update_actions (self);
}

void
_aw_window_on_history_item_activated (AwWindow      *self,
                           AwHistoryItem *item)
{
  aw_history_list_highlight (self->history_list, self->shown[0], self->shown[1]);
  if (_aw_window_is_running (self))
    return;
  if (aw_history_item_get_run (item) == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The history keeps the settings and figures of an earlier session's "
                           "runs, and their bars up to %u tasks: this run's bars were not kept. "
                           "Tick it and another to compare their figures."),
                         AW_RUN_RECORD_MAX_TASKS);

      _aw_window_show_banner (self, GTK_MESSAGE_INFO, message);
      return;
    }
  show_history_item (self, item);
}

guint
aw_window_get_n_history (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), 0);
  return aw_history_list_get_n_runs (self->history_list);
}

const AwRunRecord *
aw_window_get_history_record (AwWindow *self,
                              guint     index)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (index < aw_history_list_get_n_runs (self->history_list), NULL);
  return aw_history_item_get_record (aw_history_list_get_item (self->history_list, index));
}

int
aw_window_get_highlighted_history (AwWindow *self,
                                   guint     nth)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), -1);
  return aw_history_list_get_highlighted (self->history_list, nth);
}

AwHistoryList *
aw_window_get_history_list (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->history_list;
}

