/* bench-window.c: the real window with 1000 live bars, timed by its frame clock
 *
 * First a run of 3 tasks: what the frame clock gives with next to nothing to do, the
 * reference. Then 1000 tasks in Concurrent, Limited (K = 100) and Threads: for each, the first
 * frame after Run, the intervals between frames while the run is live and up to the frame
 * that shows its results (p50, p95, max), and the window's own "longest frame" figure,
 * against the targets as ratios to the reference (p95 at most 1.2× the reference's, no frame
 * longer than 3× its p95). Last, Concurrent again at a fixed latency: all 1000 answers in
 * one burst, the hardest case for the window; then that chart of 1000 tasks zoomed in step by
 * step to a fraction of a millisecond and out again, a step a frame. Figures, not
 * assertions. `bench-window burst` measures only the reference, the burst and the zoom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-window.h"

#include <time.h>

#define N_TASKS         1000
#define N_TASKS_IDLE    3
/* Half a refresh late at 60 Hz: a frame that a screen would show one refresh late. */
#define LATE_FRAME_US   25000

typedef struct
{
  AwWindow *window;
  gint64    run_started_us;  /* 0 while no run is measured */
  gint64    first_bars_us;
  guint     n_history;       /* finished runs before this one: one more shows its results */
  gboolean  results_shown;
  GArray   *frame_times;     /* gint64 µs, after each paint from Run to the results */
} Measure;

/* AW_BENCH_TRACE=1: where the loop's time went, to find what long frames wait for. */
static GPollFunc default_poll;
static gint64 trace_origin_us;
static gint64 polled_us;
static gint64 busy_since_paint_us;
static guint turns_since_paint;
static gint64 last_paint_us;
static gint64 cpu_at_paint_us;

/* The main thread's own CPU time: a busy stretch may be the thread preempted, not working. */
static gint64
thread_cpu_us (void)
{
#ifdef G_OS_UNIX
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
#else
  return 0;
#endif
}

static void
on_after_paint (GdkFrameClock *clock,
                Measure       *measure)
{
  gint64 now = g_get_monotonic_time ();

  if (trace_origin_us != 0 && last_paint_us != 0 && now - last_paint_us > 20000)
    g_print ("  frame of %.1f ms ending %.0f ms after Run: loop busy %.1f ms over %u turns, "
             "its thread on a CPU %.1f ms\n",
             (now - last_paint_us) / 1000.0, (now - trace_origin_us) / 1000.0,
             busy_since_paint_us / 1000.0, turns_since_paint,
             (thread_cpu_us () - cpu_at_paint_us) / 1000.0);
  last_paint_us = now;
  cpu_at_paint_us = thread_cpu_us ();
  busy_since_paint_us = 0;
  turns_since_paint = 0;
  if (measure->run_started_us == 0 || aw_window_get_run (measure->window) == NULL)
    return;
  if (measure->first_bars_us == 0
      && aw_timing_chart_get_n_rows (aw_window_get_chart (measure->window)) > 0)
    measure->first_bars_us = now;
  /* Up to the frame that shows the results: the city list and history fill in then. */
  if (!measure->results_shown)
    g_array_append_val (measure->frame_times, now);
  measure->results_shown = aw_window_get_n_history (measure->window) > measure->n_history;
}

/* Each stretch of the loop busy between two polls, longer than 8 ms, and the busy time and
 * turns before each frame: one long dispatch tells from a frame waiting behind many short. */
static int
tracing_poll (GPollFD *fds,
              guint    n_fds,
              int      timeout)
{
  gint64 now = g_get_monotonic_time ();
  int result;

  if (trace_origin_us != 0 && polled_us != 0 && now - polled_us > 8000)
    g_print ("  busy %.1f ms, ending %.0f ms after Run (monotonic %.6f s)\n",
             (now - polled_us) / 1000.0, (now - trace_origin_us) / 1000.0, now / 1e6);
  if (polled_us != 0)
    busy_since_paint_us += now - polled_us;
  turns_since_paint++;
  result = default_poll (fds, n_fds, timeout);
  polled_us = g_get_monotonic_time ();
  return result;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *sorted,
               double  fraction)
{
  guint index = MIN (sorted->len - 1, (guint)(fraction * sorted->len));

  return g_array_index (sorted, gint64, index) / 1000.0;
}

/* The chart's own snapshot, without the rest of the window: what a frame costs it. */
static double
snapshot_chart_ms (AwTimingChart *chart)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  gint64 started = g_get_monotonic_time ();
  double ms;

  GTK_WIDGET_GET_CLASS (chart)->snapshot (GTK_WIDGET (chart), snapshot);
  ms = (g_get_monotonic_time () - started) / 1000.0;
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
  return ms;
}

static void
set_true (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
}

static void
iterate_for (double seconds)
{
  gboolean done = FALSE;

  /* Blocking iterations: a busy loop would take the CPU that the figures are about. */
  g_timeout_add_once (seconds * 1000, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
set_cities (GSettings *settings,
            guint      n)
{
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);
  g_settings_set_strv (settings, "cities", (const char * const *)cities->pdata);
}

/* One run of the window's cities in @mode, from Run to the frame that shows its results.
 * Returns the intervals between frames, sorted; @live_snapshot_ms, if given, times one
 * snapshot of the chart while its bars grow. */
static GArray *
measure_run (Measure *measure,
             AwMode   mode,
             double  *live_snapshot_ms)
{
  GArray *intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  AwFetchRun *run;

  measure->n_history = aw_window_get_n_history (measure->window);
  measure->results_shown = FALSE;
  measure->first_bars_us = 0;
  g_array_set_size (measure->frame_times, 0);

  measure->run_started_us = g_get_monotonic_time ();
  if (g_getenv ("AW_BENCH_TRACE") != NULL)
    trace_origin_us = measure->run_started_us;
  aw_window_start_run (measure->window, mode);
  while ((run = aw_window_get_run (measure->window)) == NULL || !aw_fetch_run_is_finished (run))
    {
      g_main_context_iteration (NULL, TRUE);
      if (live_snapshot_ms != NULL && *live_snapshot_ms == 0 && run != NULL && aw_fetch_run_is_running (run)
          && g_get_monotonic_time () - measure->run_started_us > 700000)
        *live_snapshot_ms = snapshot_chart_ms (aw_window_get_chart (measure->window));
    }
  iterate_for (0.3);

  for (guint i = 1; i < measure->frame_times->len; i++)
    {
      gint64 gap = g_array_index (measure->frame_times, gint64, i)
                   - g_array_index (measure->frame_times, gint64, i - 1);

      g_array_append_val (intervals, gap);
    }
  g_array_sort (intervals, compare_gint64);
  return intervals;
}

static void
print_intervals (const char *title,
                 GArray     *sorted)
{
  guint n_late = 0;

  if (sorted->len == 0)
    return;
  for (guint i = 0; i < sorted->len; i++)
    n_late += g_array_index (sorted, gint64, i) > LATE_FRAME_US;
  g_print ("%-22s p50 %.1f ms, p95 %.1f ms, max %.1f ms over %u frames, %u over %d ms",
           title, percentile_ms (sorted, 0.5), percentile_ms (sorted, 0.95),
           percentile_ms (sorted, 1.0), sorted->len, n_late, LATE_FRAME_US / 1000);
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "missed";
}

/* 1000 tasks in @mode, against the reference p95 of the 3-task run. */
static void
measure_mode (Measure    *measure,
              AwMode      mode,
              const char *what,
              double      reference_p95_ms)
{
  g_autoptr(GArray) intervals = NULL;
  double live_snapshot_ms = 0;
  double first_bars_ms, p95_ms, max_ms, figure_ms;
  AwFetchRun *run;

  intervals = measure_run (measure, mode, mode == AW_MODE_CONCURRENT ? &live_snapshot_ms : NULL);
  run = aw_window_get_run (measure->window);
  g_print ("\n%s%s, %u tasks (%u failed), wall %.2f s\n", aw_mode_get_label (mode), what,
           aw_fetch_run_get_n_tasks (run), aw_fetch_run_get_n_failed (run),
           aw_fetch_run_get_total_us (run) / 1e6);
  first_bars_ms = (measure->first_bars_us - measure->run_started_us) / 1000.0;
  g_print ("  first frame with bars  %.1f ms after Run\n", first_bars_ms);
  if (intervals->len == 0)
    return;
  p95_ms = percentile_ms (intervals, 0.95);
  max_ms = percentile_ms (intervals, 1.0);
  figure_ms = aw_window_get_frame_gap_us (measure->window) / 1000.0;
  g_print ("  ");
  print_intervals ("frame interval", intervals);
  g_print ("\n  p95 %.2f× the reference   (target ≤ 1.2×: %s)\n", p95_ms / reference_p95_ms,
           verdict (p95_ms <= 1.2 * reference_p95_ms));
  g_print ("  longest %.2f× its p95     (target ≤ 3×: %s)\n", max_ms / reference_p95_ms,
           verdict (max_ms <= 3 * reference_p95_ms));
  g_print ("  the window's own figure  longest frame %.1f ms, %.2f× the reference p95 "
           "(target ≤ 3×: %s)\n", figure_ms, figure_ms / reference_p95_ms,
           verdict (figure_ms <= 3 * reference_p95_ms));
  if (live_snapshot_ms > 0)
    g_print ("  chart snapshot         %.2f ms with %u live rows\n", live_snapshot_ms,
             aw_timing_chart_get_n_rows (aw_window_get_chart (measure->window)));
}

static void
on_zoom_paint (GdkFrameClock *clock,
               GArray        *paints)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (paints, now);
}

/* Zooming the chart of the last run: ×1.25 a frame, 40 times in (to about 0.1 ms on a
 * second's axis) and 40 out, around the middle of the chart. */
static void
measure_zoom (Measure *measure,
              double   reference_p95_ms)
{
  AwTimingChart *chart = aw_window_get_chart (measure->window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (chart));
  g_autoptr(GArray) paints = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  double x = gtk_widget_get_width (GTK_WIDGET (chart)) / 2.0;
  double snapshot_sum = 0, snapshot_max = 0;
  gint64 start_us, end_us;
  gulong handler;

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_zoom_paint), paints);
  for (guint step = 0; step < 80; step++)
    {
      guint painted = paints->len;
      double ms;

      aw_timing_chart_zoom (chart, step < 40 ? 1.25 : 0.8, x);
      ms = snapshot_chart_ms (chart);
      snapshot_sum += ms;
      snapshot_max = MAX (snapshot_max, ms);
      if (step == 39)
        aw_timing_chart_get_view (chart, &start_us, &end_us);
      while (paints->len == painted)
        g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
  for (guint i = 1; i < paints->len; i++)
    {
      gint64 gap = g_array_index (paints, gint64, i) - g_array_index (paints, gint64, i - 1);

      g_array_append_val (intervals, gap);
    }
  g_array_sort (intervals, compare_gint64);
  g_print ("\nZooming the chart of %u tasks, a step a frame, in to a view of %.2f ms and out\n",
           aw_timing_chart_get_n_rows (chart), (end_us - start_us) / 1000.0);
  g_print ("  ");
  print_intervals ("frame interval", intervals);
  g_print ("\n  p95 %.2f× the reference   (target ≤ 1.2×: %s)\n",
           percentile_ms (intervals, 0.95) / reference_p95_ms,
           verdict (percentile_ms (intervals, 0.95) <= 1.2 * reference_p95_ms));
  g_print ("  chart snapshot         mean %.2f ms, max %.2f ms\n", snapshot_sum / 80,
           snapshot_max);
  aw_timing_chart_reset_zoom (chart);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AwApplication) app = NULL;
  g_autoptr(GArray) idle_intervals = NULL;
  Measure measure = { 0 };
  GSettings *settings;
  double reference_p95_ms;

  gtk_init ();
  if (g_getenv ("AW_BENCH_TRACE") != NULL)
    {
      default_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, tracing_poll);
    }
  app = aw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  settings = aw_application_get_settings (app);
  /* Answers spread over a second, so that bars keep growing while others end. */
  g_settings_set_double (settings, "demo-latency", 0.5);
  g_settings_set_double (settings, "demo-latency-max", 1.5);
  g_settings_set_int (settings, "limit", 100);

  measure.window = aw_window_new (app);
  measure.frame_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_window_present (GTK_WINDOW (measure.window));
  iterate_for (1.0);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (measure.window)), "after-paint",
                    G_CALLBACK (on_after_paint), &measure);

  /* The reference: the frame clock's own regularity, with next to nothing to do. */
  set_cities (settings, N_TASKS_IDLE);
  iterate_for (0.5);
  idle_intervals = measure_run (&measure, AW_MODE_CONCURRENT, NULL);
  if (idle_intervals->len == 0)
    g_error ("no frame was drawn during the reference run");
  reference_p95_ms = percentile_ms (idle_intervals, 0.95);
  print_intervals ("reference, 3 tasks", idle_intervals);
  g_print ("\n");

  set_cities (settings, N_TASKS);
  iterate_for (1.0);
  if (argc < 2 || g_strcmp0 (argv[1], "burst") != 0)
    {
      measure_mode (&measure, AW_MODE_CONCURRENT, "", reference_p95_ms);
      measure_mode (&measure, AW_MODE_LIMITED, "", reference_p95_ms);
      measure_mode (&measure, AW_MODE_THREADS, "", reference_p95_ms);
    }

  /* One fixed latency: the 1000 answers arrive together, in one burst. */
  g_settings_set_double (settings, "demo-latency", 0.3);
  g_settings_set_double (settings, "demo-latency-max", 0.3);
  iterate_for (0.5);
  measure_mode (&measure, AW_MODE_CONCURRENT, ", fixed latency 0.3 s (one burst)",
                reference_p95_ms);
  measure_zoom (&measure, reference_p95_ms);

  gtk_window_destroy (GTK_WINDOW (measure.window));
  iterate_for (0.2);
  g_array_unref (measure.frame_times);
  return 0;
}
