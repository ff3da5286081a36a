/* test-hostile-text.c: hostile numbers, text and bodies from a loopback server, through the
 * engine in every mode: wrapped or octal temperatures, JSON that json-glib would parse
 * slowly, text that would fool the reader or drive the terminal, malformed chunking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "aw-fetch-run.h"
#include "aw-test-utils.h"
#include "aw-text.h"
#include "test-json-attacks.h"

/* Generous: no hostile answer here is slow, and a slow machine must not fail the test. */
#define TIMEOUT_S 20

/* What must never reach a terminal or the window (the sanitiser's own list is not used, so
 * that a gap in it shows here). */
static gboolean
is_forbidden (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c
         || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
         || (c >= 0x2066 && c <= 0x2069) || c == 0x2060 || c == 0xfeff
         || c == 0x2028 || c == 0x2029;
}

static void
assert_clean (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      if (is_forbidden (g_utf8_get_char (p)))
        g_error ("U+%04X in “%s”", g_utf8_get_char (p), text);
    }
}

/* The tricks seen: a right-to-left override, isolates, zero-width characters, line and
 * paragraph separators, and an OSC 8 hyperlink ended by BEL. As JSON escapes. */
#define HOSTILE_TEXT \
  "Sunny\\u202edenllecnac\\u202c \\u2066x\\u2069\\u200b\\u200d\\ufeff\\u2028line" \
  "\\u2029para\\u001b]8;;http://evil.example/\\u0007link\\u001b]8;;\\u0007\\u009b31m\\u061c"

static GBytes *zeros_body;     /* "tmp": 1 followed by 200,000 zeros */
static GBytes *colliding_body; /* 11,388 member names of one hash */

static void
send_json (GSocket    *socket,
           const char *body)
{
  aw_test_send_answer (socket, "200 OK", "Content-Type: application/json\r\n", body, strlen (body));
}

/* A chunked answer whose first chunk size is @size; the weather follows as its "data". */
static void
send_chunked (GSocket    *socket,
              const char *size)
{
  g_autofree char *answer = g_strdup_printf (
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    "%s\r\n{\"current_condition\":{\"tmp\":12}}\r\n0\r\n\r\n", size);

  aw_test_send_all (socket, answer, strlen (answer));
}

/* The temperature each prevision-shaped case sends, as JSON. */
static const struct {
  const char *name;
  const char *tmp;
} tmp_cases[] = {
  { "tmp-2p64", "18446744073709551628" },
  { "tmp-neg2p64", "-18446744073709551628" },
  { "tmp-octal", "012" },
  { "tmp-hex", "0x0C" },
  { "tmp-plus", "+12" },
  { "tmp-dot", ".5" },
  { "tmp-hexstr", "\"0x1A\"" },
  { "tmp-octalstr", "\"012\"" },
  { "tmp-blankstr", "\" 12\"" },
  { "tmp-expstr", "\"1e2\"" },
  { "tmp-hot", "200" },
  { "tmp-huge", "1e400" },
  { "tmp-good-str", "\"-3.5\"" },
  { "tmp-good", "12" },
};

static void
serve_prevision (GSocket    *socket,
                 const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tmp_cases); i++)
    {
      if (g_str_equal (name, tmp_cases[i].name))
        {
          g_autofree char *body = g_strdup_printf ("{\"current_condition\":{\"tmp\":%s}}",
                                                   tmp_cases[i].tmp);

          send_json (socket, body);
          return;
        }
    }

  if (g_str_equal (name, "tmp-zeros"))
    aw_test_send_answer (socket, "200 OK", "", g_bytes_get_data (zeros_body, NULL),
                 g_bytes_get_size (zeros_body));
  else if (g_str_equal (name, "colliding"))
    aw_test_send_answer (socket, "200 OK", "", g_bytes_get_data (colliding_body, NULL),
                 g_bytes_get_size (colliding_body));
  else if (g_str_equal (name, "text"))
    send_json (socket, "{\"city_info\":{\"name\":\"Paris" HOSTILE_TEXT "\"},"
                       "\"current_condition\":{\"tmp\":12,\"condition\":\"" HOSTILE_TEXT "\","
                       "\"date\":\"01.01.2026\\u202e\",\"hour\":\"12:00\\u001b[2J\"}}");
  else if (g_str_equal (name, "errors-text"))
    send_json (socket, "{\"errors\":[{\"text\":\"" HOSTILE_TEXT "\"}]}");
  else if (g_str_equal (name, "location"))
    aw_test_send_answer (socket, "302 Found",
                 "Location: http://\x1b]8;;http://evil.example/\x07here\x1b]8;;\x07\xe2\x80\xae/\r\n",
                 "", 0);
  else if (g_str_equal (name, "location-invalid"))
    aw_test_send_answer (socket, "302 Found",
                 "Location: x-evil:\x1b]8;;http://evil.example/\x07here\x1b]8;;\x07\xe2\x80\xae\r\n",
                 "", 0);
  else if (g_str_equal (name, "chunk-zz"))
    send_chunked (socket, "zz");
  else if (g_str_equal (name, "chunk-neg"))
    send_chunked (socket, "-10");
  else if (g_str_equal (name, "chunk-2p64"))
    send_chunked (socket, "10000000000000000");
  else if (g_str_equal (name, "empty"))
    aw_test_send_answer (socket, "200 OK", "", "", 0);
  else
    aw_test_send_answer (socket, "404 Not Found", "", "", 0);
}

/* Open-Meteo: the city names the case; the geocoding answer puts its index in the longitude,
 * which comes back in the forecast request. */
static const struct {
  const char *name;
  const char *place;
  const char *temperature;
} om_cases[] = {
  { "om-good", "\"Berlin\"", "2.5" },
  { "om-2p64", "\"Berlin\"", "18446744073709551628" },
  { "om-octal", "\"Berlin\"", "012" },
  { "om-string", "\"Berlin\"", "\"12\"" },
  { "om-text", "\"Berlin" HOSTILE_TEXT "\"", "2.5" },
};

static void
serve_open_meteo (GSocket    *socket,
                  const char *path)
{
  const char *query = strchr (path, '?');
  g_autoptr(GHashTable) params = NULL;
  const char *value;

  params = query ? g_uri_parse_params (query + 1, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  if (params != NULL && g_str_has_prefix (path, "/v1/search")
      && (value = g_hash_table_lookup (params, "name")) != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (om_cases); i++)
        {
          if (g_str_equal (value, om_cases[i].name))
            {
              g_autofree char *body = g_strdup_printf (
                "{\"results\":[{\"name\":%s,\"country\":\"Deutschland\",\"latitude\":52.5,"
                "\"longitude\":%u}]}", om_cases[i].place, i);

              send_json (socket, body);
              return;
            }
        }
    }
  else if (params != NULL && g_str_has_prefix (path, "/v1/forecast")
           && (value = g_hash_table_lookup (params, "longitude")) != NULL)
    {
      guint i = (guint)g_ascii_strtoull (value, NULL, 10);

      if (i < G_N_ELEMENTS (om_cases))
        {
          g_autofree char *body = g_strdup_printf (
            "{\"current\":{\"time\":\"2026-11-30T12:00\",\"temperature_2m\":%s,"
            "\"weather_code\":0}}", om_cases[i].temperature);

          send_json (socket, body);
          return;
        }
    }
  aw_test_send_answer (socket, "404 Not Found", "", "", 0);
}

static void
serve_hostile (GSocket    *socket,
               const char *path)
{
  if (g_str_has_prefix (path, "/services/json/"))
    serve_prevision (socket, path + strlen ("/services/json/"));
  else
    serve_open_meteo (socket, path);
}

/* Starts the hostile server once; returns its root URI. */
static const char *
hostile_server (void)
{
  static char *uri;

  if (uri == NULL)
    uri = aw_test_raw_server_start (serve_hostile);
  return uri;
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(gboolean *)user_data = TRUE;
}

static AwFetchRun *
run_cities (const char         *provider_name,
            AwMode              mode,
            const char * const *cities)
{
  g_autoptr(AwProvider) provider = aw_provider_new_for_name (provider_name, hostile_server (),
                                                             NULL);
  AwFetchRun *run = aw_fetch_run_new (provider, mode, cities);
  gboolean done = FALSE;

  aw_fetch_run_set_timeout (run, TIMEOUT_S);
  aw_fetch_run_set_limit (run, 3);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return run;
}

/* The task @city of @run, which must be there. */
static AwTask *
task_for (AwFetchRun *run,
          const char *city)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      if (g_str_equal (aw_task_get_city (task), city))
        return task;
    }
  g_assert_not_reached ();
}

static const GError *
failed (AwTask *task)
{
  const GError *error = aw_task_get_error (task);

  g_test_message ("%s: %s", aw_task_get_city (task), error ? error->message : "(no error)");
  g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_FAILED);
  g_assert_nonnull (error);
  assert_clean (error->message);
  return error;
}

static const AwWeather *
succeeded (AwTask *task)
{
  const AwWeather *weather = aw_task_get_weather (task);

  g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
  g_assert_nonnull (weather);
  assert_clean (weather->place);
  assert_clean (weather->condition);
  if (weather->observed_at != NULL)
    assert_clean (weather->observed_at);
  return weather;
}

/* Numbers: never a wrapped, octal or hex temperature; out of range is the usual error. */
static void
test_numbers (gconstpointer data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) cities = g_ptr_array_new ();
  g_autoptr(AwFetchRun) run = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tmp_cases); i++)
    g_ptr_array_add (cities, (gpointer)tmp_cases[i].name);
  g_ptr_array_add (cities, "tmp-zeros");
  g_ptr_array_add (cities, NULL);
  run = run_cities ("prevision", mode, (const char * const *)cities->pdata);

  g_assert_cmpfloat (succeeded (task_for (run, "tmp-good"))->temperature_c, ==, 12);
  g_assert_cmpfloat (succeeded (task_for (run, "tmp-good-str"))->temperature_c, ==, -3.5);
  for (guint i = 0; i + 2 < G_N_ELEMENTS (tmp_cases); i++)
    g_assert_error (failed (task_for (run, tmp_cases[i].name)),
                    AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
  g_assert_error (failed (task_for (run, "tmp-zeros")),
                  AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
  g_assert_cmpstr (failed (task_for (run, "tmp-hot"))->message, ==,
                   "The answer has no plausible temperature");
  g_assert_cmpstr (failed (task_for (run, "tmp-huge"))->message, ==,
                   "The answer has no plausible temperature");
  g_assert_cmpstr (failed (task_for (run, "tmp-hexstr"))->message, ==,
                   "The answer has no plausible temperature");
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, aw_fetch_run_get_n_tasks (run) - 2);
}

/* Open-Meteo's two steps: the same numbers, and a place name cleaned. */
static void
test_open_meteo (gconstpointer data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) cities = g_ptr_array_new ();
  g_autoptr(AwFetchRun) run = NULL;
  const AwWeather *weather;

  for (guint i = 0; i < G_N_ELEMENTS (om_cases); i++)
    g_ptr_array_add (cities, (gpointer)om_cases[i].name);
  g_ptr_array_add (cities, NULL);
  run = run_cities ("open-meteo", mode, (const char * const *)cities->pdata);

  g_assert_cmpfloat (succeeded (task_for (run, "om-good"))->temperature_c, ==, 2.5);
  g_assert_cmpfloat (succeeded (task_for (run, "om-string"))->temperature_c, ==, 12);
  g_assert_error (failed (task_for (run, "om-2p64")), AW_PROVIDER_ERROR,
                  AW_PROVIDER_ERROR_BAD_ANSWER);
  g_assert_error (failed (task_for (run, "om-octal")), AW_PROVIDER_ERROR,
                  AW_PROVIDER_ERROR_BAD_ANSWER);
  weather = succeeded (task_for (run, "om-text"));
  g_assert_true (g_str_has_prefix (weather->place, "BerlinSunnydenllecnac x line para␛]8;;"));
  g_assert_true (g_str_has_suffix (weather->place, ", Deutschland"));
}

/* Text: whatever the service, the server or libsoup says reaches the tasks clean. */
static void
test_text (gconstpointer data)
{
  static const char * const cities[] = {
    "text", "errors-text", "location", "colliding", "chunk-zz", "chunk-neg", "chunk-2p64",
    "empty", "location-invalid", NULL,
  };
  AwMode mode = GPOINTER_TO_INT (data);
  g_autoptr(AwFetchRun) run = run_cities ("prevision", mode, cities);
  const AwWeather *weather;
  const GError *error;

  weather = succeeded (task_for (run, "text"));
  g_assert_cmpfloat (weather->temperature_c, ==, 12);
  /* the override and the zero-width characters gone, the breaks now spaces, ESC and BEL
   * visible: one line that reads as what it is */
  g_assert_cmpstr (weather->condition, ==,
                   "Sunnydenllecnac x line para␛]8;;http://evil.example/␇link␛]8;;␇\xef\xbf\xbd" "31m");
  g_assert_true (g_str_has_prefix (weather->place, "ParisSunny"));
  g_assert_cmpstr (weather->observed_at, ==, "01.01.2026 12:00␛[2J");

  error = failed (task_for (run, "errors-text"));
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Sunnydenllecnac x line para␛]8;;"));

  /* libsoup's own message, quoting the header, or its refusal of it: clean either way */
  failed (task_for (run, "location"));
  error = failed (task_for (run, "location-invalid"));
  g_assert_nonnull (strstr (error->message, "x-evil:␛]8;;http://evil.example/␇here"));

  g_assert_cmpstr (failed (task_for (run, "colliding"))->message, ==,
                   "The service sent an answer far more complex than any weather report");

  for (guint i = 4; i < 7; i++)
    {
      error = failed (task_for (run, cities[i]));
      g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
      g_assert_nonnull (strstr (error->message, "chunked"));
    }
  g_assert_cmpstr (failed (task_for (run, "empty"))->message, ==,
                   "The service sent an empty answer");
}

/* The sanitiser on its own: what each kind of character becomes. */
static void
test_sanitize (void)
{
  static const struct {
    const char *in;
    gssize      len;
    const char *out;
  } cases[] = {
    { "Averses de pluie faible", -1, "Averses de pluie faible" },
    { "Zürich, 東京, القاهرة 🌧", -1, "Zürich, 東京, القاهرة 🌧" },
    { "Sun\x1b]8;;http://x/\x07ny", -1, "Sun␛]8;;http://x/␇ny" },
    { "\x1b[31mred\x1b[0m", -1, "␛[31mred␛[0m" },
    { "a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x81\xa9" "d\xe2\x80\x8b" "e\xe2\x80\x8d" "f\xef\xbb\xbf" "g",
      -1, "abcdefg" },
    { "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x81\xa0x", -1, "x" },
    { "one\xe2\x80\xa8two\xe2\x80\xa9three\nfour\r\tfive", -1, "one two three four  five" },
    { "c1:\xc2\x85|\xc2\x9b|\x7f", -1, "c1: |\xef\xbf\xbd|␡" },
    { "bad\xff\xfe!", -1, "bad\xef\xbf\xbd\xef\xbf\xbd!" },
    { "a\0b", 3, "a\xef\xbf\xbd" "b" },
    { "", -1, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = aw_text_sanitize (cases[i].in, cases[i].len);
      g_autofree char *again = aw_text_sanitize (clean, -1);

      g_test_message ("case %u", i);
      g_assert_cmpstr (clean, ==, cases[i].out);
      assert_clean (clean);
      g_assert_cmpstr (again, ==, clean);
    }
}

static const struct {
  const char *name;
  AwMode      mode;
} modes[] = {
  { "sequential", AW_MODE_SEQUENTIAL },
  { "concurrent", AW_MODE_CONCURRENT },
  { "limited", AW_MODE_LIMITED },
  { "threads", AW_MODE_THREADS },
  { "blocking", AW_MODE_BLOCKING },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) colliding = colliding_answer (1, 11388, "", TRUE, 0);
  g_autoptr(GString) zeros = g_string_new ("{\"current_condition\":{\"tmp\":1");

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (zeros, '0');
  g_string_append (zeros, "}}");
  g_assert_cmpuint (zeros->len, <, AW_MAX_BODY_BYTES);
  g_assert_cmpuint (colliding->len, <, AW_MAX_BODY_BYTES);
  zeros_body = g_bytes_new (zeros->str, zeros->len);
  colliding_body = g_bytes_new (colliding->str, colliding->len);

  g_test_add_func ("/hostile-text/sanitize", test_sanitize);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *numbers = g_strdup_printf ("/hostile-text/numbers/%s", modes[i].name);
      g_autofree char *open_meteo = g_strdup_printf ("/hostile-text/open-meteo/%s",
                                                     modes[i].name);
      g_autofree char *text = g_strdup_printf ("/hostile-text/text/%s", modes[i].name);

      g_test_add_data_func (numbers, GINT_TO_POINTER (modes[i].mode), test_numbers);
      g_test_add_data_func (open_meteo, GINT_TO_POINTER (modes[i].mode), test_open_meteo);
      g_test_add_data_func (text, GINT_TO_POINTER (modes[i].mode), test_text);
    }

  return g_test_run ();
}
