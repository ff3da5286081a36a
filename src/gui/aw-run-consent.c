/* aw-run-consent.c: asking before a large run against somebody else's service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-host-policy.h"
#include "aw-run-consent.h"

static void
on_response (GtkDialog *dialog,
             int        response,
             GtkWindow *parent)
{
  AwRunConsentFunc proceed = g_object_get_data (G_OBJECT (dialog), "aw-proceed");
  AwMode mode = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "aw-mode"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT)
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

  if (!aw_host_policy_needs_consent (aw_provider_name_is_real (provider), n_cities))
    return FALSE;

  why = aw_host_policy_describe_many (n_cities);
  /* Translators: a button; %u is a number of cities, always more than 100 */
  accept = g_strdup_printf (_("_Run %u Cities"), n_cities);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Send This Many Requests?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s %s", why,
    _("The demo server has no such limits, and shows the same lesson offline."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          accept, GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_widget_set_name (dialog, "run-consent");
  g_object_set_data (G_OBJECT (dialog), "aw-proceed", proceed);
  g_object_set_data (G_OBJECT (dialog), "aw-mode", GINT_TO_POINTER (mode));
  /* Tied to the window: a window closed meanwhile gets no call. */
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), parent, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
