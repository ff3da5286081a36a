/* aw-run-record.c: the record of a run (its settings and figures), the one rule that says
 * whether two runs compare, and how a record is named for people; its JSON is in
 * aw-run-record-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aw-fetch-run-private.h"
#include "aw-provider.h"
#include "aw-run-record.h"

G_DEFINE_BOXED_TYPE (AwRunRecord, aw_run_record, aw_run_record_copy, aw_run_record_free)

AwRunRecord *
aw_run_record_new (void)
{
  AwRunRecord *self = g_new0 (AwRunRecord, 1);

  self->service = g_strdup ("demo");
  self->cities = g_new0 (char *, 1);
  self->started_at = g_date_time_new_now_local ();
  return self;
}

AwRunRecord *
aw_run_record_copy (const AwRunRecord *self)
{
  AwRunRecord *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->service = g_strdup (self->service);
  copy->cities = g_strdupv (self->cities);
  copy->started_at = g_date_time_ref (self->started_at);
  copy->tasks = self->tasks ? g_ptr_array_ref (self->tasks) : NULL;
  return copy;
}

void
aw_run_record_free (AwRunRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->service);
  g_strfreev (self->cities);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_free (self);
}

void
aw_run_record_set_result (AwRunRecord *self,
                          AwFetchRun  *run,
                          gint64       frame_gap_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (AW_IS_FETCH_RUN (run));

  self->finished = aw_fetch_run_is_finished (run);
  self->stopped = aw_fetch_run_was_stopped (run);
  self->n_failed = aw_fetch_run_get_n_failed (run);
  self->total_us = aw_fetch_run_get_total_us (run);
  self->sum_us = aw_fetch_run_get_sum_us (run);
  self->frame_gap_us = frame_gap_us;
  self->cpu_us = aw_fetch_run_get_cpu_us (run);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  if (aw_fetch_run_get_n_tasks (run) <= AW_RUN_RECORD_MAX_TASKS)
    {
      self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < aw_fetch_run_get_n_tasks (run); i++)
        g_ptr_array_add (self->tasks, g_object_ref (aw_fetch_run_get_task (run, i)));
    }
}

AwFetchRun *
aw_run_record_restore_run (const AwRunRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->tasks == NULL || !self->finished)
    return NULL;
  return aw_fetch_run_new_finished (self->mode, self->tasks, self->started_at, self->total_us,
                                    self->stopped);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* The same cities, in any order: the order changes no figure a comparison shows. */
static gboolean
same_cities (char **a,
             char **b)
{
  g_autoptr(GPtrArray) sorted_a = NULL;
  g_autoptr(GPtrArray) sorted_b = NULL;
  guint n = g_strv_length (a);

  if (n != g_strv_length (b))
    return FALSE;
  sorted_a = g_ptr_array_new ();
  sorted_b = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (sorted_a, a[i]);
      g_ptr_array_add (sorted_b, b[i]);
    }
  g_ptr_array_sort (sorted_a, compare_strings);
  g_ptr_array_sort (sorted_b, compare_strings);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (g_ptr_array_index (sorted_a, i), g_ptr_array_index (sorted_b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* Settings read back from a file went through text: a millisecond is the same. */
static gboolean
same_seconds (double a,
              double b)
{
  return fabs (a - b) < 0.0005;
}

static char *
format_s (double seconds)
{
  return g_strdup_printf (_("%g s"), round (seconds * 1000) / 1000);
}

static char *
format_latency (const AwRunRecord *self)
{
  g_autofree char *min = format_s (self->latency_min_s);
  g_autofree char *max = format_s (self->latency_max_s);

  if (same_seconds (self->latency_min_s, self->latency_max_s))
    return g_steal_pointer (&min);
  /* Translators: a range of latencies, "0.5 s–2 s" */
  return g_strdup_printf (_("%s–%s"), min, max);
}

static char *
format_conns (guint conns)
{
  if (conns == 0)
    return g_strdup (_("one per task"));
  return g_strdup_printf ("%u", conns);
}

static char *
format_work (guint work_ms)
{
  if (work_ms == 0)
    return g_strdup (_("none"));
  /* Translators: CPU work per answer, in milliseconds */
  return g_strdup_printf (_("%u ms"), work_ms);
}

static const char *
workload_label (AwWorkload workload)
{
  /* Translators: the workloads: fetching the weather, or only sleeping on a timer */
  return workload == AW_WORKLOAD_SLEEP ? _("sleep only") : _("weather");
}

/* Sleeps send no request: the service chosen for the weather changes nothing in them. */
static gboolean
both_sleep (const AwRunRecord *a,
            const AwRunRecord *b)
{
  return a->workload == AW_WORKLOAD_SLEEP && b->workload == AW_WORKLOAD_SLEEP;
}

static void
add_difference (GString    *text,
                const char *what,
                const char *from,
                const char *to)
{
  if (text->len > 0)
    g_string_append (text, _(", "));
  /* Translators: a setting that differs between two runs: "latency 0.3 s → 2 s" */
  g_string_append_printf (text, _("%s %s → %s"), what, from, to);
}

/* The settings but mode, K and cities. */
static void
describe_setting_differences (const AwRunRecord *a,
                              const AwRunRecord *b,
                              GString           *text)
{
  if (g_strcmp0 (a->service, b->service) != 0 && !both_sleep (a, b))
    add_difference (text, _("service"), a->service, b->service);
  if (a->workload != b->workload)
    add_difference (text, _("workload"), workload_label (a->workload),
                    workload_label (b->workload));
  if (a->work_ms != b->work_ms)
    {
      g_autofree char *from = format_work (a->work_ms);
      g_autofree char *to = format_work (b->work_ms);

      add_difference (text, _("work per answer"), from, to);
    }
  if (!same_seconds (a->latency_min_s, b->latency_min_s)
      || !same_seconds (a->latency_max_s, b->latency_max_s))
    {
      g_autofree char *from = format_latency (a);
      g_autofree char *to = format_latency (b);

      add_difference (text, _("latency"), from, to);
    }
  if (!same_seconds (a->failure_rate, b->failure_rate))
    {
      g_autofree char *from = g_strdup_printf (_("%g %%"), round (a->failure_rate * 1000) / 10);
      g_autofree char *to = g_strdup_printf (_("%g %%"), round (b->failure_rate * 1000) / 10);

      add_difference (text, _("failure rate"), from, to);
    }
  if (!same_seconds (a->timeout_s, b->timeout_s))
    {
      g_autofree char *from = format_s (a->timeout_s);
      g_autofree char *to = format_s (b->timeout_s);

      add_difference (text, _("timeout"), from, to);
    }
  if (a->conns_per_host != b->conns_per_host)
    {
      g_autofree char *from = format_conns (a->conns_per_host);
      g_autofree char *to = format_conns (b->conns_per_host);

      add_difference (text, _("connections per host"), from, to);
    }
}

gboolean
aw_run_record_same_setup (const AwRunRecord  *a,
                          const AwRunRecord  *b,
                          char              **reason)
{
  g_autoptr(GString) settings = g_string_new (NULL);

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!same_cities (a->cities, b->cities))
    {
      if (reason != NULL)
        *reason = g_strdup (_("different cities"));
      return FALSE;
    }
  if (g_strcmp0 (a->service, b->service) != 0 && !both_sleep (a, b))
    {
      if (reason != NULL)
        *reason = g_strdup (_("different service"));
      return FALSE;
    }
  describe_setting_differences (a, b, settings);
  if (settings->len > 0)
    {
      if (reason != NULL)
        /* Translators: why two runs do not compare, with what differs: "latency 0.3 s → 2 s" */
        *reason = g_strdup_printf (_("different settings: %s"), settings->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
aw_run_record_compare (const AwRunRecord  *a,
                       const AwRunRecord  *b,
                       double             *ratio,
                       char              **reason)
{
  guint n_failed;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!a->finished || !b->finished)
    {
      if (reason != NULL)
        *reason = g_strdup (_("not finished"));
      return FALSE;
    }
  if (a->stopped || b->stopped)
    {
      if (reason != NULL)
        *reason = g_strdup (_("stopped"));
      return FALSE;
    }
  n_failed = a->n_failed + b->n_failed;
  if (n_failed > 0)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task failed",
                                                "%u tasks failed", n_failed), n_failed);
      return FALSE;
    }
  if (!aw_run_record_same_setup (a, b, reason))
    return FALSE;
  if (ratio != NULL)
    *ratio = (double)MAX (a->total_us, 1) / MAX (b->total_us, 1);
  return TRUE;
}

gboolean
aw_run_record_is_as_fast (double ratio)
{
  /* What one decimal shows as 1.0 is the same speed, and says so. */
  return ratio >= 0.95 && ratio < 1.05;
}

char *
aw_run_record_format_ratio (double ratio)
{
  g_return_val_if_fail (ratio > 0, NULL);

  if (aw_run_record_is_as_fast (ratio))
    return g_strdup (_("as fast"));
  if (ratio > 1)
    /* Translators: how many times faster one run was than another */
    return g_strdup_printf (_("%.1f× faster"), ratio);
  /* Translators: how many times slower one run was than another */
  return g_strdup_printf (_("%.1f× slower"), 1 / ratio);
}

char *
aw_run_record_format_mode (const AwRunRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->mode == AW_MODE_LIMITED)
    /* Translators: the Limited mode with its number of tasks in flight */
    return g_strdup_printf (_("%s (K = %u)"), aw_mode_get_label (self->mode), self->limit);
  return g_strdup (aw_mode_get_label (self->mode));
}

char *
aw_run_record_format_name (const AwRunRecord *self)
{
  g_autofree char *mode = NULL;
  g_autofree char *time = NULL;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);

  mode = aw_run_record_format_mode (self);
  time = g_date_time_format (self->started_at, "%H:%M:%S");
  n = g_strv_length (self->cities);
  /* Translators: a run named in one line: mode, number of cities, time of day */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u city · %s",
                                       "%s · %u cities · %s", n), mode, n, time);
}

/* The settings of the workload and service, without the work per answer. */
static char *
format_service_settings (const AwRunRecord *self)
{
  g_autofree char *timeout = NULL;
  g_autofree char *conns = NULL;

  timeout = format_s (self->timeout_s);
  conns = format_conns (self->conns_per_host);
  if (self->workload == AW_WORKLOAD_SLEEP)
    {
      g_autofree char *latency = format_latency (self);

      /* Translators: a run of the "sleep only" workload: its latency, timeout */
      return g_strdup_printf (_("sleep %s · timeout %s"), latency, timeout);
    }
  if (aw_provider_name_is_demo (self->service))
    {
      g_autofree char *latency = format_latency (self);

      /* Translators: a run's settings: demo latency, failure rate, timeout, connections */
      return g_strdup_printf (_("demo %s · %g %% fail · timeout %s · conns/host %s"),
                              latency, round (self->failure_rate * 1000) / 10, timeout, conns);
    }
  /* Translators: a run's settings: service, timeout, connections per host */
  return g_strdup_printf (_("%s · timeout %s · conns/host %s"), self->service, timeout, conns);
}

char *
aw_run_record_format_settings (const AwRunRecord *self)
{
  g_autofree char *settings = NULL;
  g_autofree char *work = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  settings = format_service_settings (self);
  if (self->work_ms == 0 || self->workload == AW_WORKLOAD_SLEEP)
    return g_steal_pointer (&settings);
  work = format_work (self->work_ms);
  /* Translators: a run's settings, then its CPU work per answer: "… · work 200 ms" */
  return g_strdup_printf (_("%s · work %s"), settings, work);
}

char *
aw_run_record_format_cpu (const AwRunRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->cpu_us <= 0 || self->total_us <= 0)
    return NULL;
  /* Translators: the process's CPU time during a run, and how many cores that is on average */
  return g_strdup_printf (_("CPU %.2f s · %.1f cores"), self->cpu_us / (double)G_USEC_PER_SEC,
                          self->cpu_us / (double)self->total_us);
}

char *
aw_run_record_describe_differences (const AwRunRecord *a,
                                    const AwRunRecord *b)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  if (a->mode != b->mode || (a->mode == AW_MODE_LIMITED && a->limit != b->limit))
    {
      g_autofree char *from = aw_run_record_format_mode (a);
      g_autofree char *to = aw_run_record_format_mode (b);

      add_difference (text, _("mode"), from, to);
    }
  if (!same_cities (a->cities, b->cities))
    {
      g_autofree char *from = g_strdup_printf ("%u", g_strv_length (a->cities));
      g_autofree char *to = g_strdup_printf ("%u", g_strv_length (b->cities));

      if (g_str_equal (from, to))
        g_string_append_printf (text, "%s%s", text->len > 0 ? _(", ") : "",
                                _("other cities"));
      else
        add_difference (text, _("cities"), from, to);
    }
  describe_setting_differences (a, b, text);
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}
