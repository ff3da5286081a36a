/* aw-fetch-run.c: one run of every city in one mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "aw-descriptors.h"
#include "aw-fetch-run.h"
#include "aw-host-policy.h"
#include "aw-proxy-cache.h"
#include "aw-ready-source.h"
#include "aw-watchdog.h"

#define READ_CHUNK        (16 * 1024)
#define MAX_WORKER_THREADS 64
/* libsoup walks its whole queue on every event: a session with thousands of messages costs
 * quadratic time. Spreading the messages over sessions of this size keeps the cost linear. */
#define MESSAGES_PER_SESSION 64
/* Setting up a connection costs the loop a fraction of a millisecond: tasks start in batches
 * this size, one batch per turn of the loop, so that a window still draws while 1000 start. */
#define START_BATCH 32
/* Interim answers (1xx) a request may get before its answer: a handful is plenty. libsoup
 * reads them in one loop that returns to the main loop only when the socket runs dry, so a
 * server that floods them would hold the loop for as long as it likes. */
#define MAX_INTERIM_ANSWERS 8

struct _AwFetchRun
{
  GObject       parent_instance;

  /* settings, fixed once the run starts */
  AwProvider   *provider;
  AwMode        mode;
  guint         limit;
  double        timeout_s;
  guint         conns_per_host;

  /* owned */
  GPtrArray    *tasks;          /* AwTask */
  GPtrArray    *sessions;       /* SoupSession */
  GTask        *run_task;
  GCancellable *cancellable;    /* the caller's, or our own */
  gulong        cancelled_id;
  GSource      *cancel_source;
  GThreadPool  *pool;
  GMainContext *context;
  GDateTime    *started_at;
  GSource      *loop_watch;     /* times each turn of the loop: the longest is the stall */
  GQueue        active_jobs;    /* Job, in start order: so also in deadline order */
  GSource      *deadline;       /* ready at the first active job's deadline */
  GSource      *next_batch;     /* starts the next batch of tasks, after a frame can draw */
  AwProxyCache *proxy_cache;    /* shared by the run's sessions */
  AwHostPolicy *policy;         /* towards a real service: connections, Retry-After */
  AwWatchdog   *watchdog;       /* Blocking: the deadline of the task holding the thread */
  guint         fd_budget;      /* sockets the run may hold at once */

  gint64        origin_us;      /* monotonic time of the start */
  gint64        total_us;       /* -1 until finished */
  gint64        longest_stall_us;
  guint         next_task;
  guint         n_active;
  guint         n_finished;
  guint         n_failed;
  gboolean      cancelled;
};

G_DEFINE_FINAL_TYPE (AwFetchRun, aw_fetch_run, G_TYPE_OBJECT)

enum {
  TASK_CHANGED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One task in flight. */
typedef struct
{
  AwFetchRun   *run;           /* borrowed: the run's GTask holds it */
  AwTask       *task;
  GCancellable *cancellable;
  GList        *link;          /* in the run's active jobs */
  gint64        deadline_us;   /* monotonic */
  SoupSession  *session;
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  AwLookup      lookup;
  gint64        sent_us;       /* monotonic, when the request was written; 0 before */
  gboolean      timed_out;
  guint         n_interim;     /* interim answers to the current request */
  gboolean      too_many_interim;

  GPtrArray    *uris;          /* of each request, without passwords */

  /* Threads and Blocking: what fetch_blocking found, for the run's thread to record */
  GArray       *statuses;      /* guint, of each request */
  GArray       *spans;         /* AwSpan of every request, each closed by its parse span */
  AwWeather    *weather;
  GError       *error;
  gint64        done_us;
} Job;

static void start_request (Job *job);
static void pump          (AwFetchRun *self);
static void update_deadline (AwFetchRun *self);

static gint64
run_now (AwFetchRun *self)
{
  return g_get_monotonic_time () - self->origin_us;
}

static void
emit_task_changed (AwFetchRun *self,
                   AwTask     *task)
{
  g_signal_emit (self, signals[TASK_CHANGED], 0, task);
}

static Job *
job_new (AwFetchRun *self,
         AwTask     *task)
{
  Job *job = g_new0 (Job, 1);

  job->run = self;
  job->task = g_object_ref (task);
  job->cancellable = g_cancellable_new ();
  job->uris = g_ptr_array_new_with_free_func (g_free);
  job->session = g_ptr_array_index (self->sessions,
                                    aw_task_get_index (task) % self->sessions->len);
  return job;
}

static void
job_clear_request (Job *job)
{
  if (job->msg != NULL)
    g_signal_handlers_disconnect_by_data (job->msg, job);
  g_clear_object (&job->msg);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->body, g_byte_array_unref);
  job->sent_us = 0;
}

static void
job_free (Job *job)
{
  job_clear_request (job);
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->uris, g_ptr_array_unref);
  g_clear_pointer (&job->statuses, g_array_unref);
  g_clear_pointer (&job->spans, g_array_unref);
  g_clear_pointer (&job->weather, aw_weather_free);
  g_clear_error (&job->error);
  aw_lookup_clear (&job->lookup);
  g_free (job);
}

/* The run-relative time of a metrics stamp; 0 means "did not happen". */
static gint64
stamp (AwFetchRun *self,
       guint64     metric_us)
{
  return metric_us == 0 ? -1 : (gint64)metric_us - self->origin_us;
}

static void
add_span (GArray  *spans,
          AwPhase  phase,
          gint64   start_us,
          gint64   end_us)
{
  AwSpan span = { phase, start_us, end_us };

  if (start_us < 0 || end_us < 0)
    return;
  /* Keep the spans in order even if two clocks disagree by a microsecond. */
  if (spans->len > 0)
    span.start_us = MAX (span.start_us, g_array_index (spans, AwSpan, spans->len - 1).end_us);
  span.end_us = MAX (span.end_us, span.start_us);
  g_array_append_val (spans, span);
}

/* The exact phases of the request just done, from libsoup's metrics and our own stamps.
 * On a reused connection dns, connect and tls stamps are 0: those phases did not happen. */
static GArray *
request_spans (Job    *job,
               gint64  received_us)
{
  AwFetchRun *self = job->run;
  SoupMessageMetrics *metrics = soup_message_get_metrics (job->msg);
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (AwSpan));
  gint64 fetch, dns_start, dns_end, connect_start, connect_end, tls_start;
  gint64 request, response_start, response_end, sent, first_activity;

  if (metrics == NULL)
    return spans;

  fetch = stamp (self, soup_message_metrics_get_fetch_start (metrics));
  dns_start = stamp (self, soup_message_metrics_get_dns_start (metrics));
  dns_end = stamp (self, soup_message_metrics_get_dns_end (metrics));
  connect_start = stamp (self, soup_message_metrics_get_connect_start (metrics));
  connect_end = stamp (self, soup_message_metrics_get_connect_end (metrics));
  tls_start = stamp (self, soup_message_metrics_get_tls_start (metrics));
  request = stamp (self, soup_message_metrics_get_request_start (metrics));
  response_start = stamp (self, soup_message_metrics_get_response_start (metrics));
  response_end = stamp (self, soup_message_metrics_get_response_end (metrics));
  sent = job->sent_us ? job->sent_us - self->origin_us : request;

  if (response_end < 0)
    response_end = received_us;
  if (response_start < 0)
    response_start = response_end;

  first_activity = dns_start >= 0 ? dns_start : connect_start >= 0 ? connect_start : request;
  add_span (spans, AW_PHASE_QUEUED, fetch, first_activity);
  add_span (spans, AW_PHASE_DNS, dns_start, dns_end);
  add_span (spans, AW_PHASE_CONNECT, connect_start, tls_start >= 0 ? tls_start : connect_end);
  add_span (spans, AW_PHASE_TLS, tls_start, connect_end);
  add_span (spans, AW_PHASE_SEND, request, sent);
  add_span (spans, AW_PHASE_WAIT, sent, response_start);
  add_span (spans, AW_PHASE_RECEIVE, response_start, response_end);
  return spans;
}

static GError *
timed_out_error (AwFetchRun *self)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      _("No answer within %.1f s"), self->timeout_s);
}

static GError *
too_many_interim_error (void)
{
  return g_error_new (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                      _("The service sent more than %d interim answers without an answer"),
                      MAX_INTERIM_ANSWERS);
}

static void
finish_run (AwFetchRun *self)
{
  g_autoptr(GTask) run_task = g_steal_pointer (&self->run_task);

  self->total_us = run_now (self);
  /* Blocking never returned to the loop while it ran: all of it was a stall. */
  if (self->mode == AW_MODE_BLOCKING)
    self->longest_stall_us = MAX (self->longest_stall_us, self->total_us);
  if (self->loop_watch != NULL)
    {
      g_source_destroy (self->loop_watch);
      g_clear_pointer (&self->loop_watch, g_source_unref);
    }
  if (self->deadline != NULL)
    {
      g_source_destroy (self->deadline);
      g_clear_pointer (&self->deadline, g_source_unref);
    }
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  if (self->next_batch != NULL)
    {
      g_source_destroy (self->next_batch);
      g_clear_pointer (&self->next_batch, g_source_unref);
    }
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_clear_pointer (&self->policy, aw_host_policy_free);
  aw_provider_save (self->provider);
  g_clear_pointer (&self->watchdog, aw_watchdog_free);

  g_signal_emit (self, signals[FINISHED], 0);
  g_task_return_boolean (run_task, TRUE);
}

/* Records a task's end, starts the next one, and finishes the run after the last. */
static void
task_done (AwFetchRun *self,
           AwTask     *task,
           AwWeather  *weather,
           GError     *error,
           gint64      at_us)
{
  if (error != NULL)
    {
      aw_task_fail (task, error, at_us);
      if (aw_task_get_state (task) == AW_TASK_FAILED)
        self->n_failed++;
    }
  else
    aw_task_succeed (task, weather, at_us);

  self->n_finished++;
  emit_task_changed (self, task);

  if (self->n_finished == self->tasks->len)
    finish_run (self);
}

static void
job_done (Job       *job,
          AwWeather *weather,
          GError    *error)
{
  AwFetchRun *self = job->run;
  AwTask *task = job->task;

  if (error != NULL && (job->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
    {
      g_clear_error (&error);
      error = timed_out_error (self);
    }
  else if (error != NULL && job->too_many_interim)
    {
      g_clear_error (&error);
      error = too_many_interim_error ();
    }

  self->n_active--;
  g_queue_delete_link (&self->active_jobs, job->link);
  update_deadline (self);
  g_object_ref (task);
  job_free (job);
  task_done (self, task, weather, error, run_now (self));
  g_object_unref (task);

  /* Blocking: pump's own loop goes on; elsewhere a finished task frees a slot. */
  if (self->run_task != NULL && self->mode != AW_MODE_BLOCKING)
    pump (self);
}

/* One timer for every task's timeout, rather than one source each: GLib's loop visits
 * every source on every iteration, so thousands of timers would cost quadratic time. */
static void
update_deadline (AwFetchRun *self)
{
  for (GList *l = self->active_jobs.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (!job->timed_out)
        {
          g_source_set_ready_time (self->deadline, job->deadline_us);
          return;
        }
    }
  g_source_set_ready_time (self->deadline, -1);
}

static gboolean
on_deadline (gpointer user_data)
{
  AwFetchRun *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) late = g_ptr_array_new ();

  for (GList *l = self->active_jobs.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (job->deadline_us > now)
        break;
      if (!job->timed_out)
        {
          job->timed_out = TRUE;
          g_ptr_array_add (late, job->cancellable);
        }
    }
  update_deadline (self);

  for (guint i = 0; i < late->len; i++)
    g_cancellable_cancel (g_ptr_array_index (late, i));
  return G_SOURCE_CONTINUE;
}

/* Live phases, for the bars to grow phase by phase while a request is in flight. */
static void
begin_live_phase (Job     *job,
                  AwPhase  phase)
{
  if (aw_task_is_finished (job->task))
    return;
  aw_task_begin_phase (job->task, phase, run_now (job->run));
  emit_task_changed (job->run, job->task);
}

static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Job                *job)
{
  if (event == G_SOCKET_CLIENT_RESOLVING)
    begin_live_phase (job, AW_PHASE_DNS);
  else if (event == G_SOCKET_CLIENT_CONNECTING)
    begin_live_phase (job, AW_PHASE_CONNECT);
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    begin_live_phase (job, AW_PHASE_TLS);
}

static void
on_starting (SoupMessage *msg,
             Job         *job)
{
  begin_live_phase (job, AW_PHASE_SEND);
}

/* Ends a request whose server floods interim answers. libsoup reads them in a loop that
 * goes back to the main loop only when the socket runs dry, so the run's deadline timer never
 * gets a turn; but each read from the socket checks the cancellable, so the loop ends within
 * a buffer's worth of answers. May run on a worker thread. */
static void
on_got_informational (SoupMessage *msg,
                      Job         *job)
{
  if (++job->n_interim <= MAX_INTERIM_ANSWERS || job->too_many_interim)
    return;

  job->too_many_interim = TRUE;
  g_cancellable_cancel (job->cancellable);
}

static void
on_wrote_body (SoupMessage *msg,
               Job         *job)
{
  job->sent_us = g_get_monotonic_time ();
  if (job->run->mode != AW_MODE_THREADS)
    begin_live_phase (job, AW_PHASE_WAIT);
}

static SoupMessage *
new_message (Job     *job,
             GError **error)
{
  g_autofree char *uri = NULL;
  g_autoptr(GUri) guri = NULL;
  SoupMessage *msg;

  uri = aw_provider_build_uri (job->run->provider, aw_task_get_city (job->task),
                               &job->lookup, error);
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

static GError *
too_large_error (void)
{
  return g_error_new_literal (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                              _("The service sent an answer far larger than any weather report"));
}

/* libsoup takes a chunk size it cannot read ("zz", "-10", 2^64) for the last chunk: the
 * body then ends at once, and is no "empty answer" of the service's. */
static GError *
chunked_body_error (Job *job)
{
  guint status = soup_message_get_status (job->msg);

  if (job->body->len > 0 || !SOUP_STATUS_IS_SUCCESSFUL (status)
      || soup_message_headers_get_encoding (soup_message_get_response_headers (job->msg))
         != SOUP_ENCODING_CHUNKED)
    return NULL;
  return g_error_new_literal (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                              _("The service sent a malformed or empty chunked body"));
}

/* After the body: parse, then the task is done or makes its next request. */
static void
parse_answer (Job *job)
{
  AwFetchRun *self = job->run;
  g_autoptr(GArray) spans = request_spans (job, run_now (self));
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  g_autoptr(AwWeather) weather = NULL;
  GError *error = NULL;
  guint status = soup_message_get_status (job->msg);
  AwStepResult result;

  aw_task_set_request_status (job->task, status);
  aw_host_policy_note_answer (self->policy, job->msg, job->task);
  aw_task_replace_request_spans (job->task, (const AwSpan *)(gpointer)spans->data, spans->len);
  aw_task_begin_phase (job->task, AW_PHASE_PARSE, run_now (self));

  result = aw_provider_parse (self->provider, aw_task_get_city (job->task), status, body,
                              &job->lookup, &weather, &error);
  job_clear_request (job);

  if (result == AW_STEP_NEXT)
    {
      job->lookup.step++;
      emit_task_changed (self, job->task);
      start_request (job);
      return;
    }
  job_done (job, g_steal_pointer (&weather), error);
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      job_done (job, NULL, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      if ((error = chunked_body_error (job)) != NULL)
        job_done (job, NULL, error);
      else
        parse_answer (job);
      return;
    }

  /* Bounded memory whatever the server sends, compressed or not: libsoup decodes, we cap. */
  if (job->body->len + g_bytes_get_size (chunk) > AW_MAX_BODY_BYTES)
    {
      job_done (job, NULL, too_large_error ());
      return;
    }
  g_byte_array_append (job->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (job->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   job->cancellable, on_read, job);
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  GError *error = NULL;

  job->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (job->stream == NULL)
    {
      job_done (job, NULL, error);
      return;
    }

  begin_live_phase (job, AW_PHASE_RECEIVE);
  job->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (job->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   job->cancellable, on_read, job);
}

static void
start_request (Job *job)
{
  GError *error = NULL;
  SoupMessage *msg;

  if ((msg = new_message (job, &error)) == NULL)
    {
      job_done (job, NULL, error);
      return;
    }

  aw_task_add_request (job->task, g_ptr_array_index (job->uris, job->uris->len - 1));
  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event), job);
  g_signal_connect (msg, "starting", G_CALLBACK (on_starting), job);
  emit_task_changed (job->run, job->task);

  soup_session_send_async (job->session, msg, G_PRIORITY_DEFAULT, job->cancellable,
                           on_sent, job);
}

/* Threads and Blocking: the whole task with libsoup's blocking API, on the calling thread.
 * It touches neither the task nor the run's state: only the job's own fields. */
static void
fetch_blocking (Job *job)
{
  AwFetchRun *self = job->run;
  const char *city = aw_task_get_city (job->task);

  job->statuses = g_array_new (FALSE, FALSE, sizeof (guint));
  job->spans = g_array_new (FALSE, FALSE, sizeof (AwSpan));

  for (;;)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GArray) spans = NULL;
      GError *error = NULL;
      AwStepResult result;
      AwSpan parse = { AW_PHASE_PARSE, 0, 0 };
      guint status;

      if (new_message (job, &job->error) == NULL)
        return;

      job->stream = soup_session_send (job->session, job->msg, job->cancellable, &job->error);
      if (job->stream == NULL)
        return;

      job->body = g_byte_array_new ();
      for (;;)
        {
          g_autoptr(GBytes) chunk = g_input_stream_read_bytes (job->stream, READ_CHUNK,
                                                               job->cancellable, &job->error);
          if (chunk == NULL)
            return;
          if (g_bytes_get_size (chunk) == 0
              && (job->error = chunked_body_error (job)) != NULL)
            return;
          if (g_bytes_get_size (chunk) == 0)
            break;
          if (job->body->len + g_bytes_get_size (chunk) > AW_MAX_BODY_BYTES)
            {
              job->error = too_large_error ();
              return;
            }
          g_byte_array_append (job->body, g_bytes_get_data (chunk, NULL),
                               g_bytes_get_size (chunk));
        }

      spans = request_spans (job, run_now (self));
      g_array_append_vals (job->spans, spans->data, spans->len);
      status = soup_message_get_status (job->msg);
      g_array_append_val (job->statuses, status);
      aw_host_policy_note_answer (self->policy, job->msg, NULL);
      parse.start_us = run_now (self);
      body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
      result = aw_provider_parse (self->provider, city, status,
                                  body, &job->lookup, &job->weather, &error);
      parse.end_us = run_now (self);
      g_array_append_val (job->spans, parse);
      job_clear_request (job);

      if (result != AW_STEP_NEXT)
        {
          job->error = error;
          return;
        }
      job->lookup.step++;
    }
}

/* Records what fetch_blocking found, on the run's own thread: each request with its
 * exact spans, then its parse span. A request that failed left no spans. */
static void
record_blocking_job (Job *job)
{
  guint first = 0;

  for (guint request = 0; request < job->uris->len; request++)
    {
      guint end = first;

      while (end < job->spans->len && g_array_index (job->spans, AwSpan, end).phase != AW_PHASE_PARSE)
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

  job_done (job, g_steal_pointer (&job->weather), g_steal_pointer (&job->error));
}

static gboolean
on_worker_done (gpointer user_data)
{
  record_blocking_job (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_worker_started (gpointer user_data)
{
  Job *job = user_data;

  begin_live_phase (job, AW_PHASE_WAIT);
  return G_SOURCE_REMOVE;
}

/* Hands @func to the run's thread, after what was handed before. Not
 * g_main_context_invoke: while that thread is between two turns of its loop, the worker can
 * acquire the context and would run @func itself, on the wrong thread and before an earlier
 * call still queued (a task freed, then told it started). */
static void
call_on_run_thread (AwFetchRun  *self,
                    GSourceFunc  func,
                    Job         *job)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, job, NULL);
  g_source_set_static_name (source, "aw-worker-report");
  g_source_attach (source, self->context);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  Job *job = data;
  AwFetchRun *self = job->run;

  call_on_run_thread (self, on_worker_started, job);
  fetch_blocking (job);
  call_on_run_thread (self, on_worker_done, job);
}

static void
start_task (AwFetchRun *self,
            AwTask     *task)
{
  Job *job = job_new (self, task);

  self->n_active++;
  job->deadline_us = g_get_monotonic_time () + (gint64)(self->timeout_s * G_USEC_PER_SEC);
  g_queue_push_tail (&self->active_jobs, job);
  job->link = self->active_jobs.tail;
  if (self->active_jobs.length == 1)
    update_deadline (self);
  if (aw_provider_lookup_cached (self->provider, aw_task_get_city (task), &job->lookup))
    aw_task_add_note (task, _("Coordinates from cache"));

  switch (self->mode)
    {
    case AW_MODE_THREADS:
      g_thread_pool_push (self->pool, job, NULL);
      break;

    case AW_MODE_BLOCKING:
      aw_watchdog_arm (self->watchdog, job->cancellable, job->deadline_us);
      fetch_blocking (job);
      job->timed_out = aw_watchdog_disarm (self->watchdog);
      record_blocking_job (job);
      break;

    case AW_MODE_SEQUENTIAL:
    case AW_MODE_CONCURRENT:
    case AW_MODE_LIMITED:
    default:
      start_request (job);
      break;
    }
}

static guint
max_in_flight (AwFetchRun *self)
{
  switch (self->mode)
    {
    case AW_MODE_SEQUENTIAL:
    case AW_MODE_BLOCKING:
      return 1;

    case AW_MODE_LIMITED:
      return self->limit;

    case AW_MODE_CONCURRENT:
    case AW_MODE_THREADS:
    default:
      return G_MAXUINT;
    }
}

/* Descriptors are a budget: past the open-files limit a new socket fails with "Too many open
 * files". The run holds no more sockets than its budget allows and keeps the other tasks
 * queued, saying why. A worker thread's blocking wait holds a wake-up descriptor as well. */
static guint
descriptor_cap (AwFetchRun *self)
{
  return self->mode == AW_MODE_THREADS ? MAX (self->fd_budget / 2, 1) : self->fd_budget;
}

/* Whether the run's first request goes to this machine, found from the first city whose
 * request builds. */
static gboolean
targets_loopback (AwFetchRun *self)
{
  for (guint i = 0; i < MIN (self->tasks->len, 8); i++)
    {
      AwLookup lookup = { 0 };
      g_autofree char *uri = aw_provider_build_uri (self->provider,
                                                    aw_task_get_city (g_ptr_array_index (self->tasks, i)),
                                                    &lookup, NULL);
      g_autoptr(GUri) guri = uri ? g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
      g_autoptr(GInetAddress) address = NULL;
      const char *host;

      aw_lookup_clear (&lookup);
      if (guri == NULL || (host = g_uri_get_host (guri)) == NULL)
        continue;
      if ((address = g_inet_address_new_from_string (host)) != NULL)
        return g_inet_address_get_is_loopback (address);
      return g_ascii_strcasecmp (host, "localhost") == 0;
    }
  return FALSE;
}

/* A server on this machine may be this very process (the built-in demo server): each
 * connection then holds two descriptors, the client's and the server's. */
static guint
descriptor_budget (AwFetchRun *self)
{
  guint budget = aw_descriptors_get_budget ();

  if (budget != G_MAXUINT && targets_loopback (self))
    budget = MAX (budget / 2, 1);
  return budget;
}

static void
explain_descriptor_wait (AwFetchRun *self)
{
  guint cap = descriptor_cap (self);
  g_autofree char *detail = NULL;

  /* Where the mode's own limit binds first, that is the reason to wait. */
  if (max_in_flight (self) <= cap || self->tasks->len <= cap
      || (self->mode == AW_MODE_THREADS && cap >= MAX_WORKER_THREADS))
    return;
  detail = g_strdup_printf (_("Waiting for a free connection: open-files limit %u"),
                            aw_descriptors_get_limit ());
  for (guint i = cap; i < self->tasks->len; i++)
    aw_task_add_note (g_ptr_array_index (self->tasks, i), detail);
}

static gboolean
start_next_batch (gpointer user_data)
{
  AwFetchRun *self = user_data;

  g_clear_pointer (&self->next_batch, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* Starts queued tasks while the mode allows more in flight, a batch at a time. */
static void
pump (AwFetchRun *self)
{
  guint cap = MIN (MIN (max_in_flight (self), descriptor_cap (self)),
                   aw_host_policy_max_in_flight (self->policy));
  guint started = 0;

  /* The cancellable too: in Blocking, a Stop from another thread cannot reach the loop. */
  while (self->run_task != NULL && !self->cancelled
         && !g_cancellable_is_cancelled (self->cancellable)
         && self->n_active < cap && self->next_task < self->tasks->len
         && !aw_host_policy_is_held (self->policy, self->tasks, self->next_task, G_OBJECT (self)))
    {
      /* Blocking has no loop turns to spread over: it is all one stall, on purpose. */
      if (started == START_BATCH && self->mode != AW_MODE_BLOCKING)
        {
          /* Idle priority: after the loop's pending I/O, and after a window's redraw. */
          if (self->next_batch == NULL)
            {
              self->next_batch = g_idle_source_new ();
              g_source_set_callback (self->next_batch, start_next_batch, self, NULL);
              g_source_attach (self->next_batch, self->context);
            }
          return;
        }
      start_task (self, g_ptr_array_index (self->tasks, self->next_task++));
      started++;
    }
}

static gboolean
resume_after_hold (gpointer user_data)
{
  pump (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancels every task: the queued ones at once, those in flight through their cancellable. */
static gboolean
cancel_all (gpointer user_data)
{
  AwFetchRun *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  if (self->run_task == NULL || self->cancelled)
    return G_SOURCE_REMOVE;

  self->cancelled = TRUE;
  for (guint i = 0; i < self->tasks->len; i++)
    {
      AwTask *task = g_ptr_array_index (self->tasks, i);

      if (aw_task_get_state (task) == AW_TASK_QUEUED && i >= self->next_task)
        {
          self->next_task = MAX (self->next_task, i + 1);
          task_done (self, task, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped")),
                     run_now (self));
          if (self->run_task == NULL)
            return G_SOURCE_REMOVE;
        }
    }

  /* Those in flight end through their own callbacks, as cancelled. */
  {
    g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);

    for (GList *l = self->active_jobs.head; l != NULL; l = l->next)
      g_ptr_array_add (cancellables, g_object_ref (((Job *)l->data)->cancellable));
    for (guint i = 0; i < cancellables->len; i++)
      g_cancellable_cancel (g_ptr_array_index (cancellables, i));
  }
  return G_SOURCE_REMOVE;
}

/* May run in any thread (whoever cancels): the work happens on the run's loop. */
static void
on_cancelled (GCancellable *cancellable,
              AwFetchRun   *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, cancel_all, self, NULL);
  g_source_attach (source, self->context);
  self->cancel_source = source;
  /* Blocking holds the run's thread: its loop runs once the task in hand returns. */
  if (self->watchdog != NULL)
    aw_watchdog_cancel_now (self->watchdog);
}

/* The loop's busy time, from the moment its poll returned to the next poll: as long as that,
 * nothing else could run. Measured at every turn without a timer to wake the loop. */
typedef struct
{
  GSource     source;
  AwFetchRun *run;
  gint64      polled_us;
} LoopWatch;

static gboolean
loop_watch_prepare (GSource *source,
                    int     *timeout)
{
  LoopWatch *watch = (LoopWatch *)source;

  if (watch->polled_us != 0)
    watch->run->longest_stall_us = MAX (watch->run->longest_stall_us,
                                        g_get_monotonic_time () - watch->polled_us);
  *timeout = -1;
  return FALSE;
}

static gboolean
loop_watch_check (GSource *source)
{
  ((LoopWatch *)source)->polled_us = g_get_monotonic_time ();
  return FALSE;
}

static GSourceFuncs loop_watch_funcs = { loop_watch_prepare, loop_watch_check, NULL, NULL,
                                         NULL, NULL };

static SoupSession *
new_session (AwFetchRun *self,
             guint       max_conns)
{
  return soup_session_new_with_options ("max-conns", max_conns,
                                        "max-conns-per-host", max_conns,
                                        "proxy-resolver", self->proxy_cache,
                                        "user-agent", AW_USER_AGENT " ",
                                        /* The person's languages, for the demo server */
                                        "accept-language-auto", TRUE,
                                        NULL);
}

/* The sessions' connection limits add up to no more than the descriptor budget: a session
 * keeps finished tasks' connections open for the next, and only its own limit closes them. */
static void
create_sessions (AwFetchRun *self)
{
  guint n = MAX (self->tasks->len, 1);
  guint cap = descriptor_cap (self);
  guint n_sessions;

  /* A connection limit per host is only meaningful in one session; so is the lesson of
   * the Threads mode sharing one session between threads. */
  if (self->conns_per_host > 0 || self->mode == AW_MODE_THREADS || self->mode == AW_MODE_BLOCKING
      || n <= MESSAGES_PER_SESSION)
    {
      g_ptr_array_add (self->sessions,
                       new_session (self, MIN (self->conns_per_host ? self->conns_per_host : n,
                                               cap)));
      return;
    }

  n_sessions = MIN ((n + MESSAGES_PER_SESSION - 1) / MESSAGES_PER_SESSION, cap);
  for (guint i = 0; i < n_sessions; i++)
    g_ptr_array_add (self->sessions,
                     new_session (self, MIN (MESSAGES_PER_SESSION, cap / n_sessions)));
}

static void
aw_fetch_run_dispose (GObject *object)
{
  AwFetchRun *self = (AwFetchRun *)object;

  g_assert (self->run_task == NULL);

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_object (&self->proxy_cache);

  G_OBJECT_CLASS (aw_fetch_run_parent_class)->dispose (object);
}

static void
aw_fetch_run_finalize (GObject *object)
{
  AwFetchRun *self = (AwFetchRun *)object;

  g_clear_object (&self->provider);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);

  G_OBJECT_CLASS (aw_fetch_run_parent_class)->finalize (object);
}

static void
aw_fetch_run_class_init (AwFetchRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aw_fetch_run_dispose;
  object_class->finalize = aw_fetch_run_finalize;

  signals[TASK_CHANGED] = g_signal_new ("task-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, AW_TYPE_TASK);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
aw_fetch_run_init (AwFetchRun *self)
{
  self->limit = AW_DEFAULT_LIMIT;
  self->timeout_s = AW_DEFAULT_TIMEOUT_S;
  self->total_us = -1;
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
}

AwFetchRun *
aw_fetch_run_new (AwProvider         *provider,
                  AwMode              mode,
                  const char * const *cities)
{
  AwFetchRun *self;

  g_return_val_if_fail (AW_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  g_return_val_if_fail (cities != NULL, NULL);

  self = g_object_new (AW_TYPE_FETCH_RUN, NULL);
  self->provider = g_object_ref (provider);
  self->mode = mode;
  for (guint i = 0; cities[i] != NULL; i++)
    {
      g_autofree char *city = aw_city_name_normalize (cities[i]);

      g_ptr_array_add (self->tasks, aw_task_new (i, city));
    }
  return self;
}

AwMode
aw_fetch_run_get_mode (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), AW_MODE_CONCURRENT);
  return self->mode;
}

AwProvider *
aw_fetch_run_get_provider (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), NULL);
  return self->provider;
}

void
aw_fetch_run_set_limit (AwFetchRun *self,
                        guint       limit)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  self->limit = MAX (limit, 1);
}

guint
aw_fetch_run_get_limit (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->limit;
}

void
aw_fetch_run_set_timeout (AwFetchRun *self,
                          double      seconds)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  self->timeout_s = CLAMP (seconds, 0.05, 3600);
}

void
aw_fetch_run_set_conns_per_host (AwFetchRun *self,
                                 guint       conns)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  self->conns_per_host = conns;
}

void
aw_fetch_run_run_async (AwFetchRun          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  self->run_task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->run_task, aw_fetch_run_run_async);
  /* A stopped run still finishes: its tasks end as cancelled, and it is a result to show. */
  g_task_set_check_cancellable (self->run_task, FALSE);
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  self->started_at = g_date_time_new_now_utc ();
  self->origin_us = g_get_monotonic_time ();

  self->proxy_cache = aw_proxy_cache_new ();
  self->policy = aw_host_policy_new (self->provider, self->conns_per_host, self->timeout_s,
                                     self->context, resume_after_hold, self);
  self->conns_per_host = aw_host_policy_get_conns (self->policy);
  self->fd_budget = descriptor_budget (self);
  create_sessions (self);
  explain_descriptor_wait (self);
  if (self->mode == AW_MODE_BLOCKING)
    self->watchdog = aw_watchdog_new ();
  if (self->mode == AW_MODE_THREADS)
    self->pool = g_thread_pool_new (worker, self, MIN (MAX (self->tasks->len, 1),
                                                       MAX_WORKER_THREADS), FALSE, NULL);

  if (self->tasks->len == 0)
    {
      finish_run (self);
      return;
    }

  self->loop_watch = g_source_new (&loop_watch_funcs, sizeof (LoopWatch));
  ((LoopWatch *)self->loop_watch)->run = self;
  /* First of all: the loop prepares and checks lower priorities only when nothing is ready. */
  g_source_set_priority (self->loop_watch, G_MININT);
  g_source_attach (self->loop_watch, self->context);
  self->deadline = aw_ready_source_new (on_deadline, self);
  g_source_attach (self->deadline, self->context);
  self->cancelled_id = g_cancellable_connect (self->cancellable, G_CALLBACK (on_cancelled),
                                              self, NULL);

  pump (self);
}

gboolean
aw_fetch_run_run_finish (AwFetchRun    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
aw_fetch_run_get_n_tasks (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->tasks->len;
}

AwTask *
aw_fetch_run_get_task (AwFetchRun *self,
                       guint       index)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), NULL);
  g_return_val_if_fail (index < self->tasks->len, NULL);
  return g_ptr_array_index (self->tasks, index);
}

gboolean
aw_fetch_run_is_running (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), FALSE);
  return self->origin_us != 0 && self->total_us < 0;
}

gboolean
aw_fetch_run_is_finished (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), FALSE);
  return self->total_us >= 0;
}

guint
aw_fetch_run_get_n_failed (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->n_failed;
}

gboolean
aw_fetch_run_was_stopped (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), FALSE);
  return self->cancelled;
}

GDateTime *
aw_fetch_run_get_started_at (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), NULL);
  return self->started_at;
}

gint64
aw_fetch_run_get_elapsed_us (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);

  if (self->origin_us == 0)
    return 0;
  if (self->total_us >= 0)
    return self->total_us;
  return run_now (self);
}

gint64
aw_fetch_run_get_total_us (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), -1);
  return self->total_us;
}

gint64
aw_fetch_run_get_sum_us (AwFetchRun *self)
{
  gint64 sum = 0;

  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);

  for (guint i = 0; i < self->tasks->len; i++)
    {
      AwTask *task = g_ptr_array_index (self->tasks, i);

      /* Each task's own time: what they would take one after another. */
      sum += aw_task_get_active_us (task);
    }
  return sum;
}

double
aw_fetch_run_get_speedup (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);

  if (self->total_us <= 0)
    return 0;
  return (double)aw_fetch_run_get_sum_us (self) / (double)self->total_us;
}

gint64
aw_fetch_run_get_longest_stall_us (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->longest_stall_us;
}

/* A finished run made of tasks already ended: a run of an earlier session, read back from its
 * record, drawn and exported like any other; it cannot run again. */
AwFetchRun *
aw_fetch_run_new_finished (AwMode     mode,
                           GPtrArray *tasks,
                           GDateTime *started_at,
                           gint64     total_us,
                           gboolean   stopped)
{
  AwFetchRun *self;

  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  g_return_val_if_fail (tasks != NULL && started_at != NULL && total_us >= 0, NULL);

  self = g_object_new (AW_TYPE_FETCH_RUN, NULL);
  self->mode = mode;
  for (guint i = 0; i < tasks->len; i++)
    {
      AwTask *task = g_ptr_array_index (tasks, i);

      g_return_val_if_fail (aw_task_is_finished (task), self);
      g_ptr_array_add (self->tasks, g_object_ref (task));
      self->n_finished++;
      if (aw_task_get_state (task) == AW_TASK_FAILED)
        self->n_failed++;
    }
  self->started_at = g_date_time_ref (started_at);
  self->origin_us = 1;     /* started: its elapsed time is its wall time */
  self->total_us = total_us;
  self->cancelled = stopped;
  return self;
}
