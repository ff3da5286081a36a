/* aw-loop-watch.c: the longest time a main loop could not dispatch
 *
 * The loop's busy time, from the moment its poll returned to the next poll: as long as that,
 * nothing else could run. Measured at every turn without a timer to wake the loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-loop-watch.h"

typedef struct
{
  GSource  source;
  gint64  *longest_stall_us;
  gint64   polled_us;
} LoopWatch;

/* The turn under way counts too: the run's last turn ends the run, and the watch with it,
 * before the loop prepares its next poll. */
void
aw_loop_watch_end_turn (GSource *source)
{
  LoopWatch *watch = (LoopWatch *)source;

  if (watch->polled_us != 0)
    *watch->longest_stall_us = MAX (*watch->longest_stall_us,
                                    g_get_monotonic_time () - watch->polled_us);
}

static gboolean
loop_watch_prepare (GSource *source,
                    int     *timeout)
{
  aw_loop_watch_end_turn (source);
  *timeout = -1;
  return FALSE;
}

static gboolean
loop_watch_check (GSource *source)
{
  ((LoopWatch *)source)->polled_us = g_get_monotonic_time ();
  return FALSE;
}

static GSourceFuncs loop_watch_funcs = { loop_watch_prepare, loop_watch_check, NULL, NULL,
                                         NULL, NULL };

GSource *
aw_loop_watch_new (gint64 *longest_stall_us)
{
  GSource *source;

  g_return_val_if_fail (longest_stall_us != NULL, NULL);

  source = g_source_new (&loop_watch_funcs, sizeof (LoopWatch));
  ((LoopWatch *)source)->longest_stall_us = longest_stall_us;
  /* First of all: the loop prepares and checks lower priorities only when nothing is ready. */
  g_source_set_priority (source, G_MININT);
  g_source_set_static_name (source, "aw-loop-watch");
  return source;
}
