/* test-demo-server.c: the demo server answers real HTTP in the prevision-meteo.ch shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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
  while (aw_demo_server_get_n_requests (server) < 1)
    g_main_context_iteration (NULL, FALSE);
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
  guint before, after = G_MAXUINT;

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

  /* The server thread closes them as it notices: give it up to two seconds (more on a slow
   * build). */
  for (gint64 deadline = g_get_monotonic_time () + aw_test_scaled_us (2 * G_USEC_PER_SEC);
       (after = count_open_files ()) > before && g_get_monotonic_time () < deadline;)
    g_usleep (10000);
  g_assert_cmpuint (after, <=, before);
}

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

  return g_test_run ();
}
