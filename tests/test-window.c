/* test-window.c: the real window under a virtual display, driven as a person would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/resource.h>

#include "aw-about-window.h"
#include "aw-city-import.h"
#include "aw-history.h"
#include "aw-preferences-window.h"
#include "aw-provider.h"
#include "aw-settings.h"
#include "aw-test-utils.h"
#include "aw-test-window.h"

#define LATENCY_S 0.3
#define LATENCY_US ((gint64)(LATENCY_S * G_USEC_PER_SEC))

static AwApplication *app;

typedef gboolean (*Condition) (AwWindow *window);

/* The dark style or the light one, as a person picks it (libadwaita's, not GtkSettings'). */
static void
set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_DEFAULT);
}

typedef struct
{
  Condition condition;
  AwWindow *window;
} WindowCondition;

static gboolean
window_condition_holds (gpointer data)
{
  WindowCondition *wait = data;

  return wait->condition (wait->window);
}

/* Runs the main loop until @condition holds; fails after @seconds (longer on a slow build). */
static void
wait_for (AwWindow  *window,
          Condition  condition,
          double     seconds)
{
  aw_test_wait_until (window_condition_holds, &(WindowCondition) { condition, window }, seconds);
}

static guint expected_history;

static gboolean
run_recorded (AwWindow *window)
{
  return aw_window_get_n_history (window) >= expected_history;
}

static gboolean
run_live (AwWindow *window)
{
  AwFetchRun *run = aw_window_get_run (window);

  return run != NULL && aw_fetch_run_is_running (run);
}

static gboolean
first_task_done_mid_run (AwWindow *window)
{
  return run_live (window)
         && aw_task_is_finished (aw_fetch_run_get_task (aw_window_get_run (window), 0));
}

static void
run_and_wait (AwWindow *window,
              AwMode    mode)
{
  expected_history = aw_window_get_n_history (window) + 1;
  aw_window_start_run (window, mode);
  wait_for (window, run_recorded, 30);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  aw_test_save_screenshot (widget, SCREENSHOT_DIR, name);
}

static AwWindow *
new_window (void)
{
  GSettings *settings = aw_application_get_settings (app);
  const char *cities[] = { "Paris", "Toulouse", "Marseille", NULL };
  g_autofree char *history = aw_history_get_path ();
  AwWindow *window;

  /* Each test's window starts on an empty history (saves of the last one done). */
  aw_history_wait ();
  g_unlink (history);
  g_settings_set_strv (settings, "cities", cities);
  g_settings_set_double (settings, "demo-latency", LATENCY_S);
  g_settings_set_double (settings, "demo-latency-max", LATENCY_S);
  g_settings_set_double (settings, "demo-failure-rate", 0);
  window = aw_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
destroy_window (AwWindow *window)
{
  g_autoptr(GtkWidget) ref = g_object_ref (GTK_WIDGET (window));

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* The first widget of @type under @widget, depth first. */
static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether a label under @widget shows @text. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* The cities entry: Enter adds; blank and duplicate names are refused at the entry. */
static void
test_add_city (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  GtkEditable *entry = GTK_EDITABLE (window_child (window, "city_entry"));
  g_auto(GStrv) cities = NULL;

  gtk_editable_set_text (entry, "  Lyon ");
  g_signal_emit_by_name (entry, "activate");
  cities = g_settings_get_strv (settings, "cities");
  g_assert_cmpuint (g_strv_length (cities), ==, 4);
  g_assert_cmpstr (cities[3], ==, "Lyon");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_null (aw_window_get_entry_message (window));

  gtk_editable_set_text (entry, "paris");
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (strstr (aw_window_get_entry_message (window), "Paris"));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "paris");

  gtk_editable_set_text (entry, "   ");
  g_assert_null (aw_window_get_entry_message (window));
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (aw_window_get_entry_message (window));

  g_assert_false (aw_window_add_city (window, "Bad\x01name"));
  g_assert_nonnull (aw_window_get_entry_message (window));

  g_clear_pointer (&cities, g_strfreev);
  cities = g_settings_get_strv (settings, "cities");
  g_assert_cmpuint (g_strv_length (cities), ==, 4);
  destroy_window (window);
}

static void
assert_chart_matches_run (AwWindow *window)
{
  AwTimingChart *chart = aw_window_get_chart (window);
  AwFetchRun *run = aw_window_get_run (window);

  g_assert_cmpuint (aw_timing_chart_get_n_runs (chart), ==, 1);
  g_assert_cmpuint (aw_timing_chart_get_n_rows (chart), ==, aw_fetch_run_get_n_tasks (run));
  g_assert_cmpint (aw_timing_chart_get_axis_us (chart), >=, aw_fetch_run_get_total_us (run));
  g_assert_false (aw_timing_chart_is_animating (chart));
  for (guint i = 0; i < aw_timing_chart_get_n_rows (chart); i++)
    {
      AwTask *task = aw_timing_chart_get_row_task (chart, i);
      g_autofree char *tooltip = aw_timing_chart_describe_row (chart, i);
      g_autofree char *text = NULL;
      g_autoptr(PangoAttrList) attrs = NULL;
      g_autoptr(GError) error = NULL;
      GSList *list;

      g_assert_true (task == aw_fetch_run_get_task (run, i));
      /* The tooltip is markup: whatever the city's name, it parses and shows that name. */
      pango_parse_markup (tooltip, -1, 0, &attrs, &text, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (text, aw_task_get_city (task)));
      /* Its phase swatches are opaque: a faint one turns black on the dark tooltip. */
      g_assert_nonnull (strstr (text, "■"));
      list = pango_attr_list_get_attributes (attrs);
      for (GSList *l = list; l != NULL; l = l->next)
        g_assert_cmpint (((PangoAttribute *)l->data)->klass->type, !=, PANGO_ATTR_FOREGROUND_ALPHA);
      g_slist_free_full (list, (GDestroyNotify)pango_attribute_destroy);
    }
}

/* Concurrent bars overlap (wall ≈ a third of the tasks' sum); sequential ones stack (wall ≈ the
 * sum). */
static void
test_runs (void)
{
  AwWindow *window = new_window ();
  AwTimingChart *chart = aw_window_get_chart (window);
  AwFetchRun *run;

  run_and_wait (window, AW_MODE_CONCURRENT);
  run = aw_window_get_run (window);
  assert_chart_matches_run (window);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);
  g_assert_true (shows_label (GTK_WIDGET (window), "Concurrent · 3 cities"));
  /* The demo server answers in the window's language (English here), not in French. */
  g_assert_cmpstr (aw_task_get_weather (aw_fetch_run_get_task (run, 0))->condition, ==,
                   "Moderate thunderstorm");
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, 0.6 * aw_fetch_run_get_sum_us (run));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (aw_task_get_phase_us (aw_timing_chart_get_row_task (chart, i),
                                           AW_PHASE_WAIT), >=, LATENCY_US - 20000);
  g_assert_cmpstr (aw_window_get_figure (window, 0), !=, "—");
  g_assert_nonnull (strstr (aw_window_get_figure (window, 2), "×"));
  /* The window kept drawing while it waited: its longest gap is a small part of the tasks' sum
   * (a loaded machine may skip a few frames; Blocking freezes it for the whole sum). */
  g_assert_cmpint (aw_window_get_frame_gap_us (window), <, aw_fetch_run_get_sum_us (run) / 2);
  save_screenshot (GTK_WIDGET (window), "window-concurrent.png");

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  run = aw_window_get_run (window);
  assert_chart_matches_run (window);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), >=, aw_fetch_run_get_sum_us (run));
  g_assert_cmpint (aw_window_get_frame_gap_us (window), <, aw_fetch_run_get_sum_us (run) / 2);

  run_and_wait (window, AW_MODE_LIMITED);
  g_assert_cmpint (aw_fetch_run_get_mode (aw_window_get_run (window)), ==, AW_MODE_LIMITED);

  /* Sequential and concurrent on one axis. */
  g_assert_cmpuint (aw_window_get_n_history (window), ==, 3);
  aw_window_compare (window, 0, 1);
  g_assert_cmpuint (aw_timing_chart_get_n_runs (chart), ==, 2);
  g_assert_cmpuint (aw_timing_chart_get_n_rows (chart), ==, 6);
  /* The axis spans the longer of the two: the sequential run, kept in the history. */
  g_assert_cmpint (aw_timing_chart_get_axis_us (chart), >=, aw_fetch_run_get_total_us (run));
  save_screenshot (GTK_WIDGET (window), "window-compare.png");

  destroy_window (window);
}

/* Work per answer and the sleep workload from the settings; the CPU time under the figures. */
static void
test_work (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  AwRunFigures *figures = aw_window_get_figures (window);
  AwFetchRun *run;

  g_settings_set_int (settings, "work-ms", 100);
  run_and_wait (window, AW_MODE_CONCURRENT);
  run = aw_window_get_run (window);
  g_assert_cmpuint (aw_fetch_run_get_work_ms (run), ==, 100);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_assert_cmpint (aw_task_get_phase_us (aw_fetch_run_get_task (run, i), AW_PHASE_PARSE),
                     >=, 90 * 1000);
  g_assert_nonnull (aw_run_figures_get_cpu (figures));
  g_assert_true (g_str_has_prefix (aw_run_figures_get_cpu (figures), "CPU "));
  g_assert_true (g_str_has_suffix (aw_run_figures_get_cpu (figures), " cores"));

  /* The sleep workload: the demo latency on a timer, no temperature. */
  g_settings_set_enum (settings, "workload", AW_WORKLOAD_SLEEP);
  run_and_wait (window, AW_MODE_SEQUENTIAL);
  run = aw_window_get_run (window);
  g_assert_cmpint (aw_fetch_run_get_workload (run), ==, AW_WORKLOAD_SLEEP);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), >=, 3 * LATENCY_US);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_assert_true (aw_weather_is_sleep (aw_task_get_weather (aw_fetch_run_get_task (run, i))));
  save_screenshot (GTK_WIDGET (window), "window-sleep.png");

  g_settings_set_enum (settings, "workload", AW_WORKLOAD_WEATHER);
  g_settings_set_int (settings, "work-ms", 0);
  destroy_window (window);
}

/* What each frame painted after Run showed, for the Blocking test. */
typedef struct
{
  AwWindow *window;
  guint     running_frames;   /* frames that showed the run live: Stop, the clock, the chart */
  char     *first_clock;
  char     *last_clock;
} Painted;

static void
on_after_paint (GdkFrameClock *frame_clock,
                Painted       *painted)
{
  GtkWidget *window = GTK_WIDGET (painted->window);
  AwFetchRun *run = aw_window_get_run (painted->window);
  GtkWidget *stop = GTK_WIDGET (window_child (AW_WINDOW (window), "stop_button"));
  GtkLabel *clock = GTK_LABEL (window_child (AW_WINDOW (window), "clock_label"));

  /* Blocking holds the loop for the whole run: a frame painted while its run is not
   * finished can only have been painted before the block. */
  if (run == NULL || aw_fetch_run_get_mode (run) != AW_MODE_BLOCKING
      || aw_fetch_run_is_finished (run))
    return;
  g_assert_true (gtk_widget_get_visible (stop));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (clock)));
  g_assert_true (aw_timing_chart_get_n_rows (aw_window_get_chart (painted->window)) == 3);
  painted->running_frames++;
  if (painted->first_clock == NULL)
    painted->first_clock = g_strdup (gtk_label_get_text (clock));
  g_free (painted->last_clock);
  painted->last_clock = g_strdup (gtk_label_get_text (clock));
}

/* Blocking paints its running state first, with a clock that moves, then freezes the window
 * for about the whole run; afterwards the freeze is a band on the chart and a figure. */
static void
test_blocking (void)
{
  AwWindow *window = new_window ();
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Painted painted = { window, 0, NULL, NULL };
  AwFetchRun *run;
  GtkLabel *stall;
  gint64 start_us, end_us;

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  run_and_wait (window, AW_MODE_BLOCKING);
  g_signal_handlers_disconnect_by_data (frame_clock, &painted);
  run = aw_window_get_run (window);

  /* Frames showed the run before the block, and its clock moved on them. */
  g_assert_cmpuint (painted.running_frames, >=, 2);
  g_assert_cmpstr (painted.first_clock, !=, painted.last_clock);
  g_free (painted.first_clock);
  g_free (painted.last_clock);

  g_assert_cmpint (aw_window_get_frame_gap_us (window), >=, 3 * LATENCY_US);
  g_assert_cmpint (aw_window_get_frame_gap_us (window), >=,
                   aw_fetch_run_get_sum_us (run));
  stall = GTK_LABEL (window_child (window, "stall_label"));
  g_assert_nonnull (strstr (gtk_label_get_text (stall), "window frozen\n(a frame is "));
  /* The band covers the run, and is as long as the freeze. */
  g_assert_true (aw_timing_chart_get_freeze (aw_window_get_chart (window), run,
                                             &start_us, &end_us));
  g_assert_cmpint (end_us - start_us, >=, 3 * LATENCY_US);
  g_assert_cmpint (end_us - start_us, <=, aw_window_get_frame_gap_us (window));
  g_assert_cmpint (start_us, <, LATENCY_US);
  save_screenshot (GTK_WIDGET (window), "window-blocking.png");
  destroy_window (window);
}

static void
test_stop (void)
{
  AwWindow *window = new_window ();
  AwFetchRun *run;

  g_settings_set_double (aw_application_get_settings (app), "demo-latency", 30);
  expected_history = 1;
  aw_window_start_run (window, AW_MODE_CONCURRENT);
  wait_for (window, run_live, 5);
  g_assert_true (aw_timing_chart_is_animating (aw_window_get_chart (window)));
  aw_window_stop_run (window);
  wait_for (window, run_recorded, 5);

  run = aw_window_get_run (window);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, i)), ==, AW_TASK_CANCELLED);
  g_assert_cmpint (aw_fetch_run_get_total_us (run), <, 30 * G_USEC_PER_SEC);
  g_assert_true (aw_fetch_run_was_stopped (run));
  /* Its history row says so, before anyone compares its figures. */
  g_assert_true (shows_label (GTK_WIDGET (window), "Concurrent · 3 cities · stopped"));

  /* The marks after stopped and failed bars are in the font, not boxes of a missing glyph. */
  for (AwTaskState state = AW_TASK_QUEUED; state <= AW_TASK_CANCELLED; state++)
    if (aw_timing_chart_get_end_mark (state) != NULL)
      {
        g_autoptr(PangoLayout) layout =
          gtk_widget_create_pango_layout (GTK_WIDGET (aw_window_get_chart (window)),
                                          aw_timing_chart_get_end_mark (state));

        g_assert_cmpint (pango_layout_get_unknown_glyphs_count (layout), ==, 0);
      }
  g_assert_nonnull (aw_timing_chart_get_end_mark (AW_TASK_CANCELLED));
  destroy_window (window);
}

/* Failures show in the window, and the other tasks are not lost. */
static void
test_failures (void)
{
  AwWindow *window = new_window ();
  AwFetchRun *run;

  g_settings_set_double (aw_application_get_settings (app), "demo-failure-rate", 0.34);
  g_settings_set_double (aw_application_get_settings (app), "timeout", 1.0);
  run_and_wait (window, AW_MODE_CONCURRENT);
  run = aw_window_get_run (window);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 1);
  g_assert_false (aw_fetch_run_was_stopped (run));
  g_assert_true (shows_label (GTK_WIDGET (window), "Concurrent · 3 cities · 1 failed"));
  save_screenshot (GTK_WIDGET (window), "window-error.png");
  g_settings_reset (aw_application_get_settings (app), "timeout");
  destroy_window (window);
}

static void
count_finished (AwFetchRun *run,
                guint      *n_finished)
{
  (*n_finished)++;
}

static gboolean
run_ended (gpointer run)
{
  return !aw_fetch_run_is_running (run);
}

/* Closing the window mid-run: no crash, no warning, no callback into the freed window. */
static void
test_close_mid_run (void)
{
  AwWindow *window = new_window ();
  g_autoptr(AwFetchRun) run = NULL;
  guint n_finished = 0;

  /* Answers far off: the run ends early only if closing the window stops it. */
  g_settings_set_double (aw_application_get_settings (app), "demo-latency", 60);
  g_settings_set_double (aw_application_get_settings (app), "demo-latency-max", 60);
  aw_window_start_run (window, AW_MODE_CONCURRENT);
  wait_for (window, run_live, 5);
  run = g_object_ref (aw_window_get_run (window));
  g_signal_connect (run, "finished", G_CALLBACK (count_finished), &n_finished);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  destroy_window (window);

  /* The window is freed, and nothing of it listens to the run any more. */
  g_assert_null (window);
  g_assert_false (g_signal_has_handler_pending (run, g_signal_lookup ("task-changed",
                                                                      AW_TYPE_FETCH_RUN),
                                                0, FALSE));
  g_assert_false (g_signal_has_handler_pending (run, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                                0, FALSE));

  /* The run was stopped: it ends long before its answers, once, with every task ended. */
  aw_test_wait_until (run_ended, run, 20);
  g_assert_cmpuint (n_finished, ==, 1);
  g_assert_true (aw_fetch_run_was_stopped (run));
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);

      g_assert_true (aw_task_is_finished (task));
      g_assert_true (g_error_matches (aw_task_get_error (task), G_IO_ERROR, G_IO_ERROR_CANCELLED));
    }

  g_settings_reset (aw_application_get_settings (app), "demo-latency");
  g_settings_reset (aw_application_get_settings (app), "demo-latency-max");
}

/* Names that are markup, or odd, show as written: in the list, the chart and its tooltips. */
static void
test_odd_names (void)
{
  AwWindow *window = new_window ();
  const char *odd[] = { "<b>Tom & Jerry</b>", "São Paulo", "北京", "a/b?c#d%25", NULL };

  g_settings_set_strv (aw_application_get_settings (app), "cities", odd);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (aw_window_get_run (window)), ==, 0);
  assert_chart_matches_run (window);
  save_screenshot (GTK_WIDGET (window), "window-odd-names.png");
  destroy_window (window);
}

/* Bad saved values are clamped, and the window says so. */
static void
test_bad_settings (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  g_autofree char *provider = NULL;

  /* Saved outside the app: GSettings itself refuses values out of the schema's range. */
  aw_test_settings_write_saved (settings, "limit", g_variant_new_int32 (5000));
  g_assert_cmpint (g_settings_get_int (settings, "limit"), ==, 1000);
  g_assert_nonnull (strstr (aw_window_get_notice (window), "Tasks in flight"));
  g_assert_null (strstr (aw_window_get_notice (window), "“limit”"));

  aw_test_settings_write_saved (settings, "timeout", g_variant_new_double (-3));
  g_assert_cmpfloat (g_settings_get_double (settings, "timeout"), ==, 0.1);

  g_settings_set_string (settings, "provider", "bogus");
  provider = g_settings_get_string (settings, "provider");
  g_assert_cmpstr (provider, ==, "demo");
  g_assert_nonnull (strstr (aw_window_get_notice (window), "bogus"));

  g_settings_reset (settings, "limit");
  g_settings_reset (settings, "timeout");
  destroy_window (window);
}

/* The first widget of @type under @widget whose label text or icon name is @text. */
static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && ((GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
              || (GTK_IS_BUTTON (child)
                  && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), text) == 0)))
        return child;
      if ((found = find_descendant (child, type, text)) != NULL)
        return found;
    }
  return NULL;
}

/* The city list's row that shows @city, or NULL when no row on screen does. */
static GtkWidget *
city_row (AwWindow   *window,
          const char *city)
{
  GtkWidget *list = GTK_WIDGET (window_child (window, "list_view"));

  /* Let the list view bind the rows of the latest list: it does so as it lays out a frame. */
  aw_test_wait_painted (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (find_descendant (row, GTK_TYPE_LABEL, city) != NULL)
      return row;
  return NULL;
}

static void
click_in_row (AwWindow   *window,
              const char *city,
              const char *icon)
{
  GtkWidget *button = find_descendant (city_row (window, city), GTK_TYPE_BUTTON, icon);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_cities (const char * const *expected)
{
  g_auto(GStrv) cities = g_settings_get_strv (aw_application_get_settings (app), "cities");

  g_assert_true (g_strv_equal ((const char * const *)cities, expected));
}

/* The rows' buttons move and remove the city they show, their results show as each task
 * ends, and a list of 1000 cities builds only the rows near the screen. */
static void
test_city_list (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) many = NULL;
  GtkWidget *list, *row;
  guint n_rows = 0;

  row = city_row (window, "Paris");
  g_assert_nonnull (find_descendant (row, GTK_TYPE_LABEL, "Not fetched yet"));
  /* Icon buttons have a name for screen readers. */
  gtk_test_accessible_assert_property (find_descendant (row, GTK_TYPE_BUTTON,
                                                        "user-trash-symbolic"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove Paris");
  g_assert_false (gtk_widget_get_sensitive (find_descendant (row, GTK_TYPE_BUTTON,
                                                             "go-up-symbolic")));
  click_in_row (window, "Paris", "go-down-symbolic");
  assert_cities ((const char *[]) { "Toulouse", "Paris", "Marseille", NULL });
  click_in_row (window, "Marseille", "go-up-symbolic");
  assert_cities ((const char *[]) { "Toulouse", "Marseille", "Paris", NULL });
  /* Paris is last now: its row says so. */
  g_assert_false (gtk_widget_get_sensitive (find_descendant (city_row (window, "Paris"),
                                                             GTK_TYPE_BUTTON,
                                                             "go-down-symbolic")));
  click_in_row (window, "Toulouse", "user-trash-symbolic");
  assert_cities ((const char *[]) { "Marseille", "Paris", NULL });
  g_assert_null (city_row (window, "Toulouse"));

  /* Marseille's row stayed, but it is first now. */
  g_assert_false (gtk_widget_get_sensitive (find_descendant (city_row (window, "Marseille"),
                                                             GTK_TYPE_BUTTON,
                                                             "go-up-symbolic")));
  /* A city added below Paris: Paris can move down again. */
  g_assert_true (aw_window_add_city (window, "Lyon"));
  click_in_row (window, "Paris", "go-down-symbolic");
  assert_cities ((const char *[]) { "Marseille", "Lyon", "Paris", NULL });

  /* A row shows its city's result as soon as its task ends, not at the end of the run. */
  expected_history = aw_window_get_n_history (window) + 1;
  aw_window_start_run (window, AW_MODE_SEQUENTIAL);
  wait_for (window, first_task_done_mid_run, 10);
  g_assert_null (find_descendant (city_row (window, "Marseille"), GTK_TYPE_LABEL,
                                  "Not fetched yet"));
  g_assert_nonnull (find_descendant (city_row (window, "Paris"), GTK_TYPE_LABEL,
                                     "Not fetched yet"));
  wait_for (window, run_recorded, 10);

  /* Every request fails: each row shows its own task's error. */
  g_settings_set_double (settings, "demo-failure-rate", 1);
  g_settings_set_double (settings, "timeout", 1.0);
  run_and_wait (window, AW_MODE_CONCURRENT);
  for (guint i = 0; i < 2; i++)
    {
      AwTask *task = aw_fetch_run_get_task (aw_window_get_run (window), i);

      g_assert_nonnull (aw_task_get_error (task));
      g_assert_nonnull (find_descendant (city_row (window, aw_task_get_city (task)),
                                         GTK_TYPE_LABEL, aw_task_get_error (task)->message));
    }
  g_settings_set_double (settings, "demo-failure-rate", 0);
  g_settings_reset (settings, "timeout");

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *city = g_strdup_printf ("city%u", i);

      g_strv_builder_add (builder, city);
    }
  many = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "cities", (const char * const *)many);
  g_assert_nonnull (city_row (window, "city0"));
  list = GTK_WIDGET (window_child (window, "list_view"));
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n_rows++;
  g_assert_cmpuint (n_rows, <, 500);
  destroy_window (window);
}

static guint wanted_cities;

static gboolean
has_wanted_cities (AwWindow *window)
{
  g_auto(GStrv) cities = g_settings_get_strv (aw_application_get_settings (app), "cities");

  return g_strv_length (cities) == wanted_cities;
}

static gboolean
completion_ready (AwWindow *window)
{
  GtkWidget *entry = GTK_WIDGET (window_child (window, "city_entry"));
  g_autofree char *prefix = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  prefix = gtk_entry_completion_compute_prefix (gtk_entry_get_completion (GTK_ENTRY (entry)),
                                                "Buenos");
  G_GNUC_END_IGNORE_DEPRECATIONS
  return prefix != NULL;
}

/* Pastes @text into the city entry through the clipboard, as Ctrl+V does. */
static void
paste_into_entry (AwWindow   *window,
                  const char *text,
                  guint       expected)
{
  GtkWidget *entry = GTK_WIDGET (window_child (window, "city_entry"));
  GtkWidget *delegate = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (delegate), text);
  gtk_widget_grab_focus (delegate);
  g_signal_emit_by_name (delegate, "paste-clipboard");
  wanted_cities = expected;
  wait_for (window, has_wanted_cities, 20);
}

/* Many cities at once: a pasted list, sample place names, Remove All, and Undo. */
static void
test_paste_cities (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  GtkWidget *count = GTK_WIDGET (window_child (window, "city_count"));
  GtkEditable *entry = GTK_EDITABLE (window_child (window, "city_entry"));
  const char * const *samples;
  g_autoptr(GString) list = g_string_new (NULL);
  const char *none[] = { NULL };
  guint n_samples;

  /* Lines: each one a city, not one name with control characters. */
  paste_into_entry (window, "Lyon\nNantes\r\nNice\n", 6);
  assert_cities ((const char *[]) { "Paris", "Toulouse", "Marseille", "Lyon", "Nantes", "Nice",
                                    NULL });
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_cmpstr (aw_window_get_entry_message (window), ==, "Added 3 cities.");

  /* Commas and semicolons typed on one line, and Enter. */
  for (const char *c = "Brest, Rennes; paris"; *c != '\0'; c++)
    {
      int position = -1;

      gtk_editable_insert_text (entry, c, 1, &position);
    }
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Brest, Rennes; paris");
  g_signal_emit_by_name (entry, "activate");
  assert_cities ((const char *[]) { "Paris", "Toulouse", "Marseille", "Lyon", "Nantes", "Nice",
                                    "Brest", "Rennes", NULL });
  g_assert_nonnull (strstr (aw_window_get_entry_message (window), "“paris”: already in the list"));

  /* 1000 real place names, with a bad name and a duplicate among them. */
  samples = aw_city_import_get_samples (&n_samples);
  g_assert_cmpuint (n_samples, >=, 1000);
  g_settings_set_strv (settings, "cities", none);
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (list, "%s\n", samples[i]);
  g_string_append_printf (list, "Bad\tname\n%s\n", samples[0]);
  paste_into_entry (window, list->str, 1000);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (count)), ==, "1000");
  g_assert_nonnull (strstr (aw_window_get_entry_message (window), "Added 1000 cities."));
  g_assert_nonnull (strstr (aw_window_get_entry_message (window), "2 not added"));
  g_assert_nonnull (strstr (aw_window_get_entry_message (window), "control character"));
  g_assert_nonnull (strstr (aw_window_get_entry_message (window), "“Bad\\tname”"));
  g_assert_nonnull (city_row (window, samples[0]));
  /* Each of them a task of its own, on the demo server. */
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (aw_fetch_run_get_n_tasks (aw_window_get_run (window)), ==, 1000);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (aw_window_get_run (window)), ==, 0);
  g_test_message ("1000 pasted cities, concurrent: longest frame %.0f ms",
                  aw_window_get_frame_gap_us (window) / 1000.0);
  save_screenshot (GTK_WIDGET (window), "cities-1000.png");

  /* Remove All, then Undo brings them all back. */
  gtk_widget_activate_action (GTK_WIDGET (aw_window_get_city_panel (window)), "cities.remove-all", NULL);
  wanted_cities = 0;
  wait_for (window, has_wanted_cities, 5);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (count)), ==, "");
  g_assert_null (aw_window_get_entry_message (window));
  save_screenshot (GTK_WIDGET (window), "cities-removed.png");
  gtk_widget_activate_action (GTK_WIDGET (aw_window_get_city_panel (window)), "cities.undo-remove", NULL);
  wanted_cities = 1000;
  wait_for (window, has_wanted_cities, 5);

  /* One removed with its row's button, undone to its place. */
  click_in_row (window, samples[0], "user-trash-symbolic");
  g_assert_null (city_row (window, samples[0]));
  gtk_widget_activate_action (GTK_WIDGET (aw_window_get_city_panel (window)), "cities.undo-remove", NULL);
  g_assert_nonnull (city_row (window, samples[0]));
  {
    g_auto(GStrv) cities = g_settings_get_strv (settings, "cities");

    g_assert_cmpstr (cities[0], ==, samples[0]);
  }

  /* Typing offers the same place names: "Buenos" completes to "Buenos Aires". */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    GtkEntryCompletion *completion = gtk_entry_get_completion (GTK_ENTRY (entry));
    g_autofree char *prefix = NULL;

    g_assert_nonnull (completion);
    for (const char *c = "Buenos"; *c != '\0'; c++)
      {
        int position = gtk_editable_get_position (entry);

        gtk_editable_insert_text (entry, c, 1, &position);
        gtk_editable_set_position (entry, position);
        g_main_context_iteration (NULL, FALSE);
      }
    /* The completion filters its list a moment after the last key. */
    wait_for (window, completion_ready, 5);
    prefix = gtk_entry_completion_compute_prefix (completion, "Buenos");
    g_assert_cmpstr (prefix, ==, "Buenos Aires");
    gtk_editable_set_text (entry, "");
  }
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Samples: the next ten not in the list. */
  gtk_widget_activate_action (GTK_WIDGET (aw_window_get_city_panel (window)), "cities.add-samples", "u", 10);
  wanted_cities = 1010;
  wait_for (window, has_wanted_cities, 5);

  /* A text file, as the import menu reads it: CRLF lines and commas. */
  {
    g_autofree char *path = g_build_filename (SCREENSHOT_DIR, "import-cities.txt", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);

    g_assert_true (g_file_set_contents (path, "Quimper\r\nVannes, Lorient\r\n", -1, NULL));
    aw_window_import_cities (window, file);
    wanted_cities = 1013;
    wait_for (window, has_wanted_cities, 10);
    g_assert_cmpstr (aw_window_get_entry_message (window), ==, "Added 3 cities.");
  }
  destroy_window (window);
}

static int usual_row_height;

static gboolean
rows_grew (AwWindow *window)
{
  return aw_timing_chart_get_row_height (aw_window_get_chart (window)) > usual_row_height;
}

/* Presentation mode hides the sidebar and makes text and bars larger; few bars fill the
 * chart's height; the mode menu says each mode's Python. */
static void
test_presentation (void)
{
  AwWindow *window = new_window ();
  AwTimingChart *chart = aw_window_get_chart (window);
  GtkWidget *sidebar = GTK_WIDGET (window_child (window, "sidebar"));
  GtkWidget *dropdown = GTK_WIDGET (window_child (window, "mode_dropdown"));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) many = NULL;
  int few_height, many_height;

  g_assert_nonnull (strstr (aw_window_get_mode_python (AW_MODE_SEQUENTIAL), "requests.get"));
  g_assert_nonnull (strstr (aw_window_get_mode_python (AW_MODE_CONCURRENT), "asyncio.gather"));
  g_assert_nonnull (strstr (aw_window_get_mode_python (AW_MODE_LIMITED), "asyncio.Semaphore(K)"));
  g_assert_nonnull (strstr (aw_window_get_mode_python (AW_MODE_THREADS), "ThreadPoolExecutor"));
  g_assert_nonnull (strstr (aw_window_get_mode_python (AW_MODE_BLOCKING), "time.sleep"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), AW_MODE_LIMITED);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (dropdown), "asyncio.Semaphore(K)"));
  /* The mode menu and the K spin button are bound to their settings, both ways, and K's
   * bounds are the schema's range. */
  {
    GSettings *settings = aw_application_get_settings (app);
    GtkSpinButton *limit = GTK_SPIN_BUTTON (window_child (window, "limit_spin"));
    g_autofree char *mode = g_settings_get_string (settings, "mode");
    double min, max;

    g_assert_cmpstr (mode, ==, "limited");
    g_settings_set_string (settings, "mode", "threads");
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, AW_MODE_THREADS);
    g_settings_reset (settings, "mode");
    g_assert_true (aw_settings_get_range (settings, "limit", &min, &max));
    g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (limit)), ==, min);
    g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (limit)), ==, max);
    g_settings_set_int (settings, "limit", 7);
    g_assert_cmpfloat (gtk_spin_button_get_value (limit), ==, 7);
    g_settings_reset (settings, "limit");
  }

  /* Three bars share the chart's height rather than sit at its top. */
  run_and_wait (window, AW_MODE_CONCURRENT);
  few_height = aw_timing_chart_get_row_height (chart);
  g_assert_cmpint (3 * few_height, >=, gtk_widget_get_height (GTK_WIDGET (chart)) / 2);

  /* Sixty bars at the usual height, then larger in presentation mode. */
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *city = g_strdup_printf ("Ville %u", i);

      g_strv_builder_add (builder, city);
    }
  many = g_strv_builder_end (builder);
  g_settings_set_strv (aw_application_get_settings (app), "cities", (const char * const *)many);
  run_and_wait (window, AW_MODE_CONCURRENT);
  many_height = aw_timing_chart_get_row_height (chart);
  g_assert_cmpint (many_height, <, few_height);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_true (aw_window_get_presentation (window));
  g_assert_false (gtk_widget_get_visible (sidebar));
  usual_row_height = many_height;
  wait_for (window, rows_grew, 10);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_false (aw_window_get_presentation (window));
  g_assert_true (gtk_widget_get_visible (sidebar));

  /* The classroom's picture: the tutorial's three cities, sequential, in presentation mode. */
  g_settings_set_strv (aw_application_get_settings (app), "cities",
                       (const char *[]) { "Paris", "Toulouse", "Marseille", NULL });
  aw_window_set_presentation (window, TRUE);
  run_and_wait (window, AW_MODE_SEQUENTIAL);
  save_screenshot (GTK_WIDGET (window), "presentation.png");
  aw_window_set_presentation (window, FALSE);
  destroy_window (window);
}

/* The share of a row band of @texture's pixels that are not white. */
static double
ink_in_rows (GdkTexture *texture,
             const guchar *pixels,
             int          from,
             int          to)
{
  int width = gdk_texture_get_width (texture);
  guint64 ink = 0;

  for (int y = from; y < to; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + (gsize)y * width * 4 + x * 4;

        if (p[0] < 0xf0 || p[1] < 0xf0 || p[2] < 0xf0)
          ink++;
      }
  return ink / (double)((to - from) * width);
}

/* The PNG for a slide: 1600×900, white whatever the theme, something drawn in each part. */
static void
test_export_png (void)
{
  AwWindow *window = new_window ();
  g_autofree char *path = g_build_filename (SCREENSHOT_DIR, "export.png", NULL);

  set_dark (TRUE);
  run_and_wait (window, AW_MODE_SEQUENTIAL);
  for (guint dark = 0; dark < 2; dark++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree guchar *pixels = NULL;
      int height;

      g_assert_true (aw_window_export_png (window, path, &error));
      g_assert_no_error (error);
      texture = gdk_texture_new_from_filename (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 1600);
      height = gdk_texture_get_height (texture);
      g_assert_cmpint (height, ==, 900);
      pixels = g_malloc ((gsize)1600 * height * 4);
      gdk_texture_download (texture, pixels, 1600 * 4);
      /* White corners, in the dark theme too. */
      g_assert_cmphex (pixels[0] & pixels[1] & pixels[2], ==, 0xff);
      /* Ink in each quarter of the height: title, chart, chart, legend and figures. */
      for (int quarter = 0; quarter < 4; quarter++)
        g_assert_cmpfloat (ink_in_rows (texture, pixels, quarter * height / 4,
                                        (quarter + 1) * height / 4), >, 0.01);
      set_dark (FALSE);
    }
  g_test_message ("export: %s", path);
  destroy_window (window);
}

static gboolean
sequential_run_live (AwWindow *window)
{
  AwFetchRun *run = aw_window_get_run (window);

  return run_live (window) && aw_fetch_run_get_mode (run) == AW_MODE_SEQUENTIAL;
}

/* app.run(mode), which a second "async-weather --run=MODE" activates in the first process
 * over D-Bus, starts that run in the open window. */
static void
test_run_action (void)
{
  AwWindow *window = new_window ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "run",
                                  g_variant_new_string ("sequential"));
  wait_for (window, sequential_run_live, 10);
  expected_history = 1;
  wait_for (window, run_recorded, 10);
  destroy_window (window);
}

static double
luminance (const GdkRGBA *color)
{
  const float channels[3] = { color->red, color->green, color->blue };
  const double weights[3] = { 0.2126, 0.7152, 0.0722 };
  double sum = 0;

  for (guint i = 0; i < 3; i++)
    sum += weights[i] * (channels[i] <= 0.03928 ? channels[i] / 12.92
                                                : pow ((channels[i] + 0.055) / 1.055, 2.4));
  return sum;
}

/* WCAG's contrast ratio of two colours, from 1 to 21. */
static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* A task's error reads in both themes (WCAG AA, 4.5:1 on the list's background) and shows
 * whole in its row and its tooltip. */
static void
test_error_text (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  const char *long_name = "A city whose name is long enough to make its error long too";

  g_settings_set_strv (settings, "cities", (const char *[]) { long_name, NULL });
  g_settings_set_double (settings, "demo-failure-rate", 1);
  g_settings_set_double (settings, "timeout", 1.0);
  run_and_wait (window, AW_MODE_CONCURRENT);
  for (guint dark = 0; dark < 2; dark++)
    {
      AwTask *task = aw_fetch_run_get_task (aw_window_get_run (window), 0);
      GtkWidget *label;
      GdkRGBA text, background;

      set_dark (!dark);
      label = find_descendant (city_row (window, long_name), GTK_TYPE_LABEL,
                               aw_task_get_error (task)->message);
      g_assert_nonnull (label);
      g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_NONE);
      g_assert_cmpstr (g_object_get_data (G_OBJECT (label), "row-tooltip"), ==,
                       aw_task_get_error (task)->message);
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (label), &text);
      g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (label),
                                                     "theme_base_color", &background));
      G_GNUC_END_IGNORE_DEPRECATIONS
      g_test_message ("error text contrast, %s theme: %.1f:1", dark ? "light" : "dark",
                      contrast (&text, &background));
      g_assert_cmpfloat (contrast (&text, &background), >=, 4.5);
    }
  g_settings_set_double (settings, "demo-failure-rate", 0);
  g_settings_reset (settings, "timeout");
  destroy_window (window);
}

/* The soft limit of open files main () set, below the hard one, before the app started. */
static rlim_t lowered_open_files;

/* A run of thousands of cities needs more than the usual 1024 open files: the app raised the
 * soft limit that main () lowered. */
static void
test_open_files (void)
{
  struct rlimit open_files;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &open_files), ==, 0);
  g_assert_cmpuint (lowered_open_files, <, open_files.rlim_max);
  g_assert_cmpuint (open_files.rlim_cur, ==, open_files.rlim_max);
}

/* Xvfb's GL is Mesa's llvmpipe, drawing on the CPU: the window draws with cairo instead. */
static void
test_software_gl (void)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  AwWindow *window;

  /* The condition first: GL there is, and it is software. */
  context = gdk_display_create_gl_context (gdk_display_get_default (), &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_autofree char *reason = g_strdup_printf ("No GL on this display (%s): install Mesa's "
                                                 "libgl1-mesa-dri", error->message);

      g_test_skip (reason);
      return;
    }
  gdk_gl_context_make_current (context);
  renderer = (const char *)glGetString (GL_RENDERER);
  g_test_message ("GL renderer: %s", renderer);
  g_assert_true (strstr (renderer, "llvmpipe") != NULL || strstr (renderer, "softpipe") != NULL
                 || strstr (renderer, "swrast") != NULL);
  gdk_gl_context_clear_current ();

  window = new_window ();
  aw_test_wait_painted (GTK_WIDGET (window));
  g_assert_true (GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))));
  destroy_window (window);
}

/* Mid-run: a city removed, the provider changed, Run again, Stop: the run ends whole. */
static void
test_changes_mid_run (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  const char *fewer[] = { "Paris", NULL };
  AwFetchRun *run;

  g_settings_set_double (settings, "demo-latency", 1);
  g_settings_set_double (settings, "demo-latency-max", 1);
  aw_window_start_run (window, AW_MODE_CONCURRENT);
  wait_for (window, run_live, 5);
  run = aw_window_get_run (window);

  g_settings_set_strv (settings, "cities", fewer);
  g_settings_set_string (settings, "provider", "open-meteo");
  aw_window_start_run (window, AW_MODE_SEQUENTIAL);
  g_assert_true (aw_window_get_run (window) == run);

  expected_history = aw_window_get_n_history (window) + 1;
  wait_for (window, run_recorded, 10);
  g_assert_cmpuint (aw_fetch_run_get_n_tasks (run), ==, 3);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (run), ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_true (aw_task_is_finished (aw_fetch_run_get_task (run, i)));

  g_settings_reset (settings, "provider");
  destroy_window (window);
}

/* The @n-th widget of @type under @widget, depth first. */
static GtkWidget *
nth_widget (GtkWidget *widget,
            GType      type,
            guint      n)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, widget);
  while (stack->len > 0)
    {
      GtkWidget *next = g_ptr_array_steal_index (stack, stack->len - 1);
      GtkWidget *child;

      if (G_TYPE_CHECK_INSTANCE_TYPE (next, type) && n-- == 0)
        return next;
      /* Children pushed last first, so that the first child comes out first. */
      for (child = gtk_widget_get_last_child (next); child != NULL;
           child = gtk_widget_get_prev_sibling (child))
        g_ptr_array_add (stack, child);
    }
  return NULL;
}

static GtkSpinButton *watched_spin;

static gboolean
spin_shows_five (AwWindow *window)
{
  return gtk_spin_button_get_value (watched_spin) == 5;
}

/* Preferences: a header bar, controls that show and change their settings, and it closes. */
static void
test_preferences (void)
{
  AwWindow *window = new_window ();
  GSettings *settings = aw_application_get_settings (app);
  GtkWidget *preferences = aw_preferences_window_new (GTK_WINDOW (window), settings);
  g_autofree char *provider = NULL;
  GtkSpinButton *latency, *latency_max, *failure;
  GtkDropDown *service;
  GListModel *labels;
  guint n_providers;
  /* The spin buttons in order, and the scale of each on screen. */
  static const struct { const char *key; double scale; } spins[] = {
    { "demo-latency", 1 }, { "demo-latency-max", 1 }, { "demo-failure-rate", 100 },
    { "timeout", 1 }, { "conns-per-host", 1 }, { "work-ms", 1 },
  };
  GtkDropDown *workload;

  g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *)&preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  /* A header bar of its own: a title and a close button even where the window manager
   * would draw none. */
  g_assert_nonnull (find_widget (preferences, ADW_TYPE_HEADER_BAR));

  /* The services, in the provider table's order, under its labels. */
  service = GTK_DROP_DOWN (find_widget (preferences, GTK_TYPE_DROP_DOWN));
  labels = gtk_drop_down_get_model (service);
  for (n_providers = 0; aw_providers[n_providers].name != NULL; n_providers++)
    {
      g_autoptr(GtkStringObject) label = g_list_model_get_item (labels, n_providers);

      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_string_object_get_string (label), ==, _(aw_providers[n_providers].label));
    }
  g_assert_cmpuint (g_list_model_get_n_items (labels), ==, n_providers);
  /* It follows the setting, and sets it. */
  g_settings_set_string (settings, "provider", "prevision");
  g_assert_cmpuint (gtk_drop_down_get_selected (service), ==, 1);
  g_settings_set_string (settings, "provider", "demo");
  g_assert_cmpuint (gtk_drop_down_get_selected (service), ==, 0);
  gtk_drop_down_set_selected (service, 2);
  provider = g_settings_get_string (settings, "provider");
  g_assert_cmpstr (provider, ==, "open-meteo");
  gtk_drop_down_set_selected (service, 0);
  g_clear_pointer (&provider, g_free);
  provider = g_settings_get_string (settings, "provider");
  g_assert_cmpstr (provider, ==, "demo");

  /* Every spin button's bounds are its key's range in the schema. */
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      GtkAdjustment *adjustment =
        gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (nth_widget (preferences,
                                                                      GTK_TYPE_SPIN_BUTTON, i)));
      double min, max;

      g_assert_true (aw_settings_get_range (settings, spins[i].key, &min, &max));
      g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (adjustment),
                                      min * spins[i].scale, 1e-9);
      g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (adjustment),
                                      max * spins[i].scale, 1e-9);
    }
  g_assert_null (nth_widget (preferences, GTK_TYPE_SPIN_BUTTON, G_N_ELEMENTS (spins)));

  /* The first spin button is the demo server's latency. */
  latency = GTK_SPIN_BUTTON (find_widget (preferences, GTK_TYPE_SPIN_BUTTON));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (latency), LATENCY_S, 1e-9);
  gtk_spin_button_set_value (latency, 0.7);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "demo-latency"), 0.7, 1e-9);
  g_settings_set_double (settings, "demo-latency", LATENCY_S);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (latency), LATENCY_S, 1e-9);

  /* "Latency up to" follows a latency raised above it. */
  latency_max = GTK_SPIN_BUTTON (nth_widget (preferences, GTK_TYPE_SPIN_BUTTON, 1));
  gtk_spin_button_set_value (latency, 5);
  watched_spin = latency_max;
  wait_for (window, spin_shows_five, 5);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "demo-latency-max"), 5, 1e-9);
  /* And the latency follows an "up to" lowered below it. */
  gtk_spin_button_set_value (latency_max, 1);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "demo-latency"), 1, 1e-9);

  /* The failure rate is a percentage: 50 means half of the requests. */
  failure = GTK_SPIN_BUTTON (nth_widget (preferences, GTK_TYPE_SPIN_BUTTON, 2));
  gtk_spin_button_set_value (failure, 50);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "demo-failure-rate"), 0.5,
                                  1e-9);
  g_settings_set_double (settings, "demo-failure-rate", 0.25);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (failure), 25, 1e-9);
  g_settings_set_double (settings, "demo-failure-rate", 0);
  g_settings_set_double (settings, "demo-latency", LATENCY_S);
  g_settings_set_double (settings, "demo-latency-max", LATENCY_S);

  /* The workload: Weather or Sleep only, both ways. */
  workload = GTK_DROP_DOWN (nth_widget (preferences, GTK_TYPE_DROP_DOWN, 1));
  g_assert_cmpuint (gtk_drop_down_get_selected (workload), ==, 0);
  gtk_drop_down_set_selected (workload, 1);
  g_assert_cmpint (g_settings_get_enum (settings, "workload"), ==, AW_WORKLOAD_SLEEP);
  g_settings_set_enum (settings, "workload", AW_WORKLOAD_WEATHER);
  g_assert_cmpuint (gtk_drop_down_get_selected (workload), ==, 0);

  save_screenshot (preferences, "preferences.png");

  /* What Escape does. */
  gtk_widget_activate_action (preferences, "window.close", NULL);
  for (guint i = 0; i < 20 && preferences != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (preferences);
  destroy_window (window);
}

/* A label's foreground colour, as the theme gives it. */
static void
label_color (AwWindow *window,
             GdkRGBA  *color)
{
  GtkWidget *label = find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (label), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* The dark style: the window's style manager says dark, and its text is drawn light. */
static void
test_dark (void)
{
  AwWindow *window = new_window ();
  AdwStyleManager *style = adw_style_manager_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  GdkRGBA light, dark;
  g_autofree char *light_text = NULL;
  g_autofree char *dark_text = NULL;

  g_assert_false (adw_style_manager_get_dark (style));
  label_color (window, &light);

  set_dark (TRUE);
  g_assert_true (adw_style_manager_get_dark (style));
  run_and_wait (window, AW_MODE_SEQUENTIAL);
  save_screenshot (GTK_WIDGET (window), "window-dark.png");
  label_color (window, &dark);
  light_text = gdk_rgba_to_string (&light);
  dark_text = gdk_rgba_to_string (&dark);
  g_test_message ("label colour: light %s, dark %s", light_text, dark_text);
  /* Dark text on the light style, light text on the dark one. */
  g_assert_cmpfloat (light.red + light.green + light.blue, <, 1.5);
  g_assert_cmpfloat (dark.red + dark.green + dark.blue, >, 1.5);

  set_dark (FALSE);
  g_assert_false (adw_style_manager_get_dark (style));
  destroy_window (window);
}

/* A toplevel window by its widget name, or NULL. */
static GtkWidget *
find_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (toplevel), name) == 0)
        return toplevel;
    }
  return NULL;
}

static gboolean
toplevel_gone (gpointer name)
{
  return find_toplevel (name) == NULL;
}

/* Clicks the button under @widget whose label is @label, as a person does. */
static gboolean
click_button_labelled (GtkWidget  *widget,
                       const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    {
      g_signal_emit_by_name (widget, "clicked");
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (click_button_labelled (child, label))
      return TRUE;
  return FALSE;
}

/* More than 100 cities against a real service: Run asks first, and Cancel (or closing the
 * question) runs nothing. The demo server asks nothing. (Consenting would reach the real service: not from a test.) */
static void
test_many_cities_consent (void)
{
  GSettings *settings = aw_application_get_settings (app);
  AwWindow *window = new_window ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) cities = NULL;
  GtkWidget *dialog;

  for (guint i = 0; i < 101; i++)
    {
      g_autofree char *city = g_strdup_printf ("city%u", i);

      g_strv_builder_add (builder, city);
    }
  cities = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "cities", (const char * const *)cities);
  g_settings_set_string (settings, "provider", "prevision");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel ("run-consent");
  g_assert_nonnull (dialog);
  g_assert_true (shows_label (dialog, "Send This Many Requests?"));
  g_assert_null (aw_window_get_run (window));
  g_assert_true (click_button_labelled (dialog, "_Cancel"));
  aw_test_wait_until (toplevel_gone, "run-consent", 10);
  g_assert_null (aw_window_get_run (window));

  /* Every way in asks: the app's --run goes straight to aw_window_start_run(). */
  aw_window_start_run (window, AW_MODE_THREADS);
  dialog = find_toplevel ("run-consent");
  g_assert_nonnull (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (find_toplevel ("run-consent"));
  g_assert_null (aw_window_get_run (window));

  /* A sleep sends the service nothing: no question. */
  g_settings_set_enum (settings, "workload", AW_WORKLOAD_SLEEP);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_toplevel ("run-consent"));
  wait_for (window, run_live, 10);
  aw_window_stop_run (window);
  expected_history = 1;
  wait_for (window, run_recorded, 30);
  g_settings_set_enum (settings, "workload", AW_WORKLOAD_WEATHER);

  g_settings_set_string (settings, "provider", "demo");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_null (find_toplevel ("run-consent"));
  wait_for (window, run_live, 10);
  aw_window_stop_run (window);
  expected_history = 2;
  wait_for (window, run_recorded, 30);
  destroy_window (window);
}

/* The widget under @widget named @name, depth first. */
static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* More connections per host than a browser would open, towards a real service: a warning. */
static void
test_conns_warning (void)
{
  GSettings *settings = aw_application_get_settings (app);
  AwWindow *window = new_window ();
  GtkWidget *preferences;
  GtkWidget *warning;

  g_settings_set_string (settings, "provider", "prevision");
  g_settings_set_int (settings, "conns-per-host", 10);
  preferences = aw_preferences_window_new (GTK_WINDOW (window), settings);
  gtk_window_present (GTK_WINDOW (preferences));
  warning = find_named (preferences, "conns-warning");
  g_assert_nonnull (warning);
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (warning)), "10 connections"));

  g_settings_set_int (settings, "conns-per-host", 6);
  g_assert_false (gtk_widget_get_visible (warning));
  g_settings_set_int (settings, "conns-per-host", 12);
  g_assert_true (gtk_widget_get_visible (warning));
  g_settings_set_string (settings, "provider", "demo");
  g_assert_false (gtk_widget_get_visible (warning));

  g_settings_reset (settings, "conns-per-host");
  gtk_window_destroy (GTK_WINDOW (preferences));
  destroy_window (window);
}

/* Presses @keyval on @widget as the keyboard does: the first shortcut bound to it on the way
 * up from @widget to the window acts (GTK 4 has no way to send a key event itself). */
static gboolean
press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  modifiers)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

              if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted)
                  && gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                   gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  return FALSE;
}

static const char *focused_city;

static gboolean
city_focused (AwWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *row = city_row (window, focused_city);

  return focus != NULL && row != NULL && (focus == row || gtk_widget_is_ancestor (focus, row));
}

/* The city list is one tab stop: its rows' buttons are not, and the keys on the focused row
 * move it (Alt+Up, Alt+Down) and remove it (Delete), the keyboard staying on the list; a
 * removal says so in a toast with Undo. */
static void
test_city_keys (void)
{
  AwWindow *window = new_window ();
  GtkWidget *row = city_row (window, "Toulouse");

  g_assert_nonnull (row);
  g_assert_false (gtk_widget_get_focusable (find_descendant (row, GTK_TYPE_BUTTON,
                                                             "user-trash-symbolic")));
  g_assert_false (gtk_widget_get_focusable (find_descendant (row, GTK_TYPE_BUTTON,
                                                             "go-up-symbolic")));
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Up, GDK_ALT_MASK));
  assert_cities ((const char *[]) { "Toulouse", "Paris", "Marseille", NULL });
  focused_city = "Toulouse";
  wait_for (window, city_focused, 5);
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Down, GDK_ALT_MASK));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Down, GDK_ALT_MASK));
  assert_cities ((const char *[]) { "Paris", "Marseille", "Toulouse", NULL });

  g_assert_true (gtk_widget_grab_focus (city_row (window, "Paris")));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Delete, 0));
  assert_cities ((const char *[]) { "Marseille", "Toulouse", NULL });
  g_assert_cmpstr (aw_window_get_toast (window), ==, "Removed Paris");
  /* The keyboard stays in the list, on the city that took the place. */
  focused_city = "Marseille";
  wait_for (window, city_focused, 5);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", NULL);
  assert_cities ((const char *[]) { "Paris", "Marseille", "Toulouse", NULL });

  /* One tab stop: Tab from a row leaves the list. */
  g_assert_true (gtk_widget_grab_focus (city_row (window, "Paris")));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Tab, 0));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                          GTK_WIDGET (window_child (window, "list_view"))));
  /* And Shift+Tab from a row goes back to the entry. */
  g_assert_true (gtk_widget_grab_focus (city_row (window, "Marseille")));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_ISO_Left_Tab,
                            GDK_SHIFT_MASK));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (window_child (window, "city_entry"))));

  /* Outside the list, Delete is the entry's own. */
  aw_city_panel_focus_entry (aw_window_get_city_panel (window));
  press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Delete, 0);
  assert_cities ((const char *[]) { "Paris", "Marseille", "Toulouse", NULL });
  destroy_window (window);
}

static int wanted_width;

/* The window's width as asked, give or take its frame: asked again while it is not, since a
 * folded sidebar lets the window become narrower than it could before folding. */
static gboolean
has_width (AwWindow *window)
{
  int width = gtk_widget_get_width (GTK_WIDGET (window));

  if (ABS (width - wanted_width) <= 16)
    return TRUE;
  gtk_window_set_default_size (GTK_WINDOW (window), wanted_width, 800);
  return FALSE;
}

static void
resize (AwWindow *window,
        int       width)
{
  wanted_width = width;
  gtk_window_set_default_size (GTK_WINDOW (window), width, 800);
  wait_for (window, has_width, 10);
  /* Painted at that width, the flap folded or unfolded. */
  aw_test_wait_painted (GTK_WIDGET (window));
}

/* A narrow window folds the sidebar away (its button, F9 and Ctrl+L show it over the chart)
 * and lays the figures out two by two; a wide one shows both side by side. */
static void
test_narrow (void)
{
  AwWindow *window = new_window ();
  GtkWidget *button = GTK_WIDGET (window_child (window, "sidebar_button"));
  GtkWidget *figures = GTK_WIDGET (aw_window_get_figures (window));
  graphene_rect_t wall, stall;

  run_and_wait (window, AW_MODE_CONCURRENT);
  resize (window, 1200);
  g_assert_false (aw_window_get_folded (window));
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (window_child (window, "flap"))));

  resize (window, 400);
  g_assert_true (aw_window_get_folded (window));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (window_child (window, "flap"))));
  /* Two figures a line: the longest frame is under the wall time, not cut off at the edge. */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window_child (window, "wall_label")),
                                            figures, &wall));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window_child (window, "stall_label")),
                                            figures, &stall));
  g_assert_cmpfloat (stall.origin.y, >, wall.origin.y + wall.size.height - 1);
  g_assert_cmpfloat (stall.origin.x + stall.size.width, <=, gtk_widget_get_width (figures));
  /* F9 and Ctrl+L show the cities over the chart. */
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_l, GDK_CONTROL_MASK));
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (window_child (window, "flap"))));
  save_screenshot (GTK_WIDGET (window), "narrow-sidebar.png");
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_F9, 0));
  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (window_child (window, "flap"))));

  resize (window, 1200);
  g_assert_false (aw_window_get_folded (window));
  destroy_window (window);
}

/* The history item the list box shows at @position, from the top. */
static AwHistoryItem *
row_item (GListModel *model,
          guint       position)
{
  g_autoptr(AwHistoryItem) item = g_list_model_get_item (model, position);

  return item;
}

/* The history by keyboard: one tab stop, arrows from row to row, Space ticks the focused row
 * (its tick box is no tab stop), Tab leaves the list. */
static void
test_history_keys (void)
{
  AwWindow *window = new_window ();
  GListModel *model = aw_history_list_get_model (aw_window_get_history_list (window));
  GtkListBox *rows = GTK_LIST_BOX (window_child (window, "list_box"));
  GtkWidget *top, *second;

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  run_and_wait (window, AW_MODE_CONCURRENT);
  top = GTK_WIDGET (gtk_list_box_get_row_at_index (rows, 0));
  second = GTK_WIDGET (gtk_list_box_get_row_at_index (rows, 1));
  g_assert_false (gtk_widget_get_focusable (find_widget (top, GTK_TYPE_CHECK_BUTTON)));
  g_assert_false (gtk_widget_get_focusable (find_widget (second, GTK_TYPE_CHECK_BUTTON)));

  g_assert_true (gtk_widget_grab_focus (top));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_space, 0));
  g_assert_true (aw_history_item_get_checked (row_item (model, 0)));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_widget (top, GTK_TYPE_CHECK_BUTTON))));
  g_assert_false (aw_history_item_get_checked (row_item (model, 1)));

  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Down, 0));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == second);
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_space, 0));
  g_assert_true (aw_history_item_get_checked (row_item (model, 1)));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_space, 0));
  g_assert_false (aw_history_item_get_checked (row_item (model, 1)));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Up, 0));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == top);

  /* One tab stop: Tab from a row leaves the list, and so does Shift+Tab. */
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_Tab, 0));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                          GTK_WIDGET (rows)));
  g_assert_true (gtk_widget_grab_focus (second));
  g_assert_true (press_key (gtk_root_get_focus (GTK_ROOT (window)), GDK_KEY_ISO_Left_Tab,
                            GDK_SHIFT_MASK));
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                          GTK_WIDGET (rows)));
  destroy_window (window);
}

/* An export says so in a toast, with Open; the history's model holds each run once. */
static void
test_export_toast (void)
{
  AwWindow *window = new_window ();
  g_autofree char *path = g_build_filename (SCREENSHOT_DIR, "toast-export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GListModel *model = aw_history_list_get_model (aw_window_get_history_list (window));
  GtkListBox *rows = GTK_LIST_BOX (window_child (window, "list_box"));
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  run_and_wait (window, AW_MODE_SEQUENTIAL);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_nonnull (gtk_list_box_get_row_at_index (rows, 1));
  g_assert_null (gtk_list_box_get_row_at_index (rows, 2));
  /* The newest on top. */
  {
    g_autoptr(AwHistoryItem) top = g_list_model_get_item (model, 0);

    g_assert_cmpint (aw_history_item_get_record (top)->mode, ==, AW_MODE_CONCURRENT);
  }

  g_assert_null (aw_window_get_toast (window));
  g_assert_true (aw_window_export_to (window, "csv", file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (aw_window_get_toast (window), ==, "Exported “toast-export.csv”");
  g_unlink (path);

  /* A location with no local path (a remote share) is a clear error, not a crash. */
  {
    g_autoptr(GFile) remote = g_file_new_for_uri ("sftp://example.invalid/runs.csv");

    g_clear_error (&error);
    g_assert_false (aw_window_export_to (window, "csv", remote, &error));
    g_assert_nonnull (error);
    g_test_message ("remote export: %s", error->message);
  }
  destroy_window (window);
}

/* The About window's release notes are the metainfo's newest release. */
static void
test_about (void)
{
  g_autoptr(GBytes) metainfo =
    g_resources_lookup_data ("/io/github/asyncweather/AsyncWeather/metainfo.xml", 0, NULL);
  g_autofree char *version = NULL;
  g_autofree char *notes = NULL;

  g_assert_nonnull (metainfo);
  g_assert_true (aw_about_parse_release_notes (g_bytes_get_data (metainfo, NULL), &version,
                                               &notes));
  g_assert_cmpstr (version, ==, "0.1.0");
  g_assert_true (g_str_has_prefix (notes, "<p>The first release:</p><ul><li>Sequential"));
  g_assert_false (aw_about_parse_release_notes ("<component/>", &version, &notes));

  /* The About window shows them. */
  {
    AwWindow *window = new_window ();
    GtkWidget *about;

    g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
    about = find_toplevel ("about");
    g_assert_true (ADW_IS_ABOUT_WINDOW (about));
    g_assert_cmpstr (adw_about_window_get_release_notes_version (ADW_ABOUT_WINDOW (about)), ==,
                     "0.1.0");
    g_assert_nonnull (strstr (adw_about_window_get_release_notes (ADW_ABOUT_WINDOW (about)),
                              "<li>Sequential"));
    gtk_window_destroy (GTK_WINDOW (about));
    destroy_window (window);
  }
}

/* The chart's rows take the keyboard: arrows move from task to task, and the task's phases
 * and answer become the chart's accessible description and show under the chart; Ctrl+1…5
 * pick the mode. */
static void
test_chart_keys (void)
{
  AwWindow *window = new_window ();
  AwTimingChart *chart = aw_window_get_chart (window);
  GtkWidget *detail = GTK_WIDGET (window_child (window, "task_detail"));
  GtkDropDown *modes = GTK_DROP_DOWN (window_child (window, "mode_dropdown"));
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  const char *city;
  guint n_rows;

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  n_rows = aw_timing_chart_get_n_rows (chart);
  g_assert_false (gtk_widget_get_visible (detail));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (chart)));
  g_assert_cmpint (aw_timing_chart_get_focus_row (chart), ==, 0);
  g_assert_true (press_key (GTK_WIDGET (chart), GDK_KEY_Down, 0));
  g_assert_cmpint (aw_timing_chart_get_focus_row (chart), ==, 1);

  city = aw_task_get_city (aw_timing_chart_get_row_task (chart, 1));
  markup = aw_timing_chart_describe_row (chart, 1);
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, city));
  g_assert_nonnull (strstr (text, aw_phase_get_label (AW_PHASE_WAIT)));
  gtk_test_accessible_assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text);
  g_assert_true (gtk_widget_get_visible (detail));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (detail)), city));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (detail)),
                            aw_phase_get_label (AW_PHASE_WAIT)));
  save_screenshot (GTK_WIDGET (window), "chart-focus.png");

  g_assert_true (press_key (GTK_WIDGET (chart), GDK_KEY_End, 0));
  g_assert_cmpint (aw_timing_chart_get_focus_row (chart), ==, n_rows - 1);
  g_assert_true (press_key (GTK_WIDGET (chart), GDK_KEY_Up, 0));
  g_assert_cmpint (aw_timing_chart_get_focus_row (chart), ==, n_rows - 2);
  g_assert_true (press_key (GTK_WIDGET (chart), GDK_KEY_Home, 0));
  g_assert_cmpint (aw_timing_chart_get_focus_row (chart), ==, 0);

  g_assert_true (press_key (GTK_WIDGET (chart), GDK_KEY_3, GDK_CONTROL_MASK));
  g_assert_cmpuint (gtk_drop_down_get_selected (modes), ==, AW_MODE_LIMITED);
  g_assert_true (press_key (GTK_WIDGET (chart), GDK_KEY_1, GDK_CONTROL_MASK));
  g_assert_cmpuint (gtk_drop_down_get_selected (modes), ==, AW_MODE_SEQUENTIAL);
  destroy_window (window);
}

/* Run in Blocking mode asks first: Cancel runs nothing, "Run and Freeze" runs. */
static void
test_blocking_asks (void)
{
  AwWindow *window = new_window ();
  GtkDropDown *modes = GTK_DROP_DOWN (window_child (window, "mode_dropdown"));
  GtkWidget *dialog;

  gtk_drop_down_set_selected (modes, AW_MODE_BLOCKING);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel ("blocking-confirm");
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (shows_label (dialog, "Freeze the Window?"));
  g_assert_true (click_button_labelled (dialog, "_Cancel"));
  aw_test_wait_until (toplevel_gone, "blocking-confirm", 10);
  g_assert_null (aw_window_get_run (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  dialog = find_toplevel ("blocking-confirm");
  g_assert_true (click_button_labelled (dialog, "_Run and Freeze"));
  expected_history = 1;
  wait_for (window, run_recorded, 30);
  g_assert_cmpint (aw_fetch_run_get_mode (aw_window_get_run (window)), ==, AW_MODE_BLOCKING);
  gtk_drop_down_set_selected (modes, AW_MODE_SEQUENTIAL);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  struct rlimit open_files;
  int status;

  /* A history file of its own, before GTK reads the data directories. */
  g_autofree char *data_home = g_dir_make_tmp ("aw-test-window-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* GNOME's title buttons, as its settings daemon (absent here) gives them. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  /* A desktop session's usual soft limit of open files, which the app raises; below the hard
   * limit even where that is 1024 or less, so that there is something to raise. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &open_files), ==, 0);
  g_assert_cmpuint (open_files.rlim_max, >=, 2 * 256);
  open_files.rlim_cur = MIN (open_files.rlim_max / 2, 1024);
  lowered_open_files = open_files.rlim_cur;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &open_files), ==, 0);
  /* The app's own choice of renderer is under test, not one from the environment. */
  g_unsetenv ("GSK_RENDERER");
  app = aw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/window/open-files", test_open_files);
  g_test_add_func ("/window/software-gl", test_software_gl);
  g_test_add_func ("/window/add-city", test_add_city);
  g_test_add_func ("/window/runs", test_runs);
  g_test_add_func ("/window/blocking", test_blocking);
  g_test_add_func ("/window/work", test_work);
  g_test_add_func ("/window/stop", test_stop);
  g_test_add_func ("/window/failures", test_failures);
  g_test_add_func ("/window/close-mid-run", test_close_mid_run);
  g_test_add_func ("/window/odd-names", test_odd_names);
  g_test_add_func ("/window/bad-settings", test_bad_settings);
  g_test_add_func ("/window/changes-mid-run", test_changes_mid_run);
  g_test_add_func ("/window/city-list", test_city_list);
  g_test_add_func ("/window/paste-cities", test_paste_cities);
  g_test_add_func ("/window/presentation", test_presentation);
  g_test_add_func ("/window/export-png", test_export_png);
  g_test_add_func ("/window/run-action", test_run_action);
  g_test_add_func ("/window/error-text", test_error_text);
  g_test_add_func ("/window/preferences", test_preferences);
  g_test_add_func ("/window/dark", test_dark);
  g_test_add_func ("/window/many-cities-consent", test_many_cities_consent);
  g_test_add_func ("/window/conns-warning", test_conns_warning);
  g_test_add_func ("/window/city-keys", test_city_keys);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add_func ("/window/export-toast", test_export_toast);
  g_test_add_func ("/window/history-keys", test_history_keys);
  g_test_add_func ("/window/about", test_about);
  g_test_add_func ("/window/chart-keys", test_chart_keys);
  g_test_add_func ("/window/blocking-asks", test_blocking_asks);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
