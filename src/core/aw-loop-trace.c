/* aw-loop-trace.c: the lanes of a run: its loop's thread (idle in poll, a task's callback, a
 * frame, blocked) and its worker threads, with each task's time ready and running on the loop
 *
 * Idle time comes from a source of the highest priority on the run's context, which the loop
 * prepares first just before it polls and checks first just after: no timer, no wake-up, two
 * clock reads per turn. Busy slices come from the engine's own callbacks. At 1000 tasks that
 * is 6000 slices (190 kB) and 12000 clock reads, a cost below a run's own noise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-loop-trace.h"
#include "aw-task-private.h"

typedef struct
{
  char     *name;
  gpointer  thread;   /* a worker's GThread, NULL for the loop's lane */
  GArray   *slices;   /* AwSlice, in time order, never overlapping */
} Lane;

typedef struct
{
  GSource      source;
  AwLoopTrace *trace;  /* borrowed: the trace destroys the source first */
} IdleSource;

struct _AwLoopTrace
{
  grefcount  ref_count;
  GPtrArray *tasks;
  gint64     origin_us;
  GPtrArray *lanes;            /* Lane */
  GSource   *source;
  GArray    *last_end;         /* gint64 per task: the end of its last callback */

  gint64     woke_us;          /* when the poll of this turn returned; -1 before the first */
  guint      depth;            /* of callbacks within callbacks */
  AwTask    *task;             /* the outer callback's */
  gboolean   recording;        /* FALSE once stopped, or while a blocking call holds the loop */

  gint64     idle_us;
  gint64     longest_callback_us;
  guint      n_callbacks;
  guint      n_iterations;
};

static gint64
now (AwLoopTrace *self)
{
  return g_get_monotonic_time () - self->origin_us;
}

static void
lane_free (gpointer data)
{
  Lane *lane = data;

  g_free (lane->name);
  g_array_unref (lane->slices);
  g_free (lane);
}

static Lane *
lane_new (AwLoopTrace *self,
          char        *name,
          gpointer     thread)
{
  Lane *lane = g_new0 (Lane, 1);

  lane->name = name;
  lane->thread = thread;
  lane->slices = g_array_new (FALSE, FALSE, sizeof (AwSlice));
  g_ptr_array_add (self->lanes, lane);
  return lane;
}

static AwSlice *
last_slice (Lane *lane)
{
  if (lane->slices->len == 0)
    return NULL;
  return &g_array_index (lane->slices, AwSlice, lane->slices->len - 1);
}

static Lane *
main_lane (AwLoopTrace *self)
{
  return g_ptr_array_index (self->lanes, 0);
}

/* Appends @slice after the lane's last one, clipped so that they never overlap. */
static void
append_ordered (Lane          *lane,
                const AwSlice *slice)
{
  AwSlice *last = last_slice (lane);
  AwSlice copy = *slice;

  if (last != NULL && last->end_us < 0)
    return;
  if (last != NULL)
    copy.start_us = MAX (copy.start_us, last->end_us);
  if (copy.end_us >= 0 && copy.end_us < copy.start_us)
    return;
  g_array_append_val (lane->slices, copy);
}

/* Closes the lane's open slice at @at_us; returns how long it lasted, or -1 if none was open. */
static gint64
close_open (Lane   *lane,
            gint64  at_us)
{
  AwSlice *last = last_slice (lane);

  if (last == NULL || last->end_us >= 0)
    return -1;
  last->end_us = MAX (at_us, last->start_us);
  return last->end_us - last->start_us;
}

static gboolean
idle_prepare (GSource *source,
              int     *timeout)
{
  AwLoopTrace *self = ((IdleSource *)source)->trace;
  AwSlice idle = { now (self), -1, -1, AW_SLICE_IDLE, AW_PHASE_QUEUED };

  *timeout = -1;
  /* A loop run from within a callback is the callback's. */
  if (self->recording && self->depth == 0)
    append_ordered (main_lane (self), &idle);
  return FALSE;
}

static gboolean
idle_check (GSource *source)
{
  AwLoopTrace *self = ((IdleSource *)source)->trace;
  Lane *lane = main_lane (self);
  AwSlice *last = last_slice (lane);
  gint64 at_us;

  if (last == NULL || last->end_us >= 0 || last->kind != AW_SLICE_IDLE)
    return FALSE;
  at_us = now (self);
  self->woke_us = at_us;
  self->n_iterations++;
  self->idle_us += close_open (lane, at_us);
  /* A poll that did not wait is a turn, not a stretch to draw. */
  if (last->end_us == last->start_us)
    g_array_set_size (lane->slices, lane->slices->len - 1);
  return FALSE;
}

static GSourceFuncs idle_funcs = { idle_prepare, idle_check, NULL, NULL, NULL, NULL };

AwLoopTrace *
aw_loop_trace_new (GPtrArray    *tasks,
                   gint64        origin_us,
                   GMainContext *context)
{
  AwLoopTrace *self = g_new0 (AwLoopTrace, 1);

  g_ref_count_init (&self->ref_count);
  self->tasks = g_ptr_array_ref (tasks);
  self->origin_us = origin_us;
  self->lanes = g_ptr_array_new_with_free_func (lane_free);
  self->last_end = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_array_set_size (self->last_end, tasks->len);
  self->woke_us = -1;
  self->recording = TRUE;
  /* Translators: the lane of the thread that runs the event loop */
  lane_new (self, g_strdup (_("main loop")), NULL);

  self->source = g_source_new (&idle_funcs, sizeof (IdleSource));
  ((IdleSource *)self->source)->trace = self;
  /* First of all: the loop prepares it last before its poll and checks it first after. */
  g_source_set_priority (self->source, G_MININT);
  g_source_set_static_name (self->source, "aw-loop-trace");
  g_source_attach (self->source, context);
  return self;
}

AwLoopTrace *
aw_loop_trace_ref (AwLoopTrace *self)
{
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
aw_loop_trace_unref (AwLoopTrace *self)
{
  if (!g_ref_count_dec (&self->ref_count))
    return;
  aw_loop_trace_stop (self, now (self));
  g_ptr_array_unref (self->lanes);
  g_ptr_array_unref (self->tasks);
  g_array_unref (self->last_end);
  g_free (self);
}

/* Ends the callback under way at @at_us: its time is its task's. */
static void
close_callback (AwLoopTrace *self,
                gint64       at_us)
{
  gint64 running_us;

  if (self->task == NULL)
    return;
  running_us = close_open (main_lane (self), at_us);
  if (running_us >= 0)
    {
      aw_task_add_loop_time (self->task, 0, running_us);
      self->longest_callback_us = MAX (self->longest_callback_us, running_us);
      self->n_callbacks++;
      g_array_index (self->last_end, gint64, aw_task_get_index (self->task)) = at_us;
    }
  g_clear_object (&self->task);
}

void
aw_loop_trace_stop (AwLoopTrace *self,
                    gint64       end_us)
{
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  /* The callback under way (the one that ended the run), an idle stretch, a blocked one. */
  close_callback (self, end_us);
  for (guint i = 0; i < self->lanes->len; i++)
    {
      gint64 open_us = close_open (g_ptr_array_index (self->lanes, i), end_us);

      if (i == 0 && open_us > 0 && last_slice (main_lane (self))->kind == AW_SLICE_IDLE)
        self->idle_us += open_us;
    }
  self->recording = FALSE;
}

static void
open_callback (AwLoopTrace *self,
               AwTask      *task,
               AwPhase      phase,
               gint64       at_us)
{
  guint index = aw_task_get_index (task);
  AwSlice slice = { at_us, -1, index, AW_SLICE_CALLBACK, phase };
  Lane *lane = main_lane (self);
  guint n = lane->slices->len;

  append_ordered (lane, &slice);
  if (lane->slices->len == n)
    return;
  self->task = g_object_ref (task);
}

AwLoopTraceScope *
aw_loop_trace_begin (AwLoopTrace *self,
                     AwTask      *task,
                     AwPhase      phase)
{
  gint64 at_us;

  if (self == NULL)
    return NULL;
  aw_loop_trace_ref (self);
  if (self->depth++ > 0 || !self->recording)
    return self;

  at_us = now (self);
  /* Ready from the poll that woke the loop, or from the task's own callback that came
   * before in the same turn; a task's start was queued, not ready. */
  if (phase != AW_PHASE_QUEUED && self->woke_us >= 0)
    {
      gint64 from = MAX (self->woke_us,
                         g_array_index (self->last_end, gint64, aw_task_get_index (task)));

      if (at_us > from)
        aw_task_add_loop_time (task, at_us - from, 0);
    }
  open_callback (self, task, phase, at_us);
  return self;
}

void
aw_loop_trace_end (AwLoopTraceScope *self)
{
  if (self == NULL)
    return;
  g_assert (self->depth > 0);
  if (--self->depth == 0 && self->recording)
    close_callback (self, now (self));
  aw_loop_trace_unref (self);
}

void
aw_loop_trace_switch (AwLoopTrace *self,
                      AwTask      *task,
                      AwPhase      phase)
{
  gint64 at_us;

  if (self == NULL || self->depth != 1 || !self->recording || self->task != task)
    return;
  at_us = now (self);
  close_callback (self, at_us);
  open_callback (self, task, phase, at_us);
}

void
aw_loop_trace_block (AwLoopTrace *self,
                     gint64       at_us)
{
  AwSlice blocked = { at_us, -1, -1, AW_SLICE_BLOCKED, AW_PHASE_QUEUED };

  close_callback (self, at_us);
  close_open (main_lane (self), at_us);
  append_ordered (main_lane (self), &blocked);
  self->recording = FALSE;
}

void
aw_loop_trace_note_frame (AwLoopTrace *self,
                          gint64       start_us,
                          gint64       end_us)
{
  AwSlice frame = { start_us, end_us, -1, AW_SLICE_FRAME, AW_PHASE_QUEUED };

  if (!self->recording || end_us < 0)
    return;
  append_ordered (main_lane (self), &frame);
}

void
aw_slices_mark (GArray      *slices,
                AwSliceKind  kind,
                int          task,
                AwPhase      phase,
                gint64       at_us)
{
  AwSlice slice = { at_us, -1, task, kind, phase };

  aw_slices_close (slices, at_us);
  g_array_append_val (slices, slice);
}

void
aw_slices_close (GArray *slices,
                 gint64  at_us)
{
  AwSlice *last;

  if (slices->len == 0)
    return;
  last = &g_array_index (slices, AwSlice, slices->len - 1);
  if (last->end_us < 0)
    last->end_us = MAX (at_us, last->start_us);
}

gint64
aw_slices_sum (GArray      *slices,
               AwSliceKind  kind)
{
  gint64 sum = 0;

  for (guint i = 0; slices != NULL && i < slices->len; i++)
    {
      const AwSlice *slice = &g_array_index (slices, AwSlice, i);

      if (slice->kind == kind && slice->end_us >= 0)
        sum += slice->end_us - slice->start_us;
    }
  return sum;
}

static Lane *
worker_lane (AwLoopTrace *self,
             gpointer     thread)
{
  for (guint i = 1; i < self->lanes->len; i++)
    {
      Lane *lane = g_ptr_array_index (self->lanes, i);

      if (lane->thread == thread)
        return lane;
    }
  /* Translators: the lane of one worker thread; %u counts them from 1 */
  return lane_new (self, g_strdup_printf (_("worker %u"), self->lanes->len), thread);
}

void
aw_loop_trace_worker_started (AwLoopTrace *self,
                              gpointer     thread,
                              int          task,
                              gint64       at_us)
{
  AwSlice blocked = { at_us, -1, task, AW_SLICE_BLOCKED, AW_PHASE_QUEUED };

  if (self->source == NULL)
    return;
  append_ordered (worker_lane (self, thread), &blocked);
}

void
aw_loop_trace_worker_done (AwLoopTrace *self,
                           gpointer     thread,
                           GArray      *slices)
{
  Lane *lane;
  AwSlice *last;

  if (self->source == NULL || slices == NULL)
    return;
  lane = worker_lane (self, thread);
  /* The live guess of started() gives way to what the worker recorded. */
  last = last_slice (lane);
  if (last != NULL && last->end_us < 0)
    g_array_set_size (lane->slices, lane->slices->len - 1);
  for (guint i = 0; i < slices->len; i++)
    append_ordered (lane, &g_array_index (slices, AwSlice, i));
}

guint
aw_loop_trace_get_n_lanes (AwLoopTrace *self)
{
  return self->lanes->len;
}

const char *
aw_loop_trace_get_lane_name (AwLoopTrace *self,
                             guint        lane)
{
  g_return_val_if_fail (lane < self->lanes->len, NULL);
  return ((Lane *)g_ptr_array_index (self->lanes, lane))->name;
}

const AwSlice *
aw_loop_trace_get_slices (AwLoopTrace *self,
                          guint        lane,
                          guint       *n_slices)
{
  GArray *slices;

  g_return_val_if_fail (lane < self->lanes->len, NULL);
  slices = ((Lane *)g_ptr_array_index (self->lanes, lane))->slices;
  *n_slices = slices->len;
  return (const AwSlice *)(gpointer)slices->data;
}

void
aw_loop_trace_get_figures (AwLoopTrace   *self,
                           gint64         now_us,
                           AwLoopFigures *figures)
{
  AwSlice *last = last_slice (main_lane (self));

  figures->idle_us = self->idle_us;
  if (last != NULL && last->end_us < 0 && last->kind == AW_SLICE_IDLE)
    figures->idle_us += MAX (now_us - last->start_us, 0);
  figures->idle_us = MIN (figures->idle_us, now_us);
  figures->busy_us = now_us - figures->idle_us;
  figures->longest_callback_us = self->longest_callback_us;
  figures->n_callbacks = self->n_callbacks;
  figures->n_iterations = self->n_iterations;
}
