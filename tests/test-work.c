/* test-work.c: the work per answer, the sleep workload and the run's CPU time
 *
 * Relations only: a run with work against the same run without, Threads against Concurrent,
 * a sleep run against its own latency; a busy machine stretches both sides alike, and work is
 * measured in the handling thread's CPU time, never shortened by one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-demo-server.h"
#include "aw-fetch-run.h"
#include "aw-test-utils.h"
#include "aw-work.h"

#define LATENCY_S  0.3
#define LATENCY_US ((gint64)(LATENCY_S * G_USEC_PER_SEC))

#include "aw-test-demo.h"
#define WORK_MS    200
#define WORK_US    ((gint64)WORK_MS * 1000)

static const char * const cities[] = { "Paris", "Toulouse", "Marseille", NULL };

static AwFetchRun *
run_to_end (Fixture    *fixture,
            AwMode      mode,
            AwWorkload  workload,
            guint       work_ms,
            double      sleep_s,
            double      timeout_s)
{
  AwFetchRun *run = aw_fetch_run_new (fixture->provider, mode, cities);

  aw_fetch_run_set_workload (run, workload);
  aw_fetch_run_set_work_ms (run, work_ms);
  aw_fetch_run_set_sleep_latency (run, sleep_s, sleep_s);
  aw_fetch_run_set_timeout (run, timeout_s);
  aw_test_run_wait (run, NULL);
  g_assert_true (aw_fetch_run_is_finished (run));
  return run;
}

static gint64
sum_phase_us (AwFetchRun *run,
              AwPhase     phase)
{
  gint64 sum = 0;

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    sum += aw_task_get_phase_us (aw_fetch_run_get_task (run, i), phase);
  return sum;
}

static void
assert_all_succeeded (AwFetchRun *run)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, i)), ==, AW_TASK_SUCCEEDED);
}

/* The work is CPU time of the calling thread, and really spent. */
static void
test_work_spend (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"x\":1}", 7);
  gint64 thread_before = aw_work_thread_cpu_us ();
  gint64 process_before = aw_work_process_cpu_us ();

  aw_work_spend (body, 50);
  g_assert_cmpint (aw_work_thread_cpu_us () - thread_before, >=, 50 * 1000);
#ifdef G_OS_UNIX
  g_assert_cmpint (aw_work_process_cpu_us () - process_before, >=, 50 * 1000);
#endif
  /* No work costs nothing measurable next to it, even on an empty body. */
  thread_before = aw_work_thread_cpu_us ();
  aw_work_spend (NULL, 0);
  aw_work_spend (NULL, 5);
  g_assert_cmpint (aw_work_thread_cpu_us () - thread_before, <, 50 * 1000);
}

/* Concurrent serialises the work on the loop: at least L + 3 × W, each task's parse holds its
 * W, and the process spent 3 × W of CPU; with no work the run is the latency again. */
static void
test_concurrent_work (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(AwFetchRun) worked = run_to_end (fixture, AW_MODE_CONCURRENT, AW_WORKLOAD_WEATHER,
                                             WORK_MS, 0, 60);
  g_autoptr(AwFetchRun) idle = run_to_end (fixture, AW_MODE_CONCURRENT, AW_WORKLOAD_WEATHER,
                                           0, 0, 60);

  assert_all_succeeded (worked);
  assert_all_succeeded (idle);
  g_assert_cmpuint (aw_fetch_run_get_work_ms (worked), ==, WORK_MS);
  g_assert_cmpint (aw_fetch_run_get_total_us (worked), >=, LATENCY_US + 3 * WORK_US * 0.9);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (worked); i++)
    g_assert_cmpint (aw_task_get_phase_us (aw_fetch_run_get_task (worked, i), AW_PHASE_PARSE),
                     >=, WORK_US * 0.9);
#ifdef G_OS_UNIX
  g_assert_cmpint (aw_fetch_run_get_cpu_us (worked), >=, 3 * WORK_US * 0.9);
  g_assert_cmpint (aw_fetch_run_get_cpu_us (idle), <, aw_fetch_run_get_cpu_us (worked) / 2);
#endif

  /* The loop's lane holds the work: busy at least 3 × W. */
  {
    AwLoopFigures worked_loop;

    aw_fetch_run_get_loop_figures (worked, &worked_loop);
    g_test_message ("loop busy %.0f ms with work", worked_loop.busy_us / 1e3);
    g_assert_cmpint (worked_loop.busy_us, >=, 3 * WORK_US * 0.9);
    g_assert_cmpint (worked_loop.longest_callback_us, >=, WORK_US * 0.9);
    /* The loop could not turn while it worked: the last turn, which ends the run, too. */
    g_assert_cmpint (aw_fetch_run_get_longest_stall_us (worked), >=, WORK_US * 0.9);
  }

  /* Without work the loop sleeps through the wait: busy well under 5 % of a run whose wait
   * dwarfs the engine's own cost, on a slow build too. */
  {
    double latency_s = aw_test_scaled_s (1.0);
    g_autoptr(AwFetchRun) waiting = NULL;
    AwLoopFigures loop;

    aw_demo_server_set_latency (fixture->server, latency_s, latency_s);
    waiting = run_to_end (fixture, AW_MODE_CONCURRENT, AW_WORKLOAD_WEATHER, 0, 0, 60);
    aw_demo_server_set_latency (fixture->server, LATENCY_S, LATENCY_S);
    assert_all_succeeded (waiting);
    aw_fetch_run_get_loop_figures (waiting, &loop);
    g_test_message ("loop busy %.1f ms of %.0f ms without work", loop.busy_us / 1e3,
                    aw_fetch_run_get_total_us (waiting) / 1e3);
    g_assert_cmpint (loop.busy_us, <, aw_fetch_run_get_total_us (waiting) / 20);
  }

  /* Without work: the parse is a sliver, and the wall is the latency, not latency + work. */
  g_assert_cmpint (sum_phase_us (idle, AW_PHASE_PARSE), <,
                   sum_phase_us (worked, AW_PHASE_PARSE) / 10);
  g_assert_cmpint (aw_fetch_run_get_total_us (idle) + 3 * WORK_US / 2, <,
                   aw_fetch_run_get_total_us (worked));
}

/* The parse spans of two tasks of @run overlap in time: their work ran at once. */
static gboolean
parses_overlap (AwFetchRun *run)
{
  guint n = aw_fetch_run_get_n_tasks (run);

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        const AwSpan *a, *b;
        guint n_a, n_b;

        a = aw_task_get_spans (aw_fetch_run_get_task (run, i), &n_a);
        b = aw_task_get_spans (aw_fetch_run_get_task (run, j), &n_b);
        for (guint x = 0; x < n_a; x++)
          for (guint y = 0; y < n_b; y++)
            if (a[x].phase == AW_PHASE_PARSE && b[y].phase == AW_PHASE_PARSE
                && a[x].start_us < b[y].end_us && b[y].start_us < a[x].end_us)
              return TRUE;
      }
  return FALSE;
}

static gpointer
spend_a_while (gpointer data)
{
  aw_work_spend (NULL, GPOINTER_TO_UINT (data));
  return NULL;
}

/* Whether two threads get a core each right now: two spends of @ms of CPU side by side take
 * clearly less than twice @ms of wall time. On a machine whose cores others hold, they do not,
 * and no wall time can show what Threads gains. */
static gboolean
two_cores_free (guint ms)
{
  gint64 started = g_get_monotonic_time ();
  GThread *other = g_thread_new ("spend", spend_a_while, GUINT_TO_POINTER (ms));

  spend_a_while (GUINT_TO_POINTER (ms));
  g_thread_join (other);
  return g_get_monotonic_time () - started < 1.5 * ms * 1000;
}

/* Threads spreads the work over the cores: the parses overlap in time where Concurrent's
 * follow one another, and with two cores free the run is clearly shorter. */
static void
test_threads_work (Fixture       *fixture,
                   gconstpointer  data)
{
  guint measured = 0, faster = 0;

  for (guint attempt = 0; attempt < 5 && faster == 0; attempt++)
    {
      g_autoptr(AwFetchRun) threads = NULL;
      g_autoptr(AwFetchRun) concurrent = NULL;
      gboolean free_before = two_cores_free (50);

      threads = run_to_end (fixture, AW_MODE_THREADS, AW_WORKLOAD_WEATHER, WORK_MS, 0, 60);
      concurrent = run_to_end (fixture, AW_MODE_CONCURRENT, AW_WORKLOAD_WEATHER, WORK_MS, 0, 60);
      assert_all_succeeded (threads);
      assert_all_succeeded (concurrent);
      /* The work is done on the workers too, inside their parse. */
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (threads); i++)
        g_assert_cmpint (aw_task_get_phase_us (aw_fetch_run_get_task (threads, i),
                                               AW_PHASE_PARSE), >=, WORK_US * 0.9);
      g_assert_true (parses_overlap (threads));
      g_assert_false (parses_overlap (concurrent));

      g_test_message ("threads %.2f s, concurrent %.2f s",
                      aw_fetch_run_get_total_us (threads) / 1e6,
                      aw_fetch_run_get_total_us (concurrent) / 1e6);
      /* Only a measure taken with two cores free before and after says anything. */
      if (!free_before || !two_cores_free (50))
        continue;
      measured++;
      /* Two cores save 1.5 W of the 3 W; a sixth of that is clearly more than noise. */
      if (aw_fetch_run_get_total_us (threads) + WORK_US / 4
          < aw_fetch_run_get_total_us (concurrent))
        faster++;
    }
  if (measured == 0)
    g_test_message ("two cores were never free: Threads' gain in wall time not measured");
  else
    g_assert_cmpuint (faster, >, 0);
}

/* A sleep task is one wait of the latency: no network phase, no parse. */
static void
assert_slept (AwFetchRun *run)
{
  assert_all_succeeded (run);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_true (aw_weather_is_sleep (aw_task_get_weather (task)));
      g_assert_cmpuint (aw_task_get_n_requests (task), ==, 0);
      g_assert_cmpint (aw_task_get_phase_us (task, AW_PHASE_WAIT), >=, LATENCY_US * 0.9);
      for (AwPhase phase = AW_PHASE_DNS; phase < AW_N_PHASES; phase++)
        if (phase != AW_PHASE_WAIT)
          g_assert_cmpint (aw_task_get_phase_us (task, phase), ==, 0);
    }
}

/* Who waited: the loop, idle, in the loop modes; a blocked thread for each task in Threads;
 * the loop's own thread, blocked, in Blocking. */
static void
assert_sleep_lanes (AwFetchRun *run)
{
  AwMode mode = aw_fetch_run_get_mode (run);
  AwLoopFigures loop;
  gint64 blocked = 0;

  aw_fetch_run_get_loop_figures (run, &loop);
  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      const AwSlice *slices;
      guint n_slices;

      slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);
      for (guint i = 0; i < n_slices; i++)
        if (slices[i].kind == AW_SLICE_BLOCKED)
          blocked += slices[i].end_us - slices[i].start_us;
    }
  if (mode == AW_MODE_THREADS)
    {
      g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), ==, 1 + aw_fetch_run_get_n_tasks (run));
      g_assert_cmpint (blocked, >=, 3 * LATENCY_US * 0.9);
    }
  else if (mode == AW_MODE_BLOCKING)
    g_assert_cmpint (blocked, >=, 3 * LATENCY_US * 0.9);
  else
    {
      g_assert_cmpint (blocked, ==, 0);
      /* asyncio.sleep: the loop waits idle, its callbacks a sliver (under 5 % here; a
       * quarter leaves room for a slow machine, and a sleep on the loop would fill it). */
      g_assert_cmpint (loop.busy_us, <, aw_fetch_run_get_total_us (run) / 4);
      /* Each timer that fired is a callback of its own (a start may run inside an end). */
      g_assert_cmpuint (loop.n_callbacks, >=, aw_fetch_run_get_n_tasks (run) + 1);
    }
}

/* asyncio.sleep against time.sleep: one by one the waits add up, at once they overlap; and no
 * request reaches the server. */
static void
test_sleep (Fixture       *fixture,
            gconstpointer  data)
{
  const struct { AwMode mode; gboolean overlaps; } cases[] = {
    { AW_MODE_SEQUENTIAL, FALSE },
    { AW_MODE_CONCURRENT, TRUE },
    { AW_MODE_LIMITED, FALSE },   /* K = 2: two rounds */
    { AW_MODE_THREADS, TRUE },
    { AW_MODE_BLOCKING, FALSE },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      /* Work per answer does not apply: there is no answer. */
      g_autoptr(AwFetchRun) run = run_to_end (fixture, cases[c].mode, AW_WORKLOAD_SLEEP,
                                              WORK_MS, LATENCY_S, 60);
      gint64 total = aw_fetch_run_get_total_us (run);

      g_test_message ("%s: %.3f s", aw_mode_to_string (cases[c].mode), total / 1e6);
      assert_slept (run);
      assert_sleep_lanes (run);
      if (cases[c].overlaps)
        g_assert_cmpint (total, <, 1.5 * LATENCY_US);
      else if (cases[c].mode == AW_MODE_LIMITED)
        g_assert_cmpint (total, >=, 2 * LATENCY_US);
      else
        g_assert_cmpint (total, >=, 3 * LATENCY_US);
    }
  g_assert_cmpuint (aw_demo_server_get_n_requests (fixture->server), ==, 0);
}

/* A sleep longer than the timeout fails as a timeout, in time, in every way of sleeping. */
static void
test_sleep_timeout (Fixture       *fixture,
                    gconstpointer  data)
{
  const AwMode modes[] = { AW_MODE_CONCURRENT, AW_MODE_THREADS, AW_MODE_BLOCKING };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(AwFetchRun) run = run_to_end (fixture, modes[m], AW_WORKLOAD_SLEEP, 0, 30, 0.2);

      for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
        {
          AwTask *task = aw_fetch_run_get_task (run, i);

          g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_FAILED);
          g_assert_error ((GError *)aw_task_get_error (task), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
          /* Ended by its deadline, far from the 30 s it would have slept. */
          g_assert_cmpint (aw_task_get_active_us (task), <, 15 * G_USEC_PER_SEC);
        }
    }
}

/* A sleep sends a real service nothing: its limit of 6 tasks in flight does not apply. */
static void
test_sleep_real_service (void)
{
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("prevision", "http://127.0.0.1:9/",
                                                             NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AwFetchRun) run = NULL;

  g_assert_true (aw_provider_is_real (provider));
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (names, g_strdup_printf ("City %u", i));
  g_ptr_array_add (names, NULL);
  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, (const char * const *)names->pdata);
  aw_fetch_run_set_workload (run, AW_WORKLOAD_SLEEP);
  aw_fetch_run_set_sleep_latency (run, LATENCY_S, LATENCY_S);
  aw_test_run_wait (run, NULL);
  assert_all_succeeded (run);
  /* All ten at once: one latency, not two rounds. */
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, 1.5 * LATENCY_US);
}

static void
test_run_settings (void)
{
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("demo", "http://127.0.0.1:9/",
                                                             NULL);
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  AwWorkload workload;

  g_assert_cmpint (aw_fetch_run_get_workload (run), ==, AW_WORKLOAD_WEATHER);
  g_assert_cmpuint (aw_fetch_run_get_work_ms (run), ==, 0);
  g_assert_cmpint (aw_fetch_run_get_cpu_us (run), ==, 0);
  g_object_set (run, "work-ms", 250, "workload", AW_WORKLOAD_SLEEP, NULL);
  g_assert_cmpuint (aw_fetch_run_get_work_ms (run), ==, 250);
  g_assert_cmpint (aw_fetch_run_get_workload (run), ==, AW_WORKLOAD_SLEEP);
  aw_fetch_run_set_work_ms (run, 5000);
  g_assert_cmpuint (aw_fetch_run_get_work_ms (run), ==, AW_MAX_WORK_MS);

  g_assert_cmpstr (aw_workload_to_string (AW_WORKLOAD_SLEEP), ==, "sleep");
  g_assert_true (aw_workload_from_string ("weather", &workload));
  g_assert_cmpint (workload, ==, AW_WORKLOAD_WEATHER);
  g_assert_false (aw_workload_from_string ("foo", &workload));
  g_assert_false (aw_workload_from_string (NULL, &workload));
  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    g_assert_nonnull (aw_mode_get_suits (mode));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/work/spend", test_work_spend);
  g_test_add_func ("/work/run-settings", test_run_settings);
  ADD ("/work/concurrent", test_concurrent_work);
  ADD ("/work/threads", test_threads_work);
  ADD ("/work/sleep", test_sleep);
  ADD ("/work/sleep-timeout", test_sleep_timeout);
  g_test_add_func ("/work/sleep-real-service", test_sleep_real_service);
  return g_test_run ();
}
