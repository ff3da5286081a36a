/* aw-test-utils.c: what the tests share
 *
 * Tests compare timings within a run (concurrent against the sum of its tasks, a timed-out
 * task against the others) rather than against a clock. The few limits that remain, timeouts
 * of the runs and guards against a test that hangs, are multiplied by one factor: a sanitizer
 * build on a busy machine may run many times slower, and `.ci/sanitize` says how much in
 * AW_TEST_SLOWDOWN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "aw-test-utils.h"

/* The factor from AW_TEST_SLOWDOWN: 1 when unset, never below 1. */
double
aw_test_slowdown (void)
{
  static double slowdown;

  if (slowdown == 0)
    {
      const char *value = g_getenv ("AW_TEST_SLOWDOWN");
      double parsed = value != NULL ? g_ascii_strtod (value, NULL) : 1;

      slowdown = parsed >= 1 ? parsed : 1;
    }
  return slowdown;
}

double
aw_test_scaled_s (double seconds)
{
  return seconds * aw_test_slowdown ();
}

gint64
aw_test_scaled_us (gint64 us)
{
  return (gint64)(us * aw_test_slowdown ());
}

void
aw_test_settings_write_saved (GSettings  *settings,
                              const char *key,
                              GVariant   *value)
{
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *path = NULL;
  g_autofree char *full_key = NULL;

  g_object_get (settings, "backend", &backend, "path", &path, NULL);
  full_key = g_strconcat (path, key, NULL);
  g_assert_true (G_SETTINGS_BACKEND_GET_CLASS (backend)->write (backend, full_key, value, NULL));
}
