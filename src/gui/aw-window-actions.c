/* aw-window-actions.c: what a person asks of the window: run (and Blocking's confirmation),
 * stop, compare two runs or the last two, fit the axis, export (HAR, trace, CSV, PNG),
 * presentation mode, and the keyboard shortcuts that reach them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aw-export.h"
#include "aw-png-export.h"
#include "aw-window-private.h"

/* Run */

static void
on_blocking_confirmed (AdwMessageDialog *dialog,
                       const char       *response,
                       AwWindow         *self)
{
  if (g_str_equal (response, "freeze"))
    aw_window_start_run (self, AW_MODE_BLOCKING);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  AwMode mode = gtk_drop_down_get_selected (self->mode_dropdown);
  GtkWidget *dialog;

  if (mode != AW_MODE_BLOCKING)
    {
      aw_window_start_run (self, mode);
      return;
    }

  /* Blocking freezes the window on purpose: say so first. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Freeze the Window?"),
    _("Blocking mode runs every request on the main thread, one after another, as time.sleep "
      "does in the tutorial. The window will not respond until the run ends, and Stop will not "
      "work."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "freeze", _("_Run and Freeze"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "freeze",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "blocking-confirm");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_blocking_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  aw_window_stop_run (AW_WINDOW (widget));
}

/* Compare */

char *
_aw_window_header_title (const AwRunRecord *record,
                         const AwRunRecord *first,
                         guint              number)
{
  g_autofree char *name = aw_run_record_format_name (record);
  g_autofree char *wall = aw_format_seconds (record->total_us);
  g_autofree char *sum = aw_format_seconds (record->sum_us);
  g_autofree char *differences = first ? aw_run_record_describe_differences (first, record)
                                       : NULL;
  g_autofree char *reason = NULL;
  g_autofree char *state = NULL;

  if (record->stopped)
    state = g_strdup (_(" · stopped"));
  else if (record->n_failed > 0)
    /* Translators: after a run's name in the compare view */
    state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, " · %u failed", " · %u failed",
                                          record->n_failed), record->n_failed);
  if (first != NULL && !aw_run_record_compare (first, record, NULL, &reason))
    /* Translators: a run's header in the compare view: number, name, state, wall, sum, and
     * why it does not compare with the first run */
    return g_strdup_printf (_("%u. %s%s — wall %s, sum %s — does not compare with 1: %s"),
                            number, name, state ? state : "", wall, sum, reason);
  if (differences != NULL)
    /* Translators: a run's header in the compare view: number, name, state, wall, sum, and
     * what differs from the first run */
    return g_strdup_printf (_("%u. %s%s — wall %s, sum %s — differs: %s"), number, name,
                            state ? state : "", wall, sum, differences);
  /* Translators: a run's header in the compare view: number, name, state, wall, sum */
  return g_strdup_printf (_("%u. %s%s — wall %s, sum %s"), number, name, state ? state : "",
                          wall, sum);
}

void
aw_window_compare (AwWindow *self,
                   guint     a,
                   guint     b)
{
  AwHistoryItem *first, *second;
  const AwRunRecord *first_record, *second_record;
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;
  AwFetchRun *runs[2];
  guint n;

  g_return_if_fail (AW_IS_WINDOW (self));
  n = aw_history_list_get_n_runs (self->history_list);
  g_return_if_fail (a < n && b < n && a != b);

  if (_aw_window_is_running (self))
    return;

  /* The earlier run first, as the line reads. */
  first = aw_history_list_get_item (self->history_list, MIN (a, b));
  second = aw_history_list_get_item (self->history_list, MAX (a, b));
  first_record = aw_history_item_get_record (first);
  second_record = aw_history_item_get_record (second);
  if (aw_history_item_get_run (first) == NULL || aw_history_item_get_run (second) == NULL)
    {
      g_autofree char *text = aw_run_figures_describe_comparison (first_record, second_record);
      g_autofree char *message =
        /* Translators: a comparison of runs whose bars an earlier session did not keep */
        g_strdup_printf (_("%s. Runs of an earlier session with more than %u tasks keep their "
                           "figures, not their bars."), text, AW_RUN_RECORD_MAX_TASKS);

      _aw_window_show_banner (self, GTK_MESSAGE_INFO, message);
      return;
    }

  runs[0] = aw_history_item_get_run (first);
  runs[1] = aw_history_item_get_run (second);
  g_set_object (&self->run, runs[1]);
  _aw_window_set_shown (self, first, second);
  aw_timing_chart_set_axis_floor_us (self->chart, 0);
  aw_timing_chart_set_runs (self->chart, runs, 2);
  title_a = _aw_window_header_title (first_record, NULL, 1);
  title_b = _aw_window_header_title (second_record, first_record, 2);
  aw_timing_chart_set_titles (self->chart, (const char *[]) { title_a, title_b, NULL });
  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  _aw_window_update_figures (self);
  _aw_window_update_actions (self);
}

static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  guint picked[2];

  if (aw_history_list_get_checked (self->history_list, picked) == 2)
    aw_window_compare (self, picked[0], picked[1]);
}

/* The run on screen and the one before it, stacked (offered when they compare). */
static void
compare_last_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  int index = aw_history_list_index_of (self->history_list, self->shown[0]);
  guint n = aw_history_list_get_n_runs (self->history_list);

  if (_aw_window_is_comparing (self) || n < 2)
    return;
  if (self->shown[0] == NULL)
    index = n - 1;
  if (index >= 1)
    aw_window_compare (self, index - 1, index);
}

/* Fit */

void
aw_window_fit_axis (AwWindow *self)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  aw_timing_chart_reset_zoom (self->chart);
  aw_timing_chart_set_axis_floor_us (self->chart, 0);
  /* What the run on screen needs, held from now on for runs of its setup. */
  if (!_aw_window_is_comparing (self) && self->shown[0] != NULL)
    {
      g_clear_pointer (&self->axis_setup, aw_run_record_free);
      self->axis_setup = aw_run_record_copy (aw_history_item_get_record (self->shown[0]));
      self->axis_us = aw_timing_chart_get_axis_us (self->chart);
    }
  aw_timing_chart_set_axis_floor_us (self->chart,
                                     _aw_window_is_comparing (self) ? 0 : self->axis_us);
}

static void
fit_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  aw_window_fit_axis (AW_WINDOW (widget));
}

/* Zoom on the time axis: around the callback or task the keyboard is on in the chart. */
static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);

  aw_timing_chart_zoom (self->chart, g_str_equal (action_name, "win.zoom-in") ? 2 : 0.5, -1);
}

/* Export */

gboolean
aw_widget_save_png (GtkWidget   *widget,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA background;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                       "theme_base_color", &background))
    gdk_rgba_parse (&background, "white");
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL || gtk_widget_get_native (widget) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing is drawn yet"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  png = gdk_texture_save_to_png_bytes (texture);
  file = g_file_new_for_path (path);
  return aw_export_write (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png), error);
}

/* The runs on screen: the two compared, or the one shown. */
static guint
get_shown_runs (AwWindow    *self,
                AwFetchRun **runs)
{
  if (_aw_window_is_comparing (self))
    {
      runs[0] = aw_history_item_get_run (self->shown[0]);
      runs[1] = aw_history_item_get_run (self->shown[1]);
      return 2;
    }
  runs[0] = self->run;
  return self->run != NULL ? 1 : 0;
}

gboolean
aw_window_export_runs (AwWindow    *self,
                       const char  *format,
                       const char  *path,
                       GError     **error)
{
  AwFetchRun *runs[2];
  guint n_runs;

  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (format != NULL && path != NULL, FALSE);

  n_runs = get_shown_runs (self, runs);
  if (n_runs == 0 || _aw_window_is_running (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("No finished run to export"));
      return FALSE;
    }
  return aw_export_runs_to_file (runs, n_runs,
                                 g_str_equal (format, "har") ? AW_EXPORT_HAR
                                 : g_str_equal (format, "trace") ? AW_EXPORT_TRACE
                                 : AW_EXPORT_CSV,
                                 path, error);
}

gboolean
aw_window_export_png (AwWindow    *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GStrvBuilder) figures = g_strv_builder_new ();
  g_auto(GStrv) figure_texts = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  guint n_runs;
  AwFetchRun *run;
  g_autofree char *date = NULL;
  guint n_tasks;

  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);

  n_runs = aw_timing_chart_get_n_runs (self->chart);
  if (n_runs == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing is drawn yet"));
      return FALSE;
    }

  /* The title: the mode of each run shown, and how many cities. */
  run = aw_timing_chart_get_run (self->chart, n_runs - 1);
  n_tasks = aw_fetch_run_get_n_tasks (run);
  for (guint i = 0; i < n_runs; i++)
    {
      if (i > 0)
        /* Translators: between the modes of runs compared in an exported picture */
        g_string_append (title, _(" and "));
      g_string_append (title, aw_mode_get_label (aw_fetch_run_get_mode (
                                aw_timing_chart_get_run (self->chart, i))));
    }
  /* Translators: after the mode(s) in an exported picture's title */
  g_string_append_printf (title, g_dngettext (GETTEXT_PACKAGE, " · %u city", " · %u cities",
                                              n_tasks), n_tasks);

  /* The subtitle: the first cities, then when. */
  for (guint i = 0; i < MIN (n_tasks, 5); i++)
    g_string_append_printf (subtitle, "%s%s", i > 0 ? ", " : "",
                            aw_task_get_city (aw_fetch_run_get_task (run, i)));
  if (n_tasks > 5)
    /* Translators: after the first five cities of an exported picture's subtitle */
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, " and %u more",
                                                   " and %u more", n_tasks - 5), n_tasks - 5);
  if (aw_fetch_run_get_started_at (run) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (aw_fetch_run_get_started_at (run));

      /* Translators: the date and time of a run in an exported picture; see g_date_time_format */
      date = g_date_time_format (local, _("%e %B %Y, %H:%M"));
      g_string_append_printf (subtitle, " · %s", g_strstrip (date));
    }

  /* The figures as shown under the chart. */
  for (guint i = 0; i < 4; i++)
    {
      const char *value = aw_run_figures_get_value (self->figures, i);
      const char *caption = aw_run_figures_get_caption (self->figures, i);

      g_strv_builder_add (figures, value != NULL ? value : "");
      g_strv_builder_add (figures, caption != NULL ? caption : "");
    }
  figure_texts = g_strv_builder_end (figures);

  return aw_png_export (self->chart, title->str, subtitle->str,
                        (const char * const *)figure_texts,
                        AW_PNG_EXPORT_WIDTH, AW_PNG_EXPORT_HEIGHT, path, error);
}

gboolean
aw_window_export_to (AwWindow    *self,
                     const char  *format,
                     GFile       *file,
                     GError     **error)
{
  g_autofree char *path = NULL;
  gboolean ok;

  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (format != NULL && G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  /* A location with no local path (a remote share) cannot take the file. */
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Choose a folder on this computer to export to"));
      return FALSE;
    }
  if (g_str_equal (format, "png"))
    ok = aw_window_export_png (self, path, error);
  else
    ok = aw_window_export_runs (self, format, path, error);
  if (ok)
    _aw_window_toast_exported (self, file);
  return ok;
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    AwWindow        *self)
{
  const char *format = g_object_get_data (G_OBJECT (chooser), "format");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL && !aw_window_export_to (self, format, file, &error))
        _aw_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  const char *extension = g_str_equal (format, "trace") ? "json" : format;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->run == NULL || !aw_fetch_run_is_finished (self->run))
    return;

  if (_aw_window_is_comparing (self))
    name = g_strdup_printf ("async-weather-%s-vs-%s.%s",
                            aw_mode_to_string (aw_history_item_get_record (self->shown[0])->mode),
                            aw_mode_to_string (aw_history_item_get_record (self->shown[1])->mode),
                            extension);
  else
    name = g_strdup_printf ("async-weather-%s.%s",
                            aw_mode_to_string (aw_fetch_run_get_mode (self->run)), extension);
  chooser = gtk_file_chooser_native_new (_("Export Run"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "format", g_strdup (format), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Presentation mode: the chart alone, large, for a projector */

void
aw_window_set_presentation (AwWindow *self,
                            gboolean  presentation)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  gtk_widget_set_visible (self->sidebar, !presentation);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), !presentation);
  if (presentation)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
    }
  g_object_notify (G_OBJECT (self), "presentation");
}

gboolean
aw_window_get_presentation (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  return self->presentation;
}

/* The code panel, in presentation mode too: the lesson's other half. */

void
aw_window_set_show_code (AwWindow *self,
                         gboolean  show_code)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  show_code = !!show_code;
  if (self->show_code == show_code)
    return;
  self->show_code = show_code;
  _aw_window_update_code_place (self);
  g_object_notify (G_OBJECT (self), "show-code");
}

/* Beside the chart where both fit; on a narrow window (the sidebar folded away) the code
 * takes the chart's place until Code is pressed again. */
void
_aw_window_update_code_place (AwWindow *self)
{
  gboolean narrow = adw_flap_get_folded (self->flap);

  gtk_widget_set_visible (GTK_WIDGET (self->chart_stack), !(self->show_code && narrow));
  gtk_widget_set_hexpand (GTK_WIDGET (self->code_revealer), self->show_code && narrow);
}

gboolean
aw_window_get_show_code (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  return self->show_code;
}

AwCodePanel *
aw_window_get_code_panel (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->code_panel;
}

/* Escape leaves presentation mode, as in slide software; while a run is live it is Stop's. */
static gboolean
leave_presentation (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  AwWindow *self = AW_WINDOW (widget);

  if (!self->presentation || _aw_window_is_running (self))
    return FALSE;
  aw_window_set_presentation (self, FALSE);
  return TRUE;
}

/* Keyboard */

static void
mode_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);
  guint mode = g_variant_get_uint32 (parameter);

  if (mode < AW_N_MODES && gtk_widget_get_sensitive (GTK_WIDGET (self->mode_dropdown)))
    gtk_drop_down_set_selected (self->mode_dropdown, mode);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  aw_city_panel_undo_remove (AW_WINDOW (widget)->city_panel);
}

static void
open_export_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
focus_cities_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AwWindow *self = AW_WINDOW (widget);

  aw_window_set_presentation (self, FALSE);
  /* Folded away on a narrow window: shown over the chart first. */
  adw_flap_set_reveal_flap (self->flap, TRUE);
  aw_city_panel_focus_entry (self->city_panel);
}

void
_aw_window_class_add_actions (GtkWidgetClass *widget_class)
{
  /* Ctrl+plus as gnome-text-editor takes it: with or without Shift, or on the keypad. */
  static const struct { guint key; const char *action; } zoom_keys[] = {
    { GDK_KEY_plus, "win.zoom-in" }, { GDK_KEY_equal, "win.zoom-in" },
    { GDK_KEY_KP_Add, "win.zoom-in" }, { GDK_KEY_minus, "win.zoom-out" },
    { GDK_KEY_KP_Subtract, "win.zoom-out" },
  };

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.compare-last", NULL, compare_last_action);
  gtk_widget_class_install_action (widget_class, "win.fit-axis", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.mode", "u", mode_action);
  gtk_widget_class_install_action (widget_class, "win.focus-cities", NULL, focus_cities_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL,
                                   toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "win.open-export", "s", open_export_action);
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_property_action (widget_class, "win.show-code", "show-code");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "win.fit-axis", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "win.fit-axis", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_keys[i].key, GDK_CONTROL_MASK,
                                         zoom_keys[i].action, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-cities", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.compare", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  /* A browser's View Source. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK,
                                       "win.show-code", NULL);
  for (guint mode = 0; mode < AW_N_MODES; mode++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + mode, GDK_CONTROL_MASK,
                                         "win.mode", "u", mode);
}

/* Before the focused widget and the application's shortcuts see the key. */
void
_aw_window_add_escape (AwWindow *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (
                                                            leave_presentation, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
