/* aw-scheduler-threads.c: Threads: each task on a worker thread with libsoup's blocking API,
 * its news handed to the run's loop in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"

#define MAX_WORKER_THREADS 64

typedef struct
{
  AwFetchRun  *run;
  GThreadPool *pool;
} Threads;

static gboolean
on_worker_done (gpointer user_data)
{
  AwJob *job = user_data;
  AwLoopTrace *trace = _aw_fetch_run_get_trace (job->run);
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (trace, job->task, AW_PHASE_PARSE);

  aw_loop_trace_worker_done (trace, job->worker, job->slices);
  aw_job_record_blocking (job);
  return G_SOURCE_REMOVE;
}

static gboolean
on_worker_started (gpointer user_data)
{
  AwJob *job = user_data;
  AwLoopTrace *trace = _aw_fetch_run_get_trace (job->run);
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (trace, job->task, AW_PHASE_QUEUED);

  aw_loop_trace_worker_started (trace, job->worker, aw_task_get_index (job->task),
                                job->worker_start_us);
  aw_job_begin_live_phase (job, AW_PHASE_WAIT);
  return G_SOURCE_REMOVE;
}

/* Hands @func to the run's thread, after what was handed before. Not
 * g_main_context_invoke: while that thread is between two turns of its loop, the worker can
 * acquire the context and would run @func itself, on the wrong thread and before an earlier
 * call still queued (a task freed, then told it started). */
static void
call_on_run_thread (AwJob       *job,
                    GSourceFunc  func)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, job, NULL);
  g_source_set_static_name (source, "aw-worker-report");
  g_source_attach (source, _aw_fetch_run_get_context (job->run));
}

static void
worker (gpointer data,
        gpointer user_data)
{
  AwJob *job = data;

  /* Before the report: the run's thread reads them once it has it. */
  job->worker = g_thread_self ();
  job->worker_start_us = _aw_fetch_run_now (job->run);
  call_on_run_thread (job, on_worker_started);
  aw_job_fetch_blocking (job);
  call_on_run_thread (job, on_worker_done);
}

static gpointer
threads_start_run (AwFetchRun *run)
{
  Threads *self = g_new0 (Threads, 1);
  guint n_threads = MIN (MAX (aw_fetch_run_get_n_tasks (run), 1), MAX_WORKER_THREADS);

  self->run = run;
  self->pool = g_thread_pool_new (worker, NULL, n_threads, FALSE, NULL);
  return self;
}

/* On the run's thread, after the last report: waits for the workers to return. */
static void
threads_end_run (gpointer state)
{
  Threads *self = state;

  g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_free (self);
}

static void
threads_start_task (gpointer  state,
                    AwJob    *job)
{
  Threads *self = state;

  job->on_worker = TRUE;
  g_thread_pool_push (self->pool, job, NULL);
}

/* As many as there are workers: a task waiting for one waits in the run's queue, where it
 * shows as queued and its timeout has not begun. In the pool's own queue it would run its
 * timeout out unseen (89 of 1000 tasks did, at a latency of 0.5–1.5 s). */
static guint
threads_max_in_flight (AwFetchRun *run)
{
  return MAX_WORKER_THREADS;
}

const AwScheduler aw_scheduler_threads = {
  /* A worker's blocking wait holds a wake-up descriptor beside its socket. */
  .fds_per_task = 2,
  .max_running = MAX_WORKER_THREADS,
  /* The lesson of the mode: threads sharing one session. */
  .one_session = TRUE,
  .max_in_flight = threads_max_in_flight,
  .start_run = threads_start_run,
  .end_run = threads_end_run,
  .start_task = threads_start_task,
};
