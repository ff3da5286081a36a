/* aw-test-utils.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

double aw_test_slowdown  (void);
double aw_test_scaled_s  (double seconds);
gint64 aw_test_scaled_us (gint64 us);

/* Saves @value for @key as something outside the app would (a hand edit, a direct dconf
 * write): through the backend, even outside the schema's range; listeners hear "changed". */
void   aw_test_settings_write_saved (GSettings  *settings,
                                     const char *key,
                                     GVariant   *value);

G_END_DECLS
