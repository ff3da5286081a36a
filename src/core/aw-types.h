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

/* What a thread does in a stretch of a run's lane (see aw_fetch_run_get_lane_slices()). */
typedef enum
{
  AW_SLICE_IDLE,      /* the loop waits in poll() for I/O or a timer */
  AW_SLICE_CALLBACK,  /* the loop (or a worker) runs one of a task's callbacks */
  AW_SLICE_FRAME,     /* the window draws a frame (main lane only, window runs only) */
  AW_SLICE_BLOCKED,   /* the thread is blocked inside a blocking call (Blocking; a worker's I/O) */
} AwSliceKind;

/* One stretch of a thread's lane, run-relative like a task's spans. */
typedef struct
{
  gint64      start_us;
  gint64      end_us;   /* -1 while open */
  int         task;     /* task index, -1 for none */
  AwSliceKind kind;
  AwPhase     phase;    /* a callback's: the phase it ends (wait, receive, parse; queued: start) */
} AwSlice;

/* A task's time, split by what it waited for; the four add up to its bar once it ended. */
typedef struct
{
  gint64 queued_us;   /* for a slot: the mode's limit, or a connection to the host */
  gint64 network_us;  /* DNS, connect, TLS, send, wait, receive */
  gint64 ready_us;    /* its I/O was ready (the poll that woke the loop returned), the loop busy */
  gint64 running_us;  /* its callbacks' and its parse's own time */
} AwLedger;

/* The run's loop over the run: idle in poll, busy otherwise. */
typedef struct
{
  gint64 busy_us;
  gint64 idle_us;
  gint64 longest_callback_us;
  guint  n_callbacks;
  guint  n_iterations;
} AwLoopFigures;

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
const char *aw_slice_kind_to_string (AwSliceKind kind);

G_END_DECLS

#include "aw-enums.h"

