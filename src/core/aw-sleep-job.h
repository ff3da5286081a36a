/* aw-sleep-job.h: the sleep workload: a task that only waits on a timer, without network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-fetch-job.h"

G_BEGIN_DECLS

/* Sequential, Concurrent, Limited: a GTask that a timeout source on the run's loop
 * completes; the job ends from its callback, on the run's thread. */
void       aw_sleep_job_start    (AwJob           *job);
/* Threads and Blocking: g_usleep() on the calling thread until the latency passed or the
 * job's cancellable fired, touching only the job's own fields (as aw_job_fetch_blocking()). */
void       aw_sleep_job_blocking (AwJob           *job);

G_END_DECLS
