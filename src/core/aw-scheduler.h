/* aw-scheduler.h: how a mode hands a run's tasks to the network, one implementation per family
 *
 * The run keeps the queue, the deadlines, the descriptor budget and the host policy; a
 * scheduler says how many tasks may be in flight and how one is carried out: on the run's
 * loop (aw-scheduler-loop.c), on worker threads (aw-scheduler-threads.c), or holding the
 * run's thread (aw-scheduler-blocking.c). A new mode is a new AwScheduler in the table of
 * aw-scheduler.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-fetch-run.h"

G_BEGIN_DECLS

typedef struct _AwJob AwJob;

/* The priority of GDK's redraw (GDK_PRIORITY_REDRAW), below the loop's I/O, for a run's
 * batches of answers: the loop dispatches every ready source of the best ready priority in
 * one turn, so a due frame and the next batch go together: a frame waits for at most one
 * batch, and frame after frame cannot starve the run. */
#define AW_PRIORITY_BATCH (G_PRIORITY_HIGH_IDLE + 20)

typedef struct
{
  /* Descriptors each task in flight holds (a worker thread's wake-up descriptor too). */
  guint      fds_per_task;
  /* Tasks that really run at once where fewer than max_in_flight(): 0 for no such cap. */
  guint      max_running;
  /* Every task in one session: the mode's lesson, rather than sessions spread for speed. */
  gboolean   one_session;
  /* The mode holds the run's thread from start to end: no batches, and all of the run counts
   * as one stall of the loop. */
  gboolean   holds_loop;

  /* How many tasks the run may have in flight at once. */
  guint    (*max_in_flight) (AwFetchRun *run);
  /* Optional: the mode's own state for one run, made as it starts, freed as it ends. */
  gpointer (*start_run)     (AwFetchRun *run);
  void     (*end_run)       (gpointer    state);
  /* Carries out @job; it ends, on the run's thread, with aw_fetch_run_job_done(). */
  void     (*start_task)    (gpointer    state,
                             AwJob      *job);
  /* Optional: a Stop, from any thread, where the run's loop cannot act on it in time. */
  void     (*stop)          (gpointer    state);
} AwScheduler;

extern const AwScheduler aw_scheduler_sequential;
extern const AwScheduler aw_scheduler_concurrent;
extern const AwScheduler aw_scheduler_limited;
extern const AwScheduler aw_scheduler_threads;
extern const AwScheduler aw_scheduler_blocking;

const AwScheduler *aw_scheduler_for_mode (AwMode mode);

G_END_DECLS
