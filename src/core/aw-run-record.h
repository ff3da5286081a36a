/* aw-run-record.h: what made a finished run and what it measured, and when two runs compare
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "aw-fetch-run.h"
#include "aw-types.h"

G_BEGIN_DECLS

#define AW_TYPE_RUN_RECORD (aw_run_record_get_type ())

/* The settings of a run (fixed when it starts) and its figures (once it ended). */
typedef struct
{
  /* what made it */
  AwMode     mode;
  guint      limit;            /* K in Limited mode, else 0 */
  guint      conns_per_host;   /* 0: one per task */
  char      *service;          /* "demo", "prevision", "open-meteo" */
  double     latency_min_s;    /* demo service only, else 0 */
  double     latency_max_s;
  double     failure_rate;     /* demo service only, 0–1 */
  double     timeout_s;
  AwWorkload workload;         /* sleep: latency_* are the timer's, whatever the service */
  guint      work_ms;          /* CPU work per answer */
  GDateTime *started_at;       /* local time */
  char     **cities;

  /* what it measured */
  gboolean   finished;
  gboolean   stopped;
  guint      n_failed;
  gint64     total_us;
  gint64     sum_us;
  gint64     frame_gap_us;
  gint64     cpu_us;           /* the process's CPU time during the run; 0 when unknown */
  GPtrArray *tasks;            /* AwTask, ended: the bars; NULL for a run too large to keep */
} AwRunRecord;

/* The bars of larger runs are not kept, so that the history file stays small. */
#define AW_RUN_RECORD_MAX_TASKS 100
/* A list written stays within what the engine's guarded JSON reader takes: its bytes, and
 * its names and values (json-glib's cost grows with those). */
#define AW_RUN_RECORD_MAX_JSON_BYTES  AW_MAX_BODY_BYTES
#define AW_RUN_RECORD_MAX_JSON_TOKENS 12000

GType        aw_run_record_get_type      (void) G_GNUC_CONST;
AwRunRecord *aw_run_record_new           (void);
AwRunRecord *aw_run_record_copy          (const AwRunRecord *self);
void         aw_run_record_free          (AwRunRecord       *self);
/* Takes the figures of a finished @run. */
void         aw_run_record_set_result    (AwRunRecord       *self,
                                          AwFetchRun        *run,
                                          gint64             frame_gap_us);

/* The run again, from the tasks it kept, for the chart and exports; NULL if it kept none. */
AwFetchRun  *aw_run_record_restore_run   (const AwRunRecord *self);

/* Whether @a and @b ran the same cities with the same service and settings (mode and K may
 * differ: they are what a comparison is about). If not, *@reason says what differs. */
gboolean     aw_run_record_same_setup    (const AwRunRecord *a,
                                          const AwRunRecord *b,
                                          char             **reason);
/* Whether @a and @b compare: both finished, unstopped, without failed tasks, and of the same
 * setup. If so, *@ratio is how many times faster @b was than @a (a's wall ÷ b's); if not,
 * *@reason says why ("stopped", "3 tasks failed", "different cities"). */
gboolean     aw_run_record_compare       (const AwRunRecord *a,
                                          const AwRunRecord *b,
                                          double            *ratio,
                                          char             **reason);
/* "3.0× faster", "as fast", "2.1× slower", for a ratio from aw_run_record_compare(). */
char        *aw_run_record_format_ratio  (double             ratio);
/* Whether @ratio reads as "as fast" (a sentence then says "as fast as", not "than"). */
gboolean     aw_run_record_is_as_fast    (double             ratio);
/* "Limited (K = 4)", "Concurrent". */
char        *aw_run_record_format_mode   (const AwRunRecord *self);
/* "Limited (K = 4) · 3 cities · 12:04:31": a run named in one line. */
char        *aw_run_record_format_name   (const AwRunRecord *self);
/* "demo 0.3 s · 0 % fail · timeout 15 s · conns/host: one per task", then " · work 200 ms"
 * when there is work per answer; "sleep 2 s · timeout 15 s" for the sleep workload. */
char        *aw_run_record_format_settings (const AwRunRecord *self);
/* "CPU 1.21 s · 1.8 cores": the process's CPU time and how many cores that kept busy on
 * average; NULL when unknown. */
char        *aw_run_record_format_cpu    (const AwRunRecord *self);
/* What differs between @a and @b as "K 2 → 4, latency 0.3 s → 2 s", or NULL if nothing. */
char        *aw_run_record_describe_differences (const AwRunRecord *a,
                                          const AwRunRecord *b);

/* A list of records (the newest last) as JSON and back. The JSON keeps the newest records
 * that fit in AW_RUN_RECORD_MAX_JSON_BYTES, with their bars while those fit too. Loading
 * skips nothing silently: a malformed file or record is an error. */
char        *aw_run_record_list_to_json  (GPtrArray         *records);
GPtrArray   *aw_run_record_list_from_json (const char       *json,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwRunRecord, aw_run_record_free)

G_END_DECLS
