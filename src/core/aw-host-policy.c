/* aw-host-policy.c: how a run behaves towards a real service (somebody else's server)
 *
 * prevision-meteo.ch is a small free service and Open-Meteo's free tier has daily limits: a
 * run against them opens no more connections than a browser would, asks before a large run,
 * and when told to wait (429 or 503 with Retry-After) holds the service's remaining tasks
 * back. The demo server is ours, and keeps none of these limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <math.h>

#include "aw-host-policy-private.h"
#include "aw-task-private.h"

struct _AwHostPolicy
{
  gboolean      real;
  guint         conns;
  double        max_hold_s;
  GMainContext *context;
  GSourceFunc   resume;
  gpointer      resume_data;

  GMutex        mutex;          /* guards hold_until_us and hold_s: answers come from workers */
  gint64        hold_until_us;  /* monotonic; 0 when not held */
  guint         hold_s;
  guint         hold_status;

  /* the run's thread only */
  gint64        noted_until_us; /* the hold the queued tasks were told about */
  GSource      *timer;
};

guint
aw_host_policy_conns_per_host (gboolean real,
                               guint    requested)
{
  if (real && requested == 0)
    return AW_REAL_CONNS_PER_HOST;
  return requested;
}

gboolean
aw_host_policy_conns_too_many (gboolean real,
                               guint    requested)
{
  return real && requested > AW_REAL_CONNS_PER_HOST;
}

gboolean
aw_host_policy_needs_consent (gboolean real,
                              guint    n_cities)
{
  return real && n_cities > AW_REAL_MAX_CITIES;
}

char *
aw_host_policy_describe_conns (guint requested)
{
  return g_strdup_printf (_("%u connections per host is more than a free weather service should "
                            "get: browsers open %d. Consider fewer."),
                          requested, AW_REAL_CONNS_PER_HOST);
}

char *
aw_host_policy_describe_many (guint n_cities)
{
  return g_strdup_printf (_("%u cities would send at least %u requests to a free weather "
                            "service, which others share and which may limit each user."),
                          n_cities, n_cities);
}

AwHostPolicy *
aw_host_policy_new (AwProvider   *provider,
                    guint         conns_per_host,
                    double        timeout_s,
                    GMainContext *context,
                    GSourceFunc   resume,
                    gpointer      resume_data)
{
  AwHostPolicy *self = g_new0 (AwHostPolicy, 1);

  g_return_val_if_fail (AW_IS_PROVIDER (provider), NULL);

  self->real = aw_provider_is_real (provider);
  self->conns = aw_host_policy_conns_per_host (self->real, conns_per_host);
  self->max_hold_s = MIN (AW_MAX_HOLD_S, timeout_s);
  self->context = g_main_context_ref (context);
  self->resume = resume;
  self->resume_data = resume_data;
  g_mutex_init (&self->mutex);
  return self;
}

void
aw_host_policy_set_no_requests (AwHostPolicy *self)
{
  self->real = FALSE;
}

void
aw_host_policy_free (AwHostPolicy *self)
{
  if (self == NULL)
    return;
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

guint
aw_host_policy_get_conns (AwHostPolicy *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->conns;
}

guint
aw_host_policy_max_in_flight (AwHostPolicy *self)
{
  if (self == NULL)
    return G_MAXUINT;
  return self->real && self->conns > 0 ? self->conns : G_MAXUINT;
}

/* Seconds to wait from a Retry-After header: a number of seconds, or an HTTP date. -1 when
 * there is none, or it makes no sense. */
static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (value == NULL)
    return -1;
  while (*value == ' ' || *value == '\t')
    value++;
  if (g_ascii_isdigit (*value))
    {
      guint64 seconds = 0;
      const char *p;

      for (p = value; g_ascii_isdigit (*p); p++)
        seconds = MIN (seconds * 10 + (guint64)(*p - '0'), (guint64)G_MAXINT32);
      while (*p == ' ' || *p == '\t')
        p++;
      return *p == '\0' ? (gint64)seconds : -1;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX ((g_date_time_difference (date, now) + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 0);
}

char *
aw_host_policy_note_answer (AwHostPolicy *self,
                            SoupMessage  *msg)
{
  guint status;
  gint64 seconds;

  if (self == NULL || !self->real)
    return NULL;

  status = soup_message_get_status (msg);
  if (status != 429 /* Too Many Requests */ && status != SOUP_STATUS_SERVICE_UNAVAILABLE)
    return NULL;
  seconds = parse_retry_after (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                             "Retry-After"));
  if (seconds <= 0)
    return NULL;

  /* Capped: a hold never outlasts a task's timeout, nor a minute. */
  seconds = MIN (seconds, (gint64)ceil (self->max_hold_s));
  g_mutex_lock (&self->mutex);
  self->hold_until_us = MAX (self->hold_until_us,
                             g_get_monotonic_time () + seconds * G_USEC_PER_SEC);
  self->hold_s = MAX (self->hold_s, (guint)seconds);
  self->hold_status = status;
  g_mutex_unlock (&self->mutex);

  /* Translators: %u is an HTTP status (429 or 503), %d seconds */
  return g_strdup_printf (_("The service answered HTTP %u and asked to wait %d s: its other "
                            "tasks are held back"), status, (int)seconds);
}

static gboolean
on_hold_over (gpointer user_data)
{
  AwHostPolicy *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  self->resume (self->resume_data);
  return G_SOURCE_REMOVE;
}

gboolean
aw_host_policy_is_held (AwHostPolicy *self,
                        GPtrArray    *tasks,
                        guint         next_task,
                        GObject      *run)
{
  gint64 until, now = g_get_monotonic_time ();
  guint hold_s, status;

  if (self == NULL || !self->real)
    return FALSE;

  g_mutex_lock (&self->mutex);
  until = self->hold_until_us;
  hold_s = self->hold_s;
  status = self->hold_status;
  g_mutex_unlock (&self->mutex);

  if (until <= now)
    return FALSE;

  /* Queued, with the reason: said once a hold, to every task still waiting. */
  if (self->noted_until_us != until)
    {
      /* Translators: %u is an HTTP status (429 or 503), %u seconds */
      g_autofree char *note = g_strdup_printf (_("Held back: the service answered HTTP %u and "
                                                 "asked to wait %u s (Retry-After)"),
                                               status, hold_s);

      self->noted_until_us = until;
      for (guint i = next_task; i < tasks->len; i++)
        {
          AwTask *task = g_ptr_array_index (tasks, i);

          aw_task_add_note (task, note);
          g_signal_emit_by_name (run, "task-changed", task);
        }
      if (self->timer != NULL)
        {
          g_source_destroy (self->timer);
          g_clear_pointer (&self->timer, g_source_unref);
        }
    }

  if (self->timer == NULL)
    {
      /* Rounded up: a timer that fires early finds the hold still on, and waits again. */
      self->timer = g_timeout_source_new ((guint)((until - now + 999) / 1000));
      g_source_set_callback (self->timer, on_hold_over, self, NULL);
      g_source_attach (self->timer, self->context);
    }
  return TRUE;
}
