/* aw-run-record.c: the record of a run (its settings and figures), the one rule that says
 * whether two runs compare, and the JSON the history is kept in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "aw-fetch-run-private.h"
#include "aw-provider-private.h"
#include "aw-run-record.h"
#include "aw-task-private.h"

G_DEFINE_BOXED_TYPE (AwRunRecord, aw_run_record, aw_run_record_copy, aw_run_record_free)

AwRunRecord *
aw_run_record_new (void)
{
  AwRunRecord *self = g_new0 (AwRunRecord, 1);

  self->service = g_strdup ("demo");
  self->cities = g_new0 (char *, 1);
  self->started_at = g_date_time_new_now_local ();
  return self;
}

AwRunRecord *
aw_run_record_copy (const AwRunRecord *self)
{
  AwRunRecord *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->service = g_strdup (self->service);
  copy->cities = g_strdupv (self->cities);
  copy->started_at = g_date_time_ref (self->started_at);
  copy->tasks = self->tasks ? g_ptr_array_ref (self->tasks) : NULL;
  return copy;
}

void
aw_run_record_free (AwRunRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->service);
  g_strfreev (self->cities);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_free (self);
}

void
aw_run_record_set_result (AwRunRecord *self,
                          AwFetchRun  *run,
                          gint64       frame_gap_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (AW_IS_FETCH_RUN (run));

  self->finished = aw_fetch_run_is_finished (run);
  self->stopped = aw_fetch_run_was_stopped (run);
  self->n_failed = aw_fetch_run_get_n_failed (run);
  self->total_us = aw_fetch_run_get_total_us (run);
  self->sum_us = aw_fetch_run_get_sum_us (run);
  self->frame_gap_us = frame_gap_us;
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  if (aw_fetch_run_get_n_tasks (run) <= AW_RUN_RECORD_MAX_TASKS)
    {
      self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
        g_ptr_array_add (self->tasks, g_object_ref (aw_fetch_run_get_task (run, i)));
    }
}

AwFetchRun *
aw_run_record_restore_run (const AwRunRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->tasks == NULL || !self->finished)
    return NULL;
  return aw_fetch_run_new_finished (self->mode, self->tasks, self->started_at, self->total_us,
                                    self->stopped);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* The same cities, in any order: the order changes no figure a comparison shows. */
static gboolean
same_cities (char **a,
             char **b)
{
  g_autoptr(GPtrArray) sorted_a = NULL;
  g_autoptr(GPtrArray) sorted_b = NULL;
  guint n = g_strv_length (a);

  if (n != g_strv_length (b))
    return FALSE;
  sorted_a = g_ptr_array_new ();
  sorted_b = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (sorted_a, a[i]);
      g_ptr_array_add (sorted_b, b[i]);
    }
  g_ptr_array_sort (sorted_a, compare_strings);
  g_ptr_array_sort (sorted_b, compare_strings);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (g_ptr_array_index (sorted_a, i), g_ptr_array_index (sorted_b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* Settings read back from a file went through text: a millisecond is the same. */
static gboolean
same_seconds (double a,
              double b)
{
  return fabs (a - b) < 0.0005;
}

static char *
format_s (double seconds)
{
  return g_strdup_printf (_("%g s"), round (seconds * 1000) / 1000);
}

static char *
format_latency (const AwRunRecord *self)
{
  g_autofree char *min = format_s (self->latency_min_s);
  g_autofree char *max = format_s (self->latency_max_s);

  if (same_seconds (self->latency_min_s, self->latency_max_s))
    return g_steal_pointer (&min);
  /* Translators: a range of latencies, "0.5 s–2 s" */
  return g_strdup_printf (_("%s–%s"), min, max);
}

static char *
format_conns (guint conns)
{
  if (conns == 0)
    return g_strdup (_("one per task"));
  return g_strdup_printf ("%u", conns);
}

static void
add_difference (GString    *text,
                const char *what,
                const char *from,
                const char *to)
{
  if (text->len > 0)
    g_string_append (text, _(", "));
  /* Translators: a setting that differs between two runs: "latency 0.3 s → 2 s" */
  g_string_append_printf (text, _("%s %s → %s"), what, from, to);
}

/* The settings but mode, K and cities. */
static void
describe_setting_differences (const AwRunRecord *a,
                              const AwRunRecord *b,
                              GString           *text)
{
  if (g_strcmp0 (a->service, b->service) != 0)
    add_difference (text, _("service"), a->service, b->service);
  if (!same_seconds (a->latency_min_s, b->latency_min_s)
      || !same_seconds (a->latency_max_s, b->latency_max_s))
    {
      g_autofree char *from = format_latency (a);
      g_autofree char *to = format_latency (b);

      add_difference (text, _("latency"), from, to);
    }
  if (!same_seconds (a->failure_rate, b->failure_rate))
    {
      g_autofree char *from = g_strdup_printf (_("%g %%"), round (a->failure_rate * 1000) / 10);
      g_autofree char *to = g_strdup_printf (_("%g %%"), round (b->failure_rate * 1000) / 10);

      add_difference (text, _("failure rate"), from, to);
    }
  if (!same_seconds (a->timeout_s, b->timeout_s))
    {
      g_autofree char *from = format_s (a->timeout_s);
      g_autofree char *to = format_s (b->timeout_s);

      add_difference (text, _("timeout"), from, to);
    }
  if (a->conns_per_host != b->conns_per_host)
    {
      g_autofree char *from = format_conns (a->conns_per_host);
      g_autofree char *to = format_conns (b->conns_per_host);

      add_difference (text, _("connections per host"), from, to);
    }
}

gboolean
aw_run_record_same_setup (const AwRunRecord  *a,
                          const AwRunRecord  *b,
                          char              **reason)
{
  g_autoptr(GString) settings = g_string_new (NULL);

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!same_cities (a->cities, b->cities))
    {
      if (reason != NULL)
        *reason = g_strdup (_("different cities"));
      return FALSE;
    }
  if (g_strcmp0 (a->service, b->service) != 0)
    {
      if (reason != NULL)
        *reason = g_strdup (_("different service"));
      return FALSE;
    }
  describe_setting_differences (a, b, settings);
  if (settings->len > 0)
    {
      if (reason != NULL)
        /* Translators: why two runs do not compare, with what differs: "latency 0.3 s → 2 s" */
        *reason = g_strdup_printf (_("different settings: %s"), settings->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
aw_run_record_compare (const AwRunRecord  *a,
                       const AwRunRecord  *b,
                       double             *ratio,
                       char              **reason)
{
  guint n_failed;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!a->finished || !b->finished)
    {
      if (reason != NULL)
        *reason = g_strdup (_("not finished"));
      return FALSE;
    }
  if (a->stopped || b->stopped)
    {
      if (reason != NULL)
        *reason = g_strdup (_("stopped"));
      return FALSE;
    }
  n_failed = a->n_failed + b->n_failed;
  if (n_failed > 0)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task failed",
                                                "%u tasks failed", n_failed), n_failed);
      return FALSE;
    }
  if (!aw_run_record_same_setup (a, b, reason))
    return FALSE;
  if (ratio != NULL)
    *ratio = (double)MAX (a->total_us, 1) / MAX (b->total_us, 1);
  return TRUE;
}

gboolean
aw_run_record_is_as_fast (double ratio)
{
  /* What one decimal shows as 1.0 is the same speed, and says so. */
  return ratio >= 0.95 && ratio < 1.05;
}

char *
aw_run_record_format_ratio (double ratio)
{
  g_return_val_if_fail (ratio > 0, NULL);

  if (aw_run_record_is_as_fast (ratio))
    return g_strdup (_("as fast"));
  if (ratio > 1)
    /* Translators: how many times faster one run was than another */
    return g_strdup_printf (_("%.1f× faster"), ratio);
  /* Translators: how many times slower one run was than another */
  return g_strdup_printf (_("%.1f× slower"), 1 / ratio);
}

char *
aw_run_record_format_mode (const AwRunRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->mode == AW_MODE_LIMITED)
    /* Translators: the Limited mode with its number of tasks in flight */
    return g_strdup_printf (_("%s (K = %u)"), aw_mode_get_label (self->mode), self->limit);
  return g_strdup (aw_mode_get_label (self->mode));
}

char *
aw_run_record_format_name (const AwRunRecord *self)
{
  g_autofree char *mode = NULL;
  g_autofree char *time = NULL;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);

  mode = aw_run_record_format_mode (self);
  time = g_date_time_format (self->started_at, "%H:%M:%S");
  n = g_strv_length (self->cities);
  /* Translators: a run named in one line: mode, number of cities, time of day */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u city · %s",
                                       "%s · %u cities · %s", n), mode, n, time);
}

char *
aw_run_record_format_settings (const AwRunRecord *self)
{
  g_autofree char *timeout = NULL;
  g_autofree char *conns = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  timeout = format_s (self->timeout_s);
  conns = format_conns (self->conns_per_host);
  if (aw_provider_name_is_demo (self->service))
    {
      g_autofree char *latency = format_latency (self);

      /* Translators: a run's settings: demo latency, failure rate, timeout, connections */
      return g_strdup_printf (_("demo %s · %g %% fail · timeout %s · conns/host %s"),
                              latency, round (self->failure_rate * 1000) / 10, timeout, conns);
    }
  /* Translators: a run's settings: service, timeout, connections per host */
  return g_strdup_printf (_("%s · timeout %s · conns/host %s"), self->service, timeout, conns);
}

char *
aw_run_record_describe_differences (const AwRunRecord *a,
                                    const AwRunRecord *b)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  if (a->mode != b->mode || (a->mode == AW_MODE_LIMITED && a->limit != b->limit))
    {
      g_autofree char *from = aw_run_record_format_mode (a);
      g_autofree char *to = aw_run_record_format_mode (b);

      add_difference (text, _("mode"), from, to);
    }
  if (!same_cities (a->cities, b->cities))
    {
      g_autofree char *from = g_strdup_printf ("%u", g_strv_length (a->cities));
      g_autofree char *to = g_strdup_printf ("%u", g_strv_length (b->cities));

      if (g_str_equal (from, to))
        g_string_append_printf (text, "%s%s", text->len > 0 ? _(", ") : "",
                                _("other cities"));
      else
        add_difference (text, _("cities"), from, to);
    }
  describe_setting_differences (a, b, text);
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* JSON */

#define FORMAT_VERSION 1

/* A task as its bar needs it: city, end, state, spans, requests, answer or error. */
static void
add_task (JsonBuilder *builder,
          AwTask      *task)
{
  const AwWeather *weather = aw_task_get_weather (task);
  const GError *error = aw_task_get_error (task);
  const AwSpan *spans;
  guint n_spans;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "city");
  json_builder_add_string_value (builder, aw_task_get_city (task));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, aw_task_state_to_string (aw_task_get_state (task)));
  json_builder_set_member_name (builder, "end-us");
  json_builder_add_int_value (builder, aw_task_get_end_us (task));
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

static gboolean
phase_from_string (const char *name,
                   AwPhase    *phase)
{
  for (AwPhase p = 0; p < AW_N_PHASES; p++)
    if (g_strcmp0 (name, aw_phase_to_string (p)) == 0)
      {
        *phase = p;
        return TRUE;
      }
  return FALSE;
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
task_from_json (guint     index,
                JsonNode *node,
                gint64    total_us)
{
  g_autoptr(AwTask) task = NULL;
  JsonObject *object;
  JsonNode *value, *spans_node, *requests_node;
  JsonArray *spans, *requests;
  gint64 end_us, last_us = 0;
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
          || !phase_from_string (name, &phase)
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
          AwTask *task = task_from_json (i, json_array_get_element (array, i), record->total_us);

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
