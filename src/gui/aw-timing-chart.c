/* aw-timing-chart.c: one timing bar per task on a shared time axis
 *
 * The chart scrolls itself (GtkScrollable) so that the time axis stays on top and only the
 * visible rows are drawn: a run of thousands of tasks costs what one screenful does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-timing-chart.h"

#define AXIS_HEIGHT   28
#define ROW_HEIGHT    24
#define BAR_HEIGHT    14
#define HEADER_HEIGHT 44   /* a run's title above, its labelled marks below */
#define MARKS_TOP     22
#define LABEL_WIDTH   150
#define END_PADDING   56
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
  gint64         reference_us;
  char          *reference_label;
  int            content_height;
  int            row_height;  /* ROW_HEIGHT, or more: a larger font, few rows to fill with */
  int            bar_height;
  int            export_width;  /* while drawn for an image: its size, dark text on light */
  int            export_height;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;
};

enum {
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

G_DEFINE_FINAL_TYPE_WITH_CODE (AwTimingChart, aw_timing_chart, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* The marks of a comparison and of a failure, in colours no phase uses; "wall" is drawn in
 * the text's colour. */
#define SUM_COLOR     "#986a44"
#define FAILED_COLOR  "#e62e8a"   /* magenta: no phase is, TLS is red */
#define STOPPED_COLOR "#9a9996"

/* Colours that read on light and dark backgrounds (GNOME palette). */
static const char * const phase_colors[AW_N_PHASES] = {
  "#9a999673",               /* queued: waiting, drawn faint (alpha 0.45) */
  "#c061cb",                 /* dns */
  "#ff7800",                 /* connect */
  "#e01b24",                 /* tls */
  "#33d17a",                 /* send */
  "#3584e4",                 /* wait */
  "#2190a4",                 /* receive */
  "#f5c211",                 /* parse */
};

void
aw_timing_chart_get_phase_color (AwPhase  phase,
                                 GdkRGBA *color)
{
  g_return_if_fail (phase < AW_N_PHASES);
  gdk_rgba_parse (color, phase_colors[phase]);
}

static gboolean
any_run_live (AwTimingChart *self)
{
  for (guint i = 0; i < self->runs->len; i++)
    if (!aw_fetch_run_is_finished (g_ptr_array_index (self->runs, i)))
      return TRUE;
  return FALSE;
}

/* The time the axis spans: the longest run (and, when comparing, the largest sum of tasks,
 * so that "sum" and "wall" marks both fit), and at least the floor the window holds. */
gint64
aw_timing_chart_get_axis_us (AwTimingChart *self)
{
  gint64 longest = self->axis_floor_us;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);

  for (guint i = 0; i < self->runs->len; i++)
    {
      AwFetchRun *run = g_ptr_array_index (self->runs, i);

      longest = MAX (longest, aw_fetch_run_get_elapsed_us (run));
      if (self->runs->len > 1 && aw_fetch_run_is_finished (run))
        longest = MAX (longest, aw_fetch_run_get_sum_us (run));
    }
  return MAX (longest, 100000);
}

static void
update_adjustments (AwTimingChart *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  if (self->vadjustment != NULL)
    {
      double page = MAX (height - AXIS_HEIGHT, 1);
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
static int
chart_width (AwTimingChart *self)
{
  return self->export_width > 0 ? self->export_width : gtk_widget_get_width (GTK_WIDGET (self));
}

static int
chart_height (AwTimingChart *self)
{
  return self->export_height > 0 ? self->export_height
                                 : gtk_widget_get_height (GTK_WIDGET (self));
}

/* Rows as tall as the text needs, and taller when few: bars fill the chart's height. */
static int
pick_row_height (AwTimingChart *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Mg");
  int text_height, base, room;

  pango_layout_get_pixel_size (layout, NULL, &text_height);
  base = MAX (ROW_HEIGHT, text_height + 8);
  if (self->rows->len == 0)
    return base;
  room = chart_height (self) - AXIS_HEIGHT
         - (int)self->headers->len * HEADER_HEIGHT;
  return CLAMP (room / (int)self->rows->len, base, base * MAX_ROW_SCALE);
}

/* Places the headers and rows, one under the other, at the height they take now. */
static void
layout_rows (AwTimingChart *self)
{
  int y = 0;
  guint h = 0;

  self->row_height = pick_row_height (self);
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
    update_adjustments (self);
}

static void
rebuild_rows (AwTimingChart *self)
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
  layout_rows (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static double
scroll_offset (AwTimingChart *self)
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

  if (y < AXIS_HEIGHT)
    return -1;
  content_y = y - AXIS_HEIGHT + scroll_offset (self);
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

static void
update_accessible_label (AwTimingChart *self)
{
  g_autofree char *label = NULL;

  if (self->runs->len == 0)
    label = g_strdup (_("Timing chart, empty"));
  else if (self->titles->len == self->runs->len)
    {
      g_autoptr(GString) titles = g_string_new (NULL);

      for (guint i = 0; i < self->titles->len; i++)
        g_string_append_printf (titles, "%s%s", i > 0 ? "; " : "",
                                (char *)g_ptr_array_index (self->titles, i));

      /* Translators: accessible name of the chart comparing runs, then each run's header */
      label = g_strdup_printf (_("Timing chart comparing %u runs: %s"), self->runs->len,
                               titles->str);
    }
  else
    {
      AwFetchRun *run = g_ptr_array_index (self->runs, self->runs->len - 1);

      if (aw_fetch_run_is_finished (run))
        /* Translators: accessible name of the chart: mode, tasks, wall time, sum of tasks */
        label = g_strdup_printf (_("Timing chart of a %s run: %u tasks, wall time %.2f s, "
                                   "sum of tasks %.2f s"),
                                 aw_mode_get_label (aw_fetch_run_get_mode (run)),
                                 aw_fetch_run_get_n_tasks (run),
                                 aw_fetch_run_get_total_us (run) / (double)G_USEC_PER_SEC,
                                 aw_fetch_run_get_sum_us (run) / (double)G_USEC_PER_SEC);
      else
        label = g_strdup_printf (_("Timing chart of a %s run in progress"),
                                 aw_mode_get_label (aw_fetch_run_get_mode (run)));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);

  gtk_widget_queue_draw (widget);
  if (!any_run_live (self))
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Animate only while something is live. */
static void
update_animation (AwTimingChart *self)
{
  if (any_run_live (self) && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
  else if (!any_run_live (self) && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
on_run_changed (AwTimingChart *self)
{
  update_animation (self);
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A tick interval from the ladder 1, 2, 5 × 10^n ms that leaves labels room to breathe. */
static gint64
tick_interval_us (double px_per_us)
{
  static const int steps[] = { 1, 2, 5 };
  gint64 scale = 1000;

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

/* Milliseconds below a second, seconds from there on, with the decimals the interval needs. */
static char *
format_tick (gint64 us,
             gint64 interval)
{
  int decimals = interval >= G_USEC_PER_SEC ? 0 : interval >= 100000 ? 1 : interval >= 10000 ? 2 : 3;

  if (us == 0)
    return g_strdup ("0");
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf (_("%.0f ms"), us / 1000.0);
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
              double         px_per_us,
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
      append_rect (snapshot, &dim, 0, y, chart_width (self),
                   self->row_height);
    }

  pango_layout_set_width (layout, (LABEL_WIDTH - 16) * PANGO_SCALE);
  pango_layout_set_text (layout, aw_task_get_city (row->task), -1);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  append_text (snapshot, layout, fg, aw_task_get_city (row->task), 8,
               y + (self->row_height - text_height) / 2.0);
  pango_layout_set_width (layout, -1);

  spans = aw_task_get_spans (row->task, &n_spans);
  for (guint i = 0; i < n_spans; i++)
    {
      gint64 end = spans[i].end_us < 0 ? now : spans[i].end_us;
      double x = LABEL_WIDTH + spans[i].start_us * px_per_us;
      double width = (end - spans[i].start_us) * px_per_us;

      /* Keep short phases visible: at least half a pixel. */
      append_rect (snapshot, &colors[spans[i].phase], x, bar_y, MAX (width, 0.5),
                   self->bar_height);
      end_x = MAX (end_x, x + MAX (width, 0.5));
    }

  if (aw_timing_chart_get_end_mark (state) != NULL)
    {
      GdkRGBA mark;

      gdk_rgba_parse (&mark, state == AW_TASK_FAILED ? FAILED_COLOR : STOPPED_COLOR);
      append_rect (snapshot, &mark, end_x, bar_y - 3, 3, self->bar_height + 6);
      append_text (snapshot, layout, &mark, aw_timing_chart_get_end_mark (state),
                   end_x + 6, y + (self->row_height - text_height) / 2.0);
    }
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

  x += LABEL_WIDTH;
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
                double         px_per_us,
                const GdkRGBA *fg)
{
  AwFetchRun *run = g_ptr_array_index (self->runs, header->run);
  g_autofree char *title = NULL;
  GdkRGBA accent, faint = *fg;
  gint64 wall_us, sum_us;
  int text_height;

  faint.alpha = 0.08;
  append_rect (snapshot, &faint, 0, y, chart_width (self), HEADER_HEIGHT);

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
  snapshot_mark (snapshot, layout, fg, _("wall"), wall_us <= sum_us, wall_us * px_per_us,
                 y, text_height);
  gdk_rgba_parse (&accent, SUM_COLOR);
  snapshot_mark (snapshot, layout, &accent, _("sum"), sum_us < wall_us, sum_us * px_per_us,
                 y, text_height);
}

/* A freeze of the window, as a band across its run's rows: the time nothing was drawn. */
static void
snapshot_freezes (AwTimingChart *self,
                  GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         offset,
                  double         px_per_us,
                  const GdkRGBA *fg,
                  gboolean       label)
{
  int height = chart_height (self);

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
          top = MIN (top, AXIS_HEIGHT + row->y - offset);
          bottom = MAX (bottom, AXIS_HEIGHT + row->y - offset + self->row_height);
        }
      /* A single run's band goes down to the bottom: it is the window that froze. */
      if (self->runs->len == 1)
        bottom = MAX (bottom, height);
      x = LABEL_WIDTH + freeze->start_us * px_per_us;
      width = (freeze->end_us - freeze->start_us) * px_per_us;
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
                     chart_width (self) - text_width - 12);
          /* At the foot of the band, or of the chart when the band runs below it. */
          bottom = MIN (bottom, height);
          append_rect (snapshot, &box, x - 6, bottom - text_height - 12, text_width + 12,
                       text_height + 6);
          append_text (snapshot, layout, &white, text, x, bottom - text_height - 9);
        }
    }
}

static void
aw_timing_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  int width = chart_width (self);
  int height = chart_height (self);
  double offset = scroll_offset (self);
  gint64 axis_us = aw_timing_chart_get_axis_us (self);
  double px_per_us = MAX (width - LABEL_WIDTH - END_PADDING, 10) / (double)axis_us;
  gint64 interval = tick_interval_us (px_per_us);
  GdkRGBA colors[AW_N_PHASES];
  GdkRGBA fg, grid;
  int first;

  if (self->runs->len == 0)
    return;

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

  /* The axis, pinned on top. */
  for (gint64 t = 0; t <= axis_us; t += interval)
    {
      g_autofree char *label = format_tick (t, interval);
      double x = LABEL_WIDTH + t * px_per_us;
      int label_width;

      append_rect (snapshot, &grid, x, AXIS_HEIGHT - 6, 1, height - AXIS_HEIGHT + 6);
      /* A label that would run off the right edge is left out rather than cut. */
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &label_width, NULL);
      if (x + 3 + label_width <= width)
        append_text (snapshot, layout, &fg, label, x + 3, 4);
    }
  append_rect (snapshot, &grid, 0, AXIS_HEIGHT - 1, width, 1);

  /* The rows that show, below the axis. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, AXIS_HEIGHT, width,
                                                         height - AXIS_HEIGHT));
  for (guint i = 0; i < self->headers->len; i++)
    {
      const Header *header = &g_array_index (self->headers, Header, i);
      double y = AXIS_HEIGHT + header->y - offset;

      if (y + HEADER_HEIGHT >= AXIS_HEIGHT && y <= height)
        snapshot_marks (self, snapshot, layout, header, y, px_per_us, &fg);
    }
  snapshot_freezes (self, snapshot, layout, offset, px_per_us, &fg, FALSE);
  first = aw_timing_chart_row_at (self, AXIS_HEIGHT);
  for (guint i = first < 0 ? 0 : (guint)first; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      double y = AXIS_HEIGHT + row->y - offset;

      if (y > height)
        break;
      if (y + self->row_height >= AXIS_HEIGHT)
        snapshot_row (self, snapshot, layout, row, y, px_per_us, &fg, colors);
    }
  snapshot_freezes (self, snapshot, layout, offset, px_per_us, &fg, TRUE);

  /* The wall time of the run before, when the window holds the axis for this one. */
  if (self->reference_label != NULL && self->runs->len == 1 && self->reference_us <= axis_us)
    {
      GdkRGBA line = fg;
      double x = LABEL_WIDTH + self->reference_us * px_per_us;
      int label_width, label_height;

      line.alpha = 0.55;
      for (double y = AXIS_HEIGHT; y < height; y += 8)
        append_rect (snapshot, &line, x - 1, y, 2, MIN (4, height - y));
      pango_layout_set_text (layout, self->reference_label, -1);
      pango_layout_get_pixel_size (layout, &label_width, &label_height);
      /* Below the last row, left of the line: the bars stay clear. */
      append_text (snapshot, layout, &line, self->reference_label,
                   MAX (LABEL_WIDTH, x - 6 - label_width),
                   MIN (AXIS_HEIGHT + self->content_height - offset + 6, height - label_height - 4));
    }

  /* "Now", while a run is live. */
  if (any_run_live (self))
    {
      AwFetchRun *run = g_ptr_array_index (self->runs, self->runs->len - 1);
      GdkRGBA now_color;

      gdk_rgba_parse (&now_color, "#3584e4");
      append_rect (snapshot, &now_color,
                   LABEL_WIDTH + aw_fetch_run_get_elapsed_us (run) * px_per_us - 1,
                   AXIS_HEIGHT, 2, height - AXIS_HEIGHT);
    }
  gtk_snapshot_pop (snapshot);
}

static void
aw_timing_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + 200;
      *natural = LABEL_WIDTH + 600;
    }
  else
    {
      *minimum = AXIS_HEIGHT + ROW_HEIGHT * 3;
      *natural = AXIS_HEIGHT + MAX (self->content_height, ROW_HEIGHT * 3);
    }
}

static void
aw_timing_chart_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);

  /* A new height, or a new font size (presentation mode), may change the rows' height. */
  if (pick_row_height (self) != self->row_height)
    layout_rows (self);
  else
    update_adjustments (self);
}

char *
aw_timing_chart_describe_row (AwTimingChart *self,
                              guint          row)
{
  const Row *r;
  const AwWeather *weather;
  const GError *error;
  g_autofree char *city = NULL;
  GString *text;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  r = &g_array_index (self->rows, Row, row);
  city = g_markup_escape_text (aw_task_get_city (r->task), -1);
  text = g_string_new (NULL);
  g_string_append (text, "<b>");
  g_string_append (text, city);
  g_string_append (text, "</b>");
  if (aw_task_is_finished (r->task))
    g_string_append_printf (text, _(" — %.0f ms"), aw_task_get_active_us (r->task) / 1000.0);

  for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
    {
      gint64 us = aw_task_get_phase_us (r->task, phase);

      if (us > 0)
        {
          /* Opaque (#rrggbb): on the tooltip's dark background the faint queued grey would
           * turn black. */
          g_string_append_printf (text, "\n<span foreground=\"%.7s\">■</span> ",
                                  phase_colors[phase]);
          /* Translators: a phase of a task and how long it took, in a tooltip */
          g_string_append_printf (text, _("%s %.1f ms"), aw_phase_get_label (phase),
                                  us / 1000.0);
        }
    }

  weather = aw_task_get_weather (r->task);
  error = aw_task_get_error (r->task);
  if (weather != NULL)
    {
      g_autofree char *condition = g_markup_escape_text (weather->condition, -1);

      g_string_append_printf (text, _("\n%.1f °C, %s"), weather->temperature_c, condition);
    }
  else if (error != NULL)
    {
      g_autofree char *message = g_markup_escape_text (error->message, -1);

      g_string_append_printf (text, "\n%s", message);
    }
  else
    g_string_append (text, _("\nIn progress…"));
  /* Why it waits, or where its coordinates came from. */
  if (aw_task_get_note (r->task) != NULL)
    {
      g_autofree char *note = g_markup_escape_text (aw_task_get_note (r->task), -1);

      g_string_append_printf (text, "\n<i>%s</i>", note);
    }
  return g_string_free (text, FALSE);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);
  g_autofree char *markup = NULL;
  int row = aw_timing_chart_row_at (self, y);

  if (row < 0)
    return FALSE;
  markup = aw_timing_chart_describe_row (self, row);
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
set_adjustment (AwTimingChart  *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, gtk_widget_queue_draw, self);
  g_set_object (slot, adjustment);
  if (adjustment != NULL)
    g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                              self);
  update_adjustments (self);
}

static void
disconnect_runs (AwTimingChart *self)
{
  for (guint i = 0; i < self->runs->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->runs, i), self);
  g_ptr_array_set_size (self->runs, 0);
}

static void
aw_timing_chart_dispose (GObject *object)
{
  AwTimingChart *self = (AwTimingChart *)object;

  if (self->runs != NULL)
    disconnect_runs (self);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  G_OBJECT_CLASS (aw_timing_chart_parent_class)->dispose (object);
}

static void
aw_timing_chart_finalize (GObject *object)
{
  AwTimingChart *self = (AwTimingChart *)object;

  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->headers, g_array_unref);
  g_clear_pointer (&self->titles, g_ptr_array_unref);
  g_clear_pointer (&self->reference_label, g_free);
  g_clear_pointer (&self->freezes, g_hash_table_unref);

  G_OBJECT_CLASS (aw_timing_chart_parent_class)->finalize (object);
}

static void
aw_timing_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AwTimingChart *self = AW_TIMING_CHART (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_timing_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AwTimingChart *self = AW_TIMING_CHART (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;

    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_timing_chart_class_init (AwTimingChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aw_timing_chart_dispose;
  object_class->finalize = aw_timing_chart_finalize;
  object_class->get_property = aw_timing_chart_get_property;
  object_class->set_property = aw_timing_chart_set_property;

  widget_class->snapshot = aw_timing_chart_snapshot;
  widget_class->measure = aw_timing_chart_measure;
  widget_class->size_allocate = aw_timing_chart_size_allocate;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  gtk_widget_class_set_css_name (widget_class, "timingchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
aw_timing_chart_init (AwTimingChart *self)
{
  self->runs = g_ptr_array_new_with_free_func (g_object_unref);
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->headers = g_array_new (FALSE, FALSE, sizeof (Header));
  self->titles = g_ptr_array_new_with_free_func (g_free);
  self->row_height = ROW_HEIGHT;
  self->bar_height = BAR_HEIGHT;
  self->freezes = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  update_accessible_label (self);
}

GtkWidget *
aw_timing_chart_new (void)
{
  return g_object_new (AW_TYPE_TIMING_CHART, NULL);
}

void
aw_timing_chart_set_runs (AwTimingChart  *self,
                          AwFetchRun    **runs,
                          guint           n_runs)
{
  g_return_if_fail (AW_IS_TIMING_CHART (self));

  disconnect_runs (self);
  g_ptr_array_set_size (self->titles, 0);
  for (guint i = 0; i < n_runs; i++)
    {
      g_ptr_array_add (self->runs, g_object_ref (runs[i]));
      g_signal_connect_swapped (runs[i], "task-changed", G_CALLBACK (on_run_changed), self);
      g_signal_connect_swapped (runs[i], "finished", G_CALLBACK (on_run_changed), self);
    }
  rebuild_rows (self);
  on_run_changed (self);
}

void
aw_timing_chart_set_run (AwTimingChart *self,
                         AwFetchRun    *run)
{
  aw_timing_chart_set_runs (self, run ? &run : NULL, run ? 1 : 0);
}

guint
aw_timing_chart_get_n_runs (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);
  return self->runs->len;
}

guint
aw_timing_chart_get_n_rows (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);
  return self->rows->len;
}

AwTask *
aw_timing_chart_get_row_task (AwTimingChart *self,
                              guint          row)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return g_array_index (self->rows, Row, row).task;
}

const char *
aw_timing_chart_get_end_mark (AwTaskState state)
{
  /* Glyphs that common fonts have: U+23F9, the stop sign, is missing from DejaVu. */
  switch (state)
    {
    case AW_TASK_FAILED:
      return "✕";

    case AW_TASK_CANCELLED:
      return "■";

    case AW_TASK_QUEUED:
    case AW_TASK_RUNNING:
    case AW_TASK_SUCCEEDED:
    default:
      return NULL;
    }
}

gboolean
aw_timing_chart_is_animating (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), FALSE);
  return self->tick_id != 0;
}

void
aw_timing_chart_set_titles (AwTimingChart      *self,
                            const char * const *titles)
{
  g_return_if_fail (AW_IS_TIMING_CHART (self));

  g_ptr_array_set_size (self->titles, 0);
  for (guint i = 0; titles != NULL && titles[i] != NULL; i++)
    g_ptr_array_add (self->titles, g_strdup (titles[i]));
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
aw_timing_chart_get_title (AwTimingChart *self,
                           guint          run)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);

  if (run >= self->titles->len)
    return NULL;
  return g_ptr_array_index (self->titles, run);
}

void
aw_timing_chart_set_axis_floor_us (AwTimingChart *self,
                                   gint64         floor_us)
{
  g_return_if_fail (AW_IS_TIMING_CHART (self));

  if (self->axis_floor_us == floor_us)
    return;
  self->axis_floor_us = floor_us;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
aw_timing_chart_get_mark_color (AwTimingChartMark  mark,
                                GdkRGBA           *color)
{
  static const char * const colors[] = { SUM_COLOR, FAILED_COLOR, STOPPED_COLOR };

  g_return_if_fail (mark < G_N_ELEMENTS (colors));
  gdk_rgba_parse (color, colors[mark]);
}

void
aw_timing_chart_set_reference (AwTimingChart *self,
                               gint64         at_us,
                               const char    *label)
{
  g_return_if_fail (AW_IS_TIMING_CHART (self));

  self->reference_us = at_us;
  g_free (self->reference_label);
  self->reference_label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
aw_timing_chart_get_reference (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);
  return self->reference_label;
}

void
aw_timing_chart_add_freeze (AwTimingChart *self,
                            AwFetchRun    *run,
                            gint64         start_us,
                            gint64         end_us)
{
  Freeze *freeze = g_new0 (Freeze, 1);

  g_return_if_fail (AW_IS_TIMING_CHART (self));
  g_return_if_fail (AW_IS_FETCH_RUN (run));

  freeze->start_us = MAX (start_us, 0);
  freeze->end_us = MAX (end_us, freeze->start_us);
  g_hash_table_replace (self->freezes, g_object_ref (run), freeze);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
aw_timing_chart_get_freeze (AwTimingChart *self,
                            AwFetchRun    *run,
                            gint64        *start_us,
                            gint64        *end_us)
{
  Freeze *freeze;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), FALSE);

  freeze = g_hash_table_lookup (self->freezes, run);
  if (freeze == NULL)
    return FALSE;
  *start_us = freeze->start_us;
  *end_us = freeze->end_us;
  return TRUE;
}

int
aw_timing_chart_get_row_height (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);
  return self->row_height;
}

void
aw_timing_chart_snapshot_for_image (AwTimingChart *self,
                                    GtkSnapshot   *snapshot,
                                    int            width,
                                    int            height)
{
  g_return_if_fail (AW_IS_TIMING_CHART (self));
  g_return_if_fail (width > 0 && height > 0);

  self->export_width = width;
  self->export_height = height;
  layout_rows (self);
  GTK_WIDGET_GET_CLASS (self)->snapshot (GTK_WIDGET (self), snapshot);
  self->export_width = 0;
  self->export_height = 0;
  layout_rows (self);
}

AwFetchRun *
aw_timing_chart_get_run (AwTimingChart *self,
                         guint          index)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);
  g_return_val_if_fail (index < self->runs->len, NULL);
  return g_ptr_array_index (self->runs, index);
}
