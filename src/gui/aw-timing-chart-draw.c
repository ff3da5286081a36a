/* aw-timing-chart-draw.c: how the timing chart draws: the time axis and its tick ladder,
 * the task bars, the run headers with their marks, freeze bands, the reference line and "now"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-timing-chart-private.h"


/* A tick interval from the ladder 1, 2, 5 × 10^n µs that leaves labels room to breathe. */
static gint64
tick_interval_us (double px_per_us)
{
  static const int steps[] = { 1, 2, 5 };
  gint64 scale = 1;

  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        {
          gint64 interval = steps[i] * scale;

          if (interval * px_per_us >= 80)
            return interval;
        }
      scale *= 10;
    }
}

/* Milliseconds below a second or when zoomed under a millisecond ("12.35 ms"), seconds from
 * there on, with the decimals the interval needs. */
static char *
format_tick (gint64 us,
             gint64 interval)
{
  int decimals = interval >= G_USEC_PER_SEC ? 0 : interval >= 100000 ? 1 : interval >= 10000 ? 2 : 3;

  if (us == 0)
    return g_strdup ("0");
  if (us < G_USEC_PER_SEC || interval < 1000)
    return g_strdup_printf (_("%.*f ms"), interval >= 1000 ? 0 : interval >= 100 ? 1
                                          : interval >= 10 ? 2 : 3, us / 1000.0);
  return g_strdup_printf (_("%.*f s"), decimals, us / (double)G_USEC_PER_SEC);
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

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const GdkRGBA *color,
             const char    *text,
             double         x,
             double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_row (AwTimingChart *self,
              GtkSnapshot   *snapshot,
              PangoLayout   *layout,
              const Row     *row,
              double         y,
              const Axis    *axis,
              const GdkRGBA *fg,
              const GdkRGBA *colors)
{
  AwFetchRun *run = g_ptr_array_index (self->runs, row->run);
  gint64 now = aw_fetch_run_get_elapsed_us (run);
  AwTaskState state = aw_task_get_state (row->task);
  GdkRGBA dim = *fg;
  const AwSpan *spans;
  double bar_y = y + (self->row_height - self->bar_height) / 2.0;
  double end_x = LABEL_WIDTH;
  guint n_spans;
  int text_height;

  /* Zebra stripes keep long rows readable. */
  if ((row->y / self->row_height) % 2 == 1)
    {
      dim.alpha = 0.04;
      append_rect (snapshot, &dim, 0, y, _aw_timing_chart_width (self),
                   self->row_height);
    }

  /* The task whose callback is under the pointer, or whose bar is. */
  if (self->hover_task >= 0 && self->runs->len == 1 && self->export_width == 0
      && (int)aw_task_get_index (row->task) == self->hover_task)
    {
      GdkRGBA accent;

      gdk_rgba_parse (&accent, "#3584e4");
      accent.alpha = 0.16;
      append_rect (snapshot, &accent, 0, y, _aw_timing_chart_width (self), self->row_height);
    }

  /* The row the keyboard is on. */
  if (self->focus_row >= 0 && row == &g_array_index (self->rows, Row, self->focus_row)
      && self->export_width == 0 && gtk_widget_has_focus (GTK_WIDGET (self)))
    {
      GdkRGBA accent;
      GskRoundedRect outline;

      gdk_rgba_parse (&accent, "#3584e4");
      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (2, y + 1,
                                                            _aw_timing_chart_width (self) - 4,
                                                            self->row_height - 2), 6);
      gtk_snapshot_append_border (snapshot, &outline, (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { accent, accent, accent, accent });
    }

  pango_layout_set_width (layout, (LABEL_WIDTH - 16) * PANGO_SCALE);
  pango_layout_set_text (layout, aw_task_get_city (row->task), -1);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  append_text (snapshot, layout, fg, aw_task_get_city (row->task), 8,
               y + (self->row_height - text_height) / 2.0);
  pango_layout_set_width (layout, -1);

  /* Zoomed, the bars are cut at the labels' column. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (LABEL_WIDTH, y,
                                                         MAX (_aw_timing_chart_width (self)
                                                              - LABEL_WIDTH, 0),
                                                         self->row_height));
  spans = aw_task_get_spans (row->task, &n_spans);
  for (guint i = 0; i < n_spans; i++)
    {
      gint64 end = spans[i].end_us < 0 ? now : spans[i].end_us;
      double x = axis_x (axis, spans[i].start_us);
      double width = (end - spans[i].start_us) * axis->px_per_us;

      end_x = MAX (end_x, x + MAX (width, 0.5));
      /* Outside the view: nothing to draw. */
      if (end < axis->start_us || x > _aw_timing_chart_width (self))
        continue;
      /* Keep short phases visible: at least half a pixel. */
      append_rect (snapshot, &colors[spans[i].phase], x, bar_y, MAX (width, 0.5),
                   self->bar_height);
    }

  if (aw_timing_chart_get_end_mark (state) != NULL)
    {
      GdkRGBA mark;

      gdk_rgba_parse (&mark, state == AW_TASK_FAILED ? FAILED_COLOR : STOPPED_COLOR);
      append_rect (snapshot, &mark, end_x, bar_y - 3, 3, self->bar_height + 6);
      append_text (snapshot, layout, &mark, aw_timing_chart_get_end_mark (state),
                   end_x + 6, y + (self->row_height - text_height) / 2.0);
    }
  gtk_snapshot_pop (snapshot);
}

/* A labelled tick in a run's header, below its title, its label on the left or the right of
 * it: the earlier mark's label on the left, so that the two stay apart where they nearly meet
 * (a sequential run). */
static void
snapshot_mark (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               const GdkRGBA *color,
               const char    *label,
               gboolean       left,
               double         x,
               double         y,
               int            text_height)
{
  int label_width;

  append_rect (snapshot, color, x - 1, y + MARKS_TOP, 3, HEADER_HEIGHT - MARKS_TOP - 2);
  pango_layout_set_text (layout, label, -1);
  pango_layout_get_pixel_size (layout, &label_width, NULL);
  append_text (snapshot, layout, color, label, left ? x - 5 - label_width : x + 5,
               y + MARKS_TOP + (HEADER_HEIGHT - MARKS_TOP - text_height) / 2.0);
}

/* Where a run's wall time and sum of tasks fall, so that the lesson is on the chart. */
static void
snapshot_marks (AwTimingChart *self,
                GtkSnapshot   *snapshot,
                PangoLayout   *layout,
                const Header  *header,
                double         y,
                const Axis    *axis,
                const GdkRGBA *fg)
{
  AwFetchRun *run = g_ptr_array_index (self->runs, header->run);
  g_autofree char *title = NULL;
  GdkRGBA accent, faint = *fg;
  gint64 wall_us, sum_us;
  int text_height;

  faint.alpha = 0.08;
  append_rect (snapshot, &faint, 0, y, _aw_timing_chart_width (self), HEADER_HEIGHT);

  pango_layout_set_text (layout, "M", -1);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  if (header->run < self->titles->len && g_ptr_array_index (self->titles, header->run) != NULL)
    title = g_strdup (g_ptr_array_index (self->titles, header->run));
  else if (aw_fetch_run_is_finished (run))
    /* Translators: a run's heading when comparing runs: mode, wall time, sum of tasks */
    title = g_strdup_printf (_("%s — wall %.2f s, sum %.2f s"),
                             aw_mode_get_label (aw_fetch_run_get_mode (run)),
                             aw_fetch_run_get_total_us (run) / (double)G_USEC_PER_SEC,
                             aw_fetch_run_get_sum_us (run) / (double)G_USEC_PER_SEC);
  else
    title = g_strdup (aw_mode_get_label (aw_fetch_run_get_mode (run)));
  pango_layout_set_markup (layout, "", -1);
  /* Ellipsized at the chart's edge; the tooltip-less header's whole text is in the
   * accessible name. */
  pango_layout_set_width (layout, MAX (gtk_widget_get_width (GTK_WIDGET (self)) - 16, 1) * PANGO_SCALE);
  append_text (snapshot, layout, fg, title, 8, y + (MARKS_TOP - text_height) / 2.0 + 1);
  pango_layout_set_width (layout, -1);

  if (!aw_fetch_run_is_finished (run))
    return;

  wall_us = aw_fetch_run_get_total_us (run);
  sum_us = aw_fetch_run_get_sum_us (run);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (LABEL_WIDTH, y,
                                                         MAX (_aw_timing_chart_width (self)
                                                              - LABEL_WIDTH, 0), HEADER_HEIGHT));
  snapshot_mark (snapshot, layout, fg, _("wall"), wall_us <= sum_us, axis_x (axis, wall_us),
                 y, text_height);
  gdk_rgba_parse (&accent, SUM_COLOR);
  snapshot_mark (snapshot, layout, &accent, _("sum"), sum_us < wall_us, axis_x (axis, sum_us),
                 y, text_height);
  gtk_snapshot_pop (snapshot);
}

/* A freeze of the window, as a band across its run's rows: the time nothing was drawn. */
static void
snapshot_freezes (AwTimingChart *self,
                  GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         offset,
                  const Axis    *axis,
                  const GdkRGBA *fg,
                  gboolean       label)
{
  int height = _aw_timing_chart_height (self);

  for (guint r = 0; r < self->runs->len; r++)
    {
      Freeze *freeze = g_hash_table_lookup (self->freezes, g_ptr_array_index (self->runs, r));
      double top = G_MAXDOUBLE, bottom = 0, x, width;
      GdkRGBA band = *fg;

      if (freeze == NULL)
        continue;
      for (guint i = 0; i < self->rows->len; i++)
        {
          const Row *row = &g_array_index (self->rows, Row, i);

          if (row->run != r)
            continue;
          top = MIN (top, _aw_timing_chart_top (self) + row->y - offset);
          bottom = MAX (bottom, _aw_timing_chart_top (self) + row->y - offset + self->row_height);
        }
      /* A single run's band goes down to the bottom: it is the window that froze. */
      if (self->runs->len == 1)
        bottom = MAX (bottom, height);
      x = axis_x (axis, freeze->start_us);
      width = (freeze->end_us - freeze->start_us) * axis->px_per_us;
      /* Zoomed away from it: no band, and no label at the edge either. */
      if (x + width < LABEL_WIDTH || x > _aw_timing_chart_width (self))
        continue;
      if (!label)
        {
          band.alpha = 0.10;
          append_rect (snapshot, &band, x, top, width, bottom - top);
          band.alpha = 0.6;
          append_rect (snapshot, &band, x, top, 2, bottom - top);
          append_rect (snapshot, &band, x + width - 2, top, 2, bottom - top);
        }
      else
        {
          g_autofree char *text = NULL;
          GdkRGBA box, white = { 1, 1, 1, 1 };
          int text_width, text_height;

          /* Translators: drawn across the chart where the window could not draw a frame */
          text = g_strdup_printf (_("window frozen %.1f s"),
                                  (freeze->end_us - freeze->start_us) / (double)G_USEC_PER_SEC);
          pango_layout_set_text (layout, text, -1);
          pango_layout_get_pixel_size (layout, &text_width, &text_height);
          /* Opaque: it reads over bars in both themes. */
          gdk_rgba_parse (&box, "#5e5c64");
          x = CLAMP (x + (width - text_width) / 2, LABEL_WIDTH,
                     _aw_timing_chart_width (self) - text_width - 12);
          /* At the foot of the band, or of the chart when the band runs below it. */
          bottom = MIN (bottom, height);
          append_rect (snapshot, &box, x - 6, bottom - text_height - 12, text_width + 12,
                       text_height + 6);
          append_text (snapshot, layout, &white, text, x, bottom - text_height - 9);
        }
    }
}

void
_aw_timing_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  int width = _aw_timing_chart_width (self);
  int height = _aw_timing_chart_height (self);
  double offset = _aw_timing_chart_scroll_offset (self);
  GdkRGBA colors[AW_N_PHASES];
  GdkRGBA fg, grid;
  gint64 interval;
  double labels_end = 0;
  int first, top;
  Axis axis;

  if (self->runs->len == 0)
    return;
  _aw_timing_chart_get_axis (self, &axis);
  interval = tick_interval_us (axis.px_per_us);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* An image is shared on light slides and pages, whatever the theme. */
  if (self->export_width > 0)
    gdk_rgba_parse (&fg, "#241f31");
  for (guint i = 0; i < AW_N_PHASES; i++)
    aw_timing_chart_get_phase_color (i, &colors[i]);
  grid = fg;
  grid.alpha = 0.12;
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);

  /* The axis, pinned on top: the ticks of the view (and of the padding after it). */
  for (gint64 t = (axis.start_us + interval - 1) / interval * interval;
       axis_x (&axis, t) <= width; t += interval)
    {
      g_autofree char *label = NULL;
      double x = axis_x (&axis, t);
      int label_width;

      if (t > aw_timing_chart_get_axis_us (self))
        break;
      append_rect (snapshot, &grid, x, AXIS_HEIGHT - 6, 1, height - AXIS_HEIGHT + 6);
      /* A label that would run off the right edge, or into the one before, is left out
       * rather than cut. */
      label = format_tick (t, interval);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &label_width, NULL);
      if (x + 3 + label_width <= width && x + 3 >= labels_end)
        {
          append_text (snapshot, layout, &fg, label, x + 3, 4);
          labels_end = x + 3 + label_width + 8;
        }
    }
  append_rect (snapshot, &grid, 0, AXIS_HEIGHT - 1, width, 1);
  _aw_timing_chart_snapshot_overview (self, snapshot, layout, &axis, &fg);

  /* The thread lanes, pinned under the axis; the bound across them. */
  _aw_timing_chart_snapshot_lanes (self, snapshot, layout, &axis, &fg, colors);
  _aw_timing_chart_snapshot_bound (self, snapshot, layout, &axis, &fg);
  top = _aw_timing_chart_top (self);

  /* The rows that show, below the axis and the lanes. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, top, width, height - top));
  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *header = &g_array_index (self->headers, Header, i);
      double y = top + header->y - offset;

      if (y + HEADER_HEIGHT >= top && y <= height)
        snapshot_marks (self, snapshot, layout, header, y, &axis, &fg);
    }
  /* What lies on the time axis is cut at the labels' column when zoomed. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (LABEL_WIDTH, top,
                                                         MAX (width - LABEL_WIDTH, 0),
                                                         height - top));
  snapshot_freezes (self, snapshot, layout, offset, &axis, &fg, FALSE);
  gtk_snapshot_pop (snapshot);
  first = aw_timing_chart_row_at (self, top);
  for (guint i = first < 0 ? 0 : (guint)first; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      double y = top + row->y - offset;

      if (y > height)
        break;
      if (y + self->row_height >= top)
        snapshot_row (self, snapshot, layout, row, y, &axis, &fg, colors);
    }
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (LABEL_WIDTH, top,
                                                         MAX (width - LABEL_WIDTH, 0),
                                                         height - top));
  _aw_timing_chart_snapshot_ready (self, snapshot, offset, &axis);
  snapshot_freezes (self, snapshot, layout, offset, &axis, &fg, TRUE);

  /* The wall time of the run before, when the window holds the axis for this one. */
  if (self->reference_label != NULL && self->runs->len == 1
      && self->reference_us >= axis.start_us && self->reference_us <= axis.end_us)
    {
      GdkRGBA line = fg;
      double x = axis_x (&axis, self->reference_us);
      int label_width, label_height;

      line.alpha = 0.55;
      for (double y = top; y < height; y += 8)
        append_rect (snapshot, &line, x - 1, y, 2, MIN (4, height - y));
      pango_layout_set_text (layout, self->reference_label, -1);
      pango_layout_get_pixel_size (layout, &label_width, &label_height);
      /* Below the last row, left of the line: the bars stay clear. */
      append_text (snapshot, layout, &line, self->reference_label,
                   MAX (LABEL_WIDTH, x - 6 - label_width),
                   MIN (top + self->content_height - offset + 6, height - label_height - 4));
    }

  /* "Now", while a run is live. */
  if (_aw_timing_chart_any_run_live (self))
    {
      AwFetchRun *run = g_ptr_array_index (self->runs, self->runs->len - 1);
      GdkRGBA now_color;

      gdk_rgba_parse (&now_color, "#3584e4");
      append_rect (snapshot, &now_color,
                   axis_x (&axis, aw_fetch_run_get_elapsed_us (run)) - 1,
                   top, 2, height - top);
    }
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_pop (snapshot);
}
