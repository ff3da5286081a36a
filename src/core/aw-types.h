/* aw-types.h: enums and small value types shared by the engine and its front ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How a run schedules its tasks; see design.md, "Modes". */
typedef enum
{
  AW_MODE_SEQUENTIAL,
  AW_MODE_CONCURRENT,
  AW_MODE_LIMITED,
  AW_MODE_THREADS,
  AW_MODE_BLOCKING,
} AwMode;

#define AW_N_MODES (AW_MODE_BLOCKING + 1)

/* What each task does: fetch the weather, or only wait (the tutorial's first program:
 * asyncio.sleep against time.sleep, no network at all). */
typedef enum
{
  AW_WORKLOAD_WEATHER,
  AW_WORKLOAD_SLEEP,
} AwWorkload;

/* The phases of one task, in the order they happen. */
typedef enum
{
  AW_PHASE_QUEUED,
  AW_PHASE_DNS,
  AW_PHASE_CONNECT,
  AW_PHASE_TLS,
  AW_PHASE_SEND,
  AW_PHASE_WAIT,
  AW_PHASE_RECEIVE,
  AW_PHASE_PARSE,
} AwPhase;

#define AW_N_PHASES (AW_PHASE_PARSE + 1)

typedef enum
{
  AW_TASK_QUEUED,
  AW_TASK_RUNNING,
  AW_TASK_SUCCEEDED,
  AW_TASK_FAILED,
  AW_TASK_CANCELLED,
} AwTaskState;

/* One stretch of a task's bar: a phase between two run-relative stamps. */
typedef struct
{
  AwPhase phase;
  gint64  start_us;
  gint64  end_us;
} AwSpan;

/* Names are the nicks of the enums' GTypes (AW_TYPE_MODE, AW_TYPE_PHASE, AW_TYPE_TASK_STATE). */
const char *aw_mode_to_string   (AwMode      mode);
gboolean    aw_mode_from_string (const char *str,
                                 AwMode     *mode);
const char *aw_mode_get_label   (AwMode      mode);
/* Which kind of work the mode suits (I/O-bound, CPU-bound), one sentence, translated. */
const char *aw_mode_get_suits   (AwMode      mode);
const char *aw_phase_to_string  (AwPhase     phase);
gboolean    aw_phase_from_string (const char *str,
                                  AwPhase    *phase);
const char *aw_phase_get_label  (AwPhase     phase);
const char *aw_task_state_to_string (AwTaskState state);
const char *aw_workload_to_string (AwWorkload  workload);
gboolean    aw_workload_from_string (const char *str,
                                     AwWorkload *workload);

G_END_DECLS

#include "aw-enums.h"

