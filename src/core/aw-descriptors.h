/* aw-descriptors.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Room for @n open descriptors: call at start-up, before the process has a second thread. */
void aw_descriptors_prepare (guint n);

G_END_DECLS
