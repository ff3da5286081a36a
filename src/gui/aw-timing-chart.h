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
/* The part of the axis drawn across the chart: [0, axis] unless zoomed. */
void        aw_timing_chart_get_view     (AwTimingChart  *self,
                                          gint64         *start_us,
                                          gint64         *end_us);
/* Shows [@start_us, @end_us] of the axis (kept inside it, at least a few µs wide); the whole
 * axis resets the zoom. */
void        aw_timing_chart_set_view     (AwTimingChart  *self,
                                          gint64          start_us,
                                          gint64          end_us);
/* Zooms by @factor (2: twice as close) keeping the time under @x (widget coordinates) in
 * place; @x below 0: around the callback or task the keyboard is on, else the view's start. */
void        aw_timing_chart_zoom         (AwTimingChart  *self,
                                          double          factor,
                                          double          x);
/* Moves the view by @delta_us, stopping at the axis' ends. */
void        aw_timing_chart_scroll_view  (AwTimingChart  *self,
                                          gint64          delta_us);
void        aw_timing_chart_reset_zoom   (AwTimingChart  *self);
gboolean    aw_timing_chart_is_zoomed    (AwTimingChart  *self);
/* Where the time @us falls across the chart, in widget coordinates. */
double      aw_timing_chart_get_x        (AwTimingChart  *self,
                                          gint64          us);
/* "Showing 12.35 ms to 14.10 ms of 1.02 s", and how to zoom. */
char       *aw_timing_chart_describe_view (AwTimingChart *self);
/* The row under @y (widget coordinates), or -1. */
int         aw_timing_chart_row_at       (AwTimingChart  *self,
                                          double          y);
/* The tooltip text of a row: the task's phases, its result. */
char       *aw_timing_chart_describe_row (AwTimingChart  *self,
                                          guint           row);
/* The row the keyboard is on (its task's description is the chart's accessible
 * description, and "focus-row" is notified when it changes or its task does), or -1. */
int         aw_timing_chart_get_focus_row (AwTimingChart *self);
void        aw_timing_chart_set_focus_row (AwTimingChart *self,
                                          int             row);
/* The colour of a phase in the bars and the legend. */
void        aw_timing_chart_get_phase_color (AwPhase      phase,
                                          GdkRGBA        *color);
/* The mark drawn after the bar of a task that ended as @state, or %NULL for none. */
const char *aw_timing_chart_get_end_mark (AwTaskState  state);
/* The text of each run's header when comparing (what the window knows of each run: its
 * settings, what differs); NULL for the chart's own. Cleared by set_runs. */
void        aw_timing_chart_set_titles   (AwTimingChart      *self,
                                          const char * const *titles);
const char *aw_timing_chart_get_title    (AwTimingChart  *self,
                                          guint           run);
/* The axis spans at least @floor_us, so that consecutive runs share one scale; 0 fits the
 * axis to the runs shown. */
void        aw_timing_chart_set_axis_floor_us (AwTimingChart *self,
                                          gint64          floor_us);

/* A dashed line at @at_us labelled @label across a single run: the wall time of the run
 * before on a shared axis. NULL removes it. */
void        aw_timing_chart_set_reference (AwTimingChart *self,
                                          gint64          at_us,
                                          const char     *label);
const char *aw_timing_chart_get_reference (AwTimingChart *self);

typedef enum
{
  AW_TIMING_CHART_MARK_SUM,
  AW_TIMING_CHART_MARK_FAILED,
  AW_TIMING_CHART_MARK_STOPPED,
} AwTimingChartMark;

/* The colours of the marks that are not phases ("wall" is the text's colour). */
void        aw_timing_chart_get_mark_color (AwTimingChartMark mark,
                                          GdkRGBA        *color);
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

/* The thread lanes above the rows, for a single run that has them (none when comparing). */
guint       aw_timing_chart_get_n_lanes  (AwTimingChart  *self);
/* "main loop busy 12.4 % (drawing frames 11.2 %) · 9 callbacks · longest 0.40 ms ·
 * 25 iterations", or NULL. */
char       *aw_timing_chart_describe_loop (AwTimingChart *self);
/* The pointer at (@x, @y), as the chart's motion controller reports it: on a callback in a
 * lane, or on a bar, its task is highlighted in both places. (-1, -1) is away. */
void        aw_timing_chart_point_at     (AwTimingChart  *self,
                                          double          x,
                                          double          y);
/* Left and Right: the keyboard moves to the main loop's next (@step 1) or previous (-1)
 * callback, and to its task's row; FALSE when there is none that way. */
gboolean    aw_timing_chart_step_callback (AwTimingChart *self,
                                          int             step);
/* The index of that callback in lane 0's slices, or -1. */
int         aw_timing_chart_get_focus_slice (AwTimingChart *self);
/* The task drawn highlighted (hover, else keyboard focus), or -1. */
int         aw_timing_chart_get_highlighted_task (AwTimingChart *self);
/* Where slice @slice of lane @lane is drawn (its middle), in widget coordinates. */
gboolean    aw_timing_chart_get_slice_point (AwTimingChart *self,
                                          guint           lane,
                                          guint           slice,
                                          double         *x,
                                          double         *y);
/* The time drawn as "ready, loop busy" bands on @task's bar (each stretch, wide or not). */
gint64      aw_timing_chart_get_drawn_ready_us (AwTimingChart *self,
                                          guint           task);
/* The colours of a frame in the main loop's lane and of the "ready, loop busy" band. */
void        aw_timing_chart_get_frame_color (GdkRGBA     *color);
void        aw_timing_chart_get_ready_color (GdkRGBA     *color);

G_END_DECLS
