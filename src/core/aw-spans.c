/* aw-spans.c: a request's timing stamps turned into the spans of its bar, as pure code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-spans.h"

/* The run-relative time of a stamp; -1 when it did not happen. */
static gint64
relative (guint64 stamp_us,
          gint64  origin_us)
{
  return stamp_us == 0 ? -1 : (gint64)stamp_us - origin_us;
}

static void
add_span (GArray  *spans,
          AwPhase  phase,
          gint64   start_us,
          gint64   end_us)
{
  AwSpan span = { phase, start_us, end_us };

  if (start_us < 0 || end_us < 0)
    return;
  /* Keep the spans in order even if two clocks disagree by a microsecond. */
  if (spans->len > 0)
    span.start_us = MAX (span.start_us, g_array_index (spans, AwSpan, spans->len - 1).end_us);
  span.end_us = MAX (span.end_us, span.start_us);
  g_array_append_val (spans, span);
}

void
aw_stamps_from_metrics (AwStamps           *stamps,
                        SoupMessageMetrics *metrics,
                        gint64              sent_us)
{
  g_return_if_fail (stamps != NULL && metrics != NULL);

  *stamps = (AwStamps) { .sent = sent_us > 0 ? (guint64)sent_us : 0 };
  stamps->fetch_start = soup_message_metrics_get_fetch_start (metrics);
  stamps->dns_start = soup_message_metrics_get_dns_start (metrics);
  stamps->dns_end = soup_message_metrics_get_dns_end (metrics);
  stamps->connect_start = soup_message_metrics_get_connect_start (metrics);
  stamps->connect_end = soup_message_metrics_get_connect_end (metrics);
  stamps->tls_start = soup_message_metrics_get_tls_start (metrics);
  stamps->request_start = soup_message_metrics_get_request_start (metrics);
  stamps->response_start = soup_message_metrics_get_response_start (metrics);
  stamps->response_end = soup_message_metrics_get_response_end (metrics);
}

/* On a reused connection the dns, connect and tls stamps are 0: those phases did not happen,
 * and the queue lasts until the request starts. */
GArray *
aw_spans_from_stamps (const AwStamps *stamps,
                      gint64          origin_us,
                      gint64          received_us)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (AwSpan));
  gint64 fetch, dns_start, dns_end, connect_start, connect_end, tls_start;
  gint64 request, response_start, response_end, sent, first_activity;

  /* No metrics at all: nothing to tell. */
  if (stamps == NULL)
    return spans;

  fetch = relative (stamps->fetch_start, origin_us);
  dns_start = relative (stamps->dns_start, origin_us);
  dns_end = relative (stamps->dns_end, origin_us);
  connect_start = relative (stamps->connect_start, origin_us);
  connect_end = relative (stamps->connect_end, origin_us);
  tls_start = relative (stamps->tls_start, origin_us);
  request = relative (stamps->request_start, origin_us);
  response_start = relative (stamps->response_start, origin_us);
  response_end = relative (stamps->response_end, origin_us);
  sent = stamps->sent != 0 ? relative (stamps->sent, origin_us) : request;

  if (response_end < 0)
    response_end = received_us;
  if (response_start < 0)
    response_start = response_end;

  first_activity = dns_start >= 0 ? dns_start : connect_start >= 0 ? connect_start : request;
  add_span (spans, AW_PHASE_QUEUED, fetch, first_activity);
  add_span (spans, AW_PHASE_DNS, dns_start, dns_end);
  add_span (spans, AW_PHASE_CONNECT, connect_start, tls_start >= 0 ? tls_start : connect_end);
  add_span (spans, AW_PHASE_TLS, tls_start, connect_end);
  add_span (spans, AW_PHASE_SEND, request, sent);
  add_span (spans, AW_PHASE_WAIT, sent, response_start);
  add_span (spans, AW_PHASE_RECEIVE, response_start, response_end);
  return spans;
}
