/* test-settings.c: bad saved settings are clamped with a message; a crash mid-write loses none
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "aw-enums.h"
#include "aw-settings.h"

static GSettings *
new_settings (GSettingsBackend *backend)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  g_assert_nonnull (schema);
  return g_settings_new_full (schema, backend, NULL);
}

#define KEYFILE_ROOT "/io/github/asyncweather/AsyncWeather/"

/* Settings saved by hand, out of the schema's range: GSettings alone would read them as the
 * defaults without a word. */
static GSettingsBackend *
new_hand_edited_backend (char **dir)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  *dir = g_dir_make_tmp ("aw-settings-XXXXXX", NULL);
  path = g_build_filename (*dir, "keyfile", NULL);
  g_file_set_contents (path,
                       "[app]\n"
                       "limit=0\n"
                       "demo-failure-rate=5.0\n"
                       "demo-latency=inf\n"
                       "timeout=nan\n"
                       "provider='../../etc/passwd'\n",
                       -1, &error);
  g_assert_no_error (error);
  return g_keyfile_settings_backend_new (path, KEYFILE_ROOT, "app");
}

static void
remove_dir (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_clamped (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = new_settings (backend);
  g_autoptr(GSettingsBackend) edited_backend = NULL;
  g_autoptr(GSettings) edited = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *message = NULL;
  g_autofree char *provider = NULL;

  /* Values in bounds are left alone, without a word. */
  for (guint i = 0; aw_settings_checked_keys[i] != NULL; i++)
    g_assert_null (aw_settings_check (settings, aw_settings_checked_keys[i]));

  edited_backend = new_hand_edited_backend (&dir);
  edited = new_settings (edited_backend);

  message = aw_settings_check (edited, "limit");
  g_assert_nonnull (message);
  /* Named as the window names it, not by its key. */
  g_assert_nonnull (strstr (message, "“Tasks in flight (Limited mode)”"));
  g_assert_cmpint (g_settings_get_int (edited, "limit"), ==, 1);
  g_clear_pointer (&message, g_free);

  message = aw_settings_check (edited, "demo-failure-rate");
  g_assert_cmpstr (message, ==, "The saved setting “Demo server failure rate” was out of range "
                                "(500 %): it is now 100 %.");
  g_assert_cmpfloat (g_settings_get_double (edited, "demo-failure-rate"), ==, 1);
  g_clear_pointer (&message, g_free);

  message = aw_settings_check (edited, "timeout");
  g_assert_nonnull (message);
  g_assert_cmpfloat (g_settings_get_double (edited, "timeout"), ==, 0.1);
  g_clear_pointer (&message, g_free);

  g_free (aw_settings_check (edited, "demo-latency"));
  g_assert_cmpfloat (g_settings_get_double (edited, "demo-latency"), ==, 60);

  message = aw_settings_check (edited, "provider");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "../../etc/passwd"));
  provider = g_settings_get_string (edited, "provider");
  g_assert_cmpstr (provider, ==, "demo");

  /* Once put back, nothing more to say. */
  for (guint i = 0; aw_settings_checked_keys[i] != NULL; i++)
    g_assert_null (aw_settings_check (edited, aw_settings_checked_keys[i]));

  g_clear_object (&edited);
  g_settings_sync ();
  remove_dir (dir);
}

/* The bounds come from the schema's own ranges, for every checked numeric key. */
static void
test_schema_ranges (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = new_settings (backend);
  double min, max;

  g_assert_true (aw_settings_get_range (settings, "limit", &min, &max));
  g_assert_cmpfloat (min, ==, 1);
  g_assert_cmpfloat (max, ==, 1000);
  g_assert_true (aw_settings_get_range (settings, "demo-failure-rate", &min, &max));
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat (max, ==, 1);
  g_assert_true (aw_settings_get_range (settings, "timeout", &min, &max));
  g_assert_cmpfloat (min, ==, 0.1);
  g_assert_cmpfloat (max, ==, 600);
  for (guint i = 1; aw_settings_checked_keys[i] != NULL; i++)
    g_assert_true (aw_settings_get_range (settings, aw_settings_checked_keys[i], NULL, NULL));
  g_assert_false (aw_settings_get_range (settings, "provider", &min, &max));
  g_assert_false (aw_settings_get_range (settings, "no-such-key", &min, &max));
}


/* The schema's Mode enum is written by hand beside the C one: the same values under the same
 * nicks, neither with one the other lacks. */
static void
test_mode_enum (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = new_settings (backend);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) nicks = NULL;
  g_autoptr(GEnumClass) modes = g_type_class_ref (AW_TYPE_MODE);
  const char *kind;

  g_object_get (settings, "settings-schema", &schema, NULL);
  key = g_settings_schema_get_key (schema, "mode");
  range = g_settings_schema_key_get_range (key);
  g_variant_get (range, "(&sv)", &kind, &nicks);
  g_assert_cmpstr (kind, ==, "enum");
  g_assert_cmpuint (g_variant_n_children (nicks), ==, modes->n_values);

  for (guint i = 0; i < modes->n_values; i++)
    {
      const GEnumValue *mode = &modes->values[i];
      g_autofree char *nick = NULL;

      /* The C value, written through the schema, reads back as the C nick... */
      g_assert_true (g_settings_set_enum (settings, "mode", mode->value));
      nick = g_settings_get_string (settings, "mode");
      g_assert_cmpstr (nick, ==, mode->value_nick);
      /* ...and the nick, written as a string, reads back as the C value. */
      g_assert_true (g_settings_set_string (settings, "mode", mode->value_nick));
      g_assert_cmpint (g_settings_get_enum (settings, "mode"), ==, mode->value);
    }
}

/* A writer killed at any moment leaves a whole file: the old list or the new, never half. */
static void
test_crash_mid_write (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) cities = NULL;

  if (g_test_subprocess ())
    {
      const char *path_env = g_getenv ("AW_TEST_KEYFILE");
      g_autoptr(GSettingsBackend) writer_backend =
        g_keyfile_settings_backend_new (path_env, KEYFILE_ROOT, "app");
      g_autoptr(GSettings) writer = new_settings (writer_backend);

      for (guint n = 1; ; n = n % 500 + 1)
        {
          g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

          for (guint i = 0; i < n; i++)
            g_ptr_array_add (list, g_strdup_printf ("city%u", i));
          g_ptr_array_add (list, NULL);
          g_settings_set_strv (writer, "cities", (const char * const *)list->pdata);
          g_settings_sync ();
        }
    }

  dir = g_dir_make_tmp ("aw-settings-XXXXXX", NULL);
  path = g_build_filename (dir, "keyfile", NULL);
  g_setenv ("AW_TEST_KEYFILE", path, TRUE);
  /* The writer is killed when its time is up, wherever it is. */
  g_test_trap_subprocess (NULL, 300000, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();

  backend = g_keyfile_settings_backend_new (path, KEYFILE_ROOT, "app");
  settings = new_settings (backend);
  cities = g_settings_get_strv (settings, "cities");
  /* Each list the writer saved is city0 … cityN-1, whole. */
  g_assert_cmpuint (g_strv_length (cities), >, 0);
  for (guint i = 0; cities[i] != NULL; i++)
    {
      g_autofree char *expected = g_strdup_printf ("city%u", i);

      g_assert_cmpstr (cities[i], ==, expected);
    }

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/clamped", test_clamped);
  g_test_add_func ("/settings/schema-ranges", test_schema_ranges);
  g_test_add_func ("/settings/mode-enum", test_mode_enum);
  g_test_add_func ("/settings/crash-mid-write", test_crash_mid_write);
  return g_test_run ();
}
