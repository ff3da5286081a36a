/* aw-fetch-run.c: one run of every city in one mode: the object, its settings, properties and
 * figures; the run under way is aw-fetch-run-queue.c, each mode's work its scheduler's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-fetch-run-private.h"
#include "aw-work.h"

G_DEFINE_FINAL_TYPE (AwFetchRun, aw_fetch_run, G_TYPE_OBJECT)

enum {
  TASK_CHANGED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GParamSpec *properties[N_PROPS];

void
_aw_fetch_run_notify (AwFetchRun *self,
                      AwFetchRunProp prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_aw_fetch_run_emit_finished (AwFetchRun *self)
{
  g_signal_emit (self, signals[FINISHED], 0);
}

void
_aw_fetch_run_task_changed (AwFetchRun *self,
                            AwTask     *task)
{
  g_signal_emit (self, signals[TASK_CHANGED], 0, task);
}

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

AwLoopTrace *
_aw_fetch_run_get_trace (AwFetchRun *self)
{
  return self->trace;
}

AwHostPolicy *
_aw_fetch_run_get_policy (AwFetchRun *self)
{
  return self->policy;
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
  g_clear_pointer (&self->trace, aw_loop_trace_unref);

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
    case PROP_WORKLOAD:
      g_value_set_enum (value, self->workload);
      break;
    case PROP_WORK_MS:
      g_value_set_uint (value, self->work_ms);
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
    case PROP_WORKLOAD:
      aw_fetch_run_set_workload (self, g_value_get_enum (value));
      break;
    case PROP_WORK_MS:
      aw_fetch_run_set_work_ms (self, g_value_get_uint (value));
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
  /* What each task does; fixed once the run starts. */
  properties[PROP_WORKLOAD] =
    g_param_spec_enum ("workload", NULL, NULL, AW_TYPE_WORKLOAD, AW_WORKLOAD_WEATHER, rw);
  /* CPU work per answer, in ms; fixed once the run starts. */
  properties[PROP_WORK_MS] =
    g_param_spec_uint ("work-ms", NULL, NULL, 0, AW_MAX_WORK_MS, 0, rw);
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

void
_aw_fetch_run_set_conns_per_host (AwFetchRun *self,
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
  _aw_fetch_run_set_conns_per_host (self, conns);
}

guint
aw_fetch_run_get_conns_per_host (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->conns_per_host;
}

void
aw_fetch_run_set_workload (AwFetchRun *self,
                           AwWorkload  workload)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  g_return_if_fail (workload == AW_WORKLOAD_WEATHER || workload == AW_WORKLOAD_SLEEP);

  if (self->workload == workload)
    return;
  self->workload = workload;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKLOAD]);
}

AwWorkload
aw_fetch_run_get_workload (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), AW_WORKLOAD_WEATHER);
  return self->workload;
}

void
aw_fetch_run_set_sleep_latency (AwFetchRun *self,
                                double      min_s,
                                double      max_s)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);
  g_return_if_fail (min_s >= 0 && max_s >= min_s);

  self->sleep_min_s = MIN (min_s, AW_MAX_TIMEOUT_S);
  self->sleep_max_s = MIN (max_s, AW_MAX_TIMEOUT_S);
}

void
aw_fetch_run_set_work_ms (AwFetchRun *self,
                          guint       work_ms)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);

  work_ms = MIN (work_ms, AW_MAX_WORK_MS);
  if (self->work_ms == work_ms)
    return;
  self->work_ms = work_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORK_MS]);
}

guint
aw_fetch_run_get_work_ms (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);
  return self->work_ms;
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
  self->cpu_origin_us = aw_work_process_cpu_us ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  _aw_fetch_run_start (self);
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

gint64
aw_fetch_run_get_cpu_us (AwFetchRun *self)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (self), 0);

  if (self->cpu_origin_us == 0)
    return 0;
  if (self->total_us >= 0)
    return self->cpu_us;
  return MAX (aw_work_process_cpu_us () - self->cpu_origin_us, 0);
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

void
aw_fetch_run_set_paced (AwFetchRun *self,
                        gboolean    paced)
{
  g_return_if_fail (AW_IS_FETCH_RUN (self));
  g_return_if_fail (self->origin_us == 0);

  self->paced = !!paced;
}
