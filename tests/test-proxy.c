/* test-proxy.c: the system proxy settings apply to every request
 *
 * A loopback server plays the proxy. The weather service's host does not resolve, so a task
 * can only succeed through the proxy: the request goes there, with the service's full URI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "aw-fetch-run.h"

static char *proxied_uri;

static void
handle_any (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  static const char body[] =
    "{\"current_condition\":{\"tmp\":17,\"condition\":\"Ensoleillé\","
    "\"condition_key\":\"ensoleille\",\"humidity\":40,\"wnd_spd\":5,\"wnd_dir\":\"N\"}}";

  g_free (proxied_uri);
  proxied_uri = g_uri_to_string (soup_server_message_get_uri (msg));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    body, sizeof body - 1);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(gboolean *)user_data = TRUE;
}

static void
test_system_proxy (void)
{
  g_autoptr(SoupServer) proxy = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autofree char *proxy_uri = NULL;
  const char *cities[] = { "Lausanne", NULL };
  GSList *uris;
  AwTask *task;
  gboolean done = FALSE;

  soup_server_add_handler (proxy, NULL, handle_any, NULL, NULL);
  soup_server_listen_local (proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy);
  proxy_uri = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  /* What a desktop's proxy settings come down to for GIO's default resolver. */
  g_setenv ("http_proxy", proxy_uri, TRUE);
  g_unsetenv ("no_proxy");

  provider = aw_provider_new_for_name ("prevision", "http://weather.invalid", &error);
  g_assert_no_error (error);
  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  task = aw_fetch_run_get_task (run, 0);
  g_assert_no_error ((GError *)aw_task_get_error (task));
  g_assert_cmpfloat (aw_task_get_weather (task)->temperature_c, ==, 17);
  g_assert_cmpstr (proxied_uri, ==, "http://weather.invalid/services/json/Lausanne");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/proxy/system", test_system_proxy);
  return g_test_run ();
}
