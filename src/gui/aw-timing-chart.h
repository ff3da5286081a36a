/* aw-timing-chart.h: one timing bar per task on a shared time axis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-fetch-run.h"

G_BEGIN_DECLS

#define AW_TYPE_TIMING_CHART (aw_timing_chart_get_type ())

G_DECLARE_FINAL_TYPE (AwTimingChart, aw_timing_chart, AW, TIMING_CHART, GtkWidget)

GtkWidget  *aw_timing_chart_new          (void);
/* One run, or several stacked on one axis (to compare them); NULL or 0 to clear. */
void        aw_timing_chart_set_runs     (AwTimingChart  *self,
                                          AwFetchRun    **runs,
                                          guint           n_runs);
void        aw_timing_chart_set_run      (AwTimingChart  *self,
                                          AwFetchRun     *run);
guint       aw_timing_chart_get_n_runs   (AwTimingChart  *self);
/* Rows are tasks, run after run. */
guint       aw_timing_chart_get_n_rows   (AwTimingChart  *self);
AwTask     *aw_timing_chart_get_row_task (AwTimingChart  *self,
                                          guint           row);
/* The time the axis spans, in microseconds. */
gint64      aw_timing_chart_get_axis_us  (AwTimingChart  *self);
/* The row under @y (widget coordinates), or -1. */
int         aw_timing_chart_row_at       (AwTimingChart  *self,
                                          double          y);
/* The tooltip text of a row: the task's phases, its result. */
char       *aw_timing_chart_describe_row (AwTimingChart  *self,
                                          guint           row);
/* The colour of a phase in the bars and the legend. */
void        aw_timing_chart_get_phase_color (AwPhase      phase,
                                          GdkRGBA        *color);
/* The mark drawn after the bar of a task that ended as @state, or %NULL for none. */
const char *aw_timing_chart_get_end_mark (AwTaskState  state);
/* Whether a frame-clock tick callback is installed (only while a run is live). */
gboolean    aw_timing_chart_is_animating (AwTimingChart  *self);
/* Draws a band over @run's rows from @start_us to @end_us (relative to its start): the time
 * the window could not draw. Kept for as long as the chart, whenever @run is shown. */
void        aw_timing_chart_add_freeze   (AwTimingChart  *self,
                                          AwFetchRun     *run,
                                          gint64          start_us,
                                          gint64          end_us);
gboolean    aw_timing_chart_get_freeze   (AwTimingChart  *self,
                                          AwFetchRun     *run,
                                          gint64         *start_us,
                                          gint64         *end_us);
/* The height of a row now: more than usual when few rows fill the chart. */
int         aw_timing_chart_get_row_height (AwTimingChart *self);
/* Draws the chart as for a @width × @height image: dark text on a light background, the
 * rows that show on screen. */
void        aw_timing_chart_snapshot_for_image (AwTimingChart *self,
                                          GtkSnapshot    *snapshot,
                                          int             width,
                                          int             height);
AwFetchRun *aw_timing_chart_get_run      (AwTimingChart  *self,
                                          guint           index);

G_END_DECLS
