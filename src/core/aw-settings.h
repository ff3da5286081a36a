/* aw-settings.h: the bounds of the settings, from the schema; saved settings put back in
 * bounds, with a message for the person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The keys aw_settings_check() knows the bounds of. */
extern const char * const aw_settings_checked_keys[];

/* The bounds of a numeric @key, from the schema's own <range>; FALSE if it has none. */
gboolean aw_settings_get_range (GSettings  *settings,
                                const char *key,
                                double     *min,
                                double     *max);

/* Puts a bad saved value of @key back in bounds; returns what was done, or NULL. */
char *aw_settings_check (GSettings  *settings,
                         const char *key);

G_END_DECLS
