/* aw-loop-watch.h: the longest time a main loop could not dispatch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A source that raises *@longest_stall_us to the longest turn of the loop it is attached to:
 * from the moment its poll returned to its next poll. It never dispatches and wakes nothing;
 * @longest_stall_us must outlive it. */
GSource *aw_loop_watch_new      (gint64  *longest_stall_us);
/* Counts the turn under way as if it ended now. */
void      aw_loop_watch_end_turn (GSource *source);

G_END_DECLS
