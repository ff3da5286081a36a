/* test-soak.c: 50 runs of 200 tasks in a row; the engine's memory stays flat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-fetch-run.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soak/runs", test_soak);
  return g_test_run ();
}
