/* aw-run-consent.c: asking before a large run against somebody else's service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aw-host-policy.h"
#include "aw-run-consent.h"

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GtkWindow        *parent)
{
  AwRunConsentFunc proceed = g_object_get_data (G_OBJECT (dialog), "aw-proceed");
  AwMode mode = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "aw-mode"));

  if (g_str_equal (response, "run"))
    proceed (parent, mode);
}

gboolean
aw_run_consent_ask (GtkWindow        *parent,
                    GSettings        *settings,
                    AwMode            mode,
                    AwRunConsentFunc  proceed)
{
  g_autofree char *provider = g_settings_get_string (settings, "provider");
  g_auto(GStrv) cities = g_settings_get_strv (settings, "cities");
  guint n_cities = g_strv_length (cities);
  g_autofree char *why = NULL;
  g_autofree char *accept = NULL;
  GtkWidget *dialog;

  /* A sleep sends the service nothing. */
  if (g_settings_get_enum (settings, "workload") == AW_WORKLOAD_SLEEP
      || !aw_host_policy_needs_consent (aw_provider_name_is_real (provider), n_cities))
    return FALSE;

  why = aw_host_policy_describe_many (n_cities);
  /* Translators: a button; %u is a number of cities, always more than 100 */
  accept = g_strdup_printf (_("_Run %u Cities"), n_cities);
  dialog = adw_message_dialog_new (parent, _("Send This Many Requests?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s %s", why,
    _("The demo server has no such limits, and shows the same lesson offline."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "run", accept, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "run",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "run-consent");
  g_object_set_data (G_OBJECT (dialog), "aw-proceed", proceed);
  g_object_set_data (G_OBJECT (dialog), "aw-mode", GINT_TO_POINTER (mode));
  /* Tied to the window: a window closed meanwhile gets no call. */
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), parent, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
