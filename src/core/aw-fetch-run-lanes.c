/* aw-fetch-run-lanes.c: a run's thread lanes and loop figures as its front ends read them,
 * the bound its mode could have reached, and what the gap to its wall time went to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-fetch-run-private.h"

guint
aw_fetch_run_get_n_lanes (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->trace != NULL ? aw_loop_trace_get_n_lanes (self->trace) : 0;
}

const char *
aw_fetch_run_get_lane_name (AwFetchRun *self,
                            guint       lane)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), NULL);
  g_return_val_if_fail (lane < aw_fetch_run_get_n_lanes (self), NULL);
  return aw_loop_trace_get_lane_name (self->trace, lane);
}

const AwSlice *
aw_fetch_run_get_lane_slices (AwFetchRun *self,
                              guint       lane,
                              guint      *n_slices)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), NULL);
  g_return_val_if_fail (n_slices != NULL, NULL);

  *n_slices = 0;
  g_return_val_if_fail (lane < aw_fetch_run_get_n_lanes (self), NULL);
  return aw_loop_trace_get_slices (self->trace, lane, n_slices);
}

void
aw_fetch_run_note_frame (AwFetchRun *self,
                         gint64      begin_monotonic_us,
                         gint64      end_monotonic_us)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));

  if (self->trace == NULL || !aw_fetch_run_is_running (self))
    return;
  aw_loop_trace_note_frame (self->trace, begin_monotonic_us - self->origin_us,
                            end_monotonic_us - self->origin_us);
}

void
aw_fetch_run_get_loop_figures (AwFetchRun    *self,
                               AwLoopFigures *figures)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (figures != NULL);

  *figures = (AwLoopFigures) { 0 };
  if (self->trace != NULL)
    aw_loop_trace_get_figures (self->trace, aw_fetch_run_get_elapsed_us (self), figures);
}

/* What the bound counts of a task: its own time with nothing in its way, and, for the gap,
 * what it waited for a connection and for the busy loop. */
typedef enum {
  OWN,
  OWN_AND_CONNECTION,
  OWN_CONNECTION_AND_LOOP,
} Part;

static gint64
task_time (AwFetchRun *self,
           AwTask     *task,
           Part        part)
{
  AwLedger ledger;
  gint64 time;

  aw_task_get_ledger (task, &ledger);
  time = ledger.network_us + ledger.running_us;
  if (part >= OWN_AND_CONNECTION && self->conns_per_host > 0
      && aw_task_get_dequeued_us (task) >= 0)
    {
      /* Queued after it left the run's queue: libsoup waited for one of the host's
       * connections. Without a cap that is libsoup's own setting up, told as the rest. */
      gint64 run_queue_us = aw_task_get_dequeued_us (task) - aw_task_get_start_us (task);

      time += CLAMP (ledger.queued_us - run_queue_us, 0, ledger.queued_us);
    }
  if (part >= OWN_CONNECTION_AND_LOOP)
    time += ledger.ready_us;
  return time;
}

static guint
slots_of (AwFetchRun *self)
{
  if (self->slots > 0)
    return self->slots;
  /* A run read back from a record: its mode's own limit. */
  switch (self->mode)
    {
    case AW_MODE_SEQUENTIAL:
    case AW_MODE_BLOCKING:
      return 1;
    case AW_MODE_LIMITED:
      return self->limit;
    case AW_MODE_CONCURRENT:
    case AW_MODE_THREADS:
    default:
      return G_MAXUINT;
    }
}

/* Greedy list scheduling: the tasks in start order (their index), each into the slot that
 * frees first; the last slot to free is the makespan. */
static gint64
pack (AwFetchRun *self,
      Part        part)
{
  guint n_slots = MAX (MIN (slots_of (self), self->tasks->len), 1);
  g_autofree gint64 *free_at = NULL;
  gint64 makespan = 0;

  /* A slot each: the longest task. */
  if (n_slots == self->tasks->len)
    {
      for (guint i = 0; i < self->tasks->len; i++)
        makespan = MAX (makespan, task_time (self, g_ptr_array_index (self->tasks, i), part));
      return makespan;
    }

  free_at = g_new0 (gint64, n_slots);
  for (guint i = 0; i < self->tasks->len; i++)
    {
      guint first = 0;

      for (guint slot = 1; slot < n_slots; slot++)
        if (free_at[slot] < free_at[first])
          first = slot;
      free_at[first] += task_time (self, g_ptr_array_index (self->tasks, i), part);
      makespan = MAX (makespan, free_at[first]);
    }
  return makespan;
}

gint64
aw_fetch_run_get_bound_us (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);

  if (!aw_fetch_run_is_finished (self))
    return 0;
  /* Each task's own time lies within its bar, the bars within the run, and no more ran at
   * once than there are slots: the packing cannot end later than the run did; the MIN guards
   * a clock read out of order. */
  return MIN (pack (self, OWN), self->total_us);
}

/* At least 5 ms: what "%.2f s" shows as more than nothing. */
#define WORTH_TELLING_US 5000

static void
add_part (GString    *text,
          const char *part)
{
  if (text->len > 0)
    g_string_append (text, ", ");
  g_string_append (text, part);
}

char *
aw_fetch_run_describe_gap (AwFetchRun *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 own, connection, loop, gap, part;

  g_return_val_if_fail (AW_IS_FETCH_RUN (self), NULL);

  if (!aw_fetch_run_is_finished (self))
    return NULL;

  /* Each cause in turn added to the tasks' own time, packed the same way: what it cost the
   * run, within what is left of the gap. */
  own = aw_fetch_run_get_bound_us (self);
  connection = MAX (pack (self, OWN_AND_CONNECTION), own);
  loop = MAX (pack (self, OWN_CONNECTION_AND_LOOP), connection);
  gap = self->total_us - own;

  part = MIN (connection - own, gap);
  if (part >= WORTH_TELLING_US)
    {
      /* Translators: what part of a run's time went to; %.2f is seconds */
      g_autofree char *str = g_strdup_printf (_("+%.2f s waiting for a connection (%u per host)"),
                                              part / (double)G_USEC_PER_SEC,
                                              self->conns_per_host);

      add_part (text, str);
    }
  gap -= MAX (part, 0);

  part = MIN (loop - connection, gap);
  if (part >= WORTH_TELLING_US)
    {
      /* Translators: tasks were ready but the event loop was busy with something else */
      g_autofree char *str = g_strdup_printf (_("+%.2f s loop busy"),
                                              part / (double)G_USEC_PER_SEC);
      add_part (text, str);
    }
  gap -= MAX (part, 0);

  if (gap >= WORTH_TELLING_US)
    {
      /* Translators: the rest of a run's time beyond its bound */
      g_autofree char *str = g_strdup_printf (_("+%.2f s starting tasks and between turns"),
                                              gap / (double)G_USEC_PER_SEC);
      add_part (text, str);
    }

  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}
