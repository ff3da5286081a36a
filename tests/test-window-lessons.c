/* test-window-lessons.c: what the window shows of how a mode works, in the real window under
 * a virtual display: the code panel (the mode's Python and C, the tasks at each line) and the
 * distribution of task durations beside the figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "aw-distribution.h"
#include "aw-history.h"
#include "aw-test-utils.h"
#include "aw-test-window.h"

#define LATENCY_S 0.3

static AwApplication *app;

static gboolean
lessons_condition (gpointer data)
{
  gboolean (*condition) (AwWindow *) = g_object_get_data (data, "condition");

  return condition (data);
}

static void
lessons_wait (AwWindow  *window,
          gboolean (*condition) (AwWindow *window),
          double     seconds)
{
  g_object_set_data (G_OBJECT (window), "condition", condition);
  aw_test_wait_until (lessons_condition, window, seconds);
}

static guint expected_history;

static gboolean
run_recorded (AwWindow *window)
{
  return aw_window_get_n_history (window) >= expected_history;
}

static void
run_and_wait (AwWindow *window,
              AwMode    mode)
{
  expected_history = aw_window_get_n_history (window) + 1;
  aw_window_start_run (window, mode);
  lessons_wait (window, run_recorded, 60);
}

static void
set_cities (guint n_cities)
{
  GSettings *settings = aw_application_get_settings (app);
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  const char *tutorial[] = { "Paris", "Toulouse", "Marseille" };

  for (guint i = 0; i < n_cities; i++)
    g_ptr_array_add (cities, i < 3 ? g_strdup (tutorial[i]) : g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);
  g_settings_set_strv (settings, "cities", (const char * const *)cities->pdata);
}

static AwWindow *
new_window (guint n_cities)
{
  GSettings *settings = aw_application_get_settings (app);
  g_autofree char *history = aw_history_get_path ();
  AwWindow *window;

  aw_history_wait ();
  g_unlink (history);
  set_cities (n_cities);
  g_settings_set_double (settings, "demo-latency", LATENCY_S);
  g_settings_set_double (settings, "demo-latency-max", LATENCY_S);
  g_settings_set_double (settings, "demo-failure-rate", 0);
  g_settings_set_double (settings, "timeout", 60);
  window = aw_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
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

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  aw_test_save_screenshot (widget, SCREENSHOT_DIR, name);
}

/* Inside the label column, where a pointer is on a row but on no lane's slice. */
#define LABEL_X 40

/* Code panel */

static guint
sum_counts (AwCodePanel    *panel,
            AwCodeLanguage  language)
{
  guint sum = 0;

  for (guint i = 0; i < aw_code_panel_get_n_lines (panel, language); i++)
    sum += aw_code_panel_get_count (panel, language, i);
  return sum;
}

static guint
n_unfinished (AwFetchRun *run)
{
  guint n = 0;

  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    n += !aw_task_is_finished (aw_fetch_run_get_task (run, i));
  return n;
}

/* Whether a line of @language holds @text. */
static gboolean
shows_code (AwCodePanel    *panel,
            AwCodeLanguage  language,
            const char     *text)
{
  for (guint i = 0; i < aw_code_panel_get_n_lines (panel, language); i++)
    if (strstr (aw_code_panel_get_line (panel, language, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The line that counts tasks in @phase, or -1. */
static int
line_of_phase (AwCodePanel    *panel,
               AwCodeLanguage  language,
               AwPhase         phase)
{
  for (guint i = 0; i < aw_code_panel_get_n_lines (panel, language); i++)
    if (aw_code_panel_get_line_phase (panel, language, i) == (int)phase)
      return i;
  return -1;
}

typedef struct
{
  guint most_counted;   /* the most tasks the panel counted at once, Python and C alike */
  guint mismatches;     /* frames where the counts did not add up to the tasks under way */
  char *said;           /* a line's spoken text while tasks were at it */
} Watch;

static void
on_code_frame (GdkFrameClock *clock,
               AwWindow      *window)
{
  Watch *watch = g_object_get_data (G_OBJECT (window), "watch");
  AwCodePanel *panel = aw_window_get_code_panel (window);
  AwFetchRun *run = aw_window_get_run (window);
  guint python, c;

  if (run == NULL || !aw_fetch_run_is_running (run))
    return;
  /* Counted now, against the run as it is now. */
  aw_code_panel_update (panel);
  python = sum_counts (panel, AW_CODE_PYTHON);
  c = sum_counts (panel, AW_CODE_C);
  watch->mismatches += python != n_unfinished (run) || c != python;
  watch->most_counted = MAX (watch->most_counted, c);
  for (guint i = 0; watch->said == NULL && i < aw_code_panel_get_n_lines (panel, AW_CODE_C); i++)
    if (aw_code_panel_get_count (panel, AW_CODE_C, i) > 0)
      watch->said = g_strdup (aw_code_panel_get_line_label (panel, AW_CODE_C, i));
}

static gboolean
is_unfolded (AwWindow *window)
{
  return !aw_window_get_folded (window);
}

static gboolean
code_shown (AwWindow *window)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (window_child (window, "code_revealer")));
}

/* The panel shows the selected mode's Python and C, 10 to 20 lines each, says what the mode
 * does, and counts the tasks at their lines during a run: every task under way at exactly
 * one line of each, none once the run has ended. */
static void
test_code_panel (void)
{
  AwWindow *window = new_window (3);
  AwCodePanel *panel = aw_window_get_code_panel (window);
  GtkDropDown *modes = GTK_DROP_DOWN (window_child (window, "mode_dropdown"));
  const char *python_marks[AW_N_MODES] = { "requests.get", "asyncio.gather",
                                           "asyncio.Semaphore(K)", "ThreadPoolExecutor",
                                           "on_run_clicked" };
  const char *c_marks[AW_N_MODES] = { "soup_session_send_async", "soup_session_send_async",
                                      "n_active < K", "g_thread_pool_push",
                                      "soup_session_send (" };
  g_autoptr(GHashTable) explanations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);
  Watch watch = { 0 };
  gulong handler;

  /* Hidden until asked for; the action shows it, as Ctrl+U and the Code button do. */
  g_assert_false (aw_window_get_show_code (window));
  g_assert_false (gtk_widget_get_child_visible (GTK_WIDGET (panel))
                  && gtk_widget_get_mapped (GTK_WIDGET (panel)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-code", NULL));
  g_assert_true (aw_window_get_show_code (window));
  lessons_wait (window, code_shown, 10);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (window_child (window,
                                                                                 "code_button"))));
  /* On a narrow window, in the chart's place; the chart is back with Code pressed again. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 800);
  lessons_wait (window, aw_window_get_folded, 10);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window_child (window, "chart_stack"))));
  aw_window_set_show_code (window, FALSE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window_child (window, "chart_stack"))));
  aw_window_set_show_code (window, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  lessons_wait (window, is_unfolded, 10);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window_child (window, "chart_stack"))));

  /* Still there in presentation mode. */
  aw_window_set_presentation (window, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window_child (window, "code_button"))));
  g_assert_true (aw_window_get_show_code (window));
  aw_window_set_presentation (window, FALSE);

  for (AwMode mode = 0; mode < AW_N_MODES; mode++)
    {
      gtk_drop_down_set_selected (modes, mode);
      g_assert_cmpint (aw_code_panel_get_mode (panel), ==, mode);
      for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
        {
          guint n_lines = aw_code_panel_get_n_lines (panel, language);

          g_assert_cmpuint (n_lines, >=, 10);
          g_assert_cmpuint (n_lines, <=, 20);
          /* The phases a task goes through each have their line, coloured by the phase. */
          g_assert_cmpint (line_of_phase (panel, language, AW_PHASE_WAIT), >=, 0);
          g_assert_cmpint (line_of_phase (panel, language, AW_PHASE_PARSE) >= 0
                           || line_of_phase (panel, language, AW_PHASE_RECEIVE) >= 0, ==, TRUE);
        }
      g_assert_true (shows_code (panel, AW_CODE_PYTHON, python_marks[mode]));
      g_assert_true (shows_code (panel, AW_CODE_C, c_marks[mode]));
      g_assert_true (g_hash_table_add (explanations,
                                       g_strdup (aw_code_panel_get_explanation (panel))));
    }
  /* Python has no C in it, and the other way round. */
  g_assert_false (shows_code (panel, AW_CODE_PYTHON, "soup_"));
  g_assert_false (shows_code (panel, AW_CODE_C, "requests."));

  gtk_drop_down_set_selected (modes, AW_MODE_CONCURRENT);
  g_object_set_data (G_OBJECT (window), "watch", &watch);
  handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                              G_CALLBACK (on_code_frame), window);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), handler);

  /* During the run: tasks at their lines, as many as were under way, in Python and in C. */
  g_assert_cmpuint (watch.most_counted, >, 0);
  g_assert_cmpuint (watch.mismatches, ==, 0);
  g_assert_nonnull (watch.said);
  g_assert_nonnull (strstr (watch.said, "here"));
  /* After it: none, on screen and for a screen reader, without another frame. */
  for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
    {
      g_assert_cmpuint (sum_counts (panel, language), ==, 0);
      for (guint i = 0; i < aw_code_panel_get_n_lines (panel, language); i++)
        g_assert_null (strstr (aw_code_panel_get_line_label (panel, language, i), "here"));
    }

  /* The "sleep only" workload: the tutorial's first program, asyncio.sleep against
   * time.sleep, and the timer or the wait the engine runs for it. */
  g_settings_set_string (aw_application_get_settings (app), "workload", "sleep");
  g_assert_cmpint (aw_code_panel_get_workload (panel), ==, AW_WORKLOAD_SLEEP);
  g_assert_true (shows_code (panel, AW_CODE_PYTHON, "await asyncio.sleep(latency)"));
  g_assert_true (shows_code (panel, AW_CODE_C, "g_timeout_source_new"));
  g_assert_false (shows_code (panel, AW_CODE_C, "soup_"));
  gtk_drop_down_set_selected (modes, AW_MODE_SEQUENTIAL);
  g_assert_true (shows_code (panel, AW_CODE_PYTHON, "time.sleep(latency)"));
  gtk_drop_down_set_selected (modes, AW_MODE_THREADS);
  g_assert_true (shows_code (panel, AW_CODE_C, "g_usleep"));
  gtk_drop_down_set_selected (modes, AW_MODE_CONCURRENT);
  g_clear_pointer (&watch.said, g_free);
  memset (&watch, 0, sizeof watch);
  handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                              G_CALLBACK (on_code_frame), window);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), handler);
  g_assert_cmpuint (watch.most_counted, >, 0);
  g_assert_cmpuint (watch.mismatches, ==, 0);
  g_assert_cmpuint (sum_counts (panel, AW_CODE_C), ==, 0);
  g_settings_reset (aw_application_get_settings (app), "workload");
  g_assert_cmpint (aw_code_panel_get_workload (panel), ==, AW_WORKLOAD_WEATHER);

  g_free (watch.said);
  destroy_window (window);
}

/* Distribution */

static gboolean
distribution_shown (AwWindow *window)
{
  GtkWidget *box = GTK_WIDGET (window_child (window, "distribution_box"));

  return gtk_widget_get_visible (box) && gtk_widget_get_mapped (box);
}

/* 19 tasks: no histogram; 20: a histogram of their durations and their percentiles, beside
 * the figures; a comparison of two runs: none. */
static void
test_distribution (void)
{
  AwWindow *window = new_window (19);
  AwRunFigures *figures = aw_window_get_figures (window);
  g_autoptr(GArray) durations = NULL;
  g_autofree char *p50 = NULL;
  const guint *bins;
  guint n_bins, total = 0;

  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (aw_fetch_run_get_n_tasks (aw_window_get_run (window)), ==, 19);
  g_assert_null (aw_run_figures_get_percentiles (figures));
  g_assert_false (distribution_shown (window));

  set_cities (20);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (aw_fetch_run_get_n_tasks (aw_window_get_run (window)), ==, 20);
  g_assert_nonnull (aw_run_figures_get_percentiles (figures));
  aw_test_wait_painted (GTK_WIDGET (window));
  g_assert_true (distribution_shown (window));
  /* Every task in one bin; the median said is the run's own. */
  bins = aw_run_figures_get_bins (figures, &n_bins);
  g_assert_cmpuint (n_bins, >, 1);
  for (guint i = 0; i < n_bins; i++)
    total += bins[i];
  g_assert_cmpuint (total, ==, 20);
  durations = aw_distribution_run_durations (aw_window_get_run (window));
  p50 = aw_format_seconds (g_array_index (durations, gint64, 9));
  g_assert_nonnull (strstr (aw_run_figures_get_percentiles (figures), p50));

  /* Two runs compared: their figures side by side, no one run's histogram. */
  aw_window_compare (window, 0, 1);
  g_assert_null (aw_run_figures_get_percentiles (figures));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window_child (window,
                                                                    "distribution_box"))));
  destroy_window (window);
}

/* Lanes */

static guint
count_slices (AwFetchRun  *run,
              guint        lane,
              AwSliceKind  kind)
{
  guint n_slices, n = 0;
  const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);

  for (guint i = 0; i < n_slices; i++)
    n += slices[i].kind == kind;
  return n;
}

/* The middle of @row's bar, in the chart's coordinates. */
static gboolean
row_point (AwTimingChart *chart,
           int            row,
           double        *y)
{
  for (double at = 0; at < gtk_widget_get_height (GTK_WIDGET (chart)); at += 1)
    if (aw_timing_chart_row_at (chart, at) == row)
      {
        *y = at + aw_timing_chart_get_row_height (chart) / 2.0;
        return TRUE;
      }
  return FALSE;
}

/* Each lane is drawn as a strip of its own above the rows: its middle is on no row, below
 * the lane before. */
static void
assert_lanes_drawn (AwTimingChart *chart,
                    AwFetchRun    *run)
{
  double last_y = -1, first_row_y;

  g_assert_cmpuint (aw_timing_chart_get_n_lanes (chart), ==, aw_fetch_run_get_n_lanes (run));
  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      double x, y;

      g_assert_true (aw_timing_chart_get_slice_point (chart, lane, 0, &x, &y));
      g_assert_cmpfloat (y, >, last_y);
      g_assert_cmpint (aw_timing_chart_row_at (chart, y), ==, -1);
      last_y = y;
    }
  /* The first row begins under the last lane. */
  g_assert_true (row_point (chart, 0, &first_row_y));
  g_assert_cmpfloat (first_row_y, >, last_y);
}

typedef struct
{
  guint frames;
  guint lit_frames;    /* frames that showed a line lit in the code panel */
  gboolean lit_is_callback;
} LitWatch;

static void
on_lit_frame (GdkFrameClock *clock,
              AwWindow      *window)
{
  LitWatch *watch = g_object_get_data (G_OBJECT (window), "lit");
  AwCodePanel *panel = aw_window_get_code_panel (window);
  AwFetchRun *run = aw_window_get_run (window);
  int lit;

  if (run == NULL || !aw_fetch_run_is_running (run))
    return;
  watch->frames++;
  aw_code_panel_update (panel);
  lit = aw_code_panel_get_lit_line (panel, AW_CODE_C);
  if (lit < 0)
    return;
  watch->lit_frames++;
  /* A line of a callback: on_sent, on_read, the parse. */
  watch->lit_is_callback = strstr (aw_code_panel_get_line (panel, AW_CODE_C, lit), "on_")
                           != NULL
                           || strstr (aw_code_panel_get_line (panel, AW_CODE_C, lit), "parse")
                              != NULL;
}

/* Concurrent: one lane, the loop's, with the window's frames and the tasks' callbacks; a
 * callback and its task's bar are linked both ways; the ledger and the bound are said. */
static void
test_lanes (void)
{
  AwWindow *window = new_window (3);
  AwTimingChart *chart = aw_window_get_chart (window);
  AwRunFigures *figures = aw_window_get_figures (window);
  g_autofree char *loop = NULL;
  g_autofree char *detail = NULL;
  const AwSlice *slices;
  AwFetchRun *run;
  guint n_slices, callback = G_MAXUINT;
  double x, y;
  gulong handler;
  LitWatch lit = { 0 };

  run_and_wait (window, AW_MODE_CONCURRENT);
  run = aw_window_get_run (window);
  aw_test_wait_painted (GTK_WIDGET (window));
  g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), ==, 1);
  assert_lanes_drawn (chart, run);
  /* The window's frames are on the loop's lane, between the callbacks. */
  g_assert_cmpuint (count_slices (run, 0, AW_SLICE_FRAME), >, 0);
  g_assert_cmpuint (count_slices (run, 0, AW_SLICE_CALLBACK), >=, 3);
  loop = aw_timing_chart_describe_loop (chart);
  g_assert_nonnull (strstr (loop, "callbacks"));
  /* The frames' share of the busy loop is said apart from the tasks'. */
  g_assert_nonnull (strstr (loop, "drawing frames"));
  save_screenshot (GTK_WIDGET (window), "lanes-concurrent.png");

  /* Pointer on a task's callback: that task's bar is the one highlighted. */
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices && callback == G_MAXUINT; i++)
    if (slices[i].kind == AW_SLICE_CALLBACK && slices[i].task == 2)
      callback = i;
  g_assert_cmpuint (callback, <, n_slices);
  g_assert_true (aw_timing_chart_get_slice_point (chart, 0, callback, &x, &y));
  aw_timing_chart_point_at (chart, x, y);
  g_assert_cmpint (aw_timing_chart_get_highlighted_task (chart), ==, 2);
  /* And the other way round: on Toulouse's bar, Toulouse's callbacks. */
  g_assert_true (row_point (chart, 1, &y));
  aw_timing_chart_point_at (chart, LABEL_X, y);
  g_assert_cmpint (aw_timing_chart_get_highlighted_task (chart), ==, 1);
  aw_timing_chart_point_at (chart, -1, -1);
  g_assert_cmpint (aw_timing_chart_get_highlighted_task (chart), ==, -1);
  /* The keyboard on a row: its task too. */
  aw_timing_chart_set_focus_row (chart, 0);
  g_assert_cmpint (aw_timing_chart_get_highlighted_task (chart), ==, 0);

  /* Left and Right walk the loop's callbacks, each with its task's row. */
  aw_timing_chart_set_focus_row (chart, -1);
  for (guint steps = 0; aw_timing_chart_step_callback (chart, 1); steps++)
    {
      int slice = aw_timing_chart_get_focus_slice (chart);
      char *description;

      g_assert_cmpint (slice, >=, 0);
      g_assert_cmpint (slices[slice].kind, ==, AW_SLICE_CALLBACK);
      g_assert_cmpint (aw_timing_chart_get_focus_row (chart), ==, slices[slice].task);
      g_assert_cmpint (aw_timing_chart_get_highlighted_task (chart), ==, slices[slice].task);
      description = aw_timing_chart_describe_row (chart, slices[slice].task);
      g_assert_nonnull (description);
      g_free (description);
      g_assert_cmpuint (steps, <, n_slices);
    }
  g_assert_true (aw_timing_chart_step_callback (chart, -1));
  aw_timing_chart_set_focus_row (chart, 0);
  g_assert_cmpint (aw_timing_chart_get_focus_slice (chart), ==, -1);

  /* The ledger in the task's detail (what a screen reader says of the row). */
  detail = aw_timing_chart_describe_row (chart, 0);
  g_assert_nonnull (strstr (detail, "network"));
  g_assert_nonnull (strstr (detail, "ready, loop busy"));
  /* The bound under the figures, and never above the wall. */
  g_assert_nonnull (aw_run_figures_get_gap (figures));
  g_assert_nonnull (strstr (aw_run_figures_get_gap (figures), "bound"));
  g_assert_cmpint (aw_fetch_run_get_bound_us (run), <=, aw_fetch_run_get_total_us (run));
  /* A band is drawn for a task's ready time where the loop's lane says it was. */
  for (guint i = 0; i < 3; i++)
    {
      AwLedger ledger;

      aw_task_get_ledger (aw_fetch_run_get_task (run, i), &ledger);
      g_assert_cmpint (aw_timing_chart_get_drawn_ready_us (chart, i), <=, ledger.ready_us + 1000);
    }

  /* Sequential: the loop's callbacks light their line in the code panel. */
  aw_window_set_show_code (window, TRUE);
  g_object_set_data (G_OBJECT (window), "lit", &lit);
  handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                              G_CALLBACK (on_lit_frame), window);
  run_and_wait (window, AW_MODE_SEQUENTIAL);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), handler);
  g_assert_cmpuint (lit.lit_frames, >, 0);
  g_assert_cmpuint (lit.lit_frames, <, lit.frames);
  g_assert_true (lit.lit_is_callback);
  g_assert_cmpint (aw_code_panel_get_lit_line (aw_window_get_code_panel (window), AW_CODE_C), ==,
                   -1);

  /* Two runs compared: no lanes, the rows right under the axis. */
  aw_window_compare (window, 0, 1);
  g_assert_cmpuint (aw_timing_chart_get_n_lanes (chart), ==, 0);
  destroy_window (window);
}

/* Threads: a lane per worker, each blocked in its task's I/O. */
static void
test_lanes_threads (void)
{
  AwWindow *window = new_window (3);
  AwTimingChart *chart = aw_window_get_chart (window);
  AwFetchRun *run;

  run_and_wait (window, AW_MODE_THREADS);
  run = aw_window_get_run (window);
  g_assert_cmpuint (aw_fetch_run_get_n_lanes (run), >=, 2);
  aw_test_wait_painted (GTK_WIDGET (window));
  assert_lanes_drawn (chart, run);
  for (guint lane = 1; lane < aw_fetch_run_get_n_lanes (run); lane++)
    g_assert_cmpuint (count_slices (run, lane, AW_SLICE_BLOCKED), >, 0);
  save_screenshot (GTK_WIDGET (window), "lanes-threads.png");
  destroy_window (window);
}

/* Blocking: the loop's lane is one solid blocked span, with no frame in it. */
static void
test_lanes_blocking (void)
{
  AwWindow *window = new_window (3);
  AwTimingChart *chart = aw_window_get_chart (window);
  const AwSlice *slices;
  const AwSlice *blocked = NULL;
  AwFetchRun *run;
  guint n_slices;

  run_and_wait (window, AW_MODE_BLOCKING);
  run = aw_window_get_run (window);
  aw_test_wait_painted (GTK_WIDGET (window));
  assert_lanes_drawn (chart, run);
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].kind == AW_SLICE_BLOCKED)
      {
        g_assert_null (blocked);
        blocked = &slices[i];
      }
  g_assert_nonnull (blocked);
  g_assert_cmpint (blocked->end_us - blocked->start_us, >=,
                   aw_fetch_run_get_sum_us (run) * 9 / 10);
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].kind == AW_SLICE_FRAME)
      g_assert_true (slices[i].end_us <= blocked->start_us
                     || slices[i].start_us >= blocked->end_us);
  save_screenshot (GTK_WIDGET (window), "lanes-blocking.png");
  destroy_window (window);
}

/* 300 answers at once keep the loop busy: tasks wait for it, and the bands under their bars
 * are that wait, where the engine counted it. */
static void
test_ready_bands (void)
{
  AwWindow *window = new_window (300);
  AwTimingChart *chart = aw_window_get_chart (window);
  gint64 drawn = 0, counted = 0;
  AwFetchRun *run;

  run_and_wait (window, AW_MODE_CONCURRENT);
  run = aw_window_get_run (window);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwLedger ledger;
      gint64 band = aw_timing_chart_get_drawn_ready_us (chart, i);

      aw_task_get_ledger (aw_fetch_run_get_task (run, i), &ledger);
      g_assert_cmpint (band, <=, ledger.ready_us + 1000);
      drawn += band;
      counted += ledger.ready_us;
    }
  g_test_message ("ready: drawn %" G_GINT64_FORMAT " us, counted %" G_GINT64_FORMAT " us",
                  drawn, counted);
  g_assert_cmpint (counted, >, 0);
  g_assert_cmpint (drawn, >=, counted * 9 / 10);
  destroy_window (window);
}

/* Zoom */

static gint64
view_span (AwTimingChart *chart)
{
  gint64 start_us, end_us;

  aw_timing_chart_get_view (chart, &start_us, &end_us);
  return end_us - start_us;
}

static gint64
view_start (AwTimingChart *chart)
{
  gint64 start_us, end_us;

  aw_timing_chart_get_view (chart, &start_us, &end_us);
  return start_us;
}

static void
assert_whole_run (AwTimingChart *chart)
{
  g_assert_false (aw_timing_chart_is_zoomed (chart));
  g_assert_cmpint (view_start (chart), ==, 0);
  g_assert_cmpint (view_span (chart), ==, aw_timing_chart_get_axis_us (chart));
}

/* The chart's own scroll controller, as a wheel would reach it (no modifier). */
static gboolean
scroll_chart (AwTimingChart *chart,
              double         dy)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        {
          g_signal_emit_by_name (controller, "scroll", 0.0, dy, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

/* A press on the chart at (@x, @y), as its drag gesture (the overview's) takes it. */
static void
press_overview (AwTimingChart *chart,
                double         x,
                double         y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        {
          g_signal_emit_by_name (controller, "drag-begin", x, y);
          return;
        }
    }
  g_assert_not_reached ();
}

/* The window's action for @accelerator ("<Control>plus"), or NULL. */
static char *
window_shortcut (AwWindow   *window,
                 const char *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (
                                       gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger, accelerator))
            return gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));
        }
    }
  return NULL;
}

/* The answers' callbacks: those of the tasks' last phases, around the latency. */
static void
answers_span (AwFetchRun *run,
              gint64     *from_us,
              gint64     *to_us)
{
  const AwSlice *slices;
  guint n_slices;

  *from_us = G_MAXINT64;
  *to_us = 0;
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  for (guint i = 0; i < n_slices; i++)
    if (slices[i].kind == AW_SLICE_CALLBACK && slices[i].task >= 0
        && slices[i].start_us >= LATENCY_S * G_USEC_PER_SEC * 0.9)
      {
        *from_us = MIN (*from_us, slices[i].start_us);
        *to_us = MAX (*to_us, slices[i].end_us);
      }
  g_assert_cmpint (*from_us, <, *to_us);
}

/* Concurrent's callbacks are ticks of 0.1 ms on an axis of a third of a second: zoomed in by
 * the keyboard around the one it is on, it keeps its place and grows to pixels; scrolling
 * moves the view along the run without changing its width, and stops at the ends; Ctrl+0
 * and a new run show the whole run. */
static void
test_zoom (void)
{
  AwWindow *window = new_window (3);
  AwTimingChart *chart = aw_window_get_chart (window);
  g_autofree char *hint = NULL;
  g_autofree char *zoomed = NULL;
  const AwSlice *slices, *slice;
  AwFetchRun *run;
  gint64 span, start, axis_us, from_us, to_us;
  double x, y, before_x, before_width, width;
  guint n_slices;

  run_and_wait (window, AW_MODE_CONCURRENT);
  run = aw_window_get_run (window);
  aw_test_wait_painted (GTK_WIDGET (window));
  axis_us = aw_timing_chart_get_axis_us (chart);
  assert_whole_run (chart);
  /* The keys: Ctrl+plus, Ctrl+minus, Ctrl+0. */
  for (guint i = 0; i < 3; i++)
    {
      const char *keys[] = { "<Control>plus", "<Control>minus", "<Control>0" };
      const char *actions[] = { "win.zoom-in", "win.zoom-out", "win.fit-axis" };
      g_autofree char *action = window_shortcut (window, keys[i]);

      g_assert_nonnull (action);
      g_assert_nonnull (strstr (action, actions[i]));
    }
  hint = aw_timing_chart_describe_view (chart);
  g_assert_nonnull (strstr (hint, "Ctrl+plus"));
  /* Not zoomed, the wheel is the rows' (the scrolled window's). */
  g_assert_false (scroll_chart (chart, 1));

  /* The keyboard on a callback of the answers: Ctrl+plus zooms in around it. */
  aw_timing_chart_set_focus_row (chart, -1);
  while (aw_timing_chart_step_callback (chart, 1))
    if (aw_fetch_run_get_lane_slices (run, 0, &n_slices)[aw_timing_chart_get_focus_slice (chart)]
          .start_us >= LATENCY_S * G_USEC_PER_SEC * 0.9)
      break;
  slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);
  slice = &slices[aw_timing_chart_get_focus_slice (chart)];
  g_assert_cmpint (slice->kind, ==, AW_SLICE_CALLBACK);
  g_assert_true (aw_timing_chart_get_slice_point (chart, 0, slice - slices, &before_x, &y));
  before_width = aw_timing_chart_get_x (chart, slice->end_us)
                 - aw_timing_chart_get_x (chart, slice->start_us);
  g_test_message ("callback of %" G_GINT64_FORMAT " us, %.2f px wide on the whole run",
                  slice->end_us - slice->start_us, before_width);
  g_assert_cmpfloat (aw_timing_chart_get_x (chart, 100) - aw_timing_chart_get_x (chart, 0), <,
                     1);
  span = view_span (chart);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
  g_assert_true (aw_timing_chart_is_zoomed (chart));
  g_assert_cmpint (view_span (chart), <, span * 6 / 10);
  g_assert_true (aw_timing_chart_get_slice_point (chart, 0, slice - slices, &x, &y));
  g_assert_cmpfloat (fabs (x - before_x), <=, 1.5);

  /* Zoomed in enough, a callback of a tenth of a millisecond is pixels wide, where it was a
   * fraction of one, and still where it was. */
  for (guint i = 0; i < 8; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
  width = aw_timing_chart_get_x (chart, slice->end_us)
          - aw_timing_chart_get_x (chart, slice->start_us);
  g_test_message ("%.2f px wide, zoomed ×%.0f", width, axis_us / (double)view_span (chart));
  g_assert_cmpfloat (width, >=, 100 * before_width);
  g_assert_cmpfloat (aw_timing_chart_get_x (chart, slice->start_us + 100)
                     - aw_timing_chart_get_x (chart, slice->start_us), >=, 3);
  /* The view is kept to the microsecond: a microsecond's pixels may shift it. */
  g_assert_true (aw_timing_chart_get_slice_point (chart, 0, slice - slices, &x, &y));
  g_assert_cmpfloat (fabs (x - before_x), <=,
                     1.5 + 2 * (aw_timing_chart_get_x (chart, 1) - aw_timing_chart_get_x (chart, 0)));
  /* Past the closest zoom, the view stays: still wide, the callback still in place. */
  for (guint i = 0; i < 20; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
  g_assert_cmpint (view_span (chart), >=, 10);
  g_assert_true (aw_timing_chart_get_slice_point (chart, 0, slice - slices, &x, &y));
  g_assert_cmpfloat (fabs (x - before_x), <=,
                     1.5 + 2 * (aw_timing_chart_get_x (chart, 1) - aw_timing_chart_get_x (chart, 0)));
  for (guint i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL));
  g_assert_true (aw_timing_chart_is_zoomed (chart));
  zoomed = aw_timing_chart_describe_view (chart);
  g_assert_nonnull (strstr (zoomed, "Ctrl+0"));

  /* Scrolling moves the view, its width kept, and stops at the run's ends. */
  span = view_span (chart);
  start = view_start (chart);
  aw_timing_chart_scroll_view (chart, span / 4);
  g_assert_cmpint (view_start (chart), ==, start + span / 4);
  g_assert_cmpint (view_span (chart), ==, span);
  /* The wheel, all rows showing: along the run. */
  start = view_start (chart);
  g_assert_true (scroll_chart (chart, -1));
  g_assert_cmpint (view_start (chart), <, start);
  g_assert_cmpint (view_span (chart), ==, span);
  aw_timing_chart_scroll_view (chart, 10 * axis_us);
  g_assert_cmpint (view_start (chart) + view_span (chart), ==, axis_us);
  g_assert_cmpint (view_span (chart), ==, span);
  for (guint i = 0; i < 100000 && view_start (chart) > 0; i++)
    g_assert_true (scroll_chart (chart, -1));
  g_assert_cmpint (view_start (chart), ==, 0);
  g_assert_cmpint (view_span (chart), ==, span);

  /* A press in the middle of the overview's track (8 to 94 px, in the axis' corner): the
   * view moves to the middle of the run, its width kept. */
  press_overview (chart, 51, 14);
  g_assert_cmpint (view_start (chart), <=, axis_us / 2);
  g_assert_cmpint (view_start (chart) + view_span (chart), >=, axis_us / 2);
  g_assert_cmpint (view_span (chart), ==, span);
  /* Under the axis, the press is the rows'. */
  start = view_start (chart);
  press_overview (chart, 51, 200);
  g_assert_cmpint (view_start (chart), ==, start);

  /* Ctrl+0 (Fit Axis): the whole run. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fit-axis", NULL));
  assert_whole_run (chart);
  /* Ctrl+minus from there stays whole. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL));
  assert_whole_run (chart);

  /* The keyboard on a task: zoomed in around the middle of its bar. */
  {
    AwTask *task = aw_fetch_run_get_task (run, 1);
    gint64 middle = (aw_task_get_start_us (task) + aw_task_get_end_us (task)) / 2;

    aw_timing_chart_set_focus_row (chart, 1);
    before_x = aw_timing_chart_get_x (chart, middle);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
    g_assert_true (aw_timing_chart_is_zoomed (chart));
    g_assert_cmpfloat (fabs (aw_timing_chart_get_x (chart, middle) - before_x), <=, 1.5);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fit-axis", NULL));
  }

  /* The keyboard on nothing: zoomed in from the view's start. */
  aw_timing_chart_set_focus_row (chart, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
  g_assert_true (aw_timing_chart_is_zoomed (chart));
  g_assert_cmpint (view_start (chart), ==, 0);

  /* Zoomed in at the start, Right to a callback out of sight: the view follows it, its
   * width kept. */
  span = view_span (chart);
  aw_timing_chart_set_focus_row (chart, -1);
  while (aw_timing_chart_step_callback (chart, 1))
    if (slices[aw_timing_chart_get_focus_slice (chart)].start_us > span)
      break;
  slice = &slices[aw_timing_chart_get_focus_slice (chart)];
  g_assert_cmpint (slice->start_us, >, span);
  g_assert_cmpint (view_start (chart), <=, slice->start_us);
  g_assert_cmpint (view_start (chart) + view_span (chart), >=, slice->end_us);
  g_assert_cmpint (view_span (chart), ==, span);

  /* The answers' callbacks with their tasks' bars, for the README. */
  answers_span (run, &from_us, &to_us);
  aw_timing_chart_set_view (chart, from_us - (to_us - from_us) / 3,
                            to_us + (to_us - from_us) / 3);
  aw_timing_chart_set_focus_row (chart, 0);
  save_screenshot (GTK_WIDGET (window), "lanes-concurrent-zoom.png");

  /* A new run starts whole. */
  g_assert_true (aw_timing_chart_is_zoomed (chart));
  run_and_wait (window, AW_MODE_CONCURRENT);
  assert_whole_run (chart);
  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("aw-test-lessons-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  app = aw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/lessons/code-panel", test_code_panel);
  g_test_add_func ("/lessons/distribution", test_distribution);
  g_test_add_func ("/lessons/lanes", test_lanes);
  g_test_add_func ("/lessons/lanes-threads", test_lanes_threads);
  g_test_add_func ("/lessons/lanes-blocking", test_lanes_blocking);
  g_test_add_func ("/lessons/ready-bands", test_ready_bands);
  g_test_add_func ("/lessons/zoom", test_zoom);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
