/* aw-run-figures.h: the figures under the chart and the line that compares runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-run-record.h"

G_BEGIN_DECLS

/* Past this, a gap between frames is a freeze a person notices, not a slow frame. */
#define AW_FROZEN_US (250 * 1000)

#define AW_TYPE_RUN_FIGURES (aw_run_figures_get_type ())

G_DECLARE_FINAL_TYPE (AwRunFigures, aw_run_figures, AW, RUN_FIGURES, GtkWidget)

/* No finished run on screen: dashes. */
void        aw_run_figures_show_none       (AwRunFigures      *self);
/* One run; @frame_ms is how long a frame of the monitor is, for the longest frame's caption. */
void        aw_run_figures_show_run        (AwRunFigures      *self,
                                            const AwRunRecord *record,
                                            double             frame_ms);
/* Two runs compared, side by side. */
void        aw_run_figures_show_pair       (AwRunFigures      *self,
                                            const AwRunRecord *a,
                                            const AwRunRecord *b);
/* The line under the figures; @refused says it plainly, @offer_both shows "Show Both". */
void        aw_run_figures_set_comparison  (AwRunFigures      *self,
                                            const char        *text,
                                            gboolean           refused,
                                            gboolean           offer_both);
const char *aw_run_figures_get_comparison  (AwRunFigures      *self);
/* Figure @index as shown (wall, sum, speedup, longest frame), and its caption. */
const char *aw_run_figures_get_value       (AwRunFigures      *self,
                                            guint              index);
const char *aw_run_figures_get_caption     (AwRunFigures      *self,
                                            guint              index);
/* "CPU 1.21 s · 1.8 cores" as shown under the figures, or NULL when hidden. */
const char *aw_run_figures_get_cpu         (AwRunFigures      *self);

/* How the durations of a run's tasks spread (@sorted ascending, in µs): a histogram and
 * p50, p95, p99 beside the figures from AW_DISTRIBUTION_MIN_TASKS tasks; hidden below. */
void        aw_run_figures_set_durations   (AwRunFigures      *self,
                                            const gint64      *sorted,
                                            guint              n);
/* "p50 312 ms · p95 480 ms · p99 497 ms" while the histogram shows, else NULL. */
const char *aw_run_figures_get_percentiles (AwRunFigures      *self);
/* The histogram's bins as drawn (the count of each), and how many; 0 when hidden. */
const guint *aw_run_figures_get_bins       (AwRunFigures      *self,
                                            guint             *n_bins);

/* "2.63 s, bound 1.50 s: +0.90 s waiting for a connection…" under the figures; @bound_us 0
 * hides it. @gap is aw_fetch_run_describe_gap()'s, NULL when nothing is worth telling. */
void        aw_run_figures_set_gap         (AwRunFigures      *self,
                                            gint64             wall_us,
                                            gint64             bound_us,
                                            const char        *gap);
const char *aw_run_figures_get_gap         (AwRunFigures      *self);

/* The figures of a run as text: wall, sum, speedup, longest frame (free each). */
void        aw_run_figures_format          (const AwRunRecord *record,
                                            char              *values[4]);
char       *aw_format_seconds              (gint64             us);
/* "Concurrent · 3 cities · 12:04:01 was 3.0× faster than …", or why the two do not
 * compare. @a is the earlier run. */
char       *aw_run_figures_describe_comparison (const AwRunRecord *a,
                                                const AwRunRecord *b);

G_END_DECLS
