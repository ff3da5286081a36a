/* aw-preferences-window.h: the service, the demo server's latency and faults, limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AW_TYPE_PREFERENCES_WINDOW (aw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (AwPreferencesWindow, aw_preferences_window, AW, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *aw_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

G_END_DECLS
