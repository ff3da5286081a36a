/* aw-city-panel.h: the sidebar's cities: the entry, the list, its menu, removal and undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-fetch-run.h"

G_BEGIN_DECLS

#define AW_TYPE_CITY_PANEL (aw_city_panel_get_type ())

G_DECLARE_FINAL_TYPE (AwCityPanel, aw_city_panel, AW, CITY_PANEL, GtkWidget)

/* The list is the "cities" key of @settings. */
void        aw_city_panel_set_settings      (AwCityPanel *self,
                                            GSettings  *settings);
/* A task that ended: its city's row shows the result from now on. */
void        aw_city_panel_set_result        (AwCityPanel *self,
                                            AwTask     *task);
/* Adds a city as the entry does; FALSE with the message shown at the entry when refused. */
gboolean    aw_city_panel_add_city          (AwCityPanel *self,
                                            const char *name);
/* Adds the good names of a list (lines, commas or semicolons) as a paste does; the bad ones
 * are listed with their reasons at the entry. Returns how many were added. */
guint       aw_city_panel_add_cities        (AwCityPanel *self,
                                            const char *text);
/* Adds the cities of a text file, in the background. */
void        aw_city_panel_import            (AwCityPanel *self,
                                            GFile      *file);
const char *aw_city_panel_get_entry_message (AwCityPanel *self);
void        aw_city_panel_focus_entry       (AwCityPanel *self);
/* Removes @city, as its row's button does. */
void        aw_city_panel_remove            (AwCityPanel *self,
                                            const char *city);
/* Puts back the list before the last removal. */
void        aw_city_panel_undo_remove       (AwCityPanel *self);

G_END_DECLS
