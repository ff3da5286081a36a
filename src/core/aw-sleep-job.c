/* aw-sleep-job.c: the sleep workload, the tutorial's first program: each task waits on a
 * timer of the set latency, with no network at all, so that asyncio.sleep against time.sleep
 * shows on the same chart as the weather
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-fetch-run-private.h"
#include "aw-loop-trace.h"
#include "aw-sleep-job.h"

/* A blocking sleep looks at its cancellable this often: a Stop or a deadline ends it. */
#define BLOCKING_SLICE_US (10 * 1000)

typedef struct
{
  AwJob   *job;     /* borrowed: it ends when the GTask returns */
  GSource *timer;
  GSource *cancel;
} Sleep;

static void
sleep_free (gpointer data)
{
  Sleep *sleep = data;

  g_source_destroy (sleep->timer);
  g_source_unref (sleep->timer);
  g_source_destroy (sleep->cancel);
  g_source_unref (sleep->cancel);
  g_free (sleep);
}

/* Each task its own latency, as the demo server draws one per answer. */
static gint64
pick_latency_us (AwFetchRun *run)
{
  double seconds = run->sleep_max_s > run->sleep_min_s
                   ? g_random_double_range (run->sleep_min_s, run->sleep_max_s)
                   : run->sleep_min_s;

  return (gint64)(seconds * G_USEC_PER_SEC);
}

static AwWeather *
slept_weather (AwJob *job)
{
  AwWeather *weather = aw_weather_new ();

  weather->place = g_strdup (aw_task_get_city (job->task));
  /* Translators: what a task of the "sleep only" workload did instead of fetching weather */
  weather->condition = g_strdup (_("Slept"));
  weather->icon_name = g_strdup ("alarm-symbolic");
  weather->humidity = -1;
  weather->wind_kmh = -1;
  weather->service = g_strdup (AW_SLEEP_SERVICE);
  return weather;
}

/* The first of the two sources to fire returns the GTask and destroys the other. */
static void
return_sleep (GTask  *task,
              GError *error)
{
  Sleep *sleep = g_task_get_task_data (task);

  g_source_destroy (sleep->timer);
  g_source_destroy (sleep->cancel);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The task's one callback on the loop, on its lane: the wait ends (or a Stop ends it). */
static gboolean
on_timer (gpointer user_data)
{
  AwJob *job = ((Sleep *)g_task_get_task_data (user_data))->job;
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (_aw_fetch_run_get_trace (job->run), job->task, AW_PHASE_WAIT);

  return_sleep (user_data, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  AwJob *job = ((Sleep *)g_task_get_task_data (user_data))->job;
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (_aw_fetch_run_get_trace (job->run), job->task, AW_PHASE_WAIT);
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  return_sleep (user_data, error);
  return G_SOURCE_REMOVE;
}

static void
on_slept (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AwJob *job = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    _aw_fetch_run_job_done (job, NULL, error);
  else
    _aw_fetch_run_job_done (job, slept_weather (job), NULL);
}

void
aw_sleep_job_start (AwJob *job)
{
  GMainContext *context = _aw_fetch_run_get_context (job->run);
  g_autoptr(GTask) task = g_task_new (NULL, job->cancellable, on_slept, job);
  Sleep *sleep = g_new0 (Sleep, 1);

  g_task_set_source_tag (task, aw_sleep_job_start);
  sleep->job = job;
  g_task_set_task_data (task, sleep, sleep_free);
  /* asyncio.sleep(): the task waits, the loop is free. */
  aw_job_begin_live_phase (job, AW_PHASE_WAIT);

  sleep->timer = g_timeout_source_new ((guint)(pick_latency_us (job->run) / 1000));
  g_source_set_static_name (sleep->timer, "aw-sleep");
  g_source_set_callback (sleep->timer, on_timer, g_object_ref (task), g_object_unref);
  g_source_attach (sleep->timer, context);

  sleep->cancel = g_cancellable_source_new (job->cancellable);
  g_source_set_callback (sleep->cancel, G_SOURCE_FUNC (on_cancelled), g_object_ref (task),
                         g_object_unref);
  g_source_attach (sleep->cancel, context);
}

void
aw_sleep_job_blocking (AwJob *job)
{
  gint64 until = g_get_monotonic_time () + pick_latency_us (job->run);
  gint64 now;

  /* On a worker the run's thread learns of the wait from the worker's report. */
  if (!job->on_worker)
    aw_job_begin_live_phase (job, AW_PHASE_WAIT);

  /* time.sleep(): the thread itself waits, in slices short enough for a Stop; on its lane,
   * blocked. */
  aw_slices_mark (job->slices, AW_SLICE_BLOCKED, aw_task_get_index (job->task), AW_PHASE_WAIT,
                  _aw_fetch_run_now (job->run));
  while ((now = g_get_monotonic_time ()) < until)
    {
      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        return;
      g_usleep (MIN (until - now, BLOCKING_SLICE_US));
    }
  job->weather = slept_weather (job);
}
