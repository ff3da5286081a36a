/* aw-test-demo.h: what the engine's tests share: a demo server at the test's LATENCY_S with
 * its provider, set up and torn down for each test, and a run carried to its end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-demo-server.h"
#include "aw-fetch-run.h"
#include "aw-provider.h"

#ifndef LATENCY_S
#error "define LATENCY_S, the demo server's latency in seconds, before including aw-test-demo.h"
#endif

typedef struct
{
  AwDemoServer *server;
  AwProvider   *provider;
} Fixture;

static inline void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = aw_demo_server_new ();
  aw_demo_server_set_latency (fixture->server, LATENCY_S, LATENCY_S);
  aw_demo_server_start (fixture->server, 0, &error);
  g_assert_no_error (error);
  fixture->provider = aw_provider_new_for_name ("demo",
                                                aw_demo_server_get_base_uri (fixture->server),
                                                &error);
  g_assert_no_error (error);
}

static inline void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  aw_demo_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_assert_finalize_object (fixture->provider);
}

static inline void
aw_test_on_run_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

/* Starts @run and iterates the main loop until it has ended. */
static inline void
aw_test_run_wait (AwFetchRun   *run,
                  GCancellable *cancellable)
{
  gboolean done = FALSE;

  aw_fetch_run_run_async (run, cancellable, aw_test_on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
