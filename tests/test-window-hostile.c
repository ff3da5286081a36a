/* test-window-hostile.c: the window stays responsive while a service misbehaves
 *
 * A stand-in for prevision-meteo.ch on loopback floods one city's request with "100 Continue"
 * answers, drips another's headers, and answers a third at once. The window runs them in
 * every mode but Blocking: its longest frame must stay a small part of the run's timeout (the
 * flood alone would hold a loop that read it to the end for as long as it lasts), each bad
 * task ends with its own error, and the good city is answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-test-utils.h"
#include "aw-window.h"

/* The run's timeout: the dripped headers end there. */
#define TIMEOUT_S aw_test_scaled_s (2.0)

static AwApplication *app;
static char *base_url;

static const char ok_body[] =
  "{\"city_info\":{\"name\":\"ok\"},\"current_condition\":{\"tmp\":12,\"condition\":\"Ensoleillé\","
  "\"condition_key\":\"ensoleille\",\"humidity\":50,\"wnd_spd\":5}}";

/* Sends @data until the client goes away, or for a minute at most. */
static void
send_until_closed (GSocket    *socket,
                   const char *data,
                   gulong      pause_us)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      if (g_socket_send (socket, data, strlen (data), NULL, NULL) <= 0)
        return;
      if (pause_us > 0)
        g_usleep (pause_us);
    }
}

static void
serve (GSocket    *socket,
       const char *path)
{
  const char *name = strrchr (path, '/') + 1;

  if (g_str_equal (name, "flood"))
    {
      g_autoptr(GString) many = g_string_new (NULL);

      while (many->len < 64 * 1024)
        g_string_append (many, "HTTP/1.1 100 Continue\r\n\r\n");
      send_until_closed (socket, many->str, 0);
    }
  else if (g_str_equal (name, "drip"))
    {
      aw_test_send_all (socket, "HTTP/1.1 200 OK\r\nX-Slow: ", 26);
      send_until_closed (socket, "x", G_USEC_PER_SEC / 4);
    }
  else
    aw_test_send_answer (socket, "200 OK", "Content-Type: application/json\r\n", ok_body,
                         strlen (ok_body));
}

static gboolean
run_recorded (AwWindow *window)
{
  AwFetchRun *run = aw_window_get_run (window);

  return run != NULL && aw_fetch_run_is_finished (run) && aw_window_get_n_history (window) > 0;
}

static void
test_flood (gconstpointer data)
{
  AwMode mode = GPOINTER_TO_INT (data);
  GSettings *settings = aw_application_get_settings (app);
  const char *cities[] = { "flood", "drip", "ok", NULL };
  gint64 deadline;
  AwWindow *window;
  AwFetchRun *run;

  g_settings_set_string (settings, "provider", "prevision");
  g_settings_set_strv (settings, "cities", cities);
  g_settings_set_double (settings, "timeout", TIMEOUT_S);
  window = aw_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  aw_window_start_run (window, mode);
  deadline = g_get_monotonic_time () + aw_test_scaled_us (60 * G_USEC_PER_SEC);
  while (!run_recorded (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  run = aw_window_get_run (window);
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 0)), ==, AW_TASK_FAILED);
  g_assert_nonnull (strstr (aw_task_get_error (aw_fetch_run_get_task (run, 0))->message,
                            "interim"));
  g_assert_error (aw_task_get_error (aw_fetch_run_get_task (run, 1)), G_IO_ERROR,
                  G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (aw_task_get_state (aw_fetch_run_get_task (run, 2)), ==, AW_TASK_SUCCEEDED);
  /* The window drew all along: no gap near the timeout the drip ran to. */
  g_test_message ("longest frame %.1f ms, timeout %.1f s",
                  aw_window_get_frame_gap_us (window) / 1000.0, TIMEOUT_S);
  g_assert_cmpint (aw_window_get_frame_gap_us (window), <, TIMEOUT_S * G_USEC_PER_SEC / 4);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("aw-test-window-hostile-XXXXXX", NULL);

  /* A history file of its own, before GTK reads the data directories. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  app = aw_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  base_url = aw_test_raw_server_start (serve);
  aw_application_set_base_url (app, base_url);

  g_test_add_data_func ("/window-hostile/sequential", GINT_TO_POINTER (AW_MODE_SEQUENTIAL),
                        test_flood);
  g_test_add_data_func ("/window-hostile/concurrent", GINT_TO_POINTER (AW_MODE_CONCURRENT),
                        test_flood);
  g_test_add_data_func ("/window-hostile/limited", GINT_TO_POINTER (AW_MODE_LIMITED),
                        test_flood);
  g_test_add_data_func ("/window-hostile/threads", GINT_TO_POINTER (AW_MODE_THREADS),
                        test_flood);
  return g_test_run ();
}
