/* fuzz-open-meteo.c: answers of Open-Meteo, both steps of a task: the geocoding search, then
 * the current weather at the place found
 *
 * Input: one selector byte, then the body. The selector's low bits pick the HTTP status (see
 * fuzz_status_for()), bit 0x10 the step (0: geocoding, 1: forecast), bit 0x20 whether the
 * forecast step already knows a place name. A geocoding answer must end in a filled lookup
 * whose next request is a sound URI, or in an error; a forecast answer in exactly one of a
 * weather or an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#define CITY "Berlin"

static AwProvider *open_meteo;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  open_meteo = aw_provider_new_for_name ("open-meteo", NULL, NULL);
  fuzz_assert (open_meteo != NULL);
  return 0;
}

/* The coordinates found go into the forecast request: it must be a URI, and say them back. */
static void
check_forecast_uri (const AwLookup *found)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *text = NULL;
  AwLookup next = *found;
  const char *latitude;
  const char *longitude;

  next.step = 1;
  text = aw_provider_build_uri (open_meteo, CITY, &next, &error);
  fuzz_assert (text != NULL && error == NULL);
  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, &error);
  fuzz_assert (uri != NULL);
  fuzz_assert (g_strcmp0 (g_uri_get_host (uri), "api.open-meteo.com") == 0);
  fuzz_assert (g_strcmp0 (g_uri_get_path (uri), "/v1/forecast") == 0);
  fuzz_assert (g_uri_get_fragment (uri) == NULL);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  fuzz_assert (params != NULL);
  latitude = g_hash_table_lookup (params, "latitude");
  longitude = g_hash_table_lookup (params, "longitude");
  fuzz_assert (latitude != NULL && longitude != NULL);
  /* "%.5f": within half the last digit, plus rounding */
  fuzz_assert (fabs (g_ascii_strtod (latitude, NULL) - found->latitude) <= 0.6e-5);
  fuzz_assert (fabs (g_ascii_strtod (longitude, NULL) - found->longitude) <= 0.6e-5);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };
  AwStepResult result;
  guint status;

  if (size < 1)
    return 0;

  status = fuzz_status_for (data[0]);
  if (data[0] & 0x10)
    {
      /* as a task leaves it after a successful geocoding */
      lookup.step = 1;
      lookup.latitude = 52.52437;
      lookup.longitude = 13.41053;
      if (data[0] & 0x20)
        lookup.place = g_strdup ("Berlin, Deutschland");
    }
  /* A copy of its own: ASan sees any read past the end of the body. */
  body = g_bytes_new (data + 1, size - 1);

  fuzz_check_json_object (body);

  result = aw_provider_parse (open_meteo, CITY, status, body, &lookup, &weather, &error);

  if (result != AW_STEP_FAILED)
    /* an error status never passes for an answer */
    fuzz_assert (status >= 200 && status < 300);

  if (lookup.step == 0)
    {
      /* Geocoding: the lookup filled in, or an error; never a weather yet. */
      fuzz_assert (result == AW_STEP_NEXT || result == AW_STEP_FAILED);
      fuzz_assert (weather == NULL);
      if (result == AW_STEP_NEXT)
        {
          fuzz_assert (error == NULL);
          fuzz_check_text (lookup.place, 2 * FUZZ_MAX_TEXT_CHARS + 2);
          fuzz_assert (isfinite (lookup.latitude) && fabs (lookup.latitude) <= 90);
          fuzz_assert (isfinite (lookup.longitude) && fabs (lookup.longitude) <= 180);
          check_forecast_uri (&lookup);
        }
      else
        fuzz_check_error (error);
    }
  else
    {
      /* Forecast: either a weather or an error, never both, never neither. */
      fuzz_assert (result == AW_STEP_DONE || result == AW_STEP_FAILED);
      fuzz_assert ((weather == NULL) != (error == NULL));
      if (result == AW_STEP_DONE)
        {
          fuzz_check_weather (weather, "open-meteo");
          fuzz_assert (g_strcmp0 (weather->place, lookup.place ? lookup.place : CITY) == 0);
        }
      else
        fuzz_check_error (error);
    }

  aw_lookup_clear (&lookup);
  return 0;
}
