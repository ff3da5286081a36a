/* aw-weather.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-weather.h"

G_DEFINE_BOXED_TYPE (AwWeather, aw_weather, aw_weather_copy, aw_weather_free)

AwWeather *
aw_weather_new (void)
{
  AwWeather *self = g_new0 (AwWeather, 1);

  self->humidity = -1;
  self->wind_kmh = -1;
  return self;
}

AwWeather *
aw_weather_copy (const AwWeather *self)
{
  AwWeather *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->place = g_strdup (self->place);
  copy->condition = g_strdup (self->condition);
  copy->icon_name = g_strdup (self->icon_name);
  copy->observed_at = g_strdup (self->observed_at);
  copy->service = g_strdup (self->service);
  return copy;
}

void
aw_weather_free (AwWeather *self)
{
  if (self == NULL)
    return;
  g_free (self->place);
  g_free (self->condition);
  g_free (self->icon_name);
  g_free (self->observed_at);
  g_free (self->service);
  g_free (self);
}

/* prevision-meteo.ch condition keys are French slugs ("averses-de-pluie-faible",
 * "nuit-nuageuse"); a word in the slug is enough to pick an icon. */
const char *
aw_weather_icon_for_condition_key (const char *condition_key)
{
  static const struct { const char *word; const char *icon; } words[] = {
    { "orage", "weather-storm-symbolic" },
    { "neige", "weather-snow-symbolic" },
    { "averses", "weather-showers-scattered-symbolic" },
    { "pluie", "weather-showers-symbolic" },
    { "brouillard", "weather-fog-symbolic" },
    { "nuit-claire", "weather-clear-night-symbolic" },
    { "nuit", "weather-few-clouds-night-symbolic" },
    { "eclaircies", "weather-few-clouds-symbolic" },
    { "faiblement-nuageux", "weather-few-clouds-symbolic" },
    { "nuage", "weather-overcast-symbolic" },
    { "couvert", "weather-overcast-symbolic" },
    { "ensoleille", "weather-clear-symbolic" },
  };

  if (condition_key == NULL)
    return "weather-severe-alert-symbolic";

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (strstr (condition_key, words[i].word) != NULL)
        return words[i].icon;
    }
  return "weather-few-clouds-symbolic";
}

gboolean
aw_weather_is_sleep (const AwWeather *weather)
{
  return weather != NULL && g_strcmp0 (weather->service, AW_SLEEP_SERVICE) == 0;
}
