/* aw-cli-json.c: the CLI's report for programs (--json): the run, its lanes and its tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "aw-fetch-run.h"

#include "aw-cli-private.h"

/* "percentiles": {p50_ms, p95_ms, p99_ms}, or null below AW_DISTRIBUTION_MIN_TASKS tasks. */
static void
add_percentiles (JsonBuilder *builder,
                 AwFetchRun  *run)
{
  AwPercentiles percentiles;

  json_builder_set_member_name (builder, "percentiles");
  if (!aw_cli_get_percentiles (run, &percentiles))
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "p50_ms");
  json_builder_add_double_value (builder, ms (percentiles.p50_us));
  json_builder_set_member_name (builder, "p95_ms");
  json_builder_add_double_value (builder, ms (percentiles.p95_us));
  json_builder_set_member_name (builder, "p99_ms");
  json_builder_add_double_value (builder, ms (percentiles.p99_us));
  json_builder_end_object (builder);
}

static void
add_ms_member (JsonBuilder *builder,
               const char  *name,
               gint64       us)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, ms (us));
}

/* bound_ms, loop{…} and threads[…] of the run. */
static void
add_lanes_json (JsonBuilder *builder,
                AwFetchRun  *run)
{
  AwLoopFigures figures;

  aw_fetch_run_get_loop_figures (run, &figures);
  add_ms_member (builder, "bound_ms", aw_fetch_run_get_bound_us (run));
  json_builder_set_member_name (builder, "loop");
  json_builder_begin_object (builder);
  add_ms_member (builder, "busy_ms", figures.busy_us);
  add_ms_member (builder, "idle_ms", figures.idle_us);
  json_builder_set_member_name (builder, "callbacks");
  json_builder_add_int_value (builder, figures.n_callbacks);
  json_builder_set_member_name (builder, "iterations");
  json_builder_add_int_value (builder, figures.n_iterations);
  add_ms_member (builder, "longest_callback_ms", figures.longest_callback_us);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "threads");
  json_builder_begin_array (builder);
  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);
      /* For programs, as the nicks are: the same in every language. */
      g_autofree char *name = lane == 0 ? g_strdup ("main loop")
                                        : g_strdup_printf ("worker %u", lane);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "slices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_slices; i++)
        {
          json_builder_begin_object (builder);
          add_ms_member (builder, "start_ms", slices[i].start_us);
          add_ms_member (builder, "end_ms", slices[i].end_us);
          json_builder_set_member_name (builder, "task");
          json_builder_add_int_value (builder, slices[i].task);
          json_builder_set_member_name (builder, "kind");
          json_builder_add_string_value (builder, aw_slice_kind_to_string (slices[i].kind));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_ledger_json (JsonBuilder *builder,
                 AwTask      *task)
{
  AwLedger ledger;

  aw_task_get_ledger (task, &ledger);
  json_builder_set_member_name (builder, "ledger");
  json_builder_begin_object (builder);
  add_ms_member (builder, "queued_ms", ledger.queued_us);
  add_ms_member (builder, "network_ms", ledger.network_us);
  add_ms_member (builder, "ready_ms", ledger.ready_us);
  add_ms_member (builder, "running_ms", ledger.running_us);
  json_builder_end_object (builder);
}

void
aw_cli_print_json (AwFetchRun *run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, aw_mode_to_string (aw_fetch_run_get_mode (run)));
  json_builder_set_member_name (builder, "total_ms");
  json_builder_add_double_value (builder, ms (aw_fetch_run_get_total_us (run)));
  json_builder_set_member_name (builder, "sum_ms");
  json_builder_add_double_value (builder, ms (aw_fetch_run_get_sum_us (run)));
  json_builder_set_member_name (builder, "speedup");
  json_builder_add_double_value (builder, aw_fetch_run_get_speedup (run));
  json_builder_set_member_name (builder, "longest_stall_ms");
  json_builder_add_double_value (builder, ms (aw_fetch_run_get_longest_stall_us (run)));
  add_percentiles (builder, run);
  json_builder_set_member_name (builder, "cpu_ms");
  json_builder_add_double_value (builder, ms (aw_fetch_run_get_cpu_us (run)));
  json_builder_set_member_name (builder, "workload");
  json_builder_add_string_value (builder,
                                 aw_workload_to_string (aw_fetch_run_get_workload (run)));
  json_builder_set_member_name (builder, "work_ms");
  json_builder_add_int_value (builder, aw_fetch_run_get_work_ms (run));
  add_lanes_json (builder, run);
  json_builder_set_member_name (builder, "tasks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const AwWeather *weather = aw_task_get_weather (task);
      const GError *error = aw_task_get_error (task);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "city");
      json_builder_add_string_value (builder, aw_task_get_city (task));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, aw_task_state_to_string (aw_task_get_state (task)));
      json_builder_set_member_name (builder, "start_ms");
      json_builder_add_double_value (builder, ms (aw_task_get_start_us (task)));
      json_builder_set_member_name (builder, "end_ms");
      json_builder_add_double_value (builder, ms (aw_task_get_end_us (task)));
      json_builder_set_member_name (builder, "phases");
      json_builder_begin_object (builder);
      for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
        {
          json_builder_set_member_name (builder, aw_phase_to_string (phase));
          json_builder_add_double_value (builder, ms (aw_task_get_phase_us (task, phase)));
        }
      json_builder_end_object (builder);
      add_ledger_json (builder, task);
      json_builder_set_member_name (builder, "temperature_c");
      if (weather != NULL && !aw_weather_is_sleep (weather))
        json_builder_add_double_value (builder, weather->temperature_c);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "condition");
      if (weather != NULL)
        json_builder_add_string_value (builder, weather->condition);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "error");
      if (error != NULL)
        json_builder_add_string_value (builder, error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "note");
      if (aw_task_get_note (task) != NULL)
        json_builder_add_string_value (builder, aw_task_get_note (task));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
