/* aw-window-run.c: the window's live run: its start (settings read once, the record of its
 * setup, the first frame before the engine, Blocking after a painted frame), the frame meter
 * (the longest gap between two frames, the clock beside Stop), the run's tasks reaching the
 * city list, and its end, which reaches the window one way: the engine's "finished" signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-run-consent.h"
#include "aw-window-private.h"

/* Blocking lets the clock run this long, painted, before it freezes the window: a class sees
 * it move, then stop. */
#define BLOCK_LEAD_US (500 * 1000)

static void
on_task_changed (AwWindow   *self,
                 AwTask     *task,
                 AwFetchRun *run)
{
  if (!aw_task_is_finished (task) || aw_task_get_state (task) == AW_TASK_CANCELLED)
    return;
  aw_city_panel_set_result (self->city_panel, task);
}

/* Each frame the window draws during the run, on the main loop's lane. */
static void
on_before_paint (AwWindow      *self,
                 GdkFrameClock *frame_clock)
{
  self->frame_begin_us = g_get_monotonic_time ();
}

static void
on_after_paint (AwWindow      *self,
                GdkFrameClock *frame_clock)
{
  if (self->run != NULL && self->frame_begin_us != 0 && self->run_start_us != 0
      && aw_fetch_run_is_running (self->run))
    aw_fetch_run_note_frame (self->run, self->frame_begin_us, g_get_monotonic_time ());
  self->frame_begin_us = 0;
}

static void
watch_frames (AwWindow *self,
              gboolean  watch)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (frame_clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (frame_clock, on_before_paint, self);
  g_signal_handlers_disconnect_by_func (frame_clock, on_after_paint, self);
  if (!watch)
    return;
  g_signal_connect_object (frame_clock, "before-paint", G_CALLBACK (on_before_paint), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (frame_clock, "after-paint", G_CALLBACK (on_after_paint), self,
                           G_CONNECT_SWAPPED);
}

/* The gap that ends now counts too: Blocking's only gap ends with the run. */
static void
stop_frame_meter (AwWindow *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_frame_us != 0 && now - self->last_frame_us > self->frame_gap_us)
    {
      self->frame_gap_us = now - self->last_frame_us;
      self->gap_start_us = self->last_frame_us;
      self->gap_end_us = now;
    }
  if (self->frame_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->frame_tick_id);
      self->frame_tick_id = 0;
    }
  watch_frames (self, FALSE);
}

static void
on_run_finished (AwWindow   *self,
                 AwFetchRun *run)
{
  guint n_failed = aw_fetch_run_get_n_failed (run);
  guint n_tasks = aw_fetch_run_get_n_tasks (run);
  AwMode mode = aw_fetch_run_get_mode (run);
  AwRunRecord *record;

  if (run != self->run || self->live_record == NULL)
    return;

  stop_frame_meter (self);
  record = g_steal_pointer (&self->live_record);
  aw_run_record_set_result (record, run, self->frame_gap_us);
  _aw_window_record_run (self, record, run);
  /* The next run of this setup keeps this axis. */
  self->axis_us = MAX (self->axis_us, aw_timing_chart_get_axis_us (self->chart));
  /* The freeze stays on the chart, where it happened on the run's time axis. */
  if (self->frame_gap_us >= AW_FROZEN_US && self->run_start_us != 0)
    aw_timing_chart_add_freeze (self->chart, run, self->gap_start_us - self->run_start_us,
                                self->gap_end_us - self->run_start_us);

  _aw_window_update_figures (self);
  _aw_window_update_actions (self);

  if (g_cancellable_is_cancelled (self->cancellable))
    _aw_window_show_banner (self, GTK_MESSAGE_INFO,
                            _("The run was stopped: its tasks ended as cancelled."));
  else if (n_failed > 0)
    {
      g_autofree char *message = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u of %u task failed: the city list says why.",
                     "%u of %u tasks failed: the city list says why.", n_tasks),
        n_failed, n_tasks);

      _aw_window_show_banner (self, GTK_MESSAGE_WARNING, message);
    }
  else if (mode == AW_MODE_BLOCKING)
    {
      g_autofree char *message = g_strdup_printf (
        _("The window was frozen for %.1f s: Blocking ran every request on the main thread, "
          "like time.sleep in the tutorial."), self->frame_gap_us / (double)G_USEC_PER_SEC);

      _aw_window_show_banner (self, GTK_MESSAGE_INFO, message);
    }
}

/* Only errors come this way: the end itself is "finished"'s. */
static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(AwWindow) self = g_weak_ref_get (weak);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);
  if (!aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, &error) && self != NULL)
    _aw_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
}

static void
start_engine (AwWindow *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  self->start_on_tick = FALSE;
  self->run_start_us = g_get_monotonic_time ();
  g_weak_ref_init (weak, self);
  aw_fetch_run_run_async (self->run, self->cancellable, on_run_done, weak);
}

/* Blocking, once the running state is on screen: the server has the frame before the freeze. */
static gboolean
start_blocking (gpointer user_data)
{
  AwWindow *self = user_data;

  self->block_source = 0;
  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (self)));
  start_engine (self);
  return G_SOURCE_REMOVE;
}

static void
on_painted_before_block (AwWindow      *self,
                         GdkFrameClock *frame_clock)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_painted_before_block, self);
  self->block_armed = FALSE;
  /* From the loop, not from inside the frame clock's paint cycle. */
  self->block_source = g_idle_add (start_blocking, self);
}

/* The frame meter: the longest gap between two frames while the run is live, and the clock
 * beside Stop. The run itself starts from the first tick, so that a frame's time stands just
 * before it; Blocking starts after a painted frame, so that the window shows what is running
 * before it freezes. */
static gboolean
on_frame (GtkWidget     *widget,
          GdkFrameClock *frame_clock,
          gpointer       user_data)
{
  AwWindow *self = AW_WINDOW (widget);
  /* The clock, not the frame clock's smoothed frame times, which hide a frozen loop. */
  gint64 now = g_get_monotonic_time ();
  g_autofree char *clock = NULL;

  if (self->last_frame_us != 0 && now - self->last_frame_us > self->frame_gap_us)
    {
      self->frame_gap_us = now - self->last_frame_us;
      self->gap_start_us = self->last_frame_us;
      self->gap_end_us = now;
    }
  self->last_frame_us = now;
  clock = g_strdup_printf (_("%.1f s"), (now - self->pressed_us) / (double)G_USEC_PER_SEC);
  gtk_label_set_text (self->clock_label, clock);

  if (self->start_on_tick)
    {
      if (aw_fetch_run_get_mode (self->run) != AW_MODE_BLOCKING)
        start_engine (self);
      else if (!self->block_armed && self->block_source == 0
               && now - self->pressed_us >= BLOCK_LEAD_US)
        {
          self->block_armed = TRUE;
          g_signal_connect_object (frame_clock, "after-paint",
                                   G_CALLBACK (on_painted_before_block), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  return G_SOURCE_CONTINUE;
}

/* What makes the run about to start, read from the same settings it is made with. */
static AwRunRecord *
record_settings (AwWindow           *self,
                 AwMode              mode,
                 const char * const *cities)
{
  AwRunRecord *record = aw_run_record_new ();

  record->mode = mode;
  record->limit = mode == AW_MODE_LIMITED ? aw_fetch_run_get_limit (self->run) : 0;
  record->conns_per_host = MAX (g_settings_get_int (self->settings, "conns-per-host"), 0);
  g_free (record->service);
  record->service = g_settings_get_string (self->settings, "provider");
  if (aw_provider_name_is_demo (record->service))
    {
      record->latency_min_s = g_settings_get_double (self->settings, "demo-latency");
      record->latency_max_s = MAX (record->latency_min_s,
                                   g_settings_get_double (self->settings, "demo-latency-max"));
      record->failure_rate = g_settings_get_double (self->settings, "demo-failure-rate");
    }
  record->timeout_s = g_settings_get_double (self->settings, "timeout");
  record->workload = aw_fetch_run_get_workload (self->run);
  record->work_ms = aw_fetch_run_get_work_ms (self->run);
  /* A sleep's latency is the demo latency whatever the service; it has no answer to work on. */
  if (record->workload == AW_WORKLOAD_SLEEP)
    {
      record->latency_min_s = g_settings_get_double (self->settings, "demo-latency");
      record->latency_max_s = MAX (record->latency_min_s,
                                   g_settings_get_double (self->settings, "demo-latency-max"));
      record->work_ms = 0;
    }
  g_strfreev (record->cities);
  record->cities = g_strdupv ((char **)cities);
  return record;
}

void
_aw_window_start_run (AwWindow *self,
                      AwMode    mode)
{
  AwApplication *app = AW_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) cities = NULL;

  if (_aw_window_is_running (self) || self->frame_tick_id != 0)
    return;

  cities = g_settings_get_strv (self->settings, "cities");
  if (cities[0] == NULL)
    {
      _aw_window_show_banner (self, GTK_MESSAGE_WARNING,
                              _("Add a city first: there is nothing to fetch."));
      aw_city_panel_focus_entry (self->city_panel);
      return;
    }

  provider = aw_application_create_provider (app, &error);
  if (provider == NULL)
    {
      _aw_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return;
    }

  if (mode == AW_MODE_BLOCKING)
    _aw_window_show_banner (self, GTK_MESSAGE_WARNING,
                            _("Blocking runs every request on the main thread: from now until "
                              "the last one ends, the window is frozen. The clock beside Stop "
                              "stops with it."));
  else
    _aw_window_hide_banner (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_object (&self->run);
  self->run = aw_fetch_run_new (provider, mode, (const char * const *)cities);
  aw_fetch_run_set_limit (self->run, g_settings_get_int (self->settings, "limit"));
  aw_fetch_run_set_timeout (self->run, g_settings_get_double (self->settings, "timeout"));
  aw_fetch_run_set_conns_per_host (self->run,
                                   g_settings_get_int (self->settings, "conns-per-host"));
  aw_fetch_run_set_workload (self->run, g_settings_get_enum (self->settings, "workload"));
  aw_fetch_run_set_work_ms (self->run, MAX (g_settings_get_int (self->settings, "work-ms"), 0));
  aw_fetch_run_set_sleep_latency (self->run,
                                  g_settings_get_double (self->settings, "demo-latency"),
                                  MAX (g_settings_get_double (self->settings, "demo-latency"),
                                       g_settings_get_double (self->settings,
                                                              "demo-latency-max")));
  aw_fetch_run_set_paced (self->run, TRUE);
  g_signal_group_set_target (self->run_signals, self->run);

  g_clear_pointer (&self->live_record, aw_run_record_free);
  self->live_record = record_settings (self, mode, (const char * const *)cities);
  _aw_window_set_shown (self, NULL, NULL);
  _aw_window_hold_axis_for (self, self->live_record);
  aw_timing_chart_set_run (self->chart, self->run);
  aw_code_panel_set_run (self->code_panel, self->run);
  gtk_stack_set_visible_child_name (self->chart_stack, "chart");
  gtk_drop_down_set_selected (self->mode_dropdown, mode);

  self->frame_gap_us = 0;
  self->last_frame_us = 0;
  self->pressed_us = g_get_monotonic_time ();
  self->run_start_us = 0;
  gtk_label_set_text (self->clock_label, _("0.0 s"));
  self->start_on_tick = TRUE;
  self->frame_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_frame, NULL, NULL);
  watch_frames (self, TRUE);
  _aw_window_update_figures (self);
  _aw_window_update_actions (self);
}

static void
on_run_consented (GtkWindow *window,
                  AwMode     mode)
{
  _aw_window_start_run (AW_WINDOW (window), mode);
}

void
aw_window_start_run (AwWindow *self,
                     AwMode    mode)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  if (_aw_window_is_running (self) || self->frame_tick_id != 0)
    return;
  /* A large run against somebody else's service asks first (aw-run-consent.c). */
  if (!aw_run_consent_ask (GTK_WINDOW (self), self->settings, mode, on_run_consented))
    _aw_window_start_run (self, mode);
}

void
aw_window_stop_run (AwWindow *self)
{
  g_return_if_fail (AW_IS_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gint64
aw_window_get_frame_gap_us (AwWindow *self)
{
  g_return_val_if_fail (AW_IS_WINDOW (self), 0);
  return self->frame_gap_us;
}

void
_aw_window_init_run (AwWindow *self)
{
  self->run_signals = g_signal_group_new (AW_TYPE_FETCH_RUN);
  g_signal_group_connect_object (self->run_signals, "task-changed",
                                 G_CALLBACK (on_task_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->run_signals, "finished",
                                 G_CALLBACK (on_run_finished), self, G_CONNECT_SWAPPED);
}

void
_aw_window_dispose_run (AwWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->run_signals != NULL)
    g_signal_group_set_target (self->run_signals, NULL);
  g_clear_object (&self->run_signals);
  if (self->frame_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->frame_tick_id);
      self->frame_tick_id = 0;
    }
  g_clear_handle_id (&self->block_source, g_source_remove);
  g_clear_pointer (&self->live_record, aw_run_record_free);
}
