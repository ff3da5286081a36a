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
 * "started-at", "total-us", "longest-stall-us". */

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

G_END_DECLS
