/* aw-city-panel-private.h: the city panel's struct and what its two files share:
 * aw-city-panel.c (entry, list, menu, removal and undo) and aw-city-panel-keys.c (the
 * keyboard on the focused row: move, remove, one tab stop)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-city-panel.h"
#include "aw-city-row.h"

G_BEGIN_DECLS

struct _AwCityPanel
{
  GtkWidget      parent_instance;

  /* template widgets */
  GtkLabel      *city_count;
  GtkEntry      *city_entry;
  GtkLabel      *entry_message;
  GtkStack      *cities_stack;
  GtkListView   *list_view;
  GtkStringList *city_model;

  /* owned */
  GSettings     *settings;
  GHashTable    *bound_rows;   /* GtkListItem of the rows on screen */
  GHashTable    *results;      /* city → AwCityResult */
  GStrv          undo_cities;  /* the list before the last removal */
  GStrv          undo_after;   /* the list that removal left */
};

/* aw-city-panel.c */
/* The "cities" setting (none before the settings are set). */
char      **_aw_city_panel_get_cities      (AwCityPanel    *self);
/* The row on screen that shows @city, or NULL. */
AwCityRow  *_aw_city_panel_find_row        (AwCityPanel    *self,
                                            const char     *city);

/* aw-city-panel-keys.c */
void        _aw_city_panel_class_init_keys (GtkWidgetClass *widget_class);

G_END_DECLS
