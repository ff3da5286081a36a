/* aw-timing-chart-layout.c: where the chart's rows sit: one row per task and a header per
 * run when comparing, their heights (as tall as the text, taller when few), their places one
 * under the other, the scrolling that follows from them, and the row at a height
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-timing-chart-private.h"

void
_aw_timing_chart_update_adjustments (AwTimingChart *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  if (self->vadjustment != NULL)
    {
      double page = MAX (height - _aw_timing_chart_top (self), 1);
      double upper = MAX (self->content_height, page);

      gtk_adjustment_configure (self->vadjustment,
                                CLAMP (gtk_adjustment_get_value (self->vadjustment), 0,
                                       upper - page),
                                0, upper, self->row_height, page * 0.9, page);
    }
  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, 1, width, width);
}

/* The size drawn at: the widget's, or an exported image's. */
int
_aw_timing_chart_width (AwTimingChart *self)
{
  return self->export_width > 0 ? self->export_width : gtk_widget_get_width (GTK_WIDGET (self));
}

int
_aw_timing_chart_height (AwTimingChart *self)
{
  return self->export_height > 0 ? self->export_height
                                 : gtk_widget_get_height (GTK_WIDGET (self));
}

/* Rows as tall as the text needs, and taller when few: bars fill the chart's height. */
int
_aw_timing_chart_pick_row_height (AwTimingChart *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Mg");
  int text_height, base, room;

  pango_layout_get_pixel_size (layout, NULL, &text_height);
  base = MAX (ROW_HEIGHT, text_height + 8);
  if (self->rows->len == 0)
    return base;
  room = _aw_timing_chart_height (self) - _aw_timing_chart_top (self)
         - (int)self->headers->len * HEADER_HEIGHT;
  return CLAMP (room / (int)self->rows->len, base, base * MAX_ROW_SCALE);
}

/* Places the headers and rows, one under the other, at the height they take now. */
void
_aw_timing_chart_layout_rows (AwTimingChart *self)
{
  int y = 0;
  guint h = 0;

  self->row_height = _aw_timing_chart_pick_row_height (self);
  self->bar_height = self->row_height * BAR_HEIGHT / ROW_HEIGHT;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      for (; h < self->headers->len
             && g_array_index (self->headers, Header, h).run <= row->run; h++)
        {
          g_array_index (self->headers, Header, h).y = y;
          y += HEADER_HEIGHT;
        }
      row->y = y;
      y += self->row_height;
    }
  for (; h < self->headers->len; h++)
    {
      g_array_index (self->headers, Header, h).y = y;
      y += HEADER_HEIGHT;
    }
  self->content_height = y;
  /* An image leaves the scrolling on screen as it is. */
  if (self->export_width == 0)
    _aw_timing_chart_update_adjustments (self);
}

void
_aw_timing_chart_rebuild_rows (AwTimingChart *self)
{
  g_array_set_size (self->rows, 0);
  g_array_set_size (self->headers, 0);

  for (guint r = 0; r < self->runs->len; r++)
    {
      AwFetchRun *run = g_ptr_array_index (self->runs, r);

      if (self->runs->len > 1)
        {
          Header header = { r, 0 };

          g_array_append_val (self->headers, header);
        }
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
        {
          Row row = { aw_fetch_run_get_task (run, i), r, 0 };

          g_array_append_val (self->rows, row);
        }
    }
  _aw_timing_chart_update_lanes (self);
  _aw_timing_chart_layout_rows (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

double
_aw_timing_chart_scroll_offset (AwTimingChart *self)
{
  /* An image starts at the first row. */
  if (self->export_width > 0)
    return 0;
  return self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

int
aw_timing_chart_row_at (AwTimingChart *self,
                        double         y)
{
  double content_y;
  guint low = 0, high;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), -1);

  if (y < _aw_timing_chart_top (self))
    return -1;
  content_y = y - _aw_timing_chart_top (self) + _aw_timing_chart_scroll_offset (self);
  high = self->rows->len;
  while (low < high)
    {
      guint mid = (low + high) / 2;

      if (g_array_index (self->rows, Row, mid).y + self->row_height <= content_y)
        low = mid + 1;
      else
        high = mid;
    }
  if (low < self->rows->len && g_array_index (self->rows, Row, low).y <= content_y)
    return low;
  return -1;
}
