/* test-run-record.c: the rule that says whether two runs compare, and the history's JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "aw-run-record.h"
#include "aw-task-private.h"

static AwRunRecord *
new_record (AwMode  mode,
            gint64  total_us)
{
  const char *cities[] = { "Paris", "Toulouse", "Marseille", NULL };
  AwRunRecord *record = aw_run_record_new ();

  record->mode = mode;
  record->latency_min_s = record->latency_max_s = 2;
  record->timeout_s = 15;
  g_strfreev (record->cities);
  record->cities = g_strdupv ((char **)cities);
  record->finished = TRUE;
  record->total_us = total_us;
  record->sum_us = 6000000;
  return record;
}

/* Asserts that @a and @b do not compare, and why. */
static void
assert_refused (const AwRunRecord *a,
                const AwRunRecord *b,
                const char        *reason)
{
  g_autofree char *why = NULL;
  double ratio = -1;

  g_assert_false (aw_run_record_compare (a, b, &ratio, &why));
  g_assert_cmpfloat (ratio, ==, -1);
  g_assert_nonnull (why);
  g_assert_true (g_str_has_prefix (why, reason));
}

static void
test_like_for_like (void)
{
  g_autoptr(AwRunRecord) sequential = new_record (AW_MODE_SEQUENTIAL, 6000000);
  g_autoptr(AwRunRecord) concurrent = new_record (AW_MODE_CONCURRENT, 2000000);
  g_autofree char *reason = NULL;
  g_autofree char *faster = NULL;
  g_autofree char *slower = NULL;
  double ratio = 0;

  /* The same cities in another order are the same cities. */
  g_free (concurrent->cities[0]);
  concurrent->cities[0] = g_strdup ("Marseille");
  g_free (concurrent->cities[2]);
  concurrent->cities[2] = g_strdup ("Paris");

  g_assert_true (aw_run_record_compare (sequential, concurrent, &ratio, &reason));
  g_assert_null (reason);
  g_assert_cmpfloat_with_epsilon (ratio, 3.0, 1e-9);
  faster = aw_run_record_format_ratio (ratio);
  g_assert_cmpstr (faster, ==, "3.0× faster");

  g_assert_true (aw_run_record_compare (concurrent, sequential, &ratio, NULL));
  slower = aw_run_record_format_ratio (ratio);
  g_assert_cmpstr (slower, ==, "3.0× slower");
}

static void
test_ratio_words (void)
{
  struct { double ratio; const char *text; } cases[] = {
    { 1.0, "as fast" },
    { 1.04, "as fast" },
    { 0.96, "as fast" },
    { 1.06, "1.1× faster" },
    { 1 / 2.1, "2.1× slower" },
    { 215.8, "215.8× faster" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = aw_run_record_format_ratio (cases[i].ratio);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_refusals (void)
{
  g_autoptr(AwRunRecord) a = new_record (AW_MODE_SEQUENTIAL, 6000000);
  g_autoptr(AwRunRecord) b = NULL;
  const char *more[] = { "Paris", "Toulouse", "Marseille", "Lyon", NULL };

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->stopped = TRUE;
  assert_refused (a, b, "stopped");
  assert_refused (b, a, "stopped");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 14000);
  b->n_failed = 3;
  assert_refused (a, b, "3 tasks failed");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->finished = FALSE;
  assert_refused (a, b, "not finished");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  g_strfreev (b->cities);
  b->cities = g_strdupv ((char **)more);
  assert_refused (a, b, "different cities");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  g_free (b->service);
  b->service = g_strdup ("open-meteo");
  assert_refused (a, b, "different service");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->latency_max_s = 5;
  assert_refused (a, b, "different settings: latency 2 s → 2 s–5 s");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->failure_rate = 0.5;
  assert_refused (a, b, "different settings: failure rate 0 % → 50 %");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->timeout_s = 1;
  assert_refused (a, b, "different settings: timeout");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->conns_per_host = 2;
  assert_refused (a, b, "different settings: connections per host one per task → 2");
  g_clear_pointer (&b, aw_run_record_free);

  /* Runs with different work per answer, or another workload, do not compare. */
  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->work_ms = 200;
  assert_refused (a, b, "different settings: work per answer none → 200 ms");
  g_clear_pointer (&b, aw_run_record_free);

  b = new_record (AW_MODE_CONCURRENT, 2000000);
  b->workload = AW_WORKLOAD_SLEEP;
  assert_refused (a, b, "different settings: workload weather → sleep only");
  /* Two sleeps compare whatever service was chosen: they send it nothing. */
  {
    g_autoptr(AwRunRecord) c = new_record (AW_MODE_SEQUENTIAL, 6000000);

    c->workload = AW_WORKLOAD_SLEEP;
    g_free (c->service);
    c->service = g_strdup ("open-meteo");
    g_assert_true (aw_run_record_compare (c, b, NULL, NULL));
  }
  g_clear_pointer (&b, aw_run_record_free);

  /* Mode and K are what a comparison is about. */
  b = new_record (AW_MODE_LIMITED, 2000000);
  b->limit = 4;
  g_assert_true (aw_run_record_compare (a, b, NULL, NULL));
  g_assert_true (aw_run_record_same_setup (a, b, NULL));
}

static void
test_names_and_differences (void)
{
  g_autoptr(AwRunRecord) a = new_record (AW_MODE_LIMITED, 6000000);
  g_autoptr(AwRunRecord) b = new_record (AW_MODE_LIMITED, 2000000);
  g_autofree char *name = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *none = NULL;
  g_autofree char *differences = NULL;

  a->limit = 2;
  b->limit = 4;
  b->conns_per_host = 6;
  name = aw_run_record_format_name (a);
  g_assert_true (g_str_has_prefix (name, "Limited (K = 2) · 3 cities · "));
  settings = aw_run_record_format_settings (b);
  g_assert_cmpstr (settings, ==, "demo 2 s · 0 % fail · timeout 15 s · conns/host 6");
  g_clear_pointer (&settings, g_free);
  b->work_ms = 200;
  settings = aw_run_record_format_settings (b);
  g_assert_cmpstr (settings, ==, "demo 2 s · 0 % fail · timeout 15 s · conns/host 6 · work 200 ms");
  g_clear_pointer (&settings, g_free);
  b->workload = AW_WORKLOAD_SLEEP;
  settings = aw_run_record_format_settings (b);
  g_assert_cmpstr (settings, ==, "sleep 2 s · timeout 15 s");
  b->workload = AW_WORKLOAD_WEATHER;
  b->work_ms = 0;
  g_assert_null (aw_run_record_format_cpu (b));
  b->cpu_us = 3630000;
  b->total_us = 2000000;
  g_clear_pointer (&settings, g_free);
  settings = aw_run_record_format_cpu (b);
  g_assert_cmpstr (settings, ==, "CPU 3.63 s · 1.8 cores");
  none = aw_run_record_describe_differences (a, a);
  g_assert_null (none);
  differences = aw_run_record_describe_differences (a, b);
  g_assert_cmpstr (differences, ==,
                   "mode Limited (K = 2) → Limited (K = 4), connections per host one per task → 6");
}

static void
test_json (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  AwRunRecord *a, *b;
  const char *bad[] = {
    "",
    "[]",
    "{\"version\": 2, \"runs\": []}",
    "{\"version\": 1, \"runs\": [{\"mode\": \"warp\"}]}",
    "{\"version\": 1, \"runs\": 3}",
  };

  a = new_record (AW_MODE_SEQUENTIAL, 6000000);
  a->latency_min_s = 0.3;
  a->latency_max_s = 0.7;
  a->failure_rate = 0.25;
  g_ptr_array_add (records, a);
  b = new_record (AW_MODE_LIMITED, 2000000);
  b->limit = 3;
  b->stopped = TRUE;
  b->n_failed = 1;
  b->frame_gap_us = 12345;
  b->workload = AW_WORKLOAD_SLEEP;
  b->work_ms = 300;
  b->cpu_us = 1210000;
  g_ptr_array_add (records, b);

  json = aw_run_record_list_to_json (records);
  loaded = aw_run_record_list_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      AwRunRecord *x = g_ptr_array_index (records, i);
      AwRunRecord *y = g_ptr_array_index (loaded, i);

      g_assert_cmpint (x->mode, ==, y->mode);
      g_assert_cmpuint (x->limit, ==, y->limit);
      g_assert_cmpint (x->workload, ==, y->workload);
      g_assert_cmpuint (x->work_ms, ==, y->work_ms);
      g_assert_cmpint (x->cpu_us, ==, y->cpu_us);
      g_assert_true (aw_run_record_same_setup (x, y, NULL));
      g_assert_cmpint (x->stopped, ==, y->stopped);
      g_assert_cmpuint (x->n_failed, ==, y->n_failed);
      g_assert_cmpint (x->total_us, ==, y->total_us);
      g_assert_cmpint (x->frame_gap_us, ==, y->frame_gap_us);
      g_assert_true (g_date_time_equal (x->started_at, y->started_at));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(GPtrArray) none = aw_run_record_list_from_json (bad[i], &bad_error);

      g_assert_null (none);
      g_assert_nonnull (bad_error);
    }
}

/* A run's bars go to JSON and come back as the same tasks; stamps out of order are refused. */
static void
test_tasks_json (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autofree char *json = NULL;
  g_autofree char *bad = NULL;
  AwRunRecord *record = new_record (AW_MODE_CONCURRENT, 2100000);
  AwTask *task;
  AwWeather *weather = aw_weather_new ();
  const AwSpan *spans;
  guint n_spans;

  record->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  task = aw_task_new (0, "Paris");
  aw_task_add_request (task, "http://127.0.0.1:1/Paris");
  aw_task_begin_phase (task, AW_PHASE_CONNECT, 1000);
  aw_task_begin_phase (task, AW_PHASE_WAIT, 3000);
  aw_task_set_request_status (task, 200);
  aw_task_begin_phase (task, AW_PHASE_PARSE, 2000000);
  weather->temperature_c = -3.5;
  weather->condition = g_strdup ("Neige");
  weather->icon_name = g_strdup ("weather-snow-symbolic");
  aw_task_add_loop_time (task, 500, 1200);
  aw_task_succeed (task, weather, 2001000);
  g_ptr_array_add (record->tasks, task);
  task = aw_task_new (1, "Lyon");
  aw_task_add_request (task, "http://127.0.0.1:1/Lyon");
  aw_task_begin_phase (task, AW_PHASE_WAIT, 2000);
  aw_task_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "500"), 2100000);
  g_ptr_array_add (record->tasks, task);
  g_ptr_array_add (records, record);

  json = aw_run_record_list_to_json (records);
  loaded = aw_run_record_list_from_json (json, &error);
  g_assert_no_error (error);
  run = aw_run_record_restore_run (g_ptr_array_index (loaded, 0));
  g_assert_nonnull (run);
  g_assert_true (aw_fetch_run_is_finished (run));
  g_assert_cmpint (aw_fetch_run_get_total_us (run), ==, 2100000);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 1);
  task = aw_fetch_run_get_task (run, 0);
  g_assert_cmpstr (aw_task_get_city (task), ==, "Paris");
  g_assert_cmpfloat (aw_task_get_weather (task)->temperature_c, ==, -3.5);
  g_assert_cmpuint (aw_task_get_n_requests (task), ==, 1);
  g_assert_cmpuint (aw_task_get_request_status (task, 0), ==, 200);
  g_assert_cmpint (aw_task_get_phase_us (task, AW_PHASE_WAIT), ==, 2000000 - 3000);
  spans = aw_task_get_spans (task, &n_spans);
  g_assert_cmpuint (n_spans, ==, 4);
  g_assert_cmpint (spans[3].end_us, ==, 2001000);
  /* Its ledger too, loop time and all. */
  {
    AwLedger ledger;

    aw_task_get_ledger (task, &ledger);
    g_assert_cmpint (ledger.ready_us, ==, 500);
    g_assert_cmpint (ledger.running_us, ==, 1200);
    g_assert_cmpint (ledger.queued_us + ledger.network_us + ledger.ready_us + ledger.running_us,
                     ==, 2001000);
  }
  task = aw_fetch_run_get_task (run, 1);
  g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_FAILED);
  g_assert_cmpstr (aw_task_get_error (task)->message, ==, "500");
  g_assert_false (aw_weather_is_sleep (aw_task_get_weather (aw_fetch_run_get_task (run, 0))));

  /* The tasks of a sleep run come back as sleeps, with no temperature to show. */
  {
    g_autofree char *sleep_json = NULL;
    g_autoptr(GPtrArray) sleep_loaded = NULL;
    g_autoptr(AwFetchRun) sleep_run = NULL;

    record->workload = AW_WORKLOAD_SLEEP;
    sleep_json = aw_run_record_list_to_json (records);
    record->workload = AW_WORKLOAD_WEATHER;
    sleep_loaded = aw_run_record_list_from_json (sleep_json, &error);
    g_assert_no_error (error);
    sleep_run = aw_run_record_restore_run (g_ptr_array_index (sleep_loaded, 0));
    g_assert_true (aw_weather_is_sleep (aw_task_get_weather (aw_fetch_run_get_task (sleep_run,
                                                                                    0))));
  }

  /* A span that ends before it starts. */
  bad = g_strdup (json);
  g_assert_nonnull (strstr (bad, "2000000,"));
  memcpy (strstr (bad, "2000000,"), "9000000,", 8);
  refused = aw_run_record_list_from_json (bad, NULL);
  g_assert_null (refused);

  /* Loop time out of range. */
  g_clear_pointer (&bad, g_free);
  bad = g_strdup (json);
  g_assert_nonnull (strstr (bad, "\"ready-us\":500,"));
  memcpy (strstr (bad, "\"ready-us\":500,"), "\"ready-us\":-50", 14);
  refused = aw_run_record_list_from_json (bad, NULL);
  g_assert_null (refused);
}

static AwTask *
new_task (guint  index,
          gint64 end_us)
{
  g_autofree char *city = g_strdup_printf ("City %u", index);
  AwTask *task = aw_task_new (index, city);
  AwWeather *weather = aw_weather_new ();

  aw_task_add_request (task, "http://127.0.0.1:1/services/json/City");
  aw_task_begin_phase (task, AW_PHASE_DNS, 10);
  aw_task_begin_phase (task, AW_PHASE_CONNECT, 20);
  aw_task_begin_phase (task, AW_PHASE_SEND, 30);
  aw_task_begin_phase (task, AW_PHASE_WAIT, 40);
  aw_task_begin_phase (task, AW_PHASE_RECEIVE, end_us - 20);
  aw_task_begin_phase (task, AW_PHASE_PARSE, end_us - 10);
  weather->condition = g_strdup ("Ensoleillé");
  weather->icon_name = g_strdup ("weather-clear-symbolic");
  aw_task_succeed (task, weather, end_us);
  return task;
}

/* The names and values of a JSON tree, as a guarded reader counts them. */
static gsize
count_json_tokens (JsonNode *node)
{
  gsize tokens = 1;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));

      for (GList *l = members; l != NULL; l = l->next)
        tokens += 1 + count_json_tokens (json_object_get_member (json_node_get_object (node),
                                                                 l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      tokens += count_json_tokens (json_array_get_element (json_node_get_array (node), i));
  return tokens;
}

static gsize
tokens_of (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return count_json_tokens (json_parser_get_root (parser));
}

/* The file stays readable whatever the history holds: bars go first, from the oldest runs,
 * then the oldest runs; runs of the same cities share one list of them. */
static void
test_json_budget (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) distinct = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  g_autoptr(GPtrArray) loaded_distinct = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_distinct = NULL;
  AwRunRecord *first, *last;

  /* 50 runs of 100 tasks: their bars alone are several times the budget. */
  for (guint r = 0; r < 50; r++)
    {
      AwRunRecord *record = new_record (AW_MODE_CONCURRENT, 2000000);

      record->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint t = 0; t < AW_RUN_RECORD_MAX_TASKS; t++)
        g_ptr_array_add (record->tasks, new_task (t, 1000000 + t));
      g_ptr_array_add (records, record);
    }
  json = aw_run_record_list_to_json (records);
  g_assert_cmpuint (strlen (json), <=, AW_RUN_RECORD_MAX_JSON_BYTES);
  g_assert_cmpuint (tokens_of (json), <=, AW_RUN_RECORD_MAX_JSON_TOKENS);
  loaded = aw_run_record_list_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 50);
  first = g_ptr_array_index (loaded, 0);
  last = g_ptr_array_index (loaded, 49);
  g_assert_null (first->tasks);
  g_assert_nonnull (last->tasks);
  g_assert_cmpuint (last->tasks->len, ==, AW_RUN_RECORD_MAX_TASKS);
  g_assert_true (aw_run_record_same_setup (first, last, NULL));

  /* 50 runs of 1000 cities each, all different: only the newest fit, and they load. */
  for (guint r = 0; r < 50; r++)
    {
      AwRunRecord *record = new_record (AW_MODE_CONCURRENT, 2000000);
      g_autoptr(GStrvBuilder) cities = g_strv_builder_new ();

      for (guint c = 0; c < 1000; c++)
        {
          g_autofree char *city = g_strdup_printf ("Saint-Martin-de-%u-%u", r, c);

          g_strv_builder_add (cities, city);
        }
      g_strfreev (record->cities);
      record->cities = g_strv_builder_end (cities);
      g_ptr_array_add (distinct, record);
    }
  json_distinct = aw_run_record_list_to_json (distinct);
  g_assert_cmpuint (strlen (json_distinct), <=, AW_RUN_RECORD_MAX_JSON_BYTES);
  g_assert_cmpuint (tokens_of (json_distinct), <=, AW_RUN_RECORD_MAX_JSON_TOKENS);
  loaded_distinct = aw_run_record_list_from_json (json_distinct, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded_distinct->len, >, 0);
  g_assert_cmpuint (loaded_distinct->len, <, 50);
  g_assert_cmpstr (((AwRunRecord *)g_ptr_array_index (loaded_distinct,
                                                      loaded_distinct->len - 1))->cities[999],
                   ==, "Saint-Martin-de-49-999");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run-record/like-for-like", test_like_for_like);
  g_test_add_func ("/run-record/ratio-words", test_ratio_words);
  g_test_add_func ("/run-record/refusals", test_refusals);
  g_test_add_func ("/run-record/names-and-differences", test_names_and_differences);
  g_test_add_func ("/run-record/json", test_json);
  g_test_add_func ("/run-record/tasks-json", test_tasks_json);
  g_test_add_func ("/run-record/json-budget", test_json_budget);

  return g_test_run ();
}
