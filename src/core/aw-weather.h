/* aw-weather.h: one weather observation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AW_TYPE_WEATHER (aw_weather_get_type ())

typedef struct
{
  char   *place;         /* resolved display name */
  double  temperature_c;
  char   *condition;     /* human text, as the service gave it */
  char   *icon_name;     /* a symbolic icon name of the icon theme */
  int     humidity;      /* %, -1 when unknown */
  double  wind_kmh;      /* -1 when unknown */
  char   *observed_at;   /* as the service gave it, may be NULL */
  char   *service;       /* "demo", "prevision", "open-meteo" */
} AwWeather;

GType      aw_weather_get_type (void) G_GNUC_CONST;
AwWeather *aw_weather_new      (void);
AwWeather *aw_weather_copy     (const AwWeather *self);
void       aw_weather_free     (AwWeather       *self);

const char *aw_weather_icon_for_condition_key (const char *condition_key);

/* What a task of the sleep workload "found": no weather, its service this. */
#define AW_SLEEP_SERVICE "sleep"
/* Whether @weather is a sleep's (aw-sleep-job.c), not a service's. */
gboolean    aw_weather_is_sleep (const AwWeather *weather);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwWeather, aw_weather_free)

G_END_DECLS
