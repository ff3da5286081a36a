/* aw-settings.c: the bounds of the settings, from the schema; saved settings put back in
 * bounds, with a message for the person
 *
 * The schema's <range> is the one statement of each numeric key's bounds. GSettings itself
 * refuses to write a value outside it, and reads a saved one outside it (a hand-edited file, a
 * direct dconf write) as the default without a word: the check below reads the saved value as
 * the backend holds it, so that such a value is clamped and the person told.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "aw-provider.h"
#include "aw-settings.h"

/* How the window and its preferences name each checked numeric key. */
static const struct {
  const char *key;
  const char *label;
  gboolean    percent;  /* a share, shown as a percentage */
} labels[] = {
  { "limit", N_("Tasks in flight (Limited mode)"), FALSE },
  { "demo-latency", N_("Demo server latency"), FALSE },
  { "demo-latency-max", N_("Demo server latency up to"), FALSE },
  { "demo-failure-rate", N_("Demo server failure rate"), TRUE },
  { "timeout", N_("Timeout"), FALSE },
  { "conns-per-host", N_("Connections per host"), FALSE },
  { "work-ms", N_("Work per answer"), FALSE },
};

const char * const aw_settings_checked_keys[] = {
  "provider", "limit", "demo-latency", "demo-latency-max", "demo-failure-rate", "timeout",
  "conns-per-host", "work-ms", NULL
};

static double
variant_to_double (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  return g_variant_get_double (value);
}

gboolean
aw_settings_get_range (GSettings  *settings,
                       const char *key,
                       double     *min,
                       double     *max)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) schema_key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) bounds = NULL;
  g_autoptr(GVariant) low = NULL;
  g_autoptr(GVariant) high = NULL;
  const char *kind;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return FALSE;
  schema_key = g_settings_schema_get_key (schema, key);
  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &kind, &bounds);
  if (!g_str_equal (kind, "range"))
    return FALSE;
  low = g_variant_get_child_value (bounds, 0);
  high = g_variant_get_child_value (bounds, 1);
  if (min != NULL)
    *min = variant_to_double (low);
  if (max != NULL)
    *max = variant_to_double (high);
  return TRUE;
}

/* The value saved for @key as the backend holds it, even outside the schema's range; NULL
 * when none is saved. */
static GVariant *
read_saved (GSettings  *settings,
            const char *key,
            const GVariantType *type)
{
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *path = NULL;
  g_autofree char *full_key = NULL;

  g_object_get (settings, "backend", &backend, "path", &path, NULL);
  full_key = g_strconcat (path, key, NULL);
  return G_SETTINGS_BACKEND_GET_CLASS (backend)->read (backend, full_key, type, FALSE);
}

static char *
check_number (GSettings  *settings,
              guint       i)
{
  const char *key = labels[i].key;
  g_autoptr(GVariant) value = NULL;
  gboolean is_int;
  double number, clamped, min, max;

  if (!aw_settings_get_range (settings, key, &min, &max))
    g_return_val_if_reached (NULL);

  value = g_settings_get_value (settings, key);
  is_int = g_variant_is_of_type (value, G_VARIANT_TYPE_INT32);
  g_clear_pointer (&value, g_variant_unref);
  value = read_saved (settings, key, is_int ? G_VARIANT_TYPE_INT32 : G_VARIANT_TYPE_DOUBLE);
  if (value == NULL)
    return NULL;

  number = variant_to_double (value);
  clamped = isnan (number) ? min : CLAMP (number, min, max);
  if (clamped == number)
    return NULL;

  if (is_int)
    g_settings_set_int (settings, key, (int)clamped);
  else
    g_settings_set_double (settings, key, clamped);
  if (labels[i].percent)
    /* Translators: a setting's name, its bad saved value, the value used instead, in % */
    return g_strdup_printf (_("The saved setting “%s” was out of range (%g %%): it is now "
                              "%g %%."), _(labels[i].label), number * 100, clamped * 100);
  /* Translators: a setting's name, its bad saved value, the value used instead */
  return g_strdup_printf (_("The saved setting “%s” was out of range (%g): it is now %g."),
                          _(labels[i].label), number, clamped);
}

char *
aw_settings_check (GSettings  *settings,
                   const char *key)
{
  if (g_str_equal (key, "provider"))
    {
      g_autofree char *name = g_settings_get_string (settings, key);

      if (aw_provider_info_lookup (name) != NULL)
        return NULL;
      g_settings_set_string (settings, key, aw_providers[0].name);
      return g_strdup_printf (_("The saved weather service “%s” is unknown: the demo service is "
                                "used instead."), name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (key, labels[i].key))
      return check_number (settings, i);
  return NULL;
}
