/* aw-task.c: one city's fetch within a run, with its timing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-task-private.h"
#include "aw-task.h"
#include "aw-text.h"

struct _AwTask
{
  GObject      parent_instance;

  guint        index;
  char        *city;
  AwTaskState  state;
  gint64       start_us;
  gint64       end_us;
  GArray      *spans;           /* AwSpan, in time order; the last one open while live */
  GPtrArray   *request_uris;
  GArray      *request_status;  /* guint */
  GArray      *request_spans;   /* guint: index of each request's first span */
  AwWeather   *weather;
  GError      *error;
  GString     *note;            /* what the engine wants the person to know, or NULL */
  gint64       ready_us;        /* the ledger's loop time, see aw_task_get_ledger() */
  gint64       running_us;
  gint64       dequeued_us;
};

G_DEFINE_FINAL_TYPE (AwTask, aw_task, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  PROP_CITY,
  PROP_STATE,
  PROP_PHASE,
  PROP_N_REQUESTS,
  PROP_NOTE,
  PROP_END_US,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify (AwTask *self,
        guint   prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_state (AwTask      *self,
           AwTaskState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  notify (self, PROP_STATE);
}

/* The phase of the last span: the one under way while the task runs. */
static AwPhase
current_phase (AwTask *self)
{
  if (self->spans->len == 0)
    return AW_PHASE_QUEUED;
  return g_array_index (self->spans, AwSpan, self->spans->len - 1).phase;
}

/* Appends a span, merging it into the last one when both are of the same phase. */
static void
append_span (AwTask       *self,
             const AwSpan *span)
{
  if (self->spans->len > 0)
    {
      AwSpan *last = &g_array_index (self->spans, AwSpan, self->spans->len - 1);

      if (last->phase == span->phase)
        {
          last->end_us = span->end_us;
          return;
        }
    }
  g_array_append_val (self->spans, *span);
}

static void
close_open_span (AwTask *self,
                 gint64  at_us)
{
  AwSpan *last;

  if (self->spans->len == 0)
    return;
  last = &g_array_index (self->spans, AwSpan, self->spans->len - 1);
  if (last->end_us < 0)
    last->end_us = MAX (at_us, last->start_us);
}

static void
aw_task_finalize (GObject *object)
{
  AwTask *self = (AwTask *)object;

  g_clear_pointer (&self->city, g_free);
  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->request_uris, g_ptr_array_unref);
  g_clear_pointer (&self->request_status, g_array_unref);
  g_clear_pointer (&self->request_spans, g_array_unref);
  g_clear_pointer (&self->weather, aw_weather_free);
  g_clear_error (&self->error);
  if (self->note != NULL)
    g_string_free (g_steal_pointer (&self->note), TRUE);

  G_OBJECT_CLASS (aw_task_parent_class)->finalize (object);
}

static void
aw_task_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  AwTask *self = AW_TASK (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PHASE:
      g_value_set_enum (value, current_phase (self));
      break;
    case PROP_N_REQUESTS:
      g_value_set_uint (value, self->request_uris->len);
      break;
    case PROP_NOTE:
      g_value_set_string (value, aw_task_get_note (self));
      break;
    case PROP_END_US:
      g_value_set_int64 (value, self->end_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_task_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  AwTask *self = AW_TASK (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      self->index = g_value_get_uint (value);
      break;
    case PROP_CITY:
      self->city = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_task_class_init (AwTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                | G_PARAM_STATIC_STRINGS;

  object_class->finalize = aw_task_finalize;
  object_class->get_property = aw_task_get_property;
  object_class->set_property = aw_task_set_property;

  /* Its place in the run. */
  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0, construct);
  properties[PROP_CITY] = g_param_spec_string ("city", NULL, NULL, NULL, construct);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, AW_TYPE_TASK_STATE,
                                              AW_TASK_QUEUED, ro);
  /* The phase under way (the last one, once finished). */
  properties[PROP_PHASE] = g_param_spec_enum ("phase", NULL, NULL, AW_TYPE_PHASE,
                                              AW_PHASE_QUEUED, ro);
  properties[PROP_N_REQUESTS] = g_param_spec_uint ("n-requests", NULL, NULL, 0, G_MAXUINT, 0,
                                                   ro);
  /* What the engine wants the person to know, or NULL. */
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, ro);
  /* Run-relative end in microseconds, -1 until finished. */
  properties[PROP_END_US] = g_param_spec_int64 ("end-us", NULL, NULL, -1, G_MAXINT64, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
aw_task_init (AwTask *self)
{
  self->end_us = -1;
  self->dequeued_us = -1;
  self->spans = g_array_new (FALSE, FALSE, sizeof (AwSpan));
  self->request_uris = g_ptr_array_new_with_free_func (g_free);
  self->request_status = g_array_new (FALSE, TRUE, sizeof (guint));
  self->request_spans = g_array_new (FALSE, TRUE, sizeof (guint));
}

AwTask *
aw_task_new (guint       index,
             const char *city)
{
  AwTask *self = g_object_new (AW_TYPE_TASK, "index", index, "city", city, NULL);
  AwSpan queued = { AW_PHASE_QUEUED, 0, -1 };

  append_span (self, &queued);
  return self;
}

guint
aw_task_get_index (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  return self->index;
}

const char *
aw_task_get_city (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), NULL);
  return self->city;
}

AwTaskState
aw_task_get_state (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), AW_TASK_QUEUED);
  return self->state;
}

gboolean
aw_task_is_finished (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), FALSE);
  return self->state >= AW_TASK_SUCCEEDED;
}

const AwWeather *
aw_task_get_weather (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), NULL);
  return self->weather;
}

const GError *
aw_task_get_error (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), NULL);
  return self->error;
}

gint64
aw_task_get_start_us (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  return self->start_us;
}

gint64
aw_task_get_end_us (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), -1);
  return self->end_us;
}

const AwSpan *
aw_task_get_spans (AwTask *self,
                   guint  *n_spans)
{
  g_return_val_if_fail (AW_IS_TASK (self), NULL);
  g_return_val_if_fail (n_spans != NULL, NULL);

  *n_spans = self->spans->len;
  return (const AwSpan *)(gpointer)self->spans->data;
}

gint64
aw_task_get_phase_us (AwTask  *self,
                      AwPhase  phase)
{
  gint64 total = 0;

  g_return_val_if_fail (AW_IS_TASK (self), 0);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const AwSpan *span = &g_array_index (self->spans, AwSpan, i);

      if (span->phase == phase && span->end_us >= 0)
        total += span->end_us - span->start_us;
    }
  return total;
}

gint64
aw_task_get_duration_us (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  return self->end_us < 0 ? 0 : self->end_us - self->start_us;
}

gint64
aw_task_get_active_us (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  return aw_task_get_duration_us (self) - aw_task_get_phase_us (self, AW_PHASE_QUEUED);
}

guint
aw_task_get_n_requests (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  return self->request_uris->len;
}

const char *
aw_task_get_request_uri (AwTask *self,
                         guint   request)
{
  g_return_val_if_fail (AW_IS_TASK (self), NULL);
  g_return_val_if_fail (request < self->request_uris->len, NULL);
  return g_ptr_array_index (self->request_uris, request);
}

guint
aw_task_get_request_status (AwTask *self,
                            guint   request)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  g_return_val_if_fail (request < self->request_status->len, 0);
  return g_array_index (self->request_status, guint, request);
}

guint
aw_task_get_request_first_span (AwTask *self,
                                guint   request)
{
  g_return_val_if_fail (AW_IS_TASK (self), 0);
  g_return_val_if_fail (request < self->request_spans->len, 0);
  return g_array_index (self->request_spans, guint, request);
}

/* Closes the open span at @at_us and opens one of @phase, unless it is already open. */
void
aw_task_begin_phase (AwTask  *self,
                     AwPhase  phase,
                     gint64   at_us)
{
  AwSpan span = { phase, at_us, -1 };

  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (!aw_task_is_finished (self));

  if (self->spans->len > 0)
    {
      const AwSpan *last = &g_array_index (self->spans, AwSpan, self->spans->len - 1);

      if (last->end_us < 0 && last->phase == phase)
        return;
      span.start_us = MAX (at_us, last->start_us);
    }
  close_open_span (self, span.start_us);
  append_span (self, &span);
  notify (self, PROP_PHASE);
}

/* A request begins: what comes after the open span is its own. */
void
aw_task_add_request (AwTask     *self,
                     const char *uri)
{
  guint first;
  guint status = 0;

  g_return_if_fail (AW_IS_TASK (self));

  first = self->spans->len;
  g_ptr_array_add (self->request_uris, g_strdup (uri));
  g_array_append_val (self->request_status, status);
  g_array_append_val (self->request_spans, first);
  notify (self, PROP_N_REQUESTS);
  set_state (self, AW_TASK_RUNNING);
}

void
aw_task_set_request_status (AwTask *self,
                            guint   status)
{
  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (self->request_status->len > 0);

  g_array_index (self->request_status, guint, self->request_status->len - 1) = status;
}

/* Replaces the spans the current request recorded live with exact ones (from the message's
 * metrics). The span open before the request (queued, or the previous request's parse) is
 * closed where the first exact span starts. */
void
aw_task_replace_request_spans (AwTask       *self,
                               const AwSpan *spans,
                               guint         n_spans)
{
  guint first;

  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (self->request_spans->len > 0);

  if (n_spans == 0)
    return;

  first = g_array_index (self->request_spans, guint, self->request_spans->len - 1);
  if (first < self->spans->len)
    g_array_set_size (self->spans, first);
  /* Live guesses made from another thread's news may start after the exact stamps did. */
  while (self->spans->len > 1
         && g_array_index (self->spans, AwSpan, self->spans->len - 1).start_us >= spans[0].start_us)
    g_array_set_size (self->spans, self->spans->len - 1);

  if (self->spans->len > 0)
    {
      AwSpan *last = &g_array_index (self->spans, AwSpan, self->spans->len - 1);

      last->end_us = MAX (last->start_us, spans[0].start_us);
    }

  g_array_index (self->request_spans, guint, self->request_spans->len - 1) = self->spans->len;
  for (guint i = 0; i < n_spans; i++)
    append_span (self, &spans[i]);
  notify (self, PROP_PHASE);
}

static void
finish (AwTask      *self,
        AwTaskState  state,
        gint64       at_us)
{
  close_open_span (self, at_us);
  self->end_us = MAX (at_us, self->start_us);
  notify (self, PROP_END_US);
  set_state (self, state);
}

void
aw_task_succeed (AwTask    *self,
                 AwWeather *weather,
                 gint64     at_us)
{
  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (!aw_task_is_finished (self));
  g_return_if_fail (weather != NULL);

  self->weather = weather;
  finish (self, AW_TASK_SUCCEEDED, at_us);
}

void
aw_task_fail (AwTask *self,
              GError *error,
              gint64  at_us)
{
  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (!aw_task_is_finished (self));
  g_return_if_fail (error != NULL);

  /* Every message may quote a server (libsoup's quote headers, ours the service's words):
   * made safe here, once, for the terminal, the window, the exports and the logs. */
  {
    char *clean = aw_text_sanitize (error->message, -1);

    g_free (error->message);
    error->message = clean;
  }
  self->error = error;
  finish (self,
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? AW_TASK_CANCELLED
                                                                     : AW_TASK_FAILED,
          at_us);
}

const char *
aw_task_get_note (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), NULL);
  return self->note ? self->note->str : NULL;
}

void
aw_task_add_note (AwTask     *self,
                  const char *note)
{
  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (note != NULL);

  if (self->note == NULL)
    self->note = g_string_new (note);
  else if (strstr (self->note->str, note) == NULL)
    g_string_append_printf (self->note, "\n%s", note);
  else
    return;
  notify (self, PROP_NOTE);
}

void
aw_task_add_loop_time (AwTask *self,
                       gint64  ready_us,
                       gint64  running_us)
{
  g_return_if_fail (AW_IS_TASK (self));
  self->ready_us += MAX (ready_us, 0);
  self->running_us += MAX (running_us, 0);
}

void
aw_task_set_dequeued_us (AwTask *self,
                         gint64  at_us)
{
  g_return_if_fail (AW_IS_TASK (self));
  self->dequeued_us = at_us;
}

gint64
aw_task_get_dequeued_us (AwTask *self)
{
  g_return_val_if_fail (AW_IS_TASK (self), -1);
  return self->dequeued_us;
}

/* Queued from the spans; the loop's time as recorded, each part clipped to what is left of
 * the bar so that none is negative and they add up; the network has the rest. */
void
aw_task_get_ledger (AwTask   *self,
                    AwLedger *ledger)
{
  gint64 total = 0;
  gint64 left;

  g_return_if_fail (AW_IS_TASK (self));
  g_return_if_fail (ledger != NULL);

  if (self->end_us >= 0)
    total = self->end_us - self->start_us;
  else
    for (guint i = 0; i < self->spans->len; i++)
      {
        const AwSpan *span = &g_array_index (self->spans, AwSpan, i);

        if (span->end_us >= 0)
          total += span->end_us - span->start_us;
      }

  left = total;
  ledger->queued_us = CLAMP (aw_task_get_phase_us (self, AW_PHASE_QUEUED), 0, left);
  left -= ledger->queued_us;
  ledger->running_us = MIN (self->running_us, left);
  left -= ledger->running_us;
  ledger->ready_us = MIN (self->ready_us, left);
  left -= ledger->ready_us;
  ledger->network_us = left;
}
