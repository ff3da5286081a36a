/* test-fetch-run.c: the engine against the demo server, in every mode
 *
 * Timings are compared within a run, never against a clock: a concurrent run's wall time
 * against the sum of its tasks, a queued task against the end of the one it waited for. A slow
 * or busy machine stretches both sides alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-demo-server.h"
#include "aw-fetch-run.h"
#include "aw-task-private.h"
#include "aw-test-utils.h"

#define LATENCY_S 0.3
#define LATENCY_US ((gint64)(LATENCY_S * G_USEC_PER_SEC))

#include "aw-test-demo.h"

/* What a run told its listeners. */
typedef struct
{
  gboolean done;
  guint    n_changed;
  guint    n_finished;
  guint    n_changed_after_finished;
} Seen;

static void
on_task_changed (AwFetchRun *run,
                 AwTask     *task,
                 Seen       *seen)
{
  g_assert_true (AW_IS_TASK (task));
  seen->n_changed++;
  if (seen->n_finished > 0)
    seen->n_changed_after_finished++;
}

static void
on_finished (AwFetchRun *run,
             Seen       *seen)
{
  seen->n_finished++;
  g_assert_true (aw_fetch_run_is_finished (run));
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Seen *seen = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, &error));
  g_assert_no_error (error);
  seen->done = TRUE;
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs @cities to the end (cancelling after @cancel_after_ms when > 0); checks the signals. */
static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static AwFetchRun *
run_to_end (AwProvider         *provider,
            AwMode              mode,
            guint               limit,
            double              timeout_s,
            const char * const *cities,
            guint               cancel_after_ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AwFetchRun *run = aw_fetch_run_new (provider, mode, cities);
  Seen seen = { 0 };

  aw_fetch_run_set_limit (run, limit);
  if (timeout_s > 0)
    aw_fetch_run_set_timeout (run, timeout_s);
  g_signal_connect (run, "task-changed", G_CALLBACK (on_task_changed), &seen);
  g_signal_connect (run, "finished", G_CALLBACK (on_finished), &seen);
  if (cancel_after_ms > 0)
    g_timeout_add_full (G_PRIORITY_DEFAULT, cancel_after_ms, cancel_later,
                        g_object_ref (cancellable), g_object_unref);

  aw_fetch_run_run_async (run, cancellable, on_run_done, &seen);
  g_assert_true (aw_fetch_run_is_running (run) || mode == AW_MODE_BLOCKING);
  while (!seen.done)
    g_main_context_iteration (NULL, TRUE);

  /* Let anything late arrive, the loop running meanwhile (not asleep): nothing may. Workers
   * are joined before "finished"; what could still come is a cancelled request's callback
   * or a socket's close, dispatched as they arrive during this quiet time. */
  {
    gboolean quiet_over = FALSE;

    g_timeout_add (50, set_flag, &quiet_over);
    while (!quiet_over)
      g_main_context_iteration (NULL, TRUE);
    while (g_main_context_iteration (NULL, FALSE))
      ;
  }

  g_assert_cmpuint (seen.n_finished, ==, 1);
  g_assert_cmpuint (seen.n_changed_after_finished, ==, 0);
  g_assert_cmpuint (seen.n_changed, >=, aw_fetch_run_get_n_tasks (run));
  g_assert_false (aw_fetch_run_is_running (run));
  g_signal_handlers_disconnect_by_data (run, &seen);
  return run;
}

/* When @task's request left: the end of its queued span. */
static gint64
request_start_us (AwTask *task)
{
  return aw_task_get_start_us (task) + aw_task_get_phase_us (task, AW_PHASE_QUEUED);
}

static gint64
first_end_us (AwFetchRun *run)
{
  gint64 first = G_MAXINT64;

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    first = MIN (first, aw_task_get_end_us (aw_fetch_run_get_task (run, i)));
  return first;
}

/* The tasks really overlapped: every request left before the first answer was in, and the
 * wall time is well below the sum of the tasks (3 tasks at once: about a third of it). */
static void
assert_overlapped (AwFetchRun *run)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_assert_cmpint (request_start_us (aw_fetch_run_get_task (run, i)), <, first_end_us (run));
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, 0.6 * aw_fetch_run_get_sum_us (run));
}

/* The loop kept turning: its longest stall is a small part of the run (Blocking stalls for
 * about the sum of its tasks). */
static void
assert_loop_free (AwFetchRun *run)
{
  g_assert_cmpint (aw_fetch_run_get_longest_stall_us (run), <, aw_fetch_run_get_sum_us (run) / 2);
}

/* Spans follow each other, within the task's bar; queued comes first. */
static void
assert_spans_sane (AwTask *task)
{
  const AwSpan *spans;
  guint n_spans;

  spans = aw_task_get_spans (task, &n_spans);
  g_assert_cmpuint (n_spans, >=, 1);
  g_assert_cmpint (spans[0].phase, ==, AW_PHASE_QUEUED);
  g_assert_cmpint (spans[0].start_us, ==, aw_task_get_start_us (task));
  for (guint i = 0; i < n_spans; i++)
    {
      g_assert_cmpint (spans[i].start_us, >=, 0);
      g_assert_cmpint (spans[i].end_us, >=, spans[i].start_us);
      g_assert_cmpint (spans[i].end_us, <=, aw_task_get_end_us (task));
      if (i > 0)
        g_assert_cmpint (spans[i].start_us, >=, spans[i - 1].end_us);
    }
}

static void
assert_all_succeeded (AwFetchRun *run)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const AwWeather *weather = aw_task_get_weather (task);

      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
      g_assert_null (aw_task_get_error (task));
      g_assert_nonnull (weather);
      g_assert_cmpfloat (weather->temperature_c, >=, -5);
      g_assert_cmpfloat (weather->temperature_c, <=, 29);
      g_assert_cmpstr (weather->place, ==, aw_task_get_city (task));
      g_assert_cmpstr (weather->service, ==, "demo");
      g_assert_cmpuint (aw_task_get_n_requests (task), ==, 1);
      g_assert_cmpuint (aw_task_get_request_status (task, 0), ==, 200);
      /* The server's latency is the wait for the first byte. */
      g_assert_cmpint (aw_task_get_phase_us (task, AW_PHASE_WAIT), >=, LATENCY_US - 20000);
      g_assert_cmpint (aw_task_get_active_us (task), >=, LATENCY_US);
      assert_spans_sane (task);
    }
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);
  g_assert_false (aw_fetch_run_was_stopped (run));
}

static const char * const tutorial[] = { "Paris", "Toulouse", "Marseille", NULL };

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture->provider, AW_MODE_CONCURRENT, 1, 0,
                                          tutorial, 0);
  gint64 total = aw_fetch_run_get_total_us (run);

  assert_all_succeeded (run);
  g_assert_cmpint (total, >=, LATENCY_US);
  g_assert_cmpint (aw_fetch_run_get_sum_us (run), >=, 3 * LATENCY_US);
  assert_overlapped (run);
  g_assert_cmpfloat (aw_fetch_run_get_speedup (run), >, 1 / 0.6);
  assert_loop_free (run);
}

static void
test_sequential (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture->provider, AW_MODE_SEQUENTIAL, 1, 0,
                                          tutorial, 0);
  gint64 total = aw_fetch_run_get_total_us (run);

  assert_all_succeeded (run);
  g_assert_cmpint (total, >=, 3 * LATENCY_US);
  g_assert_cmpint (total, >=, aw_fetch_run_get_sum_us (run));
  g_assert_cmpfloat (aw_fetch_run_get_speedup (run), <=, 1.0);
  assert_loop_free (run);
  /* End to end: each task starts its request after the previous one ended. */
  for (guint i = 1; i < 3; i++)
    {
      AwTask *previous = aw_fetch_run_get_task (run, i - 1);
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_cmpint (request_start_us (task), >=, aw_task_get_end_us (previous));
    }
}

/* Limited to 2: four tasks run in two waves; the second wave leaves only when a task of the
 * first has ended. */
static void
test_limited (Fixture       *fixture,
              gconstpointer  data)
{
  static const char * const cities[] = { "Paris", "Toulouse", "Marseille", "Lyon", NULL };
  g_autoptr(AwFetchRun) run = run_to_end (fixture->provider, AW_MODE_LIMITED, 2, 0, cities, 0);
  gint64 total = aw_fetch_run_get_total_us (run);

  assert_all_succeeded (run);
  g_assert_cmpuint (aw_fetch_run_get_limit (run), ==, 2);
  g_assert_cmpint (total, >=, 2 * LATENCY_US);
  /* Two waves: about half the sum of the tasks, well above a third of it. */
  g_assert_cmpint (total, <, 0.8 * aw_fetch_run_get_sum_us (run));
  for (guint i = 0; i < 4; i++)
    {
      gint64 start = request_start_us (aw_fetch_run_get_task (run, i));

      if (i < 2)
        g_assert_cmpint (start, <, first_end_us (run));
      else
        g_assert_cmpint (start, >=, first_end_us (run));
    }
  assert_loop_free (run);
}

/* libsoup's limit of connections per host also shows up as queueing. */
static void
test_conns_per_host (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const cities[] = { "Paris", "Toulouse", "Marseille", "Lyon", NULL };
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (fixture->provider, AW_MODE_CONCURRENT, cities);
  Seen seen = { 0 };
  guint queued_long = 0;

  aw_fetch_run_set_conns_per_host (run, 2);
  aw_fetch_run_run_async (run, NULL, on_run_done, &seen);
  while (!seen.done)
    g_main_context_iteration (NULL, TRUE);

  assert_all_succeeded (run);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), >=, 2 * LATENCY_US);
  /* Two got a connection at once; two waited for one of them to be free. */
  for (guint i = 0; i < 4; i++)
    if (request_start_us (aw_fetch_run_get_task (run, i)) >= first_end_us (run))
      queued_long++;
  g_assert_cmpuint (queued_long, ==, 2);
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture->provider, AW_MODE_THREADS, 1, 0,
                                          tutorial, 0);

  assert_all_succeeded (run);
  assert_overlapped (run);
  assert_loop_free (run);
}

/* More tasks than workers: those that wait for a worker wait queued, and their timeout
 * begins when a worker takes them, not before (here they wait a whole latency, and the
 * timeout is shorter than two). */
static void
test_threads_queue (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AwFetchRun) run = NULL;
  double latency_s = aw_test_scaled_s (0.5);
  guint n_queued = 0;

  aw_demo_server_set_latency (fixture->server, latency_s, latency_s);
  for (guint i = 0; i < 80; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);
  run = run_to_end (fixture->provider, AW_MODE_THREADS, 1, 1.6 * latency_s,
                    (const char * const *)cities->pdata, 0);

  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    if (request_start_us (aw_fetch_run_get_task (run, i)) >= first_end_us (run))
      n_queued++;
  /* The pool has fewer workers than tasks: some waited for one. */
  g_assert_cmpuint (n_queued, >, 0);
}

/* Blocking: sequential, and the loop could not run for the whole time. */
static void
test_blocking (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(AwFetchRun) run = run_to_end (fixture->provider, AW_MODE_BLOCKING, 1, 0,
                                          tutorial, 0);
  gint64 total = aw_fetch_run_get_total_us (run);

  assert_all_succeeded (run);
  g_assert_cmpint (total, >=, 3 * LATENCY_US);
  g_assert_cmpint (total, >=, aw_fetch_run_get_sum_us (run));
  g_assert_cmpint (aw_fetch_run_get_longest_stall_us (run), >=, 3 * LATENCY_US);
}

/* Stop mid-run: every task ends as cancelled, long before any answer could come, and nothing
 * arrives afterwards. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  static const char * const cities[] = { "Paris", "Toulouse", "Marseille", "Lyon", "Nice", NULL };
  g_autoptr(AwFetchRun) run = NULL;
  gint64 started = g_get_monotonic_time ();

  aw_demo_server_set_latency (fixture->server, 30, 30);
  run = run_to_end (fixture->provider, mode, 2, 0, cities, 100);

  g_assert_cmpint (g_get_monotonic_time () - started, <, 30 * G_USEC_PER_SEC);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_CANCELLED);
      g_assert_error (aw_task_get_error (task), G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpint (aw_task_get_end_us (task), >=, 0);
      assert_spans_sane (task);
    }
  /* Cancelled tasks are not failures of the service. */
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);
  g_assert_true (aw_fetch_run_was_stopped (run));
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  static const char * const cities[] = { "Paris", "Slowtown", "Stalled", NULL };
  g_autoptr(AwFetchRun) run = NULL;

  aw_demo_server_set_city_latency (fixture->server, "Slowtown", 5);
  aw_demo_server_set_city_fault (fixture->server, "Stalled", AW_DEMO_FAULT_STALL);
  run = run_to_end (fixture->provider, mode, 1, 1.0, cities, 0);

  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 0)), ==, AW_TASK_SUCCEEDED);
  for (guint i = 1; i < 3; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_FAILED);
      g_assert_error (aw_task_get_error (task), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_assert_nonnull (strstr (aw_task_get_error (task)->message, "1.0 s"));
      /* Ended at its deadline, not at the slow answer's 5 s. */
      g_assert_cmpint (aw_task_get_active_us (task), <, aw_test_scaled_us (2.5 * G_USEC_PER_SEC));
    }
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 2);
}

/* Faults of the server: each is that one task's error, and the others succeed. */
static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const cities[] = { "Paris", "Broken", "Garbled", "Atlantis", NULL };
  g_autoptr(AwFetchRun) run = NULL;
  const GError *error;

  aw_demo_server_set_latency (fixture->server, 0.05, 0.05);
  aw_demo_server_set_city_fault (fixture->server, "Broken", AW_DEMO_FAULT_ERROR_STATUS);
  aw_demo_server_set_city_fault (fixture->server, "Garbled", AW_DEMO_FAULT_MALFORMED);
  aw_demo_server_set_city_fault (fixture->server, "Atlantis", AW_DEMO_FAULT_NOT_FOUND);
  run = run_to_end (fixture->provider, AW_MODE_CONCURRENT, 1, 0, cities, 0);

  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 0)), ==, AW_TASK_SUCCEEDED);

  error = aw_task_get_error (aw_fetch_run_get_task (run, 1));
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_cmpuint (aw_task_get_request_status (aw_fetch_run_get_task (run, 1), 0), ==, 503);

  error = aw_task_get_error (aw_fetch_run_get_task (run, 2));
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);

  error = aw_task_get_error (aw_fetch_run_get_task (run, 3));
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Ville non trouvée"));

  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 3);
}

/* A closed port: every task fails at once with the system's reason. */
static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  /* Take a free port, then close it. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_listener_close (listener);

  provider = aw_provider_new_for_name ("demo", base, &error);
  run = run_to_end (provider, AW_MODE_CONCURRENT, 1, 0, tutorial, 0);
  for (guint i = 0; i < 3; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_FAILED);
      g_assert_error (aw_task_get_error (task), G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
      assert_spans_sane (task);
    }
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, aw_test_scaled_us (G_USEC_PER_SEC));
}

/* A city refused before anything is sent fails alone. */
static void
test_bad_city (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const cities[] = { "Paris", "..", "Bad\x01Name", NULL };
  g_autoptr(AwFetchRun) run = run_to_end (fixture->provider, AW_MODE_CONCURRENT, 1, 0, cities, 0);

  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 0)), ==, AW_TASK_SUCCEEDED);
  for (guint i = 1; i < 3; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_error (aw_task_get_error (task), AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY);
      g_assert_cmpuint (aw_task_get_n_requests (task), ==, 0);
    }
  g_assert_cmpuint (aw_demo_server_get_n_requests (fixture->server), ==, 1);
}

/* What a run's property notifications said, in order. */
typedef struct
{
  GString *order;           /* "running=1 ... running=0 finished=1 signal" */
  guint    n_failed_seen;   /* the last n-failed a notification carried */
  guint    n_failed_notes;
  guint    n_state_notes;   /* notify::state of the tasks */
} Notes;

static void
on_run_notify (AwFetchRun *run,
               GParamSpec *pspec,
               Notes      *notes)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "running"))
    g_string_append_printf (notes->order, "running=%d ", aw_fetch_run_is_running (run));
  else if (g_str_equal (name, "finished"))
    g_string_append_printf (notes->order, "finished=%d ", aw_fetch_run_is_finished (run));
  else if (g_str_equal (name, "n-failed"))
    {
      g_object_get (run, "n-failed", &notes->n_failed_seen, NULL);
      notes->n_failed_notes++;
    }
}

static void
on_run_finished_note (AwFetchRun *run,
                      Notes      *notes)
{
  g_string_append (notes->order, "signal");
}

static void
on_task_state (AwTask     *task,
               GParamSpec *pspec,
               Notes      *notes)
{
  notes->n_state_notes++;
}

/* A run notifies running, then finished just before its one "finished" signal, and n-failed
 * once per failed task; its tasks notify their state; settings read back as set. */
static void
test_properties (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const cities[] = { "Paris", "..", "Bad\x01Name", NULL };
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (fixture->provider, AW_MODE_LIMITED, cities);
  g_autoptr(GString) order = g_string_new (NULL);
  g_auto(GStrv) read_cities = NULL;
  Notes notes = { order };
  Seen seen = { 0 };
  AwMode mode;
  guint limit;
  double timeout;
  gboolean finished;

  g_signal_connect (run, "notify", G_CALLBACK (on_run_notify), &notes);
  g_signal_connect (run, "finished", G_CALLBACK (on_run_finished_note), &notes);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_signal_connect (aw_fetch_run_get_task (run, i), "notify::state",
                      G_CALLBACK (on_task_state), &notes);

  g_object_set (run, "limit", 3, "timeout", 20.0, NULL);
  g_object_get (run, "mode", &mode, "limit", &limit, "timeout", &timeout, "cities",
                &read_cities, NULL);
  g_assert_cmpint (mode, ==, AW_MODE_LIMITED);
  g_assert_cmpuint (limit, ==, 3);
  g_assert_cmpfloat (timeout, ==, 20.0);
  g_assert_cmpstr (read_cities[0], ==, "Paris");
  g_assert_cmpuint (g_strv_length (read_cities), ==, 3);

  aw_fetch_run_run_async (run, NULL, on_run_done, &seen);
  while (!seen.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (order->str, ==, "running=1 running=0 finished=1 signal");
  g_assert_cmpuint (notes.n_failed_notes, ==, 2);
  g_assert_cmpuint (notes.n_failed_seen, ==, 2);
  g_object_get (run, "finished", &finished, NULL);
  g_assert_true (finished);
  /* Paris: queued → running → succeeded; the bad names: queued → failed. */
  g_assert_cmpuint (notes.n_state_notes, ==, 4);
  g_signal_handlers_disconnect_by_data (run, &notes);
}

static void
on_done_drop_run (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, NULL));
  /* The caller's last reference: the run must not touch itself after this. */
  g_object_unref (object);
  *done = TRUE;
}

/* A caller may drop the run in its callback, which comes from within the run's last task's
 * end (or from within a Stop, for the queued tasks it ends). */
static void
test_drop_in_callback (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const cities[] = { "Paris", "Lyon", "Nice", "Brest", NULL };
  gboolean stop = GPOINTER_TO_INT (data);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AwFetchRun *run = aw_fetch_run_new (fixture->provider, AW_MODE_SEQUENTIAL, cities);
  gboolean done = FALSE;

  g_object_add_weak_pointer (G_OBJECT (run), (gpointer *)&run);
  aw_fetch_run_run_async (run, cancellable, on_done_drop_run, &done);
  if (stop)
    g_timeout_add_full (G_PRIORITY_DEFAULT, LATENCY_S * 1000 / 2, cancel_later,
                        g_object_ref (cancellable), g_object_unref);
  while (!done || run != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const none[] = { NULL };
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (fixture->provider, AW_MODE_CONCURRENT, none);
  Seen seen = { 0 };

  aw_fetch_run_run_async (run, NULL, on_run_done, &seen);
  while (!seen.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (aw_fetch_run_is_finished (run));
  g_assert_cmpuint (aw_fetch_run_get_n_tasks (run), ==, 0);
  g_assert_cmpfloat (aw_fetch_run_get_speedup (run), ==, 0);
}

/* Many tasks at once all succeed, and really overlap: on average at least five at a time,
 * however slowly the machine starts them. */
static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AwFetchRun) run = NULL;

  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);

  run = run_to_end (fixture->provider, AW_MODE_CONCURRENT, 1, 0,
                    (const char * const *)cities->pdata, 0);
  assert_all_succeeded (run);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, aw_fetch_run_get_sum_us (run) / 5);
  g_assert_cmpuint (aw_demo_server_get_n_requests (fixture->server), ==, 200);
}

/* A window's run is paced: answers are read a batch (8, aw-scheduler-loop.c) at a time, each
 * after the last one's I/O, so that a frame waits for at most one batch; no more than a batch
 * of tasks end in one turn of the loop. A run without a window reads every answer as it
 * comes: 400 answers at once end many to a turn. */
static void
count_end (AwFetchRun *run,
           AwTask     *task,
           guint      *n_ended)
{
  if (aw_task_is_finished (task))
    (*n_ended)++;
}

static guint
most_ends_in_one_turn (AwProvider         *provider,
                       const char * const *cities,
                       gboolean            paced)
{
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  Seen seen = { 0 };
  guint n_ended = 0, most = 0;

  aw_fetch_run_set_timeout (run, 60);
  aw_fetch_run_set_paced (run, paced);
  g_signal_connect (run, "task-changed", G_CALLBACK (count_end), &n_ended);
  aw_fetch_run_run_async (run, NULL, on_run_done, &seen);
  while (!seen.done)
    {
      n_ended = 0;
      g_main_context_iteration (NULL, TRUE);
      most = MAX (most, n_ended);
    }
  assert_all_succeeded (run);
  return most;
}

static void
test_paced (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  guint paced, unpaced;

  for (guint i = 0; i < 400; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);

  paced = most_ends_in_one_turn (fixture->provider, (const char * const *)cities->pdata, TRUE);
  unpaced = most_ends_in_one_turn (fixture->provider, (const char * const *)cities->pdata,
                                   FALSE);
  g_test_message ("most task ends in one turn of the loop: %u paced, %u not", paced, unpaced);
  g_assert_cmpuint (paced, <=, 8);
  g_assert_cmpuint (unpaced, >, 8);
}

/* A task's functions refuse what is not a task, with a critical, before they touch it. */
static void
test_task_guards (void)
{
  if (g_test_subprocess ())
    {
      g_test_expect_message ("aw-core", G_LOG_LEVEL_CRITICAL, "*AW_IS_TASK*");
      aw_task_add_request (NULL, "http://127.0.0.1/");
      g_test_assert_expected_messages ();
      return;
    }
  /* In a child: reading through NULL first would end it with a segfault. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/fetch-run/concurrent", test_concurrent, NULL);
  ADD ("/fetch-run/sequential", test_sequential, NULL);
  ADD ("/fetch-run/limited", test_limited, NULL);
  ADD ("/fetch-run/conns-per-host", test_conns_per_host, NULL);
  ADD ("/fetch-run/threads", test_threads, NULL);
  ADD ("/fetch-run/threads/queue", test_threads_queue, NULL);
  ADD ("/fetch-run/blocking", test_blocking, NULL);
  ADD ("/fetch-run/cancel/concurrent", test_cancel, GINT_TO_POINTER (AW_MODE_CONCURRENT));
  ADD ("/fetch-run/cancel/limited", test_cancel, GINT_TO_POINTER (AW_MODE_LIMITED));
  ADD ("/fetch-run/cancel/threads", test_cancel, GINT_TO_POINTER (AW_MODE_THREADS));
  ADD ("/fetch-run/timeout/concurrent", test_timeout, GINT_TO_POINTER (AW_MODE_CONCURRENT));
  ADD ("/fetch-run/timeout/threads", test_timeout, GINT_TO_POINTER (AW_MODE_THREADS));
  ADD ("/fetch-run/timeout/blocking", test_timeout, GINT_TO_POINTER (AW_MODE_BLOCKING));
  ADD ("/fetch-run/faults", test_faults, NULL);
  ADD ("/fetch-run/bad-city", test_bad_city, NULL);
  ADD ("/fetch-run/empty", test_empty, NULL);
  ADD ("/fetch-run/properties", test_properties, NULL);
  ADD ("/fetch-run/drop-in-callback", test_drop_in_callback, GINT_TO_POINTER (FALSE));
  ADD ("/fetch-run/drop-in-callback/stopped", test_drop_in_callback, GINT_TO_POINTER (TRUE));
  ADD ("/fetch-run/many", test_many, NULL);
  ADD ("/fetch-run/paced", test_paced, NULL);
  g_test_add_func ("/fetch-run/connection-refused", test_connection_refused);
  g_test_add_func ("/task/guards", test_task_guards);

#undef ADD

  return g_test_run ();
}
