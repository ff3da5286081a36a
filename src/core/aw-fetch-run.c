/* aw-fetch-run.c: one run of every city in one mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "aw-deadline-queue.h"
#include "aw-descriptors.h"
#include "aw-fetch-job.h"
#include "aw-fetch-run-private.h"
#include "aw-loop-watch.h"
#include "aw-session-pool.h"

/* Setting up a connection costs the loop a fraction of a millisecond: tasks start in batches
 * this size, one batch per turn of the loop, so that a window still draws while 1000 start. */
#define START_BATCH 32

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
  AwSessionPool *sessions;
  GTask        *run_task;
  GCancellable *cancellable;    /* the caller's, or our own */
  gulong        cancelled_id;
  GSource      *cancel_source;
  GMainContext *context;
  GDateTime    *started_at;
  GSource      *loop_watch;     /* times each turn of the loop: the longest is the stall */
  AwDeadlineQueue *deadlines;   /* of the jobs in flight, in start order */
  GSource      *next_batch;     /* starts the next batch of tasks, after a frame can draw */
  AwHostPolicy *policy;         /* towards a real service: connections, Retry-After */
  const AwScheduler *scheduler; /* the mode's */
  gpointer      scheduler_state;
  guint         fd_budget;      /* sockets the run may hold at once */

  gint64        origin_us;      /* monotonic time of the start */
  gint64        total_us;       /* -1 until finished */
  gint64        longest_stall_us;
  guint         next_task;
  guint         n_active;
  guint         n_finished;
  guint         n_failed;
  gboolean      cancelled;
  gboolean      pumping;        /* in pump(): a task that ends at once does not re-enter it */
};

G_DEFINE_FINAL_TYPE (AwFetchRun, aw_fetch_run, G_TYPE_OBJECT)

enum {
  TASK_CHANGED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_MODE,
  PROP_CITIES,
  PROP_LIMIT,
  PROP_TIMEOUT,
  PROP_CONNS_PER_HOST,
  PROP_N_TASKS,
  PROP_RUNNING,
  PROP_FINISHED,
  PROP_STOPPED,
  PROP_N_FINISHED,
  PROP_N_FAILED,
  PROP_STARTED_AT,
  PROP_TOTAL_US,
  PROP_LONGEST_STALL_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void pump (AwFetchRun *self);

gint64
_aw_fetch_run_now (AwFetchRun *self)
{
  return g_get_monotonic_time () - self->origin_us;
}

gint64
_aw_fetch_run_get_origin_us (AwFetchRun *self)
{
  return self->origin_us;
}

GMainContext *
_aw_fetch_run_get_context (AwFetchRun *self)
{
  return self->context;
}

AwHostPolicy *
_aw_fetch_run_get_policy (AwFetchRun *self)
{
  return self->policy;
}

void
_aw_fetch_run_task_changed (AwFetchRun *self,
                            AwTask     *task)
{
  g_signal_emit (self, signals[TASK_CHANGED], 0, task);
}

void
_aw_fetch_run_set_scheduler (AwFetchRun        *self,
                             const AwScheduler *scheduler)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  g_return_if_fail (scheduler != NULL && scheduler->start_task != NULL
                    && scheduler->max_in_flight != NULL && scheduler->fds_per_task > 0);
  self->scheduler = scheduler;
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
                      AW_MAX_INTERIM_ANSWERS);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
finish_run (AwFetchRun *self)
{
  g_autoptr(GTask) run_task = g_steal_pointer (&self->run_task);

  self->total_us = _aw_fetch_run_now (self);
  /* A mode that held the loop never returned to it while it ran: all of it was a stall. */
  if (self->scheduler->holds_loop)
    self->longest_stall_us = MAX (self->longest_stall_us, self->total_us);
  clear_source (&self->loop_watch);
  g_clear_pointer (&self->deadlines, aw_deadline_queue_free);
  clear_source (&self->cancel_source);
  clear_source (&self->next_batch);
  /* Waits for a Stop running in another thread: the scheduler's state stays until then. */
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  if (self->scheduler->end_run != NULL)
    self->scheduler->end_run (g_steal_pointer (&self->scheduler_state));
  g_clear_pointer (&self->policy, aw_host_policy_free);
  aw_provider_save (self->provider);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_US]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LONGEST_STALL_US]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  /* The one end of a run; the GTask of aw_fetch_run_run_async() returns from here too. */
  g_signal_emit (self, signals[FINISHED], 0);
  g_task_return_boolean (run_task, TRUE);
}

/* Records a task's end, and finishes the run after the last. */
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
        {
          self->n_failed++;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
        }
    }
  else
    aw_task_succeed (task, weather, at_us);

  self->n_finished++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FINISHED]);
  _aw_fetch_run_task_changed (self, task);

  if (self->n_finished == self->tasks->len)
    finish_run (self);
}

void
_aw_fetch_run_job_done (AwJob     *job,
                        AwWeather *weather,
                        GError    *error)
{
  AwFetchRun *self = job->run;
  g_autoptr(AwTask) task = g_object_ref (job->task);

  if (error != NULL && (job->deadline.timed_out
                        || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
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
  aw_deadline_queue_remove (self->deadlines, &job->deadline);
  aw_job_free (job);
  task_done (self, task, weather, error, _aw_fetch_run_now (self));

  /* A finished task frees a slot. */
  if (self->run_task != NULL)
    pump (self);
}

static void
start_task (AwFetchRun *self,
            AwTask     *task)
{
  AwJob *job = aw_job_new (self, task, aw_session_pool_get (self->sessions,
                                                            aw_task_get_index (task)),
                           g_get_monotonic_time () + (gint64)(self->timeout_s * G_USEC_PER_SEC));

  self->n_active++;
  aw_deadline_queue_push (self->deadlines, &job->deadline);
  if (aw_provider_lookup_cached (self->provider, aw_task_get_city (task), &job->lookup))
    aw_task_add_note (task, _("Coordinates from cache"));

  self->scheduler->start_task (self->scheduler_state, job);
}

/* Descriptors are a budget: past the open-files limit a new socket fails with "Too many open
 * files". The run holds no more sockets than its budget allows and keeps the other tasks
 * queued, saying why. */
static guint
descriptor_cap (AwFetchRun *self)
{
  return MAX (self->fd_budget / self->scheduler->fds_per_task, 1);
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
  guint max_running = self->scheduler->max_running;
  g_autofree char *detail = NULL;

  /* Where the mode's own limit binds first, that is the reason to wait. */
  if (self->scheduler->max_in_flight (self) <= cap || self->tasks->len <= cap
      || (max_running > 0 && cap >= max_running))
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

/* Starts queued tasks while the mode allows more in flight, a batch at a time. A task that
 * ends within pump() (Blocking, or a request that cannot be built) only frees its slot: the
 * loop below goes on. */
static void
pump (AwFetchRun *self)
{
  guint cap = MIN (MIN (self->scheduler->max_in_flight (self), descriptor_cap (self)),
                   aw_host_policy_max_in_flight (self->policy));
  guint started = 0;

  if (self->pumping)
    return;
  self->pumping = TRUE;

  /* The cancellable too: in Blocking, a Stop from another thread cannot reach the loop. */
  while (self->run_task != NULL && !self->cancelled
         && !g_cancellable_is_cancelled (self->cancellable)
         && self->n_active < cap && self->next_task < self->tasks->len
         && !aw_host_policy_is_held (self->policy, self->tasks, self->next_task, G_OBJECT (self)))
    {
      /* A mode that holds the loop has no turns to spread over: it is all one stall. */
      if (started == START_BATCH && !self->scheduler->holds_loop)
        {
          /* Idle priority: after the loop's pending I/O, and after a window's redraw. */
          if (self->next_batch == NULL)
            {
              self->next_batch = g_idle_source_new ();
              g_source_set_callback (self->next_batch, start_next_batch, self, NULL);
              g_source_attach (self->next_batch, self->context);
            }
          break;
        }
      start_task (self, g_ptr_array_index (self->tasks, self->next_task++));
      started++;
    }
  self->pumping = FALSE;
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED]);
  for (guint i = 0; i < self->tasks->len; i++)
    {
      AwTask *task = g_ptr_array_index (self->tasks, i);

      if (aw_task_get_state (task) == AW_TASK_QUEUED && i >= self->next_task)
        {
          self->next_task = MAX (self->next_task, i + 1);
          task_done (self, task, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped")),
                     _aw_fetch_run_now (self));
          if (self->run_task == NULL)
            return G_SOURCE_REMOVE;
        }
    }

  /* Those in flight end through their own callbacks, as cancelled. */
  aw_deadline_queue_cancel_all (self->deadlines);
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
  /* A mode that holds the run's thread: its loop runs once the task in hand returns. */
  if (self->scheduler->stop != NULL && self->scheduler_state != NULL)
    self->scheduler->stop (self->scheduler_state);
}

static void
aw_fetch_run_constructed (GObject *object)
{
  AwFetchRun *self = (AwFetchRun *)object;

  G_OBJECT_CLASS (aw_fetch_run_parent_class)->constructed (object);

  self->scheduler = aw_scheduler_for_mode (self->mode);
}

static void
aw_fetch_run_dispose (GObject *object)
{
  AwFetchRun *self = (AwFetchRun *)object;

  g_assert (self->run_task == NULL);

  g_clear_pointer (&self->sessions, aw_session_pool_free);

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

static GStrv
dup_cities (AwFetchRun *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->tasks->len; i++)
    g_strv_builder_add (builder, aw_task_get_city (g_ptr_array_index (self->tasks, i)));
  return g_strv_builder_end (builder);
}

static void
set_cities (AwFetchRun         *self,
            const char * const *cities)
{
  for (guint i = 0; cities != NULL && cities[i] != NULL; i++)
    {
      g_autofree char *city = aw_city_name_normalize (cities[i]);

      g_ptr_array_add (self->tasks, aw_task_new (i, city));
    }
}

static void
aw_fetch_run_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AwFetchRun *self = AW_FETCH_RUN (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_CITIES:
      g_value_take_boxed (value, dup_cities (self));
      break;
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_TIMEOUT:
      g_value_set_double (value, self->timeout_s);
      break;
    case PROP_CONNS_PER_HOST:
      g_value_set_uint (value, self->conns_per_host);
      break;
    case PROP_N_TASKS:
      g_value_set_uint (value, self->tasks->len);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, aw_fetch_run_is_running (self));
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, aw_fetch_run_is_finished (self));
      break;
    case PROP_STOPPED:
      g_value_set_boolean (value, self->cancelled);
      break;
    case PROP_N_FINISHED:
      g_value_set_uint (value, self->n_finished);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;
    case PROP_TOTAL_US:
      g_value_set_int64 (value, self->total_us);
      break;
    case PROP_LONGEST_STALL_US:
      g_value_set_int64 (value, self->longest_stall_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_fetch_run_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AwFetchRun *self = AW_FETCH_RUN (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_CITIES:
      set_cities (self, g_value_get_boxed (value));
      break;
    case PROP_LIMIT:
      aw_fetch_run_set_limit (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      aw_fetch_run_set_timeout (self, g_value_get_double (value));
      break;
    case PROP_CONNS_PER_HOST:
      aw_fetch_run_set_conns_per_host (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_fetch_run_class_init (AwFetchRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                | G_PARAM_STATIC_STRINGS;

  object_class->constructed = aw_fetch_run_constructed;
  object_class->dispose = aw_fetch_run_dispose;
  object_class->finalize = aw_fetch_run_finalize;
  object_class->get_property = aw_fetch_run_get_property;
  object_class->set_property = aw_fetch_run_set_property;

  /* The weather service; NULL only for a run of an earlier session, read back. */
  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, AW_TYPE_PROVIDER, construct);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, AW_TYPE_MODE, AW_MODE_CONCURRENT, construct);
  /* One task per city, in this order; names are normalised. */
  properties[PROP_CITIES] =
    g_param_spec_boxed ("cities", NULL, NULL, G_TYPE_STRV, construct);
  /* These three are fixed once the run starts. Limited mode: tasks in flight at once. */
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, G_MAXUINT, AW_DEFAULT_LIMIT, rw);
  /* Per-task timeout, in seconds. */
  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, AW_MIN_TIMEOUT_S, AW_MAX_TIMEOUT_S,
                         AW_DEFAULT_TIMEOUT_S, rw);
  /* See aw_fetch_run_set_conns_per_host(); once started, the number in use. */
  properties[PROP_CONNS_PER_HOST] =
    g_param_spec_uint ("conns-per-host", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_N_TASKS] =
    g_param_spec_uint ("n-tasks", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  /* Notified once, just before the "finished" signal. */
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  /* Stopped through its cancellable before all its tasks ended. */
  properties[PROP_STOPPED] =
    g_param_spec_boolean ("stopped", NULL, NULL, FALSE, ro);
  properties[PROP_N_FINISHED] =
    g_param_spec_uint ("n-finished", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STARTED_AT] =
    g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  /* The run's wall time in microseconds, -1 until it finished. */
  properties[PROP_TOTAL_US] =
    g_param_spec_int64 ("total-us", NULL, NULL, -1, G_MAXINT64, -1, ro);
  /* The longest time the loop could not dispatch; notified when the run finishes. */
  properties[PROP_LONGEST_STALL_US] =
    g_param_spec_int64 ("longest-stall-us", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "task-changed" (AwTask *task): a task changed phase or state. */
  signals[TASK_CHANGED] = g_signal_new ("task-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, AW_TYPE_TASK);
  /* "finished" (): the one end of a run, once, after every task ended. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
aw_fetch_run_init (AwFetchRun *self)
{
  self->mode = AW_MODE_CONCURRENT;
  self->limit = AW_DEFAULT_LIMIT;
  self->timeout_s = AW_DEFAULT_TIMEOUT_S;
  self->total_us = -1;
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

AwFetchRun *
aw_fetch_run_new (AwProvider         *provider,
                  AwMode              mode,
                  const char * const *cities)
{
  g_return_val_if_fail (AW_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  g_return_val_if_fail (cities != NULL, NULL);

  return g_object_new (AW_TYPE_FETCH_RUN,
                       "provider", provider,
                       "mode", mode,
                       "cities", cities,
                       NULL);
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

  limit = MAX (limit, 1);
  if (self->limit == limit)
    return;
  self->limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
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

  seconds = CLAMP (seconds, AW_MIN_TIMEOUT_S, AW_MAX_TIMEOUT_S);
  if (self->timeout_s == seconds)
    return;
  self->timeout_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

double
aw_fetch_run_get_timeout (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->timeout_s;
}

static void
set_conns_per_host (AwFetchRun *self,
                    guint       conns)
{
  if (self->conns_per_host == conns)
    return;
  self->conns_per_host = conns;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNS_PER_HOST]);
}

void
aw_fetch_run_set_conns_per_host (AwFetchRun *self,
                                 guint       conns)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  set_conns_per_host (self, conns);
}

guint
aw_fetch_run_get_conns_per_host (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->conns_per_host;
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  self->policy = aw_host_policy_new (self->provider, self->conns_per_host, self->timeout_s,
                                     self->context, resume_after_hold, self);
  set_conns_per_host (self, aw_host_policy_get_conns (self->policy));
  self->fd_budget = descriptor_budget (self);
  self->sessions = aw_session_pool_new (self->tasks->len, descriptor_cap (self),
                                        self->conns_per_host, self->scheduler->one_session);
  explain_descriptor_wait (self);
  if (self->scheduler->start_run != NULL)
    self->scheduler_state = self->scheduler->start_run (self);

  if (self->tasks->len == 0)
    {
      finish_run (self);
      return;
    }

  self->loop_watch = aw_loop_watch_new (&self->longest_stall_us);
  g_source_attach (self->loop_watch, self->context);
  self->deadlines = aw_deadline_queue_new (self->context);
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
  return _aw_fetch_run_now (self);
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

  self = g_object_new (AW_TYPE_FETCH_RUN, "mode", mode, NULL);
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
