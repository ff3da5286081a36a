/* aw-deadline-queue.c: every task's deadline on one timer
 *
 * One timer for every task's timeout, rather than one source each: GLib's loop visits every
 * source on every iteration, so thousands of timers would cost quadratic time. The entries
 * are in start order, so also in deadline order: the timer waits for the first one that has
 * not timed out yet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-deadline-queue.h"
#include "aw-ready-source.h"

struct _AwDeadlineQueue
{
  GQueue   entries;   /* AwDeadline, by their embedded link */
  GSource *timer;     /* ready at the first pending deadline */
};

static void
update_timer (AwDeadlineQueue *self)
{
  for (GList *l = self->entries.head; l != NULL; l = l->next)
    {
      AwDeadline *deadline = l->data;

      if (!deadline->timed_out)
        {
          g_source_set_ready_time (self->timer, deadline->deadline_us);
          return;
        }
    }
  g_source_set_ready_time (self->timer, -1);
}

/* Cancelling may end an entry's job at once: cancel only once the queue is walked. */
static void
cancel_each (GPtrArray *cancellables)
{
  for (guint i = 0; i < cancellables->len; i++)
    g_cancellable_cancel (g_ptr_array_index (cancellables, i));
}

static gboolean
on_timer (gpointer user_data)
{
  AwDeadlineQueue *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func (g_object_unref);

  for (GList *l = self->entries.head; l != NULL; l = l->next)
    {
      AwDeadline *deadline = l->data;

      if (deadline->deadline_us > now)
        break;
      if (!deadline->timed_out)
        {
          deadline->timed_out = TRUE;
          g_ptr_array_add (late, g_object_ref (deadline->cancellable));
        }
    }
  update_timer (self);
  cancel_each (late);
  return G_SOURCE_CONTINUE;
}

AwDeadlineQueue *
aw_deadline_queue_new (GMainContext *context)
{
  AwDeadlineQueue *self = g_new0 (AwDeadlineQueue, 1);

  g_queue_init (&self->entries);
  self->timer = aw_ready_source_new (on_timer, self);
  g_source_set_static_name (self->timer, "aw-deadline-queue");
  g_source_attach (self->timer, context);
  return self;
}

void
aw_deadline_queue_free (AwDeadlineQueue *self)
{
  if (self == NULL)
    return;
  g_source_destroy (self->timer);
  g_source_unref (self->timer);
  g_free (self);
}

void
aw_deadline_queue_push (AwDeadlineQueue *self,
                        AwDeadline      *deadline)
{
  g_return_if_fail (self != NULL && deadline != NULL);
  g_return_if_fail (G_IS_CANCELLABLE (deadline->cancellable));

  deadline->link.data = deadline;
  g_queue_push_tail_link (&self->entries, &deadline->link);
  if (self->entries.length == 1)
    update_timer (self);
}

void
aw_deadline_queue_remove (AwDeadlineQueue *self,
                          AwDeadline      *deadline)
{
  g_return_if_fail (self != NULL && deadline != NULL);

  g_queue_unlink (&self->entries, &deadline->link);
  update_timer (self);
}

void
aw_deadline_queue_cancel_all (AwDeadlineQueue *self)
{
  g_autoptr(GPtrArray) cancellables = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (self != NULL);

  for (GList *l = self->entries.head; l != NULL; l = l->next)
    g_ptr_array_add (cancellables, g_object_ref (((AwDeadline *)l->data)->cancellable));
  cancel_each (cancellables);
}
