/* test-soak.c: 50 runs of 200 tasks in a row, the engine's memory stays flat; and the demo
 * server stays up under a flood of misbehaving clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/resource.h>
#endif
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

#include "aw-descriptors.h"
#include "aw-fetch-run.h"
#include "aw-test-utils.h"

#define N_RUNS  50
#define N_TASKS 200

/* Resident memory, in kB. */
static gint64
resident_kb (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL);
  g_assert_nonnull (statm);
  fields = g_strsplit (statm, " ", -1);
  return g_ascii_strtoll (fields[1], NULL, 10) * (sysconf (_SC_PAGESIZE) / 1024);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(gboolean *)user_data = TRUE;
}

/* The demo server runs as its own process, so that only the engine's memory is measured here. */
static GSubprocess *
spawn_server (char **base_uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("http://[0-9.:]+", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, CLI_PATH, "--serve=0",
                             "--demo-latency=0.01-0.05", "--demo-failure-rate=0.05", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  *base_uri = g_match_info_fetch (match, 0);
  return server;
}

static void
test_soak (void)
{
  g_autofree char *base_uri = NULL;
  g_autoptr(GSubprocess) server = spawn_server (&base_uri);
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 settled = 0;

  provider = aw_provider_new_for_name ("demo", base_uri, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_TASKS; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(AwFetchRun) run = aw_fetch_run_new (provider, r % 2 ? AW_MODE_CONCURRENT
                                                                   : AW_MODE_LIMITED,
                                                    (const char * const *)cities->pdata);
      gboolean done = FALSE;

      aw_fetch_run_set_limit (run, 50);
      aw_fetch_run_set_timeout (run, 0.5);
      aw_fetch_run_run_async (run, NULL, on_run_done, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);

      g_assert_cmpuint (aw_fetch_run_get_n_tasks (run), ==, N_TASKS);
      for (guint i = 0; i < N_TASKS; i++)
        g_assert_true (aw_task_is_finished (aw_fetch_run_get_task (run, i)));
      g_assert_finalize_object (g_steal_pointer (&run));

      if (r == 9)
        settled = resident_kb ();
    }

  g_test_message ("resident after run 10: %" G_GINT64_FORMAT " kB, after run %d: %"
                  G_GINT64_FORMAT " kB", settled, N_RUNS, resident_kb ());
#ifndef __SANITIZE_ADDRESS__
  /* Flat: the last 40 runs add less than a run's worth of tasks would if they leaked.
   * (AddressSanitizer's quarantine grows by design; there its leak checker judges.) */
  g_assert_cmpint (resident_kb () - settled, <, 4096);
#endif
  /* The kill is sent from GLib's worker thread: wait for it, or the server can outlive the
   * test, and hold its output open until the test runner gives up. */
  g_subprocess_force_exit (server);
  g_assert_true (g_subprocess_wait (server, NULL, NULL));
}

/* The flood: clients that misbehave, each kind in a thread of its own, with blocking sockets
 * (a guard of 30 s on each wait), while the engine runs normally on the main thread. */
#define N_IDLE      800   /* past the server's limit of 480 under a limit of 1,024 files */
#define N_SLOW      40
#define N_LARGE     8
#define N_MALFORMED 200
#define SERVER_FILES 1024

typedef struct
{
  guint16 port;
  gint    idle_connected;   /* atomic: the idle clients are all in */
  gint    n_done;           /* atomic: threads finished */
  GMutex  mutex;
  GCond   cond;
  gboolean first_run_done;  /* the first normal run during the flood has ended */
  guint   idle_evicted;     /* idle clients closed by then */
  /* results, each written by one thread */
  guint   idle_closed, idle_unavailable;
  guint   slow_closed;
  guint   large_refused;
  guint   malformed_refused;
} Flood;

/* Connect and say nothing: each is closed, evicted by newer ones past the limit, or at the
 * idle timeout. */
static gpointer
flood_idle (gpointer user_data)
{
  Flood *flood = user_data;
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_IDLE; i++)
    g_ptr_array_add (sockets, aw_test_connect (flood->port));
  g_atomic_int_set (&flood->idle_connected, TRUE);

  /* Past the limit, the oldest idle ones made room at once: no need to wait 10 s for them. */
  g_mutex_lock (&flood->mutex);
  while (!flood->first_run_done)
    g_cond_wait (&flood->cond, &flood->mutex);
  g_mutex_unlock (&flood->mutex);
  for (guint i = 0; i < sockets->len; i++)
    if (aw_test_has_spoken (sockets->pdata[i]))
      flood->idle_evicted++;

  for (guint i = 0; i < sockets->len; i++)
    {
      g_autofree char *answer = aw_test_read_to_end (sockets->pdata[i]);

      if (*answer == '\0')
        flood->idle_closed++;
      else if (g_str_has_prefix (answer, "HTTP/1.1 503 "))
        flood->idle_unavailable++;
    }
  g_atomic_int_inc (&flood->n_done);
  return NULL;
}

/* Headers a byte at a time, every 100 ms: each is cut off at the header timeout. */
static gpointer
flood_slow (gpointer user_data)
{
  Flood *flood = user_data;
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  const char start[] = "GET /services/json/Slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

  for (guint i = 0; i < N_SLOW; i++)
    {
      g_ptr_array_add (sockets, aw_test_connect (flood->port));
      aw_test_send_all (sockets->pdata[i], start, sizeof start - 1);
    }
  /* 300 rounds would take 30 s: far past the server's 10 s. */
  for (guint round = 0; round < 300 && sockets->len > 0; round++)
    {
      for (guint i = 0; i < sockets->len; )
        {
          GSocket *socket = sockets->pdata[i];

          if (aw_test_has_spoken (socket) || !aw_test_send_all (socket, "x", 1))
            {
              g_free (aw_test_read_to_end (socket));
              flood->slow_closed++;
              g_ptr_array_remove_index_fast (sockets, i);
            }
          else
            i++;
        }
      g_usleep (100000);
    }
  g_atomic_int_inc (&flood->n_done);
  return NULL;
}

/* Bodies of 600 MiB announced, and sent as fast as the server takes them: each is refused. */
static gpointer
flood_large (gpointer user_data)
{
  Flood *flood = user_data;
  g_autofree char *block = g_malloc0 (64 * 1024);
  const char headers[] = "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Length: 629145600\r\n\r\n";

  for (guint i = 0; i < N_LARGE; i++)
    {
      g_autoptr(GSocket) socket = aw_test_connect (flood->port);
      g_autofree char *answer = NULL;
      gsize sent = 0;

      aw_test_send_all (socket, headers, sizeof headers - 1);
      while (!aw_test_has_spoken (socket) && sent < 629145600 && aw_test_send_all (socket, block, 64 * 1024))
        sent += 64 * 1024;
      answer = aw_test_read_to_end (socket);
      if (g_str_has_prefix (answer, "HTTP/1.1 413 "))
        flood->large_refused++;
    }
  g_atomic_int_inc (&flood->n_done);
  return NULL;
}

/* Requests that are not HTTP, or not HTTP the server takes: each gets a 4xx, 501 or 505, or a
 * close. */
static gpointer
flood_malformed (gpointer user_data)
{
  Flood *flood = user_data;
  g_autofree char *huge = g_strdup_printf ("GET /services/json/Paris HTTP/1.1\r\nX-Huge: %0*d\r\n\r\n",
                                           100000, 0);
  const char *requests[] = {
    "GARBAGE\r\n\r\n",
    "GET /services/json/Paris HTTP/9.9\r\n\r\n",
    "GET\r\n\r\n",
    "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: bogus\r\n\r\n",
    "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
    "\x01\x02\xff\xfe\r\n\r\n",
    huge,
  };

  for (guint i = 0; i < N_MALFORMED; i++)
    {
      g_autoptr(GSocket) socket = aw_test_connect (flood->port);
      const char *request = requests[i % G_N_ELEMENTS (requests)];
      g_autofree char *answer = NULL;

      aw_test_send_all (socket, request, strlen (request));
      answer = aw_test_read_to_end (socket);
      if (*answer == '\0' || g_regex_match_simple ("^HTTP/1\\.[01] (4..|501|505) ", answer, 0, 0))
        flood->malformed_refused++;
      else
        g_test_message ("malformed request %u answered: %.40s", i, answer);
    }
  g_atomic_int_inc (&flood->n_done);
  return NULL;
}

#ifdef G_OS_UNIX
static void
limit_files (gpointer user_data)
{
  struct rlimit limit = { SERVER_FILES, SERVER_FILES };

  setrlimit (RLIMIT_NOFILE, &limit);
#ifdef __linux__
  /* A failed assertion here must not leave the server running, holding the test's output. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}
#endif

/* Resident memory of process @pid, and its peak, in kB. */
static gint64
process_kb (GPid        pid,
            const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int)pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static void
run_normally (AwProvider *provider,
              guint       n_tasks)
{
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AwFetchRun) run = NULL;
  gboolean done = FALSE;

  for (guint i = 0; i < n_tasks; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);

  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, (const char * const *)cities->pdata);
  aw_fetch_run_set_timeout (run, 20);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < n_tasks; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      if (aw_task_get_state (task) != AW_TASK_SUCCEEDED)
        g_error ("%s: %s", aw_task_get_city (task),
                 aw_task_get_error (task) ? aw_task_get_error (task)->message : "not finished");
    }
}

/* A flood of misbehaving clients while the engine runs: every normal task succeeds, each kind
 * of flood gets what it is designed to get, and the server's memory comes back near its
 * baseline. The server runs as its own process, under a limit of 1,024 open files. */
static void
test_flood (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("http://127.0.0.1:([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *port = NULL;
  GThread *threads[4];
  Flood flood = { 0 };
  gint64 baseline, peak, after;
  GPid pid;
  guint n_runs = 0;

#ifdef G_OS_UNIX
  g_subprocess_launcher_set_child_setup (launcher, limit_files, NULL, NULL);
#endif
  server = g_subprocess_launcher_spawn (launcher, &error, CLI_PATH, "--serve=0",
                                        "--demo-latency=0.01-0.05", NULL);
  g_assert_no_error (error);
  pid = g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  base_uri = g_match_info_fetch (match, 0);
  port = g_match_info_fetch (match, 1);
  flood.port = g_ascii_strtoull (port, NULL, 10);
  provider = aw_provider_new_for_name ("demo", base_uri, &error);
  g_assert_no_error (error);

  g_mutex_init (&flood.mutex);
  g_cond_init (&flood.cond);

  /* The baseline: the server after a normal run of the same size. */
  run_normally (provider, N_TASKS);
  baseline = process_kb (pid, "VmRSS:");

  threads[0] = g_thread_new ("flood-idle", flood_idle, &flood);
  while (!g_atomic_int_get (&flood.idle_connected))
    g_thread_yield ();
  threads[1] = g_thread_new ("flood-slow", flood_slow, &flood);
  threads[2] = g_thread_new ("flood-large", flood_large, &flood);
  threads[3] = g_thread_new ("flood-malformed", flood_malformed, &flood);

  /* Normal runs for as long as the flood lasts: the idle and slow clients take 10 s. */
  do
    {
      run_normally (provider, N_TASKS);
      n_runs++;
      g_mutex_lock (&flood.mutex);
      flood.first_run_done = TRUE;
      g_cond_signal (&flood.cond);
      g_mutex_unlock (&flood.mutex);
    }
  while (g_atomic_int_get (&flood.n_done) < (int)G_N_ELEMENTS (threads));

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  /* One more run: the server has closed every flood connection, and run its loop since. */
  run_normally (provider, N_TASKS);
  peak = process_kb (pid, "VmHWM:");
  after = process_kb (pid, "VmRSS:");

  g_test_message ("%u normal runs of %u tasks during the flood; idle: %u closed (%u evicted at "
                  "once), %u answered 503; slow: %u closed; large: %u refused; malformed: %u refused",
                  n_runs, N_TASKS, flood.idle_closed, flood.idle_evicted, flood.idle_unavailable,
                  flood.slow_closed,
                  flood.large_refused, flood.malformed_refused);
  g_test_message ("server resident: %" G_GINT64_FORMAT " kB before the flood, %" G_GINT64_FORMAT
                  " kB at its peak, %" G_GINT64_FORMAT " kB after", baseline, peak, after);

  g_assert_cmpuint (flood.idle_closed + flood.idle_unavailable, ==, N_IDLE);
  g_assert_cmpuint (flood.idle_evicted, >=, N_IDLE - (SERVER_FILES - 64) / 2);
  g_assert_cmpuint (flood.slow_closed, ==, N_SLOW);
  g_assert_cmpuint (flood.large_refused, ==, N_LARGE);
  g_assert_cmpuint (flood.malformed_refused, ==, N_MALFORMED);
#ifndef __SANITIZE_ADDRESS__
  /* Near the baseline: what the flood took is given back, within a generous margin. */
  g_assert_cmpint (after, <, baseline + MAX (baseline / 2, 16 * 1024));
#endif

  g_mutex_clear (&flood.mutex);
  g_cond_clear (&flood.cond);
  g_subprocess_force_exit (server);
  g_assert_true (g_subprocess_wait (server, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  /* The flood's clients and a run's tasks: more than the usual 1,024. */
  aw_descriptors_prepare (4096);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soak/runs", test_soak);
  g_test_add_func ("/soak/flood", test_flood);
  return g_test_run ();
}
