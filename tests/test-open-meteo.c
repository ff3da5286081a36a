/* test-open-meteo.c: the Open-Meteo provider through the engine, against a loopback server
 * answering with the real response shapes (geocoding, then current weather)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "aw-fetch-run.h"

typedef struct
{
  SoupServer *server;
  char       *base_uri;
  GHashTable *searches;   /* name → times asked */
} Fixture;

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (FIXTURES_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
respond_fixture (SoupServerMessage *msg,
                 guint              status,
                 const char        *name)
{
  char *body = read_fixture (name);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

static void
handle_search (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *fixture = user_data;
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;

  g_assert_nonnull (name);
  g_assert_cmpstr (g_hash_table_lookup (query, "count"), ==, "1");
  g_hash_table_insert (fixture->searches, g_strdup (name), GINT_TO_POINTER (1));

  if (g_str_equal (name, "Berlin") || g_str_equal (name, "Bad Request"))
    respond_fixture (msg, SOUP_STATUS_OK, "open-meteo-geocoding-berlin.json");
  else
    respond_fixture (msg, SOUP_STATUS_OK, "open-meteo-geocoding-none.json");
}

static void
handle_forecast (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  const char *latitude = query ? g_hash_table_lookup (query, "latitude") : NULL;
  const char *current = query ? g_hash_table_lookup (query, "current") : NULL;

  g_assert_nonnull (latitude);
  g_assert_nonnull (current);
  g_assert_nonnull (strstr (current, "temperature_2m"));
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (latitude, NULL), 52.52437, 1e-4);

  respond_fixture (msg, SOUP_STATUS_OK, "open-meteo-forecast-current.json");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->searches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, "/v1/search", handle_search, fixture, NULL);
  soup_server_add_handler (fixture->server, "/v1/forecast", handle_forecast, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  fixture->base_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_free (fixture->base_uri);
  g_hash_table_unref (fixture->searches);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static AwFetchRun *
run_cities (Fixture            *fixture,
            AwMode              mode,
            const char * const *cities)
{
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  AwFetchRun *run;
  gboolean done = FALSE;

  provider = aw_provider_new_for_name ("open-meteo", fixture->base_uri, &error);
  g_assert_no_error (error);
  run = aw_fetch_run_new (provider, mode, cities);
  aw_fetch_run_set_timeout (run, 10);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return run;
}

/* Geocoding, then the weather: two dependent requests, two segments of one bar. */
static void
test_two_requests (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const cities[] = { "Berlin", NULL };
  AwMode mode = GPOINTER_TO_INT (data);
  g_autoptr(AwFetchRun) run = run_cities (fixture, mode, cities);
  AwTask *task = aw_fetch_run_get_task (run, 0);
  const AwWeather *weather = aw_task_get_weather (task);
  const AwSpan *spans;
  guint n_spans, parses = 0;

  g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
  g_assert_nonnull (weather);
  g_assert_cmpfloat_with_epsilon (weather->temperature_c, 2.1, 1e-9);
  g_assert_cmpint (weather->humidity, ==, 77);
  g_assert_cmpfloat_with_epsilon (weather->wind_kmh, 6.8, 1e-9);
  g_assert_cmpstr (weather->place, ==, "Berlin, Deutschland");
  g_assert_cmpstr (weather->icon_name, ==, "weather-clear-symbolic");
  g_assert_cmpstr (weather->service, ==, "open-meteo");

  g_assert_cmpuint (aw_task_get_n_requests (task), ==, 2);
  g_assert_nonnull (strstr (aw_task_get_request_uri (task, 0), "/v1/search?name=Berlin"));
  g_assert_nonnull (strstr (aw_task_get_request_uri (task, 1), "/v1/forecast?latitude="));
  g_assert_cmpuint (aw_task_get_request_status (task, 0), ==, 200);
  g_assert_cmpuint (aw_task_get_request_status (task, 1), ==, 200);
  g_assert_cmpuint (aw_task_get_request_first_span (task, 1), >,
                    aw_task_get_request_first_span (task, 0));

  /* Each request ends with its own parse span; the second starts after the first. */
  spans = aw_task_get_spans (task, &n_spans);
  for (guint i = 0; i < n_spans; i++)
    {
      g_assert_cmpint (spans[i].end_us, >=, spans[i].start_us);
      if (i > 0)
        g_assert_cmpint (spans[i].start_us, >=, spans[i - 1].end_us);
      if (spans[i].phase == AW_PHASE_PARSE)
        parses++;
    }
  g_assert_cmpuint (parses, ==, 2);
  g_assert_cmpint (spans[n_spans - 1].end_us, ==, aw_task_get_end_us (task));
}

/* No match: the geocoding answer has no "results" key at all. */
static void
test_unknown_place (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const cities[] = { "Nowhere at all", "Berlin", NULL };
  g_autoptr(AwFetchRun) run = run_cities (fixture, AW_MODE_CONCURRENT, cities);
  AwTask *unknown = aw_fetch_run_get_task (run, 0);
  const GError *error = aw_task_get_error (unknown);

  g_assert_cmpint (aw_task_get_state (unknown), ==, AW_TASK_FAILED);
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Nowhere at all"));
  g_assert_cmpuint (aw_task_get_n_requests (unknown), ==, 1);
  g_assert_true (g_hash_table_contains (fixture->searches, "Nowhere at all"));

  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 1)), ==, AW_TASK_SUCCEEDED);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 1);
}

static void
test_service_error (void)
{
  g_autoptr(AwProvider) provider = aw_provider_new_for_name ("open-meteo", "http://127.0.0.1:1",
                                                             NULL);
  g_autofree char *text = read_fixture ("open-meteo-error.json");
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { .step = 1, .latitude = 52.5, .longitude = 13.4 };

  g_assert_cmpint (aw_provider_parse (provider, "Berlin", 400, body, &lookup, &weather, &error),
                   ==, AW_STEP_FAILED);
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_SERVICE);
  g_assert_nonnull (strstr (error->message, "Cannot initialize WeatherVariable"));
  g_assert_null (weather);
  aw_lookup_clear (&lookup);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/open-meteo/two-requests/concurrent", Fixture,
              GINT_TO_POINTER (AW_MODE_CONCURRENT), fixture_set_up, test_two_requests,
              fixture_tear_down);
  g_test_add ("/open-meteo/two-requests/threads", Fixture,
              GINT_TO_POINTER (AW_MODE_THREADS), fixture_set_up, test_two_requests,
              fixture_tear_down);
  g_test_add ("/open-meteo/unknown-place", Fixture, NULL, fixture_set_up, test_unknown_place,
              fixture_tear_down);
  g_test_add_func ("/open-meteo/service-error", test_service_error);

  return g_test_run ();
}
