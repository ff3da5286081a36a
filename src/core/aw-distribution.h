/* aw-distribution.h: how a run's task durations spread: percentiles and a histogram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-fetch-run.h"

G_BEGIN_DECLS

/* Below this many tasks, a distribution says little: the front ends show none. */
#define AW_DISTRIBUTION_MIN_TASKS 20

typedef struct
{
  gint64 p50_us;
  gint64 p95_us;
  gint64 p99_us;
} AwPercentiles;

/* Percentile @percent (0 < @percent ≤ 100) of @sorted (ascending, @n ≥ 1), by nearest rank:
 * the smallest value with at least @percent % of the values at or below it. */
gint64  aw_distribution_percentile    (const gint64  *sorted,
                                       guint          n,
                                       double         percent);
/* p50, p95 and p99 of @sorted; FALSE (and zeros) when @n is 0. */
gboolean aw_distribution_percentiles  (const gint64  *sorted,
                                       guint          n,
                                       AwPercentiles *percentiles);
/* Counts @sorted into @n_bins bins of @bin_us each from @min_us, so that the largest value
 * falls in the last bin; @counts holds @n_bins. */
void    aw_distribution_histogram     (const gint64  *sorted,
                                       guint          n,
                                       guint          n_bins,
                                       guint         *counts,
                                       gint64        *min_us,
                                       gint64        *bin_us);
/* The durations of @run's tasks that ended (succeeded or failed, not cancelled), in µs,
 * sorted ascending. */
GArray *aw_distribution_run_durations (AwFetchRun    *run);

G_END_DECLS
