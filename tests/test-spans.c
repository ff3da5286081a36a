/* test-spans.c: libsoup's metrics stamps turned into a request's spans, on made-up stamps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-spans.h"

#define ORIGIN 1000000

/* Checks that @spans are exactly @expected (phase, start, end, …, ending with -1). */
static void
assert_spans (GArray       *spans,
              const gint64 *expected)
{
  guint n = 0;

  while (expected[n * 3] >= 0)
    n++;
  g_assert_cmpuint (spans->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      AwSpan *span = &g_array_index (spans, AwSpan, i);

      g_assert_cmpint (span->phase, ==, expected[i * 3]);
      g_assert_cmpint (span->start_us, ==, expected[i * 3 + 1]);
      g_assert_cmpint (span->end_us, ==, expected[i * 3 + 2]);
    }
}

/* The spans never overlap and never run backwards, whatever the stamps. */
static void
assert_ordered (GArray *spans)
{
  for (guint i = 0; i < spans->len; i++)
    {
      AwSpan *span = &g_array_index (spans, AwSpan, i);

      g_assert_cmpint (span->start_us, >=, 0);
      g_assert_cmpint (span->end_us, >=, span->start_us);
      if (i > 0)
        g_assert_cmpint (span->start_us, >=, g_array_index (spans, AwSpan, i - 1).end_us);
    }
}

/* A new connection over TLS: every phase, in order. */
static void
test_new_connection (void)
{
  AwStamps stamps = {
    .fetch_start = ORIGIN + 10, .dns_start = ORIGIN + 20, .dns_end = ORIGIN + 30,
    .connect_start = ORIGIN + 30, .tls_start = ORIGIN + 40, .connect_end = ORIGIN + 60,
    .request_start = ORIGIN + 60, .sent = ORIGIN + 65, .response_start = ORIGIN + 100,
    .response_end = ORIGIN + 120,
  };
  const gint64 expected[] = {
    AW_PHASE_QUEUED, 10, 20,
    AW_PHASE_DNS, 20, 30,
    AW_PHASE_CONNECT, 30, 40,
    AW_PHASE_TLS, 40, 60,
    AW_PHASE_SEND, 60, 65,
    AW_PHASE_WAIT, 65, 100,
    AW_PHASE_RECEIVE, 100, 120,
    -1,
  };
  g_autoptr(GArray) spans = aw_spans_from_stamps (&stamps, ORIGIN, 500);

  assert_spans (spans, expected);
}

/* A reused connection: libsoup leaves dns, connect and tls at 0, and the request waited in
 * the queue until it started. No sent stamp: the send ends when the request starts. */
static void
test_reused_connection (void)
{
  AwStamps stamps = {
    .fetch_start = ORIGIN + 10, .request_start = ORIGIN + 50,
    .response_start = ORIGIN + 80, .response_end = ORIGIN + 90,
  };
  const gint64 expected[] = {
    AW_PHASE_QUEUED, 10, 50,
    AW_PHASE_SEND, 50, 50,
    AW_PHASE_WAIT, 50, 80,
    AW_PHASE_RECEIVE, 80, 90,
    -1,
  };
  g_autoptr(GArray) spans = aw_spans_from_stamps (&stamps, ORIGIN, 500);

  assert_spans (spans, expected);
}

/* A redirect: libsoup keeps the first fetch start and stamps the last hop's connection, so
 * the first hop shows as queued time before it. */
static void
test_redirect (void)
{
  AwStamps stamps = {
    .fetch_start = ORIGIN + 10, .connect_start = ORIGIN + 200, .connect_end = ORIGIN + 220,
    .request_start = ORIGIN + 220, .sent = ORIGIN + 221, .response_start = ORIGIN + 300,
    .response_end = ORIGIN + 310,
  };
  const gint64 expected[] = {
    AW_PHASE_QUEUED, 10, 200,
    AW_PHASE_CONNECT, 200, 220,
    AW_PHASE_SEND, 220, 221,
    AW_PHASE_WAIT, 221, 300,
    AW_PHASE_RECEIVE, 300, 310,
    -1,
  };
  g_autoptr(GArray) spans = aw_spans_from_stamps (&stamps, ORIGIN, 500);

  assert_spans (spans, expected);
}

/* A request that failed before any answer: the wait lasts until the failure was seen. */
static void
test_failed_request (void)
{
  AwStamps stamps = {
    .fetch_start = ORIGIN + 10, .dns_start = ORIGIN + 10, .dns_end = ORIGIN + 15,
    .connect_start = ORIGIN + 15, .connect_end = ORIGIN + 20, .request_start = ORIGIN + 20,
    .sent = ORIGIN + 25,
  };
  const gint64 expected[] = {
    AW_PHASE_QUEUED, 10, 10,
    AW_PHASE_DNS, 10, 15,
    AW_PHASE_CONNECT, 15, 20,
    AW_PHASE_SEND, 20, 25,
    AW_PHASE_WAIT, 25, 400,
    AW_PHASE_RECEIVE, 400, 400,
    -1,
  };
  g_autoptr(GArray) spans = aw_spans_from_stamps (&stamps, ORIGIN, 400);

  assert_spans (spans, expected);
}

/* Our own stamp and libsoup's may disagree by a little: the spans still follow each other. */
static void
test_clocks_disagree (void)
{
  AwStamps stamps = {
    .fetch_start = ORIGIN + 10, .request_start = ORIGIN + 50, .sent = ORIGIN + 48,
    .response_start = ORIGIN + 47, .response_end = ORIGIN + 90,
  };
  g_autoptr(GArray) spans = aw_spans_from_stamps (&stamps, ORIGIN, 500);

  assert_ordered (spans);
  g_assert_cmpuint (spans->len, ==, 4);
  g_assert_cmpint (g_array_index (spans, AwSpan, 3).end_us, ==, 90);
}

static void
test_no_metrics (void)
{
  g_autoptr(GArray) spans = aw_spans_from_stamps (NULL, ORIGIN, 500);

  g_assert_cmpuint (spans->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spans/new-connection", test_new_connection);
  g_test_add_func ("/spans/reused-connection", test_reused_connection);
  g_test_add_func ("/spans/redirect", test_redirect);
  g_test_add_func ("/spans/failed-request", test_failed_request);
  g_test_add_func ("/spans/clocks-disagree", test_clocks_disagree);
  g_test_add_func ("/spans/no-metrics", test_no_metrics);

  return g_test_run ();
}
