/* aw-application.h: the application: settings, the demo server, the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "aw-demo-server.h"
#include "aw-fetch-run.h"

G_BEGIN_DECLS

#define AW_TYPE_APPLICATION (aw_application_get_type ())

G_DECLARE_FINAL_TYPE (AwApplication, aw_application, AW, APPLICATION, AdwApplication)

AwApplication *aw_application_new             (void);
GSettings     *aw_application_get_settings    (AwApplication  *self);
/* The provider the settings name, pointed at the demo server when it is "demo". */
AwProvider    *aw_application_create_provider (AwApplication  *self,
                                               GError        **error);
void           aw_application_set_base_url    (AwApplication  *self,
                                               const char     *base_url);

G_END_DECLS
