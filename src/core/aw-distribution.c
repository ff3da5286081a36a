/* aw-distribution.c: percentiles and a histogram of task durations, for runs large enough
 * that one bar per task no longer tells how they spread (as oha and vegeta print them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "aw-distribution.h"

gint64
aw_distribution_percentile (const gint64 *sorted,
                            guint         n,
                            double        percent)
{
  guint rank;

  g_return_val_if_fail (sorted != NULL && n > 0, 0);
  g_return_val_if_fail (percent > 0 && percent <= 100, 0);

  /* Nearest rank; the small epsilon keeps 95 % of 100 at rank 95, not 96. */
  rank = (guint)ceil (percent / 100.0 * n - 1e-9);
  return sorted[CLAMP (rank, 1, n) - 1];
}

gboolean
aw_distribution_percentiles (const gint64  *sorted,
                             guint          n,
                             AwPercentiles *percentiles)
{
  g_return_val_if_fail (percentiles != NULL, FALSE);

  *percentiles = (AwPercentiles) { 0 };
  if (n == 0)
    return FALSE;
  percentiles->p50_us = aw_distribution_percentile (sorted, n, 50);
  percentiles->p95_us = aw_distribution_percentile (sorted, n, 95);
  percentiles->p99_us = aw_distribution_percentile (sorted, n, 99);
  return TRUE;
}

void
aw_distribution_histogram (const gint64 *sorted,
                           guint         n,
                           guint         n_bins,
                           guint        *counts,
                           gint64       *min_us,
                           gint64       *bin_us)
{
  gint64 span;

  g_return_if_fail (n_bins > 0 && counts != NULL);

  memset (counts, 0, n_bins * sizeof (guint));
  *min_us = n > 0 ? sorted[0] : 0;
  /* The width that puts the largest value in the last bin, never 0. */
  span = n > 0 ? sorted[n - 1] - sorted[0] + 1 : 1;
  *bin_us = MAX ((span + n_bins - 1) / n_bins, 1);
  for (guint i = 0; i < n; i++)
    counts[MIN ((guint)((sorted[i] - *min_us) / *bin_us), n_bins - 1)]++;
}

static int
compare_us (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

GArray *
aw_distribution_run_durations (AwFetchRun *run)
{
  GArray *durations = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (AW_IS_FETCH_RUN (run), durations);

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      AwTaskState state = aw_task_get_state (task);
      gint64 duration;

      if (state != AW_TASK_SUCCEEDED && state != AW_TASK_FAILED)
        continue;
      duration = aw_task_get_duration_us (task);
      g_array_append_val (durations, duration);
    }
  g_array_sort (durations, compare_us);
  return durations;
}
