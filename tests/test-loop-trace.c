/* test-loop-trace.c: a run's thread lanes, its tasks' ledgers and its bound, in every mode,
 * against the demo server
 *
 * Relations within a run only: a ledger against its own bar, the bound against the wall,
 * the loop's busy time against the run's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-demo-server.h"
#include "aw-fetch-run.h"
#include "aw-test-utils.h"

#define LATENCY_S 0.3

#include "aw-test-demo.h"

static const char * const cities[] = { "Paris", "Toulouse", "Marseille", NULL };

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs to the end; stopped after @stop_after_ms if not 0. */
static AwFetchRun *
run_stopped (Fixture *fixture,
             AwMode   mode,
             guint    conns_per_host,
             guint    stop_after_ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AwFetchRun *run = aw_fetch_run_new (fixture->provider, mode, cities);

  aw_fetch_run_set_limit (run, 2);
  aw_fetch_run_set_conns_per_host (run, conns_per_host);
  if (stop_after_ms > 0)
    g_timeout_add_full (G_PRIORITY_DEFAULT, stop_after_ms, cancel_now,
                        g_object_ref (cancellable), g_object_unref);
  aw_test_run_wait (run, cancellable);
  return run;
}

static AwFetchRun *
run_to_end (Fixture *fixture,
            AwMode   mode,
            guint    conns_per_host)
{
  AwFetchRun *run = run_stopped (fixture, mode, conns_per_host, 0);

  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);
  return run;
}

/* Within a lane, slices are closed once the run finished, within the run, in order and never
 * overlapping; a callback or a blocked call belongs to a task unless it holds the whole loop. */
static void
assert_lanes_sane (AwFetchRun *run)
{
  gint64 total = aw_fetch_run_get_total_us (run);

  g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), >=, 1);
  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);

      g_assert_nonnull (aw_fetch_run_get_lane_name (run, lane));
      for (guint i = 0; i < n_slices; i++)
        {
          g_assert_cmpint (slices[i].start_us, >=, 0);
          g_assert_cmpint (slices[i].end_us, >=, slices[i].start_us);
          g_assert_cmpint (slices[i].end_us, <=, total);
          g_assert_cmpint (slices[i].task, <, (int)aw_fetch_run_get_n_tasks (run));
          if (slices[i].kind == AW_SLICE_CALLBACK)
            g_assert_cmpint (slices[i].task, >=, 0);
          if (i > 0)
            g_assert_cmpint (slices[i].start_us, >=, slices[i - 1].end_us);
        }
    }
}

/* Every task's ledger adds up to its bar exactly, no part negative; one that succeeded
 * spent time on the network and ran callbacks. */
static void
assert_ledgers_sum (AwFetchRun *run)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      AwLedger ledger;

      aw_task_get_ledger (task, &ledger);
      g_assert_cmpint (ledger.queued_us, >=, 0);
      g_assert_cmpint (ledger.network_us, >=, 0);
      g_assert_cmpint (ledger.ready_us, >=, 0);
      g_assert_cmpint (ledger.running_us, >=, 0);
      if (aw_task_get_state (task) == AW_TASK_SUCCEEDED)
        {
          g_assert_cmpint (ledger.network_us, >, 0);
          g_assert_cmpint (ledger.running_us, >, 0);
        }
      g_assert_cmpint (ledger.queued_us + ledger.network_us + ledger.ready_us
                       + ledger.running_us, ==,
                       aw_task_get_end_us (task) - aw_task_get_start_us (task));
    }
}

static gint64
own_us (AwTask *task)
{
  AwLedger ledger;

  aw_task_get_ledger (task, &ledger);
  return ledger.network_us + ledger.running_us;
}

/* Every mode: lanes in order, ledgers that add up, a bound within the wall. */
static void
test_every_mode (Fixture       *fixture,
                 gconstpointer  data)
{
  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    {
      g_autoptr(AwFetchRun) run = run_to_end (fixture, mode, 0);
      gint64 bound = aw_fetch_run_get_bound_us (run);
      gint64 longest_own = 0, sum_own = 0;
      g_autofree char *gap = aw_fetch_run_describe_gap (run);

      g_test_message ("%s: wall %" G_GINT64_FORMAT " µs, bound %" G_GINT64_FORMAT " µs: %s",
                      aw_mode_to_string (mode), aw_fetch_run_get_total_us (run), bound,
                      gap ? gap : "no gap");
      assert_lanes_sane (run);
      assert_ledgers_sum (run);

      for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
        {
          longest_own = MAX (longest_own, own_us (aw_fetch_run_get_task (run, i)));
          sum_own += own_us (aw_fetch_run_get_task (run, i));
        }
      g_assert_cmpint (bound, <=, aw_fetch_run_get_total_us (run));
      /* The mode's packing: one after another, all at once, or two slots for three tasks. */
      if (mode == AW_MODE_SEQUENTIAL || mode == AW_MODE_BLOCKING)
        g_assert_cmpint (bound, ==, sum_own);
      else if (mode == AW_MODE_LIMITED)
        g_assert_cmpint (bound, >, 1.5 * longest_own);
      else
        g_assert_cmpint (bound, ==, longest_own);
    }
}

/* A run stopped mid-way, its tasks cancelled in flight or while queued: lanes, ledgers and
 * bound hold all the same. */
static void
test_stopped (Fixture       *fixture,
              gconstpointer  data)
{
  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    {
      g_autoptr(AwFetchRun) run = NULL;
      guint n_cancelled = 0;

      /* Blocking holds the loop: a timer cannot stop it. */
      if (mode == AW_MODE_BLOCKING)
        continue;
      run = run_stopped (fixture, mode, 0, 100);
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
        n_cancelled += aw_task_get_state (aw_fetch_run_get_task (run, i)) == AW_TASK_CANCELLED;
      g_assert_cmpuint (n_cancelled, ==, aw_fetch_run_get_n_tasks (run));
      assert_lanes_sane (run);
      assert_ledgers_sum (run);
      g_assert_cmpint (aw_fetch_run_get_bound_us (run), <=, aw_fetch_run_get_total_us (run));
    }
}

/* Concurrent, nothing to compute: the loop waits in poll for most of the run, each task's
 * callbacks are on its lane, and its figures add up. A latency of a second, so that setting
 * up the connections on a slow machine stays a small part of the run. */
static void
test_concurrent_idle (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = NULL;
  AwLoopFigures figures;
  const AwSlice *slices;
  guint n_slices, n_callbacks = 0;
  gint64 total, idle = 0, longest = 0;

  aw_demo_server_set_latency (fixture->server, 1.0, 1.0);
  run = run_to_end (fixture, AW_MODE_CONCURRENT, 0);
  total = aw_fetch_run_get_total_us (run);
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  aw_fetch_run_get_loop_figures (run, &figures);
  g_test_message ("busy %" G_GINT64_FORMAT " µs of %" G_GINT64_FORMAT " µs, %u callbacks, "
                  "%u turns", figures.busy_us, total, figures.n_callbacks,
                  figures.n_iterations);
  g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), ==, 1);
  g_assert_cmpint (figures.busy_us + figures.idle_us, ==, total);
  g_assert_cmpint (figures.busy_us, <, total / 20);
  g_assert_cmpuint (figures.n_iterations, >, 0);

  for (guint task = 0; task < aw_fetch_run_get_n_tasks (run); task++)
    {
      gboolean started = FALSE, parsed = FALSE;

      for (guint i = 0; i < n_slices; i++)
        if (slices[i].kind == AW_SLICE_CALLBACK && slices[i].task == (int)task)
          {
            started |= slices[i].phase == AW_PHASE_QUEUED;
            parsed |= slices[i].phase == AW_PHASE_PARSE;
          }
      g_assert_true (started && parsed);
    }
  for (guint i = 0; i < n_slices; i++)
    {
      g_assert_cmpint (slices[i].kind, !=, AW_SLICE_BLOCKED);
      if (slices[i].kind == AW_SLICE_IDLE)
        idle += slices[i].end_us - slices[i].start_us;
      if (slices[i].kind == AW_SLICE_CALLBACK)
        {
          n_callbacks++;
          longest = MAX (longest, slices[i].end_us - slices[i].start_us);
        }
    }
  g_assert_cmpint (idle, ==, figures.idle_us);
  g_assert_cmpuint (n_callbacks, ==, figures.n_callbacks);
  g_assert_cmpint (longest, ==, figures.longest_callback_us);
}

/* Blocking: the loop's lane is one blocked stretch from the run's start to its end. */
static void
test_blocking_lane (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture, AW_MODE_BLOCKING, 0);
  AwLoopFigures figures;
  guint n_slices;
  const AwSlice *slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);

  g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), ==, 1);
  g_assert_cmpuint (n_slices, ==, 1);
  g_assert_cmpint (slices[0].kind, ==, AW_SLICE_BLOCKED);
  g_assert_cmpint (slices[0].start_us, ==, 0);
  g_assert_cmpint (slices[0].end_us, ==, aw_fetch_run_get_total_us (run));

  aw_fetch_run_get_loop_figures (run, &figures);
  g_assert_cmpint (figures.idle_us, ==, 0);
  g_assert_cmpint (figures.busy_us, ==, aw_fetch_run_get_total_us (run));
  g_assert_cmpuint (figures.n_callbacks, ==, 0);
}

/* Threads: a lane per worker, each showing the tasks it ran, blocked in I/O then parsing;
 * every task on exactly one worker. Three tasks at once, none done before the others
 * start: three workers, each blocked for about its task's time on the network. */
static void
test_threads_lanes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture, AW_MODE_THREADS, 0);
  guint n_tasks = aw_fetch_run_get_n_tasks (run);
  g_autofree guint *lane_of = g_new0 (guint, n_tasks);
  g_autofree gint64 *blocked = g_new0 (gint64, n_tasks);

  assert_lanes_sane (run);
  g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), ==, 1 + n_tasks);
  for (guint lane = 1; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);

      g_assert_cmpuint (n_slices, >=, 2);
      for (guint i = 0; i < n_slices; i++)
        {
          g_assert_cmpint (slices[i].task, >=, 0);
          g_assert_true (slices[i].kind == AW_SLICE_BLOCKED
                         || (slices[i].kind == AW_SLICE_CALLBACK
                             && slices[i].phase == AW_PHASE_PARSE));
          g_assert_true (lane_of[slices[i].task] == 0 || lane_of[slices[i].task] == lane);
          lane_of[slices[i].task] = lane;
          if (slices[i].kind == AW_SLICE_BLOCKED)
            blocked[slices[i].task] += slices[i].end_us - slices[i].start_us;
        }
    }
  for (guint task = 0; task < n_tasks; task++)
    {
      AwLedger ledger;

      aw_task_get_ledger (aw_fetch_run_get_task (run, task), &ledger);
      g_assert_cmpuint (lane_of[task], >, 0);
      g_assert_cmpint (blocked[task], >, ledger.network_us / 2);
    }
}

static gint64
spin_ms (gint64 from)
{
  while (g_get_monotonic_time () < from + 1000)
    ;
  return g_get_monotonic_time ();
}

static gboolean
note_frame (gpointer user_data)
{
  AwFetchRun *run = user_data;
  gint64 t0 = g_get_monotonic_time ();
  gint64 t1 = spin_ms (t0);
  gint64 t2 = spin_ms (t1);

  /* As the window does after it painted: each frame's stretch within this turn of the loop.
   * One that claims to have begun before the last one ended is clipped, not overlapped. */
  aw_fetch_run_note_frame (run, t0, t1);
  aw_fetch_run_note_frame (run, t0 + 500, t2);
  return G_SOURCE_REMOVE;
}

/* Frames the window reports show on the loop's lane, in order with the rest; none once the
 * run finished. */
static void
test_frames (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (fixture->provider, AW_MODE_CONCURRENT, cities);
  gboolean done = FALSE;
  guint n_slices, n_frames = 0;
  const AwSlice *slices;

  aw_fetch_run_run_async (run, NULL, aw_test_on_run_done, &done);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, note_frame, g_object_ref (run), g_object_unref);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  note_frame (run);

  assert_lanes_sane (run);
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].kind == AW_SLICE_FRAME)
      {
        n_frames++;
        g_assert_cmpint (slices[i].task, ==, -1);
        g_assert_cmpint (slices[i].end_us, >, slices[i].start_us);
      }
  g_assert_cmpuint (n_frames, ==, 2);
}

#define WORK_US (50 * 1000)

/* Work in the parse step, as work per answer does: on the thread that handles the answer. */
static void
on_phase (AwTask     *task,
          GParamSpec *pspec,
          gpointer    user_data)
{
  AwPhase phase;

  g_object_get (task, "phase", &phase, NULL);
  if (phase == AW_PHASE_PARSE)
    {
      gint64 from = g_get_monotonic_time ();

      while (g_get_monotonic_time () < from + WORK_US)
        ;
    }
}

/* Concurrent with work on the loop: the work is each task's parse, on the loop's lane, in
 * its running time and in the loop's busy time; the loop's longest stall covers it. */
static void
test_work_on_loop (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (fixture->provider, AW_MODE_CONCURRENT, cities);
  AwLoopFigures figures;
  guint n_slices, n_parses = 0;
  const AwSlice *slices;

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_signal_connect (aw_fetch_run_get_task (run, i), "notify::phase", G_CALLBACK (on_phase),
                      NULL);
  aw_test_run_wait (run, NULL);

  assert_lanes_sane (run);
  assert_ledgers_sum (run);
  aw_fetch_run_get_loop_figures (run, &figures);
  g_assert_cmpint (figures.busy_us, >=, 3 * WORK_US);
  g_assert_cmpint (figures.longest_callback_us, >=, WORK_US);
  g_assert_cmpint (aw_fetch_run_get_longest_stall_us (run), >=, figures.longest_callback_us);

  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].kind == AW_SLICE_CALLBACK && slices[i].phase == AW_PHASE_PARSE)
      {
        g_assert_cmpint (slices[i].end_us - slices[i].start_us, >=, WORK_US);
        n_parses++;
      }
  g_assert_cmpuint (n_parses, ==, 3);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwLedger ledger;

      aw_task_get_ledger (aw_fetch_run_get_task (run, i), &ledger);
      g_assert_cmpint (ledger.running_us, >=, WORK_US);
    }
}

/* One connection for three tasks at once: the gap is named as the wait for it. */
static void
test_gap_named (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture, AW_MODE_CONCURRENT, 1);
  g_autofree char *gap = aw_fetch_run_describe_gap (run);

  g_test_message ("wall %" G_GINT64_FORMAT " µs, bound %" G_GINT64_FORMAT " µs: %s",
                  aw_fetch_run_get_total_us (run), aw_fetch_run_get_bound_us (run), gap);
  g_assert_cmpint (aw_fetch_run_get_bound_us (run), <, aw_fetch_run_get_total_us (run) / 2);
  g_assert_nonnull (gap);
  g_assert_true (g_str_has_prefix (gap, "+"));
  g_assert_nonnull (strstr (gap, "waiting for a connection (1 per host)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/loop-trace/every-mode", Fixture, NULL, fixture_set_up, test_every_mode,
              fixture_tear_down);
  g_test_add ("/loop-trace/stopped", Fixture, NULL, fixture_set_up, test_stopped,
              fixture_tear_down);
  g_test_add ("/loop-trace/concurrent-idle", Fixture, NULL, fixture_set_up,
              test_concurrent_idle, fixture_tear_down);
  g_test_add ("/loop-trace/blocking-lane", Fixture, NULL, fixture_set_up, test_blocking_lane,
              fixture_tear_down);
  g_test_add ("/loop-trace/threads-lanes", Fixture, NULL, fixture_set_up, test_threads_lanes,
              fixture_tear_down);
  g_test_add ("/loop-trace/frames", Fixture, NULL, fixture_set_up, test_frames,
              fixture_tear_down);
  g_test_add ("/loop-trace/work-on-loop", Fixture, NULL, fixture_set_up, test_work_on_loop,
              fixture_tear_down);
  g_test_add ("/loop-trace/gap-named", Fixture, NULL, fixture_set_up, test_gap_named,
              fixture_tear_down);
  return g_test_run ();
}
