/* aw-test-utils.c: what the tests share
 *
 * Tests compare timings within a run (concurrent against the sum of its tasks, a timed-out
 * task against the others) rather than against a clock. The few limits that remain, timeouts
 * of the runs and guards against a test that hangs, are multiplied by one factor: a sanitizer
 * build on a busy machine may run many times slower, and `.ci/sanitize` says how much in
 * AW_TEST_SLOWDOWN. The raw server serves what libsoup's would refuse to: truncated answers,
 * resets, answers dripped a byte at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "aw-test-utils.h"

/* The factor from AW_TEST_SLOWDOWN: 1 when unset, never below 1. */
double
aw_test_slowdown (void)
{
  static double slowdown;

  if (slowdown == 0)
    {
      const char *value = g_getenv ("AW_TEST_SLOWDOWN");
      double parsed = value != NULL ? g_ascii_strtod (value, NULL) : 1;

      slowdown = parsed >= 1 ? parsed : 1;
    }
  return slowdown;
}

double
aw_test_scaled_s (double seconds)
{
  return seconds * aw_test_slowdown ();
}

gint64
aw_test_scaled_us (gint64 us)
{
  return (gint64)(us * aw_test_slowdown ());
}

gboolean
aw_test_send_all (GSocket    *socket,
                  const void *data,
                  gsize       size)
{
  const char *p = data;

  while (size > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize sent = g_socket_send (socket, p, size, NULL, &error);

      if (sent < 0)
        {
          g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
          return FALSE;
        }
      p += sent;
      size -= sent;
    }
  return TRUE;
}

GSocket *
aw_test_connect (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  /* A guard only: every wait of a test ends long before, or the test fails. */
  g_socket_set_timeout (socket, 30);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return socket;
}

char *
aw_test_read_to_end (GSocket *socket)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      if ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error)) > 0)
        g_string_append_len (text, buffer, n);
      else if (n == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        break;
      else
        g_assert_no_error (error);
    }
  return g_string_free (text, FALSE);
}

gboolean
aw_test_has_spoken (GSocket *socket)
{
  return g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) != 0;
}

void
aw_test_send_answer (GSocket    *socket,
                     const char *status,
                     const char *extra_headers,
                     const void *body,
                     gsize       size)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Length: %" G_GSIZE_FORMAT
                                           "\r\n%sConnection: close\r\n\r\n",
                                           status, size, extra_headers);

  aw_test_send_all (socket, head, strlen (head));
  aw_test_send_all (socket, body, size);
}

typedef struct
{
  GSocket       *socket;
  AwTestHandler  handler;
} Connection;

static gpointer
serve_connection (gpointer data)
{
  Connection *connection = data;
  g_autoptr(GSocket) socket = connection->socket;
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree char *path = NULL;
  char buffer[1024];

  g_socket_set_blocking (socket, TRUE);
  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        {
          g_free (connection);
          return NULL;
        }
      g_string_append_len (request, buffer, n);
    }

  /* "GET PATH HTTP/1.1" */
  path = g_strndup (request->str + 4, strcspn (request->str + 4, " "));
  connection->handler (socket, path);
  g_socket_close (socket, NULL);
  g_free (connection);
  return NULL;
}

typedef struct
{
  GSocket       *listener;
  AwTestHandler  handler;
} Server;

static gpointer
serve (gpointer data)
{
  Server *server = data;

  for (;;)
    {
      Connection *connection = g_new0 (Connection, 1);

      connection->socket = g_socket_accept (server->listener, NULL, NULL);
      connection->handler = server->handler;
      if (connection->socket == NULL)
        {
          g_free (connection);
          break;
        }
      g_thread_unref (g_thread_new ("connection", serve_connection, connection));
    }
  g_object_unref (server->listener);
  g_free (server);
  return NULL;
}

/* Starts a server on 127.0.0.1 that serves every connection with @handler, for the rest of
 * the test program; returns its root URI. */
char *
aw_test_raw_server_start (AwTestHandler handler)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);

  server->handler = handler;
  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (server->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  g_thread_unref (g_thread_new ("raw-server", serve, server));

  return g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

void
aw_test_settings_write_saved (GSettings  *settings,
                              const char *key,
                              GVariant   *value)
{
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *path = NULL;
  g_autofree char *full_key = NULL;

  g_object_get (settings, "backend", &backend, "path", &path, NULL);
  full_key = g_strconcat (path, key, NULL);
  g_assert_true (G_SETTINGS_BACKEND_GET_CLASS (backend)->write (backend, full_key, value, NULL));
}
