/* test-providers.c: parsers against the real response shapes and broken variants; city names
 * turned into URIs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "aw-fetch-run.h"
#include "aw-json-scan.h"
#include "aw-provider-private.h"
#include "aw-text.h"
#include "test-json-attacks.h"

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

static AwProvider *
provider (const char *name)
{
  g_autoptr(GError) error = NULL;
  AwProvider *self = aw_provider_new_for_name (name, "http://127.0.0.1:1/", &error);

  g_assert_no_error (error);
  return self;
}

/* Parses @body (length -1: up to the NUL) as step @step of @name's answer. */
static AwStepResult
parse (const char  *name,
       guint        step,
       guint        status,
       const char  *body,
       gssize       length,
       AwLookup    *lookup,
       AwWeather  **weather,
       GError     **error)
{
  g_autoptr(AwProvider) self = provider (name);
  g_autoptr(GBytes) bytes = g_bytes_new (body, length < 0 ? strlen (body) : (gsize)length);

  lookup->step = step;
  return aw_provider_parse (self, "Lausanne", status, bytes, lookup, weather, error);
}

static void
test_prevision_fixture (void)
{
  g_autofree char *body = read_fixture ("prevision-meteo-lausanne.json");
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("prevision", 0, 200, body, -1, &lookup, &weather, &error), ==,
                   AW_STEP_DONE);
  g_assert_no_error (error);
  g_assert_cmpfloat (weather->temperature_c, ==, 6);
  g_assert_cmpstr (weather->condition, ==, "Averses de pluie faible");
  g_assert_cmpstr (weather->icon_name, ==, "weather-showers-scattered-symbolic");
  g_assert_cmpint (weather->humidity, ==, 96);
  g_assert_cmpfloat (weather->wind_kmh, ==, 39);
  g_assert_cmpstr (weather->place, ==, "Lausanne");
  g_assert_cmpstr (weather->observed_at, ==, "04.03.2019 10:00");
  g_assert_cmpstr (weather->service, ==, "prevision");
}

/* Unknown city: an "errors" array, whatever the status. */
static void
test_prevision_errors_answer (void)
{
  const char *body = "{\"errors\":[{\"code\":\"11\",\"text\":\"Ville non trouvée\"}]}";
  guint statuses[] = { 200, 404 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(AwWeather) weather = NULL;
      g_autoptr(GError) error = NULL;
      AwLookup lookup = { 0 };

      g_assert_cmpint (parse ("prevision", 0, statuses[i], body, -1, &lookup, &weather, &error),
                       ==, AW_STEP_FAILED);
      g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "Ville non trouvée"));
      g_assert_null (weather);
    }
}

static void
test_prevision_numeric_strings (void)
{
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("prevision", 0, 200,
                          "{\"current_condition\":{\"tmp\":\"-3.5\",\"humidity\":\"80\"}}", -1,
                          &lookup, &weather, &error), ==, AW_STEP_DONE);
  g_assert_no_error (error);
  g_assert_cmpfloat (weather->temperature_c, ==, -3.5);
  g_assert_cmpint (weather->humidity, ==, 80);
  g_assert_cmpstr (weather->place, ==, "Lausanne");
}

/* Brackets hidden from the depth check by what json-glib reads and JSON has not ('quoted'
 * strings, comments): refused at once. 100000 of them, so hidden, overflowed json-glib's
 * recursive parser's stack: the whole app crashed on one hostile answer. */
static void
test_prevision_hidden_nesting (void)
{
  static const char * const openings[] = { "{\"a\":'\"', \"b\":", "{\"a\":1 /* \" */, \"b\":" };

  for (guint i = 0; i < G_N_ELEMENTS (openings); i++)
    {
      g_autoptr(GString) body = g_string_new (openings[i]);
      g_autoptr(AwWeather) weather = NULL;
      g_autoptr(GError) error = NULL;
      AwLookup lookup = { 0 };

      for (guint depth = 0; depth < 100000; depth++)
        g_string_append_c (body, '[');
      for (guint depth = 0; depth < 100000; depth++)
        g_string_append_c (body, ']');
      g_string_append_c (body, '}');

      g_assert_cmpint (parse ("prevision", 0, 200, body->str, body->len, &lookup, &weather,
                              &error), ==, AW_STEP_FAILED);
      g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
      aw_lookup_clear (&lookup);
    }
}

/* Every broken answer is one clear error of its kind. */
static void
test_prevision_broken (void)
{
  static const struct {
    guint       status;
    const char *body;
    gssize      length;
    int         code;
  } cases[] = {
    { 200, "", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "<html>hello</html>", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": 1", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "[1, 2, 3]", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "\"text\"", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "42", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": []}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": \"warm\"}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": null}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": true}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": {\"v\": 1}}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": 1e308}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": -4000}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": \"NaN\"}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"a\": \"\xff\xfe\"}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\": {\"tmp\": 1}}\0garbage", 40, AW_PROVIDER_ERROR_BAD_ANSWER },
    /* What json-glib takes but JSON has not, found by the fuzzers: an octal escape making
     * a byte that is not text (read past the string's end), lone surrogates, several roots
     * and broken escapes (leaked). */
    { 200, "{\"current_condition\":{\"tmp\":0,\"condition\":\"Sun\\343\"}}", -1,
      AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\":{\"tmp\":0,\"condition\":\"\\udc00x\"}}", -1,
      AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"current_condition\":{\"tmp\":0,\"condition\":\"\\ud800\\u12\"}}", -1,
      AW_PROVIDER_ERROR_BAD_ANSWER },
    { 200, "{\"errors\":[]}{\"current_condition\":{\"tmp\":1}}", -1, AW_PROVIDER_ERROR_BAD_ANSWER },
    { 500, "<html><body>Internal Server Error</body></html>", -1, AW_PROVIDER_ERROR_HTTP },
    { 404, "Not Found", -1, AW_PROVIDER_ERROR_HTTP },
    { 503, "", -1, AW_PROVIDER_ERROR_HTTP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AwWeather) weather = NULL;
      g_autoptr(GError) error = NULL;
      AwLookup lookup = { 0 };
      /* Some bodies are not valid text: the log gets them escaped. */
      g_autofree char *shown = g_strescape (cases[i].body, NULL);

      g_test_message ("case %u: %s", i, shown);
      g_assert_cmpint (parse ("prevision", 0, cases[i].status, cases[i].body, cases[i].length,
                              &lookup, &weather, &error), ==, AW_STEP_FAILED);
      g_assert_error (error, AW_PROVIDER_ERROR, cases[i].code);
      g_assert_null (weather);
    }
}

static void
test_prevision_deep_nesting (void)
{
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strnfill (200000, '[');
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("prevision", 0, 200, body, -1, &lookup, &weather, &error), ==,
                   AW_STEP_FAILED);
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
}

/* Text from the server is cleaned of control characters and capped. */
static void
test_prevision_hostile_text (void)
{
  g_autofree char *long_text = g_strnfill (5000, 'x');
  g_autofree char *body = g_strdup_printf ("{\"city_info\":{\"name\":\"%s\"},"
                                           "\"current_condition\":{\"tmp\":1,"
                                           "\"condition\":\"Sun\\u0007\\u001b[31mny\"}}",
                                           long_text);
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("prevision", 0, 200, body, -1, &lookup, &weather, &error), ==,
                   AW_STEP_DONE);
  g_assert_cmpstr (weather->condition, ==, "Sun␇␛[31mny");
  g_assert_cmpint (g_utf8_strlen (weather->place, -1), <=, 200);
}

/* 64 bytes */
#define LONG_NAME "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* JSON's grammar, strictly, and the bounds: what json-glib would also take is refused. */
static void
test_json_scan (void)
{
  static const struct {
    const char *body;
    AwJsonScan  expected;
  } cases[] = {
    { "{}", AW_JSON_SCAN_OK },
    { " [ ] \r\n\t", AW_JSON_SCAN_OK },
    { "{\"a\":[0,-0,12,-3.5,0.5,1e5,1E-5,-1.5e+10,999999999999999999,true,false,null]}",
      AW_JSON_SCAN_OK },
    { "{\"a\":\"\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t é\"}", AW_JSON_SCAN_OK },
    { "{\"a\":{\"b\":[{}]},\"c\":[[],[1]]}", AW_JSON_SCAN_OK },
    { "", AW_JSON_SCAN_NOT_JSON },
    { "12", AW_JSON_SCAN_NOT_JSON },
    { "\"text\"", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":012}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":00}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":-012}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":0x0C}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":+1}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":.5}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1.}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1.e5}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1e}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1e+}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":-}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1.5.2}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":NaN}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":Infinity}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":True}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":tru}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":truex}", AW_JSON_SCAN_NOT_JSON },
    { "{'a':1}", AW_JSON_SCAN_NOT_JSON },
    { "{a:1}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1 /* c */}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1}// c", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1,}", AW_JSON_SCAN_NOT_JSON },
    { "[1,]", AW_JSON_SCAN_NOT_JSON },
    { "[,1]", AW_JSON_SCAN_NOT_JSON },
    { "{,}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\" 1}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\"::1}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1 \"b\":2}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1]", AW_JSON_SCAN_NOT_JSON },
    { "[1}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":[}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1}}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1}{}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1} x", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"tab\there\"}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"\\x41\"}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"\\101\"}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"\\u12\"}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"\\udc00\"}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"\\ud800x\"}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":\"open}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":1", AW_JSON_SCAN_NOT_JSON },
    { "\xef\xbb\xbf{}", AW_JSON_SCAN_NOT_JSON },
    { "{\"a\":18446744073709551628}", AW_JSON_SCAN_INEXACT_NUMBER },
    { "{\"a\":-1000000000000000000}", AW_JSON_SCAN_INEXACT_NUMBER },
    { "{\"a\":1.00000000000000000000000000000000000000000}", AW_JSON_SCAN_INEXACT_NUMBER },
    { "{\"" LONG_NAME "x\":1}", AW_JSON_SCAN_LONG_NAME },
    { "{\"" LONG_NAME "\":1}", AW_JSON_SCAN_OK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].body);
      g_assert_cmpint (aw_json_scan (cases[i].body, strlen (cases[i].body)), ==,
                       cases[i].expected);
    }
  /* Up to the bounds, and one past them. */
  {
    g_autoptr(GString) body = g_string_new (NULL);
    g_autoptr(GString) members = g_string_new ("{");

    for (guint i = 0; i < AW_JSON_MAX_DEPTH; i++)
      g_string_prepend_c (g_string_append_c (body, ']'), '[');
    g_assert_cmpint (aw_json_scan (body->str, body->len), ==, AW_JSON_SCAN_OK);
    g_string_prepend_c (g_string_append_c (body, ']'), '[');
    g_assert_cmpint (aw_json_scan (body->str, body->len), ==, AW_JSON_SCAN_TOO_DEEP);

    for (guint i = 0; i < AW_JSON_MAX_MEMBERS; i++)
      g_string_append_printf (members, "%s\"m%u\":[]", i ? "," : "", i);
    g_string_append_c (members, '}');
    g_assert_cmpint (aw_json_scan (members->str, members->len), ==, AW_JSON_SCAN_OK);
    g_string_truncate (members, members->len - 1);
    g_string_append (members, ",\"more\":1}");
    g_assert_cmpint (aw_json_scan (members->str, members->len), ==,
                     AW_JSON_SCAN_TOO_MANY_MEMBERS);

    g_string_assign (body, "[0");
    for (guint i = 1; i < AW_JSON_MAX_TOKENS - 1; i++)
      g_string_append (body, ",0");
    g_string_append_c (body, ']');
    g_assert_cmpint (aw_json_scan (body->str, body->len), ==, AW_JSON_SCAN_OK);
    g_string_insert (body, 1, "0,");
    g_assert_cmpint (aw_json_scan (body->str, body->len), ==, AW_JSON_SCAN_TOO_MANY_TOKENS);
  }
}

/* Temperatures read exactly: what is not JSON, not plain decimal, or not a number a float
 * holds is refused, never shown as a wrapped or octal value. */
static void
test_prevision_exact_numbers (void)
{
  static const struct {
    const char *tmp;
    double      expected;  /* NAN: refused */
  } cases[] = {
    { "12", 12 },
    { "-3.5", -3.5 },
    { "0", 0 },
    { "-0.25", -0.25 },
    { "1.2e1", 12 },
    { "\"12\"", 12 },
    { "\"-3.5\"", -3.5 },
    { "\"46.5194190\"", 46.519419 },
    { "\"0\"", 0 },
    { "18446744073709551628", NAN },
    { "-18446744073709551628", NAN },
    { "9223372036854775807", NAN },
    { "012", NAN },
    { "0x0C", NAN },
    { "+12", NAN },
    { ".5", NAN },
    { "12.", NAN },
    { "200", NAN },
    { "-4000", NAN },
    { "1e400", NAN },
    { "-1e400", NAN },
    { "\"0x1A\"", NAN },
    { "\"012\"", NAN },
    { "\" 12\"", NAN },
    { "\"12 \"", NAN },
    { "\"+12\"", NAN },
    { "\"1e2\"", NAN },
    { "\".5\"", NAN },
    { "\"12.\"", NAN },
    { "\"\"", NAN },
    { "\"-\"", NAN },
    { "\"inf\"", NAN },
    { "\"nan\"", NAN },
    { "\"12,5\"", NAN },
    { "\"١٢\"", NAN },
  };

  for (guint i = 0; i <= G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zeros = NULL;
      g_autofree char *body = NULL;
      g_autoptr(AwWeather) weather = NULL;
      g_autoptr(GError) error = NULL;
      AwLookup lookup = { 0 };
      const char *tmp;
      double expected;

      /* Last: a 1 followed by 200,000 zeros, within the size cap. */
      if (i == G_N_ELEMENTS (cases))
        {
          zeros = g_strnfill (200001, '0');
          zeros[0] = '1';
          tmp = zeros;
          expected = NAN;
        }
      else
        {
          tmp = cases[i].tmp;
          expected = cases[i].expected;
        }
      body = g_strdup_printf ("{\"current_condition\":{\"tmp\":%s}}", tmp);
      g_test_message ("case %u: %.40s", i, tmp);
      if (isnan (expected))
        {
          g_assert_cmpint (parse ("prevision", 0, 200, body, -1, &lookup, &weather, &error), ==,
                           AW_STEP_FAILED);
          g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
          g_assert_null (weather);
        }
      else
        {
          g_assert_cmpint (parse ("prevision", 0, 200, body, -1, &lookup, &weather, &error), ==,
                           AW_STEP_DONE);
          g_assert_no_error (error);
          g_assert_cmpfloat (weather->temperature_c, ==, expected);
        }
    }
}

/* Out of range: the existing error, whatever the form. */
static void
test_prevision_implausible (void)
{
  const char *values[] = { "200", "-101", "1e308", "1e400", "\"71\"", "70.5" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"current_condition\":{\"tmp\":%s}}", values[i]);
      g_autoptr(AwWeather) weather = NULL;
      g_autoptr(GError) error = NULL;
      AwLookup lookup = { 0 };

      g_assert_cmpint (parse ("prevision", 0, 200, body, -1, &lookup, &weather, &error), ==,
                       AW_STEP_FAILED);
      g_assert_cmpstr (error->message, ==, "The answer has no plausible temperature");
    }
}

/* One parse of @body by the shared reader, in µs; whether it was accepted. */
static gint64
parse_once_us (const GString *body,
               gboolean      *accepted)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (body->str, body->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  gint64 start = g_get_monotonic_time ();

  object = aw_json_parse_object (bytes, &error);
  *accepted = object != NULL;
  return g_get_monotonic_time () - start;
}

/* The best of several parses of each of @bodies, taken in turn so that a busy machine slows
 * them alike: into @best_us, and whether each was accepted. */
static void
parse_costs_us (const GString * const *bodies,
                guint                  n_bodies,
                gint64                *best_us,
                gboolean              *accepted)
{
  for (guint b = 0; b < n_bodies; b++)
    best_us[b] = G_MAXINT64;
  for (guint i = 0; i < 7; i++)
    for (guint b = 0; b < n_bodies; b++)
      best_us[b] = MIN (best_us[b], parse_once_us (bodies[b], &accepted[b]));
}

/* A full five-day prevision-meteo.ch answer, 24 hours of 22 values a day as the real service
 * sends: well within every bound. */
static void
test_json_full_answer (void)
{
  g_autofree char *fixture = read_fixture ("prevision-meteo-lausanne.json");
  g_autofree char *hour = NULL;
  g_autoptr(GString) body = g_string_new ("{\"city_info\":{\"name\":\"Lausanne\"},"
                                          "\"current_condition\":{\"tmp\":6}");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *start = strstr (fixture, "\"0H00\":") + strlen ("\"0H00\":");

  /* one hour of the fixture, as it is */
  hour = g_strndup (start, strchr (start, '}') + 1 - start);
  for (guint day = 0; day < 5; day++)
    {
      g_string_append_printf (body, ",\"fcst_day_%u\":{\"date\":\"04.03.2019\",\"day_short\":"
                              "\"Lun.\",\"day_long\":\"Lundi\",\"tmin\":2,\"tmax\":8,"
                              "\"condition\":\"Ensoleillé\",\"condition_key\":\"ensoleille\","
                              "\"icon\":\"i\",\"icon_big\":\"i\",\"hourly_data\":{", day);
      for (guint h = 0; h < 24; h++)
        g_string_append_printf (body, "%s\"%uH00\":%s", h ? "," : "", h, hour);
      g_string_append (body, "}}");
    }
  g_string_append_c (body, '}');

  g_assert_cmpint (aw_json_scan (body->str, body->len), ==, AW_JSON_SCAN_OK);
  bytes = g_bytes_new_static (body->str, body->len);
  object = aw_json_parse_object (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
}

/* 11,388 member names of one string hash (262 KB) took json-glib 2 s to parse on the run's
 * loop. Refused at once now; and whatever passes the bounds, up to the size cap, costs about
 * what a plain answer of the same size does. */
static void
test_json_colliding_names (void)
{
  g_autoptr(GString) attack = colliding_answer (1, 11388, "", TRUE, 0);
  g_autofree char *long_prefix = g_strnfill (AW_JSON_MAX_NAME_BYTES - 12, 'p');
  guint n_full = AW_JSON_MAX_MEMBER_PAIRS / (AW_JSON_MAX_MEMBERS * (AW_JSON_MAX_MEMBERS - 1) / 2);
  struct {
    const char *what;
    GString    *colliding;
    GString    *plain;
  } shapes[3];

  /* The attack as seen: same hash, under the size cap. */
  g_assert_cmpuint (attack->len, <, AW_MAX_BODY_BYTES);
  g_assert_cmpuint (g_str_hash ("aEzFYG8"), ==, g_str_hash ("aG8EzFY"));
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (attack->str, attack->len);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) object = aw_json_parse_object (bytes, &error);

    g_assert_null (object);
    g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
  }

  /* The worst that passes, at the size cap: full objects of colliding names, as many as the
   * bound on pairs allows; and long names sharing a long prefix, so that each comparison of
   * two colliding names reads far. Each beside a body of the same shape whose names differ. */
  shapes[0].what = "full objects of colliding names";
  shapes[0].colliding = colliding_answer (n_full, AW_JSON_MAX_MEMBERS, "", TRUE,
                                          AW_MAX_BODY_BYTES);
  shapes[0].plain = colliding_answer (n_full, AW_JSON_MAX_MEMBERS, "", FALSE, AW_MAX_BODY_BYTES);
  shapes[1].what = "long colliding names";
  shapes[1].colliding = colliding_answer (n_full, AW_JSON_MAX_MEMBERS, long_prefix, TRUE,
                                          AW_MAX_BODY_BYTES);
  shapes[1].plain = colliding_answer (n_full, AW_JSON_MAX_MEMBERS, long_prefix, FALSE,
                                      AW_MAX_BODY_BYTES);
  /* as many full objects as the size cap holds */
  shapes[2].what = "the size cap filled with full objects";
  shapes[2].colliding = colliding_answer (AW_MAX_BODY_BYTES / (AW_JSON_MAX_MEMBERS * 17) - 1,
                                          AW_JSON_MAX_MEMBERS, "", TRUE, AW_MAX_BODY_BYTES);
  shapes[2].plain = colliding_answer (AW_MAX_BODY_BYTES / (AW_JSON_MAX_MEMBERS * 17) - 1,
                                      AW_JSON_MAX_MEMBERS, "", FALSE, AW_MAX_BODY_BYTES);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      const GString *bodies[] = { shapes[i].colliding, shapes[i].plain, attack };
      gint64 us[G_N_ELEMENTS (bodies)];
      gboolean accepted[G_N_ELEMENTS (bodies)];
      gint64 colliding_us, plain_us, attack_us;

      g_assert_cmpuint (shapes[i].colliding->len, ==, shapes[i].plain->len);
      g_assert_cmpuint (shapes[i].colliding->len, ==, AW_MAX_BODY_BYTES);
      parse_costs_us (bodies, G_N_ELEMENTS (bodies), us, accepted);
      colliding_us = us[0];
      plain_us = us[1];
      attack_us = us[2];
      g_assert_false (accepted[2]);
      g_test_message ("%s, %" G_GSIZE_FORMAT " bytes: %" G_GINT64_FORMAT " µs, distinct names %"
                      G_GINT64_FORMAT " µs (%s); the attack refused in %" G_GINT64_FORMAT " µs",
                      shapes[i].what, shapes[i].colliding->len, colliding_us, plain_us,
                      accepted[0] ? "accepted" : "refused", attack_us);
      /* the bounds do not depend on the names: only the cost of colliding ones would */
      g_assert_cmpint (accepted[0], ==, accepted[1]);
      /* the first two are the most that passes; the last, far more work, does not */
      g_assert_true (accepted[0] == (i < 2));
      if (accepted[0])
        {
          g_assert_cmpint (colliding_us, <, 6 * plain_us);
          g_assert_cmpint (attack_us, <, plain_us);
        }
      g_string_free (shapes[i].colliding, TRUE);
      g_string_free (shapes[i].plain, TRUE);
    }
}

static void
test_open_meteo_geocoding (void)
{
  g_autofree char *body = read_fixture ("open-meteo-geocoding-berlin.json");
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("open-meteo", 0, 200, body, -1, &lookup, &weather, &error), ==,
                   AW_STEP_NEXT);
  g_assert_no_error (error);
  g_assert_null (weather);
  g_assert_cmpstr (lookup.place, ==, "Berlin, Deutschland");
  g_assert_cmpfloat_with_epsilon (lookup.latitude, 52.52437, 1e-9);
  g_assert_cmpfloat_with_epsilon (lookup.longitude, 13.41053, 1e-9);
  aw_lookup_clear (&lookup);
}

static void
test_open_meteo_no_results (void)
{
  g_autofree char *body = read_fixture ("open-meteo-geocoding-none.json");
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("open-meteo", 0, 200, body, -1, &lookup, &weather, &error), ==,
                   AW_STEP_FAILED);
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Lausanne"));
}

static void
test_open_meteo_current (void)
{
  g_autofree char *body = read_fixture ("open-meteo-forecast-current.json");
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("open-meteo", 1, 200, body, -1, &lookup, &weather, &error), ==,
                   AW_STEP_DONE);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (weather->temperature_c, 2.1, 1e-9);
  g_assert_cmpstr (weather->condition, ==, "Clear sky");
  g_assert_cmpstr (weather->observed_at, ==, "2024-12-01T12:30");
}

/* Null values and codes outside the WMO table are "unknown", not errors. */
static void
test_open_meteo_nulls (void)
{
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };

  g_assert_cmpint (parse ("open-meteo", 1, 200,
                          "{\"current\":{\"temperature_2m\":-1.5,\"relative_humidity_2m\":null,"
                          "\"weather_code\":42,\"wind_speed_10m\":\"fast\"}}", -1,
                          &lookup, &weather, &error), ==, AW_STEP_DONE);
  g_assert_cmpint (weather->humidity, ==, -1);
  g_assert_cmpfloat (weather->wind_kmh, ==, -1);
  g_assert_cmpstr (weather->condition, ==, "Unknown");

  g_clear_pointer (&weather, aw_weather_free);
  g_assert_cmpint (parse ("open-meteo", 1, 200, "{\"current\":{\"temperature_2m\":null}}", -1,
                          &lookup, &weather, &error), ==, AW_STEP_FAILED);
  g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER);
}

static char *
build_uri (const char      *name,
           const char      *city,
           const AwLookup  *lookup,
           GError         **error)
{
  g_autoptr(AwProvider) self = provider (name);

  return aw_provider_build_uri (self, city, lookup, error);
}

/* Whatever the name holds, it stays one path segment, and decodes back to itself. */
static void
test_city_escaping (void)
{
  static const char * const cities[] = {
    "Paris", "Saint-Étienne", "New York", "北京", "🌧 Rain", "a/b", "what?", "#1", "100%",
    "../etc/passwd", "a&b=c", "x+y", ". .",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    {
      AwLookup lookup = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = build_uri ("prevision", cities[i], &lookup, &error);
      g_autoptr(GUri) parsed = NULL;
      g_autofree char *decoded = NULL;
      const char *segment;

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:1/services/json/"));
      parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, &error);
      g_assert_no_error (error);
      g_assert_null (g_uri_get_query (parsed));
      g_assert_null (g_uri_get_fragment (parsed));
      segment = g_uri_get_path (parsed) + strlen ("/services/json/");
      g_assert_null (strchr (segment, '/'));
      decoded = g_uri_unescape_string (segment, NULL);
      g_assert_cmpstr (decoded, ==, cities[i]);
    }
}

static void
test_city_query_escaping (void)
{
  AwLookup lookup = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = build_uri ("open-meteo", "a&count=99#x", &lookup, &error);
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) params = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  g_assert_null (g_uri_get_fragment (parsed));
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, "a&count=99#x");
  g_assert_cmpstr (g_hash_table_lookup (params, "count"), ==, "1");

  lookup.step = 1;
  lookup.latitude = 52.52437;
  lookup.longitude = -13.41053;
  g_free (uri);
  uri = build_uri ("open-meteo", "Berlin", &lookup, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (uri, "/v1/forecast?latitude=52.52437&longitude=-13.41053&"));
  g_assert_nonnull (strstr (uri, "current=temperature_2m"));
}

static void
test_city_refused (void)
{
  g_autofree char *too_long = g_strnfill (201, 'a');
  const char * const cities[] = {
    "", "   ", " Paris", "Paris ", "Par\nis", "Par\tis", "a\x7f", "..", ".", too_long,
    "\xc3\x28",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cities); i++)
    {
      AwLookup lookup = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = build_uri ("prevision", cities[i], &lookup, &error);

      g_test_message ("case %u", i);
      g_assert_null (uri);
      g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY);
    }
}

static void
test_city_normalize (void)
{
  g_autofree char *city = aw_city_name_normalize ("  Toulouse \t");
  g_autofree char *exact = g_strnfill (200, 'a');
  AwLookup lookup = { 0 };
  g_autofree char *uri = build_uri ("prevision", exact, &lookup, NULL);

  g_assert_cmpstr (city, ==, "Toulouse");
  g_assert_nonnull (uri);
}

static void
test_unknown_provider (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AwProvider) none = aw_provider_new_for_name ("wttr", NULL, &error);

  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  g_clear_error (&error);
  g_assert_null (aw_provider_new_for_name ("demo", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* One table of services: each builds, says whether it is real, and the default comes first. */
static void
test_provider_table (void)
{
  guint n_demo = 0;

  for (const AwProviderInfo *info = aw_providers; info->name != NULL; info++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AwProvider) provider = aw_provider_new_for_name (info->name,
                                                                 "http://127.0.0.1:9/",
                                                                 &error);

      g_assert_no_error (error);
      g_assert_true (aw_provider_is_real (provider) == info->is_real);
      g_assert_true (aw_provider_name_is_real (info->name) == info->is_real);
      g_assert_true (aw_provider_name_is_demo (info->name) == info->is_demo);
      g_assert_true (aw_provider_info_lookup (info->name) == info);
      g_assert_nonnull (info->label);
      n_demo += info->is_demo;
      /* Only the demo needs an address; the others know their own. */
      if (!info->is_demo)
        g_assert_finalize_object (aw_provider_new_for_name (info->name, NULL, NULL));
    }
  g_assert_cmpuint (n_demo, ==, 1);
  g_assert_null (aw_provider_info_lookup ("../../etc/passwd"));
  g_assert_null (aw_provider_new_for_name ("demo", NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/providers/table", test_provider_table);
  g_test_add_func ("/providers/prevision/fixture", test_prevision_fixture);
  g_test_add_func ("/providers/prevision/errors-answer", test_prevision_errors_answer);
  g_test_add_func ("/providers/prevision/numeric-strings", test_prevision_numeric_strings);
  g_test_add_func ("/providers/prevision/broken", test_prevision_broken);
  g_test_add_func ("/providers/prevision/deep-nesting", test_prevision_deep_nesting);
  g_test_add_func ("/providers/prevision/hidden-nesting", test_prevision_hidden_nesting);
  g_test_add_func ("/providers/prevision/hostile-text", test_prevision_hostile_text);
  g_test_add_func ("/providers/prevision/exact-numbers", test_prevision_exact_numbers);
  g_test_add_func ("/providers/prevision/implausible", test_prevision_implausible);
  g_test_add_func ("/providers/json/scan", test_json_scan);
  g_test_add_func ("/providers/json/full-answer", test_json_full_answer);
  g_test_add_func ("/providers/json/colliding-names", test_json_colliding_names);
  g_test_add_func ("/providers/open-meteo/geocoding", test_open_meteo_geocoding);
  g_test_add_func ("/providers/open-meteo/no-results", test_open_meteo_no_results);
  g_test_add_func ("/providers/open-meteo/current", test_open_meteo_current);
  g_test_add_func ("/providers/open-meteo/nulls", test_open_meteo_nulls);
  g_test_add_func ("/providers/city/escaping", test_city_escaping);
  g_test_add_func ("/providers/city/query-escaping", test_city_query_escaping);
  g_test_add_func ("/providers/city/refused", test_city_refused);
  g_test_add_func ("/providers/city/normalize", test_city_normalize);
  g_test_add_func ("/providers/unknown", test_unknown_provider);

  return g_test_run ();
}
