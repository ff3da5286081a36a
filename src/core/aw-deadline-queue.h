/* aw-deadline-queue.h: every task's deadline on one timer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One entry, kept inside what it times (a job): its cancellable is cancelled at its deadline. */
typedef struct
{
  gint64        deadline_us;   /* monotonic */
  GCancellable *cancellable;   /* borrowed */
  gboolean      timed_out;
  GList         link;          /* in the queue */
} AwDeadline;

typedef struct _AwDeadlineQueue AwDeadlineQueue;

AwDeadlineQueue *aw_deadline_queue_new        (GMainContext    *context);
void             aw_deadline_queue_free       (AwDeadlineQueue *self);
/* Entries come in deadline order: each no earlier than the one before (one timeout for all). */
void             aw_deadline_queue_push       (AwDeadlineQueue *self,
                                               AwDeadline      *deadline);
void             aw_deadline_queue_remove     (AwDeadlineQueue *self,
                                               AwDeadline      *deadline);
/* Cancels the cancellable of every entry (a Stop); entries stay until removed. */
void             aw_deadline_queue_cancel_all (AwDeadlineQueue *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwDeadlineQueue, aw_deadline_queue_free)

G_END_DECLS
