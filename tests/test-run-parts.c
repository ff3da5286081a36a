/* test-run-parts.c: the parts a run is made of, each on its own: the deadline queue, the loop
 * watch, the session pool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-deadline-queue.h"
#include "aw-loop-watch.h"
#include "aw-session-pool.h"
#include "aw-test-utils.h"

static gboolean
on_guard (gpointer user_data)
{
  g_error ("Nothing happened in time");
  return G_SOURCE_REMOVE;
}

/* Entries time out in order, a removed one never does, and a Stop is no timeout. */
static void
test_deadline_queue (void)
{
  g_autoptr(AwDeadlineQueue) queue = aw_deadline_queue_new (NULL);
  gint64 soon = g_get_monotonic_time () + 20 * 1000;
  gint64 later = g_get_monotonic_time () + (gint64)3600 * G_USEC_PER_SEC;
  gint64 deadlines[] = { soon, soon, later };
  AwDeadline entries[3];
  GCancellable *cancellables[3];
  guint guard;

  for (guint i = 0; i < 3; i++)
    {
      cancellables[i] = g_cancellable_new ();
      entries[i] = (AwDeadline) { .deadline_us = deadlines[i], .cancellable = cancellables[i] };
      aw_deadline_queue_push (queue, &entries[i]);
    }
  /* A job that ended before its deadline. */
  aw_deadline_queue_remove (queue, &entries[1]);

  guard = g_timeout_add_seconds (aw_test_scaled_s (30), on_guard, NULL);
  while (!g_cancellable_is_cancelled (cancellables[0]))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);

  g_assert_true (entries[0].timed_out);
  g_assert_false (entries[1].timed_out);
  g_assert_false (g_cancellable_is_cancelled (cancellables[1]));
  g_assert_false (entries[2].timed_out);
  g_assert_false (g_cancellable_is_cancelled (cancellables[2]));

  aw_deadline_queue_cancel_all (queue);
  g_assert_true (g_cancellable_is_cancelled (cancellables[2]));
  g_assert_false (entries[2].timed_out);
  g_assert_false (g_cancellable_is_cancelled (cancellables[1]));

  aw_deadline_queue_remove (queue, &entries[0]);
  aw_deadline_queue_remove (queue, &entries[2]);
  for (guint i = 0; i < 3; i++)
    g_object_unref (cancellables[i]);
}

static gboolean
hold_loop (gpointer user_data)
{
  /* The stall under test: the loop can dispatch nothing meanwhile. */
  g_usleep (50 * 1000);
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The longest turn of the loop is measured, and only while the watch is attached. */
static void
test_loop_watch (void)
{
  gint64 longest = 0;
  GSource *watch = aw_loop_watch_new (&longest);
  gboolean held = FALSE;

  g_source_attach (watch, NULL);
  for (guint i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (longest, <, 50 * 1000);

  g_idle_add (hold_loop, &held);
  while (!held)
    g_main_context_iteration (NULL, TRUE);
  /* The turn ends when the loop prepares its next poll. */
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (longest, >=, 50 * 1000);

  g_source_destroy (watch);
  g_source_unref (watch);
}

static guint
max_conns (SoupSession *session)
{
  return soup_session_get_max_conns (session);
}

/* Many tasks spread over sessions whose limits add up to the budget; a limit per host, or a
 * mode that wants it, puts them all in one. */
static void
test_session_pool (void)
{
  g_autoptr(AwSessionPool) spread = aw_session_pool_new (256, 1000, 0, FALSE);
  g_autoptr(AwSessionPool) tight = aw_session_pool_new (256, 10, 0, FALSE);
  g_autoptr(AwSessionPool) one = aw_session_pool_new (256, 1000, 0, TRUE);
  g_autoptr(AwSessionPool) per_host = aw_session_pool_new (256, 1000, 2, FALSE);
  g_autoptr(AwSessionPool) few = aw_session_pool_new (3, 1000, 0, FALSE);

  /* 256 tasks: 8 sessions of 32, task i in session i mod 8. */
  g_assert_true (aw_session_pool_get (spread, 0) == aw_session_pool_get (spread, 8));
  g_assert_true (aw_session_pool_get (spread, 0) != aw_session_pool_get (spread, 1));
  g_assert_true (aw_session_pool_get (spread, 0) != aw_session_pool_get (spread, 4));
  g_assert_cmpuint (max_conns (aw_session_pool_get (spread, 0)), ==, 32);
  /* A budget of 10 descriptors: 8 sessions of 1, no more than 10 in all. */
  g_assert_cmpuint (8 * max_conns (aw_session_pool_get (tight, 0)), <=, 10);
  g_assert_true (aw_session_pool_get (one, 0) == aw_session_pool_get (one, 1));
  g_assert_cmpuint (max_conns (aw_session_pool_get (one, 0)), ==, 256);
  g_assert_true (aw_session_pool_get (per_host, 0) == aw_session_pool_get (per_host, 1));
  g_assert_cmpuint (max_conns (aw_session_pool_get (per_host, 0)), ==, 2);
  g_assert_cmpuint (max_conns (aw_session_pool_get (few, 2)), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run-parts/deadline-queue", test_deadline_queue);
  g_test_add_func ("/run-parts/loop-watch", test_loop_watch);
  g_test_add_func ("/run-parts/session-pool", test_session_pool);

  return g_test_run ();
}
