/* aw-test-utils.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double aw_test_slowdown  (void);
double aw_test_scaled_s  (double seconds);
gint64 aw_test_scaled_us (gint64 us);

G_END_DECLS
