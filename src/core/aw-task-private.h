/* aw-task-private.h: how the engine builds a task up; for the engine only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-task.h"

G_BEGIN_DECLS

AwTask          *aw_task_new             (guint        index,
                                          const char  *city);
void             aw_task_begin_phase     (AwTask      *self,
                                          AwPhase      phase,
                                          gint64       at_us);
void             aw_task_add_request     (AwTask      *self,
                                          const char  *uri);
void             aw_task_set_request_status (AwTask   *self,
                                          guint        status);
void             aw_task_replace_request_spans (AwTask *self,
                                          const AwSpan *spans,
                                          guint        n_spans);
void             aw_task_succeed         (AwTask      *self,
                                          AwWeather   *weather,
                                          gint64       at_us);
void             aw_task_fail            (AwTask      *self,
                                          GError      *error,
                                          gint64       at_us);
void             aw_task_add_note        (AwTask      *self,
                                          const char  *note);
/* The ledger's loop time: ready (its I/O ready, the loop busy) and running (its callbacks,
 * its parse). */
void             aw_task_add_loop_time   (AwTask      *self,
                                          gint64       ready_us,
                                          gint64       running_us);
/* When the task left the run's queue for its first request: what it queued after that was
 * for a connection. -1 before. */
void             aw_task_set_dequeued_us (AwTask      *self,
                                          gint64       at_us);
gint64           aw_task_get_dequeued_us (AwTask      *self);

G_END_DECLS
