/* aw-loop-trace.h: what the threads of a run did on its time axis: its loop's lane, its
 * workers' lanes, and each task's time ready but waiting for the busy loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "aw-task.h"
#include "aw-types.h"

G_BEGIN_DECLS

typedef struct _AwLoopTrace AwLoopTrace;
/* A callback under way: g_autoptr(AwLoopTraceScope) ends it as the callback returns. */
typedef struct _AwLoopTrace AwLoopTraceScope;

/* A trace of a run started at @origin_us (monotonic) over @tasks (AwTask, by index), its loop
 * on @context: lane 0. Everything below runs on the run's thread, unless said otherwise. */
AwLoopTrace   *aw_loop_trace_new           (GPtrArray    *tasks,
                                            gint64        origin_us,
                                            GMainContext *context);
AwLoopTrace   *aw_loop_trace_ref           (AwLoopTrace  *self);
void           aw_loop_trace_unref         (AwLoopTrace  *self);
/* The run ended at @end_us (run-relative): open slices close there, recording stops. */
void           aw_loop_trace_stop          (AwLoopTrace  *self,
                                            gint64        end_us);

/* One of @task's callbacks on the loop, that ends @phase: begin returns a reference that
 * end gives back, so that a callback that ended the run still closes its slice. Callbacks
 * within a callback belong to the outer one. NULL-safe. */
AwLoopTraceScope *aw_loop_trace_begin         (AwLoopTrace  *self,
                                            AwTask       *task,
                                            AwPhase       phase);
void           aw_loop_trace_end           (AwLoopTraceScope *scope);
/* The callback under way goes on as @task's @phase (a read that goes on into the parse). */
void           aw_loop_trace_switch        (AwLoopTrace  *self,
                                            AwTask       *task,
                                            AwPhase       phase);
/* The loop's thread is held by a blocking call from @at_us until the trace stops. */
void           aw_loop_trace_block         (AwLoopTrace  *self,
                                            gint64        at_us);
void           aw_loop_trace_note_frame    (AwLoopTrace  *self,
                                            gint64        start_us,
                                            gint64        end_us);

/* Worker threads: a job's slices are recorded by the worker into its own array
 * (aw_slices_mark(), on the worker), and published on the run's thread: started opens a
 * BLOCKED slice on @thread's lane, done replaces it with the job's slices. */
void           aw_slices_mark              (GArray       *slices,
                                            AwSliceKind   kind,
                                            int           task,
                                            AwPhase       phase,
                                            gint64        at_us);
void           aw_slices_close             (GArray       *slices,
                                            gint64        at_us);
gint64         aw_slices_sum               (GArray       *slices,
                                            AwSliceKind   kind);
void           aw_loop_trace_worker_started (AwLoopTrace *self,
                                            gpointer      thread,
                                            int           task,
                                            gint64        at_us);
void           aw_loop_trace_worker_done   (AwLoopTrace  *self,
                                            gpointer      thread,
                                            GArray       *slices);

guint          aw_loop_trace_get_n_lanes   (AwLoopTrace  *self);
const char    *aw_loop_trace_get_lane_name (AwLoopTrace  *self,
                                            guint         lane);
const AwSlice *aw_loop_trace_get_slices    (AwLoopTrace  *self,
                                            guint         lane,
                                            guint        *n_slices);
/* @now_us: run-relative, the end of the stretch the figures cover. */
void           aw_loop_trace_get_figures   (AwLoopTrace  *self,
                                            gint64        now_us,
                                            AwLoopFigures *figures);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwLoopTraceScope, aw_loop_trace_end)

G_END_DECLS
