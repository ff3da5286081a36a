/* aw-test-window.h: what the window tests share: finding the window's widgets by their
 * template names, waiting on the main loop until a condition holds, and screenshots taken
 * once the window has painted its last state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "aw-test-utils.h"
#include "aw-window.h"

static inline GObject *
window_child (AwWindow   *window,
              const char *name)
{
  struct { GtkWidget *widget; GType type; } templates[] = {
    { GTK_WIDGET (window), AW_TYPE_WINDOW },
    { GTK_WIDGET (aw_window_get_city_panel (window)), AW_TYPE_CITY_PANEL },
    { GTK_WIDGET (aw_window_get_history_list (window)), AW_TYPE_HISTORY_LIST },
    { GTK_WIDGET (aw_window_get_figures (window)), AW_TYPE_RUN_FIGURES },
  };

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      GObject *child = gtk_widget_get_template_child (templates[i].widget, templates[i].type, name);

      if (child != NULL)
        return child;
    }
  g_error ("no widget named %s in the window", name);
  return NULL;
}

static inline gboolean
aw_test_on_timed_out (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds; fails after a generous @seconds (longer on a
 * slow build). Everything the conditions look at changes on the main loop: each iteration
 * blocks until something happens there. */
static inline void
aw_test_wait_until (gboolean (*condition) (gpointer data),
                    gpointer   data,
                    double     seconds)
{
  gboolean timed_out = FALSE;
  guint guard = g_timeout_add (aw_test_scaled_us (seconds * G_USEC_PER_SEC) / 1000,
                               aw_test_on_timed_out, &timed_out);

  while (!condition (data))
    {
      g_assert_false (timed_out);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (guard);
}

typedef gboolean (*Condition) (AwWindow *window);

typedef struct
{
  Condition condition;
  AwWindow *window;
} WindowCondition;

static inline gboolean
window_condition_holds (gpointer data)
{
  WindowCondition *wait = data;

  return wait->condition (wait->window);
}

/* Runs the main loop until @condition holds of @window; fails after @seconds (longer on a
 * slow build). */
static inline void
wait_for (AwWindow  *window,
          Condition  condition,
          double     seconds)
{
  aw_test_wait_until (window_condition_holds, &(WindowCondition) { condition, window }, seconds);
}

static inline gboolean
run_live (AwWindow *window)
{
  AwFetchRun *run = aw_window_get_run (window);

  return run != NULL && aw_fetch_run_is_running (run);
}

static inline void
aw_test_on_after_paint (GdkFrameClock *clock,
                        guint         *n_paints)
{
  (*n_paints)++;
}

/* Whether no revealer or flap under @widget is still sliding. */
static inline gboolean
aw_test_revealers_settled (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget)
      && gtk_revealer_get_child_revealed (GTK_REVEALER (widget))
         != gtk_revealer_get_reveal_child (GTK_REVEALER (widget)))
    return FALSE;
  if (ADW_IS_FLAP (widget)
      && adw_flap_get_reveal_progress (ADW_FLAP (widget))
         != (adw_flap_get_reveal_flap (ADW_FLAP (widget)) ? 1.0 : 0.0))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!aw_test_revealers_settled (child))
      return FALSE;
  return TRUE;
}

/* Waits until @widget's window has painted at least twice since the call, the last time
 * with no revealer sliding: the last state has reached the screen. */
static inline void
aw_test_wait_painted (GtkWidget *widget)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean timed_out = FALSE;
  guint n_paints = 0;
  guint guard;
  gulong handler;

  g_assert_nonnull (clock);
  g_assert_true (gtk_widget_get_mapped (window));
  guard = g_timeout_add (aw_test_scaled_us (30 * G_USEC_PER_SEC) / 1000,
                         aw_test_on_timed_out, &timed_out);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (aw_test_on_after_paint),
                              &n_paints);
  for (;;)
    {
      guint before = n_paints;

      gtk_widget_queue_draw (window);
      while (n_paints == before)
        {
          g_assert_false (timed_out);
          g_main_context_iteration (NULL, TRUE);
        }
      if (n_paints >= 2 && aw_test_revealers_settled (window))
        break;
    }
  g_signal_handler_disconnect (clock, handler);
  g_source_remove (guard);
}

/* Saves @widget as @name in the screenshots' folder, once its last state is on screen. */
static inline void
aw_test_save_screenshot (GtkWidget  *widget,
                         const char *dir,
                         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  aw_test_wait_painted (widget);
  g_assert_true (aw_widget_save_png (widget, path, &error));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}
