/* aw-timing-chart-rows.c: the chart's rows as a person reaches them: the description of a
 * row (a task's phases, its answer), shown in a tooltip on hover, and the keyboard focus on
 * one row (arrow keys, Home, End, Page Up and Down), whose description screen readers
 * speak and the window shows under the chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-timing-chart-private.h"

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
          g_string_append_printf (text, "\n<span foreground=\"%.7s\">■</span>\u00a0",
                                  _aw_timing_chart_phase_colors[phase]);
          /* Translators: a phase of a task and how long it took, in a tooltip */
          g_string_append_printf (text, _("%s %.1f ms"), aw_phase_get_label (phase),
                                  us / 1000.0);
        }
    }

  /* What its time went to: adds up to its bar once it ended. */
  if (aw_task_is_finished (r->task) && aw_fetch_run_get_n_lanes (g_ptr_array_index (self->runs,
                                                                                  r->run)) > 0)
    {
      AwLedger ledger;

      aw_task_get_ledger (r->task, &ledger);
      /* Translators: a task's ledger in its tooltip: waiting for a slot, on the network,
       * ready but the loop busy with something else, running on the loop; in ms */
      g_string_append_printf (text, _("\nqueued %.1f · network %.1f · ready, loop busy %.1f · "
                                      "running %.1f ms"),
                              ledger.queued_us / 1000.0, ledger.network_us / 1000.0,
                              ledger.ready_us / 1000.0, ledger.running_us / 1000.0);
    }

  weather = aw_task_get_weather (r->task);
  error = aw_task_get_error (r->task);
  if (weather != NULL)
    {
      g_autofree char *condition = g_markup_escape_text (weather->condition, -1);

      if (aw_weather_is_sleep (weather))
        g_string_append_printf (text, "\n%s", condition);
      else
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

  /* The axis says where the view is, and how to zoom. */
  if (y < AXIS_HEIGHT && self->runs->len > 0)
    {
      g_autofree char *view = aw_timing_chart_describe_view (self);

      gtk_tooltip_set_text (tooltip, view);
      return TRUE;
    }
  if (y < _aw_timing_chart_top (self))
    markup = _aw_timing_chart_describe_slice (self, x, y);
  else if (row >= 0)
    markup = aw_timing_chart_describe_row (self, row);
  if (markup == NULL)
    return FALSE;
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}


/* The focused row's description, as a screen reader speaks it (no markup). */
static void
update_description (AwTimingChart *self)
{
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  g_autofree char *slice = NULL;

  if (self->focus_row < 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  markup = aw_timing_chart_describe_row (self, self->focus_row);
  if (!pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL))
    text = g_strdup (markup);
  /* On one of the loop's callbacks (Left, Right): said first. */
  if ((slice = _aw_timing_chart_describe_focus_slice (self)) != NULL)
    {
      char *both = g_strdup_printf ("%s %s", slice, text);

      g_free (text);
      text = both;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

/* The focused row in view, scrolled to as little as it takes. */
static void
scroll_to_focus (AwTimingChart *self)
{
  const Row *row;
  double top, page;

  if (self->focus_row < 0 || self->vadjustment == NULL)
    return;
  row = &g_array_index (self->rows, Row, self->focus_row);
  top = gtk_adjustment_get_value (self->vadjustment);
  page = gtk_adjustment_get_page_size (self->vadjustment);
  if (row->y < top)
    gtk_adjustment_set_value (self->vadjustment, row->y);
  else if (row->y + self->row_height > top + page)
    gtk_adjustment_set_value (self->vadjustment, row->y + self->row_height - page);
}

int
aw_timing_chart_get_focus_row (AwTimingChart *self)
{
  g_return_val_if_fail (AW_IS_TIMING_CHART (self), -1);
  return self->focus_row;
}

void
aw_timing_chart_set_focus_row (AwTimingChart *self,
                               int            row)
{
  g_return_if_fail (AW_IS_TIMING_CHART (self));

  row = self->rows->len == 0 ? -1 : CLAMP (row, -1, (int)self->rows->len - 1);
  if (row == self->focus_row)
    return;
  self->focus_row = row;
  self->focus_slice = -1;
  update_description (self);
  scroll_to_focus (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), "focus-row");
}

void
_aw_timing_chart_rows_changed (AwTimingChart *self)
{
  /* A live task's phases change under the focus: said again. */
  if (self->focus_row >= (int)self->rows->len)
    aw_timing_chart_set_focus_row (self, -1);
  else if (self->focus_row >= 0)
    {
      update_description (self);
      g_object_notify (G_OBJECT (self), "focus-row");
    }
}

static gboolean
move_focus (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  AwTimingChart *self = AW_TIMING_CHART (widget);
  int page = self->vadjustment != NULL
             ? (int)(gtk_adjustment_get_page_size (self->vadjustment) / self->row_height) : 10;
  int row = self->focus_row;
  int step;

  g_variant_get (args, "i", &step);
  page = MAX (page, 1);
  /* Left and Right walk the loop's callbacks. */
  if (step == -4 || step == 4)
    return aw_timing_chart_step_callback (self, step / 4);
  self->focus_slice = -1;
  if (self->rows->len == 0)
    return FALSE;
  switch (step)
    {
    case -2: row = 0; break;
    case 2: row = self->rows->len - 1; break;
    case -3: row = MAX (row - page, 0); break;
    case 3: row = MIN (row + page, (int)self->rows->len - 1); break;
    default: row = CLAMP (row + step, 0, (int)self->rows->len - 1); break;
    }
  aw_timing_chart_set_focus_row (self, row);
  return TRUE;
}

static void
on_focus_enter (AwTimingChart *self)
{
  /* The keyboard arrives on a row, the first one unless it was on another. */
  if (self->focus_row < 0 && self->rows->len > 0)
    aw_timing_chart_set_focus_row (self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            AwTimingChart   *self)
{
  int row = aw_timing_chart_row_at (self, y);

  if (row >= 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self));
      aw_timing_chart_set_focus_row (self, row);
    }
}

void
_aw_timing_chart_class_init_rows (GtkWidgetClass *widget_class)
{
  struct { guint key; int step; } keys[] = {
    { GDK_KEY_Up, -1 }, { GDK_KEY_KP_Up, -1 }, { GDK_KEY_Down, 1 }, { GDK_KEY_KP_Down, 1 },
    { GDK_KEY_Home, -2 }, { GDK_KEY_End, 2 }, { GDK_KEY_Page_Up, -3 }, { GDK_KEY_Page_Down, 3 },
    { GDK_KEY_Left, -4 }, { GDK_KEY_KP_Left, -4 }, { GDK_KEY_Right, 4 }, { GDK_KEY_KP_Right, 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding (widget_class, keys[i].key, 0, move_focus, "i", keys[i].step);
}

void
_aw_timing_chart_init_rows (AwTimingChart *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->focus_row = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
