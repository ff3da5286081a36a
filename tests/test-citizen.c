/* test-citizen.c: manners towards the real services, against loopback servers standing in for
 * them: connections per host, the large-run refusal, Retry-After, the geocoding cache and the
 * User-Agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "aw-fetch-run.h"
#include "aw-host-policy.h"

/* A small HTTP/1.1 server with a thread per connection, so that it counts connections exactly
 * (open at once, and at most) and answers while the test's own thread waits on a process. */
typedef struct
{
  GSocketService *service;
  GMainContext   *context;         /* the server's own thread accepts there */
  GMainLoop      *loop;
  GThread        *thread;
  char           *base;
  GMutex          mutex;
  int             conns;
  int             max_conns;
  guint           n_requests;
  guint           n_geocoding;
  gulong          delay_us;        /* before each answer but the throttled one */
  char           *retry_after;     /* answered, with a 429, to the first request; then NULL */
  gint64          throttled_at;    /* monotonic, when the 429 was sent */
  GArray         *request_times;   /* gint64, monotonic, of each request's arrival */
  char           *user_agent;
} Server;

static char *
read_fixture (const char *name,
              gsize      *len)
{
  g_autofree char *path = g_build_filename (FIXTURES_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static gboolean
on_connection (GThreadedSocketService *service,
               GSocketConnection      *connection,
               GObject                *source_object,
               Server                 *server)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  g_mutex_lock (&server->mutex);
  server->conns++;
  server->max_conns = MAX (server->max_conns, server->conns);
  g_mutex_unlock (&server->mutex);

  for (;;)
    {
      g_autofree char *request = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      g_autofree char *body = NULL;
      g_autofree char *head = NULL;
      g_autofree char *retry_after = NULL;
      gint64 now = g_get_monotonic_time ();
      const char *fixture;
      gsize len = 0;

      if (request == NULL)
        break;
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

          if (line == NULL || *g_strchomp (line) == '\0')
            break;
          if (g_ascii_strncasecmp (line, "User-Agent:", 11) == 0)
            {
              g_mutex_lock (&server->mutex);
              g_free (server->user_agent);
              server->user_agent = g_strdup (g_strstrip (line + 11));
              g_mutex_unlock (&server->mutex);
            }
        }

      g_mutex_lock (&server->mutex);
      server->n_requests++;
      g_array_append_val (server->request_times, now);
      if (strstr (request, "/v1/search") != NULL)
        server->n_geocoding++;
      retry_after = g_steal_pointer (&server->retry_after);
      if (retry_after != NULL)
        server->throttled_at = g_get_monotonic_time ();
      g_mutex_unlock (&server->mutex);

      if (retry_after != NULL)
        head = g_strdup_printf ("HTTP/1.1 429 Too Many Requests\r\nRetry-After: %s\r\n"
                                "Content-Length: 0\r\n\r\n", retry_after);
      else
        {
          /* Latency stands in for a real service's. */
          g_usleep (server->delay_us);
          fixture = strstr (request, "/v1/search") ? "open-meteo-geocoding-berlin.json"
                    : strstr (request, "/v1/forecast") ? "open-meteo-forecast-current.json"
                    : "prevision-meteo-lausanne.json";
          body = read_fixture (fixture, &len);
          head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", len);
        }
      if (!g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL)
          || (len > 0 && !g_output_stream_write_all (out, body, len, NULL, NULL, NULL)))
        break;
    }

  g_mutex_lock (&server->mutex);
  server->conns--;
  g_mutex_unlock (&server->mutex);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Accepts on a thread of its own: the test's thread may be blocked waiting for a process. */
static gpointer
server_thread (gpointer data)
{
  Server *server = data;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_main_context_push_thread_default (server->context);
  server->service = g_threaded_socket_service_new (200);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (server->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (server->service, "run", G_CALLBACK (on_connection), server);
  g_socket_service_start (server->service);
  g_mutex_lock (&server->mutex);
  server->base = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_mutex_unlock (&server->mutex);

  g_main_loop_run (server->loop);

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static Server *
server_new (gulong delay_us)
{
  Server *server = g_new0 (Server, 1);
  gboolean ready = FALSE;

  g_mutex_init (&server->mutex);
  server->delay_us = delay_us;
  server->request_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("test-server", server_thread, server);
  while (!ready)
    {
      g_mutex_lock (&server->mutex);
      ready = server->base != NULL;
      g_mutex_unlock (&server->mutex);
      g_thread_yield ();
    }
  return server;
}

/* The connections close with the run's sessions: wait for them before freeing. */
static void
server_free (Server *server)
{
  gint64 guard = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  for (;;)
    {
      int conns;

      g_mutex_lock (&server->mutex);
      conns = server->conns;
      g_mutex_unlock (&server->mutex);
      if (conns == 0 || g_get_monotonic_time () > guard)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
  g_object_unref (server->service);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_array_unref (server->request_times);
  g_free (server->base);
  g_free (server->retry_after);
  g_free (server->user_agent);
  g_mutex_clear (&server->mutex);
  g_free (server);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(gboolean *)user_data = TRUE;
}

static GStrv
make_cities (guint n)
{
  GStrv cities = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    cities[i] = g_strdup_printf ("city%u", i);
  return cities;
}

static AwFetchRun *
run_cities (const char         *provider_name,
            const char         *base,
            AwMode              mode,
            const char * const *cities,
            guint               conns_per_host,
            double              timeout_s)
{
  g_autoptr(AwProvider) provider = aw_provider_new_for_name (provider_name, base, NULL);
  AwFetchRun *run = aw_fetch_run_new (provider, mode, cities);
  gboolean done = FALSE;

  aw_fetch_run_set_conns_per_host (run, conns_per_host);
  aw_fetch_run_set_timeout (run, timeout_s);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return run;
}

static void
assert_all_succeeded (AwFetchRun *run)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      if (aw_task_get_state (task) != AW_TASK_SUCCEEDED)
        g_test_message ("%s: %s", aw_task_get_city (task), aw_task_get_error (task)->message);
      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
    }
}

/* A real service gets 6 connections at most; the demo server, one per task. */
static void
test_conns_per_host (gconstpointer data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  g_auto(GStrv) cities = make_cities (20);
  Server *real = server_new (100 * 1000);
  Server *demo = server_new (100 * 1000);
  Server *lowered = server_new (100 * 1000);
  g_autoptr(AwFetchRun) run = NULL;

  run = run_cities ("prevision", real->base, mode, (const char * const *)cities, 0, 30);
  assert_all_succeeded (run);
  g_clear_object (&run);
  run = run_cities ("demo", demo->base, mode, (const char * const *)cities, 0, 30);
  assert_all_succeeded (run);
  g_clear_object (&run);
  run = run_cities ("prevision", lowered->base, mode, (const char * const *)cities, 3, 30);
  assert_all_succeeded (run);
  g_clear_object (&run);

  g_test_message ("most connections at once: real %d, demo %d, lowered to 3: %d",
                  real->max_conns, demo->max_conns, lowered->max_conns);
  g_assert_cmpint (real->max_conns, <=, AW_REAL_CONNS_PER_HOST);
  g_assert_cmpint (real->max_conns, >=, 2);
  g_assert_cmpint (demo->max_conns, >, AW_REAL_CONNS_PER_HOST);
  g_assert_cmpint (lowered->max_conns, <=, 3);
  server_free (real);
  server_free (demo);
  server_free (lowered);
}

/* One 429 with Retry-After: 1, then answers: the tasks that had not started wait for the hold
 * and say why; those in flight go on. */
static void
test_retry_after (gconstpointer data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  g_auto(GStrv) cities = make_cities (10);
  Server *server = server_new (200 * 1000);
  g_autoptr(AwFetchRun) run = NULL;
  guint n_held = 0, n_throttled = 0, n_later = 0;

  server->retry_after = g_strdup ("1");
  run = run_cities ("prevision", server->base, mode, (const char * const *)cities, 0, 30);

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const char *note = aw_task_get_note (task);

      if (aw_task_get_state (task) == AW_TASK_FAILED)
        {
          g_assert_nonnull (strstr (aw_task_get_error (task)->message, "429"));
          /* In every mode, Threads too, the task that got the answer says what it caused. */
          g_assert_nonnull (note);
          g_assert_nonnull (strstr (note, "asked to wait"));
          n_throttled++;
        }
      else
        g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
      if (note != NULL && g_str_has_prefix (note, "Held back"))
        {
          g_assert_nonnull (strstr (note, "429"));
          n_held++;
        }
    }
  g_assert_cmpuint (n_throttled, ==, 1);
  g_assert_cmpuint (n_held, >=, 1);

  /* The first requests were in flight together (one in sequence, six at most otherwise); the
   * 429 held back every later one, sent only once the hold was over. */
  for (guint i = mode == AW_MODE_SEQUENTIAL ? 1 : AW_REAL_CONNS_PER_HOST;
       i < server->request_times->len; i++)
    {
      gint64 at = g_array_index (server->request_times, gint64, i);

      g_assert_cmpint (at - server->throttled_at, >=, G_USEC_PER_SEC);
      n_later++;
    }
  g_test_message ("%u tasks held back, %u requests after the hold", n_held, n_later);
  g_assert_cmpuint (n_later, >=, n_held);
  g_clear_object (&run);
  server_free (server);
}

/* Retry-After as an HTTP date, a few seconds ahead: held until then. */
static void
test_retry_after_date (void)
{
  g_auto(GStrv) cities = make_cities (3);
  Server *server = server_new (0);
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 3);
  gint64 second_request;
  const char *note;

  server->retry_after = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  run = run_cities ("prevision", server->base, AW_MODE_SEQUENTIAL,
                    (const char * const *)cities, 0, 30);
  note = aw_task_get_note (aw_fetch_run_get_task (run, 1));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "Held back"));
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 2)), ==, AW_TASK_SUCCEEDED);
  g_assert_cmpuint (server->request_times->len, ==, 3);
  second_request = g_array_index (server->request_times, gint64, 1);
  g_assert_cmpint (second_request - server->throttled_at, >=, G_USEC_PER_SEC);
  g_clear_object (&run);
  server_free (server);
}

/* A Retry-After far away holds no longer than a task's timeout. */
static void
test_retry_after_capped (void)
{
  g_auto(GStrv) cities = make_cities (3);
  Server *server = server_new (0);
  g_autoptr(AwFetchRun) run = NULL;
  const char *note;

  server->retry_after = g_strdup ("Wed, 21 Oct 2099 07:28:00 GMT");
  run = run_cities ("prevision", server->base, AW_MODE_SEQUENTIAL,
                    (const char * const *)cities, 0, 1);
  note = aw_task_get_note (aw_fetch_run_get_task (run, 1));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "wait 1 s"));
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 1)), ==, AW_TASK_SUCCEEDED);
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 2)), ==, AW_TASK_SUCCEEDED);
  g_clear_object (&run);
  server_free (server);
}

static void
test_user_agent (void)
{
  const char * const cities[] = { "Lausanne", NULL };
  Server *server = server_new (0);
  g_autoptr(AwFetchRun) run = NULL;

  run = run_cities ("prevision", server->base, AW_MODE_CONCURRENT, cities, 0, 30);
  assert_all_succeeded (run);
  g_test_message ("User-Agent: %s", server->user_agent);
  g_assert_nonnull (server->user_agent);
  g_assert_true (g_str_has_prefix (server->user_agent, "async-weather/" PACKAGE_VERSION " "));
  g_assert_nonnull (strstr (server->user_agent, PACKAGE_URL));
  g_assert_true (g_str_has_prefix (PACKAGE_URL, "https://"));
  g_clear_object (&run);
  server_free (server);
}

/* In one process: the second run's task makes one request, and says where the place came from. */
static void
test_cache_in_process (gconstpointer data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  const char * const cities[] = { "Berlin", NULL };
  Server *server = server_new (0);
  g_autoptr(AwFetchRun) first = NULL;
  g_autoptr(AwFetchRun) second = NULL;
  AwTask *task;

  first = run_cities ("open-meteo", server->base, mode, cities, 0, 30);
  assert_all_succeeded (first);
  g_assert_cmpuint (aw_task_get_n_requests (aw_fetch_run_get_task (first, 0)), ==, 2);
  g_assert_null (aw_task_get_note (aw_fetch_run_get_task (first, 0)));

  second = run_cities ("open-meteo", server->base, mode, cities, 0, 30);
  assert_all_succeeded (second);
  task = aw_fetch_run_get_task (second, 0);
  g_assert_cmpuint (aw_task_get_n_requests (task), ==, 1);
  g_assert_nonnull (strstr (aw_task_get_request_uri (task, 0), "/v1/forecast"));
  g_assert_cmpstr (aw_task_get_note (task), ==, "Coordinates from cache");
  g_assert_cmpstr (aw_task_get_weather (task)->place, ==,
                   aw_task_get_weather (aw_fetch_run_get_task (first, 0))->place);
  g_assert_cmpuint (server->n_geocoding, ==, 1);
  g_clear_object (&first);
  g_clear_object (&second);
  server_free (server);
}

/* The command line, with a cache directory of its own. */
static int
run_cli (const char  *cache_home,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *)CLI_PATH);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache_home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* A temporary directory and what the processes left in it (GIO may leave caches of its own). */
static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static char *
cache_file (const char *cache_home)
{
  return g_build_filename (cache_home, "async-weather", "geocoding.json", NULL);
}

/* Two processes: the second asks no geocoding, and its task says so. */
static void
test_cache_on_disk (void)
{
  g_autofree char *home = g_dir_make_tmp ("aw-cache-XXXXXX", NULL);
  g_autofree char *path = cache_file (home);
  g_autofree char *out1 = NULL, *out2 = NULL, *err1 = NULL, *err2 = NULL;
  g_autofree char *base_arg = NULL;
  Server *server = server_new (0);

  base_arg = g_strdup_printf ("--base-url=%s", server->base);
  g_assert_cmpint (run_cli (home, &out1, &err1, "-p", "open-meteo", base_arg, "--json", "Berlin",
                            NULL), ==, 0);
  g_assert_cmpuint (server->n_geocoding, ==, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_cmpint (run_cli (home, &out2, &err2, "-p", "open-meteo", base_arg, "--json", "Berlin",
                            NULL), ==, 0);
  g_test_message ("%s", out2);
  g_assert_cmpuint (server->n_geocoding, ==, 1);
  g_assert_cmpuint (server->n_requests, ==, 3);
  g_assert_nonnull (strstr (out2, "\"note\":\"Coordinates from cache\""));
  g_assert_null (strstr (out1, "Coordinates from cache"));

  remove_tree (home);
  server_free (server);
}

/* Whatever is in the file, a run still asks the service, succeeds, and leaves a good file. */
static void
test_cache_corrupt (void)
{
  g_autofree char *home = g_dir_make_tmp ("aw-cache-XXXXXX", NULL);
  g_autofree char *path = cache_file (home);
  g_autofree char *dir = g_path_get_dirname (path);
  Server *server = server_new (0);
  g_autofree char *base_arg = g_strdup_printf ("--base-url=%s", server->base);
  g_autofree char *wrong_types = g_strdup_printf (
    "{\"version\":1,\"entries\":[{\"key\":\"%s\\nen\\nBerlin\",\"place\":\"Nowhere\","
    "\"latitude\":\"999\",\"longitude\":0}]}", server->base);
  const char *corrupt[] = {
    "{\"version\":1,\"entries\":[{\"key\":",
    "\xff\xfe garbage \x01",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{\"version\":1,\"entries\":{\"a\":1}}",
    wrong_types,
  };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (corrupt); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *written = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (path, corrupt[i], -1, NULL));
      g_assert_cmpint (run_cli (home, &out, &err, "-p", "open-meteo", base_arg, "--json", "Berlin",
                                NULL),
                       ==, 0);
      g_assert_cmpuint (server->n_geocoding, ==, i + 1);
      g_assert_null (strstr (out, "Nowhere"));

      /* Replaced by a good one. */
      g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
      g_assert_true (json_parser_load_from_data (parser, written, -1, &error));
      g_assert_no_error (error);
      g_assert_nonnull (strstr (written, "Berlin"));
    }

  remove_tree (home);
  server_free (server);
}

/* More than 100 cities against a real service: refused without --allow-many, with exit 2. */
static void
test_many_cities (void)
{
  g_autofree char *home = g_dir_make_tmp ("aw-cache-XXXXXX", NULL);
  Server *server = server_new (0);
  g_autofree char *base_arg = g_strdup_printf ("--base-url=%s", server->base);
  g_auto(GStrv) cities = make_cities (101);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, CLI_PATH, "-p", "prevision", base_arg, NULL);
  g_strv_builder_addv (builder, (const char **)cities);
  argv = g_strv_builder_end (builder);

  process = g_subprocess_newv ((const char * const *)argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err, "--allow-many"));
  g_assert_nonnull (strstr (err, "101"));
  g_assert_cmpuint (server->n_requests, ==, 0);
  g_clear_object (&process);

  /* With the flag, it runs, within the connection limit. */
  {
    g_autoptr(GStrvBuilder) again = g_strv_builder_new ();
    g_auto(GStrv) argv2 = NULL;

    g_strv_builder_add_many (again, CLI_PATH, "--allow-many", "--conns-per-host=8", "--json",
                             "-p", "prevision", base_arg, NULL);
    g_strv_builder_addv (again, (const char **)cities);
    argv2 = g_strv_builder_end (again);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    process = g_subprocess_newv ((const char * const *)argv2, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                 | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpuint (server->n_requests, ==, 101);
  g_assert_cmpint (server->max_conns, <=, 8);
  /* More than a browser would open: said aloud. */
  g_assert_nonnull (strstr (err, "Warning"));
  g_assert_nonnull (strstr (err, "8 connections per host"));

  remove_tree (home);
  server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = g_dir_make_tmp ("aw-test-citizen-XXXXXX", NULL);
  int status;

  /* Before GLib reads it: this process's cache stays in a directory of its own. */
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/citizen/conns-per-host/concurrent",
                        GINT_TO_POINTER (AW_MODE_CONCURRENT), test_conns_per_host);
  g_test_add_data_func ("/citizen/conns-per-host/threads",
                        GINT_TO_POINTER (AW_MODE_THREADS), test_conns_per_host);
  g_test_add_data_func ("/citizen/retry-after/concurrent",
                        GINT_TO_POINTER (AW_MODE_CONCURRENT), test_retry_after);
  g_test_add_data_func ("/citizen/retry-after/threads",
                        GINT_TO_POINTER (AW_MODE_THREADS), test_retry_after);
  g_test_add_data_func ("/citizen/retry-after/sequential",
                        GINT_TO_POINTER (AW_MODE_SEQUENTIAL), test_retry_after);
  g_test_add_func ("/citizen/retry-after/http-date", test_retry_after_date);
  g_test_add_func ("/citizen/retry-after/capped", test_retry_after_capped);
  g_test_add_func ("/citizen/user-agent", test_user_agent);
  g_test_add_data_func ("/citizen/cache/in-process/concurrent",
                        GINT_TO_POINTER (AW_MODE_CONCURRENT), test_cache_in_process);
  g_test_add_data_func ("/citizen/cache/in-process/blocking",
                        GINT_TO_POINTER (AW_MODE_BLOCKING), test_cache_in_process);
  g_test_add_func ("/citizen/cache/on-disk", test_cache_on_disk);
  g_test_add_func ("/citizen/cache/corrupt", test_cache_corrupt);
  g_test_add_func ("/citizen/many-cities", test_many_cities);

  status = g_test_run ();
  remove_tree (cache_home);
  return status;
}
