/* aw-scheduler-loop.c: Sequential, Concurrent and Limited: requests in flight on the run's
 * own loop, with libsoup's asynchronous API; the modes differ only in how many at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"
#include "aw-sleep-job.h"
#include "aw-work.h"

/* Answers whose headers are in wait here for their bodies to be read, parsed and recorded:
 * a batch at a time, from a source at the priority of a window's redraw. When 1000 answers
 * arrive at once, the loop serves each batch's I/O first (G_PRIORITY_DEFAULT), then, in one
 * turn, the next batch and any frame that is due: a frame waits for at most one batch, and a
 * window that paints frame after frame still lets one batch through with each. A run that is
 * not paced (no window) reads each answer's body as soon as its headers are in. */
#define ANSWER_BATCH 8

typedef struct
{
  gboolean paced;   /* else no queue: bodies are read at once */
  GQueue   landed;  /* AwJob, headers in */
  GSource *drain;   /* AW_PRIORITY_BATCH, ready while answers wait */
} LoopState;

static void start_request (AwJob *job);
static void read_next (AwJob *job);
static void on_read (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);
static void land_answer (LoopState *state,
                         AwJob     *job);

static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  AwJob              *job)
{
  if (event == G_SOCKET_CLIENT_RESOLVING)
    aw_job_begin_live_phase (job, AW_PHASE_DNS);
  else if (event == G_SOCKET_CLIENT_CONNECTING)
    aw_job_begin_live_phase (job, AW_PHASE_CONNECT);
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    aw_job_begin_live_phase (job, AW_PHASE_TLS);
}

static void
on_starting (SoupMessage *msg,
             AwJob       *job)
{
  aw_job_begin_live_phase (job, AW_PHASE_SEND);
}

/* After the body: parse, then the task is done or makes its next request. */
static void
parse_answer (AwJob *job)
{
  AwFetchRun *run = job->run;
  g_autoptr(GArray) spans = aw_job_request_spans (job, _aw_fetch_run_now (run));
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  g_autoptr(AwWeather) weather = NULL;
  GError *error = NULL;
  guint status = soup_message_get_status (job->msg);
  AwStepResult result;
  g_autofree char *note = aw_host_policy_note_answer (_aw_fetch_run_get_policy (run), job->msg);

  aw_task_set_request_status (job->task, status);
  if (note != NULL)
    aw_task_add_note (job->task, note);
  aw_task_replace_request_spans (job->task, (const AwSpan *)(gpointer)spans->data, spans->len);
  aw_loop_trace_switch (_aw_fetch_run_get_trace (run), job->task, AW_PHASE_PARSE);
  aw_task_begin_phase (job->task, AW_PHASE_PARSE, _aw_fetch_run_now (run));

  aw_work_spend (body, aw_fetch_run_get_work_ms (run));
  result = aw_provider_parse (aw_fetch_run_get_provider (run), aw_task_get_city (job->task),
                              status, body, &job->lookup, &weather, &error);
  aw_job_clear_request (job);

  if (result == AW_STEP_NEXT)
    {
      job->lookup.step++;
      _aw_fetch_run_task_changed (run, job->task);
      start_request (job);
      return;
    }
  _aw_fetch_run_job_done (job, g_steal_pointer (&weather), error);
}

/* One chunk of the body, its end (@size 0) or @error (taken); TRUE while more may follow.
 * Past its end or an error, the job is gone. */
static gboolean
take_chunk (AwJob        *job,
            const guint8 *data,
            gsize         size,
            GError       *error)
{
  if (error != NULL)
    {
      _aw_fetch_run_job_done (job, NULL, error);
      return FALSE;
    }

  if (size == 0)
    {
      if ((error = aw_job_chunked_body_error (job)) != NULL)
        _aw_fetch_run_job_done (job, NULL, error);
      else
        parse_answer (job);
      return FALSE;
    }

  /* Bounded memory whatever the server sends, compressed or not: libsoup decodes, we cap. */
  if (job->body->len + size > AW_MAX_BODY_BYTES)
    {
      _aw_fetch_run_job_done (job, NULL, aw_job_too_large_error ());
      return FALSE;
    }
  g_byte_array_append (job->body, data, size);
  return TRUE;
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AwJob *job = user_data;
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (_aw_fetch_run_get_trace (job->run), job->task, AW_PHASE_RECEIVE);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (take_chunk (job, chunk != NULL ? g_bytes_get_data (chunk, NULL) : NULL,
                  chunk != NULL ? g_bytes_get_size (chunk) : 0, error))
    read_next (job);
}

static void
read_async (AwJob *job)
{
  g_input_stream_read_bytes_async (job->stream, AW_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   job->cancellable, on_read, job);
}

/* What the body has ready is read at once: an asynchronous read costs a turn of the loop
 * (each of which polls every socket) for a body that is mostly in hand with its headers. */
static void
read_next (AwJob *job)
{
  GPollableInputStream *pollable = G_IS_POLLABLE_INPUT_STREAM (job->stream)
                                   ? G_POLLABLE_INPUT_STREAM (job->stream) : NULL;

  if (pollable != NULL && g_pollable_input_stream_can_poll (pollable))
    for (;;)
      {
        guint8 buffer[4096];
        GError *error = NULL;
        gssize n = g_pollable_input_stream_read_nonblocking (pollable, buffer, sizeof buffer,
                                                             job->cancellable, &error);

        if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
          {
            g_error_free (error);
            break;
          }
        if (!take_chunk (job, buffer, MAX (n, 0), n < 0 ? error : NULL))
          return;
      }

  read_async (job);
}

static void
arm (LoopState *state)
{
  g_source_set_ready_time (state->drain, g_queue_is_empty (&state->landed) ? -1 : 0);
}

/* Starts a batch's reads. They complete in the next turn, at the I/O's priority: a frame
 * due with this batch is painted before the batch's answers are parsed and recorded. */
static gboolean
drain_batch (gpointer user_data)
{
  LoopState *state = user_data;

  for (guint i = 0; i < ANSWER_BATCH && !g_queue_is_empty (&state->landed); i++)
    read_async (g_queue_pop_head (&state->landed));
  arm (state);
  return G_SOURCE_CONTINUE;
}

static void
land_answer (LoopState *state,
             AwJob     *job)
{
  gboolean was_empty = g_queue_is_empty (&state->landed);

  g_queue_push_tail (&state->landed, job);
  if (was_empty)
    arm (state);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AwJob *job = user_data;
  LoopState *state = job->run->scheduler_state;
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (_aw_fetch_run_get_trace (job->run), job->task, AW_PHASE_WAIT);
  GError *error = NULL;

  job->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (job->stream == NULL)
    {
      _aw_fetch_run_job_done (job, NULL, error);
      return;
    }

  aw_job_begin_live_phase (job, AW_PHASE_RECEIVE);
  job->body = g_byte_array_new ();
  if (state->paced)
    land_answer (state, job);
  else
    read_next (job);
}

static void
start_request (AwJob *job)
{
  GError *error = NULL;
  SoupMessage *msg;

  if ((msg = aw_job_new_message (job, &error)) == NULL)
    {
      _aw_fetch_run_job_done (job, NULL, error);
      return;
    }

  aw_task_add_request (job->task, g_ptr_array_index (job->uris, job->uris->len - 1));
  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event), job);
  g_signal_connect (msg, "starting", G_CALLBACK (on_starting), job);
  _aw_fetch_run_task_changed (job->run, job->task);

  soup_session_send_async (job->session, msg, G_PRIORITY_DEFAULT, job->cancellable,
                           on_sent, job);
}

static gboolean
dispatch_ready (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs ready_funcs = { .dispatch = dispatch_ready };

static GSource *
new_drain_source (LoopState    *state,
                  GMainContext *context)
{
  GSource *source = g_source_new (&ready_funcs, sizeof (GSource));

  g_source_set_priority (source, AW_PRIORITY_BATCH);
  g_source_set_static_name (source, "aw-answer-batch");
  g_source_set_ready_time (source, -1);
  g_source_set_callback (source, drain_batch, state, NULL);
  g_source_attach (source, context);
  return source;
}

static gpointer
loop_start_run (AwFetchRun *run)
{
  LoopState *state = g_new0 (LoopState, 1);

  state->paced = run->paced;
  g_queue_init (&state->landed);
  state->drain = new_drain_source (state, _aw_fetch_run_get_context (run));
  return state;
}

/* After the last task's end: nothing waits in the queue. */
static void
loop_end_run (gpointer user_data)
{
  LoopState *state = user_data;

  g_source_destroy (state->drain);
  g_source_unref (state->drain);
  g_queue_clear (&state->landed);
  g_free (state);
}

static void
loop_start_task (gpointer  state,
                 AwJob    *job)
{
  g_autoptr(AwLoopTraceScope) scope G_GNUC_UNUSED =
    aw_loop_trace_begin (_aw_fetch_run_get_trace (job->run), job->task, AW_PHASE_QUEUED);

  if (aw_fetch_run_get_workload (job->run) == AW_WORKLOAD_SLEEP)
    aw_sleep_job_start (job);
  else
    start_request (job);
}

static guint
sequential_max_in_flight (AwFetchRun *run)
{
  return 1;
}

static guint
concurrent_max_in_flight (AwFetchRun *run)
{
  return G_MAXUINT;
}

static guint
limited_max_in_flight (AwFetchRun *run)
{
  return aw_fetch_run_get_limit (run);
}

const AwScheduler aw_scheduler_sequential = {
  .fds_per_task = 1,
  .max_in_flight = sequential_max_in_flight,
  .start_run = loop_start_run,
  .end_run = loop_end_run,
  .start_task = loop_start_task,
};

const AwScheduler aw_scheduler_concurrent = {
  .fds_per_task = 1,
  .max_in_flight = concurrent_max_in_flight,
  .start_run = loop_start_run,
  .end_run = loop_end_run,
  .start_task = loop_start_task,
};

const AwScheduler aw_scheduler_limited = {
  .fds_per_task = 1,
  .max_in_flight = limited_max_in_flight,
  .start_run = loop_start_run,
  .end_run = loop_end_run,
  .start_task = loop_start_task,
};
