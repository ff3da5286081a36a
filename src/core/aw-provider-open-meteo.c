/* aw-provider-open-meteo.c: Open-Meteo, worldwide: geocoding, then the current weather
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-geocode-cache.h"
#include "aw-provider-private.h"
#include "aw-text.h"

#define AW_TYPE_PROVIDER_OPEN_METEO (aw_provider_open_meteo_get_type ())
G_DECLARE_FINAL_TYPE (AwProviderOpenMeteo, aw_provider_open_meteo, AW, PROVIDER_OPEN_METEO, GObject)

struct _AwProviderOpenMeteo
{
  GObject  parent_instance;

  char    *geocoding_base_uri;
  char    *forecast_base_uri;
  AwGeocodeCache *cache;     /* borrowed: the process's */
};

static void provider_iface_init (AwProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwProviderOpenMeteo, aw_provider_open_meteo, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AW_TYPE_PROVIDER, provider_iface_init))

/* WMO weather interpretation codes, as Open-Meteo documents them. */
static const struct {
  int         first, last;
  const char *text;
  const char *icon;
} wmo_codes[] = {
  { 0, 0, N_("Clear sky"), "weather-clear-symbolic" },
  { 1, 2, N_("Partly cloudy"), "weather-few-clouds-symbolic" },
  { 3, 3, N_("Overcast"), "weather-overcast-symbolic" },
  { 45, 48, N_("Fog"), "weather-fog-symbolic" },
  { 51, 57, N_("Drizzle"), "weather-showers-scattered-symbolic" },
  { 61, 67, N_("Rain"), "weather-showers-symbolic" },
  { 71, 77, N_("Snow"), "weather-snow-symbolic" },
  { 80, 82, N_("Rain showers"), "weather-showers-symbolic" },
  { 85, 86, N_("Snow showers"), "weather-snow-symbolic" },
  { 95, 99, N_("Thunderstorm"), "weather-storm-symbolic" },
};

/* The language for place names: the locale's, when it is a plain two-letter code. */
static const char *
geocoding_language (void)
{
  static char lang[3];
  const char *name = g_get_language_names ()[0];

  if (g_ascii_isalpha (name[0]) && g_ascii_isalpha (name[1]) && !g_ascii_isalpha (name[2]))
    {
      lang[0] = g_ascii_tolower (name[0]);
      lang[1] = g_ascii_tolower (name[1]);
      return lang;
    }
  return "en";
}

static char *
aw_provider_open_meteo_build_uri (AwProvider     *provider,
                                  const char     *city,
                                  const AwLookup *lookup,
                                  GError        **error)
{
  AwProviderOpenMeteo *self = AW_PROVIDER_OPEN_METEO (provider);
  char latitude[G_ASCII_DTOSTR_BUF_SIZE];
  char longitude[G_ASCII_DTOSTR_BUF_SIZE];

  if (lookup->step == 0)
    {
      g_autofree char *name = aw_city_escape (city);

      return g_strdup_printf ("%s/v1/search?name=%s&count=1&language=%s&format=json",
                              self->geocoding_base_uri, name, geocoding_language ());
    }

  g_ascii_formatd (latitude, sizeof latitude, "%.5f", lookup->latitude);
  g_ascii_formatd (longitude, sizeof longitude, "%.5f", lookup->longitude);
  return g_strdup_printf ("%s/v1/forecast?latitude=%s&longitude=%s"
                          "&current=temperature_2m,relative_humidity_2m,weather_code,wind_speed_10m"
                          "&timezone=auto",
                          self->forecast_base_uri, latitude, longitude);
}

/* What the geocoding request asks: the service, the language of the answer and the city. */
static char *
cache_key (AwProviderOpenMeteo *self,
           const char          *city)
{
  return g_strdup_printf ("%s\n%s\n%s", self->geocoding_base_uri, geocoding_language (), city);
}

static gboolean
aw_provider_open_meteo_lookup_cached (AwProvider *provider,
                                      const char *city,
                                      AwLookup   *lookup)
{
  AwProviderOpenMeteo *self = AW_PROVIDER_OPEN_METEO (provider);
  g_autofree char *key = cache_key (self, city);
  g_autofree char *place = NULL;

  if (!aw_geocode_cache_lookup (self->cache, key, &place, &lookup->latitude, &lookup->longitude))
    return FALSE;
  g_free (lookup->place);
  lookup->place = g_steal_pointer (&place);
  lookup->step = 1;
  return TRUE;
}

static void
aw_provider_open_meteo_save (AwProvider *provider)
{
  AwProviderOpenMeteo *self = AW_PROVIDER_OPEN_METEO (provider);
  g_autoptr(GError) error = NULL;

  /* A cache that cannot be written costs requests, not results. */
  if (!aw_geocode_cache_save (self->cache, &error))
    g_debug ("Geocoding cache not saved: %s", error->message);
}

/* Open-Meteo explains its errors as {"error":true,"reason":"…"}. */
static gboolean
check_answer (JsonObject  *root,
              guint        status,
              GError     **error)
{
  g_autofree char *reason = aw_json_dup_text (root, "reason");

  if (reason != NULL && json_object_has_member (root, "error"))
    {
      g_set_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_SERVICE,
                   /* Translators: %s is what the weather service said */
                   _("The service refused the request: %s"), reason);
      return FALSE;
    }
  if (status < 200 || status >= 300)
    {
      g_propagate_error (error, aw_http_status_error (status));
      return FALSE;
    }
  return TRUE;
}

static AwStepResult
parse_place (const char  *city,
             JsonObject  *root,
             AwLookup    *lookup,
             GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *country = NULL;
  JsonNode *results = json_object_get_member (root, "results");
  JsonNode *first;
  JsonObject *place;

  /* No match: the "results" key is missing altogether. */
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results)
      || json_array_get_length (json_node_get_array (results)) == 0)
    {
      g_set_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND,
                   _("No place called “%s” was found"), city);
      return AW_STEP_FAILED;
    }

  first = json_array_get_element (json_node_get_array (results), 0);
  place = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
  if (place == NULL
      || !aw_json_get_number (place, "latitude", -90, 90, &lookup->latitude)
      || !aw_json_get_number (place, "longitude", -180, 180, &lookup->longitude))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The place found has no valid coordinates"));
      return AW_STEP_FAILED;
    }

  name = aw_json_dup_text (place, "name");
  country = aw_json_dup_text (place, "country");
  g_free (lookup->place);
  if (name != NULL && country != NULL)
    lookup->place = g_strdup_printf ("%s, %s", name, country);
  else
    lookup->place = name ? g_steal_pointer (&name) : aw_text_sanitize (city, -1);
  return AW_STEP_NEXT;
}

static AwStepResult
parse_current (const char  *city,
               JsonObject  *root,
               AwLookup    *lookup,
               AwWeather  **weather,
               GError     **error)
{
  g_autoptr(AwWeather) result = aw_weather_new ();
  JsonObject *current = aw_json_get_object (root, "current");
  double value;

  if (current == NULL
      || !aw_json_get_number (current, "temperature_2m", -100, 70, &result->temperature_c))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The answer has no plausible temperature"));
      return AW_STEP_FAILED;
    }

  if (aw_json_get_number (current, "relative_humidity_2m", 0, 100, &value))
    result->humidity = (int)value;
  if (aw_json_get_number (current, "wind_speed_10m", 0, 500, &value))
    result->wind_kmh = value;

  if (aw_json_get_number (current, "weather_code", 0, 99, &value))
    {
      for (guint i = 0; i < G_N_ELEMENTS (wmo_codes) && result->condition == NULL; i++)
        {
          if ((int)value >= wmo_codes[i].first && (int)value <= wmo_codes[i].last)
            {
              result->condition = g_strdup (_(wmo_codes[i].text));
              result->icon_name = g_strdup (wmo_codes[i].icon);
            }
        }
    }
  if (result->condition == NULL)
    {
      result->condition = g_strdup (_("Unknown"));
      result->icon_name = g_strdup ("weather-severe-alert-symbolic");
    }

  result->observed_at = aw_json_dup_text (current, "time");
  result->place = lookup->place ? g_strdup (lookup->place) : aw_text_sanitize (city, -1);
  result->service = g_strdup ("open-meteo");
  *weather = g_steal_pointer (&result);
  return AW_STEP_DONE;
}

static AwStepResult
aw_provider_open_meteo_parse (AwProvider  *provider,
                              const char  *city,
                              guint        status,
                              GBytes      *body,
                              AwLookup    *lookup,
                              AwWeather  **weather,
                              GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) parse_error = NULL;

  root = aw_json_parse_object (body, &parse_error);
  if (root == NULL)
    {
      if (status < 200 || status >= 300)
        g_propagate_error (error, aw_http_status_error (status));
      else
        g_propagate_error (error, g_steal_pointer (&parse_error));
      return AW_STEP_FAILED;
    }
  if (!check_answer (root, status, error))
    return AW_STEP_FAILED;

  if (lookup->step == 0)
    {
      AwProviderOpenMeteo *self = AW_PROVIDER_OPEN_METEO (provider);
      AwStepResult result = parse_place (city, root, lookup, error);

      if (result == AW_STEP_NEXT)
        {
          g_autofree char *key = cache_key (self, city);

          aw_geocode_cache_store (self->cache, key, lookup->place, lookup->latitude,
                                  lookup->longitude);
        }
      return result;
    }
  return parse_current (city, root, lookup, weather, error);
}

static void
provider_iface_init (AwProviderInterface *iface)
{
  iface->build_uri = aw_provider_open_meteo_build_uri;
  iface->parse = aw_provider_open_meteo_parse;
  iface->lookup_cached = aw_provider_open_meteo_lookup_cached;
  iface->save = aw_provider_open_meteo_save;
}

static void
aw_provider_open_meteo_finalize (GObject *object)
{
  AwProviderOpenMeteo *self = (AwProviderOpenMeteo *)object;

  g_clear_pointer (&self->geocoding_base_uri, g_free);
  g_clear_pointer (&self->forecast_base_uri, g_free);

  G_OBJECT_CLASS (aw_provider_open_meteo_parent_class)->finalize (object);
}

static void
aw_provider_open_meteo_class_init (AwProviderOpenMeteoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aw_provider_open_meteo_finalize;
}

static void
aw_provider_open_meteo_init (AwProviderOpenMeteo *self)
{
}

AwProvider *
aw_provider_open_meteo_new (const char *geocoding_base_uri,
                            const char *forecast_base_uri)
{
  AwProviderOpenMeteo *self;

  g_return_val_if_fail (geocoding_base_uri != NULL, NULL);
  g_return_val_if_fail (forecast_base_uri != NULL, NULL);

  self = g_object_new (AW_TYPE_PROVIDER_OPEN_METEO, NULL);
  self->geocoding_base_uri = aw_uri_strip_trailing_slashes (geocoding_base_uri);
  self->forecast_base_uri = aw_uri_strip_trailing_slashes (forecast_base_uri);
  self->cache = aw_geocode_cache_get_default ();
  return AW_PROVIDER (self);
}
