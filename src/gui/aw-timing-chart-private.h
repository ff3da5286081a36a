/* aw-timing-chart-private.h: the chart's struct and row geometry, shared by its lifecycle
 * (aw-timing-chart.c), its row layout (aw-timing-chart-layout.c) and its drawing
 * (aw-timing-chart-draw.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-timing-chart.h"

G_BEGIN_DECLS

#define AXIS_HEIGHT   28
#define ROW_HEIGHT    24
#define BAR_HEIGHT    14
#define HEADER_HEIGHT 44   /* a run's title above, its labelled marks below */
#define MARKS_TOP     22
#define LABEL_WIDTH   150
#define END_PADDING   56
#define LANE_HEIGHT   22
#define LANES_MAX_HEIGHT 160  /* many worker lanes shrink to share this */
#define LANE_FIGURES_HEIGHT 22  /* the loop's figures under the lanes */
#define MIN_VIEW_US   50   /* the closest zoom: a microsecond takes a few pixels */
/* Few rows grow to fill the chart, up to this many times their usual height. */
#define MAX_ROW_SCALE 4

typedef struct
{
  AwTask *task;      /* borrowed from its run */
  guint   run;
  int     y;         /* content coordinate of the row's top */
} Row;

typedef struct
{
  guint run;
  int   y;
} Header;

typedef struct
{
  gint64 start_us;   /* relative to its run's start */
  gint64 end_us;
} Freeze;

/* The part of the time axis drawn now (all of it unless zoomed) and its scale: everything on
 * the time axis is placed through axis_x (). */
typedef struct
{
  gint64 start_us;
  gint64 end_us;
  double px_per_us;
} Axis;

static inline double
axis_x (const Axis *axis,
        gint64      us)
{
  return LABEL_WIDTH + (us - axis->start_us) * axis->px_per_us;
}

struct _AwTimingChart
{
  GtkWidget      parent_instance;

  /* owned */
  GPtrArray     *runs;       /* AwFetchRun */
  GArray        *rows;       /* Row, by y */
  GArray        *headers;    /* Header, when comparing */
  GPtrArray     *titles;     /* char *, one per run: its header's text, or NULL */
  GHashTable    *freezes;    /* AwFetchRun → Freeze: when the window could not draw */
  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          tick_id;
  gint64         axis_floor_us;
  gint64         view_start_us;  /* the zoomed part of the axis; view_end_us 0: all of it */
  gint64         view_end_us;
  gint64         pinch_span_us;  /* when a pinch began: the view's span, the time under it */
  gint64         pinch_anchor_us;
  double         pointer_x;      /* where Ctrl+scroll zooms around, or -1 */
  gint64         reference_us;
  char          *reference_label;
  char          *accessible_label;  /* the label said last: said again only when it changes */
  int            content_height;
  int            row_height;  /* ROW_HEIGHT, or more: a larger font, few rows to fill with */
  int            bar_height;
  int            export_width;  /* while drawn for an image: its size, dark text on light */
  int            export_height;
  int            focus_row;  /* the row the keyboard is on, or -1 */
  int            hover_task; /* the task under the pointer (a callback or its bar), or -1 */
  int            focus_slice; /* the loop's callback the keyboard is on (Left, Right), or -1 */
  int            lane_height;
  int            lanes_height;  /* the lanes and their figures, under the axis; 0 for none */
  int            lanes_text_end; /* where the loop's figures end, as drawn last */
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;
};

/* The marks of a comparison and of a failure, in colours no phase uses; "wall" is drawn in
 * the text's colour. */
#define SUM_COLOR     "#986a44"
#define FAILED_COLOR  "#e62e8a"   /* magenta: no phase is, TLS is red */
#define STOPPED_COLOR "#9a9996"

extern const char * const _aw_timing_chart_phase_colors[AW_N_PHASES];

/* The axis as drawn now: the view and the scale. */
void     _aw_timing_chart_get_axis      (AwTimingChart *self,
                                        Axis          *axis);
gboolean _aw_timing_chart_any_run_live  (AwTimingChart *self);
void     _aw_timing_chart_snapshot      (GtkWidget     *widget,
                                        GtkSnapshot   *snapshot);

/* aw-timing-chart-layout.c */
int      _aw_timing_chart_width         (AwTimingChart *self);
int      _aw_timing_chart_height        (AwTimingChart *self);
double   _aw_timing_chart_scroll_offset (AwTimingChart *self);
void     _aw_timing_chart_update_adjustments (AwTimingChart *self);
int      _aw_timing_chart_pick_row_height    (AwTimingChart *self);
void     _aw_timing_chart_layout_rows        (AwTimingChart *self);
void     _aw_timing_chart_rebuild_rows       (AwTimingChart *self);

/* aw-timing-chart-lanes.c */
/* Where the rows begin: under the axis and the lanes. */
int      _aw_timing_chart_top           (AwTimingChart *self);
/* The lanes' height for the run now (Threads adds lanes as workers start); TRUE if changed. */
gboolean _aw_timing_chart_update_lanes  (AwTimingChart *self);
void     _aw_timing_chart_init_lanes    (AwTimingChart *self);
void     _aw_timing_chart_snapshot_lanes (AwTimingChart *self,
                                         GtkSnapshot   *snapshot,
                                         PangoLayout   *layout,
                                         const Axis    *axis,
                                         const GdkRGBA *fg,
                                         const GdkRGBA *colors);
void     _aw_timing_chart_snapshot_ready (AwTimingChart *self,
                                         GtkSnapshot   *snapshot,
                                         double         offset,
                                         const Axis    *axis);
void     _aw_timing_chart_snapshot_bound (AwTimingChart *self,
                                         GtkSnapshot   *snapshot,
                                         PangoLayout   *layout,
                                         const Axis    *axis,
                                         const GdkRGBA *fg);
/* The loop's callback the keyboard is on, said before its task ("a callback of Paris…"). */
char    *_aw_timing_chart_describe_focus_slice (AwTimingChart *self);
/* The tooltip of the slice under (@x, @y), or NULL. */
char    *_aw_timing_chart_describe_slice (AwTimingChart *self,
                                         double         x,
                                         double         y);

/* aw-timing-chart-zoom.c */
void     _aw_timing_chart_init_zoom     (AwTimingChart *self);
/* Zoomed, the view moves to centre @at_us if it is out of sight. */
void     _aw_timing_chart_show_time     (AwTimingChart *self,
                                        gint64         at_us);
/* The view, the overview of where it is, in the axis' label cell. */
void     _aw_timing_chart_snapshot_overview (AwTimingChart *self,
                                         GtkSnapshot   *snapshot,
                                         PangoLayout   *layout,
                                         const Axis    *axis,
                                         const GdkRGBA *fg);

/* aw-timing-chart-rows.c */
void     _aw_timing_chart_class_init_rows (GtkWidgetClass *widget_class);
void     _aw_timing_chart_init_rows       (AwTimingChart  *self);
/* The rows were rebuilt, or a task changed. */
void     _aw_timing_chart_rows_changed    (AwTimingChart  *self);

G_END_DECLS
