/* aw-export-json.c: the two JSON exports of finished runs: HAR 1.2 (one page per run, one
 * entry per request) and Chrome trace-event JSON (one process per run, tasks and thread lanes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "aw-export-private.h"

static void
add_member_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_member_double (JsonBuilder *builder,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_empty_array (JsonBuilder *builder,
                 const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
}

static char *
builder_to_string (JsonBuilder *builder,
                   gboolean     pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The spans of request @request of @task: [*first, *last), without its parse span. The queued
 * span just before the first request is its "blocked" time. */
static void
request_range (AwTask *task,
               guint   request,
               guint  *first,
               guint  *last)
{
  const AwSpan *spans;
  guint n_spans;

  spans = aw_task_get_spans (task, &n_spans);
  *first = aw_task_get_request_first_span (task, request);
  *last = request + 1 < aw_task_get_n_requests (task)
          ? aw_task_get_request_first_span (task, request + 1) : n_spans;
  if (*first > 0 && spans[*first - 1].phase == AW_PHASE_QUEUED)
    (*first)--;
  while (*last > *first && spans[*last - 1].phase == AW_PHASE_PARSE)
    (*last)--;
}

/* HAR timings: blocked, dns, connect, ssl are -1 when they did not happen; ssl is also
 * counted inside connect; send, wait, receive are always >= 0. */
static double
add_har_timings (JsonBuilder  *builder,
                 const AwSpan *spans,
                 guint         first,
                 guint         last)
{
  double phase_ms[AW_N_PHASES] = { 0 };
  gboolean seen[AW_N_PHASES] = { FALSE };
  double blocked, dns, connect, ssl, time;

  for (guint i = first; i < last; i++)
    {
      phase_ms[spans[i].phase] += ms (spans[i].end_us - spans[i].start_us);
      seen[spans[i].phase] = TRUE;
    }

  blocked = seen[AW_PHASE_QUEUED] ? phase_ms[AW_PHASE_QUEUED] : -1;
  dns = seen[AW_PHASE_DNS] ? phase_ms[AW_PHASE_DNS] : -1;
  ssl = seen[AW_PHASE_TLS] ? phase_ms[AW_PHASE_TLS] : -1;
  connect = seen[AW_PHASE_CONNECT] || seen[AW_PHASE_TLS]
            ? phase_ms[AW_PHASE_CONNECT] + phase_ms[AW_PHASE_TLS] : -1;

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  add_member_double (builder, "blocked", blocked);
  add_member_double (builder, "dns", dns);
  add_member_double (builder, "connect", connect);
  add_member_double (builder, "ssl", ssl);
  add_member_double (builder, "send", phase_ms[AW_PHASE_SEND]);
  add_member_double (builder, "wait", phase_ms[AW_PHASE_WAIT]);
  add_member_double (builder, "receive", phase_ms[AW_PHASE_RECEIVE]);
  json_builder_end_object (builder);

  time = phase_ms[AW_PHASE_SEND] + phase_ms[AW_PHASE_WAIT] + phase_ms[AW_PHASE_RECEIVE];
  time += MAX (blocked, 0) + MAX (dns, 0) + MAX (connect, 0);
  return time;
}

/* "_ledger": where the task's time went, in ms like the timings; they add up to its bar. */
static void
add_har_ledger (JsonBuilder *builder,
                AwTask      *task)
{
  AwLedger ledger;

  aw_task_get_ledger (task, &ledger);
  json_builder_set_member_name (builder, "_ledger");
  json_builder_begin_object (builder);
  add_member_double (builder, "queued", ms (ledger.queued_us));
  add_member_double (builder, "network", ms (ledger.network_us));
  add_member_double (builder, "ready", ms (ledger.ready_us));
  add_member_double (builder, "running", ms (ledger.running_us));
  json_builder_end_object (builder);
}

/* The page's "_bound" (ms) and "_loop", the run's loop figures. */
static void
add_har_loop (JsonBuilder *builder,
              AwFetchRun  *run)
{
  AwLoopFigures figures;

  aw_fetch_run_get_loop_figures (run, &figures);
  add_member_double (builder, "_bound", ms (aw_fetch_run_get_bound_us (run)));
  json_builder_set_member_name (builder, "_loop");
  json_builder_begin_object (builder);
  add_member_double (builder, "busy", ms (figures.busy_us));
  add_member_double (builder, "idle", ms (figures.idle_us));
  add_member_int (builder, "callbacks", figures.n_callbacks);
  add_member_int (builder, "iterations", figures.n_iterations);
  add_member_double (builder, "longestCallback", ms (figures.longest_callback_us));
  json_builder_end_object (builder);
}

static void
add_har_entry (JsonBuilder *builder,
               AwFetchRun  *run,
               const char  *page,
               AwTask      *task,
               guint        request)
{
  const AwSpan *spans;
  const GError *error = aw_task_get_error (task);
  g_autoptr(GDateTime) started = NULL;
  g_autofree char *started_text = NULL;
  guint n_spans, first, last, status;
  gint64 start_us;
  double time;

  spans = aw_task_get_spans (task, &n_spans);
  request_range (task, request, &first, &last);
  start_us = first < n_spans ? spans[first].start_us : aw_task_get_start_us (task);
  started = g_date_time_add (aw_fetch_run_get_started_at (run), start_us);
  started_text = g_date_time_format_iso8601 (started);
  status = aw_task_get_request_status (task, request);

  json_builder_begin_object (builder);
  add_member_string (builder, "pageref", page);
  add_member_string (builder, "startedDateTime", started_text);

  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  add_member_string (builder, "method", "GET");
  add_member_string (builder, "url", aw_task_get_request_uri (task, request));
  add_member_string (builder, "httpVersion", "HTTP/1.1");
  add_empty_array (builder, "cookies");
  add_empty_array (builder, "headers");
  add_empty_array (builder, "queryString");
  add_member_int (builder, "headersSize", -1);
  add_member_int (builder, "bodySize", 0);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  add_member_int (builder, "status", status);
  add_member_string (builder, "statusText", status ? soup_status_get_phrase (status) : "");
  add_member_string (builder, "httpVersion", "HTTP/1.1");
  add_empty_array (builder, "cookies");
  add_empty_array (builder, "headers");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  add_member_int (builder, "size", -1);
  add_member_string (builder, "mimeType", "application/json");
  json_builder_end_object (builder);
  add_member_string (builder, "redirectURL", "");
  add_member_int (builder, "headersSize", -1);
  add_member_int (builder, "bodySize", -1);
  /* Custom fields start with an underscore in HAR. */
  if (error != NULL && request + 1 == aw_task_get_n_requests (task))
    add_member_string (builder, "_error", error->message);
  json_builder_end_object (builder);

  /* The task's ledger, once: with its last request. */
  if (request + 1 == aw_task_get_n_requests (task))
    add_har_ledger (builder, task);

  json_builder_set_member_name (builder, "cache");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);

  time = add_har_timings (builder, spans, first, last);
  add_member_double (builder, "time", time);
  add_member_string (builder, "comment", aw_task_get_city (task));
  json_builder_end_object (builder);
}

/* "Run 1: sequential, 3 tasks": the name of a run in every format. */
static char *
run_title (AwFetchRun *run,
           guint       index)
{
  return g_strdup_printf ("Run %u: %s, %u tasks", index + 1,
                          aw_mode_to_string (aw_fetch_run_get_mode (run)),
                          aw_fetch_run_get_n_tasks (run));
}

/* One page per run, as a browser records one per page load; entries name theirs. */
char *
aw_export_har (AwFetchRun **runs,
               guint        n_runs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GString) comment = g_string_new (NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "log");
  json_builder_begin_object (builder);
  add_member_string (builder, "version", "1.2");
  json_builder_set_member_name (builder, "creator");
  json_builder_begin_object (builder);
  add_member_string (builder, "name", "Async Weather");
  add_member_string (builder, "version", PACKAGE_VERSION);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "pages");
  json_builder_begin_array (builder);
  for (guint p = 0; p < n_runs; p++)
    {
      g_autofree char *id = g_strdup_printf ("run%u", p + 1);
      g_autofree char *title = run_title (runs[p], p);
      g_autofree char *started = g_date_time_format_iso8601 (aw_fetch_run_get_started_at (runs[p]));

      json_builder_begin_object (builder);
      add_member_string (builder, "startedDateTime", started);
      add_member_string (builder, "id", id);
      add_member_string (builder, "title", title);
      json_builder_set_member_name (builder, "pageTimings");
      json_builder_begin_object (builder);
      add_member_double (builder, "onLoad", ms (aw_fetch_run_get_total_us (runs[p])));
      json_builder_end_object (builder);
      add_har_loop (builder, runs[p]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint p = 0; p < n_runs; p++)
    {
      g_autofree char *id = g_strdup_printf ("run%u", p + 1);

      for (guint i = 0; i < aw_fetch_run_get_n_tasks (runs[p]); i++)
        {
          AwTask *task = aw_fetch_run_get_task (runs[p], i);

          for (guint r = 0; r < aw_task_get_n_requests (task); r++)
            add_har_entry (builder, runs[p], id, task, r);
        }
      g_string_append_printf (comment, "%s%s", p > 0 ? ", " : "",
                              aw_mode_to_string (aw_fetch_run_get_mode (runs[p])));
    }
  json_builder_end_array (builder);
  add_member_string (builder, "comment", comment->str);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return builder_to_string (builder, TRUE);
}

static void
begin_trace_event (JsonBuilder *builder,
                   const char  *name,
                   const char  *phase,
                   guint        pid,
                   guint        tid)
{
  json_builder_begin_object (builder);
  add_member_string (builder, "name", name);
  add_member_string (builder, "ph", phase);
  add_member_int (builder, "pid", pid);
  add_member_int (builder, "tid", tid);
}

static void
add_trace_slice (JsonBuilder *builder,
                 const char  *name,
                 const char  *category,
                 guint        pid,
                 guint        tid,
                 gint64       start_us,
                 gint64       end_us)
{
  begin_trace_event (builder, name, "X", pid, tid);
  add_member_string (builder, "cat", category);
  add_member_int (builder, "ts", start_us);
  add_member_int (builder, "dur", MAX (end_us - start_us, 0));
  json_builder_end_object (builder);
}

static void
add_trace_thread_name (JsonBuilder *builder,
                       guint        pid,
                       guint        tid,
                       const char  *name,
                       guint        sort_index)
{
  begin_trace_event (builder, "thread_name", "M", pid, tid);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  add_member_string (builder, "name", name);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  begin_trace_event (builder, "thread_sort_index", "M", pid, tid);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  add_member_int (builder, "sort_index", sort_index);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* A callback by what it ends: the task's start, its headers, a read, its parse. */
static const char *
callback_name (AwPhase phase)
{
  switch (phase)
    {
    case AW_PHASE_QUEUED:
      return "start";
    case AW_PHASE_WAIT:
      return "headers";
    case AW_PHASE_RECEIVE:
      return "read";
    case AW_PHASE_DNS:
    case AW_PHASE_CONNECT:
    case AW_PHASE_TLS:
    case AW_PHASE_SEND:
    case AW_PHASE_PARSE:
    default:
      return aw_phase_to_string (phase);
    }
}

/* The run's thread lanes, above its tasks, on tracks after theirs (tid n_tasks + 1 …): a
 * slice per callback ("Paris: headers"), blocked call or frame; idle is the gaps between. */
static void
add_trace_lanes (JsonBuilder *builder,
                 AwFetchRun  *run,
                 guint        pid)
{
  guint n_tasks = aw_fetch_run_get_n_tasks (run);

  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      guint n_slices, tid = n_tasks + 1 + lane;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);

      add_trace_thread_name (builder, pid, tid, aw_fetch_run_get_lane_name (run, lane), lane);
      for (guint i = 0; i < n_slices; i++)
        {
          const AwSlice *slice = &slices[i];
          g_autofree char *name = NULL;

          if (slice->kind == AW_SLICE_IDLE || slice->end_us < 0)
            continue;
          if (slice->task >= 0 && (guint)slice->task < n_tasks)
            name = g_strdup_printf ("%s: %s",
                                    aw_task_get_city (aw_fetch_run_get_task (run, slice->task)),
                                    slice->kind == AW_SLICE_CALLBACK
                                    ? callback_name (slice->phase)
                                    : aw_slice_kind_to_string (slice->kind));
          else
            name = g_strdup (aw_slice_kind_to_string (slice->kind));
          add_trace_slice (builder, name, "lane", pid, tid, slice->start_us, slice->end_us);
        }
    }
}

/* One process (pid) per run, each from its own zero; one track (tid) per task, so that
 * slices on a track nest: the task, and its phases; the thread lanes on tracks of their own
 * sorted above. */
static void
add_trace_run (JsonBuilder *builder,
               AwFetchRun  *run,
               guint        index)
{
  g_autofree char *title = run_title (run, index);
  g_autofree char *process = g_strdup_printf ("Async Weather: %s", title);
  guint pid = index + 1;

  begin_trace_event (builder, "process_name", "M", pid, 0);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  add_member_string (builder, "name", process);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const AwSpan *spans;
      guint n_spans, tid = i + 1;

      add_trace_thread_name (builder, pid, tid, aw_task_get_city (task),
                             aw_fetch_run_get_n_lanes (run) + i);

      add_trace_slice (builder, aw_task_get_city (task), "task", pid, tid,
                       aw_task_get_start_us (task), aw_task_get_end_us (task));

      spans = aw_task_get_spans (task, &n_spans);
      for (guint s = 0; s < n_spans; s++)
        {
          if (spans[s].end_us > spans[s].start_us)
            add_trace_slice (builder, aw_phase_to_string (spans[s].phase), "phase", pid, tid,
                             spans[s].start_us, spans[s].end_us);
        }
    }
  add_trace_lanes (builder, run, pid);
}

char *
aw_export_trace (AwFetchRun **runs,
                 guint        n_runs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "traceEvents");
  json_builder_begin_array (builder);
  for (guint p = 0; p < n_runs; p++)
    add_trace_run (builder, runs[p], p);
  json_builder_end_array (builder);
  add_member_string (builder, "displayTimeUnit", "ms");
  json_builder_end_object (builder);

  return builder_to_string (builder, FALSE);
}
