/* aw-timing-chart.c: one timing bar per task on a shared time axis
 *
 * The chart scrolls itself (GtkScrollable) so that the time axis stays on top and only the
 * visible rows are drawn: a run of thousands of tasks costs what one screenful does. Where
 * the rows sit, and the scrolling that follows, is in aw-timing-chart-layout.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>


#include "aw-timing-chart-private.h"


enum {
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
  PROP_FOCUS_ROW,
};

G_DEFINE_FINAL_TYPE_WITH_CODE (AwTimingChart, aw_timing_chart, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* Colours that read on light and dark backgrounds (GNOME palette). */
const char * const _aw_timing_chart_phase_colors[AW_N_PHASES] = {
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
  gdk_rgba_parse (color, _aw_timing_chart_phase_colors[phase]);
}

gboolean
_aw_timing_chart_any_run_live (AwTimingChart *self)
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

void
aw_timing_chart_get_view (AwTimingChart *self,
                          gint64        *start_us,
                          gint64        *end_us)
{
  gint64 axis_us, span;

  g_return_if_fail (AW_IS_TIMING_CHART (self));

  axis_us = aw_timing_chart_get_axis_us (self);
  if (self->view_end_us <= self->view_start_us)
    {
      *start_us = 0;
      *end_us = axis_us;
      return;
    }
  /* Held in µs while a live run's axis grows under it; inside the axis. */
  span = MIN (self->view_end_us - self->view_start_us, axis_us);
  *start_us = CLAMP (self->view_start_us, 0, axis_us - span);
  *end_us = *start_us + span;
}

void
_aw_timing_chart_get_axis (AwTimingChart *self,
                           Axis          *axis)
{
  aw_timing_chart_get_view (self, &axis->start_us, &axis->end_us);
  axis->px_per_us = MAX (_aw_timing_chart_width (self) - LABEL_WIDTH - END_PADDING, 10)
                    / (double)MAX (axis->end_us - axis->start_us, 1);
}

double
aw_timing_chart_get_x (AwTimingChart *self,
                       gint64         us)
{
  Axis axis;

  g_return_val_if_fail (AW_IS_TIMING_CHART (self), 0);
  _aw_timing_chart_get_axis (self, &axis);
  return axis_x (&axis, us);
}

gboolean
aw_timing_chart_is_zoomed (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), FALSE);
  return self->view_end_us > self->view_start_us;
}

static void update_accessible_label (AwTimingChart *self);

void
aw_timing_chart_set_view (AwTimingChart *self,
                          gint64         start_us,
                          gint64         end_us)
{
  gint64 axis_us, span;

  g_return_if_fail (AW_IS_TIMING_CHART (self));

  axis_us = aw_timing_chart_get_axis_us (self);
  span = CLAMP (end_us - start_us, MIN_VIEW_US, axis_us);
  /* The whole axis (or none) is no zoom: it follows a live run's growth again. Kept inside
   * the axis by get_view. */
  if (span >= axis_us || end_us <= start_us)
    start_us = span = 0;
  if (start_us == self->view_start_us && start_us + span == self->view_end_us)
    return;
  self->view_start_us = start_us;
  self->view_end_us = start_us + span;
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
aw_timing_chart_reset_zoom (AwTimingChart *self)
{
  aw_timing_chart_set_view (self, 0, 0);
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
        {
          g_autofree char *loop = aw_timing_chart_describe_loop (self);

          /* Translators: accessible name of the chart: mode, tasks, wall time, sum of tasks */
          label = g_strdup_printf (_("Timing chart of a %s run: %u tasks, wall time %.2f s, "
                                     "sum of tasks %.2f s"),
                                   aw_mode_get_label (aw_fetch_run_get_mode (run)),
                                   aw_fetch_run_get_n_tasks (run),
                                   aw_fetch_run_get_total_us (run) / (double)G_USEC_PER_SEC,
                                   aw_fetch_run_get_sum_us (run) / (double)G_USEC_PER_SEC);
          if (loop != NULL)
            {
              char *with_loop = g_strdup_printf ("%s; %s", label, loop);

              g_free (label);
              label = with_loop;
            }
        }
      else
        label = g_strdup_printf (_("Timing chart of a %s run in progress"),
                                 aw_mode_get_label (aw_fetch_run_get_mode (run)));
    }
  /* Where the view is, and that it zooms. */
  if (self->runs->len > 0)
    {
      g_autofree char *view = aw_timing_chart_describe_view (self);
      char *with_view = g_strdup_printf ("%s; %s", label, view);

      g_free (label);
      label = with_view;
    }
  /* Every task's change comes here: with accessibility on, each update is a message on the
   * bus, 3000 in a run of 1000 that hold the window's frames back. */
  if (g_strcmp0 (label, self->accessible_label) == 0)
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_free (self->accessible_label);
  self->accessible_label = g_steal_pointer (&label);
}

/* A worker's first task adds its lane: the rows move down. */
static void
update_lanes (AwTimingChart *self)
{
  if (_aw_timing_chart_update_lanes (self))
    {
      _aw_timing_chart_layout_rows (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);

  update_lanes (self);
  gtk_widget_queue_draw (widget);
  if (!_aw_timing_chart_any_run_live (self))
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
  if (_aw_timing_chart_any_run_live (self) && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
  else if (!_aw_timing_chart_any_run_live (self) && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
on_run_changed (AwTimingChart *self)
{
  update_lanes (self);
  update_animation (self);
  update_accessible_label (self);
  _aw_timing_chart_rows_changed (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
      *minimum = _aw_timing_chart_top (self) + ROW_HEIGHT * 3;
      *natural = _aw_timing_chart_top (self) + MAX (self->content_height, ROW_HEIGHT * 3);
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
  if (_aw_timing_chart_pick_row_height (self) != self->row_height)
    _aw_timing_chart_layout_rows (self);
  else
    _aw_timing_chart_update_adjustments (self);
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
  _aw_timing_chart_update_adjustments (self);
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
  g_clear_pointer (&self->accessible_label, g_free);
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

    case PROP_FOCUS_ROW:
      g_value_set_int (value, self->focus_row);
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

    case PROP_FOCUS_ROW:
      aw_timing_chart_set_focus_row (self, g_value_get_int (value));
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

  widget_class->snapshot = _aw_timing_chart_snapshot;
  widget_class->measure = aw_timing_chart_measure;
  widget_class->size_allocate = aw_timing_chart_size_allocate;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");
  g_object_class_install_property (object_class, PROP_FOCUS_ROW,
    g_param_spec_int ("focus-row", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _aw_timing_chart_class_init_rows (widget_class);

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

  _aw_timing_chart_init_rows (self);
  _aw_timing_chart_init_lanes (self);
  _aw_timing_chart_init_zoom (self);
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
  aw_timing_chart_set_focus_row (self, -1);
  /* A new run, or another shown, starts whole. */
  self->view_start_us = self->view_end_us = 0;
  g_ptr_array_set_size (self->titles, 0);
  for (guint i = 0; i < n_runs; i++)
    {
      g_ptr_array_add (self->runs, g_object_ref (runs[i]));
      g_signal_connect_swapped (runs[i], "task-changed", G_CALLBACK (on_run_changed), self);
      g_signal_connect_swapped (runs[i], "finished", G_CALLBACK (on_run_changed), self);
    }
  _aw_timing_chart_rebuild_rows (self);
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
  _aw_timing_chart_layout_rows (self);
  GTK_WIDGET_GET_CLASS (self)->snapshot (GTK_WIDGET (self), snapshot);
  self->export_width = 0;
  self->export_height = 0;
  _aw_timing_chart_layout_rows (self);
}

AwFetchRun *
aw_timing_chart_get_run (AwTimingChart *self,
                         guint          index)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), NULL);
  g_return_val_if_fail (index < self->runs->len, NULL);
  return g_ptr_array_index (self->runs, index);
}
