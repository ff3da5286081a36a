/* aw-application.c: the application: settings, the demo server, the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>

#include "aw-about-window.h"
#include "aw-application.h"
#include "aw-descriptors.h"
#include "aw-preferences-window.h"
#include "aw-settings.h"
#include "aw-window.h"

/* The sockets of a run of 4000 cities and the built-in demo server's ends of them. */
#define WINDOW_DESCRIPTORS 8192

struct _AwApplication
{
  AdwApplication  parent_instance;

  /* owned */
  GSettings      *settings;
  AwDemoServer   *demo_server;   /* started on first use */
  char           *run_mode;      /* --run: start a run as soon as the window shows */
  char           *notice;        /* settings clamped before the window showed */
  char           *base_url;      /* where a real service is reached instead, or NULL */
};

/* The demo latency's range keeps its ends in order: a latency raised above "up to" raises it,
 * an "up to" lowered below the latency lowers it. */
static void
keep_latency_range (GSettings  *settings,
                    const char *key)
{
  double latency = g_settings_get_double (settings, "demo-latency");
  double latency_max = g_settings_get_double (settings, "demo-latency-max");

  if (latency_max >= latency)
    return;
  if (g_str_equal (key, "demo-latency"))
    g_settings_set_double (settings, "demo-latency-max", latency);
  else
    g_settings_set_double (settings, "demo-latency", latency_max);
}

static void
on_setting_changed (AwApplication *self,
                    const char    *key,
                    GSettings     *settings)
{
  g_autofree char *notice = aw_settings_check (settings, key);
  GtkWindow *window;

  if (g_str_equal (key, "demo-latency") || g_str_equal (key, "demo-latency-max"))
    keep_latency_range (settings, key);
  if (notice == NULL)
    return;
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (AW_IS_WINDOW (window))
    aw_window_show_notice (AW_WINDOW (window), notice);
  else
    {
      g_free (self->notice);
      self->notice = g_steal_pointer (&notice);
    }
}

G_DEFINE_FINAL_TYPE (AwApplication, aw_application, ADW_TYPE_APPLICATION)

static gboolean
start_requested_run (gpointer user_data)
{
  AwWindow *window = user_data;
  AwApplication *self = AW_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  AwMode mode;

  if (self != NULL && aw_mode_from_string (self->run_mode, &mode))
    aw_window_start_run (window, mode);
  /* Once: a later activation (another launch without --run) starts nothing. */
  if (self != NULL)
    g_clear_pointer (&self->run_mode, g_free);
  return G_SOURCE_REMOVE;
}

static void
aw_application_activate (GApplication *application)
{
  AwApplication *self = AW_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (aw_window_new (self));
  gtk_window_present (window);
  if (self->notice != NULL)
    aw_window_show_notice (AW_WINDOW (window), self->notice);
  g_clear_pointer (&self->notice, g_free);

  if (self->run_mode != NULL)
    g_idle_add_full (G_PRIORITY_LOW, start_requested_run, g_object_ref (window), g_object_unref);
}

static int
aw_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  AwApplication *self = AW_APPLICATION (application);
  const char *mode = NULL;
  double latency;
  AwMode parsed;

  if (g_variant_dict_lookup (options, "run", "&s", &mode) && !aw_mode_from_string (mode, &parsed))
    {
      g_printerr (_("Unknown mode “%s”: use sequential, concurrent, limited, threads or "
                    "blocking\n"), mode);
      return 2;
    }
  if (g_variant_dict_lookup (options, "demo-latency", "d", &latency))
    {
      double min = 0, max = 0;

      /* The setting's own bounds, from the schema; NaN is in none. */
      aw_settings_get_range (self->settings, "demo-latency", &min, &max);
      if (!(latency >= min && latency <= max))
        {
          /* Translators: the bounds of the setting, in seconds */
          g_printerr (_("The demo latency must be between %g and %g seconds\n"), min, max);
          return 2;
        }
      g_settings_set_double (self->settings, "demo-latency", latency);
      g_settings_set_double (self->settings, "demo-latency-max", latency);
    }
  if (mode != NULL)
    {
      /* A window already open in another process: the run starts there, with the latency
       * just saved. */
      if (g_application_register (application, NULL, NULL)
          && g_application_get_is_remote (application))
        {
          g_settings_sync ();
          g_action_group_activate_action (G_ACTION_GROUP (application), "run",
                                          g_variant_new_string (mode));
        }
      else
        self->run_mode = g_strdup (mode);
    }
  return -1;
}

/* app.run(mode): a run in the window, as --run asks; it presents the window too. */
static void
run_action (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  AwApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AwMode mode;

  if (!aw_mode_from_string (g_variant_get_string (parameter, NULL), &mode))
    return;
  if (!AW_IS_WINDOW (window))
    {
      /* Not shown yet: it starts when the window shows. */
      g_free (self->run_mode);
      self->run_mode = g_variant_dup_string (parameter, NULL);
      return;
    }
  gtk_window_present (window);
  aw_window_start_run (AW_WINDOW (window), mode);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AwApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (aw_preferences_window_new (window, self->settings)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AwApplication *self = user_data;

  aw_about_window_present (gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (self);

  /* Close the windows as a person would, so that each cancels its run and saves its size. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
}

static const GActionEntry app_actions[] = {
  { "run", run_action, "s" },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* Mesa's software GL (on Xvfb, in most virtual machines and remote desktops) redraws the whole
 * window at every frame on the CPU, and its threads take the cores a run needs. GTK's cairo
 * renderer redraws only what changed: there it keeps the live bars near 60 frames a second.
 * GTK has no API for the choice: "gsk-renderer" is the display's key that its renderer
 * selection reads first (undocumented, read from 4.8 to 4.18 at least). A GSK_RENDERER that
 * the person set still decides. */
static void
prefer_cairo_to_software_gl (GdkDisplay *display)
{
  static const char * const software[] = { "llvmpipe", "softpipe", "swrast" };
  g_autoptr(GdkGLContext) context = NULL;
  const char *renderer;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return;
  gdk_gl_context_make_current (context);
  renderer = (const char *)glGetString (GL_RENDERER);
  for (guint i = 0; renderer != NULL && i < G_N_ELEMENTS (software); i++)
    if (strstr (renderer, software[i]) != NULL)
      g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer)"cairo");
  gdk_gl_context_clear_current ();
}

static void
aw_application_startup (GApplication *application)
{
  AwApplication *self = AW_APPLICATION (application);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "win.run", { "<Control>Return", "<Control>KP_Enter", NULL } },
    { "win.stop", { "Escape", NULL } },
    { "win.presentation", { "F5", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
  };

  G_APPLICATION_CLASS (aw_application_parent_class)->startup (application);

  prefer_cairo_to_software_gl (gdk_display_get_default ());
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  gtk_window_set_default_icon_name (APP_ID);

  /* style.css at the resource root is AdwApplication's to load. */
}

static void
aw_application_shutdown (GApplication *application)
{
  AwApplication *self = AW_APPLICATION (application);

  if (self->demo_server != NULL)
    aw_demo_server_stop (self->demo_server);

  G_APPLICATION_CLASS (aw_application_parent_class)->shutdown (application);
}

static void
aw_application_finalize (GObject *object)
{
  AwApplication *self = (AwApplication *)object;

  g_clear_object (&self->demo_server);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->run_mode, g_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (aw_application_parent_class)->finalize (object);
}

static void
aw_application_class_init (AwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = aw_application_finalize;
  app_class->activate = aw_application_activate;
  app_class->startup = aw_application_startup;
  app_class->shutdown = aw_application_shutdown;
  app_class->handle_local_options = aw_application_handle_local_options;
}

/* The installed schema, or, run from the build tree, the one compiled there. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) built = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (installed != NULL)
    schema = g_settings_schema_source_lookup (installed, APP_ID, TRUE);
  if (schema == NULL)
    {
      built = g_settings_schema_source_new_from_directory (BUILD_SCHEMA_DIR, installed, FALSE,
                                                           NULL);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, APP_ID, FALSE);
    }
  if (schema == NULL)
    g_error ("The settings schema %s is not installed", APP_ID);
  return g_settings_new_full (schema, NULL, NULL);
}

static void
aw_application_init (AwApplication *self)
{
  static const GOptionEntry options[] = {
    { "run", 'r', 0, G_OPTION_ARG_STRING, NULL,
      N_("Start a run of the saved cities as soon as the window shows"), N_("MODE") },
    { "demo-latency", 'l', 0, G_OPTION_ARG_DOUBLE, NULL,
      N_("Latency of the demo server, in seconds (saved)"), N_("SECONDS") },
    { NULL }
  };

  self->settings = new_settings ();
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_setting_changed), self);
  for (guint i = 0; aw_settings_checked_keys[i] != NULL; i++)
    on_setting_changed (self, aw_settings_checked_keys[i], self->settings);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

AwApplication *
aw_application_new (void)
{
  /* Made first thing in main, while the process has one thread. */
  aw_descriptors_prepare (WINDOW_DESCRIPTORS);
  return g_object_new (AW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/asyncweather/AsyncWeather",
                       NULL);
}

GSettings *
aw_application_get_settings (AwApplication *self)
{
  g_return_val_if_fail (AW_IS_APPLICATION (self), NULL);
  return self->settings;
}

AwProvider *
aw_application_create_provider (AwApplication  *self,
                                GError        **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (AW_IS_APPLICATION (self), NULL);

  name = g_settings_get_string (self->settings, "provider");
  if (!aw_provider_name_is_demo (name))
    return aw_provider_new_for_name (name, self->base_url, error);

  if (self->demo_server == NULL)
    {
      g_autoptr(AwDemoServer) server = aw_demo_server_new ();

      if (!aw_demo_server_start (server, 0, error))
        return NULL;
      self->demo_server = g_steal_pointer (&server);
    }

  aw_demo_server_set_latency (self->demo_server,
                              g_settings_get_double (self->settings, "demo-latency"),
                              MAX (g_settings_get_double (self->settings, "demo-latency"),
                                   g_settings_get_double (self->settings, "demo-latency-max")));
  aw_demo_server_set_failure_rate (self->demo_server,
                                   g_settings_get_double (self->settings, "demo-failure-rate"));
  return aw_provider_new_for_name (name, aw_demo_server_get_base_uri (self->demo_server), error);
}

/* Reaches the real services at @base_url (NULL: their own address), as the CLI's --base-url
 * does: for a stand-in of a service on loopback. */
void
aw_application_set_base_url (AwApplication *self,
                             const char    *base_url)
{
  g_return_if_fail (AW_IS_APPLICATION (self));

  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
}
