/* test-descriptors.c: room for thousands of sockets, made at start-up; a run within its budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <sys/resource.h>

#include "aw-demo-server.h"
#include "aw-descriptors.h"
#include "aw-fetch-run.h"

#ifdef G_OS_UNIX
#include <glib-unix.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

/* The slots of the kernel's descriptor table: "FDSize" in /proc/self/status. */
static guint
table_size (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "FDSize:");
  g_assert_nonnull (line);
  return strtoul (line + strlen ("FDSize:"), NULL, 10);
}

static void
test_prepare (void)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_max < 4096)
    {
      g_test_skip ("The hard limit of open files is below 4096 here");
      return;
    }
  /* The usual soft limit of a desktop session. */
  limit.rlim_cur = 1024;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_assert_cmpuint (table_size (), <, 4096);

  aw_descriptors_prepare (4096);

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, limit.rlim_max);
  g_assert_cmpuint (table_size (), >=, 4096);
  /* Nothing is left open. */
  g_assert_cmpint (fcntl (4095, F_GETFD), ==, -1);
}

#ifdef G_OS_UNIX
static gboolean
on_parent_gone (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  _exit (0);
  return G_SOURCE_REMOVE;
}

/* A demo server in a process of its own, so that its sockets do not count against the
 * test's limit. It ends when the test closes its end of @alive, or dies. Returns the port. */
static guint
fork_server (double latency_s,
             int   *alive,
             GPid  *pid)
{
  int port_pipe[2], alive_pipe[2];
  guint port = 0;

  g_assert_cmpint (pipe (port_pipe), ==, 0);
  g_assert_cmpint (pipe (alive_pipe), ==, 0);
  *pid = fork ();
  g_assert_cmpint (*pid, >=, 0);
  if (*pid == 0)
    {
      AwDemoServer *server = aw_demo_server_new ();
      GError *error = NULL;

      close (port_pipe[0]);
      close (alive_pipe[1]);
      aw_demo_server_set_latency (server, latency_s, latency_s);
      if (!aw_demo_server_start (server, 0, &error))
        _exit (1);
      port = aw_demo_server_get_port (server);
      if (write (port_pipe[1], &port, sizeof port) != sizeof port)
        _exit (1);
      g_unix_fd_add (alive_pipe[0], G_IO_IN | G_IO_HUP | G_IO_ERR, on_parent_gone, NULL);
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }
  close (port_pipe[1]);
  close (alive_pipe[0]);
  g_assert_cmpint (read (port_pipe[0], &port, sizeof port), ==, sizeof port);
  close (port_pipe[0]);
  *alive = alive_pipe[1];
  return port;
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(gboolean *)user_data = TRUE;
}

/* Under a low open-files limit, far more cities than descriptors: every task succeeds, the
 * run holds no more sockets than its budget, and the tasks that waited say why. */
static void
run_within_budget (const char *base)
{
  enum { N_CITIES = 300, LIMIT = 128 };
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autofree char *expected = g_strdup_printf ("open-files limit %d", LIMIT);
  struct rlimit saved, limit;
  guint n_waited = 0;
  gboolean done = FALSE;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = LIMIT;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_test_message ("budget under a limit of %d: %u", LIMIT, aw_descriptors_get_budget ());
  g_assert_cmpuint (aw_descriptors_get_budget (), <, LIMIT);

  for (guint i = 0; i < N_CITIES; i++)
    g_ptr_array_add (cities, g_strdup_printf ("City %u", i));
  g_ptr_array_add (cities, NULL);
  provider = aw_provider_new_for_name ("demo", base, NULL);
  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, (const char * const *)cities->pdata);
  aw_fetch_run_set_timeout (run, 20);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < N_CITIES; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const char *detail = aw_task_get_note (task);

      if (aw_task_get_state (task) != AW_TASK_SUCCEEDED)
        g_test_message ("%s: %s", aw_task_get_city (task), aw_task_get_error (task)->message);
      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
      /* A task that waited for a descriptor waited a whole answer's time or so. */
      if (detail != NULL)
        {
          g_assert_nonnull (strstr (detail, expected));
          g_assert_cmpint (aw_task_get_phase_us (task, AW_PHASE_QUEUED), >, 100000);
          n_waited++;
        }
    }
  g_test_message ("%u of %d tasks waited for a descriptor", n_waited, N_CITIES);
  g_assert_cmpuint (n_waited, >, 0);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);

  g_clear_object (&run);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
}

/* The server in a process of its own. */
static void
test_budget (void)
{
  g_autofree char *base = NULL;
  int alive, status;
  GPid pid;

  base = g_strdup_printf ("http://127.0.0.1:%u", fork_server (0.2, &alive, &pid));
  run_within_budget (base);
  close (alive);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
}

/* The server in the same process, as the built-in demo server is: each connection holds
 * two descriptors of the same limit. */
static void
test_budget_same_process (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;

  aw_demo_server_set_latency (server, 0.2, 0.2);
  aw_demo_server_start (server, 0, &error);
  g_assert_no_error (error);
  run_within_budget (aw_demo_server_get_base_uri (server));
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* First, while the process has no thread of GLib's yet: it forks. */
#ifdef G_OS_UNIX
  g_test_add_func ("/descriptors/budget", test_budget);
  g_test_add_func ("/descriptors/budget-same-process", test_budget_same_process);
#endif
  g_test_add_func ("/descriptors/prepare", test_prepare);
  return g_test_run ();
}
