/* fuzz-settings.c: saved settings as anyone can write them (dconf-editor, gsettings set, a
 * stale or hand-edited database), put back in bounds by aw_settings_check()
 *
 * Input: a sequence of operations. Each is one byte picking a key of aw_settings_checked_keys,
 * then a value of that key's type: 4 bytes for an int, the 8 bytes of a double as they are
 * (NaN, infinities, -0 and subnormals included), or a length byte and that many bytes for a
 * string (up to a NUL, made valid UTF-8: GSettings holds nothing else). After the check the
 * value is within its bounds, and there is a message exactly when the value was changed.
 *
 * The schema is compiled by .ci/fuzz; GSETTINGS_SCHEMA_DIR names its directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

/* g_memory_settings_backend_new() is for backends and tests only */
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "aw-settings.h"
#include "fuzz-common.h"

#define SCHEMA_ID "io.github.asyncweather.AsyncWeather"
#define MAX_OPERATIONS 16

/* The bounds of src/core/aw-settings.c, restated: the harness checks them, not their copy. */
static const struct {
  const char *key;
  double      min;
  double      max;
} bounds[] = {
  { "limit", 1, 1000 },
  { "demo-latency", 0, 60 },
  { "demo-latency-max", 0, 60 },
  { "demo-failure-rate", 0, 1 },
  { "timeout", 0.1, 600 },
  { "conns-per-host", 0, 1000 },
  { "work-ms", 0, 1000 },
};

static const char * const provider_names[] = { "demo", "prevision", "open-meteo", NULL };

static GSettingsBackend *backend;
static GSettings *settings;
static GSettingsSchema *schema;
static guint n_keys;

static int
find_bounds (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      if (g_str_equal (key, bounds[i].key))
        return i;
    }
  return -1;
}

/* Once: a memory backend, so no run touches the person's settings, and the schema of data/. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GError) error = NULL;
  const char *dir = g_getenv ("GSETTINGS_SCHEMA_DIR");

  fuzz_init_glib ();

  if (dir == NULL)
    {
      g_printerr ("fuzz-settings: set GSETTINGS_SCHEMA_DIR to a directory holding the compiled "
                  "schema of data/ (.ci/fuzz does)\n");
      abort ();
    }
  source = g_settings_schema_source_new_from_directory (dir, NULL, TRUE, &error);
  if (source == NULL)
    {
      g_printerr ("fuzz-settings: %s: %s\n", dir, error->message);
      abort ();
    }
  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, FALSE);
  fuzz_assert (schema != NULL);

  backend = g_memory_settings_backend_new ();
  settings = g_settings_new_full (schema, backend, NULL);

  /* A key checked by the core and unknown here would go unfuzzed: say so. */
  for (n_keys = 0; aw_settings_checked_keys[n_keys] != NULL; n_keys++)
    {
      const char *key = aw_settings_checked_keys[n_keys];

      fuzz_assert (g_settings_schema_has_key (schema, key));
      fuzz_assert (g_str_equal (key, "provider") || find_bounds (key) >= 0);
    }
  fuzz_assert (n_keys > 0);
  return 0;
}

/* A value of @type from the bytes at *@data, or NULL when they run out. */
static GVariant *
take_value (const GVariantType  *type,
            const uint8_t      **data,
            const uint8_t       *end)
{
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    {
      gint32 number;

      if (end - *data < (ptrdiff_t)sizeof number)
        return NULL;
      memcpy (&number, *data, sizeof number);
      *data += sizeof number;
      return g_variant_new_int32 (number);
    }
  if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    {
      double number;

      if (end - *data < (ptrdiff_t)sizeof number)
        return NULL;
      memcpy (&number, *data, sizeof number);
      *data += sizeof number;
      return g_variant_new_double (number);
    }
  if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
    {
      g_autofree char *raw = NULL;
      gsize len;

      if (end - *data < 1)
        return NULL;
      len = MIN ((gsize)**data, (gsize)(end - *data - 1));
      raw = g_strndup ((const char *)*data + 1, len);
      *data += 1 + len;
      return g_variant_new_take_string (g_utf8_make_valid (raw, -1));
    }
  /* a checked key of another type: the harness needs to learn it */
  fuzz_assert (FALSE);
  return NULL;
}

static void
check_bounds (const char *key,
              GVariant   *before,
              GVariant   *after,
              const char *message)
{
  gboolean changed = !g_variant_equal (before, after);

  /* a message exactly when the person's value was replaced */
  fuzz_assert ((message != NULL) == changed);
  if (message != NULL)
    fuzz_assert (*message != '\0' && g_utf8_validate (message, -1, NULL));

  if (g_str_equal (key, "provider"))
    {
      const char *name = g_variant_get_string (before, NULL);

      fuzz_assert (g_strv_contains (provider_names, g_variant_get_string (after, NULL)));
      fuzz_assert (changed == !g_strv_contains (provider_names, name));
    }
  else
    {
      int i = find_bounds (key);
      gboolean is_int = g_variant_is_of_type (before, G_VARIANT_TYPE_INT32);
      double old = is_int ? g_variant_get_int32 (before) : g_variant_get_double (before);
      double now = is_int ? g_variant_get_int32 (after) : g_variant_get_double (after);

      fuzz_assert (i >= 0);
      fuzz_assert (!isnan (now) && now >= bounds[i].min && now <= bounds[i].max);
      /* in bounds: kept as it is; out of bounds (or NaN): the nearest bound */
      if (!isnan (old) && old >= bounds[i].min && old <= bounds[i].max)
        fuzz_assert (!changed);
      else if (old > bounds[i].max)
        fuzz_assert (now == bounds[i].max);
      else
        fuzz_assert (now == bounds[i].min);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *end = data + size;

  for (guint n = 0; n < MAX_OPERATIONS && data < end; n++)
    {
      const char *key = aw_settings_checked_keys[*data++ % n_keys];
      g_autoptr(GSettingsSchemaKey) schema_key = g_settings_schema_get_key (schema, key);
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GVariant) after = NULL;
      g_autofree char *path = NULL;
      g_autofree char *full_key = NULL;
      g_autofree char *message = NULL;

      value = take_value (g_settings_schema_key_get_value_type (schema_key), &data, end);
      if (value == NULL)
        break;
      g_variant_ref_sink (value);

      /* Saved as a hand edit would save it: through the backend, past the schema's range,
       * which g_settings_set_value() refuses. */
      g_object_get (settings, "path", &path, NULL);
      full_key = g_strconcat (path, key, NULL);
      fuzz_assert (G_SETTINGS_BACKEND_GET_CLASS (backend)->write (backend, full_key, value, NULL));

      message = aw_settings_check (settings, key);
      after = g_settings_get_value (settings, key);
      check_bounds (key, value, after, message);

      /* the change notifications, so none piles up between inputs */
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  return 0;
}
