/* aw-scheduler-blocking.c: Blocking: one task after another with libsoup's blocking API on
 * the run's own thread, which no loop turn interrupts; a watchdog thread keeps each deadline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"
#include "aw-watchdog.h"

static gpointer
blocking_start_run (AwFetchRun *run)
{
  return aw_watchdog_new ();
}

static void
blocking_end_run (gpointer state)
{
  aw_watchdog_free (state);
}

static void
blocking_start_task (gpointer  state,
                     AwJob    *job)
{
  AwWatchdog *watchdog = state;

  /* The loop cannot run the deadline queue's timer while this thread is held. */
  aw_watchdog_arm (watchdog, job->cancellable, job->deadline.deadline_us);
  aw_job_fetch_blocking (job);
  job->deadline.timed_out = aw_watchdog_disarm (watchdog);
  aw_job_record_blocking (job);
}

/* A Stop from another thread cannot reach the held loop: the watchdog cancels at once. */
static void
blocking_stop (gpointer state)
{
  aw_watchdog_cancel_now (state);
}

static guint
blocking_max_in_flight (AwFetchRun *run)
{
  return 1;
}

const AwScheduler aw_scheduler_blocking = {
  .fds_per_task = 1,
  .one_session = TRUE,
  .holds_loop = TRUE,
  .max_in_flight = blocking_max_in_flight,
  .start_run = blocking_start_run,
  .end_run = blocking_end_run,
  .start_task = blocking_start_task,
  .stop = blocking_stop,
};
