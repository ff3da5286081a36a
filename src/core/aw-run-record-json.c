/* aw-run-record-json.c: a list of run records as the history file's JSON, and back, read as
 * untrusted as any answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "aw-provider-private.h"
#include "aw-run-record.h"
#include "aw-task-private.h"
#include "aw-work.h"

#define FORMAT_VERSION 1

/* A task as its bar needs it: city, end, state, spans, requests, answer or error; the loop
 * time of its ledger. */
static void
add_task (JsonBuilder *builder,
          AwTask      *task)
{
  const AwWeather *weather = aw_task_get_weather (task);
  const GError *error = aw_task_get_error (task);
  const AwSpan *spans;
  guint n_spans;
  AwLedger ledger;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "city");
  json_builder_add_string_value (builder, aw_task_get_city (task));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, aw_task_state_to_string (aw_task_get_state (task)));
  json_builder_set_member_name (builder, "end-us");
  json_builder_add_int_value (builder, aw_task_get_end_us (task));
  /* Only where there is some: the history's budget is counted in bytes and tokens. */
  aw_task_get_ledger (task, &ledger);
  if (ledger.ready_us > 0)
    {
      json_builder_set_member_name (builder, "ready-us");
      json_builder_add_int_value (builder, ledger.ready_us);
    }
  if (ledger.running_us > 0)
    {
      json_builder_set_member_name (builder, "running-us");
      json_builder_add_int_value (builder, ledger.running_us);
    }
  json_builder_set_member_name (builder, "spans");
  json_builder_begin_array (builder);
  spans = aw_task_get_spans (task, &n_spans);
  for (guint i = 0; i < n_spans; i++)
    {
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, aw_phase_to_string (spans[i].phase));
      json_builder_add_int_value (builder, spans[i].start_us);
      json_builder_add_int_value (builder, spans[i].end_us);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint r = 0; r < aw_task_get_n_requests (task); r++)
    {
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, aw_task_get_request_uri (task, r));
      json_builder_add_int_value (builder, aw_task_get_request_status (task, r));
      json_builder_add_int_value (builder, aw_task_get_request_first_span (task, r));
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  if (weather != NULL)
    {
      json_builder_set_member_name (builder, "temperature-c");
      json_builder_add_double_value (builder, weather->temperature_c);
      json_builder_set_member_name (builder, "condition");
      json_builder_add_string_value (builder, weather->condition ? weather->condition : "");
      json_builder_set_member_name (builder, "icon");
      json_builder_add_string_value (builder, weather->icon_name ? weather->icon_name : "");
    }
  if (error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
    }
  json_builder_end_object (builder);
}

/* A record as a JSON object; its cities are the index @cities of the file's lists. */
static JsonNode *
record_to_json (const AwRunRecord *record,
                guint              cities,
                gboolean           with_tasks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *started = g_date_time_format_iso8601 (record->started_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, aw_mode_to_string (record->mode));
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, record->limit);
  json_builder_set_member_name (builder, "conns-per-host");
  json_builder_add_int_value (builder, record->conns_per_host);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, record->service);
  json_builder_set_member_name (builder, "latency-min-s");
  json_builder_add_double_value (builder, record->latency_min_s);
  json_builder_set_member_name (builder, "latency-max-s");
  json_builder_add_double_value (builder, record->latency_max_s);
  json_builder_set_member_name (builder, "failure-rate");
  json_builder_add_double_value (builder, record->failure_rate);
  json_builder_set_member_name (builder, "timeout-s");
  json_builder_add_double_value (builder, record->timeout_s);
  json_builder_set_member_name (builder, "workload");
  json_builder_add_string_value (builder, aw_workload_to_string (record->workload));
  json_builder_set_member_name (builder, "work-ms");
  json_builder_add_int_value (builder, record->work_ms);
  json_builder_set_member_name (builder, "started-at");
  json_builder_add_string_value (builder, started);
  json_builder_set_member_name (builder, "cities");
  json_builder_add_int_value (builder, cities);
  json_builder_set_member_name (builder, "finished");
  json_builder_add_boolean_value (builder, record->finished);
  json_builder_set_member_name (builder, "stopped");
  json_builder_add_boolean_value (builder, record->stopped);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, record->n_failed);
  json_builder_set_member_name (builder, "total-us");
  json_builder_add_int_value (builder, record->total_us);
  json_builder_set_member_name (builder, "sum-us");
  json_builder_add_int_value (builder, record->sum_us);
  json_builder_set_member_name (builder, "frame-gap-us");
  json_builder_add_int_value (builder, record->frame_gap_us);
  json_builder_set_member_name (builder, "cpu-us");
  json_builder_add_int_value (builder, record->cpu_us);
  if (with_tasks && record->tasks != NULL)
    {
      json_builder_set_member_name (builder, "tasks");
      json_builder_begin_array (builder);
      for (guint t = 0; t < record->tasks->len; t++)
        add_task (builder, g_ptr_array_index (record->tasks, t));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The number of names and values in @json (compact, as written here: no blanks), which a
 * guarded reader bounds as well as bytes: each container, each string (names too), and each
 * number or literal, which starts right after a ':', ',' or '['. */
static gsize
count_tokens (const char *json)
{
  gboolean in_string = FALSE;
  gsize tokens = 0;
  char previous = '\0';

  for (const char *p = json; *p != '\0'; previous = *p, p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        {
          in_string = TRUE;
          tokens++;
        }
      else if (*p == '[' || *p == '{'
               || (strchr (":,[", previous) != NULL && previous != '\0'
                   && strchr ("-0123456789tfn", *p) != NULL))
        tokens++;
    }
  return tokens;
}

/* ["Paris","Lyon"] */
static char *
city_list_to_json (char **cities)
{
  GString *json = g_string_new ("[");

  for (guint c = 0; cities[c] != NULL; c++)
    {
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), cities[c]);
      g_autofree char *quoted = node_to_string (name);

      g_string_append_printf (json, "%s%s", c > 0 ? "," : "", quoted);
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

char *
aw_run_record_list_to_json (GPtrArray *records)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();             /* char **, borrowed */
  g_autoptr(GPtrArray) list_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) json = g_string_new (NULL);
  gsize size = 64;
  gsize tokens = 8;
  guint first = records->len;
  gboolean bars_fit = TRUE;

  g_return_val_if_fail (records != NULL, NULL);

  /* From the newest back, each run with its bars while they fit (and none further back once
   * they did not), else without, until not even that fits: the file stays within what
   * aw_json_parse_object() reads, and writing it costs about that much, not the whole
   * history's bars. Runs of the same cities share one list of them. */
  while (first > 0)
    {
      const AwRunRecord *record = g_ptr_array_index (records, first - 1);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      g_autofree char *list_text = NULL;
      gsize list_size = 0, list_tokens = 0;
      guint list;

      for (list = 0; list < lists->len; list++)
        if (g_strv_equal ((const char * const *)g_ptr_array_index (lists, list),
                          (const char * const *)record->cities))
          break;
      if (list == lists->len)
        {
          list_text = city_list_to_json (record->cities);
          list_size = strlen (list_text) + 1;
          list_tokens = count_tokens (list_text);
        }
      node = record_to_json (record, list, bars_fit);
      text = node_to_string (node);
      if ((size + list_size + strlen (text) + 2 > AW_RUN_RECORD_MAX_JSON_BYTES
           || tokens + list_tokens + count_tokens (text) > AW_RUN_RECORD_MAX_JSON_TOKENS)
          && bars_fit && record->tasks != NULL)
        {
          bars_fit = FALSE;
          g_clear_pointer (&node, json_node_unref);
          g_clear_pointer (&text, g_free);
          node = record_to_json (record, list, FALSE);
          text = node_to_string (node);
        }
      if (size + list_size + strlen (text) + 2 > AW_RUN_RECORD_MAX_JSON_BYTES
          || tokens + list_tokens + count_tokens (text) > AW_RUN_RECORD_MAX_JSON_TOKENS)
        break;
      size += list_size + strlen (text) + 2;
      tokens += list_tokens + count_tokens (text);
      if (list == lists->len)
        {
          g_ptr_array_add (lists, record->cities);
          g_ptr_array_add (list_texts, g_steal_pointer (&list_text));
        }
      g_ptr_array_insert (texts, 0, g_steal_pointer (&text));
      first--;
    }

  g_string_append_printf (json, "{\"version\":%d,\"city-lists\":[", FORMAT_VERSION);
  for (guint list = 0; list < list_texts->len; list++)
    g_string_append_printf (json, "%s%s", list > 0 ? "," : "",
                            (char *)g_ptr_array_index (list_texts, list));
  g_string_append (json, "],\"runs\":[");
  for (guint i = 0; i < texts->len; i++)
    g_string_append_printf (json, "%s%s\n", i > 0 ? "," : "", (char *)g_ptr_array_index (texts, i));
  g_string_append (json, "]}\n");
  return g_string_free (g_steal_pointer (&json), FALSE);
}

/* A member of @type, or NULL: the file is read as untrusted as any answer. */
static JsonNode *
member (JsonObject *object,
        const char *name,
        GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

static gboolean
read_int (JsonObject *object,
          const char *name,
          gint64      min,
          gint64      max,
          gint64     *value)
{
  JsonNode *node = member (object, name, G_TYPE_INT64);

  if (node == NULL || json_node_get_int (node) < min || json_node_get_int (node) > max)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_double (JsonObject *object,
             const char *name,
             double      max,
             double     *value)
{
  JsonNode *node = json_object_get_member (object, name);
  double d;

  /* JSON writes 2.0 as 2: an integer is a number too. */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;
  d = json_node_get_double (node);
  if (!isfinite (d) || d < 0 || d > max)
    return FALSE;
  *value = d;
  return TRUE;
}

/* The string, integer, integer (or string, int, int) of a span or request, checked. */
static gboolean
read_triple (JsonNode    *node,
             const char **text,
             gint64      *a,
             gint64      *b)
{
  JsonArray *array;
  JsonNode *items[3];

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  if (json_array_get_length (array) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      items[i] = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (items[i])
          || json_node_get_value_type (items[i]) != (i == 0 ? G_TYPE_STRING : G_TYPE_INT64))
        return FALSE;
    }
  *text = json_node_get_string (items[0]);
  *a = json_node_get_int (items[1]);
  *b = json_node_get_int (items[2]);
  return TRUE;
}

/* A task rebuilt through the engine's own calls, so that it holds what a live one does; its
 * stamps are checked to lie in order within the run's wall time. */
static gboolean
read_double_signed (JsonObject *object,
                    const char *name,
                    double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64)
      || !isfinite (json_node_get_double (node)))
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static AwTask *
task_from_json (guint       index,
                JsonNode   *node,
                gint64      total_us,
                AwWorkload  workload)
{
  g_autoptr(AwTask) task = NULL;
  JsonObject *object;
  JsonNode *value, *spans_node, *requests_node;
  JsonArray *spans, *requests;
  gint64 end_us, last_us = 0, ready_us = 0, running_us = 0;
  guint next_request = 0;
  const char *state;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if ((value = member (object, "city", G_TYPE_STRING)) == NULL)
    return NULL;
  task = aw_task_new (index, json_node_get_string (value));
  if ((value = member (object, "state", G_TYPE_STRING)) == NULL)
    return NULL;
  state = json_node_get_string (value);
  if (!read_int (object, "end-us", 0, total_us, &end_us))
    return NULL;
  /* The ledger's loop time, since records kept it: within the bar, as the ledger clips. */
  if ((json_object_has_member (object, "ready-us")
       && !read_int (object, "ready-us", 0, end_us, &ready_us))
      || (json_object_has_member (object, "running-us")
          && !read_int (object, "running-us", 0, end_us, &running_us)))
    return NULL;
  aw_task_add_loop_time (task, ready_us, running_us);
  spans_node = json_object_get_member (object, "spans");
  requests_node = json_object_get_member (object, "requests");
  if (spans_node == NULL || !JSON_NODE_HOLDS_ARRAY (spans_node)
      || requests_node == NULL || !JSON_NODE_HOLDS_ARRAY (requests_node))
    return NULL;
  spans = json_node_get_array (spans_node);
  requests = json_node_get_array (requests_node);

  for (guint i = 0; i < json_array_get_length (spans); i++)
    {
      const char *name;
      gint64 start, end;
      AwPhase phase;

      if (!read_triple (json_array_get_element (spans, i), &name, &start, &end)
          || !aw_phase_from_string (name, &phase)
          || start < last_us || end < start || end > end_us)
        return NULL;
      last_us = end;
      /* A request starts at its first span. */
      while (next_request < json_array_get_length (requests))
        {
          const char *uri;
          gint64 status, first;

          if (!read_triple (json_array_get_element (requests, next_request), &uri, &status,
                            &first) || first < i)
            return NULL;
          if (first != i)
            break;
          aw_task_add_request (task, uri);
          aw_task_set_request_status (task, CLAMP (status, 0, 999));
          next_request++;
        }
      if (i > 0 || phase != AW_PHASE_QUEUED)
        aw_task_begin_phase (task, phase, start);
    }

  if (g_str_equal (state, aw_task_state_to_string (AW_TASK_SUCCEEDED)))
    {
      g_autoptr(AwWeather) weather = aw_weather_new ();
      JsonNode *condition = member (object, "condition", G_TYPE_STRING);
      JsonNode *icon = member (object, "icon", G_TYPE_STRING);

      if (!read_double_signed (object, "temperature-c", &weather->temperature_c)
          || condition == NULL || icon == NULL)
        return NULL;
      weather->condition = g_strdup (json_node_get_string (condition));
      weather->icon_name = g_strdup (json_node_get_string (icon));
      /* A sleep's "weather" is no service's, read back as it was shown. */
      if (workload == AW_WORKLOAD_SLEEP)
        weather->service = g_strdup (AW_SLEEP_SERVICE);
      aw_task_succeed (task, g_steal_pointer (&weather), end_us);
    }
  else
    {
      gboolean cancelled = g_str_equal (state, aw_task_state_to_string (AW_TASK_CANCELLED));

      if (!cancelled && !g_str_equal (state, aw_task_state_to_string (AW_TASK_FAILED)))
        return NULL;
      value = member (object, "error", G_TYPE_STRING);
      aw_task_fail (task,
                    g_error_new_literal (G_IO_ERROR,
                                         cancelled ? G_IO_ERROR_CANCELLED : G_IO_ERROR_FAILED,
                                         value ? json_node_get_string (value) : ""),
                    end_us);
    }
  return g_steal_pointer (&task);
}

static AwRunRecord *
record_from_json (JsonNode  *node,
                  GPtrArray *lists)
{
  g_autoptr(AwRunRecord) record = NULL;
  JsonObject *object;
  JsonNode *value;
  JsonArray *array;
  gint64 number;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  record = aw_run_record_new ();

  if ((value = member (object, "mode", G_TYPE_STRING)) == NULL
      || !aw_mode_from_string (json_node_get_string (value), &record->mode))
    return NULL;
  if (!read_int (object, "limit", 0, G_MAXINT, &number))
    return NULL;
  record->limit = number;
  if (!read_int (object, "conns-per-host", 0, G_MAXINT, &number))
    return NULL;
  record->conns_per_host = number;
  if ((value = member (object, "service", G_TYPE_STRING)) == NULL)
    return NULL;
  g_free (record->service);
  record->service = g_strdup (json_node_get_string (value));
  if (!read_double (object, "latency-min-s", 3600, &record->latency_min_s)
      || !read_double (object, "latency-max-s", 3600, &record->latency_max_s)
      || !read_double (object, "failure-rate", 1, &record->failure_rate)
      || !read_double (object, "timeout-s", 3600, &record->timeout_s))
    return NULL;
  /* Absent from the records of earlier versions: the weather, without work. */
  if (json_object_has_member (object, "workload")
      && ((value = member (object, "workload", G_TYPE_STRING)) == NULL
          || !aw_workload_from_string (json_node_get_string (value), &record->workload)))
    return NULL;
  if (json_object_has_member (object, "work-ms"))
    {
      if (!read_int (object, "work-ms", 0, AW_MAX_WORK_MS, &number))
        return NULL;
      record->work_ms = number;
    }
  if ((value = member (object, "started-at", G_TYPE_STRING)) == NULL)
    return NULL;
  g_clear_pointer (&record->started_at, g_date_time_unref);
  record->started_at = g_date_time_new_from_iso8601 (json_node_get_string (value), NULL);
  if (record->started_at == NULL)
    return NULL;

  if (!read_int (object, "cities", 0, (gint64)lists->len - 1, &number))
    return NULL;
  g_strfreev (record->cities);
  record->cities = g_strdupv (g_ptr_array_index (lists, number));

  if ((value = member (object, "finished", G_TYPE_BOOLEAN)) == NULL)
    return NULL;
  record->finished = json_node_get_boolean (value);
  if ((value = member (object, "stopped", G_TYPE_BOOLEAN)) == NULL)
    return NULL;
  record->stopped = json_node_get_boolean (value);
  if (!read_int (object, "failed", 0, G_MAXUINT, &number))
    return NULL;
  record->n_failed = number;
  if (!read_int (object, "total-us", 0, G_MAXINT64, &record->total_us)
      || !read_int (object, "sum-us", 0, G_MAXINT64, &record->sum_us)
      || !read_int (object, "frame-gap-us", 0, G_MAXINT64, &record->frame_gap_us))
    return NULL;
  /* Absent from the records of earlier versions: unknown. */
  if (json_object_has_member (object, "cpu-us")
      && !read_int (object, "cpu-us", 0, G_MAXINT64, &record->cpu_us))
    return NULL;

  node = json_object_get_member (object, "tasks");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node)
          || json_array_get_length (json_node_get_array (node)) > AW_RUN_RECORD_MAX_TASKS)
        return NULL;
      array = json_node_get_array (node);
      record->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          AwTask *task = task_from_json (i, json_array_get_element (array, i), record->total_us,
                                         record->workload);

          if (task == NULL)
            return NULL;
          g_ptr_array_add (record->tasks, task);
        }
    }
  return g_steal_pointer (&record);
}

/* The file's lists of cities, each an array of strings. */
static GPtrArray *
read_city_lists (JsonObject *object)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  JsonNode *node = json_object_get_member (object, "city-lists");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GStrvBuilder) cities = g_strv_builder_new ();
      JsonNode *list = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_ARRAY (list))
        return NULL;
      for (guint c = 0; c < json_array_get_length (json_node_get_array (list)); c++)
        {
          JsonNode *city = json_array_get_element (json_node_get_array (list), c);

          if (!JSON_NODE_HOLDS_VALUE (city) || json_node_get_value_type (city) != G_TYPE_STRING)
            return NULL;
          g_strv_builder_add (cities, json_node_get_string (city));
        }
      g_ptr_array_add (lists, g_strv_builder_end (cities));
    }
  return g_steal_pointer (&lists);
}

GPtrArray *
aw_run_record_list_from_json (const char  *json,
                              GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) lists = NULL;
  JsonNode *runs;
  JsonArray *array;
  gint64 version;

  g_return_val_if_fail (json != NULL, NULL);

  /* The engine's guarded parser: bounded size and nesting, one root, no json-glib leaks. */
  bytes = g_bytes_new_static (json, strlen (json));
  object = aw_json_parse_object (bytes, NULL);
  if (object == NULL)
    goto malformed;
  if (!read_int (object, "version", FORMAT_VERSION, FORMAT_VERSION, &version))
    goto malformed;
  lists = read_city_lists (object);
  runs = json_object_get_member (object, "runs");
  if (lists == NULL || runs == NULL || !JSON_NODE_HOLDS_ARRAY (runs))
    goto malformed;

  array = json_node_get_array (runs);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      AwRunRecord *record = record_from_json (json_array_get_element (array, i), lists);

      if (record == NULL)
        goto malformed;
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);

malformed:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The file is not a history of runs"));
  return NULL;
}
