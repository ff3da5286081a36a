/* aw-work.h: CPU clocks, and the work per answer: real computation, never a sleep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AW_MAX_WORK_MS 1000

/* The CPU time the whole process has used so far, in µs (every thread, user and system);
 * 0 where the platform gives none. */
gint64 aw_work_process_cpu_us (void);
/* The CPU time the calling thread has used so far, in µs; where the platform has no
 * thread clock, the monotonic clock. */
gint64 aw_work_thread_cpu_us  (void);
/* Spends @work_ms (at most AW_MAX_WORK_MS) of the calling thread's CPU time hashing @body
 * over and over: a stand-in for an answer that takes real computation to handle. */
void   aw_work_spend          (GBytes *body,
                               guint   work_ms);

G_END_DECLS
