/* aw-fetch-run-queue.c: a run under way: its tasks started as the mode allows, a batch per
 * turn of the loop, their ends, a Stop, and the one end of the run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"
#include "aw-loop-watch.h"
#include "aw-run-budget.h"
#include "aw-work.h"

/* Setting up a connection costs the loop a fraction of a millisecond: in a paced run, tasks
 * start in batches this size, one batch per turn of the loop, so that a window still draws
 * while 1000 start. */
#define START_BATCH 16

static void pump (AwFetchRun *self);

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
finish_run (AwFetchRun *self)
{
  g_autoptr(GTask) run_task = g_steal_pointer (&self->run_task);

  self->total_us = _aw_fetch_run_now (self);
  if (self->cpu_origin_us != 0)
    self->cpu_us = MAX (aw_work_process_cpu_us () - self->cpu_origin_us, 0);
  aw_loop_trace_stop (self->trace, self->total_us);
  /* A mode that held the loop never returned to it while it ran: all of it was a stall. */
  if (self->scheduler->holds_loop)
    self->longest_stall_us = MAX (self->longest_stall_us, self->total_us);
  if (self->loop_watch != NULL)
    aw_loop_watch_end_turn (self->loop_watch);
  clear_source (&self->loop_watch);
  g_clear_pointer (&self->deadlines, aw_deadline_queue_free);
  clear_source (&self->cancel_source);
  clear_source (&self->next_batch);
  /* Waits for a Stop running in another thread: the scheduler's state stays until then. */
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  if (self->scheduler->end_run != NULL)
    self->scheduler->end_run (g_steal_pointer (&self->scheduler_state));
  g_clear_pointer (&self->policy, aw_host_policy_free);
  aw_provider_save (self->provider);

  _aw_fetch_run_notify (self, PROP_TOTAL_US);
  _aw_fetch_run_notify (self, PROP_LONGEST_STALL_US);
  _aw_fetch_run_notify (self, PROP_RUNNING);
  _aw_fetch_run_notify (self, PROP_FINISHED);
  /* The one end of a run; the GTask of aw_fetch_run_run_async() returns from here too. */
  _aw_fetch_run_emit_finished (self);
  g_task_return_boolean (run_task, TRUE);
}

/* Records a task's end, and finishes the run after the last. */
static void
task_done (AwFetchRun *self,
           AwTask     *task,
           AwWeather  *weather,
           GError     *error,
           gint64      at_us)
{
  if (error != NULL)
    {
      aw_task_fail (task, error, at_us);
      if (aw_task_get_state (task) == AW_TASK_FAILED)
        {
          self->n_failed++;
          _aw_fetch_run_notify (self, PROP_N_FAILED);
        }
    }
  else
    aw_task_succeed (task, weather, at_us);

  self->n_finished++;
  _aw_fetch_run_notify (self, PROP_N_FINISHED);
  _aw_fetch_run_task_changed (self, task);

  if (self->n_finished == self->tasks->len)
    finish_run (self);
}

void
_aw_fetch_run_job_done (AwJob     *job,
                        AwWeather *weather,
                        GError    *error)
{
  AwFetchRun *self = job->run;
  /* The run's callback, called from finish_run(), may drop the last other reference. */
  g_autoptr(AwFetchRun) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(AwTask) task = g_object_ref (job->task);

  error = aw_job_explain_error (job, error, self->timeout_s);
  self->n_active--;
  aw_deadline_queue_remove (self->deadlines, &job->deadline);
  aw_job_free (job);
  task_done (self, task, weather, error, _aw_fetch_run_now (self));

  /* A finished task frees a slot. */
  if (self->run_task != NULL)
    pump (self);
}

static void
start_task (AwFetchRun *self,
            AwTask     *task)
{
  AwJob *job = aw_job_new (self, task, aw_session_pool_get (self->sessions,
                                                            aw_task_get_index (task)),
                           g_get_monotonic_time () + (gint64)(self->timeout_s * G_USEC_PER_SEC));

  self->n_active++;
  aw_task_set_dequeued_us (task, _aw_fetch_run_now (self));
  aw_deadline_queue_push (self->deadlines, &job->deadline);
  if (aw_provider_lookup_cached (self->provider, aw_task_get_city (task), &job->lookup))
    aw_task_add_note (task, _("Coordinates from cache"));

  self->scheduler->start_task (self->scheduler_state, job);
}

/* Sockets the run may hold at once, less a worker's wake-up descriptor in Threads. */
static guint
descriptor_cap (AwFetchRun *self)
{
  return MAX (self->fd_budget / self->scheduler->fds_per_task, 1);
}

static gboolean
start_next_batch (gpointer user_data)
{
  AwFetchRun *self = user_data;

  g_clear_pointer (&self->next_batch, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Starts queued tasks while the mode allows more in flight, a batch at a time. A task that
 * ends within pump() (Blocking, or a request that cannot be built) only frees its slot: the
 * loop below goes on. */
static void
pump (AwFetchRun *self)
{
  guint cap = MIN (MIN (self->scheduler->max_in_flight (self), descriptor_cap (self)),
                   aw_host_policy_max_in_flight (self->policy));
  guint started = 0;
  g_autoptr(AwFetchRun) hold = NULL;

  if (self->pumping)
    return;
  /* A task may end, and the run with it, inside the loop below. */
  hold = g_object_ref (self);
  self->pumping = TRUE;

  /* The cancellable too: in Blocking, a Stop from another thread cannot reach the loop. */
  while (self->run_task != NULL && !self->cancelled
         && !g_cancellable_is_cancelled (self->cancellable)
         && self->n_active < cap && self->next_task < self->tasks->len
         && !aw_host_policy_is_held (self->policy, self->tasks, self->next_task, G_OBJECT (self)))
    {
      /* A mode that holds the loop has no turns to spread over: it is all one stall. */
      if (started == START_BATCH && self->paced && !self->scheduler->holds_loop)
        {
          /* Idle priority: after the loop's pending I/O, and after a window's redraw. */
          if (self->next_batch == NULL)
            {
              self->next_batch = g_idle_source_new ();
              g_source_set_callback (self->next_batch, start_next_batch, self, NULL);
              g_source_attach (self->next_batch, self->context);
            }
          break;
        }
      start_task (self, g_ptr_array_index (self->tasks, self->next_task++));
      started++;
    }
  self->pumping = FALSE;
}

static gboolean
resume_after_hold (gpointer user_data)
{
  pump (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancels every task: the queued ones at once, those in flight through their cancellable. */
static gboolean
cancel_all (gpointer user_data)
{
  AwFetchRun *self = user_data;
  g_autoptr(AwFetchRun) hold G_GNUC_UNUSED = g_object_ref (self);

  g_clear_pointer (&self->cancel_source, g_source_unref);
  if (self->run_task == NULL || self->cancelled)
    return G_SOURCE_REMOVE;

  self->cancelled = TRUE;
  _aw_fetch_run_notify (self, PROP_STOPPED);
  for (guint i = 0; i < self->tasks->len; i++)
    {
      AwTask *task = g_ptr_array_index (self->tasks, i);

      if (aw_task_get_state (task) == AW_TASK_QUEUED && i >= self->next_task)
        {
          self->next_task = MAX (self->next_task, i + 1);
          task_done (self, task, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped")),
                     _aw_fetch_run_now (self));
          if (self->run_task == NULL)
            return G_SOURCE_REMOVE;
        }
    }

  /* Those in flight end through their own callbacks, as cancelled. */
  aw_deadline_queue_cancel_all (self->deadlines);
  return G_SOURCE_REMOVE;
}

/* May run in any thread (whoever cancels): the work happens on the run's loop. */
static void
on_cancelled (GCancellable *cancellable,
              AwFetchRun   *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cancel_all, self, NULL);
  g_source_attach (source, self->context);
  self->cancel_source = source;
  /* A mode that holds the run's thread: its loop runs once the task in hand returns. */
  if (self->scheduler->stop != NULL && self->scheduler_state != NULL)
    self->scheduler->stop (self->scheduler_state);
}

/* After aw_fetch_run_run_async() set the run's context, cancellable and origin. */
void
_aw_fetch_run_start (AwFetchRun *self)
{
  self->trace = aw_loop_trace_new (self->tasks, self->origin_us, self->context);
  self->policy = aw_host_policy_new (self->provider, self->conns_per_host, self->timeout_s,
                                     self->context, resume_after_hold, self);
  /* A sleep sends nothing: a service chosen for the weather does not limit it. */
  if (self->workload == AW_WORKLOAD_SLEEP)
    aw_host_policy_set_no_requests (self->policy);
  _aw_fetch_run_set_conns_per_host (self, aw_host_policy_get_conns (self->policy));
  self->fd_budget = aw_run_budget_get (self->provider, self->tasks);
  self->sessions = aw_session_pool_new (self->tasks->len, descriptor_cap (self),
                                        self->conns_per_host, self->scheduler->one_session);
  /* Where the mode's own limit binds first, that is the reason to wait. */
  if (self->scheduler->max_running == 0 || descriptor_cap (self) < self->scheduler->max_running)
    aw_run_budget_explain_wait (self->tasks, descriptor_cap (self),
                                self->scheduler->max_in_flight (self));
  self->slots = MIN (MIN (self->scheduler->max_in_flight (self), descriptor_cap (self)),
                     aw_host_policy_max_in_flight (self->policy));
  if (self->scheduler->max_running > 0)
    self->slots = MIN (self->slots, self->scheduler->max_running);
  if (self->scheduler->start_run != NULL)
    self->scheduler_state = self->scheduler->start_run (self);

  if (self->tasks->len == 0)
    {
      finish_run (self);
      return;
    }

  self->loop_watch = aw_loop_watch_new (&self->longest_stall_us);
  g_source_attach (self->loop_watch, self->context);
  self->deadlines = aw_deadline_queue_new (self->context);
  self->cancelled_id = g_cancellable_connect (self->cancellable, G_CALLBACK (on_cancelled),
                                              self, NULL);
  /* The run's thread is held from its start to its end: one blocked stretch on its lane. */
  if (self->scheduler->holds_loop)
    aw_loop_trace_block (self->trace, 0);

  pump (self);
}
