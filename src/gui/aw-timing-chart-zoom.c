/* aw-timing-chart-zoom.c: zoom on the chart's time axis, so that a callback of 0.1 ms on an
 * axis of a second can be seen: Ctrl+scroll and pinch around the pointer, the keyboard around
 * the callback or task it is on, sideways scrolling along the run, and the overview in the
 * axis' corner that says where the view is and moves it (pressed or dragged). The view itself
 * ([start, end] of the axis) and the one time→x mapping live in aw-timing-chart.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aw-timing-chart-private.h"

#define ACCENT_COLOR "#3584e4"
/* The overview's track, in the axis' corner: the whole run, left to right. */
#define OVERVIEW_LEFT  8
#define OVERVIEW_WIDTH (LABEL_WIDTH - 64)

static double
plot_width (AwTimingChart *self)
{
  return MAX (_aw_timing_chart_width (self) - LABEL_WIDTH - END_PADDING, 10);
}

/* The time the keyboard is on: its callback's middle, else its task's bar's middle. */
static gboolean
keyboard_anchor (AwTimingChart *self,
                 gint64        *at_us)
{
  AwFetchRun *run;
  AwTask *task;
  gint64 end;

  if (self->runs->len == 0 || self->focus_row < 0)
    return FALSE;
  run = g_ptr_array_index (self->runs, g_array_index (self->rows, Row, self->focus_row).run);
  if (self->focus_slice >= 0 && aw_fetch_run_get_n_lanes (run) > 0)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);

      if ((guint)self->focus_slice < n_slices)
        {
          const AwSlice *slice = &slices[self->focus_slice];

          end = slice->end_us < 0 ? aw_fetch_run_get_elapsed_us (run) : slice->end_us;
          *at_us = (slice->start_us + end) / 2;
          return TRUE;
        }
    }
  task = g_array_index (self->rows, Row, self->focus_row).task;
  end = aw_task_get_end_us (task) < 0 ? aw_fetch_run_get_elapsed_us (run)
                                      : aw_task_get_end_us (task);
  *at_us = (aw_task_get_start_us (task) + end) / 2;
  return TRUE;
}

void
aw_timing_chart_zoom (AwTimingChart *self,
                      double         factor,
                      double         x)
{
  gint64 anchor_us, span;
  Axis axis;

  g_return_if_fail (AW_IS_TIMING_CHART (self));
  g_return_if_fail (factor > 0);

  _aw_timing_chart_get_axis (self, &axis);
  if (x < 0 && keyboard_anchor (self, &anchor_us))
    {
      x = axis_x (&axis, anchor_us);
      /* Scrolled out of the view: it comes back in the middle. */
      if (anchor_us < axis.start_us || anchor_us > axis.end_us)
        x = LABEL_WIDTH + plot_width (self) / 2;
    }
  else
    {
      /* The pointer, or the view's start (the labels' column, no keyboard item). */
      x = CLAMP (x, LABEL_WIDTH, LABEL_WIDTH + plot_width (self));
      anchor_us = axis.start_us + (x - LABEL_WIDTH) / axis.px_per_us;
    }
  /* At the closest already, the view stays where it is. */
  span = CLAMP (llround ((axis.end_us - axis.start_us) / factor), MIN_VIEW_US,
                aw_timing_chart_get_axis_us (self));
  /* The anchor stays under x, to the microsecond. */
  anchor_us -= llround ((x - LABEL_WIDTH) * span / plot_width (self));
  aw_timing_chart_set_view (self, anchor_us, anchor_us + span);
}

void
aw_timing_chart_scroll_view (AwTimingChart *self,
                             gint64         delta_us)
{
  gint64 start_us, end_us;

  g_return_if_fail (AW_IS_TIMING_CHART (self));

  if (!aw_timing_chart_is_zoomed (self))
    return;
  aw_timing_chart_get_view (self, &start_us, &end_us);
  /* At an end, get_view keeps it whole there. */
  aw_timing_chart_set_view (self, start_us + delta_us, end_us + delta_us);
}

void
_aw_timing_chart_show_time (AwTimingChart *self,
                            gint64         at_us)
{
  gint64 start_us, end_us;

  aw_timing_chart_get_view (self, &start_us, &end_us);
  if (aw_timing_chart_is_zoomed (self) && (at_us < start_us || at_us > end_us))
    aw_timing_chart_set_view (self, at_us - (end_us - start_us) / 2,
                              at_us - (end_us - start_us) / 2 + end_us - start_us);
}

static char *
format_time (gint64 us)
{
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf (_("%.2f ms"), us / 1000.0);
  return g_strdup_printf (_("%.4f s"), us / (double)G_USEC_PER_SEC);
}

char *
aw_timing_chart_describe_view (AwTimingChart *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gint64 start_us, end_us;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);

  if (!aw_timing_chart_is_zoomed (self))
    /* Translators: the chart's time axis, in its tooltip and accessible name */
    return g_strdup (_("Ctrl+scroll, pinch or Ctrl+plus zooms in on the time axis"));
  aw_timing_chart_get_view (self, &start_us, &end_us);
  from = format_time (start_us);
  to = format_time (end_us);
  /* Translators: the zoomed chart's time axis: the part of the run shown, and how to move */
  return g_strdup_printf (_("Zoomed in: %s to %s; Shift+scroll moves along the run, "
                            "Ctrl+minus zooms out, Ctrl+0 shows the whole run"), from, to);
}

/* Where the view is in the run: a track for the whole axis and a thumb for the view, with
 * how close it is, in the axis' corner above the labels. */
void
_aw_timing_chart_snapshot_overview (AwTimingChart *self,
                                    GtkSnapshot   *snapshot,
                                    PangoLayout   *layout,
                                    const Axis    *axis,
                                    const GdkRGBA *fg)
{
  gint64 axis_us = aw_timing_chart_get_axis_us (self);
  g_autofree char *zoom = NULL;
  GdkRGBA track = *fg, thumb;
  double left = OVERVIEW_LEFT, width = OVERVIEW_WIDTH, top = AXIS_HEIGHT / 2.0 - 3;
  int text_height;

  if (!aw_timing_chart_is_zoomed (self))
    return;
  track.alpha = 0.15;
  gdk_rgba_parse (&thumb, ACCENT_COLOR);
  gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (left, top, width, 6));
  gtk_snapshot_append_color (snapshot, &thumb,
                             &GRAPHENE_RECT_INIT (left + width * axis->start_us / axis_us, top,
                                                  MAX (width * (axis->end_us - axis->start_us)
                                                       / axis_us, 2), 6));
  /* Translators: how many times closer the zoomed chart shows the run, "×40" */
  zoom = g_strdup_printf (_("×%.0f"), (double)axis_us / (axis->end_us - axis->start_us));
  pango_layout_set_text (layout, zoom, -1);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (left + width + 6,
                                                          AXIS_HEIGHT / 2.0 - text_height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, fg);
  gtk_snapshot_restore (snapshot);
}

/* The view centred on the time at @x on the overview's track. */
static void
overview_move_to (AwTimingChart *self,
                  double         x)
{
  gint64 start_us, end_us, at_us;

  aw_timing_chart_get_view (self, &start_us, &end_us);
  at_us = (CLAMP (x, OVERVIEW_LEFT, OVERVIEW_LEFT + OVERVIEW_WIDTH) - OVERVIEW_LEFT)
          / OVERVIEW_WIDTH * aw_timing_chart_get_axis_us (self);
  aw_timing_chart_set_view (self, at_us - (end_us - start_us) / 2,
                            at_us - (end_us - start_us) / 2 + end_us - start_us);
}

/* A press on the overview (zoomed) moves the view there; a drag takes it along, as a
 * scrollbar's would. Elsewhere the gesture steps aside for the rows' click. */
static void
on_overview_drag_begin (GtkGestureDrag *drag,
                        double          x,
                        double          y,
                        AwTimingChart  *self)
{
  if (!aw_timing_chart_is_zoomed (self) || y >= AXIS_HEIGHT || x < OVERVIEW_LEFT - 4
      || x > OVERVIEW_LEFT + OVERVIEW_WIDTH + 4)
    {
      gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
  overview_move_to (self, x);
}

static void
on_overview_drag_update (GtkGestureDrag *drag,
                         double          dx,
                         double          dy,
                         AwTimingChart  *self)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (drag, &x, &y))
    overview_move_to (self, x + dx);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           AwTimingChart            *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
                            GTK_EVENT_CONTROLLER (scroll));
  gboolean wheel = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL;
  Axis axis;

  if (state & GDK_CONTROL_MASK)
    {
      aw_timing_chart_zoom (self, wheel ? pow (1.25, -dy) : exp (-dy * 0.01),
                            MAX (self->pointer_x, 0));
      return TRUE;
    }
  if (!aw_timing_chart_is_zoomed (self))
    return FALSE;
  /* Shift turns the wheel sideways; so does a plain wheel when the rows all show. */
  if ((state & GDK_SHIFT_MASK)
      || (dx == 0 && (self->vadjustment == NULL
                      || gtk_adjustment_get_upper (self->vadjustment)
                         <= gtk_adjustment_get_page_size (self->vadjustment))))
    {
      dx = dx != 0 ? dx : dy;
      dy = 0;
    }
  if (dx == 0)
    return FALSE;
  _aw_timing_chart_get_axis (self, &axis);
  aw_timing_chart_scroll_view (self, wheel ? dx * (axis.end_us - axis.start_us) / 8
                                           : dx / axis.px_per_us);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                AwTimingChart    *self)
{
  double x, y;
  Axis axis;

  _aw_timing_chart_get_axis (self, &axis);
  gtk_gesture_get_bounding_box_center (gesture, &x, &y);
  self->pinch_span_us = axis.end_us - axis.start_us;
  self->pinch_anchor_us = axis.start_us + (MAX (x, LABEL_WIDTH) - LABEL_WIDTH) / axis.px_per_us;
}

/* The time under the fingers when they met stays under them as they spread or move. */
static void
on_pinch_scale_changed (GtkGestureZoom *gesture,
                        double          scale,
                        AwTimingChart  *self)
{
  gint64 span, start;
  double x, y;

  if (scale <= 0 || self->pinch_span_us <= 0)
    return;
  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  span = llround (self->pinch_span_us / scale);
  start = self->pinch_anchor_us - llround ((MAX (x, LABEL_WIDTH) - LABEL_WIDTH) * span
                                           / plot_width (self));
  aw_timing_chart_set_view (self, start, start + span);
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           AwTimingChart            *self)
{
  self->pointer_x = x;
}

static void
on_leave (GtkEventControllerMotion *motion,
          AwTimingChart            *self)
{
  self->pointer_x = -1;
}

void
_aw_timing_chart_init_zoom (AwTimingChart *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (
                                 GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();
  GtkGesture *overview = gtk_gesture_drag_new ();

  self->pointer_x = -1;
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
  g_signal_connect (overview, "drag-begin", G_CALLBACK (on_overview_drag_begin), self);
  g_signal_connect (overview, "drag-update", G_CALLBACK (on_overview_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (overview));
}
