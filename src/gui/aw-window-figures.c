/* aw-window-figures.c: what the window says about the runs on screen, around the chart: the
 * figures and the line under them (the comparison with the run before, or of the two
 * compared), the durations' histogram, the reference line at the run before and the axis
 * held across runs of one setup, and the legend of phases, marks and lanes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-distribution.h"
#include "aw-window-private.h"

/* The legend names the marks the chart shows: wall and sum when comparing, failed and
 * stopped when a run shown has such tasks. */
static void
update_mark_legend (AwWindow *self)
{
  gboolean failed = FALSE, stopped = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (self->shown); i++)
    if (self->shown[i] != NULL)
      {
        const AwRunRecord *record = aw_history_item_get_record (self->shown[i]);

        failed |= record->n_failed > 0;
        stopped |= record->stopped;
      }
  gtk_widget_set_visible (self->mark_legend[0], _aw_window_is_comparing (self));
  gtk_widget_set_visible (self->mark_legend[1], _aw_window_is_comparing (self));
  gtk_widget_set_visible (self->mark_legend[2], failed);
  gtk_widget_set_visible (self->mark_legend[3], stopped);
  /* A live run's lanes come with its start. */
  for (guint i = 0; i < G_N_ELEMENTS (self->lane_legend); i++)
    gtk_widget_set_visible (self->lane_legend[i], aw_timing_chart_get_n_lanes (self->chart) > 0
                                                  || _aw_window_is_running (self));
}

/* The run on screen (or the newest, before any is shown) and the one before it in the
 * history, which the line under the figures compares: *@index is the first's. */
static gboolean
get_current_pair (AwWindow *self,
                  guint    *index)
{
  guint n = aw_history_list_get_n_runs (self->history_list);
  int shown;

  if (_aw_window_is_comparing (self) || n < 2)
    return FALSE;
  if (self->shown[0] == NULL)
    {
      *index = n - 1;
      return TRUE;
    }
  shown = aw_history_list_index_of (self->history_list, self->shown[0]);
  if (shown < 1)
    return FALSE;
  *index = shown;
  return TRUE;
}

/* The time a monitor shows one frame, for the reference beside the longest frame. */
static double
frame_interval_ms (AwWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  GdkMonitor *monitor = NULL;
  int refresh_mhz = 0;

  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  surface);
  if (monitor != NULL)
    refresh_mhz = gdk_monitor_get_refresh_rate (monitor);
  /* Monitors that do not say, as virtual displays, run at the usual 60 Hz. */
  if (refresh_mhz <= 0)
    refresh_mhz = 60000;
  return 1000.0 * 1000.0 / refresh_mhz;
}

/* The histogram beside the figures (the run on screen's task durations, from 20 tasks), and
 * its wall time against its bound. */
static void
update_distribution (AwWindow   *self,
                     AwFetchRun *run)
{
  g_autoptr(GArray) durations = NULL;

  g_autofree char *gap = NULL;

  if (run == NULL)
    {
      aw_run_figures_set_durations (self->figures, NULL, 0);
      aw_run_figures_set_gap (self->figures, 0, 0, NULL);
      return;
    }
  gap = aw_fetch_run_describe_gap (run);
  aw_run_figures_set_gap (self->figures, aw_fetch_run_get_total_us (run),
                          aw_fetch_run_get_bound_us (run), gap);
  durations = aw_distribution_run_durations (run);
  aw_run_figures_set_durations (self->figures, (const gint64 *)(gpointer)durations->data,
                                durations->len);
}

void
_aw_window_update_figures (AwWindow *self)
{
  gboolean comparing = _aw_window_is_comparing (self);
  gboolean running = _aw_window_is_running (self);
  gboolean offer_both = FALSE, refused = FALSE;
  g_autofree char *line = NULL;
  guint index;

  if (comparing)
    aw_run_figures_show_pair (self->figures, aw_history_item_get_record (self->shown[0]),
                              aw_history_item_get_record (self->shown[1]));
  else if (self->run == NULL || running || self->shown[0] == NULL)
    aw_run_figures_show_none (self->figures);
  else
    aw_run_figures_show_run (self->figures, aw_history_item_get_record (self->shown[0]),
                             frame_interval_ms (self));
  update_distribution (self, comparing || running || self->shown[0] == NULL
                             ? NULL : aw_history_item_get_run (self->shown[0]));

  if (comparing)
    {
      const AwRunRecord *a = aw_history_item_get_record (self->shown[0]);
      const AwRunRecord *b = aw_history_item_get_record (self->shown[1]);
      g_autofree char *text = aw_run_figures_describe_comparison (a, b);
      g_autofree char *differences = aw_run_record_describe_differences (a, b);

      line = differences
             /* Translators: a comparison, then what differs between the runs */
             ? g_strdup_printf (_("%s  ·  differs: %s"), text, differences)
             : g_steal_pointer (&text);
      refused = !aw_run_record_compare (a, b, NULL, NULL);
    }
  else if (!running && get_current_pair (self, &index))
    {
      AwHistoryItem *latest = aw_history_list_get_item (self->history_list, index);
      AwHistoryItem *previous = aw_history_list_get_item (self->history_list, index - 1);
      const AwRunRecord *a = aw_history_item_get_record (previous);
      const AwRunRecord *b = aw_history_item_get_record (latest);
      g_autofree char *differences = aw_run_record_describe_differences (a, b);

      line = aw_run_figures_describe_comparison (a, b);
      /* A pair worth stacking: both drawn, comparable, and not the same run twice. */
      refused = !aw_run_record_compare (a, b, NULL, NULL);
      offer_both = aw_history_item_get_run (previous) != NULL
                   && aw_history_item_get_run (latest) != NULL
                   && differences != NULL && !refused;
    }
  else if (!running)
    line = g_strdup (_("Run sequentially and concurrently to compare the two side by side."));
  aw_run_figures_set_comparison (self->figures, line, refused, offer_both);
  update_mark_legend (self);
}

/* A dashed line at the wall time of @previous, the run before the one drawn (@record), when
 * the two share the axis: the lesson in one look, without Compare. */
void
_aw_window_set_reference (AwWindow          *self,
                          AwHistoryItem     *previous_item,
                          const AwRunRecord *record)
{
  const AwRunRecord *previous = previous_item ? aw_history_item_get_record (previous_item) : NULL;
  g_autofree char *label = NULL;

  if (previous != NULL && previous->finished && !previous->stopped
      && aw_run_record_same_setup (previous, record, NULL))
    {
      g_autofree char *mode = aw_run_record_format_mode (previous);
      g_autofree char *wall = aw_format_seconds (previous->total_us);

      /* Translators: a line at the wall time of the run before: "Sequential run before: 1.81 s" */
      label = g_strdup_printf (_("%s run before: %s"), mode, wall);
    }
  aw_timing_chart_set_reference (self->chart, previous ? previous->total_us : 0, label);
}

void
_aw_window_hold_axis_for (AwWindow          *self,
                          const AwRunRecord *record)
{
  guint n = aw_history_list_get_n_runs (self->history_list);

  if (self->axis_setup == NULL || !aw_run_record_same_setup (self->axis_setup, record, NULL))
    {
      g_clear_pointer (&self->axis_setup, aw_run_record_free);
      self->axis_setup = aw_run_record_copy (record);
      self->axis_us = 0;
    }
  aw_timing_chart_set_axis_floor_us (self->chart, self->axis_us);
  _aw_window_set_reference (self,
                            n > 0 ? aw_history_list_get_item (self->history_list, n - 1) : NULL,
                            record);
}

/* What the figures and the line under them say */

const char *
aw_window_get_figure (AwWindow *self,
                      guint     index)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return aw_run_figures_get_value (self->figures, index);
}

const char *
aw_window_get_comparison (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return aw_run_figures_get_comparison (self->figures);
}

AwRunFigures *
aw_window_get_figures (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->figures;
}

/* Legend */

/* An entry of the legend, which wraps on a narrow window; its flow box child, which no
 * key needs to reach. */
static GtkWidget *
add_legend_entry (AwWindow  *self,
                  GtkWidget *entry)
{
  GtkWidget *child;

  gtk_flow_box_append (self->legend, entry);
  child = gtk_widget_get_parent (entry);
  gtk_widget_set_focusable (child, FALSE);
  return child;
}

void
_aw_window_build_legend (AwWindow *self)
{
  for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *swatch = gtk_label_new (NULL);
      g_autofree char *markup = NULL;
      GdkRGBA color;

      aw_timing_chart_get_phase_color (phase, &color);
      markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span>",
                                (int)(color.red * 255), (int)(color.green * 255),
                                (int)(color.blue * 255));
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), gtk_label_new (aw_phase_get_label (phase)));
      gtk_widget_add_css_class (box, "caption");
      add_legend_entry (self, box);
    }
}

/* The marks that are not phases, after them: labelled, each in a colour of its own, each
 * shown while the chart has one (update_mark_legend). */
void
_aw_window_add_mark_legend (AwWindow *self)
{
  struct { const char *glyph; int mark; const char *label; } entries[] = {
    { "┃", -1, N_("wall time") },
    { "┃", AW_TIMING_CHART_MARK_SUM, N_("sum of tasks") },
    { NULL, AW_TIMING_CHART_MARK_FAILED, N_("failed") },
    { NULL, AW_TIMING_CHART_MARK_STOPPED, N_("stopped") },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (self->mark_legend));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *swatch = gtk_label_new (NULL);
      const char *glyph = entries[i].glyph;
      g_autofree char *markup = NULL;
      GdkRGBA color;

      if (glyph == NULL)
        glyph = aw_timing_chart_get_end_mark (entries[i].mark == AW_TIMING_CHART_MARK_FAILED
                                              ? AW_TASK_FAILED : AW_TASK_CANCELLED);
      if (entries[i].mark < 0)
        markup = g_markup_escape_text (glyph, -1);
      else
        {
          aw_timing_chart_get_mark_color (entries[i].mark, &color);
          markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">%s</span>",
                                    (int)(color.red * 255), (int)(color.green * 255),
                                    (int)(color.blue * 255), glyph);
        }
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_(entries[i].label)));
      gtk_widget_add_css_class (box, "caption");
      self->mark_legend[i] = add_legend_entry (self, box);
      gtk_widget_set_visible (self->mark_legend[i], FALSE);
    }
}

/* What the lanes draw besides the phases: shown while the chart has lanes. */
void
_aw_window_add_lane_legend (AwWindow *self)
{
  struct { const char *label; const char *tooltip; } entries[] = {
    { N_("frame"), N_("The window drawing a frame, on the main loop's thread") },
    { N_("blocked"), N_("A thread held inside a blocking call: nothing else runs on it") },
    { N_("ready, loop busy"), N_("A task whose answer was in while the loop ran something "
                                 "else: a band under its bar") },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (self->lane_legend));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *swatch = gtk_label_new (NULL);
      g_autofree char *markup = NULL;
      GdkRGBA color;

      if (i == 1)
        markup = g_strdup ("<span alpha=\"55%\">■</span>");
      else
        {
          if (i == 0)
            aw_timing_chart_get_frame_color (&color);
          else
            aw_timing_chart_get_ready_color (&color);
          markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">■</span>",
                                    (int)(color.red * 255), (int)(color.green * 255),
                                    (int)(color.blue * 255));
        }
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_(entries[i].label)));
      gtk_widget_set_tooltip_text (box, _(entries[i].tooltip));
      gtk_widget_add_css_class (box, "caption");
      self->lane_legend[i] = add_legend_entry (self, box);
      gtk_widget_set_visible (self->lane_legend[i], FALSE);
    }
}
