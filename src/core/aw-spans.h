/* aw-spans.h: a request's timing stamps turned into the spans of its bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "aw-types.h"

G_BEGIN_DECLS

/* What libsoup's metrics say of one request, in monotonic microseconds; 0 means the step did
 * not happen (dns, connect and tls on a reused connection) or never ended (a failed request). */
typedef struct
{
  guint64 fetch_start;
  guint64 dns_start;
  guint64 dns_end;
  guint64 connect_start;
  guint64 connect_end;
  guint64 tls_start;
  guint64 request_start;
  guint64 response_start;
  guint64 response_end;
  guint64 sent;           /* our own stamp: when the request's body was written */
} AwStamps;

void    aw_stamps_from_metrics (AwStamps           *stamps,
                                SoupMessageMetrics *metrics,
                                gint64              sent_us);
/* The request's spans (AwSpan), none for NULL @stamps (no metrics), run-relative to
 * @origin_us, in order and never overlapping; @received_us (run-relative) ends a response
 * whose end was not stamped. */
GArray *aw_spans_from_stamps   (const AwStamps     *stamps,
                                gint64              origin_us,
                                gint64              received_us);

G_END_DECLS
