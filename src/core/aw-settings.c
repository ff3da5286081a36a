/* aw-settings.c: saved settings put back in bounds, with a message for the person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aw-provider.h"
#include "aw-settings.h"

/* The bounds of the numeric settings. The schema leaves them open on purpose: GSettings would
 * silently replace a bad saved value by the default, where the app clamps it and says so. */
static const struct {
  const char *key;
  const char *label;    /* as the window and its preferences name it */
  double      min;
  double      max;
  gboolean    percent;  /* a share, shown as a percentage */
} bounds[] = {
  { "limit", N_("Tasks in flight (Limited mode)"), 1, 1000, FALSE },
  { "demo-latency", N_("Demo server latency"), 0, 60, FALSE },
  { "demo-latency-max", N_("Demo server latency up to"), 0, 60, FALSE },
  { "demo-failure-rate", N_("Demo server failure rate"), 0, 1, TRUE },
  { "timeout", N_("Timeout"), 0.1, 600, FALSE },
  { "conns-per-host", N_("Connections per host"), 0, 1000, FALSE },
};

const char * const aw_settings_checked_keys[] = {
  "provider", "limit", "demo-latency", "demo-latency-max", "demo-failure-rate", "timeout",
  "conns-per-host", NULL
};

char *
aw_settings_check (GSettings  *settings,
                   const char *key)
{
  if (g_str_equal (key, "provider"))
    {
      g_autofree char *name = g_settings_get_string (settings, key);

      if (g_strv_contains (aw_provider_names, name))
        return NULL;
      g_settings_set_string (settings, key, aw_provider_names[0]);
      return g_strdup_printf (_("The saved weather service “%s” is unknown: the demo service is "
                                "used instead."), name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      g_autoptr(GVariant) value = NULL;
      gboolean is_int;
      double number;
      double clamped;

      if (!g_str_equal (key, bounds[i].key))
        continue;
      value = g_settings_get_value (settings, key);
      is_int = g_variant_is_of_type (value, G_VARIANT_TYPE_INT32);
      number = is_int ? g_variant_get_int32 (value) : g_variant_get_double (value);
      clamped = isnan (number) ? bounds[i].min : CLAMP (number, bounds[i].min, bounds[i].max);
      if (clamped == number)
        return NULL;

      if (is_int)
        g_settings_set_int (settings, key, (int)clamped);
      else
        g_settings_set_double (settings, key, clamped);
      if (bounds[i].percent)
        /* Translators: a setting's name, its bad saved value, the value used instead, in % */
        return g_strdup_printf (_("The saved setting “%s” was out of range (%g %%): it is now "
                                  "%g %%."), _(bounds[i].label), number * 100, clamped * 100);
      /* Translators: a setting's name, its bad saved value, the value used instead */
      return g_strdup_printf (_("The saved setting “%s” was out of range (%g): it is now %g."),
                              _(bounds[i].label), number, clamped);
    }
  return NULL;
}
