/* test-demo-server.c: the demo server answers real HTTP in the prevision-meteo.ch shape, and
 * holds its limits against clients that misbehave
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "aw-demo-server.h"
#include "aw-test-utils.h"

/* GET @path with libsoup's blocking API; returns the body, sets the status and the time. */
static GBytes *
get (AwDemoServer *server,
     const char   *path,
     guint        *status,
     gint64       *elapsed_us)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (aw_demo_server_get_base_uri (server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  GBytes *body;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (elapsed_us != NULL)
    *elapsed_us = g_get_monotonic_time () - started;
  return body;
}

static JsonObject *
current_condition (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  return json_object_ref (json_object_get_object_member (root, "current_condition"));
}

static void
test_answers (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(JsonObject) current = NULL;
  gint64 elapsed;
  guint status;

  aw_demo_server_set_latency (server, 0.2, 0.2);
  g_assert_true (aw_demo_server_start (server, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (aw_demo_server_get_port (server), >, 0);
  g_assert_true (g_str_has_prefix (aw_demo_server_get_base_uri (server), "http://127.0.0.1:"));

  first = get (server, "/services/json/Paris", &status, &elapsed);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (elapsed, >=, 200000);
  current = current_condition (first);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (current, "tmp")), ==,
                   G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (current, "humidity"), >=, 40);
  g_assert_nonnull (json_object_get_string_member (current, "condition_key"));

  /* Stable per city. */
  second = get (server, "/services/json/Paris", &status, NULL);
  g_assert_true (g_bytes_equal (first, second));
  g_assert_cmpuint (aw_demo_server_get_n_requests (server), ==, 2);

  /* Not the weather path: 404. */
  g_clear_pointer (&second, g_bytes_unref);
  second = get (server, "/services/xml/Paris", &status, NULL);
  g_assert_cmpuint (status, ==, 404);

  aw_demo_server_stop (server);
}

static void
test_latency_and_faults (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gint64 elapsed;
  guint status;

  aw_demo_server_set_latency (server, 0.01, 0.01);
  aw_demo_server_set_city_latency (server, "Slow", 0.3);
  aw_demo_server_set_city_fault (server, "Down", AW_DEMO_FAULT_ERROR_STATUS);
  aw_demo_server_set_city_fault (server, "Garbled", AW_DEMO_FAULT_MALFORMED);
  aw_demo_server_set_city_fault (server, "Atlantis", AW_DEMO_FAULT_NOT_FOUND);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  body = get (server, "/services/json/Slow", &status, &elapsed);
  g_assert_cmpint (elapsed, >=, 300000);
  g_clear_pointer (&body, g_bytes_unref);

  body = get (server, "/services/json/Down", &status, NULL);
  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "<html>"));
  g_clear_pointer (&body, g_bytes_unref);

  body = get (server, "/services/json/Garbled", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                              g_bytes_get_size (body), NULL));
  g_clear_pointer (&body, g_bytes_unref);

  body = get (server, "/services/json/Atlantis", &status, NULL);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "\"errors\""));
  g_clear_pointer (&body, g_bytes_unref);

  /* A failure rate of one half: every second request fails. */
  aw_demo_server_set_failure_rate (server, 0.5);
  body = get (server, "/services/json/Paris", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&body, g_bytes_unref);
  body = get (server, "/services/json/Paris", &status, NULL);
  g_assert_cmpuint (status, ==, 503);
}

static void
on_answer (GObject      *session,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (session), result,
                                                              NULL);

  g_assert_nonnull (body);
  *(gint64 *)user_data = g_get_monotonic_time ();
}

static void
send_async (SoupSession  *session,
            AwDemoServer *server,
            const char   *path,
            gint64       *answered_us)
{
  g_autofree char *uri = g_strconcat (aw_demo_server_get_base_uri (server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_answer,
                                    answered_us);
}

/* The count changes on the server's thread, which wakes this loop at each change. */
static void
wait_for_requests (AwDemoServer *server,
                   guint         n)
{
  aw_demo_server_set_observer (server, g_main_context_default ());
  while (aw_demo_server_get_n_requests (server) < n)
    g_main_context_iteration (NULL, TRUE);
  aw_demo_server_set_observer (server, NULL);
}

/* Requests in flight together are answered as their own latency passes, not in the order
 * they came: a slow city does not hold back a fast one. */
static void
test_latency_order (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  gint64 slow_us = 0, fast_us = 0;

  aw_demo_server_set_latency (server, 0.05, 0.05);
  aw_demo_server_set_city_latency (server, "Slow", 0.5);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  send_async (session, server, "/services/json/Slow", &slow_us);
  wait_for_requests (server, 1);
  send_async (session, server, "/services/json/Paris", &fast_us);
  while (slow_us == 0 || fast_us == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (fast_us, <, slow_us);
}

static guint
count_open_files (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Every connection a client closes is closed and freed on the server's side too. */
static void
test_connections_released (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;
  guint before, after;

  aw_demo_server_set_latency (server, 0.0, 0.0);
  aw_demo_server_start (server, 0, &error);
  g_assert_no_error (error);
  before = count_open_files ();

  for (guint i = 0; i < 40; i++)
    {
      guint status;
      g_autoptr(GBytes) body = get (server, "/services/json/Paris", &status, NULL);

      g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
    }

  /* The server thread closes them as it notices, and says so. */
  aw_demo_server_set_observer (server, g_main_context_default ());
  while (aw_demo_server_get_n_connections (server) > 0)
    g_main_context_iteration (NULL, TRUE);
  aw_demo_server_set_observer (server, NULL);
  after = count_open_files ();
  g_assert_cmpuint (after, <=, before);
}

/* Sends @headers, then @block again and again (if any) until the server answers: it must
 * answer without reading a body larger than its cap, whatever the request announced. */
static void
assert_body_refused (AwDemoServer *server,
                     const char   *headers,
                     const char   *block,
                     gsize         block_size)
{
  g_autoptr(GSocket) socket = aw_test_connect (aw_demo_server_get_port (server));
  g_autofree char *answer = NULL;
  gsize sent = 0;

  g_assert_true (aw_test_send_all (socket, headers, strlen (headers)));
  /* 64 MiB at most: past that, the server has read far beyond its cap. */
  while (block != NULL && !aw_test_has_spoken (socket) && sent < 64 * 1024 * 1024)
    {
      if (!aw_test_send_all (socket, block, block_size))
        break;
      sent += block_size;
    }
  answer = aw_test_read_to_end (socket);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413 "));
  g_assert_cmpuint (sent, <, 64 * 1024 * 1024);
}

static void
test_body_cap (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *zeros = g_malloc0 (64 * 1024);
  g_autofree char *chunk = g_strdup_printf ("4000\r\n%0*d\r\n", 0x4000, 0);
  g_autoptr(GSocket) small = NULL;
  g_autofree char *answer = NULL;
  const char small_post[] = "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Length: 1000\r\n\r\n";

  aw_demo_server_set_latency (server, 0, 0);
  aw_demo_server_set_limits (server, 0, 0, 0, 1000);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  /* Announced, 600 MiB: refused on the headers alone, before a byte of it. */
  assert_body_refused (server, "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Content-Length: 629145600\r\n\r\n", NULL, 0);
  /* Announced, and sent: the server reads no more than it needs to refuse it. */
  assert_body_refused (server, "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Content-Length: 629145600\r\n\r\n", zeros, 64 * 1024);
  /* Not announced: chunks of 16 KiB, without end. */
  assert_body_refused (server, "POST /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n", chunk, strlen (chunk));

  /* At the cap, the request is read and answered as any other (a GET-only service: 405). */
  small = aw_test_connect (aw_demo_server_get_port (server));
  g_assert_true (aw_test_send_all (small, small_post, sizeof small_post - 1));
  g_assert_true (aw_test_send_all (small, zeros, 1000));
  answer = aw_test_read_to_end (small);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 405 "));
  g_assert_cmpuint (aw_demo_server_get_n_requests (server), ==, 0);
}

/* A connection that sends nothing is closed after the idle timeout; a request is served. */
static void
test_idle_timeout (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) idle = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *answer = NULL;
  gint64 started, elapsed;
  guint status;

  aw_demo_server_set_latency (server, 0, 0);
  aw_demo_server_set_limits (server, 0, 0.3, 0, 0);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  started = g_get_monotonic_time ();
  idle = aw_test_connect (aw_demo_server_get_port (server));
  answer = aw_test_read_to_end (idle);
  elapsed = g_get_monotonic_time () - started;
  g_assert_cmpstr (answer, ==, "");
  g_assert_cmpint (elapsed, >=, 300000);

  body = get (server, "/services/json/Paris", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* Headers sent a byte at a time are cut off at the header timeout, long before they end. */
static void
test_header_timeout (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) slow = NULL;
  const char start[] = "GET /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  gint64 started, elapsed;
  guint sent = 0;

  aw_demo_server_set_latency (server, 0, 0);
  /* The idle timeout is far: only the header timeout may end this. */
  aw_demo_server_set_limits (server, 0, 60, 0.5, 0);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  started = g_get_monotonic_time ();
  slow = aw_test_connect (aw_demo_server_get_port (server));
  g_assert_true (aw_test_send_all (slow, start, sizeof start - 1));
  /* The client's own pace, a byte every 20 ms: 600 of them would take 12 s. */
  while (!aw_test_has_spoken (slow) && sent < 600 && aw_test_send_all (slow, "x", 1))
    {
      sent++;
      g_usleep (20000);
    }
  g_assert_true (aw_test_has_spoken (slow) || sent < 600);
  g_free (aw_test_read_to_end (slow));
  elapsed = g_get_monotonic_time () - started;
  g_assert_cmpint (elapsed, >=, 500000);
  g_assert_cmpuint (sent, <, 600);
  g_assert_cmpuint (aw_demo_server_get_n_requests (server), ==, 0);
}

static void
on_held_answer (GObject      *session,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (session), result,
                                                              NULL);

  (*(guint *)user_data)++;
}

/* At the limit with real requests in every slot, a newcomer is answered 503. */
static void
test_connection_limit (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) newcomer = NULL;
  g_autofree char *answer = NULL;
  guint n_done = 0;

  aw_demo_server_set_latency (server, 0, 0);
  aw_demo_server_set_city_latency (server, "Held", 60);
  aw_demo_server_set_limits (server, 2, 0, 0, 0);
  g_assert_true (aw_demo_server_start (server, 0, &error));
  uri = g_strconcat (aw_demo_server_get_base_uri (server), "/services/json/Held", NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                                        on_held_answer, &n_done);
    }
  wait_for_requests (server, 2);

  newcomer = aw_test_connect (aw_demo_server_get_port (server));
  answer = aw_test_read_to_end (newcomer);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 503 "));

  g_cancellable_cancel (cancellable);
  while (n_done < 2)
    g_main_context_iteration (NULL, TRUE);
}

/* At the limit, a newcomer takes the place of the connection idle the longest. */
static void
test_idle_evicted (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) oldest = NULL;
  g_autoptr(GSocket) younger = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *answer = NULL;
  const char lyon[] = "GET /services/json/Lyon HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  guint status;

  aw_demo_server_set_latency (server, 0, 0);
  aw_demo_server_set_limits (server, 2, 0, 0, 0);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  oldest = aw_test_connect (aw_demo_server_get_port (server));
  younger = aw_test_connect (aw_demo_server_get_port (server));
  body = get (server, "/services/json/Paris", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  answer = aw_test_read_to_end (oldest);
  g_assert_cmpstr (answer, ==, "");
  /* The younger one is still open, and may still be served. */
  g_assert_true (aw_test_send_all (younger, lyon, sizeof lyon - 1));
  g_clear_pointer (&answer, g_free);
  answer = aw_test_read_to_end (younger);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200 "));
}

#ifdef G_OS_UNIX
static GMutex warned_mutex;
static GCond warned_cond;
static guint n_warnings;

static void
count_warning (const char     *domain,
               GLogLevelFlags  level,
               const char     *message,
               gpointer        user_data)
{
  g_printerr ("%s\n", message);
  g_mutex_lock (&warned_mutex);
  n_warnings++;
  g_cond_signal (&warned_cond);
  g_mutex_unlock (&warned_mutex);
}

static gint64
cpu_time_us (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* Out of descriptors, the server warns once, waits without spinning, and serves the clients
 * that waited once descriptors come back. Run in a child: it lowers its own limit. */
static void
test_descriptors_exhausted (void)
{
  g_autoptr(AwDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) fillers = g_array_new (FALSE, FALSE, sizeof (int));
  GSocket *clients[4];
  struct rlimit limit;
  const char request[] = "GET /services/json/Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  gint64 deadline, wall, cpu;
  int fd;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*out of file descriptors*");
      return;
    }

  /* The warning is the subject here, not a failure. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_handler ("aw-core", G_LOG_LEVEL_WARNING, count_warning, NULL);
  getrlimit (RLIMIT_NOFILE, &limit);
  limit.rlim_cur = 256;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

  server = aw_demo_server_new ();
  aw_demo_server_set_latency (server, 0, 0);
  g_assert_true (aw_demo_server_start (server, 0, &error));

  /* Every descriptor left taken, then clients that wait in the server's backlog. */
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                               NULL);
  while ((fd = open ("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
    g_array_append_val (fillers, fd);
  g_assert_cmpint (errno, ==, EMFILE);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                     aw_demo_server_get_port (server));

      g_socket_set_timeout (clients[i], 30);
      g_assert_true (g_socket_connect (clients[i], address, NULL, &error));
      g_assert_true (aw_test_send_all (clients[i], request, sizeof request - 1));
    }

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_mutex_lock (&warned_mutex);
  while (n_warnings == 0 && g_cond_wait_until (&warned_cond, &warned_mutex, deadline))
    ;
  g_mutex_unlock (&warned_mutex);
  g_assert_cmpuint (n_warnings, ==, 1);

  /* A second of exhaustion: a server that retried at every turn would use it all. */
  wall = g_get_monotonic_time ();
  cpu = cpu_time_us ();
  g_usleep (G_USEC_PER_SEC);
  wall = g_get_monotonic_time () - wall;
  cpu = cpu_time_us () - cpu;
  g_test_message ("CPU while out of descriptors: %" G_GINT64_FORMAT " µs in %" G_GINT64_FORMAT " µs",
                  cpu, wall);
  g_assert_cmpint (cpu, <, wall / 10);
  g_assert_cmpuint (n_warnings, ==, 1);

  for (guint i = 0; i < fillers->len; i++)
    close (g_array_index (fillers, int, i));
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *answer = aw_test_read_to_end (clients[i]);

      g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200 "));
      g_object_unref (clients[i]);
    }
  g_assert_cmpuint (n_warnings, ==, 1);
}
#endif

static void
test_body_shape (void)
{
  g_autofree char *body = aw_demo_server_build_body ("Besançon \"quoted\"");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "city_info"),
                                                  "name"), ==, "Besançon \"quoted\"");
}

static char *
condition_for (const char *accept_language)
{
  g_autofree char *body = aw_demo_server_build_body_for ("Paris", accept_language);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member (
    json_object_get_object_member (root, "current_condition"), "condition"));
}

/* The conditions come in the client's language: the first of Accept-Language it has. */
static void
test_languages (void)
{
  static const struct { const char *header; const char *condition; } cases[] = {
    { NULL, "Orage modéré" },              /* prevision-meteo.ch's own French */
    { "", "Orage modéré" },
    { "fr-FR, fr;q=0.9", "Orage modéré" },
    { "en-us, en;q=0.9", "Moderate thunderstorm" },
    { "zh-CN, zh;q=0.9, en;q=0.8", "中雷雨" },
    { "de-DE, zh_TW;q=0.8", "中雷雨" },
    { "de, ja", "Moderate thunderstorm" }, /* none it has: English */
    { "frisian, en", "Moderate thunderstorm" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *condition = condition_for (cases[i].header);

      g_assert_cmpstr (condition, ==, cases[i].condition);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-server/languages", test_languages);

  g_test_add_func ("/demo-server/answers", test_answers);
  g_test_add_func ("/demo-server/latency-and-faults", test_latency_and_faults);
  g_test_add_func ("/demo-server/latency-order", test_latency_order);
  g_test_add_func ("/demo-server/body-shape", test_body_shape);
  g_test_add_func ("/demo-server/connections-released", test_connections_released);
  g_test_add_func ("/demo-server/body-cap", test_body_cap);
  g_test_add_func ("/demo-server/idle-timeout", test_idle_timeout);
  g_test_add_func ("/demo-server/header-timeout", test_header_timeout);
  g_test_add_func ("/demo-server/connection-limit", test_connection_limit);
  g_test_add_func ("/demo-server/idle-evicted", test_idle_evicted);
#ifdef G_OS_UNIX
  g_test_add_func ("/demo-server/descriptors-exhausted", test_descriptors_exhausted);
#endif

  return g_test_run ();
}
