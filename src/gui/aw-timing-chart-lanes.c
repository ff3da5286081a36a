/* aw-timing-chart-lanes.c: the thread lanes above the task rows, on the same time axis: who
 * held the loop's thread at each instant (idle in poll, a task's callback, a frame, blocked)
 * and each worker thread in Threads, the loop's figures under them, the link between a
 * callback and its task's bar (hover and keyboard focus), each task's time ready but
 * waiting for the busy loop as a band under its bar, and the run's bound on the axis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aw-timing-chart-private.h"

#define FRAME_COLOR   "#9141ac"   /* purple, reads on light and dark: no phase is */
#define READY_COLOR   "#a51d2d"   /* dark red: waiting on the loop, not on the network */
#define ACCENT_COLOR  "#3584e4"

/* The run whose lanes show: a single run's, not a comparison's. */
static AwFetchRun *
lanes_run (AwTimingChart *self)
{
  AwFetchRun *run;

  if (self->runs->len != 1)
    return NULL;
  run = g_ptr_array_index (self->runs, 0);
  return aw_fetch_run_get_n_lanes (run) > 0 ? run : NULL;
}

int
_aw_timing_chart_top (AwTimingChart *self)
{
  return AXIS_HEIGHT + self->lanes_height;
}

gboolean
_aw_timing_chart_update_lanes (AwTimingChart *self)
{
  AwFetchRun *run = lanes_run (self);
  guint n_lanes = run != NULL ? aw_fetch_run_get_n_lanes (run) : 0;
  int lane_height = 0, lanes_height = 0;

  if (n_lanes > 0)
    {
      /* Many workers share a bounded strip; each keeps a few pixels. */
      lane_height = CLAMP (LANES_MAX_HEIGHT / (int)n_lanes, 3, LANE_HEIGHT);
      lanes_height = lane_height * n_lanes + LANE_FIGURES_HEIGHT;
    }
  if (lane_height == self->lane_height && lanes_height == self->lanes_height)
    return FALSE;
  self->lane_height = lane_height;
  self->lanes_height = lanes_height;
  return TRUE;
}

guint
aw_timing_chart_get_n_lanes (AwTimingChart *self)
{
  AwFetchRun *run;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);
  run = lanes_run (self);
  return run != NULL && self->lanes_height > 0 ? aw_fetch_run_get_n_lanes (run) : 0;
}

/* The task whose bar and callbacks are drawn highlighted: the one under the pointer (on a
 * slice or on its bar), else the one the keyboard is on. */
int
aw_timing_chart_get_highlighted_task (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), -1);

  if (self->runs->len != 1)
    return -1;
  if (self->hover_task >= 0)
    return self->hover_task;
  if (self->focus_row >= 0)
    return aw_task_get_index (g_array_index (self->rows, Row, self->focus_row).task);
  return -1;
}

static gint64
slice_end (AwFetchRun    *run,
           const AwSlice *slice)
{
  return slice->end_us < 0 ? aw_fetch_run_get_elapsed_us (run) : slice->end_us;
}

gboolean
aw_timing_chart_step_callback (AwTimingChart *self,
                               int            step)
{
  AwFetchRun *run;
  const AwSlice *slices;
  guint n_slices;
  int i;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), FALSE);
  g_return_val_if_fail (step == 1 || step == -1, FALSE);

  if ((run = lanes_run (self)) == NULL)
    return FALSE;
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  i = self->focus_slice < 0 || (guint)self->focus_slice >= n_slices
      ? (step > 0 ? -1 : (int)n_slices) : self->focus_slice;
  for (i += step; i >= 0 && (guint)i < n_slices; i += step)
    if (slices[i].kind == AW_SLICE_CALLBACK && slices[i].task >= 0
        && (guint)slices[i].task < self->rows->len)
      {
        /* Its task's row takes the focus: the detail and the spoken text follow. */
        if (self->focus_row != slices[i].task)
          aw_timing_chart_set_focus_row (self, slices[i].task);
        self->focus_slice = i;
        /* Zoomed, the view follows the keyboard along the lane. */
        _aw_timing_chart_show_time (self, (slices[i].start_us + slice_end (run, &slices[i])) / 2);
        _aw_timing_chart_rows_changed (self);
        gtk_widget_queue_draw (GTK_WIDGET (self));
        return TRUE;
      }
  return FALSE;
}

int
aw_timing_chart_get_focus_slice (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), -1);
  return self->focus_slice;
}

/* The slice under (@x, @y), or NULL; callbacks win over what they sit on, by a few pixels. */
static const AwSlice *
slice_at (AwTimingChart *self,
          double         x,
          double         y,
          guint         *lane_out)
{
  AwFetchRun *run = lanes_run (self);
  const AwSlice *slices, *found = NULL;
  guint n_slices, lane;
  double best = G_MAXDOUBLE;
  Axis axis;

  if (run == NULL || self->lane_height == 0 || y < AXIS_HEIGHT || x < LABEL_WIDTH)
    return NULL;
  lane = (y - AXIS_HEIGHT) / self->lane_height;
  if (lane >= aw_fetch_run_get_n_lanes (run))
    return NULL;
  *lane_out = lane;
  _aw_timing_chart_get_axis (self, &axis);
  slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    {
      double from = axis_x (&axis, slices[i].start_us);
      double to = axis_x (&axis, slice_end (run, &slices[i]));
      double distance = x < from ? from - x : x > to ? x - to : 0;
      /* Callbacks a pixel wide share pixels: the one centred nearest wins. */
      double centre = fabs ((from + to) / 2 - x);

      if (slices[i].kind == AW_SLICE_CALLBACK && distance < 4 && centre < best)
        {
          best = centre;
          found = &slices[i];
        }
      else if (found == NULL && distance == 0)
        found = &slices[i];
    }
  return found;
}

/* Hover: the task of the callback under the pointer, or of the bar under it. */
void
aw_timing_chart_point_at (AwTimingChart *self,
                          double         x,
                          double         y)
{
  const AwSlice *slice;
  int task = -1, row;
  guint lane;

  g_return_if_fail (AW_IS_TIMING_CHART (self));

  if (self->runs->len == 1)
    {
      if (y < _aw_timing_chart_top (self))
        {
          if ((slice = slice_at (self, x, y, &lane)) != NULL)
            task = slice->task;
        }
      else if ((row = aw_timing_chart_row_at (self, y)) >= 0)
        task = aw_task_get_index (g_array_index (self->rows, Row, row).task);
    }
  if (task == self->hover_task)
    return;
  self->hover_task = task;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
aw_timing_chart_get_slice_point (AwTimingChart *self,
                                 guint          lane,
                                 guint          slice,
                                 double        *x,
                                 double        *y)
{
  AwFetchRun *run;
  const AwSlice *slices;
  guint n_slices;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), FALSE);

  run = lanes_run (self);
  if (run == NULL || lane >= aw_fetch_run_get_n_lanes (run) || self->lane_height == 0)
    return FALSE;
  slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);
  if (slice >= n_slices)
    return FALSE;
  *x = aw_timing_chart_get_x (self, (slices[slice].start_us
                                     + slice_end (run, &slices[slice])) / 2);
  *y = AXIS_HEIGHT + lane * self->lane_height + self->lane_height / 2.0;
  return TRUE;
}

static char *
format_ms (gint64 us)
{
  if (us >= G_USEC_PER_SEC)
    return g_strdup_printf (_("%.2f s"), us / (double)G_USEC_PER_SEC);
  return g_strdup_printf (us < 10000 ? _("%.2f ms") : _("%.0f ms"), us / 1000.0);
}

char *
_aw_timing_chart_describe_slice (AwTimingChart *self,
                                 double         x,
                                 double         y)
{
  AwFetchRun *run = lanes_run (self);
  const AwSlice *slice;
  g_autofree char *length = NULL;
  g_autofree char *at = NULL;
  guint lane;

  if (run == NULL || (slice = slice_at (self, x, y, &lane)) == NULL)
    return NULL;
  length = format_ms (slice_end (run, slice) - slice->start_us);
  at = format_ms (slice->start_us);
  switch (slice->kind)
    {
    case AW_SLICE_CALLBACK:
      if (slice->task >= 0 && (guint)slice->task < aw_fetch_run_get_n_tasks (run))
        {
          g_autofree char *city = g_markup_escape_text (
            aw_task_get_city (aw_fetch_run_get_task (run, slice->task)), -1);

          /* Translators: a lane's callback in a tooltip: the task's city, the phase the
           * callback ends ("Wait"), its length, when it began */
          return g_strdup_printf (_("<b>%s</b>: a callback that ends “%s”\n%s, at %s"), city,
                                  aw_phase_get_label (slice->phase), length, at);
        }
      /* Translators: a callback of no task, its length, when it began */
      return g_strdup_printf (_("A callback, %s at %s"), length, at);
    case AW_SLICE_IDLE:
      /* Translators: the loop waiting in poll(), how long, from when */
      return g_strdup_printf (_("Idle in poll(): waiting for I/O or a timer\n%s, at %s"), length,
                              at);
    case AW_SLICE_FRAME:
      /* Translators: the window drawing one frame on the loop's thread */
      return g_strdup_printf (_("The window draws a frame\n%s, at %s"), length, at);
    case AW_SLICE_BLOCKED:
    default:
      /* Translators: a thread held by a blocking call, how long, from when */
      return g_strdup_printf (_("Blocked inside a blocking call: nothing else runs on "
                                "this thread\n%s, at %s"), length, at);
    }
}

char *
_aw_timing_chart_describe_focus_slice (AwTimingChart *self)
{
  AwFetchRun *run = lanes_run (self);
  const AwSlice *slices;
  g_autofree char *length = NULL;
  g_autofree char *at = NULL;
  guint n_slices, n_callbacks = 0, number = 0;

  if (run == NULL || self->focus_slice < 0)
    return NULL;
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  if ((guint)self->focus_slice >= n_slices)
    return NULL;
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].kind == AW_SLICE_CALLBACK)
      {
        n_callbacks++;
        if (i == (guint)self->focus_slice)
          number = n_callbacks;
      }
  length = format_ms (slice_end (run, &slices[self->focus_slice])
                      - slices[self->focus_slice].start_us);
  at = format_ms (slices[self->focus_slice].start_us);
  /* Translators: the loop's callback the keyboard is on: its number, how many, the phase it
   * ends, its length, when it began; its task's description follows */
  return g_strdup_printf (_("Main loop, callback %u of %u, ends “%s”, %s at %s:"), number,
                          n_callbacks, aw_phase_get_label (slices[self->focus_slice].phase),
                          length, at);
}

char *
aw_timing_chart_describe_loop (AwTimingChart *self)
{
  AwFetchRun *run;
  AwLoopFigures figures;
  g_autofree char *longest = NULL;
  const AwSlice *slices;
  guint n_slices;
  gint64 total, frames_us = 0;
  double busy;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);

  if ((run = lanes_run (self)) == NULL)
    return NULL;
  aw_fetch_run_get_loop_figures (run, &figures);
  /* Blocking: one call held the loop; there was nothing to count. */
  if (figures.n_callbacks == 0 && figures.n_iterations == 0 && figures.busy_us > 0)
    {
      g_autofree char *held = format_ms (figures.busy_us);

      /* Translators: the main loop's figures in Blocking: how long it was held */
      return g_strdup_printf (_("main loop blocked for %s: no callback ran, no frame was drawn"),
                              held);
    }
  total = figures.busy_us + figures.idle_us;
  busy = total > 0 ? 100.0 * figures.busy_us / total : 0;
  longest = format_ms (figures.longest_callback_us);
  /* The window's own frames keep the loop busy too: said apart, so that the share is not read
   * as the tasks' cost. */
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    {
      if (slices[i].kind == AW_SLICE_FRAME && slices[i].end_us >= 0)
        frames_us += slices[i].end_us - slices[i].start_us;
    }
  if (frames_us > 0 && total > 0)
    /* Translators: the main loop's figures under its lane: busy share of the run, the part of
     * it the window spent drawing frames, callbacks, the longest callback, loop iterations */
    return g_strdup_printf (_("main loop busy %.1f %% (drawing frames %.1f %%) · %u callbacks · "
                              "longest %s · %u iterations"),
                            busy, 100.0 * frames_us / total, figures.n_callbacks, longest,
                            figures.n_iterations);
  /* Translators: the main loop's figures under its lane: busy share of the run, callbacks,
   * the longest callback, loop iterations */
  return g_strdup_printf (_("main loop busy %.1f %% · %u callbacks · longest %s · %u iterations"),
                          busy, figures.n_callbacks, longest, figures.n_iterations);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  if (width <= 0 || height <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

void
_aw_timing_chart_snapshot_lanes (AwTimingChart *self,
                                 GtkSnapshot   *snapshot,
                                 PangoLayout   *layout,
                                 const Axis    *axis,
                                 const GdkRGBA *fg,
                                 const GdkRGBA *colors)
{
  AwFetchRun *run = lanes_run (self);
  int width = _aw_timing_chart_width (self);
  int highlight = aw_timing_chart_get_highlighted_task (self);
  g_autofree char *figures = NULL;
  GdkRGBA idle = *fg, blocked = *fg, frame, accent, line = *fg;
  PangoFontDescription *small;
  int text_width, text_height;

  if (run == NULL || self->lanes_height == 0)
    return;
  idle.alpha = 0.06;
  blocked.alpha = 0.55;
  line.alpha = 0.25;
  gdk_rgba_parse (&frame, FRAME_COLOR);
  frame.alpha = 0.7;
  gdk_rgba_parse (&accent, ACCENT_COLOR);
  small = pango_font_description_copy (pango_context_get_font_description (
                                         pango_layout_get_context (layout)));
  pango_font_description_set_size (small, pango_font_description_get_size (small) * 0.8);
  pango_layout_set_font_description (layout, small);

  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      double y = AXIS_HEIGHT + lane * self->lane_height;
      double h = MAX (self->lane_height - 2, 1);
      double last_x = -1;
      const AwSlice *slices;
      guint n_slices;

      append_rect (snapshot, &idle, LABEL_WIDTH, y + 1, width - LABEL_WIDTH, h);
      /* Each lane its name; lanes too thin for one share a label, "12 worker threads". */
      if (self->lane_height >= 15 || lane == 0 || lane == 1)
        {
          g_autofree char *workers = NULL;
          double block = self->lane_height;

          if (self->lane_height < 15 && lane == 1)
            {
              guint n_workers = aw_fetch_run_get_n_lanes (run) - 1;

              /* Translators: the label of many thin lanes, one per worker thread */
              workers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u worker thread",
                                                      "%u worker threads", n_workers),
                                         n_workers);
              block = self->lane_height * n_workers;
            }
          pango_layout_set_text (layout, workers ? workers
                                                 : aw_fetch_run_get_lane_name (run, lane), -1);
          pango_layout_get_pixel_size (layout, NULL, &text_height);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (8, y + (block - text_height) / 2.0));
          gtk_snapshot_append_layout (snapshot, layout, fg);
          gtk_snapshot_restore (snapshot);
        }
      /* Zoomed, the slices are cut at the labels' column. */
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (LABEL_WIDTH, y - 1,
                                                             MAX (width - LABEL_WIDTH, 0),
                                                             self->lane_height + 2));
      slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);
      for (guint i = 0; i < n_slices; i++)
        {
          const AwSlice *slice = &slices[i];
          double x = axis_x (axis, slice->start_us);
          double w = (slice_end (run, slice) - slice->start_us) * axis->px_per_us;

          /* Outside the view (a few pixels spare for the highlight): nothing to draw. */
          if (x + w < LABEL_WIDTH - 4 || x > width + 4)
            continue;
          switch (slice->kind)
            {
            case AW_SLICE_IDLE:
              break;
            case AW_SLICE_BLOCKED:
              append_rect (snapshot, &blocked, x, y + 1, MAX (w, 1), h);
              break;
            case AW_SLICE_FRAME:
              /* The lower half, lighter: the callbacks stand out over the frames. */
              append_rect (snapshot, &frame, x, y + 1 + h / 2, MAX (w, 1), h - h / 2);
              break;
            case AW_SLICE_CALLBACK:
            default:
              /* A callback too short to see keeps a pixel; many in one pixel draw once. */
              if (slice->task != highlight && w < 1 && (int)x == (int)last_x)
                break;
              last_x = x;
              /* Long callbacks back to back (work per answer) stay apart by a pixel. */
              if (w > 3)
                w -= 1;
              if (lane == 0 && (int)i == self->focus_slice
                  && gtk_widget_has_focus (GTK_WIDGET (self)) && self->export_width == 0)
                {
                  append_rect (snapshot, fg, x - 3, y - 1, MAX (w, 1) + 6, h + 4);
                  append_rect (snapshot, &colors[slice->phase], x - 1, y + 1, MAX (w, 1) + 2, h);
                }
              else if (slice->task >= 0 && slice->task == highlight)
                {
                  append_rect (snapshot, &accent, x - 2, y, MAX (w, 1) + 4, h + 2);
                  append_rect (snapshot, &colors[slice->phase], x, y + 2, MAX (w, 1), h - 2);
                }
              else
                append_rect (snapshot, &colors[slice->phase], x, y + 1, MAX (w, 1), h);
              break;
            }
        }
      gtk_snapshot_pop (snapshot);
    }

  figures = aw_timing_chart_describe_loop (self);
  /* Ellipsized at the chart's edge, like the rest of its text. */
  pango_layout_set_width (layout, MAX (width - LABEL_WIDTH - 4, 1) * PANGO_SCALE);
  pango_layout_set_text (layout, figures, -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  self->lanes_text_end = LABEL_WIDTH + text_width;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (LABEL_WIDTH,
                                                _aw_timing_chart_top (self) - LANE_FIGURES_HEIGHT
                                                + (LANE_FIGURES_HEIGHT - text_height) / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, fg);
  gtk_snapshot_restore (snapshot);
  pango_layout_set_width (layout, -1);
  append_rect (snapshot, &line, 0, _aw_timing_chart_top (self) - 1, width, 1);
  pango_layout_set_font_description (layout, NULL);
  pango_font_description_free (small);
}

/* Each stretch a task was ready (the poll that woke the loop had returned, or its own
 * callback before had ended) while the loop ran something else: rebuilt from lane 0 as the
 * engine counts it, so that the band sits where the time went. */
static void
each_ready_stretch (AwFetchRun *run,
                    void      (*func) (gint64 start_us, gint64 end_us, int task, gpointer data),
                    gpointer    data)
{
  guint n_tasks = aw_fetch_run_get_n_tasks (run);
  g_autofree gint64 *last_end = g_new (gint64, MAX (n_tasks, 1));
  gint64 woke_us = -1;
  const AwSlice *slices;
  guint n_slices;

  for (guint i = 0; i < n_tasks; i++)
    last_end[i] = -1;
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    {
      const AwSlice *slice = &slices[i];

      if (slice->kind == AW_SLICE_IDLE)
        woke_us = slice->end_us;
      else if (slice->kind == AW_SLICE_CALLBACK && slice->task >= 0
               && (guint)slice->task < n_tasks)
        {
          gint64 from = MAX (woke_us, last_end[slice->task]);

          if (slice->phase != AW_PHASE_QUEUED && woke_us >= 0 && slice->start_us > from)
            func (from, slice->start_us, slice->task, data);
          last_end[slice->task] = slice->end_us;
        }
    }
}

typedef struct
{
  AwTimingChart *self;
  GtkSnapshot   *snapshot;
  double         offset;
  const Axis    *axis;
  GdkRGBA        color;
  int            top;
  int            height;
} ReadyDraw;

static void
draw_ready (gint64   start_us,
            gint64   end_us,
            int      task,
            gpointer data)
{
  ReadyDraw *draw = data;
  AwTimingChart *self = draw->self;
  double width = (end_us - start_us) * draw->axis->px_per_us;
  const Row *row;
  double y;

  /* Where it shows at all: a pixel. */
  if (width < 1 || (guint)task >= self->rows->len)
    return;
  row = &g_array_index (self->rows, Row, task);
  y = draw->top + row->y - draw->offset + (self->row_height + self->bar_height) / 2.0;
  if (y < draw->top || y > draw->height)
    return;
  if (end_us < draw->axis->start_us || start_us > draw->axis->end_us)
    return;
  append_rect (draw->snapshot, &draw->color, axis_x (draw->axis, start_us), y - 3, width, 4);
}

void
_aw_timing_chart_snapshot_ready (AwTimingChart *self,
                                 GtkSnapshot   *snapshot,
                                 double         offset,
                                 const Axis    *axis)
{
  AwFetchRun *run = lanes_run (self);
  ReadyDraw draw = { self, snapshot, offset, axis, { 0 }, _aw_timing_chart_top (self),
                     _aw_timing_chart_height (self) };

  if (run == NULL)
    return;
  gdk_rgba_parse (&draw.color, READY_COLOR);
  each_ready_stretch (run, draw_ready, &draw);
}

static void
add_ready (gint64   start_us,
           gint64   end_us,
           int      task,
           gpointer data)
{
  gint64 *sums = data;

  sums[task] += end_us - start_us;
}

gint64
aw_timing_chart_get_drawn_ready_us (AwTimingChart *self,
                                    guint          task)
{
  AwFetchRun *run;
  g_autofree gint64 *sums = NULL;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);

  if ((run = lanes_run (self)) == NULL || task >= aw_fetch_run_get_n_tasks (run))
    return 0;
  sums = g_new0 (gint64, aw_fetch_run_get_n_tasks (run));
  each_ready_stretch (run, add_ready, sums);
  return sums[task];
}

/* The bound: a faint ghost mark on the axis, where the mode could have ended. */
void
_aw_timing_chart_snapshot_bound (AwTimingChart *self,
                                 GtkSnapshot   *snapshot,
                                 PangoLayout   *layout,
                                 const Axis    *axis,
                                 const GdkRGBA *fg)
{
  AwFetchRun *run;
  GdkRGBA ghost = *fg;
  g_autofree char *bound = NULL;
  g_autofree char *label = NULL;
  gint64 bound_us;
  double x, label_x;
  int label_width, label_height;

  if (self->runs->len != 1)
    return;
  run = g_ptr_array_index (self->runs, 0);
  if (!aw_fetch_run_is_finished (run) || (bound_us = aw_fetch_run_get_bound_us (run)) <= 0)
    return;
  /* Out of the zoomed view: the figures say it. */
  if (bound_us < axis->start_us || bound_us > axis->end_us)
    return;
  bound = format_ms (bound_us);
  x = axis_x (axis, bound_us);
  ghost.alpha = 0.4;
  append_rect (snapshot, &ghost, x - 1, AXIS_HEIGHT - 8, 3, 8);
  for (double y = AXIS_HEIGHT; y < _aw_timing_chart_height (self); y += 12)
    append_rect (snapshot, &ghost, x, y, 1, 5);
  /* Translators: the faint mark on the time axis where the mode could have ended at best;
   * %s is that time */
  label = g_strdup_printf (_("bound %s"), bound);
  /* On the line of the loop's figures, right of the mark: clear of the bars and the axis'
   * labels. */
  pango_layout_set_text (layout, label, -1);
  pango_layout_get_pixel_size (layout, &label_width, &label_height);
  label_x = MIN (x + 6, _aw_timing_chart_width (self) - label_width - 4);
  /* Never over the figures: after them, or not at all (the line under the figures says it). */
  if (self->lanes_height > 0 && label_x < self->lanes_text_end + 12)
    label_x = self->lanes_text_end + 12;
  if (label_x + label_width > _aw_timing_chart_width (self) - 2)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (label_x,
                                                _aw_timing_chart_top (self)
                                                - (LANE_FIGURES_HEIGHT + label_height) / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, &ghost);
  gtk_snapshot_restore (snapshot);
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           AwTimingChart            *self)
{
  aw_timing_chart_point_at (self, x, y);
}

static void
on_leave (GtkEventControllerMotion *motion,
          AwTimingChart            *self)
{
  aw_timing_chart_point_at (self, -1, -1);
}

void
_aw_timing_chart_init_lanes (AwTimingChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->hover_task = -1;
  self->focus_slice = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

void
aw_timing_chart_get_frame_color (GdkRGBA *color)
{
  gdk_rgba_parse (color, FRAME_COLOR);
}

void
aw_timing_chart_get_ready_color (GdkRGBA *color)
{
  gdk_rgba_parse (color, READY_COLOR);
}
