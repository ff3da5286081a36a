/* aw-ready-source.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A source that runs @callback when its ready time comes (g_source_set_ready_time(), -1 for
 * never), and stays attached until destroyed: one timer for a whole queue of deadlines, where
 * a timeout source each would make the loop visit thousands at every turn. */
GSource *aw_ready_source_new (GSourceFunc callback,
                              gpointer    user_data);

G_END_DECLS
