/* aw-export.c: a finished run as HAR 1.2, Chrome trace-event JSON or CSV, and the one safe
 * writer every export (the CLI's and the window's, the chart's PNG too) goes through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#ifdef G_OS_WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "aw-export.h"

/* As the kernel does (Linux's MAXSYMLINKS). */
#define MAX_SYMLINKS 40

static double
ms (gint64 us)
{
  return us / 1000.0;
}

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
static char *
export_har (AwFetchRun **runs,
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

static char *
export_trace (AwFetchRun **runs,
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

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
 * Formula injection: a spreadsheet runs a field that starts with = + - @ (or a tab or carriage
 * return, which some strip first) as a formula. Such text fields (never our numbers) get a
 * leading apostrophe, as OWASP advises: spreadsheets show it as text, and the apostrophe goes
 * inside the quotes, so that the row keeps its columns for every value. */
static void
append_csv_text (GString    *csv,
                 const char *text)
{
  g_autoptr(GString) field = NULL;

  if (text == NULL || *text == '\0')
    return;
  field = g_string_new (NULL);
  if (strchr ("=+-@\t\r", text[0]) != NULL)
    g_string_append_c (field, '\'');
  g_string_append (field, text);
  if (strpbrk (field->str, ",\"\r\n") == NULL)
    {
      g_string_append_len (csv, field->str, field->len);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = field->str; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_csv_ms (GString *csv,
               gint64   us)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ',');
  g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.3f", ms (us)));
}

/* One row per task: its stamps, phases, weather, its ledger (queued, network, ready and
 * running, which add up to end - start); the last columns say which run (1, 2, …) and its
 * mode. */
static char *
export_csv (AwFetchRun **runs,
            guint        n_runs)
{
  GString *csv = g_string_new ("city,state,start_ms,end_ms,active_ms");

  for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
    g_string_append_printf (csv, ",%s_ms", aw_phase_to_string (phase));
  g_string_append (csv, ",temperature_c,condition,error,ledger_queued_ms,ledger_network_ms,"
                   "ledger_ready_ms,ledger_running_ms,run,mode\r\n");

  for (guint p = 0; p < n_runs; p++)
    {
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (runs[p]); i++)
        {
          AwFetchRun *run = runs[p];
          AwTask *task = aw_fetch_run_get_task (run, i);
          const AwWeather *weather = aw_task_get_weather (task);
          const GError *error = aw_task_get_error (task);
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          AwLedger ledger;

          append_csv_text (csv, aw_task_get_city (task));
          g_string_append_printf (csv, ",%s", aw_task_state_to_string (aw_task_get_state (task)));
          append_csv_ms (csv, aw_task_get_start_us (task));
          append_csv_ms (csv, aw_task_get_end_us (task));
          append_csv_ms (csv, aw_task_get_active_us (task));
          for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
            append_csv_ms (csv, aw_task_get_phase_us (task, phase));
          g_string_append_c (csv, ',');
          /* A sleep has no temperature: the cell stays empty, as for a failed task. */
          if (weather != NULL && !aw_weather_is_sleep (weather))
            g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.1f",
                                                   weather->temperature_c));
          g_string_append_c (csv, ',');
          append_csv_text (csv, weather ? weather->condition : NULL);
          g_string_append_c (csv, ',');
          append_csv_text (csv, error ? error->message : NULL);
          aw_task_get_ledger (task, &ledger);
          append_csv_ms (csv, ledger.queued_us);
          append_csv_ms (csv, ledger.network_us);
          append_csv_ms (csv, ledger.ready_us);
          append_csv_ms (csv, ledger.running_us);
          g_string_append_printf (csv, ",%u,%s\r\n", p + 1,
                                  aw_mode_to_string (aw_fetch_run_get_mode (run)));
        }
    }
  return g_string_free (csv, FALSE);
}

char *
aw_export_runs_to_string (AwFetchRun     **runs,
                          guint            n_runs,
                          AwExportFormat   format)
{
  g_return_val_if_fail (runs != NULL && n_runs > 0, NULL);
  for (guint i = 0; i < n_runs; i++)
    {
      g_return_val_if_fail (AW_IS_FETCH_RUN (runs[i]), NULL);
      g_return_val_if_fail (aw_fetch_run_is_finished (runs[i]), NULL);
    }

  switch (format)
    {
    case AW_EXPORT_HAR:
      return export_har (runs, n_runs);

    case AW_EXPORT_TRACE:
      return export_trace (runs, n_runs);

    case AW_EXPORT_CSV:
      return export_csv (runs, n_runs);

    default:
      g_return_val_if_reached (NULL);
    }
}

char *
aw_export_to_string (AwFetchRun     *run,
                     AwExportFormat  format)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (run), NULL);
  return aw_export_runs_to_string (&run, 1, format);
}

/* Standard output, checked: a full disk or a closed pipe is an error, not a silent loss. */
static gboolean
write_stdout (const char  *data,
              gsize        size,
              GError     **error)
{
#ifdef G_OS_WIN32
  /* The bytes as they are: text mode would turn the CSV's CR LF into CR CR LF. */
  fflush (stdout);
  _setmode (_fileno (stdout), _O_BINARY);
#endif
  if (fwrite (data, 1, size, stdout) == size && fflush (stdout) == 0)
    return TRUE;

  {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not write to standard output: %s"), g_strerror (saved_errno));
  }
  return FALSE;
}

/* What writing to @file would change: its real location, every symbolic link on its path
 * followed as the kernel would (GIO's own joining of "../" is by name, which a linked folder
 * fools), found with GFileInfo so that it works wherever GIO does. A missing file is a new one. */
static GFile *
resolve_links (GFile   *file,
               guint   *hops,
               GError **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) real_parent = NULL;
  g_autoptr(GFile) current = NULL;
  g_autoptr(GFile) next = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  const char *target;

  if (parent == NULL)
    return g_object_ref (file);
  real_parent = resolve_links (parent, hops, error);
  if (real_parent == NULL)
    return NULL;
  base = g_file_get_basename (file);
  current = g_file_get_child (real_parent, base);

  info = g_file_query_info (current,
                            G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK ","
                            G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (info == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_steal_pointer (&current);
  if (info == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  target = g_file_info_get_symlink_target (info);
  if (!g_file_info_get_is_symlink (info) || target == NULL)
    return g_steal_pointer (&current);

  if (++*hops > MAX_SYMLINKS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                           _("Too many levels of symbolic links"));
      return NULL;
    }
  next = g_file_resolve_relative_path (real_parent, target);
  return resolve_links (next, hops, error);
}

static const char *
file_id (GFileInfo *info)
{
  return info ? g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ID_FILE) : NULL;
}

/**
 * aw_export_write:
 * @file: (nullable): where to write, or %NULL for standard output
 *
 * The one way an export reaches a file. It writes only a regular file: a new one, or an
 * existing one that it replaces atomically (GIO writes a temporary file beside it and renames
 * it over the old one, keeping its owner and mode; a file with several hard links is rewritten
 * in place, so that they stay one file). Devices, pipes, sockets and directories are
 * refused with an error, so that an export onto /dev/full or a FIFO neither blocks nor replaces
 * the node. A symbolic link is followed to its target, which is written; the link stays.
 */
gboolean
aw_export_write (GFile       *file,
                 const char  *data,
                 gsize        size,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInfo) target_info = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *name = NULL;
  guint hops = 0;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  if (file == NULL)
    return write_stdout (data, size, error);

  /* What the name leads to, links followed: only a regular file (or nothing yet) will do. */
  name = g_file_get_parse_name (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ID_FILE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* A link that leads nowhere yet: its target will be a new file. */
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_SYMBOLIC_LINK)
    g_clear_object (&info);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder: an export is written to a file"), name);
      return FALSE;
    }
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file (a device, a pipe or a socket): an export is "
                     "written only to a regular file, or to “-” for standard output"), name);
      return FALSE;
    }

  /* Replace the link's target in its own folder, never the link. */
  target = resolve_links (file, &hops, error);
  if (target == NULL)
    return FALSE;
  if (info != NULL && !g_file_equal (target, file))
    {
      /* Both names must be one file, or the export would go elsewhere than the link leads. */
      target_info = g_file_query_info (target, G_FILE_ATTRIBUTE_ID_FILE,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      if (g_strcmp0 (file_id (info), file_id (target_info)) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not follow the symbolic links of “%s”"), name);
          return FALSE;
        }
    }

  return g_file_replace_contents (target, data, size, NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}

gboolean
aw_export_to_file (AwFetchRun      *run,
                   AwExportFormat   format,
                   const char      *path,
                   GError         **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (AW_IS_FETCH_RUN (run), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = aw_export_to_string (run, format);
  if (!g_str_equal (path, "-"))
    file = g_file_new_for_path (path);
  return aw_export_write (file, text, strlen (text), error);
}

gboolean
aw_export_runs_to_file (AwFetchRun     **runs,
                        guint            n_runs,
                        AwExportFormat   format,
                        const char      *path,
                        GError         **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (n_runs == 1)
    return aw_export_to_file (runs[0], format, path, error);
  text = aw_export_runs_to_string (runs, n_runs, format);
  g_return_val_if_fail (text != NULL, FALSE);
  return g_file_set_contents (path, text, -1, error);
}
