/* fuzz-history.c: the history file of earlier runs as anything may have left it (a crash, a
 * hand edit, another version), read by aw_run_record_list_from_json()
 *
 * Input: the file's bytes. Either a list of records or an error, never both; each record's
 * run rebuilt from its tasks is finished, its tasks ended, their spans in order within the
 * run's wall time; and a list read back from what it writes is the same length.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-run-record.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static void
check_run (const AwRunRecord *record)
{
  g_autoptr(AwFetchRun) run = aw_run_record_restore_run (record);

  if (run == NULL)
    {
      fuzz_assert (record->tasks == NULL || !record->finished);
      return;
    }
  fuzz_assert (aw_fetch_run_is_finished (run));
  fuzz_assert (aw_fetch_run_get_n_tasks (run) == record->tasks->len);
  fuzz_assert (aw_fetch_run_get_n_tasks (run) <= AW_RUN_RECORD_MAX_TASKS);
  for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
    {
      AwTask *task = aw_fetch_run_get_task (run, i);
      const AwSpan *spans;
      guint n_spans;
      gint64 last = 0;

      fuzz_assert (aw_task_is_finished (task));
      fuzz_assert (aw_task_get_end_us (task) <= record->total_us);
      fuzz_assert ((aw_task_get_weather (task) != NULL)
                   == (aw_task_get_state (task) == AW_TASK_SUCCEEDED));
      spans = aw_task_get_spans (task, &n_spans);
      for (guint s = 0; s < n_spans; s++)
        {
          fuzz_assert (spans[s].phase < AW_N_PHASES);
          fuzz_assert (spans[s].start_us >= last && spans[s].end_us >= spans[s].start_us);
          last = spans[s].end_us;
        }
      for (guint r = 0; r < aw_task_get_n_requests (task); r++)
        fuzz_assert (aw_task_get_request_first_span (task, r) <= n_spans);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;

  records = aw_run_record_list_from_json (text, &error);
  fuzz_assert ((records == NULL) != (error == NULL));
  if (records == NULL)
    return 0;

  for (guint i = 0; i < records->len; i++)
    {
      const AwRunRecord *record = g_ptr_array_index (records, i);
      g_autofree char *name = aw_run_record_format_name (record);
      g_autofree char *settings = aw_run_record_format_settings (record);

      fuzz_assert (record->mode < AW_N_MODES);
      fuzz_assert (record->failure_rate >= 0 && record->failure_rate <= 1);
      fuzz_assert (g_utf8_validate (name, -1, NULL) && g_utf8_validate (settings, -1, NULL));
      if (i > 0)
        {
          g_autofree char *reason = NULL;
          double ratio = 0;

          /* The rule answers either way, with a ratio or a reason. */
          if (aw_run_record_compare (g_ptr_array_index (records, i - 1), record, &ratio, &reason))
            fuzz_assert (ratio > 0 && reason == NULL);
          else
            fuzz_assert (reason != NULL);
        }
      check_run (record);
    }

  written = aw_run_record_list_to_json (records);
  again = aw_run_record_list_from_json (written, &error);
  fuzz_assert (again != NULL && again->len == records->len);
  return 0;
}
