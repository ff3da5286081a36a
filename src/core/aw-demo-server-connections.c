/* aw-demo-server-connections.c: the demo server's connections, from accept to close
 *
 * The demo server stands floods: it accepts connections itself, on a listener of its own and in
 * bursts, and hands each to libsoup only once it has sent something; every connection has a
 * deadline (idle, then headers) until its request is read whole; bodies are capped; past a
 * number of connections it drops the oldest one that has not sent a whole request yet, or
 * answers 503 when every one carries a real request; out of descriptors, it pauses accepting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gnetworking.h>
#ifdef G_OS_UNIX
#include <sys/resource.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "aw-demo-server-private.h"
#include "aw-ready-source.h"

/* Limits against floods: a demo on loopback needs none of them in normal use. */
#define MAX_CONNECTIONS      8192      /* past the benchmarks' 5,000 at once; beyond, each turn of the loop slows */
#define IDLE_TIMEOUT_S       10.0      /* a client that connects and sends nothing for this long is gone */
#define HEADER_TIMEOUT_S     10.0      /* a request (headers, then any body) arrives whole within this */
#define MAX_BODY_SIZE        (64 * 1024) /* the service takes GETs: any body is unused, a large one an attack */
#define LINGER_S             2.0       /* after a refusal, time for the client to read it before the close */
#define ACCEPTS_PER_TURN     64        /* a burst is taken in quickly, with answers going out between bursts */
#define ACCEPT_RETRY_MS      250       /* out of descriptors: look again after this long, not at every turn */
#define RESERVED_DESCRIPTORS 64        /* the process's own files, and the one a refusal needs */
#define DISCARD_PER_TURN     (64 * 1024) /* what a lingering connection may read and drop in one turn */
#define TRIM_AFTER           256       /* connections closed before freed memory is handed back */

/* One connection, from its accept to its close. */
typedef enum
{
  CLIENT_WAITING,     /* accepted, nothing received yet: ours */
  CLIENT_READING,     /* libsoup reads its request */
  CLIENT_SERVING,     /* its request is read whole: the answer follows */
  CLIENT_LINGERING,   /* refused: ours again, its input dropped until it closes */
} ClientState;

typedef struct _Client
{
  AwDemoServer      *server;
  ClientState        state;
  GSocket           *socket;
  GSocketConnection *connection;  /* weakly referenced: its end is the Client's */
  gboolean           owned;       /* a reference on @connection is ours (WAITING, LINGERING) */
  gboolean           dropped;     /* on its way out: no longer counted against the limit */
  SoupServerMessage *msg;         /* weak: the request libsoup reads */
  GSource           *readable;    /* while WAITING or LINGERING */
  GSequenceIter     *deadline;    /* in the server's deadlines, while one applies */
  gint64             due_us;
  GList              idle_link;   /* in the server's idle queue while it may be evicted */
  goffset            body_size;
} Client;

static const char unavailable[] =
  "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n"
  "Retry-After: 1\r\n\r\n";
static const char bad_request[] =
  "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
static const char too_large[] =
  "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

static void resume_accepting (AwDemoServer *self);

static int
compare_client_due (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  gint64 x = ((const Client *)a)->due_us, y = ((const Client *)b)->due_us;

  return (x > y) - (x < y);
}

static void
client_set_deadline (Client *client,
                     gint64  due_us)
{
  AwDemoServer *self = client->server;
  GSequenceIter *first;

  g_clear_pointer (&client->deadline, g_sequence_remove);
  client->due_us = due_us;
  if (due_us >= 0)
    client->deadline = g_sequence_insert_sorted (self->deadlines, client, compare_client_due, NULL);

  first = g_sequence_get_begin_iter (self->deadlines);
  g_source_set_ready_time (self->deadline_due, g_sequence_iter_is_end (first)
                                               ? -1 : ((Client *)g_sequence_get (first))->due_us);
}

static void
client_set_idle (Client   *client,
                 gboolean  idle)
{
  if (idle && client->idle_link.data == NULL)
    {
      client->idle_link.data = client;
      g_queue_push_tail_link (&client->server->idle, &client->idle_link);
    }
  else if (!idle && client->idle_link.data != NULL)
    {
      g_queue_unlink (&client->server->idle, &client->idle_link);
      client->idle_link.data = NULL;
    }
}

static void
client_forget_msg (Client *client)
{
  if (client->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (client->msg, client);
  g_object_remove_weak_pointer (G_OBJECT (client->msg), (gpointer *)&client->msg);
  client->msg = NULL;
}

static void client_gone (gpointer  user_data,
                         GObject  *connection);

/* The hash table's free function: every way out ends here. */
static void
client_free (Client *client)
{
  AwDemoServer *self = client->server;

  client_set_idle (client, FALSE);
  client_set_deadline (client, -1);
  if (!client->dropped)
    self->n_live--;
  if (client->readable != NULL)
    g_source_destroy (client->readable);
  g_clear_pointer (&client->readable, g_source_unref);
  client_forget_msg (client);
  if (client->connection != NULL)
    {
      g_object_weak_unref (G_OBJECT (client->connection), client_gone, client);
      if (client->owned)
        {
          g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
          g_object_unref (client->connection);
        }
    }
  g_clear_object (&client->socket);
  g_free (client);
}

/* For other threads, which may wait on it (aw_demo_server_set_observer ()). */
static void
publish_n_connections (AwDemoServer *self)
{
  g_mutex_lock (&self->mutex);
  self->n_connections = g_hash_table_size (self->clients);
  aw_demo_server_counts_changed (self);
  g_mutex_unlock (&self->mutex);
}

static void
client_end (Client *client)
{
  AwDemoServer *self = client->server;

  g_hash_table_remove (self->clients, client);
  publish_n_connections (self);

  /* Out of descriptors: one has just come back. */
  if (self->accept_retry != NULL)
    resume_accepting (self);

#ifdef __GLIBC__
  /* A flood's worth of freed memory goes back to the system once it is over, rather than
   * staying with the allocator's arenas. */
  if (++self->n_closed >= TRIM_AFTER && g_hash_table_size (self->clients) == 0)
    {
      self->n_closed = 0;
      malloc_trim (0);
    }
#endif
}

/* libsoup let go of the connection: it has closed it. */
static void
client_gone (gpointer  user_data,
             GObject  *connection)
{
  Client *client = user_data;

  client->connection = NULL;
  client_end (client);
}

/* Timed out, or evicted: closed now if ours, or shut so that libsoup notices and lets go. */
static void
client_drop (Client *client)
{
  if (client->owned)
    {
      client_end (client);
      return;
    }

  client_set_idle (client, FALSE);
  client_set_deadline (client, -1);
  if (!client->dropped)
    client->server->n_live--;
  client->dropped = TRUE;
  g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
}

/* Its input is read and dropped until the client closes or its time is up, so that it
 * reads the refusal rather than a reset. */
static gboolean
client_discard (Client *client)
{
  char buffer[8192];

  for (gsize total = 0; total < DISCARD_PER_TURN; )
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive_with_blocking (client->socket, buffer, sizeof buffer, FALSE,
                                                 NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        {
          g_clear_pointer (&client->readable, g_source_unref);
          client_end (client);
          return G_SOURCE_REMOVE;
        }
      total += n;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean on_client_readable (GSocket      *socket,
                                    GIOCondition  condition,
                                    gpointer      user_data);

static void
client_watch (Client *client)
{
  client->readable = g_socket_create_source (client->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (client->readable, G_SOURCE_FUNC (on_client_readable), client, NULL);
  g_source_attach (client->readable, client->server->context);
}

/* Answers @response itself, without reading the rest of the request, and closes. */
static void
client_refuse (Client     *client,
               const char *response)
{
  if (client->state == CLIENT_LINGERING)
    return;

  if (!client->owned)
    {
      SoupServerMessage *msg = client->msg;
      g_autoptr(GIOStream) stolen = NULL;

      /* libsoup has nothing of it left: the rest of the request is never read. */
      g_object_ref (client->connection);
      client->owned = TRUE;
      client_forget_msg (client);
      if (msg != NULL)
        stolen = soup_server_message_steal_connection (msg);
    }

  client->state = CLIENT_LINGERING;
  g_socket_send_with_blocking (client->socket, response, strlen (response), FALSE, NULL, NULL);
  g_socket_shutdown (client->socket, FALSE, TRUE, NULL);
  client_set_deadline (client, g_get_monotonic_time () + (gint64)(LINGER_S * G_USEC_PER_SEC));
  client_set_idle (client, TRUE);
  if (client->readable == NULL)
    client_watch (client);
}

static void
on_got_headers (SoupServerMessage *msg,
                Client            *client)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* A whole request's headers: worth keeping over a newcomer. */
  client_set_idle (client, FALSE);
  /* The service reads no body: none is kept, whatever its size. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  /* libsoup 3.2 takes a negative length as it comes, and warns later while reading the body. */
  if (soup_message_headers_get_content_length (headers) < 0)
    client_refuse (client, bad_request);
  else if (soup_message_headers_get_content_length (headers) > (goffset)client->server->max_body_size)
    client_refuse (client, too_large);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              Client            *client)
{
  client->body_size += g_bytes_get_size (chunk);
  if (client->body_size > (goffset)client->server->max_body_size)
    client_refuse (client, too_large);
}

static void
on_got_body (SoupServerMessage *msg,
             Client            *client)
{
  /* Read whole: from here its answer's latency rules, or a fault's stall. */
  client->state = CLIENT_SERVING;
  client_set_deadline (client, -1);
}

/* The first request of a connection starts inside soup_server_accept_iostream (). */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    AwDemoServer      *self)
{
  Client *client = self->handing_over;

  if (client == NULL || client->msg != NULL)
    return;

  client->msg = msg;
  g_object_add_weak_pointer (G_OBJECT (msg), (gpointer *)&client->msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), client);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), client);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), client);
}

/* Something has arrived: libsoup reads the request from here. */
static void
client_hand_over (Client *client)
{
  AwDemoServer *self = client->server;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client->socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client->socket, NULL);
  g_autoptr(GSocketConnection) connection = NULL;

  /* A client gone before this point is dropped: it already sees its connection closed. */
  if (local == NULL || remote == NULL)
    {
      client_end (client);
      return;
    }

  client->state = CLIENT_READING;
  client_set_deadline (client, g_get_monotonic_time ()
                               + (gint64)(self->header_timeout * G_USEC_PER_SEC));
  connection = client->connection;
  client->owned = FALSE;

  self->handing_over = client;
  soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, NULL);
  self->handing_over = NULL;
  /* libsoup may have answered and closed already: then this frees the Client. */
}

static gboolean
on_client_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  Client *client = user_data;

  if (client->state == CLIENT_LINGERING)
    return client_discard (client);

  g_clear_pointer (&client->readable, g_source_unref);
  /* Closed without a word: no need to trouble libsoup. */
  if (g_socket_get_available_bytes (socket) <= 0)
    client_end (client);
  else
    client_hand_over (client);
  return G_SOURCE_REMOVE;
}

/* Idle, slow and lingering clients whose time is up. */
static gboolean
on_deadline_due (gpointer user_data)
{
  AwDemoServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GSequenceIter *first;
  Client *client;

  while (!g_sequence_iter_is_end (first = g_sequence_get_begin_iter (self->deadlines))
         && (client = g_sequence_get (first))->due_us <= now)
    client_drop (client);
  return G_SOURCE_CONTINUE;
}

static void
accept_client (AwDemoServer *self,
               GSocket      *socket)
{
  Client *client;

  /* Full: the connection that has waited longest without a whole request makes room. */
  if (self->n_live >= self->max_live && self->idle.head != NULL)
    client_drop (self->idle.head->data);
  if (self->n_live >= self->max_live)
    {
      g_socket_send_with_blocking (socket, unavailable, sizeof unavailable - 1, FALSE, NULL, NULL);
      g_socket_close (socket, NULL);
      g_object_unref (socket);
      return;
    }

  client = g_new0 (Client, 1);
  client->server = self;
  client->state = CLIENT_WAITING;
  client->socket = socket;
  client->connection = g_socket_connection_factory_create_connection (socket);
  client->owned = TRUE;
  g_object_weak_ref (G_OBJECT (client->connection), client_gone, client);
  g_hash_table_add (self->clients, client);
  publish_n_connections (self);
  self->n_live++;
  client_set_idle (client, TRUE);

  /* Most clients have sent their request by the time they are accepted. */
  if (g_socket_get_available_bytes (socket) > 0)
    {
      client_hand_over (client);
      return;
    }
  client_set_deadline (client, g_get_monotonic_time ()
                               + (gint64)(self->idle_timeout * G_USEC_PER_SEC));
  client_watch (client);
}

static gboolean
on_accept_retry (gpointer user_data)
{
  resume_accepting (user_data);
  return G_SOURCE_REMOVE;
}

/* Out of descriptors: the listener stays readable, so it is left alone for a while, or until
 * a connection closes, rather than tried again at every turn of the loop. */
static void
pause_accepting (AwDemoServer *self)
{
  if (!self->warned_descriptors)
    g_warning ("The demo server is out of file descriptors: new connections wait until some close");
  self->warned_descriptors = TRUE;

  g_source_destroy (self->accepting);
  g_clear_pointer (&self->accepting, g_source_unref);
  self->accept_retry = g_timeout_source_new (ACCEPT_RETRY_MS);
  g_source_set_callback (self->accept_retry, on_accept_retry, self, NULL);
  g_source_attach (self->accept_retry, self->context);
}

/* Several connections per turn: a burst of thousands is taken in without a turn each. */
static gboolean
on_listener_readable (GSocket      *listener,
                      GIOCondition  condition,
                      gpointer      user_data)
{
  AwDemoServer *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_TURN; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = g_socket_accept (listener, NULL, &error);

      if (socket != NULL)
        accept_client (self, socket);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
               || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          pause_accepting (self);
          return G_SOURCE_REMOVE;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      /* else a client gone before its accept: the next one */
    }
  return G_SOURCE_CONTINUE;
}

static void
resume_accepting (AwDemoServer *self)
{
  if (self->accept_retry != NULL)
    g_source_destroy (self->accept_retry);
  g_clear_pointer (&self->accept_retry, g_source_unref);
  if (self->accepting != NULL)
    return;

  self->accepting = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accepting, G_SOURCE_FUNC (on_listener_readable), self, NULL);
  g_source_attach (self->accepting, self->context);
}

/* The connection limit: what was asked, within half the descriptors the process may open (the
 * other half is for the runs it serves in the same process). */
static guint
connection_budget (AwDemoServer *self)
{
  guint budget = self->max_connections;
#ifdef G_OS_UNIX
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    budget = MIN (budget, limit.rlim_cur > 2 * RESERVED_DESCRIPTORS
                          ? (limit.rlim_cur - RESERVED_DESCRIPTORS) / 2 : RESERVED_DESCRIPTORS / 2);
#endif
  return MAX (budget, 1);
}

/* The listener is ours, not libsoup's: its own accepts one connection per turn of the loop, and
 * never frees the socket objects it accepts. */
gboolean
aw_demo_server_connections_listen (AwDemoServer  *self,
                                   GError       **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, self->port);
  g_autoptr(GSocketAddress) bound = NULL;

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL)
    return FALSE;
  g_socket_set_blocking (self->listener, FALSE);
  /* Thousands of clients connect at once in a large run: keep them all in the queue. */
  g_socket_set_listen_backlog (self->listener, SOMAXCONN);
  if (!g_socket_bind (self->listener, address, TRUE, error)
      || !g_socket_listen (self->listener, error)
      || (bound = g_socket_get_local_address (self->listener, error)) == NULL)
    return FALSE;

  self->max_live = connection_budget (self);
  resume_accepting (self);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->base_uri = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  return TRUE;
}

void
aw_demo_server_connections_init (AwDemoServer *self)
{
  self->clients = g_hash_table_new_full (NULL, NULL, (GDestroyNotify)client_free, NULL);
  self->deadlines = g_sequence_new (NULL);
  self->deadline_due = aw_ready_source_new (on_deadline_due, self);
  g_source_attach (self->deadline_due, self->context);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), self);
}

void
aw_demo_server_connections_close (AwDemoServer *self)
{
  if (self->accepting != NULL)
    g_source_destroy (self->accepting);
  g_clear_pointer (&self->accepting, g_source_unref);
  if (self->accept_retry != NULL)
    g_source_destroy (self->accept_retry);
  g_clear_pointer (&self->accept_retry, g_source_unref);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
  /* Connections libsoup holds are closed with it; the others here. */
  g_hash_table_remove_all (self->clients);
}

void
aw_demo_server_connections_free (AwDemoServer *self)
{
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_source_destroy (self->deadline_due);
  g_clear_pointer (&self->deadline_due, g_source_unref);
  g_clear_pointer (&self->deadlines, g_sequence_free);
}

void
aw_demo_server_set_limits (AwDemoServer *self,
                           guint         max_connections,
                           double        idle_timeout_s,
                           double        header_timeout_s,
                           gsize         max_body_size)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  self->max_connections = max_connections > 0 ? max_connections : MAX_CONNECTIONS;
  self->idle_timeout = idle_timeout_s > 0 ? idle_timeout_s : IDLE_TIMEOUT_S;
  self->header_timeout = header_timeout_s > 0 ? header_timeout_s : HEADER_TIMEOUT_S;
  self->max_body_size = max_body_size > 0 ? max_body_size : MAX_BODY_SIZE;
}
