/* aw-fetch-job.c: one task in flight: its requests, their spans, its blocking fetch
 *
 * The asynchronous path of a request lives with the loop's scheduler (aw-scheduler-loop.c);
 * what every mode shares is here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"
#include "aw-sleep-job.h"
#include "aw-spans.h"
#include "aw-work.h"

AwJob *
aw_job_new (AwFetchRun  *run,
            AwTask      *task,
            SoupSession *session,
            gint64       deadline_us)
{
  AwJob *job = g_new0 (AwJob, 1);

  job->run = run;
  job->task = g_object_ref (task);
  job->cancellable = g_cancellable_new ();
  job->uris = g_ptr_array_new_with_free_func (g_free);
  job->session = session;
  job->deadline.deadline_us = deadline_us;
  job->deadline.cancellable = job->cancellable;
  return job;
}

void
aw_job_clear_request (AwJob *job)
{
  if (job->msg != NULL)
    g_signal_handlers_disconnect_by_data (job->msg, job);
  g_clear_object (&job->msg);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->body, g_byte_array_unref);
  job->sent_us = 0;
}

void
aw_job_free (AwJob *job)
{
  aw_job_clear_request (job);
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->uris, g_ptr_array_unref);
  g_clear_pointer (&job->statuses, g_array_unref);
  g_clear_pointer (&job->spans, g_array_unref);
  g_clear_pointer (&job->slices, g_array_unref);
  g_clear_pointer (&job->weather, aw_weather_free);
  g_clear_error (&job->error);
  g_clear_pointer (&job->note, g_free);
  aw_lookup_clear (&job->lookup);
  g_free (job);
}

GArray *
aw_job_request_spans (AwJob  *job,
                      gint64  received_us)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (job->msg);
  AwStamps stamps;

  if (metrics == NULL)
    return aw_spans_from_stamps (NULL, 0, received_us);
  aw_stamps_from_metrics (&stamps, metrics, job->sent_us);
  return aw_spans_from_stamps (&stamps, _aw_fetch_run_get_origin_us (job->run), received_us);
}

void
aw_job_begin_live_phase (AwJob   *job,
                         AwPhase  phase)
{
  if (aw_task_is_finished (job->task))
    return;
  aw_task_begin_phase (job->task, phase, _aw_fetch_run_now (job->run));
  _aw_fetch_run_task_changed (job->run, job->task);
}

/* Ends a request whose server floods interim answers. libsoup reads them in a loop that
 * goes back to the main loop only when the socket runs dry, so the run's deadline timer never
 * gets a turn; but each read from the socket checks the cancellable, so the loop ends within
 * a buffer's worth of answers. May run on a worker thread. */
static void
on_got_informational (SoupMessage *msg,
                      AwJob       *job)
{
  if (++job->n_interim <= AW_MAX_INTERIM_ANSWERS || job->too_many_interim)
    return;

  job->too_many_interim = TRUE;
  g_cancellable_cancel (job->cancellable);
}

static void
on_wrote_body (SoupMessage *msg,
               AwJob       *job)
{
  job->sent_us = g_get_monotonic_time ();
  /* A worker thread may not touch the task: the run's thread learns of it later. */
  if (!job->on_worker)
    aw_job_begin_live_phase (job, AW_PHASE_WAIT);
}

SoupMessage *
aw_job_new_message (AwJob   *job,
                    GError **error)
{
  g_autofree char *uri = NULL;
  g_autoptr(GUri) guri = NULL;
  SoupMessage *msg;

  uri = aw_provider_build_uri (aw_fetch_run_get_provider (job->run),
                               aw_task_get_city (job->task), &job->lookup, error);
  if (uri == NULL)
    return NULL;

  guri = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, error);
  if (guri == NULL)
    return NULL;

  /* What the task records and exports: never a password from the URI. */
  g_ptr_array_add (job->uris, g_uri_to_string_partial (guri, G_URI_HIDE_PASSWORD));

  msg = soup_message_new_from_uri (SOUP_METHOD_GET, guri);
  soup_message_add_flags (msg, SOUP_MESSAGE_COLLECT_METRICS);
  soup_message_headers_append (soup_message_get_request_headers (msg),
                               "Accept", "application/json");
  g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body), job);
  g_signal_connect (msg, "got-informational", G_CALLBACK (on_got_informational), job);
  job->n_interim = 0;
  job->msg = msg;
  return msg;
}

GError *
aw_job_too_large_error (void)
{
  return g_error_new_literal (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                              _("The service sent an answer far larger than any weather report"));
}

/* libsoup takes a chunk size it cannot read ("zz", "-10", 2^64) for the last chunk: the
 * body then ends at once, and is no "empty answer" of the service's. */
GError *
aw_job_chunked_body_error (AwJob *job)
{
  guint status = soup_message_get_status (job->msg);

  if (job->body->len > 0 || !SOUP_STATUS_IS_SUCCESSFUL (status)
      || soup_message_headers_get_encoding (soup_message_get_response_headers (job->msg))
         != SOUP_ENCODING_CHUNKED)
    return NULL;
  return g_error_new_literal (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                              _("The service sent a malformed or empty chunked body"));
}

/* Why the job failed, in words for the person: its deadline, or too many interim answers,
 * rather than the "Operation was cancelled" those leave. Takes @error. */
GError *
aw_job_explain_error (AwJob   *job,
                      GError  *error,
                      double   timeout_s)
{
  if (error == NULL)
    return NULL;
  if (job->deadline.timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_error_free (error);
      return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                          _("No answer within %.1f s"), timeout_s);
    }
  if (job->too_many_interim)
    {
      g_error_free (error);
      return g_error_new (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                          _("The service sent more than %d interim answers without an answer"),
                          AW_MAX_INTERIM_ANSWERS);
    }
  return error;
}

/* What the thread does next, on its lane: blocked in I/O, or parsing. */
static void
mark_slice (AwJob       *job,
            AwSliceKind  kind,
            AwPhase      phase)
{
  aw_slices_mark (job->slices, kind, aw_task_get_index (job->task), phase,
                  _aw_fetch_run_now (job->run));
}

static void
fetch_blocking (AwJob *job)
{
  AwFetchRun *run = job->run;
  AwProvider *provider = aw_fetch_run_get_provider (run);
  const char *city = aw_task_get_city (job->task);

  job->statuses = g_array_new (FALSE, FALSE, sizeof (guint));
  job->spans = g_array_new (FALSE, FALSE, sizeof (AwSpan));

  if (aw_fetch_run_get_workload (run) == AW_WORKLOAD_SLEEP)
    {
      aw_sleep_job_blocking (job);
      return;
    }

  for (;;)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GArray) spans = NULL;
      GError *error = NULL;
      AwStepResult result;
      AwSpan parse = { AW_PHASE_PARSE, 0, 0 };
      guint status;

      if (aw_job_new_message (job, &job->error) == NULL)
        return;

      mark_slice (job, AW_SLICE_BLOCKED, AW_PHASE_WAIT);
      job->stream = soup_session_send (job->session, job->msg, job->cancellable, &job->error);
      if (job->stream == NULL)
        return;

      job->body = g_byte_array_new ();
      for (;;)
        {
          g_autoptr(GBytes) chunk = g_input_stream_read_bytes (job->stream, AW_READ_CHUNK,
                                                               job->cancellable, &job->error);
          if (chunk == NULL)
            return;
          if (g_bytes_get_size (chunk) == 0
              && (job->error = aw_job_chunked_body_error (job)) != NULL)
            return;
          if (g_bytes_get_size (chunk) == 0)
            break;
          if (job->body->len + g_bytes_get_size (chunk) > AW_MAX_BODY_BYTES)
            {
              job->error = aw_job_too_large_error ();
              return;
            }
          g_byte_array_append (job->body, g_bytes_get_data (chunk, NULL),
                               g_bytes_get_size (chunk));
        }

      spans = aw_job_request_spans (job, _aw_fetch_run_now (run));
      g_array_append_vals (job->spans, spans->data, spans->len);
      status = soup_message_get_status (job->msg);
      g_array_append_val (job->statuses, status);
      if (job->note == NULL)
        job->note = aw_host_policy_note_answer (_aw_fetch_run_get_policy (run), job->msg);
      parse.start_us = _aw_fetch_run_now (run);
      mark_slice (job, AW_SLICE_CALLBACK, AW_PHASE_PARSE);
      body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
      aw_work_spend (body, aw_fetch_run_get_work_ms (run));
      result = aw_provider_parse (provider, city, status, body, &job->lookup, &job->weather,
                                  &error);
      parse.end_us = _aw_fetch_run_now (run);
      aw_slices_close (job->slices, parse.end_us);
      g_array_append_val (job->spans, parse);
      aw_job_clear_request (job);

      if (result != AW_STEP_NEXT)
        {
          job->error = error;
          return;
        }
      job->lookup.step++;
    }
}

void
aw_job_fetch_blocking (AwJob *job)
{
  job->slices = g_array_new (FALSE, FALSE, sizeof (AwSlice));
  fetch_blocking (job);
  aw_slices_close (job->slices, _aw_fetch_run_now (job->run));
}

/* Each request with its exact spans, then its parse span. A request that failed left none. */
void
aw_job_record_blocking (AwJob *job)
{
  guint first = 0;

  for (guint request = 0; request < job->uris->len; request++)
    {
      guint end = first;

      while (end < job->spans->len
             && g_array_index (job->spans, AwSpan, end).phase != AW_PHASE_PARSE)
        end++;

      aw_task_add_request (job->task, g_ptr_array_index (job->uris, request));
      if (request < job->statuses->len)
        aw_task_set_request_status (job->task, g_array_index (job->statuses, guint, request));
      if (end > first)
        aw_task_replace_request_spans (job->task, &g_array_index (job->spans, AwSpan, first),
                                       end - first);
      if (end < job->spans->len)
        aw_task_begin_phase (job->task, AW_PHASE_PARSE,
                             g_array_index (job->spans, AwSpan, end).start_us);
      first = end + 1;
    }

  if (job->note != NULL)
    aw_task_add_note (job->task, job->note);
  /* Its parse ran on the thread that carried it out: the task's own running time. */
  aw_task_add_loop_time (job->task, 0, aw_slices_sum (job->slices, AW_SLICE_CALLBACK));
  _aw_fetch_run_job_done (job, g_steal_pointer (&job->weather), g_steal_pointer (&job->error));
}
