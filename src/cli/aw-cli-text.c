/* aw-cli-text.c: the CLI's report for people: results table, waterfall, thread lanes, totals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aw-distribution.h"
#include "aw-fetch-run.h"

#include "aw-cli-private.h"

#define WATERFALL_WIDTH   50
#define WATERFALL_ROWS    40

/* One character per phase in the text waterfall. */
static const char phase_marks[AW_N_PHASES] = { '.', 'd', 'c', 't', 's', '=', 'r', 'p' };

/* @text padded with spaces to @width terminal columns (printf pads bytes, not columns). */
static char *
pad (const char *text,
     guint       width)
{
  GString *padded = g_string_new (text);
  guint columns = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    columns += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  for (guint i = columns; i < width; i++)
    g_string_append_c (padded, ' ');
  return g_string_free (padded, FALSE);
}

void
aw_cli_print_results (AwFetchRun *run)
{
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const AwWeather *weather = aw_task_get_weather (task);
      double seconds = aw_task_get_active_us (task) / (double)G_USEC_PER_SEC;

      g_autofree char *city = pad (aw_task_get_city (task), 16);

      if (aw_weather_is_sleep (weather))
        /* Translators: city, seconds the task of the "sleep only" workload took */
        g_print (_("%s slept %6.2f s\n"), city, seconds);
      else if (weather != NULL)
        {
          g_autofree char *condition = pad (weather->condition, 26);

          /* Translators: city, temperature, condition, seconds the task took */
          g_print (_("%s %5.1f °C  %s %6.2f s\n"), city, weather->temperature_c, condition,
                   seconds);
        }
      else if (aw_task_get_state (task) == AW_TASK_CANCELLED)
        /* Translators: city, seconds the task ran before the run was stopped */
        g_print (_("%s stopped (%.2f s)\n"), city, seconds);
      else
        /* Translators: city, the error, seconds the task took */
        g_print (_("%s error: %s (%.2f s)\n"), city, aw_task_get_error (task)->message, seconds);
      if (aw_task_get_note (task) != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (aw_task_get_note (task), "\n", -1);

          for (guint j = 0; lines[j] != NULL; j++)
            g_print ("%16s (%s)\n", "", lines[j]);
        }
    }
}

/* What a thread lane's column was mostly: idle in poll, a callback (':' where one ran in a
 * column mostly idle), a frame, blocked; nothing recorded (a worker without a task): blank. */
static char
lane_mark (const AwSlice *slices,
           guint          n_slices,
           gint64         from_us,
           gint64         to_us)
{
  static const char marks[] = { [AW_SLICE_IDLE] = '-', [AW_SLICE_CALLBACK] = '#',
                                [AW_SLICE_FRAME] = 'f', [AW_SLICE_BLOCKED] = '~' };
  gint64 time[G_N_ELEMENTS (marks)] = { 0 };
  guint best = AW_SLICE_IDLE;

  for (guint i = 0; i < n_slices; i++)
    {
      gint64 start = MAX (slices[i].start_us, from_us);
      gint64 end = MIN (slices[i].end_us, to_us);

      if (end > start || (end == start && slices[i].start_us >= from_us && end < to_us))
        time[slices[i].kind] += end - start + 1;
    }
  for (guint kind = 0; kind < G_N_ELEMENTS (marks); kind++)
    if (time[kind] > time[best])
      best = kind;
  if (time[best] == 0)
    return ' ';
  if (best == AW_SLICE_IDLE && time[AW_SLICE_CALLBACK] > 0)
    return ':';
  return marks[best];
}

/* The loop line and the workers' lines under the tasks' waterfall. */
static void
print_lanes (AwFetchRun *run)
{
  gint64 total = MAX (aw_fetch_run_get_total_us (run), 1);
  guint n_lanes = aw_fetch_run_get_n_lanes (run);
  guint n_rows = MIN (n_lanes, WATERFALL_ROWS / 4);

  for (guint lane = 0; lane < n_rows; lane++)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);
      char line[WATERFALL_WIDTH + 1];
      g_autofree char *name = pad (aw_fetch_run_get_lane_name (run, lane), 16);

      for (int c = 0; c < WATERFALL_WIDTH; c++)
        line[c] = lane_mark (slices, n_slices, c * total / WATERFALL_WIDTH,
                             (c + 1) * total / WATERFALL_WIDTH);
      line[WATERFALL_WIDTH] = '\0';
      g_print ("%s |%s|\n", name, line);
    }
  if (n_lanes > n_rows)
    g_print (_("… and %u more threads\n"), n_lanes - n_rows);
  if (n_lanes > 0)
    g_print (_("threads: - idle in poll  # callback  : a short callback  ~ blocked  "
               "f frame\n"));
}

/* The loop's figures, the bound and what the rest of the wall time went to. */
static void
print_loop_totals (AwFetchRun *run)
{
  AwLoopFigures figures;
  g_autofree char *gap = aw_fetch_run_describe_gap (run);
  gint64 total = MAX (aw_fetch_run_get_total_us (run), 1);

  aw_fetch_run_get_loop_figures (run, &figures);
  /* Translators: busy ms, busy share of the run, callbacks, longest callback ms, turns */
  g_print (_("loop busy      %.1f ms (%.1f %%), %u callbacks, longest %.1f ms, %u turns\n"),
           ms (figures.busy_us), 100.0 * figures.busy_us / total, figures.n_callbacks,
           ms (figures.longest_callback_us), figures.n_iterations);
  g_print (_("bound          %.2f s\n"), aw_fetch_run_get_bound_us (run) / (double)G_USEC_PER_SEC);
  if (gap != NULL)
    g_print (_("the rest       %s\n"), gap);
}

void
aw_cli_print_waterfall (AwFetchRun *run)
{
  gint64 total = MAX (aw_fetch_run_get_total_us (run), 1);
  guint n_tasks = aw_fetch_run_get_n_tasks (run);
  guint n_rows = MIN (n_tasks, WATERFALL_ROWS);

  g_print ("\n");
  for (guint i = 0; i < n_rows; i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      char bar[WATERFALL_WIDTH + 1];
      const AwSpan *spans;
      guint n_spans;

      memset (bar, ' ', WATERFALL_WIDTH);
      bar[WATERFALL_WIDTH] = '\0';
      spans = aw_task_get_spans (task, &n_spans);
      for (guint s = 0; s < n_spans; s++)
        {
          int from = spans[s].start_us * WATERFALL_WIDTH / total;
          int to = spans[s].end_us * WATERFALL_WIDTH / total;

          /* A short phase still gets one column, so that none disappears. */
          to = CLAMP (MAX (to, from + 1), 0, WATERFALL_WIDTH);
          for (int c = CLAMP (from, 0, WATERFALL_WIDTH - 1); c < to; c++)
            bar[c] = phase_marks[spans[s].phase];
        }
      if (aw_task_get_state (task) != AW_TASK_SUCCEEDED)
        {
          int end = CLAMP (aw_task_get_end_us (task) * WATERFALL_WIDTH / total, 0,
                           WATERFALL_WIDTH - 1);
          bar[end] = aw_task_get_state (task) == AW_TASK_CANCELLED ? '/' : 'X';
        }
      /* g_utf8_substring() reads past the end when asked for more characters than there are. */
      const char *name = aw_task_get_city (task);
      g_autofree char *city = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 16));
      g_autofree char *padded = pad (city, 16);

      g_print ("%s |%s|\n", padded, bar);
    }
  if (n_tasks > n_rows)
    g_print (_("… and %u more tasks\n"), n_tasks - n_rows);

  print_lanes (run);
  g_print ("%-16s  0%*s%.0f ms\n", "", WATERFALL_WIDTH - 2, "", ms (total));
  g_print (_("legend: . queued  d dns  c connect  t tls  s send  = wait  r receive  p parse  "
             "X failed  / cancelled\n"));
}

/* The spread of the task durations, from AW_DISTRIBUTION_MIN_TASKS tasks; FALSE below. */
gboolean
aw_cli_get_percentiles (AwFetchRun    *run,
                 AwPercentiles *percentiles)
{
  g_autoptr(GArray) durations = aw_distribution_run_durations (run);

  if (durations->len < AW_DISTRIBUTION_MIN_TASKS)
    return FALSE;
  return aw_distribution_percentiles ((const gint64 *)(gpointer)durations->data, durations->len,
                                      percentiles);
}

void
aw_cli_print_totals (AwFetchRun *run)
{
  AwPercentiles percentiles;

  g_print ("\n");
  g_print (_("mode           %s\n"), aw_mode_get_label (aw_fetch_run_get_mode (run)));
  g_print (_("total          %.2f s\n"), aw_fetch_run_get_total_us (run) / (double)G_USEC_PER_SEC);
  g_print (_("sum of tasks   %.2f s\n"), aw_fetch_run_get_sum_us (run) / (double)G_USEC_PER_SEC);
  g_print (_("speedup        %.1f×\n"), aw_fetch_run_get_speedup (run));
  g_print (_("longest stall  %.0f ms\n"), ms (aw_fetch_run_get_longest_stall_us (run)));
  if (aw_cli_get_percentiles (run, &percentiles))
    /* Translators: task durations at the 50th, 95th and 99th percentile */
    g_print (_("p50 p95 p99    %.0f ms  %.0f ms  %.0f ms\n"), ms (percentiles.p50_us),
             ms (percentiles.p95_us), ms (percentiles.p99_us));
  if (aw_fetch_run_get_total_us (run) > 0)
    /* Translators: the process's CPU time during the run, and how many cores that is */
    g_print (_("CPU            %.2f s · %.1f cores\n"),
             aw_fetch_run_get_cpu_us (run) / (double)G_USEC_PER_SEC,
             aw_fetch_run_get_cpu_us (run) / (double)aw_fetch_run_get_total_us (run));
  print_loop_totals (run);
  if (aw_fetch_run_get_n_failed (run) > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u task failed\n", "%u tasks failed\n",
                          aw_fetch_run_get_n_failed (run)),
             aw_fetch_run_get_n_failed (run));
}
