/* aw-settings.h: saved settings put back in bounds, with a message for the person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The keys aw_settings_check() knows the bounds of. */
extern const char * const aw_settings_checked_keys[];

/* Puts a bad saved value of @key back in bounds; returns what was done, or NULL. */
char *aw_settings_check (GSettings  *settings,
                         const char *key);

G_END_DECLS
