/* bench-window.c: the real window with 1000 live bars, timed by its frame clock
 *
 * Prints the first frame after Run, the intervals between frames while the run is live and
 * up to the frame that shows its results (p50, p95, max) and the time one snapshot of the chart takes. Figures, not assertions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-window.h"

#define N_TASKS 1000

static GArray  *frame_times;     /* gint64 µs, after each paint while the run is live */
static gint64   run_started_us;
static gint64   first_bars_us;
static gboolean results_shown;

static void
on_after_paint (GdkFrameClock *clock,
                AwWindow      *window)
{
  AwFetchRun *run = aw_window_get_run (window);
  gint64 now = g_get_monotonic_time ();

  if (run_started_us == 0 || run == NULL)
    return;
  if (first_bars_us == 0 && aw_timing_chart_get_n_rows (aw_window_get_chart (window)) > 0)
    first_bars_us = now;
  /* Up to the frame that shows the results: the city list and history fill in then. */
  if (!results_shown)
    g_array_append_val (frame_times, now);
  results_shown = aw_window_get_n_history (window) > 0;
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
iterate_for (double seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AwApplication) app = NULL;
  g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  GSettings *settings;
  AwWindow *window;
  AwFetchRun *run;
  double live_snapshot_ms = 0;
  double best_snapshot_ms = G_MAXDOUBLE;

  gtk_init ();
  app = aw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  for (guint i = 0; i < N_TASKS; i++)
    g_ptr_array_add (cities, g_strdup_printf ("city%u", i));
  g_ptr_array_add (cities, NULL);
  settings = aw_application_get_settings (app);
  g_settings_set_strv (settings, "cities", (const char * const *)cities->pdata);
  /* Answers spread over a second, so that bars keep growing while others end. */
  g_settings_set_double (settings, "demo-latency", 0.5);
  g_settings_set_double (settings, "demo-latency-max", 1.5);

  window = aw_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (1.0);

  frame_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), window);

  run_started_us = g_get_monotonic_time ();
  aw_window_start_run (window, AW_MODE_CONCURRENT);
  while ((run = aw_window_get_run (window)) == NULL || !aw_fetch_run_is_finished (run))
    {
      g_main_context_iteration (NULL, TRUE);
      if (live_snapshot_ms == 0 && run != NULL && aw_fetch_run_is_running (run)
          && g_get_monotonic_time () - run_started_us > 700000)
        live_snapshot_ms = snapshot_chart_ms (aw_window_get_chart (window));
    }
  iterate_for (0.3);

  for (guint i = 1; i < frame_times->len; i++)
    {
      gint64 gap = g_array_index (frame_times, gint64, i)
                   - g_array_index (frame_times, gint64, i - 1);

      g_array_append_val (intervals, gap);
    }
  /* AW_BENCH_TRACE=1: when the long frames happened, to find what caused them. */
  for (guint i = 1; i < frame_times->len && g_getenv ("AW_BENCH_TRACE") != NULL; i++)
    {
      gint64 end = g_array_index (frame_times, gint64, i);
      gint64 gap = end - g_array_index (frame_times, gint64, i - 1);

      if (gap > 20000)
        g_print ("frame of %.1f ms, ending %.0f ms after Run\n", gap / 1000.0,
                 (end - run_started_us) / 1000.0);
    }
  g_array_sort (intervals, compare_gint64);

  for (guint i = 0; i < 20; i++)
    best_snapshot_ms = MIN (best_snapshot_ms, snapshot_chart_ms (aw_window_get_chart (window)));

  g_print ("tasks                  %u (%u failed), wall %.2f s\n", aw_fetch_run_get_n_tasks (run),
           aw_fetch_run_get_n_failed (run), aw_fetch_run_get_total_us (run) / 1e6);
  g_print ("first frame with bars  %.1f ms after Run   (target ≤ 300 ms)\n",
           (first_bars_us - run_started_us) / 1000.0);
  if (intervals->len > 0)
    g_print ("frame interval         p50 %.1f ms, p95 %.1f ms, max %.1f ms over %u frames   "
             "(target p95 ≤ 17 ms, max ≤ 50 ms)\n",
             percentile_ms (intervals, 0.5), percentile_ms (intervals, 0.95),
             percentile_ms (intervals, 1.0), intervals->len);
  g_print ("chart snapshot         %.2f ms live, %.2f ms finished, %u rows   (target < 2 ms)\n",
           live_snapshot_ms, best_snapshot_ms,
           aw_timing_chart_get_n_rows (aw_window_get_chart (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_for (0.2);
  g_array_unref (frame_times);
  return 0;
}
