/* aw-city-row.h: one row of the city list: a city, its last result, its buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-fetch-run.h"

G_BEGIN_DECLS

/* The last result of one city, kept across runs. */
typedef struct
{
  AwWeather *weather;
  char      *error;
  GDateTime *fetched_at;
  gint64     active_us;
} AwCityResult;

AwCityResult *aw_city_result_new_from_task (AwTask       *task);
void          aw_city_result_free          (AwCityResult *result);

#define AW_TYPE_CITY_ROW (aw_city_row_get_type ())

G_DECLARE_FINAL_TYPE (AwCityRow, aw_city_row, AW, CITY_ROW, GtkWidget)

GtkWidget  *aw_city_row_new      (void);
/* Shows @city at @position of a list of @n_cities, with its last @result (or none yet). */
void        aw_city_row_update   (AwCityRow          *self,
                                  const char         *city,
                                  const AwCityResult *result,
                                  guint               position,
                                  guint               n_cities);
const char *aw_city_row_get_city (AwCityRow          *self);

G_END_DECLS
