/* aw-preferences-window.c: the service, the demo server's latency and faults, limits, and
 * what each task does (the weather or a sleep, and CPU work per answer)
 *
 * Every control is bound to its GSettings key: a change applies to the next run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aw-host-policy.h"
#include "aw-preferences-window.h"
#include "aw-provider.h"
#include "aw-settings.h"
#include "aw-types.h"

struct _AwPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* owned */
  GSettings   *settings;

  /* borrowed */
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *group;  /* the group rows go in */
  GtkWidget   *conns_warning;
};

G_DEFINE_FINAL_TYPE (AwPreferencesWindow, aw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
add_row (AwPreferencesWindow *self,
         const char          *title,
         const char          *subtitle,
         GtkWidget           *control)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), control);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), control);
  gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (control, subtitle);
  /* The row's title is the control's name for a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_preferences_group_add (self->group, row);
}

static void
add_heading (AwPreferencesWindow *self,
             const char          *title)
{
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, title);
  adw_preferences_page_add (self->page, self->group);
}

/* A spin button over the key's range in the schema, scaled by @scale on screen. */
static GtkWidget *
new_spin_for_key (AwPreferencesWindow *self,
                  const char          *key,
                  double               scale,
                  double               step,
                  guint                digits)
{
  double lower = 0, upper = 0;
  GtkWidget *spin;

  if (!aw_settings_get_range (self->settings, key, &lower, &upper))
    g_critical ("The setting “%s” has no range in the schema", key);
  spin = gtk_spin_button_new_with_range (lower * scale, upper * scale, step);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  return spin;
}

static GtkWidget *
new_spin (AwPreferencesWindow *self,
          const char          *key,
          double               step,
          guint                digits)
{
  GtkWidget *spin = new_spin_for_key (self, key, 1, step, digits);

  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  return spin;
}

/* A share of 0 to 1 in the settings, a percentage of 0 to 100 on screen. */
static gboolean
share_to_percent (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_double (variant) * 100);
  return TRUE;
}

static GVariant *
percent_to_share (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  return g_variant_new_double (g_value_get_double (value) / 100);
}

static GtkWidget *
new_percent_spin (AwPreferencesWindow *self,
                  const char          *key)
{
  GtkWidget *spin = new_spin_for_key (self, key, 100, 5, 0);

  g_settings_bind_with_mapping (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                share_to_percent, percent_to_share, NULL, NULL);
  return spin;
}

/* The service's name in the settings, its row of the provider table on screen. */
static gboolean
name_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; aw_providers[i].name != NULL; i++)
    if (g_str_equal (name, aw_providers[i].name))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  /* An unknown name: the schema's default is shown. */
  return FALSE;
}

static GVariant *
position_to_name (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  for (guint i = 0; aw_providers[i].name != NULL; i++)
    if (i == position)
      return g_variant_new_string (aw_providers[i].name);
  return NULL;
}

static GtkWidget *
new_provider_drop_down (AwPreferencesWindow *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *drop_down;

  for (guint i = 0; aw_providers[i].name != NULL; i++)
    gtk_string_list_append (labels, _(aw_providers[i].label));
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  g_settings_bind_with_mapping (self->settings, "provider", drop_down, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                name_to_position, position_to_name, NULL, NULL);
  return drop_down;
}

/* The workload's nick in the settings, its row on screen (the enum's order). */
static gboolean
workload_to_position (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  AwWorkload workload;

  if (!aw_workload_from_string (g_variant_get_string (variant, NULL), &workload))
    return FALSE;
  g_value_set_uint (value, workload);
  return TRUE;
}

static GVariant *
position_to_workload (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position > AW_WORKLOAD_SLEEP)
    return NULL;
  return g_variant_new_string (aw_workload_to_string (position));
}

static GtkWidget *
new_workload_drop_down (AwPreferencesWindow *self)
{
  /* Translators: the workloads, in a drop-down: fetch the weather, or only sleep on a timer */
  const char * const labels[] = { _("Weather"), _("Sleep only"), NULL };
  GtkWidget *drop_down = gtk_drop_down_new_from_strings (labels);

  g_settings_bind_with_mapping (self->settings, "workload", drop_down, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                workload_to_position, position_to_workload, NULL, NULL);
  return drop_down;
}

/* More connections than a browser would open, towards somebody else's service: said aloud. */
static void
update_conns_warning (AwPreferencesWindow *self)
{
  g_autofree char *provider = g_settings_get_string (self->settings, "provider");
  int conns = g_settings_get_int (self->settings, "conns-per-host");
  gboolean too_many = aw_host_policy_conns_too_many (aw_provider_name_is_real (provider),
                                                     MAX (conns, 0));

  if (too_many)
    {
      g_autofree char *text = aw_host_policy_describe_conns (conns);

      gtk_label_set_text (GTK_LABEL (self->conns_warning), text);
    }
  gtk_widget_set_visible (self->conns_warning, too_many);
}

static void
aw_preferences_window_finalize (GObject *object)
{
  AwPreferencesWindow *self = (AwPreferencesWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (aw_preferences_window_parent_class)->finalize (object);
}

static void
aw_preferences_window_class_init (AwPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aw_preferences_window_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0,
                                       "window.close", NULL);
}

static void
aw_preferences_window_init (AwPreferencesWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
}

GtkWidget *
aw_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  AwPreferencesWindow *self = g_object_new (AW_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", parent,
                                            "modal", TRUE,
                                            "destroy-with-parent", TRUE,
                                            NULL);

  self->settings = g_object_ref (settings);
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), self->page);

  add_heading (self, _("Weather Service"));
  add_row (self, _("_Service"),
           _("The demo server runs inside the app on loopback; the others need the network"),
           new_provider_drop_down (self));

  add_heading (self, _("Demo Server"));
  add_row (self, _("_Latency"), _("Seconds before each answer (the tutorial used 2)"),
           new_spin (self, "demo-latency", 0.1, 2));
  add_row (self, _("Latency _up to"),
           _("When longer than the latency, each answer waits a random time in between"),
           new_spin (self, "demo-latency-max", 0.1, 2));
  add_row (self, _("_Failure rate (%)"),
           _("Percentage of requests that fail: an error status, a malformed body, or no answer"),
           new_percent_spin (self, "demo-failure-rate"));

  add_heading (self, _("Requests"));
  add_row (self, _("_Timeout"), _("Seconds a task may take before it fails"),
           new_spin (self, "timeout", 1, 1));
  add_row (self, _("_Connections per host"),
           _("0 opens one connection per task (6 towards a real service); 2 is libsoup's "
             "default, and shows as queueing"),
           new_spin (self, "conns-per-host", 1, 0));
  self->conns_warning = gtk_label_new (NULL);
  gtk_widget_set_name (self->conns_warning, "conns-warning");
  gtk_label_set_wrap (GTK_LABEL (self->conns_warning), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->conns_warning), 60);
  gtk_label_set_xalign (GTK_LABEL (self->conns_warning), 0);
  gtk_widget_add_css_class (self->conns_warning, "warning");
  gtk_widget_set_margin_top (self->conns_warning, 6);
  adw_preferences_group_add (self->group, self->conns_warning);
  g_signal_connect_object (settings, "changed::conns-per-host",
                           G_CALLBACK (update_conns_warning), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::provider",
                           G_CALLBACK (update_conns_warning), self, G_CONNECT_SWAPPED);
  update_conns_warning (self);

  add_heading (self, _("Work"));
  add_row (self, _("_Workload"),
           _("Sleep only waits the demo latency on a timer, without network: the tutorial's "
             "asyncio.sleep against time.sleep"),
           new_workload_drop_down (self));
  add_row (self, _("Work per _answer (ms)"),
           _("Real CPU work on the thread that handles each answer: Concurrent queues it on "
             "its one loop, Threads spreads it over the cores"),
           new_spin (self, "work-ms", 50, 0));

  return GTK_WIDGET (self);
}
