/* aw-run-consent.h: asking before a large run against somebody else's service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-types.h"

G_BEGIN_DECLS

typedef void (*AwRunConsentFunc) (GtkWindow *parent,
                                  AwMode     mode);

/* When the settings' cities are more than a real service should get unasked (see
 * aw-host-policy.h), asks over @parent and calls @proceed with @mode on consent, then returns TRUE;
 * otherwise returns FALSE and the caller goes on at once. */
gboolean aw_run_consent_ask (GtkWindow        *parent,
                             GSettings        *settings,
                             AwMode            mode,
                             AwRunConsentFunc  proceed);

G_END_DECLS
