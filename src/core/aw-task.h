/* aw-task.h: one city's fetch within a run, with its timing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "aw-types.h"
#include "aw-weather.h"

G_BEGIN_DECLS

#define AW_TYPE_TASK (aw_task_get_type ())

G_DECLARE_FINAL_TYPE (AwTask, aw_task, AW, TASK, GObject)

/* Properties, notified when they change (on the run's main context): construct-only "index"
 * and "city"; read-only "state" (AwTaskState), "phase" (AwPhase, the one under way),
 * "n-requests", "note", "end-us". */

guint            aw_task_get_index       (AwTask      *self);
const char      *aw_task_get_city        (AwTask      *self);
AwTaskState      aw_task_get_state       (AwTask      *self);
gboolean         aw_task_is_finished     (AwTask      *self);
/* The weather once succeeded, else NULL. */
const AwWeather *aw_task_get_weather     (AwTask      *self);
/* Why the task waited before it started (for a person to read), else NULL. */
/* The error once failed or cancelled, else NULL. */
const GError    *aw_task_get_error       (AwTask      *self);

/* Stamps are microseconds since the run's start. The task's bar begins at start_us (when it
 * joined the run's queue) and ends at end_us (-1 while it is live). Spans follow each other in
 * time; while the task is live the last span is open (end_us -1) and grows with the clock. */
gint64           aw_task_get_start_us    (AwTask      *self);
gint64           aw_task_get_end_us      (AwTask      *self);
const AwSpan    *aw_task_get_spans       (AwTask      *self,
                                          guint       *n_spans);
/* Total time spent in @phase (closed spans only). */
gint64           aw_task_get_phase_us    (AwTask      *self,
                                          AwPhase      phase);
/* end - start once finished, 0 before. */
gint64           aw_task_get_duration_us (AwTask      *self);
/* The duration less the time spent queued: how long the task took on its own. */
gint64           aw_task_get_active_us   (AwTask      *self);
/* The requests the task made (1, or 2 for Open-Meteo), and the URI of each. */
guint            aw_task_get_n_requests  (AwTask      *self);
const char      *aw_task_get_request_uri (AwTask      *self,
                                          guint        request);
guint            aw_task_get_request_status (AwTask   *self,
                                          guint        request);
/* Where request @request starts in the spans array (its first span after queueing). */
guint            aw_task_get_request_first_span (AwTask *self,
                                          guint        request);
/* The task's time split into queued, network, ready (its I/O ready, the loop busy with
 * something else) and running (its callbacks' and parse's own time). Once the task ended
 * they add up to end_us - start_us exactly; while it is live, to its closed spans. */
void             aw_task_get_ledger      (AwTask      *self,
                                          AwLedger    *ledger);
/* What the engine wants the person to know about the task ("coordinates from cache", why it
 * waits), one line each; NULL when nothing. */
const char      *aw_task_get_note        (AwTask      *self);

G_END_DECLS
