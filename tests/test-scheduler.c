/* test-scheduler.c: the seam between a run and its mode's scheduler
 *
 * The run keeps the queue, the deadlines and the end; a scheduler only carries tasks out. A
 * fake scheduler that ends its jobs from idle callbacks shows the run needs nothing more of
 * one; the table shows each mode has the scheduler it should.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"
#include "aw-test-utils.h"

#define FAKE_MAX_IN_FLIGHT 3

/* What the fake scheduler saw; one run at a time. */
static struct
{
  GQueue   jobs;           /* AwJob in flight */
  guint    n_started;
  guint    max_active;
  guint    n_start_run;
  guint    n_end_run;
  gboolean answers;        /* ends each job at once; else only once cancelled */
  gboolean finished;
} fake;

static gboolean
end_oldest (gpointer user_data)
{
  AwJob *job = g_queue_pop_head (&fake.jobs);

  g_assert_nonnull (job);
  g_signal_handlers_disconnect_by_data (job->cancellable, job);
  if (g_cancellable_is_cancelled (job->cancellable))
    _aw_fetch_run_job_done (job, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                            "cancelled"));
  else if (aw_task_get_index (job->task) % 2 == 0)
    {
      AwWeather *weather = aw_weather_new ();

      weather->place = g_strdup (aw_task_get_city (job->task));
      _aw_fetch_run_job_done (job, weather, NULL);
    }
  else
    _aw_fetch_run_job_done (job, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                            "odd"));
  return G_SOURCE_REMOVE;
}

static void
on_job_cancelled (GCancellable *cancellable,
                  AwJob        *job)
{
  g_idle_add (end_oldest, NULL);
}

static guint
fake_max_in_flight (AwFetchRun *run)
{
  return FAKE_MAX_IN_FLIGHT;
}

static gpointer
fake_start_run (AwFetchRun *run)
{
  fake.n_start_run++;
  return &fake;
}

static void
fake_end_run (gpointer state)
{
  g_assert_true (state == &fake);
  fake.n_end_run++;
}

static void
fake_start_task (gpointer  state,
                 AwJob    *job)
{
  g_assert_true (state == &fake);
  g_queue_push_tail (&fake.jobs, job);
  fake.n_started++;
  fake.max_active = MAX (fake.max_active, fake.jobs.length);
  if (fake.answers)
    g_idle_add (end_oldest, NULL);
  else
    g_signal_connect (job->cancellable, "cancelled", G_CALLBACK (on_job_cancelled), job);
}

static const AwScheduler fake_scheduler = {
  .fds_per_task = 1,
  .max_in_flight = fake_max_in_flight,
  .start_run = fake_start_run,
  .end_run = fake_end_run,
  .start_task = fake_start_task,
};

static void
on_finished (AwFetchRun *run,
             gpointer    user_data)
{
  fake.finished = TRUE;
}

static gboolean
on_guard (gpointer user_data)
{
  g_error ("The run never finished");
  return G_SOURCE_REMOVE;
}

static AwFetchRun *
run_fake (const char * const *cities,
          double              timeout_s,
          gboolean            answers)
{
  g_autoptr(GError) error = NULL;
  /* Nothing listens there: the fake never sends a request. */
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("demo", "http://127.0.0.1:9/",
                                                             &error);
  AwFetchRun *run;
  guint guard;

  g_assert_no_error (error);
  memset (&fake, 0, sizeof fake);
  fake.answers = answers;
  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  _aw_fetch_run_set_scheduler (run, &fake_scheduler);
  aw_fetch_run_set_timeout (run, timeout_s);
  g_signal_connect (run, "finished", G_CALLBACK (on_finished), NULL);
  aw_fetch_run_run_async (run, NULL, NULL, NULL);
  guard = g_timeout_add_seconds (60, on_guard, NULL);
  while (!fake.finished)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
  return run;
}

/* The run asks the scheduler for no more than it allows, ends the run once, and counts. */
static void
test_fake_scheduler (void)
{
  const char * const cities[] = { "a", "b", "c", "d", "e", "f", "g", NULL };
  g_autoptr(AwFetchRun) run = NULL;

  run = run_fake (cities, 30, TRUE);
  g_assert_true (aw_fetch_run_is_finished (run));
  g_assert_cmpuint (fake.n_started, ==, 7);
  g_assert_cmpuint (fake.max_active, ==, FAKE_MAX_IN_FLIGHT);
  g_assert_cmpuint (fake.n_start_run, ==, 1);
  g_assert_cmpuint (fake.n_end_run, ==, 1);
  /* b, d, f failed */
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 3);
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 0)), ==, AW_TASK_SUCCEEDED);
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 1)), ==, AW_TASK_FAILED);
}

/* The run's deadlines hold whatever carries the task out: a job that never answers is
 * cancelled at its deadline and ends as timed out. */
static void
test_fake_deadline (void)
{
  const char * const cities[] = { "a", "b", NULL };
  g_autoptr(AwFetchRun) run = NULL;

  run = run_fake (cities, 0.1, FALSE);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const GError *error = aw_task_get_error (aw_fetch_run_get_task (run, i));

      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
}

/* Each mode's scheduler, through the interface. */
static void
test_modes (void)
{
  const char * const cities[] = { "a", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("demo", "http://127.0.0.1:9/",
                                                             &error);
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (provider, AW_MODE_LIMITED, cities);

  g_assert_no_error (error);
  aw_fetch_run_set_limit (run, 5);
  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    {
      const AwScheduler *scheduler = aw_scheduler_for_mode (mode);

      g_assert_nonnull (scheduler);
      g_assert_nonnull (scheduler->start_task);
      g_assert_cmpuint (scheduler->fds_per_task, >=, 1);
      g_assert_true (scheduler->holds_loop == (mode == AW_MODE_BLOCKING));
    }
  g_assert_cmpuint (aw_scheduler_for_mode (AW_MODE_SEQUENTIAL)->max_in_flight (run), ==, 1);
  g_assert_cmpuint (aw_scheduler_for_mode (AW_MODE_LIMITED)->max_in_flight (run), ==, 5);
  g_assert_cmpuint (aw_scheduler_for_mode (AW_MODE_CONCURRENT)->max_in_flight (run), ==,
                    G_MAXUINT);
  g_assert_cmpuint (aw_scheduler_for_mode (AW_MODE_BLOCKING)->max_in_flight (run), ==, 1);
  /* Threads: one session shared between threads is the lesson; and a stop for Blocking. */
  g_assert_true (aw_scheduler_for_mode (AW_MODE_THREADS)->one_session);
  g_assert_nonnull (aw_scheduler_for_mode (AW_MODE_BLOCKING)->stop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scheduler/fake", test_fake_scheduler);
  g_test_add_func ("/scheduler/fake-deadline", test_fake_deadline);
  g_test_add_func ("/scheduler/modes", test_modes);

  return g_test_run ();
}
