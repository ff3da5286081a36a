/* aw-export-csv.c: finished runs as CSV, one row per task (RFC 4180, safe to open in a
 * spreadsheet)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "aw-export-private.h"

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
 * Formula injection: a spreadsheet runs a field that starts with = + - @ (or a tab or carriage
 * return, which some strip first) as a formula. Such text fields (never our numbers) get a
 * leading apostrophe, as OWASP advises: spreadsheets show it as text, and the apostrophe goes
 * inside the quotes, so that the row keeps its columns for every value. */
static void
append_csv_text (GString    *csv,
                 const char *text)
{
  g_autoptr(GString) field = NULL;

  if (text == NULL || *text == '\0')
    return;
  field = g_string_new (NULL);
  if (strchr ("=+-@\t\r", text[0]) != NULL)
    g_string_append_c (field, '\'');
  g_string_append (field, text);
  if (strpbrk (field->str, ",\"\r\n") == NULL)
    {
      g_string_append_len (csv, field->str, field->len);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = field->str; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_csv_ms (GString *csv,
               gint64   us)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (csv, ',');
  g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.3f", ms (us)));
}

/* One row per task: its stamps, phases, weather, its ledger (queued, network, ready and
 * running, which add up to end - start); the last columns say which run (1, 2, …) and its
 * mode. */
char *
aw_export_csv (AwFetchRun **runs,
               guint        n_runs)
{
  GString *csv = g_string_new ("city,state,start_ms,end_ms,active_ms");

  for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
    g_string_append_printf (csv, ",%s_ms", aw_phase_to_string (phase));
  g_string_append (csv, ",temperature_c,condition,error,ledger_queued_ms,ledger_network_ms,"
                   "ledger_ready_ms,ledger_running_ms,run,mode\r\n");

  for (guint p = 0; p < n_runs; p++)
    {
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (runs[p]); i++)
        {
          AwFetchRun *run = runs[p];
          AwTask *task = aw_fetch_run_get_task (run, i);
          const AwWeather *weather = aw_task_get_weather (task);
          const GError *error = aw_task_get_error (task);
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          AwLedger ledger;

          append_csv_text (csv, aw_task_get_city (task));
          g_string_append_printf (csv, ",%s", aw_task_state_to_string (aw_task_get_state (task)));
          append_csv_ms (csv, aw_task_get_start_us (task));
          append_csv_ms (csv, aw_task_get_end_us (task));
          append_csv_ms (csv, aw_task_get_active_us (task));
          for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
            append_csv_ms (csv, aw_task_get_phase_us (task, phase));
          g_string_append_c (csv, ',');
          /* A sleep has no temperature: the cell stays empty, as for a failed task. */
          if (weather != NULL && !aw_weather_is_sleep (weather))
            g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.1f",
                                                   weather->temperature_c));
          g_string_append_c (csv, ',');
          append_csv_text (csv, weather ? weather->condition : NULL);
          g_string_append_c (csv, ',');
          append_csv_text (csv, error ? error->message : NULL);
          aw_task_get_ledger (task, &ledger);
          append_csv_ms (csv, ledger.queued_us);
          append_csv_ms (csv, ledger.network_us);
          append_csv_ms (csv, ledger.ready_us);
          append_csv_ms (csv, ledger.running_us);
          g_string_append_printf (csv, ",%u,%s\r\n", p + 1,
                                  aw_mode_to_string (aw_fetch_run_get_mode (run)));
        }
    }
  return g_string_free (csv, FALSE);
}
