/* aw-watchdog.c: a deadline for work that holds its own thread
 *
 * The Blocking mode calls libsoup's blocking API on the run's own thread: no timer on that
 * thread's loop can fire until the call returns, and libsoup's I/O timeout restarts with
 * every byte, so a server that drips a byte a second is never stopped by it. A second thread
 * sleeps until the deadline and cancels; a blocking read or poll wakes on the cancellable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-watchdog.h"

struct _AwWatchdog
{
  GThread      *thread;
  GMutex        mutex;
  GCond         cond;
  GCancellable *armed;         /* NULL when disarmed */
  gint64        deadline_us;
  gboolean      fired;
  gboolean      quit;
};

static gpointer
watch (gpointer data)
{
  AwWatchdog *self = data;

  g_mutex_lock (&self->mutex);
  while (!self->quit)
    {
      if (self->armed == NULL || self->fired)
        g_cond_wait (&self->cond, &self->mutex);
      else if (g_get_monotonic_time () < self->deadline_us)
        g_cond_wait_until (&self->cond, &self->mutex, self->deadline_us);
      else
        {
          g_autoptr(GCancellable) cancellable = g_object_ref (self->armed);

          self->fired = TRUE;
          /* Outside the lock: the cancellable's handlers may take their own. */
          g_mutex_unlock (&self->mutex);
          g_cancellable_cancel (cancellable);
          g_mutex_lock (&self->mutex);
        }
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

AwWatchdog *
aw_watchdog_new (void)
{
  AwWatchdog *self = g_new0 (AwWatchdog, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->thread = g_thread_new ("aw-watchdog", watch, self);
  return self;
}

void
aw_watchdog_free (AwWatchdog *self)
{
  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (self->thread);

  g_clear_object (&self->armed);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

void
aw_watchdog_arm (AwWatchdog   *self,
                 GCancellable *cancellable,
                 gint64        deadline_us)
{
  g_mutex_lock (&self->mutex);
  g_set_object (&self->armed, cancellable);
  self->deadline_us = deadline_us;
  self->fired = FALSE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gboolean
aw_watchdog_disarm (AwWatchdog *self)
{
  gboolean fired;

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->armed);
  fired = self->fired;
  self->fired = FALSE;
  g_mutex_unlock (&self->mutex);
  return fired;
}

void
aw_watchdog_cancel_now (AwWatchdog *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_mutex_lock (&self->mutex);
  if (self->armed != NULL)
    cancellable = g_object_ref (self->armed);
  g_mutex_unlock (&self->mutex);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}
