/* aw-task.c: one city's fetch within a run, with its timing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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
};

G_DEFINE_FINAL_TYPE (AwTask, aw_task, G_TYPE_OBJECT)

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
aw_task_class_init (AwTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aw_task_finalize;
}

static void
aw_task_init (AwTask *self)
{
  self->end_us = -1;
  self->spans = g_array_new (FALSE, FALSE, sizeof (AwSpan));
  self->request_uris = g_ptr_array_new_with_free_func (g_free);
  self->request_status = g_array_new (FALSE, TRUE, sizeof (guint));
  self->request_spans = g_array_new (FALSE, TRUE, sizeof (guint));
}

AwTask *
aw_task_new (guint       index,
             const char *city)
{
  AwTask *self = g_object_new (AW_TYPE_TASK, NULL);
  AwSpan queued = { AW_PHASE_QUEUED, 0, -1 };

  self->index = index;
  self->city = g_strdup (city);
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
  self->state = AW_TASK_RUNNING;
  g_ptr_array_add (self->request_uris, g_strdup (uri));
  g_array_append_val (self->request_status, status);
  g_array_append_val (self->request_spans, first);
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
}

static void
finish (AwTask      *self,
        AwTaskState  state,
        gint64       at_us)
{
  close_open_span (self, at_us);
  self->state = state;
  self->end_us = MAX (at_us, self->start_us);
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
}
