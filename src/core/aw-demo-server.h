/* aw-demo-server.h: a real HTTP weather server on loopback, with latency and faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AW_TYPE_DEMO_SERVER (aw_demo_server_get_type ())

G_DECLARE_FINAL_TYPE (AwDemoServer, aw_demo_server, AW, DEMO_SERVER, GObject)

#define AW_DEMO_DEFAULT_LATENCY_S 2.0

typedef enum
{
  AW_DEMO_FAULT_NONE,
  AW_DEMO_FAULT_ERROR_STATUS,   /* 503 with an HTML body */
  AW_DEMO_FAULT_MALFORMED,      /* 200 with a body that is not JSON */
  AW_DEMO_FAULT_STALL,          /* accepts, never answers */
  AW_DEMO_FAULT_NOT_FOUND,      /* 200 with an "errors" answer, as prevision-meteo.ch does */
} AwDemoFault;

AwDemoServer *aw_demo_server_new               (void);
/* Listens on 127.0.0.1:@port (0 picks a free port) and serves from a thread of its own, so
 * that nothing on the caller's loop (not even the Blocking mode) can hold it up. */
gboolean      aw_demo_server_start             (AwDemoServer *self,
                                                guint         port,
                                                GError      **error);
void          aw_demo_server_stop              (AwDemoServer *self);
guint         aw_demo_server_get_port          (AwDemoServer *self);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char   *aw_demo_server_get_base_uri      (AwDemoServer *self);

/* Limits against floods, before start: connections at once (past it the oldest one without a
 * whole request is dropped, or a newcomer answered 503), seconds to the first byte, seconds to
 * a whole request, bytes of a body (past it, 413). 0 keeps the default, which suits a demo. */
void          aw_demo_server_set_limits        (AwDemoServer *self,
                                                guint         max_connections,
                                                double        idle_timeout_s,
                                                double        header_timeout_s,
                                                gsize         max_body_size);

/* Latency: a fixed delay, or uniformly random in [min, max], and per-city overrides. */
void          aw_demo_server_set_latency       (AwDemoServer *self,
                                                double        min_s,
                                                double        max_s);
void          aw_demo_server_set_city_latency  (AwDemoServer *self,
                                                const char   *city,
                                                double        seconds);
/* Faults: @rate is the share of requests (0..1) that get one of the faults in turn
 * (error status, malformed body, stall); or one fault always for one city. */
void          aw_demo_server_set_failure_rate  (AwDemoServer *self,
                                                double        rate);
void          aw_demo_server_set_city_fault    (AwDemoServer *self,
                                                const char   *city,
                                                AwDemoFault   fault);
guint         aw_demo_server_get_n_requests    (AwDemoServer *self);
/* Connections open on the server's side (accepted and not yet closed). */
guint         aw_demo_server_get_n_connections (AwDemoServer *self);
/* Wakes @context (NULL: none) whenever those two counts change, so that a loop that waits on
 * them, iterating @context, needs no timer. */
void          aw_demo_server_set_observer      (AwDemoServer *self,
                                                GMainContext *context);

/* The JSON body the server answers for @city (prevision-meteo.ch shape); stable per name. */
char         *aw_demo_server_build_body        (const char   *city);
/* The same, its conditions in the first language of @accept_language (an Accept-Language
 * header, or NULL) among French, English and Chinese. */
char         *aw_demo_server_build_body_for    (const char   *city,
                                                const char   *accept_language);

G_END_DECLS
