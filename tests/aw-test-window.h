/* aw-test-window.h: finding the window's widgets by their template names, in the window's
 * template or in those of the widgets it is made of
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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
