/* aw-about-window.h: the About window, its release notes from the metainfo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void   aw_about_window_present            (GtkWindow  *parent);
/* The newest release of the metainfo @xml: its version, and its notes as AppStream
 * description markup (<p>, <ul>, <li>…). FALSE when it has none. */
gboolean aw_about_parse_release_notes     (const char *xml,
                                           char      **version,
                                           char      **notes);

G_END_DECLS
