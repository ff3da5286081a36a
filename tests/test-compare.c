/* test-compare.c: comparisons, the shared time axis, exports of a compared pair and the history
 * across a restart, through the real window and engine under a virtual display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "aw-history.h"
#include "aw-test-window.h"

#define LATENCY_S 0.3
#define LATENCY_US ((gint64)(LATENCY_S * G_USEC_PER_SEC))

static AwApplication *app;
static char *data_home;
static guint expected_history;

static const AwRunRecord *last_record;

/* A new run at the end of the history (which may be full, and drop its oldest). */
static gboolean
run_recorded (AwWindow *window)
{
  guint n = aw_window_get_n_history (window);

  return n >= expected_history && n > 0 && aw_window_get_history_record (window, n - 1) != last_record;
}

static void
run_and_wait (AwWindow *window,
              AwMode    mode)
{
  guint n = aw_window_get_n_history (window);

  expected_history = MIN (n + 1, AW_HISTORY_MAX_RUNS);
  last_record = n > 0 ? aw_window_get_history_record (window, n - 1) : NULL;
  aw_window_start_run (window, mode);
  wait_for (window, run_recorded, 30);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  aw_test_save_screenshot (widget, SCREENSHOT_DIR, name);
}

static void
reset_settings (void)
{
  GSettings *settings = aw_application_get_settings (app);
  const char *cities[] = { "Paris", "Toulouse", "Marseille", NULL };

  g_settings_set_strv (settings, "cities", cities);
  g_settings_set_double (settings, "demo-latency", LATENCY_S);
  g_settings_set_double (settings, "demo-latency-max", LATENCY_S);
  g_settings_set_double (settings, "demo-failure-rate", 0);
  g_settings_reset (settings, "timeout");
  g_settings_set_int (settings, "limit", 2);
}

/* A window on an empty history. */
static AwWindow *
new_window (gboolean keep_history)
{
  AwWindow *window;

  /* The file as the windows before left it. */
  aw_history_wait ();
  if (!keep_history)
    {
      g_autofree char *path = aw_history_get_path ();

      g_unlink (path);
    }
  reset_settings ();
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

static gboolean
contains (const char *text,
          const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    {
      g_test_message ("“%s” does not contain “%s”", text, part);
      return FALSE;
    }
  return TRUE;
}

static gboolean
stack_offered (AwWindow *window)
{
  return gtk_widget_get_visible (GTK_WIDGET (window_child (window, "stack_button")));
}

/* Sequential then concurrent of the same cities: one axis, a line that names both and says
 * how they compare, both offered stacked, the highlight on the run shown. */
static void
test_like_for_like (void)
{
  AwWindow *window = new_window (FALSE);
  AwTimingChart *chart = aw_window_get_chart (window);
  GtkListBox *history_list;
  gint64 sequential_us, held_us;

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  sequential_us = aw_fetch_run_get_total_us (aw_window_get_run (window));
  g_assert_cmpint (sequential_us, >=, 3 * LATENCY_US);
  g_assert_cmpint (aw_window_get_highlighted_history (window, 0), ==, 0);
  held_us = aw_timing_chart_get_axis_us (chart);

  run_and_wait (window, AW_MODE_CONCURRENT);
  /* The concurrent run is drawn on the sequential run's axis: its bars a third as long. */
  g_assert_cmpint (aw_fetch_run_get_total_us (aw_window_get_run (window)), <, sequential_us / 2);
  g_assert_cmpint (aw_timing_chart_get_axis_us (chart), ==, held_us);
  g_assert_true (contains (aw_window_get_comparison (window), "Concurrent · 3 cities · "));
  g_assert_true (contains (aw_window_get_comparison (window), "× faster than Sequential · 3 cities · "));
  g_assert_cmpint (aw_window_get_highlighted_history (window, 0), ==, 1);
  g_assert_cmpint (aw_window_get_highlighted_history (window, 1), ==, -1);
  g_assert_true (stack_offered (window));
  /* The sequential run's wall time stays on the chart as a dashed line. */
  g_assert_true (contains (aw_timing_chart_get_reference (chart), "Sequential run before: "));
  save_screenshot (GTK_WIDGET (window), "axis-shared.png");

  /* Stacked, on one axis, both highlighted, both runs' figures side by side. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-last", NULL);
  g_assert_cmpuint (aw_timing_chart_get_n_runs (chart), ==, 2);
  g_assert_cmpuint (aw_timing_chart_get_n_rows (chart), ==, 6);
  g_assert_cmpint (aw_window_get_highlighted_history (window, 0), !=, -1);
  g_assert_cmpint (aw_window_get_highlighted_history (window, 1), !=, -1);
  g_assert_true (contains (aw_window_get_figure (window, 0), "│"));
  g_assert_true (contains (aw_timing_chart_get_title (chart, 1),
                           "differs: mode Sequential → Concurrent"));
  g_assert_true (contains (aw_window_get_comparison (window), "× faster than"));
  save_screenshot (GTK_WIDGET (window), "compare.png");

  /* A third run of the same setup keeps the axis; Fit fits it to the run shown. */
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpint (aw_timing_chart_get_axis_us (chart), ==, held_us);
  g_assert_true (contains (aw_window_get_comparison (window), "as fast as") ||
                 contains (aw_window_get_comparison (window), "× "));

  /* A run picked in the history: the line, the highlight and the offer follow it. */
  history_list = GTK_LIST_BOX (window_child (window, "list_box"));
  /* newest on top: the second run is the second row */
  g_signal_emit_by_name (history_list, "row-activated",
                         gtk_list_box_get_row_at_index (history_list, 1));
  g_assert_cmpint (aw_window_get_highlighted_history (window, 0), ==, 1);
  g_assert_true (contains (aw_window_get_comparison (window), "× faster than Sequential"));
  g_assert_true (stack_offered (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-last", NULL);
  g_assert_cmpuint (aw_timing_chart_get_n_runs (chart), ==, 2);
  /* the pair on screen: runs 0 and 1, not the last two */
  g_assert_cmpint (MIN (aw_window_get_highlighted_history (window, 0),
                        aw_window_get_highlighted_history (window, 1)), ==, 0);
  g_assert_cmpint (MAX (aw_window_get_highlighted_history (window, 0),
                        aw_window_get_highlighted_history (window, 1)), ==, 1);

  g_signal_emit_by_name (history_list, "row-activated",
                         gtk_list_box_get_row_at_index (history_list, 0));
  aw_window_fit_axis (window);
  g_assert_cmpint (aw_timing_chart_get_axis_us (chart), <, held_us / 2);
  destroy_window (window);
}

/* Each reason two runs do not compare, said in the line and in the history. */
static void
test_refusals (void)
{
  AwWindow *window = new_window (FALSE);
  GSettings *settings = aw_application_get_settings (app);
  AwTimingChart *chart = aw_window_get_chart (window);
  const char *four[] = { "Paris", "Toulouse", "Marseille", "Lyon", NULL };
  gint64 held_us;

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  held_us = aw_timing_chart_get_axis_us (chart);

  /* Other cities: no ratio, and the axis is the new run's own. */
  g_settings_set_strv (settings, "cities", four);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_true (contains (aw_window_get_comparison (window), "do not compare: different cities"));
  g_assert_false (contains (aw_window_get_comparison (window), "faster"));
  g_assert_false (stack_offered (window));
  g_assert_cmpint (aw_timing_chart_get_axis_us (chart), <, held_us / 2);
  g_assert_null (aw_timing_chart_get_reference (chart));

  /* Compared anyway from the history: both drawn, the line says why it does not compare. */
  aw_window_compare (window, 0, 1);
  g_assert_cmpuint (aw_timing_chart_get_n_runs (chart), ==, 2);
  g_assert_true (contains (aw_window_get_comparison (window), "do not compare: different cities"));
  g_assert_true (contains (aw_window_get_comparison (window), "differs: mode Sequential → Concurrent, cities 3 → 4"));
  save_screenshot (GTK_WIDGET (window), "compare-refused.png");

  /* Other settings. */
  g_settings_set_double (settings, "timeout", 7);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_true (contains (aw_window_get_comparison (window),
                           "do not compare: different settings: timeout 15 s → 7 s"));

  /* Failed tasks. */
  g_settings_set_double (settings, "demo-failure-rate", 0.34);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (aw_fetch_run_get_n_failed (aw_window_get_run (window)), >, 0);
  g_assert_true (contains (aw_window_get_comparison (window), "task failed")
                 || contains (aw_window_get_comparison (window), "tasks failed"));

  /* A stopped run. */
  g_settings_set_double (settings, "demo-failure-rate", 0);
  g_settings_set_double (settings, "demo-latency", 5);
  g_settings_set_double (settings, "demo-latency-max", 5);
  expected_history = aw_window_get_n_history (window) + 1;
  last_record = NULL;
  aw_window_start_run (window, AW_MODE_CONCURRENT);
  wait_for (window, run_live, 10);
  aw_window_stop_run (window);
  wait_for (window, run_recorded, 10);
  g_assert_true (contains (aw_window_get_comparison (window), "do not compare: stopped"));
  g_assert_false (stack_offered (window));
  destroy_window (window);
}

static JsonNode *
parse_json_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* What the screen compares, the exports cover: both runs, each named. */
static void
test_exports (void)
{
  AwWindow *window = new_window (FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aw-compare-XXXXXX", &error);
  g_autofree char *har_path = g_build_filename (dir, "pair.har", NULL);
  g_autofree char *trace_path = g_build_filename (dir, "pair.json", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "pair.csv", NULL);
  g_autofree char *one_path = g_build_filename (dir, "one.csv", NULL);
  g_autoptr(JsonNode) har = NULL;
  g_autoptr(JsonNode) trace = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *log;
  JsonArray *array;
  guint per_page[2] = { 0, 0 }, per_pid[3] = { 0, 0, 0 }, per_run[2] = { 0, 0 };

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  run_and_wait (window, AW_MODE_CONCURRENT);

  /* One run shown: one run exported. */
  g_assert_true (aw_window_export_runs (window, "csv", one_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (one_path, &csv, NULL, NULL));
  lines = g_strsplit (g_strchomp (csv), "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3);
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&csv, g_free);

  aw_window_compare (window, 0, 1);
  g_assert_true (aw_window_export_runs (window, "har", har_path, &error));
  g_assert_true (aw_window_export_runs (window, "trace", trace_path, &error));
  g_assert_true (aw_window_export_runs (window, "csv", csv_path, &error));
  g_assert_no_error (error);

  har = parse_json_file (har_path);
  log = json_object_get_object_member (json_node_get_object (har), "log");
  array = json_object_get_array_member (log, "pages");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_true (contains (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                          "title"), "sequential"));
  g_assert_true (contains (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                          "title"), "concurrent"));
  array = json_object_get_array_member (log, "entries");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *page = json_object_get_string_member (json_array_get_object_element (array, i),
                                                        "pageref");

      per_page[g_str_equal (page, "run2")]++;
    }
  g_assert_cmpuint (per_page[0], ==, 3);
  g_assert_cmpuint (per_page[1], ==, 3);

  trace = parse_json_file (trace_path);
  array = json_object_get_array_member (json_node_get_object (trace), "traceEvents");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *event = json_array_get_object_element (array, i);
      gint64 pid = json_object_get_int_member (event, "pid");

      g_assert_cmpint (pid, >=, 1);
      g_assert_cmpint (pid, <=, 2);
      if (g_str_equal (json_object_get_string_member (event, "name"), "process_name"))
        per_pid[0]++;
      per_pid[pid]++;
    }
  g_assert_cmpuint (per_pid[0], ==, 2);
  g_assert_cmpuint (per_pid[1], >, 3);
  g_assert_cmpuint (per_pid[2], >, 3);

  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (g_strchomp (csv), "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6);
  g_assert_true (g_str_has_suffix (lines[0], ",run,mode"));
  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (g_str_has_suffix (lines[i], ",1,sequential"))
        per_run[0]++;
      else if (g_str_has_suffix (lines[i], ",2,concurrent"))
        per_run[1]++;
    }
  g_assert_cmpuint (per_run[0], ==, 3);
  g_assert_cmpuint (per_run[1], ==, 3);

  destroy_window (window);
  g_unlink (har_path);
  g_unlink (trace_path);
  g_unlink (csv_path);
  g_unlink (one_path);
  g_rmdir (dir);
}

/* The history outlives the window: a second window reads what the first saved. */
static void
test_history_restart (void)
{
  AwWindow *window = new_window (FALSE);
  GSettings *settings = aw_application_get_settings (app);
  g_autofree char *path = aw_history_get_path ();
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  g_autofree char *json = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const AwRunRecord *record;

  run_and_wait (window, AW_MODE_SEQUENTIAL);
  g_settings_set_int (settings, "limit", 3);
  g_settings_set_int (settings, "conns-per-host", 4);
  run_and_wait (window, AW_MODE_LIMITED);
  /* Saved on a worker thread: once it is done, the file is there. */
  aw_history_wait ();
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  destroy_window (window);

  window = new_window (TRUE);
  g_assert_cmpuint (aw_window_get_n_history (window), ==, 2);
  record = aw_window_get_history_record (window, 1);
  g_assert_cmpint (record->mode, ==, AW_MODE_LIMITED);
  g_assert_cmpuint (record->limit, ==, 3);
  g_assert_cmpuint (record->conns_per_host, ==, 4);
  g_assert_cmpfloat_with_epsilon (record->latency_min_s, LATENCY_S, 1e-9);
  g_assert_cmpuint (g_strv_length (record->cities), ==, 3);
  g_assert_true (record->finished);
  g_assert_cmpint (record->total_us, >, 0);
  /* The restored runs still compare by their figures: here they differ in a setting. */
  g_assert_true (contains (aw_window_get_comparison (window),
                           "do not compare: different settings: connections per host"));
  g_assert_null (aw_window_get_notice (window));

  /* Their bars came back too: the two can be drawn, compared and exported again. */
  aw_window_compare (window, 0, 1);
  g_assert_cmpuint (aw_timing_chart_get_n_runs (aw_window_get_chart (window)), ==, 2);
  g_assert_cmpuint (aw_timing_chart_get_n_rows (aw_window_get_chart (window)), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      AwTask *task = aw_timing_chart_get_row_task (aw_window_get_chart (window), i);

      g_assert_cmpint (aw_task_get_state (task), ==, AW_TASK_SUCCEEDED);
      g_assert_cmpint (aw_task_get_phase_us (task, AW_PHASE_WAIT), >=, LATENCY_US - 20000);
      g_assert_nonnull (aw_task_get_weather (task));
    }
  g_assert_cmpint (aw_fetch_run_get_sum_us (aw_window_get_run (window)), ==,
                   aw_window_get_history_record (window, 1)->sum_us);
  g_assert_true (contains (aw_window_get_comparison (window), "connections per host"));
  destroy_window (window);
  g_settings_reset (settings, "conns-per-host");

  /* A damaged file is ignored, with a notice. */
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"runs\": [{]", -1, NULL));
  window = new_window (TRUE);
  g_assert_cmpuint (aw_window_get_n_history (window), ==, 0);
  g_assert_true (contains (aw_window_get_notice (window), "damaged"));
  destroy_window (window);

  /* Bounded: 60 saved runs come back as the newest 50, and the file keeps 50. */
  for (guint i = 0; i < 60; i++)
    {
      AwRunRecord *r = aw_run_record_new ();

      r->mode = AW_MODE_LIMITED;
      r->limit = i + 1;
      r->finished = TRUE;
      r->total_us = 1000000;
      g_ptr_array_add (many, r);
    }
  json = aw_run_record_list_to_json (many);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  window = new_window (TRUE);
  g_assert_cmpuint (aw_window_get_n_history (window), ==, AW_HISTORY_MAX_RUNS);
  g_assert_cmpuint (aw_window_get_history_record (window, 0)->limit, ==, 11);
  run_and_wait (window, AW_MODE_CONCURRENT);
  g_assert_cmpuint (aw_window_get_n_history (window), ==, AW_HISTORY_MAX_RUNS);
  destroy_window (window);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  records = aw_run_record_list_from_json (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, AW_HISTORY_MAX_RUNS);
  g_assert_cmpint (((AwRunRecord *)g_ptr_array_index (records, records->len - 1))->mode, ==,
                   AW_MODE_CONCURRENT);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* A data directory of its own, before GTK reads the data directories. */
  data_home = g_dir_make_tmp ("aw-test-compare-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  app = aw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add_func ("/compare/like-for-like", test_like_for_like);
  g_test_add_func ("/compare/refusals", test_refusals);
  g_test_add_func ("/compare/exports", test_exports);
  g_test_add_func ("/compare/history-restart", test_history_restart);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
