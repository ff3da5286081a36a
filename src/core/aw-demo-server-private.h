/* aw-demo-server-private.h: the demo server's fields, shared by aw-demo-server.c (the object, the
 * weather answers, latency and faults) and aw-demo-server-connections.c (its connections)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "aw-demo-server.h"

G_BEGIN_DECLS

struct _AwDemoServer
{
  GObject       parent_instance;

  /* owned by the server thread while it runs */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GSocket      *listener;
  GSource      *accepting;      /* readable listener; NULL while out of descriptors */
  GSource      *accept_retry;   /* while out of descriptors */
  gboolean      warned_descriptors;
  GHashTable   *clients;        /* every Client, owned */
  GQueue        idle;           /* Clients without a whole request's headers yet, oldest first */
  GSequence    *deadlines;      /* Clients with a deadline, by due time */
  GSource      *deadline_due;   /* ready at the first one's */
  struct _Client *handing_over; /* during soup_server_accept_iostream () */
  guint         n_live;         /* Clients not yet being dropped */
  guint         max_live;       /* this run's connection limit */
  guint         n_closed;       /* since memory was last trimmed */
  GSequence    *waiting;        /* Pending, by due time */
  GSource      *answers_due;    /* ready at the first one's */

  /* limits, set before start */
  guint         max_connections;
  double        idle_timeout;
  double        header_timeout;
  gsize         max_body_size;

  /* set once at start */
  guint         port;
  char         *base_uri;
  GError       *start_error;

  /* guarded by mutex: settings change from any thread */
  GMutex        mutex;
  GCond         started;
  gboolean      start_done;
  double        latency_min;
  double        latency_max;
  double        failure_rate;
  double        failure_credit;
  guint         n_faults;
  guint         n_requests;
  guint         n_connections;  /* a copy of the size of clients, for other threads */
  GMainContext *observer;       /* woken when n_requests or n_connections change */
  GHashTable   *city_latency;   /* city → double * */
  GHashTable   *city_fault;     /* city → AwDemoFault */
};

/* In aw-demo-server.c: a count changed; call with the mutex held. */
void     aw_demo_server_counts_changed    (AwDemoServer  *self);

/* In aw-demo-server-connections.c, on the server's thread. */

/* The connections' state, and the hook on libsoup's requests: after soup_server_new (). */
void     aw_demo_server_connections_init  (AwDemoServer  *self);
/* Listens on 127.0.0.1 at the port asked, and sets the port and base URI. */
gboolean aw_demo_server_connections_listen (AwDemoServer  *self,
                                            GError       **error);
/* Stops accepting and closes every connection libsoup does not hold: before its disconnect. */
void     aw_demo_server_connections_close (AwDemoServer  *self);
/* Frees what is left, once libsoup's messages have finished. */
void     aw_demo_server_connections_free  (AwDemoServer  *self);

G_END_DECLS
