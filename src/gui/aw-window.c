/* aw-window.c: the main window's lifecycle and what it shows: the header bar's mode and K,
 * the banner and toasts, which runs are on screen (one, or two compared), the mode menu,
 * presentation mode's look, and the window's size across sessions. The figures, legend and
 * shared time axis around the chart are in aw-window-figures.c, its actions in
 * aw-window-actions.c, the live run in aw-window-run.c, the history's glue in
 * aw-window-history.c; the cities, history rows and figures are widgets of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-accessible.h"
#include "aw-history.h"
#include "aw-settings.h"
#include "aw-window-private.h"

G_DEFINE_FINAL_TYPE (AwWindow, aw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PRESENTATION,
  PROP_SHOW_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What each mode is in the tutorial's Python, one line for the mode menu. */
static const char * const mode_python[AW_N_MODES] = {
  /* Translators: Python code for the Sequential mode; keep the code as it is */
  N_("for city in cities: requests.get(url)"),
  /* Translators: Python code for the Concurrent mode; keep the code as it is */
  N_("await asyncio.gather(*fetches)"),
  /* Translators: Python code for the Limited mode; keep the code as it is */
  N_("async with asyncio.Semaphore(K): …"),
  /* Translators: Python code for the Threads mode; keep the code as it is */
  N_("ThreadPoolExecutor().map(requests.get, urls)"),
  /* Translators: Python for the Blocking mode; translate the words, not the code */
  N_("time.sleep(2) in a GUI callback"),
};

/* Banner */

void
_aw_window_show_banner (AwWindow       *self,
                        GtkMessageType  type,
                        const char     *message)
{
  /* Not Adwaita's .warning and .error, which colour the text itself. */
  const char *kind = type == GTK_MESSAGE_ERROR ? "banner-error"
                     : type == GTK_MESSAGE_WARNING ? "banner-warning" : "banner-info";

  gtk_widget_set_css_classes (self->banner_box, (const char *[]) { "banner", kind, NULL });
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner, TRUE);
}

void
_aw_window_hide_banner (AwWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner, FALSE);
}

void
aw_window_show_notice (AwWindow   *self,
                       const char *message)
{
  g_return_if_fail (AW_IS_WINDOW (self));
  _aw_window_show_banner (self, GTK_MESSAGE_WARNING, message);
}

const char *
aw_window_get_notice (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->banner))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}

/* Toasts */

static void
show_toast (AwWindow *self,
            AdwToast *toast)
{
  g_clear_weak_pointer (&self->last_toast);
  g_set_weak_pointer (&self->last_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A removal, with Undo. */
static void
on_cities_removed (AwWindow   *self,
                   const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-remove");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  show_toast (self, toast);
}

void
_aw_window_toast_exported (AwWindow *self,
                           GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *uri = g_file_get_uri (file);
  /* Translators: a toast after an export; %s is the file's name */
  g_autofree char *title = g_strdup_printf (_("Exported “%s”"), name);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-export");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  show_toast (self, toast);
}

const char *
aw_window_get_toast (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->last_toast ? adw_toast_get_title (self->last_toast) : NULL;
}

gboolean
aw_window_get_folded (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  return adw_flap_get_folded (self->flap);
}

/* State */

gboolean
_aw_window_is_running (AwWindow *self)
{
  return self->run != NULL && !aw_fetch_run_is_finished (self->run);
}

gboolean
_aw_window_is_comparing (AwWindow *self)
{
  return self->shown[1] != NULL;
}

void
_aw_window_update_actions (AwWindow *self)
{
  gboolean running = _aw_window_is_running (self);
  guint picked[2];
  guint checked = aw_history_list_get_checked (self->history_list, picked);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 self->run != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", checked == 2 && !running);
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->clock_label), running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_dropdown), !running);
}

void
_aw_window_set_shown (AwWindow      *self,
                      AwHistoryItem *a,
                      AwHistoryItem *b)
{
  g_set_object (&self->shown[0], a);
  g_set_object (&self->shown[1], b);
  aw_history_list_highlight (self->history_list, a, b);
}

/* Cities, for the tests and the command line's files */

AwCityPanel *
aw_window_get_city_panel (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->city_panel;
}

gboolean
aw_window_add_city (AwWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), FALSE);
  return aw_city_panel_add_city (self->city_panel, name);
}

guint
aw_window_add_cities (AwWindow   *self,
                      const char *text)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), 0);
  return aw_city_panel_add_cities (self->city_panel, text);
}

void
aw_window_import_cities (AwWindow *self,
                         GFile    *file)
{
  g_return_if_fail (AW_IS_WINDOW (self));
  aw_city_panel_import (self->city_panel, file);
}

const char *
aw_window_get_entry_message (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return aw_city_panel_get_entry_message (self->city_panel);
}

/* The mode menu: each mode with its Python equivalent under it */

static void
on_mode_item_setup (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *python = gtk_label_new (NULL);
  GtkWidget *suits = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (python), 0);
  gtk_widget_add_css_class (python, "python");
  gtk_widget_add_css_class (python, "dim-label");
  /* Which work the mode suits, I/O-bound or CPU-bound. */
  gtk_label_set_xalign (GTK_LABEL (suits), 0);
  gtk_label_set_wrap (GTK_LABEL (suits), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (suits), 40);
  gtk_widget_add_css_class (suits, "caption");
  gtk_widget_add_css_class (suits, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), python);
  gtk_box_append (GTK_BOX (box), suits);
  gtk_list_item_set_child (item, box);
}

static void
on_mode_item_bind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  guint mode = gtk_list_item_get_position (item);

  gtk_label_set_text (GTK_LABEL (label),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
  if (mode < AW_N_MODES)
    {
      GtkWidget *python = gtk_widget_get_next_sibling (label);

      gtk_label_set_text (GTK_LABEL (python), _(mode_python[mode]));
      gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (python)),
                          aw_mode_get_suits (mode));
    }
}

const char *
aw_window_get_mode_python (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return _(mode_python[mode]);
}

/* The mode's nick in the settings, its position in the menu on screen (the enum's order). */
static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  AwMode mode;

  if (!aw_mode_from_string (g_variant_get_string (variant, NULL), &mode))
    return FALSE;
  g_value_set_uint (value, mode);
  return TRUE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint mode = g_value_get_uint (value);

  return mode < AW_N_MODES ? g_variant_new_string (aw_mode_to_string (mode)) : NULL;
}

static void
on_mode_selected (AwWindow *self)
{
  guint mode = gtk_drop_down_get_selected (self->mode_dropdown);

  if (mode < AW_N_MODES)
    {
      g_autofree char *how = NULL;
      g_autofree char *tooltip = NULL;

      /* Translators: the mode menu's tooltip; %s is the mode's Python equivalent */
      how = g_strdup_printf (_("How the tasks run. In Python: %s"), _(mode_python[mode]));
      tooltip = g_strconcat (how, "\n", aw_mode_get_suits (mode), NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->mode_dropdown), tooltip);
    }
  gtk_widget_set_visible (self->limit_squeezer, mode == AW_MODE_LIMITED);
  /* During a run the panel shows the run's mode. */
  if (mode < AW_N_MODES && !_aw_window_is_running (self))
    aw_code_panel_set_mode (self->code_panel, mode);
}

/* "K=4": the header's narrow form of K. */
static gboolean
limit_to_label (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  /* Translators: the number of tasks in flight at once in Limited mode, on a button */
  g_value_take_string (value, g_strdup_printf (_("K=%d"), g_variant_get_int32 (variant)));
  return TRUE;
}

/* The code panel shows the workload's program: the weather's, or the tutorial's first. */
static void
on_workload_changed (AwWindow *self)
{
  if (!_aw_window_is_running (self))
    aw_code_panel_set_workload (self->code_panel,
                                g_settings_get_enum (self->settings, "workload"));
}

/* The task the keyboard is on in the chart, shown under it: not only in a tooltip. */
static void
on_chart_focus_row (AwWindow *self)
{
  int row = aw_timing_chart_get_focus_row (self->chart);
  g_autofree char *markup = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *line = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->task_detail), row >= 0);
  if (row < 0)
    return;
  markup = aw_timing_chart_describe_row (self->chart, row);
  /* One paragraph that wraps, not a column as tall as the tooltip. */
  lines = g_strsplit (markup, "\n", -1);
  line = g_strjoinv ("   ", lines);
  gtk_label_set_markup (self->task_detail, line);
}

/* Lifecycle */

static gboolean
aw_window_close_request (GtkWindow *window)
{
  AwWindow *self = AW_WINDOW (window);
  int width, height;

  /* No callback may reach a closed window. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (aw_window_parent_class)->close_request (window);
}

static void
aw_window_dispose (GObject *object)
{
  AwWindow *self = (AwWindow *)object;

  _aw_window_dispose_run (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  g_clear_object (&self->run);
  /* The last run is in the file before the window (or the app) goes. */
  aw_history_wait ();
  g_clear_object (&self->shown[0]);
  g_clear_object (&self->shown[1]);
  g_clear_pointer (&self->axis_setup, aw_run_record_free);
  g_clear_weak_pointer (&self->last_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_WINDOW);
  self->history_list = NULL;

  G_OBJECT_CLASS (aw_window_parent_class)->dispose (object);
}

static void
aw_window_finalize (GObject *object)
{
  AwWindow *self = (AwWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (aw_window_parent_class)->finalize (object);
}

static void
aw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  AwWindow *self = AW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;

    case PROP_SHOW_CODE:
      g_value_set_boolean (value, self->show_code);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  AwWindow *self = AW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      aw_window_set_presentation (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_CODE:
      aw_window_set_show_code (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aw_window_class_init (AwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = aw_window_dispose;
  object_class->finalize = aw_window_finalize;
  object_class->get_property = aw_window_get_property;
  object_class->set_property = aw_window_set_property;
  window_class->close_request = aw_window_close_request;

  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_CODE] =
    g_param_spec_boolean ("show-code", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AW_TYPE_TIMING_CHART);
  g_type_ensure (AW_TYPE_CODE_PANEL);
  g_type_ensure (AW_TYPE_CITY_PANEL);
  g_type_ensure (AW_TYPE_HISTORY_LIST);
  g_type_ensure (AW_TYPE_RUN_FIGURES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, limit_squeezer);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, limit_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, limit_adjustment);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, code_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, code_revealer);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, code_panel);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, clock_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, city_panel);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, compare_button);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, task_detail);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, AwWindow, figures);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_history_item_activated",
                                                G_CALLBACK (_aw_window_on_history_item_activated));
  gtk_widget_class_bind_template_callback (widget_class, _aw_window_update_actions);
  gtk_widget_class_bind_template_callback (widget_class, _aw_window_hide_banner);
  gtk_widget_class_bind_template_callback (widget_class, on_cities_removed);
  gtk_widget_class_bind_template_callback (widget_class, on_chart_focus_row);

  _aw_window_class_add_actions (widget_class);
}

static void
aw_window_init (AwWindow *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  _aw_window_init_run (self);

  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    gtk_string_list_append (modes, aw_mode_get_label (mode));
  gtk_drop_down_set_model (self->mode_dropdown, G_LIST_MODEL (modes));
  g_signal_connect (factory, "setup", G_CALLBACK (on_mode_item_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_mode_item_bind), NULL);
  gtk_drop_down_set_list_factory (self->mode_dropdown, factory);

  /* Names for the screen reader that GTK 4.8 does not take from the template. */
  aw_accessible_name_inner_buttons (GTK_WIDGET (self->mode_dropdown), _("Mode"));
  aw_accessible_name_by_labels (GTK_WIDGET (self));

  _aw_window_build_legend (self);
  _aw_window_add_mark_legend (self);
  _aw_window_add_lane_legend (self);

  _aw_window_add_escape (self);
}

AwWindow *
aw_window_new (AwApplication *application)
{
  AwWindow *self = g_object_new (AW_TYPE_WINDOW, "application", application, NULL);
  double limit_min, limit_max;

  self->settings = g_object_ref (aw_application_get_settings (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind_with_mapping (self->settings, "mode", self->mode_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_to_position, position_to_nick,
                                NULL, NULL);
  g_signal_connect_swapped (self->mode_dropdown, "notify::selected",
                            G_CALLBACK (on_mode_selected), self);
  on_mode_selected (self);
  g_signal_connect_swapped (self->settings, "changed::workload", G_CALLBACK (on_workload_changed),
                            self);
  g_signal_connect_swapped (self->flap, "notify::folded",
                            G_CALLBACK (_aw_window_update_code_place), self);
  on_workload_changed (self);
  if (aw_settings_get_range (self->settings, "limit", &limit_min, &limit_max))
    {
      gtk_adjustment_set_lower (self->limit_adjustment, limit_min);
      gtk_adjustment_set_upper (self->limit_adjustment, limit_max);
    }
  g_settings_bind (self->settings, "limit", self->limit_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "limit", self->limit_label, "label",
                                G_SETTINGS_BIND_GET, limit_to_label, NULL, NULL, NULL);
  aw_city_panel_set_settings (self->city_panel, self->settings);
  _aw_window_load_history (self);
  _aw_window_update_figures (self);
  _aw_window_update_actions (self);
  return self;
}

AwFetchRun *
aw_window_get_run (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->run;
}

AwTimingChart *
aw_window_get_chart (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), NULL);
  return self->chart;
}
