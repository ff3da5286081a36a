/* fuzz-geocode-cache.c: the geocoding cache file as anything may leave it (another version, a
 * disk error, a hand edit), read by aw-geocode-cache.c
 *
 * Input: the file's bytes. Reading it never fails a run: whatever it holds, an entry found is
 * within bounds, and a place stored afterwards is saved and read back by a fresh cache.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "aw-geocode-cache.h"
#include "fuzz-common.h"

/* The key of the seeds' entries, and of the one each run stores. */
#define SEED_KEY  "https://geocoding-api.open-meteo.com\nen\nBerlin"
#define FUZZ_KEY  "fuzz\nen\nLausanne"

static char *path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = g_dir_make_tmp ("fuzz-geocode-cache-XXXXXX", NULL);

  fuzz_init_glib ();
  fuzz_assert (dir != NULL);
  path = g_build_filename (dir, "geocoding.json", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(AwGeocodeCache) cache = NULL;
  g_autoptr(AwGeocodeCache) again = NULL;
  g_autofree char *place = NULL;
  double latitude, longitude;

  fuzz_assert (g_file_set_contents (path, (const char *)data, size, NULL));
  cache = aw_geocode_cache_new (path);
  if (aw_geocode_cache_lookup (cache, SEED_KEY, &place, &latitude, &longitude))
    {
      fuzz_assert (place != NULL && *place != '\0' && g_utf8_validate (place, -1, NULL));
      fuzz_assert (g_utf8_strlen (place, -1) <= FUZZ_MAX_TEXT_CHARS);
      fuzz_assert (latitude >= -90 && latitude <= 90);
      fuzz_assert (longitude >= -180 && longitude <= 180);
    }
  g_clear_pointer (&place, g_free);

  aw_geocode_cache_store (cache, FUZZ_KEY, "Lausanne, Suisse", 46.5194, 6.6337);
  fuzz_assert (aw_geocode_cache_save (cache, NULL));
  again = aw_geocode_cache_new (path);
  fuzz_assert (aw_geocode_cache_lookup (again, FUZZ_KEY, &place, &latitude, &longitude));
  fuzz_assert (g_str_equal (place, "Lausanne, Suisse"));
  fuzz_assert (latitude == 46.5194 && longitude == 6.6337);
  return 0;
}
