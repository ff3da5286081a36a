/* test-hostile.c: hostile and broken servers, odd city names, faults mid-run, TLS
 *
 * A loopback server of the test's own misbehaves at the byte level (libsoup's server would
 * not send a truncated answer or reset a connection). Every hostile answer must be one task's
 * clear error, and the other tasks must not notice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <sys/socket.h>
#include <zlib.h>

#include "aw-demo-server.h"
#include "aw-fetch-run.h"
#include "aw-test-utils.h"

/* The runs' timeout: the silent and dripping servers end there. A slow build may need longer
 * for everything else, so it grows with the machine's slowdown, and so does the drip. */
#define TIMEOUT_S aw_test_scaled_s (1.5)
#define TIMEOUT_US ((gint64)(TIMEOUT_S * G_USEC_PER_SEC))

static const char ok_body[] =
  "{\"city_info\":{\"name\":\"ok\"},\"current_condition\":{\"tmp\":12,\"condition\":\"Ensoleillé\","
  "\"condition_key\":\"ensoleille\",\"humidity\":50,\"wnd_spd\":5}}";

static GBytes *gzip_bomb;

/* About 20 MB of spaces, gzipped to a few kilobytes. */
static GBytes *
make_gzip_bomb (void)
{
  gsize size = 20 * 1024 * 1024;
  g_autofree char *plain = g_malloc (size);
  z_stream stream = { 0 };
  gsize capacity = 64 * 1024;
  guint8 *out = g_malloc (capacity);

  memset (plain, ' ', size);
  g_assert_cmpint (deflateInit2 (&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
  stream.next_in = (guint8 *)plain;
  stream.avail_in = size;
  stream.next_out = out;
  stream.avail_out = capacity;
  g_assert_cmpint (deflate (&stream, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&stream);
  return g_bytes_new_take (out, stream.total_out);
}

/* Waits until the client goes away. */
static void
wait_for_close (GSocket *socket)
{
  char buffer[256];

  while (g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
}

static gboolean serve_deadline_class (GSocket    *socket,
                                      const char *name);

static void
serve_hostile (GSocket    *socket,
               const char *path)
{
  const char *name = strrchr (path, '/') + 1;

  if (g_str_equal (name, "ok"))
    aw_test_send_answer (socket, "200 OK", "Content-Type: application/json\r\n", ok_body,
                 strlen (ok_body));
  else if (g_str_equal (name, "html500"))
    aw_test_send_answer (socket, "500 Internal Server Error", "Content-Type: text/html\r\n",
                 "<html><body><h1>Oops</h1></body></html>", 39);
  else if (g_str_equal (name, "notjson"))
    aw_test_send_answer (socket, "200 OK", "", "Bonjour !", 9);
  else if (g_str_equal (name, "empty"))
    aw_test_send_answer (socket, "200 OK", "", "", 0);
  else if (g_str_equal (name, "truncated"))
    {
      const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"current_condition\":";

      aw_test_send_all (socket, head, strlen (head));
    }
  else if (g_str_equal (name, "wrongtypes"))
    {
      const char *body = "{\"city_info\":[],\"current_condition\":{\"tmp\":[12],"
                         "\"humidity\":\"wet\",\"condition\":42,\"condition_key\":{}}}";

      aw_test_send_answer (socket, "200 OK", "", body, strlen (body));
    }
  else if (g_str_equal (name, "rootarray"))
    aw_test_send_answer (socket, "200 OK", "", "[{\"current_condition\":{\"tmp\":1}}]", 33);
  else if (g_str_equal (name, "absurd"))
    aw_test_send_answer (socket, "200 OK", "", "{\"current_condition\":{\"tmp\":1e308}}", 35);
  else if (g_str_equal (name, "badutf8"))
    aw_test_send_answer (socket, "200 OK", "", "{\"current_condition\":{\"tmp\":1,\"condition\":\"\xff\xfe\"}}",
                 48);
  else if (g_str_equal (name, "nul"))
    aw_test_send_answer (socket, "200 OK", "", "{\"current_condition\":{\"tmp\":1}}\0{}", 34);
  else if (g_str_equal (name, "deep"))
    {
      g_autofree char *deep = g_strnfill (100000, '[');

      aw_test_send_answer (socket, "200 OK", "", deep, 100000);
    }
  else if (g_str_equal (name, "redirect"))
    aw_test_send_answer (socket, "302 Found", "Location: /services/json/redirect\r\n", "", 0);
  else if (g_str_equal (name, "huge"))
    {
      /* 50 MB announced and streamed for as long as the client reads. */
      const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n";
      g_autofree char *chunk = g_strnfill (64 * 1024, ' ');

      aw_test_send_all (socket, head, strlen (head));
      for (guint i = 0; i < 800; i++)
        if (g_socket_send (socket, chunk, 64 * 1024, NULL, NULL) <= 0)
          break;
    }
  else if (g_str_equal (name, "gzipbomb"))
    aw_test_send_answer (socket, "200 OK", "Content-Encoding: gzip\r\nContent-Type: application/json\r\n",
                 g_bytes_get_data (gzip_bomb, NULL), g_bytes_get_size (gzip_bomb));
  else if (g_str_equal (name, "silent"))
    wait_for_close (socket);
  else if (g_str_equal (name, "drip"))
    {
      const char *answer = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"current_condition\":{\"tmp\":1}}";

      for (const char *p = answer; *p; p++)
        {
          if (g_socket_send (socket, p, 1, NULL, NULL) <= 0)
            break;
          /* 40 bytes over ten timeouts: the run must not wait for all of it. */
          g_usleep (TIMEOUT_US / 4);
        }
    }
  else if (g_str_equal (name, "reset"))
    {
      struct linger linger = { 1, 0 };

      /* Closing with a zero linger sends a reset, not a clean end. */
      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }
  else if (serve_deadline_class (socket, name))
    ;
  else
    aw_test_send_answer (socket, "404 Not Found", "", "", 0);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(gboolean *)user_data = TRUE;
}

static AwFetchRun *
run_cities_with_timeout (const char         *provider_name,
                         const char         *base,
                         AwMode              mode,
                         const char * const *cities,
                         double              timeout_s)
{
  g_autoptr(AwProvider) provider = aw_provider_new_for_name (provider_name, base, NULL);
  AwFetchRun *run = aw_fetch_run_new (provider, mode, cities);
  gboolean done = FALSE;

  aw_fetch_run_set_timeout (run, timeout_s);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return run;
}

static AwFetchRun *
run_cities (const char         *provider_name,
            const char         *base,
            AwMode              mode,
            const char * const *cities)
{
  return run_cities_with_timeout (provider_name, base, mode, cities, TIMEOUT_S);
}

static void
assert_failed_with (AwTask *task,
                    GQuark  domain,
                    int     code)
{
  const GError *error = aw_task_get_error (task);

  g_test_message ("%s: %s", aw_task_get_city (task), error ? error->message : "(no error)");
  g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_FAILED);
  g_assert_nonnull (error);
  g_assert_cmpuint (strlen (error->message), >, 5);
  if (domain != 0)
    g_assert_error (error, domain, code);
}

/* Every hostile answer at once, beside a good one, in a run that ends at its timeout. */
static void
test_hostile_answers (gconstpointer data)
{
  static const char * const cities[] = {
    "ok", "html500", "notjson", "empty", "truncated", "wrongtypes", "rootarray", "absurd",
    "badutf8", "nul", "deep", "redirect", "huge", "gzipbomb", "silent", "drip", "reset", "ok",
    NULL,
  };
  AwMode mode = GPOINTER_TO_INT (data);
  g_autofree char *base = aw_test_raw_server_start (serve_hostile);
  g_autoptr(AwFetchRun) run = NULL;
  gint64 started = g_get_monotonic_time ();
  GQuark bad = AW_PROVIDER_ERROR;

  run = run_cities ("prevision", base, mode, cities);
  /* Not the drip's ten timeouts, nor the silent server's forever. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * TIMEOUT_US);

#define TASK(i) aw_fetch_run_get_task (run, i)
  g_assert_cmpint (aw_task_get_state (TASK (0)), ==, AW_TASK_SUCCEEDED);
  g_assert_cmpfloat (aw_task_get_weather (TASK (0))->temperature_c, ==, 12);
  g_assert_cmpint (aw_task_get_state (TASK (17)), ==, AW_TASK_SUCCEEDED);
  assert_failed_with (TASK (1), bad, AW_PROVIDER_ERROR_HTTP);
  g_assert_nonnull (strstr (aw_task_get_error (TASK (1))->message, "500"));
  assert_failed_with (TASK (2), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (3), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (4), 0, 0);
  assert_failed_with (TASK (5), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (6), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (7), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (8), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (9), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (10), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (11), SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS);
  assert_failed_with (TASK (12), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (13), bad, AW_PROVIDER_ERROR_BAD_ANSWER);
  assert_failed_with (TASK (14), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_failed_with (TASK (15), G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_failed_with (TASK (16), 0, 0);
  /* Far larger than any answer: refused before the timeout, as soon as the cap was passed. */
  g_assert_cmpint (aw_task_get_active_us (TASK (12)), <, TIMEOUT_US);
  g_assert_cmpint (aw_task_get_active_us (TASK (13)), <, TIMEOUT_US);
#undef TASK
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 16);
}

/* A name that never resolves (.invalid is reserved for that) fails alone, in bounded time. */
static void
test_unresolvable (void)
{
  static const char * const cities[] = { "Paris", NULL };
  g_autoptr(AwFetchRun) run = run_cities ("prevision", "http://no-such-host.invalid",
                                          AW_MODE_CONCURRENT, cities);

  assert_failed_with (aw_fetch_run_get_task (run, 0), 0, 0);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, 2 * TIMEOUT_US);
}

/* People type anything: each name is fetched exactly as typed, or refused before sending. */
static void
test_odd_city_names (void)
{
  g_autofree char *long_name = g_strnfill (3000, 'x');
  const char * const cities[] = {
    "New York", "Besançon", "北京", "東京都", "🌧️ Rainville", "a/b", "what?", "#hash", "100%",
    "%2F", "a&b=c", "x+y", "Saint-Étienne-du-Rouvray", "..", ".", "tab\there", "nl\nhere",
    "bell\x07", long_name, "  Padded  ", "' OR 1=1 --", "<script>", NULL,
  };
  /* What the server must see for each name: NULL where the name is refused. */
  const char * const seen[] = {
    "New York", "Besançon", "北京", "東京都", "🌧️ Rainville", "a/b", "what?", "#hash", "100%",
    "%2F", "a&b=c", "x+y", "Saint-Étienne-du-Rouvray", NULL, NULL, NULL, NULL, NULL, NULL,
    "Padded", "' OR 1=1 --", "<script>",
  };
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GError) error = NULL;

  aw_demo_server_set_latency (server, 0.01, 0.01);
  aw_demo_server_start (server, 0, &error);
  g_assert_no_error (error);
  run = run_cities ("demo", aw_demo_server_get_base_uri (server), AW_MODE_CONCURRENT, cities);

  for (guint i = 0; i < G_N_ELEMENTS (seen); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      if (seen[i] == NULL)
        {
          assert_failed_with (task, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY);
          g_assert_cmpuint (aw_task_get_n_requests (task), ==, 0);
        }
      else
        {
          const char *uri = aw_task_get_request_uri (task, 0);
          const char *segment = strstr (uri, "/services/json/") + strlen ("/services/json/");

          g_test_message ("%s → %s: %s", seen[i], uri, aw_task_get_error (task) ? aw_task_get_error (task)->message : "ok");
          g_assert_null (strpbrk (segment, "/?# "));
          g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
          /* The server echoes the name it got. */
          g_assert_cmpstr (aw_task_get_weather (task)->place, ==, seen[i]);
        }
    }
}

/* A self-signed certificate is refused, with the reason: the test waits for that reason, not
 * for a clock (a sanitizer build takes seconds over the handshake). */
static void
test_tls_refused (void)
{
  static const char * const cities[] = { "Paris", NULL };
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  const GError *task_error;
  GSList *uris;

  certificate = g_tls_certificate_new_from_file (FIXTURES_DIR "/self-signed.pem", &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  run = run_cities_with_timeout ("prevision", base, AW_MODE_CONCURRENT, cities, 600);
  task_error = aw_task_get_error (aw_fetch_run_get_task (run, 0));
  assert_failed_with (aw_fetch_run_get_task (run, 0), G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_nonnull (strstr (task_error->message, "certificate"));
  soup_server_disconnect (server);
}

/* A password in the service's address is used, but never recorded or exported. */
static void
test_no_credentials_recorded (void)
{
  static const char * const cities[] = { "Paris", NULL };
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  aw_demo_server_set_latency (server, 0.01, 0.01);
  aw_demo_server_start (server, 0, &error);
  base = g_strdup_printf ("http://user:s3cret@127.0.0.1:%u", aw_demo_server_get_port (server));
  run = run_cities ("demo", base, AW_MODE_CONCURRENT, cities);

  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 0)), ==, AW_TASK_SUCCEEDED);
  g_assert_null (strstr (aw_task_get_request_uri (aw_fetch_run_get_task (run, 0), 0), "s3cret"));
}

/* The demo server stops while tasks wait: each fails at once, none waits for its answer. */
static void
test_server_stops_mid_run (void)
{
  static const char * const cities[] = { "Paris", "Toulouse", "Marseille", NULL };
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  aw_demo_server_set_latency (server, 30, 30);
  aw_demo_server_start (server, 0, &error);
  provider = aw_provider_new_for_name ("demo", aw_demo_server_get_base_uri (server), NULL);
  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (aw_demo_server_get_n_requests (server) < 3)
    g_main_context_iteration (NULL, FALSE);
  aw_demo_server_stop (server);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 3; i++)
    assert_failed_with (aw_fetch_run_get_task (run, i), 0, 0);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, 30 * G_USEC_PER_SEC);
}

/* Two runs at once on one provider, and the caller dropping a run right after cancelling it. */
static void
test_overlapping_runs (void)
{
  static const char * const cities[] = { "Paris", "Toulouse", NULL };
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AwFetchRun) second = NULL;
  g_autoptr(GError) error = NULL;
  AwFetchRun *first;
  gboolean first_done = FALSE, second_done = FALSE;
  GWeakRef weak;

  aw_demo_server_set_latency (server, 0.2, 0.2);
  aw_demo_server_start (server, 0, &error);
  provider = aw_provider_new_for_name ("demo", aw_demo_server_get_base_uri (server), NULL);

  first = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  second = aw_fetch_run_new (provider, AW_MODE_SEQUENTIAL, cities);
  g_weak_ref_init (&weak, first);
  aw_fetch_run_run_async (first, cancellable, on_run_done, &first_done);
  aw_fetch_run_run_async (second, NULL, on_run_done, &second_done);
  g_cancellable_cancel (cancellable);
  g_object_unref (first);

  while (!first_done || !second_done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* The first run is gone once it finished; the second was not disturbed. */
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (second, i)), ==,
                     AW_TASK_SUCCEEDED);
}

/* Servers that keep a request going for as long as they like: each must end at the task's
 * own deadline (or sooner), in every mode, while the loop keeps turning. */

/* Every hostile server stops on its own after this long, whatever the client does. */
#define FLOOD_GUARD_US (30 * G_USEC_PER_SEC)

/* Bytes or answers the flooding servers have sent: a test waits on it to stop mid-flood. */
static GMutex flood_mutex;
static GCond flood_cond;
static guint flood_sent;

static void
count_flood (void)
{
  g_mutex_lock (&flood_mutex);
  flood_sent++;
  g_cond_broadcast (&flood_cond);
  g_mutex_unlock (&flood_mutex);
}

/* Sends @data every @interval_us until the client goes away or the guard ends it. */
static void
send_every (GSocket    *socket,
            const char *data,
            gint64      interval_us)
{
  gint64 end = g_get_monotonic_time () + FLOOD_GUARD_US;

  while (g_get_monotonic_time () < end)
    {
      for (gsize sent = 0, size = strlen (data); sent < size;)
        {
          gssize n = g_socket_send (socket, data + sent, size - sent, NULL, NULL);

          if (n <= 0)
            return;
          sent += n;
        }
      count_flood ();
      if (interval_us > 0)
        g_usleep (interval_us);
    }
}

static gboolean
serve_deadline_class (GSocket    *socket,
                      const char *name)
{
  static const char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";

  if (g_str_equal (name, "interimflood"))
    {
      /* As fast as the socket takes them, in large writes. */
      g_autoptr(GString) many = g_string_new (NULL);

      while (many->len < 64 * 1024)
        g_string_append (many, interim);
      send_every (socket, many->str, 0);
    }
  else if (g_str_equal (name, "interimslow"))
    send_every (socket, interim, TIMEOUT_S * G_USEC_PER_SEC / 5);
  else if (g_str_equal (name, "dripheaders"))
    {
      aw_test_send_all (socket, "HTTP/1.1 200 OK\r\nX-Slow: ", 26);
      send_every (socket, "x", G_USEC_PER_SEC / 4);
    }
  else if (g_str_equal (name, "endlessbody"))
    {
      static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n";

      aw_test_send_all (socket, head, strlen (head));
      send_every (socket, "1\r\n \r\n", G_USEC_PER_SEC / 20);
    }
  else
    return FALSE;
  return TRUE;
}

/* Ticks every 10 ms on the test's loop: the longest gap between ticks is how long the loop
 * was held. */
typedef struct
{
  gint64 last_us;
  gint64 longest_gap_us;
} Ticker;

static gboolean
on_tick (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  ticker->longest_gap_us = MAX (ticker->longest_gap_us, now - ticker->last_us);
  ticker->last_us = now;
  return G_SOURCE_CONTINUE;
}

/* When task @i began, run-relative: after the previous one where tasks run one by one,
 * else at the end of its queued span. */
static gint64
task_began_us (AwFetchRun *run,
               guint       i)
{
  AwMode mode = aw_fetch_run_get_mode (run);
  const AwSpan *spans;
  guint n_spans;

  if (mode == AW_MODE_SEQUENTIAL || mode == AW_MODE_BLOCKING)
    return i == 0 ? 0 : aw_task_get_end_us (aw_fetch_run_get_task (run, i - 1));
  spans = aw_task_get_spans (aw_fetch_run_get_task (run, i), &n_spans);
  if (n_spans > 1 && spans[0].phase == AW_PHASE_QUEUED)
    return spans[0].end_us;
  return 0;
}

/* Each slow server ends with a timeout close to its task's own deadline; a flood of interim
 * answers ends much sooner with an error of its own; the honest cities succeed; and the loop
 * never stands still for long. */
static void
test_deadlines_hold (gconstpointer data)
{
  static const char * const cities[] = {
    "ok", "interimflood", "interimslow", "dripheaders", "endlessbody", "ok", NULL,
  };
  AwMode mode = GPOINTER_TO_INT (data);
  g_autofree char *base = aw_test_raw_server_start (serve_hostile);
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("prevision", base, NULL);
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (provider, mode, cities);
  gint64 timeout_us = TIMEOUT_S * G_USEC_PER_SEC;
  Ticker ticker = { g_get_monotonic_time (), 0 };
  gboolean done = FALSE;
  guint tick_id;

  aw_fetch_run_set_timeout (run, TIMEOUT_S);
  aw_fetch_run_set_limit (run, 2);
  tick_id = g_timeout_add (10, on_tick, &ticker);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);

  /* Blocking holds the loop on purpose; everywhere else it keeps turning. */
  g_test_message ("longest gap between ticks: %.3f s", ticker.longest_gap_us / 1e6);
  if (mode != AW_MODE_BLOCKING)
    g_assert_cmpint (ticker.longest_gap_us, <, timeout_us / 4);

  for (guint i = 0; cities[i] != NULL; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      gint64 took = aw_task_get_end_us (task) - task_began_us (run, i);

      g_test_message ("%s: %.3f s after it began, %s", cities[i], took / 1e6,
                      aw_task_get_error (task) ? aw_task_get_error (task)->message : "ok");
      if (g_str_equal (cities[i], "ok"))
        {
          g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
          g_assert_cmpint (took, <, timeout_us / 2);
        }
      else if (g_str_equal (cities[i], "interimflood"))
        {
          assert_failed_with (task, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
          g_assert_nonnull (strstr (aw_task_get_error (task)->message, "interim"));
          g_assert_cmpint (took, <, timeout_us / 2);
        }
      else
        {
          /* Not before its deadline, and soon after it. */
          assert_failed_with (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
          g_assert_cmpint (took, >, timeout_us * 9 / 10);
          g_assert_cmpint (took, <, timeout_us + timeout_us / 4);
        }
    }

}

static gpointer
stop_mid_flood (gpointer data)
{
  GCancellable *cancellable = data;
  gint64 *stopped_at = g_object_get_data (G_OBJECT (cancellable), "stopped-at");

  g_mutex_lock (&flood_mutex);
  while (flood_sent < 3)
    g_cond_wait (&flood_cond, &flood_mutex);
  g_mutex_unlock (&flood_mutex);

  *stopped_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  return NULL;
}

/* Stop while servers trickle: the run ends promptly, in every mode. The Stop comes from
 * another thread, as a signal handler's would, so that it reaches Blocking too. */
static void
test_stop_during_flood (gconstpointer data)
{
  static const char * const cities[] = {
    "interimslow", "dripheaders", "endlessbody", "ok", NULL,
  };
  AwMode mode = GPOINTER_TO_INT (data);
  g_autofree char *base = aw_test_raw_server_start (serve_hostile);
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("prevision", base, NULL);
  g_autoptr(AwFetchRun) run = aw_fetch_run_new (provider, mode, cities);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  /* Long enough that only the Stop can end these tasks. */
  double timeout_s = 20;
  gint64 stopped_at = 0, ended_at;
  gboolean done = FALSE;
  GThread *stopper;

  g_object_set_data (G_OBJECT (cancellable), "stopped-at", &stopped_at);
  g_mutex_lock (&flood_mutex);
  flood_sent = 0;
  g_mutex_unlock (&flood_mutex);
  stopper = g_thread_new ("stopper", stop_mid_flood, cancellable);

  aw_fetch_run_set_timeout (run, timeout_s);
  aw_fetch_run_run_async (run, cancellable, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  ended_at = g_get_monotonic_time ();
  g_thread_join (stopper);

  g_test_message ("the run ended %.4f s after the Stop", (ended_at - stopped_at) / 1e6);
  g_assert_true (aw_fetch_run_was_stopped (run));
  g_assert_cmpint (stopped_at, >, 0);
  g_assert_cmpint (ended_at - stopped_at, <, timeout_s * G_USEC_PER_SEC / 20);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, i)), !=, AW_TASK_SUCCEEDED);
}

static void
add_deadline_tests (void)
{
  static const struct { AwMode mode; const char *name; } modes[] = {
    { AW_MODE_SEQUENTIAL, "sequential" },
    { AW_MODE_CONCURRENT, "concurrent" },
    { AW_MODE_LIMITED, "limited" },
    { AW_MODE_THREADS, "threads" },
    { AW_MODE_BLOCKING, "blocking" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *deadlines = g_strconcat ("/hostile/deadlines/", modes[i].name, NULL);
      g_autofree char *stop = g_strconcat ("/hostile/stop-during-flood/", modes[i].name, NULL);

      g_test_add_data_func (deadlines, GINT_TO_POINTER (modes[i].mode), test_deadlines_hold);
      g_test_add_data_func (stop, GINT_TO_POINTER (modes[i].mode), test_stop_during_flood);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gzip_bomb = make_gzip_bomb ();

  g_test_add_data_func ("/hostile/answers/concurrent", GINT_TO_POINTER (AW_MODE_CONCURRENT),
                        test_hostile_answers);
  g_test_add_data_func ("/hostile/answers/threads", GINT_TO_POINTER (AW_MODE_THREADS),
                        test_hostile_answers);
  g_test_add_func ("/hostile/unresolvable", test_unresolvable);
  g_test_add_func ("/hostile/odd-city-names", test_odd_city_names);
  g_test_add_func ("/hostile/tls-refused", test_tls_refused);
  g_test_add_func ("/hostile/no-credentials-recorded", test_no_credentials_recorded);
  g_test_add_func ("/hostile/server-stops-mid-run", test_server_stops_mid_run);
  g_test_add_func ("/hostile/overlapping-runs", test_overlapping_runs);
  add_deadline_tests ();

  return g_test_run ();
}
