/* aw-proxy-cache.c: the system proxy settings, asked once per host for a run
 *
 * GIO asks the proxy resolver before every connection, and the system's resolver answers from
 * a worker thread: for a run of 1000 tasks, a thousand lookups of one answer, which cost as much
 * CPU as the requests themselves. This resolver asks the default one once per scheme, host and
 * port, and answers every later lookup (and every one made meanwhile) from that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-proxy-cache.h"

struct _AwProxyCache
{
  GObject     parent_instance;

  GMutex      mutex;        /* lookups come from the run's loop and from worker threads */
  GHashTable *answers;      /* key → GStrv */
  GHashTable *waiting;      /* key → GPtrArray of GTask, while the first lookup runs */
};

static void aw_proxy_cache_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwProxyCache, aw_proxy_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      aw_proxy_cache_iface_init))

/* What a proxy answer depends on: "scheme://host:port". */
static char *
cache_key (const char *uri)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  int port = -1;

  if (!g_uri_split_network (uri, G_URI_FLAGS_NONE, &scheme, &host, &port, NULL))
    return g_strdup (uri);
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

static gboolean
aw_proxy_cache_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
aw_proxy_cache_lookup (GProxyResolver  *resolver,
                       const char      *uri,
                       GCancellable    *cancellable,
                       GError         **error)
{
  AwProxyCache *self = AW_PROXY_CACHE (resolver);
  g_autofree char *key = cache_key (uri);
  char **answer;

  g_mutex_lock (&self->mutex);
  answer = g_strdupv (g_hash_table_lookup (self->answers, key));
  g_mutex_unlock (&self->mutex);
  if (answer != NULL)
    return answer;

  answer = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), uri, cancellable, error);
  if (answer != NULL)
    {
      g_mutex_lock (&self->mutex);
      g_hash_table_replace (self->answers, g_steal_pointer (&key), g_strdupv (answer));
      g_mutex_unlock (&self->mutex);
    }
  return answer;
}

/* The first lookup of a key, on its way to the default resolver. */
typedef struct
{
  AwProxyCache *self;
  char         *key;
} FirstLookup;

static void
on_default_answer (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FirstLookup *first = user_data;
  AwProxyCache *self = first->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) answer = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autofree char *waiting_key = NULL;

  answer = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);

  g_mutex_lock (&self->mutex);
  g_hash_table_steal_extended (self->waiting, first->key, (gpointer *)&waiting_key,
                               (gpointer *)&waiting);
  if (answer != NULL)
    g_hash_table_replace (self->answers, g_strdup (first->key), g_strdupv (answer));
  g_mutex_unlock (&self->mutex);

  /* A failed lookup is not kept: each waiting task gets the error, the next one asks again. */
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (answer != NULL)
        g_task_return_pointer (task, g_strdupv (answer), (GDestroyNotify)g_strfreev);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  g_object_unref (first->self);
  g_free (first->key);
  g_free (first);
}

static void
aw_proxy_cache_lookup_async (GProxyResolver      *resolver,
                             const char          *uri,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  AwProxyCache *self = AW_PROXY_CACHE (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = cache_key (uri);
  GPtrArray *waiting;
  char **answer;

  g_task_set_source_tag (task, aw_proxy_cache_lookup_async);

  g_mutex_lock (&self->mutex);
  answer = g_strdupv (g_hash_table_lookup (self->answers, key));
  waiting = g_hash_table_lookup (self->waiting, key);
  if (answer == NULL && waiting != NULL)
    g_ptr_array_add (waiting, g_object_ref (task));
  else if (answer == NULL)
    {
      waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (waiting, g_object_ref (task));
      g_hash_table_insert (self->waiting, g_strdup (key), waiting);
      waiting = NULL;
    }
  g_mutex_unlock (&self->mutex);

  if (answer != NULL)
    g_task_return_pointer (task, answer, (GDestroyNotify)g_strfreev);
  else if (waiting == NULL)
    {
      FirstLookup *first = g_new0 (FirstLookup, 1);

      first->self = g_object_ref (self);
      first->key = g_steal_pointer (&key);
      g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), uri, NULL,
                                     on_default_answer, first);
    }
}

static char **
aw_proxy_cache_lookup_finish (GProxyResolver  *resolver,
                              GAsyncResult    *result,
                              GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
aw_proxy_cache_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = aw_proxy_cache_is_supported;
  iface->lookup = aw_proxy_cache_lookup;
  iface->lookup_async = aw_proxy_cache_lookup_async;
  iface->lookup_finish = aw_proxy_cache_lookup_finish;
}

static void
aw_proxy_cache_finalize (GObject *object)
{
  AwProxyCache *self = (AwProxyCache *)object;

  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->waiting);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (aw_proxy_cache_parent_class)->finalize (object);
}

static void
aw_proxy_cache_class_init (AwProxyCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aw_proxy_cache_finalize;
}

static void
aw_proxy_cache_init (AwProxyCache *self)
{
  g_mutex_init (&self->mutex);
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_strfreev);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
}

AwProxyCache *
aw_proxy_cache_new (void)
{
  return g_object_new (AW_TYPE_PROXY_CACHE, NULL);
}
