/* aw-fetch-run-private.h: what a run shares with its schedulers and jobs, for the engine only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-fetch-run.h"
#include "aw-host-policy.h"
#include "aw-scheduler.h"
#include "aw-task-private.h"

G_BEGIN_DECLS

/* Microseconds since the run started; the monotonic time it started at. */
gint64        _aw_fetch_run_now          (AwFetchRun *self);
gint64        _aw_fetch_run_get_origin_us (AwFetchRun *self);
/* The main context the run was started from: its tasks change only there. */
GMainContext *_aw_fetch_run_get_context  (AwFetchRun *self);
AwHostPolicy *_aw_fetch_run_get_policy   (AwFetchRun *self);
/* Emits "task-changed"; on the run's thread only. */
void          _aw_fetch_run_task_changed (AwFetchRun *self,
                                          AwTask     *task);
/* Ends @job (and frees it) with its weather or its error; on the run's thread only. */
void          _aw_fetch_run_job_done     (AwJob      *job,
                                          AwWeather  *weather,
                                          GError     *error);

/* A finished run of ended tasks, as a record of an earlier session keeps it. */
AwFetchRun   *aw_fetch_run_new_finished  (AwMode      mode,
                                          GPtrArray  *tasks,
                                          GDateTime  *started_at,
                                          gint64      total_us,
                                          gboolean    stopped);

/* For tests: carries out the run with @scheduler rather than its mode's; before it starts. */
void          _aw_fetch_run_set_scheduler (AwFetchRun        *self,
                                           const AwScheduler *scheduler);

G_END_DECLS
