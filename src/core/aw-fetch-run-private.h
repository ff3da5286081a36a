/* aw-fetch-run-private.h: what a run shares with its schedulers and jobs, for the engine only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-deadline-queue.h"
#include "aw-fetch-run.h"
#include "aw-host-policy-private.h"
#include "aw-loop-trace.h"
#include "aw-scheduler.h"
#include "aw-session-pool.h"
#include "aw-task-private.h"

G_BEGIN_DECLS

/* The run's fields, shared by aw-fetch-run.c (the object, its properties and figures) and
 * aw-fetch-run-queue.c (the run under way). */
struct _AwFetchRun
{
  GObject       parent_instance;

  /* settings, fixed once the run starts */
  AwProvider   *provider;
  AwMode        mode;
  guint         limit;
  double        timeout_s;
  guint         conns_per_host;
  AwWorkload    workload;
  guint         work_ms;        /* of CPU time per answer, on the thread that handles it */
  double        sleep_min_s;    /* the sleep workload's latency, a random one in between */
  double        sleep_max_s;
  gboolean      paced;          /* batches, for a window's frames */

  /* owned */
  GPtrArray    *tasks;          /* AwTask */
  AwSessionPool *sessions;
  GTask        *run_task;
  GCancellable *cancellable;    /* the caller's, or our own */
  gulong        cancelled_id;
  GSource      *cancel_source;
  GMainContext *context;
  GDateTime    *started_at;
  GSource      *loop_watch;     /* times each turn of the loop: the longest is the stall */
  AwDeadlineQueue *deadlines;   /* of the jobs in flight, in start order */
  GSource      *next_batch;     /* starts the next batch of tasks, after a frame can draw */
  AwHostPolicy *policy;         /* towards a real service: connections, Retry-After */
  const AwScheduler *scheduler; /* the mode's */
  gpointer      scheduler_state;
  guint         fd_budget;      /* sockets the run may hold at once */
  AwLoopTrace  *trace;          /* its lanes, from the start on */
  guint         slots;          /* tasks the run lets in flight at once, for the bound */

  gint64        origin_us;      /* monotonic time of the start */
  gint64        total_us;       /* -1 until finished */
  gint64        longest_stall_us;
  gint64        cpu_origin_us;  /* the process's CPU time at the start */
  gint64        cpu_us;         /* the process's CPU time during the run, once finished */
  guint         next_task;
  guint         n_active;
  guint         n_finished;
  guint         n_failed;
  gboolean      cancelled;
  gboolean      pumping;        /* in pump(): a task that ends at once does not re-enter it */
};


typedef enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_MODE,
  PROP_CITIES,
  PROP_LIMIT,
  PROP_TIMEOUT,
  PROP_CONNS_PER_HOST,
  PROP_N_TASKS,
  PROP_RUNNING,
  PROP_FINISHED,
  PROP_STOPPED,
  PROP_N_FINISHED,
  PROP_N_FAILED,
  PROP_STARTED_AT,
  PROP_TOTAL_US,
  PROP_LONGEST_STALL_US,
  PROP_WORKLOAD,
  PROP_WORK_MS,
  N_PROPS
} AwFetchRunProp;



/* Microseconds since the run started; the monotonic time it started at. */
gint64        _aw_fetch_run_now          (AwFetchRun *self);
gint64        _aw_fetch_run_get_origin_us (AwFetchRun *self);
/* The main context the run was started from: its tasks change only there. */
GMainContext *_aw_fetch_run_get_context  (AwFetchRun *self);
AwHostPolicy *_aw_fetch_run_get_policy   (AwFetchRun *self);
/* The run's lanes, NULL before it started. */
AwLoopTrace  *_aw_fetch_run_get_trace    (AwFetchRun *self);
/* Emits "task-changed"; on the run's thread only. */
void          _aw_fetch_run_task_changed (AwFetchRun *self,
                                          AwTask     *task);
/* Ends @job (and frees it) with its weather or its error; on the run's thread only. */
void          _aw_fetch_run_job_done     (AwJob      *job,
                                          AwWeather  *weather,
                                          GError     *error);

/* A finished run of ended tasks, as a record of an earlier session keeps it. */
AwFetchRun   *aw_fetch_run_new_finished  (AwMode      mode,
                                          GPtrArray  *tasks,
                                          GDateTime  *started_at,
                                          gint64      total_us,
                                          gboolean    stopped);

/* aw-fetch-run.c, for the queue */
void          _aw_fetch_run_notify       (AwFetchRun     *self,
                                          AwFetchRunProp  prop_id);
void          _aw_fetch_run_emit_finished (AwFetchRun    *self);
void          _aw_fetch_run_set_conns_per_host (AwFetchRun *self,
                                          guint           conns);
/* aw-fetch-run-queue.c: starts the run's tasks, its context and origin set. */
void          _aw_fetch_run_start        (AwFetchRun     *self);

/* For tests: carries out the run with @scheduler rather than its mode's; before it starts. */
void          _aw_fetch_run_set_scheduler (AwFetchRun        *self,
                                           const AwScheduler *scheduler);

G_END_DECLS
