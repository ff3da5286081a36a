/* aw-test-utils.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

double aw_test_slowdown  (void);
double aw_test_scaled_s  (double seconds);
gint64 aw_test_scaled_us (gint64 us);

/* A loopback HTTP server that misbehaves at the byte level: each connection gets a thread of
 * its own, which reads the request's head and calls the handler with the request's path; the
 * connection is closed when the handler returns. */
typedef void (*AwTestHandler) (GSocket    *socket,
                               const char *path);

char  *aw_test_raw_server_start (AwTestHandler handler);
/* Sends @data whole; FALSE if the peer closed or reset the connection first. */
gboolean aw_test_send_all       (GSocket      *socket,
                                 const void   *data,
                                 gsize         size);
/* An answer with a Content-Length of @size and "Connection: close". */
void   aw_test_send_answer      (GSocket      *socket,
                                 const char   *status,
                                 const char   *extra_headers,
                                 const void   *body,
                                 gsize         size);

/* A client below HTTP, on loopback @port, that says exactly what a test wants: blocking, with
 * a 30 s guard on each wait. */
GSocket *aw_test_connect        (guint16       port);
/* What the peer says until it closes the connection ("" if nothing). */
char    *aw_test_read_to_end    (GSocket      *socket);
/* Whether the peer has said something or closed. */
gboolean aw_test_has_spoken     (GSocket      *socket);

/* Saves @value for @key as something outside the app would (a hand edit, a direct dconf
 * write): through the backend, even outside the schema's range; listeners hear "changed". */
void   aw_test_settings_write_saved (GSettings  *settings,
                                     const char *key,
                                     GVariant   *value);

G_END_DECLS
