/* aw-fetch-run.h: one run of every city in one mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "aw-provider.h"
#include "aw-task.h"
#include "aw-types.h"

G_BEGIN_DECLS

#define AW_TYPE_FETCH_RUN (aw_fetch_run_get_type ())

G_DECLARE_FINAL_TYPE (AwFetchRun, aw_fetch_run, AW, FETCH_RUN, GObject)

#define AW_DEFAULT_TIMEOUT_S   15.0
#define AW_MIN_TIMEOUT_S       0.05
#define AW_MAX_TIMEOUT_S       3600.0
#define AW_DEFAULT_LIMIT       2

/* Signals: "task-changed" (AwTask *task) whenever a task changes phase or state, on the main
 * context the run was started from; "finished" () once, when every task is finished: the one
 * end of a run (aw_fetch_run_run_async()'s callback comes from the same place, after it).
 *
 * Properties, each notified on the run's main context when it changes: construct-only
 * "provider", "mode", "cities"; "limit", "timeout", "conns-per-host" (fixed once started);
 * read-only "n-tasks", "running", "finished", "stopped", "n-finished", "n-failed",
 * "started-at", "total-us", "longest-stall-us"; "workload", "work-ms" (fixed once started). */

AwFetchRun   *aw_fetch_run_new                (AwProvider         *provider,
                                               AwMode              mode,
                                               const char * const *cities);
AwMode        aw_fetch_run_get_mode           (AwFetchRun         *self);
AwProvider   *aw_fetch_run_get_provider       (AwFetchRun         *self);
/* Limited mode: at most @limit tasks in flight (default 2). */
void          aw_fetch_run_set_limit          (AwFetchRun         *self,
                                               guint               limit);
guint         aw_fetch_run_get_limit          (AwFetchRun         *self);
/* Per-task timeout in seconds (default 15). */
void          aw_fetch_run_set_timeout        (AwFetchRun         *self,
                                               double              seconds);
double        aw_fetch_run_get_timeout        (AwFetchRun         *self);
/* Connections per host that libsoup may open; 0 (the default) means one per task, so that
 * concurrent tasks really overlap, except towards a real service, where it means 6 (see
 * aw-host-policy.h) and no more tasks than that are in flight. A small value shows up as
 * queueing. */
void          aw_fetch_run_set_conns_per_host (AwFetchRun         *self,
                                               guint               conns);
guint         aw_fetch_run_get_conns_per_host (AwFetchRun         *self);

/* What each task does (default: fetch the weather). The sleep workload waits a latency
 * between @min_s and @max_s on a timer, without network: asynchronously on the loop in
 * Sequential, Concurrent and Limited; with g_usleep() on the thread in Threads and Blocking. */
void          aw_fetch_run_set_workload       (AwFetchRun         *self,
                                               AwWorkload          workload);
AwWorkload    aw_fetch_run_get_workload       (AwFetchRun         *self);
void          aw_fetch_run_set_sleep_latency  (AwFetchRun         *self,
                                               double              min_s,
                                               double              max_s);
/* Milliseconds (0 to AW_MAX_WORK_MS) of real CPU work per answer, on the thread that handles
 * it, inside its parse step: Concurrent serialises it on the loop, Threads spreads it. */
void          aw_fetch_run_set_work_ms        (AwFetchRun         *self,
                                               guint               work_ms);
guint         aw_fetch_run_get_work_ms        (AwFetchRun         *self);
/* The run shares its loop with a window's frames (default FALSE): it starts tasks and reads
 * answers a small batch per turn of the loop, so that a frame waits for at most one batch.
 * Unpaced (a command line), whatever is ready goes in one turn: each turn of the loop visits
 * every socket, and batches of 1000 answers cost a quarter of a run's CPU at 5000 tasks. */
void          aw_fetch_run_set_paced          (AwFetchRun         *self,
                                               gboolean            paced);

void          aw_fetch_run_run_async          (AwFetchRun         *self,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
/* FALSE only when the run could not start; failed tasks do not fail the run. */
gboolean      aw_fetch_run_run_finish         (AwFetchRun         *self,
                                               GAsyncResult       *result,
                                               GError            **error);

guint         aw_fetch_run_get_n_tasks        (AwFetchRun         *self);
AwTask       *aw_fetch_run_get_task           (AwFetchRun         *self,
                                               guint               index);
gboolean      aw_fetch_run_is_running         (AwFetchRun         *self);
gboolean      aw_fetch_run_is_finished        (AwFetchRun         *self);
guint         aw_fetch_run_get_n_failed       (AwFetchRun         *self);
/* Whether the run was stopped through its cancellable before all its tasks ended. */
gboolean      aw_fetch_run_was_stopped        (AwFetchRun         *self);
/* Wall-clock time the run started at, for exports. */
GDateTime    *aw_fetch_run_get_started_at     (AwFetchRun         *self);
/* Microseconds since the start; the wall time once finished. */
gint64        aw_fetch_run_get_elapsed_us     (AwFetchRun         *self);
gint64        aw_fetch_run_get_total_us       (AwFetchRun         *self);
/* The sum of every task's duration, and sum ÷ total. */
gint64        aw_fetch_run_get_sum_us         (AwFetchRun         *self);
double        aw_fetch_run_get_speedup        (AwFetchRun         *self);
/* The longest time the main loop could not dispatch while the run was live. */
gint64        aw_fetch_run_get_longest_stall_us (AwFetchRun       *self);
/* The process's CPU time (every thread) since the run started, until it finished; 0 where
 * the platform gives none, and for a run read back from history. */
gint64        aw_fetch_run_get_cpu_us         (AwFetchRun         *self);

/* The run's thread lanes on its time axis (see AwSlice): lane 0 is the thread that runs the
 * run's loop ("main loop"), Threads adds one lane per worker thread ("worker 1"...), in the
 * order they first ran a task. Live during the run (the last slice of a lane may be open),
 * kept once it finished; none for a run read back from a record. On the run's thread. */
guint          aw_fetch_run_get_n_lanes      (AwFetchRun    *self);
const char    *aw_fetch_run_get_lane_name    (AwFetchRun    *self,
                                              guint          lane);
const AwSlice *aw_fetch_run_get_lane_slices  (AwFetchRun    *self,
                                              guint          lane,
                                              guint         *n_slices);
/* The window reports each frame it drew while the run is live (monotonic µs, as
 * g_get_monotonic_time()); it shows on lane 0. */
void           aw_fetch_run_note_frame       (AwFetchRun    *self,
                                              gint64         begin_monotonic_us,
                                              gint64         end_monotonic_us);
/* Lane 0 over the run so far: busy is the elapsed time less the idle time in poll. */
void           aw_fetch_run_get_loop_figures (AwFetchRun    *self,
                                              AwLoopFigures *figures);
/* The best the mode could have done with its tasks' own network and running times: the
 * tasks packed, in start order, each into the slot that frees first (greedy list
 * scheduling), into as many slots as the mode allows in flight: 1 for Sequential and
 * Blocking (their sum), one per task for Concurrent (their maximum), the limit for Limited,
 * the pool for Threads. Never above the wall time; 0 before the run finished. */
gint64         aw_fetch_run_get_bound_us     (AwFetchRun    *self);
/* What the difference between the wall time and the bound went to, from the ledgers:
 * "+0.90 s waiting for a connection (2 per host), +0.20 s loop busy", translated; NULL when
 * nothing worth telling or before the run finished. */
char          *aw_fetch_run_describe_gap     (AwFetchRun    *self);

G_END_DECLS
