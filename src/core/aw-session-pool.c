/* aw-session-pool.c: the libsoup sessions a run spreads its requests over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-host-policy.h"
#include "aw-proxy-cache.h"
#include "aw-session-pool.h"

/* libsoup walks its whole queue on every event: a session with thousands of messages costs
 * quadratic time. Spreading the messages over sessions of this size keeps the cost linear;
 * smaller sessions cost less CPU per task and more memory per run (about 0.1 MB a session at
 * 5000 tasks). */
#define MESSAGES_PER_SESSION 32

struct _AwSessionPool
{
  GPtrArray    *sessions;       /* SoupSession */
  AwProxyCache *proxy_cache;    /* shared by the sessions */
};

static SoupSession *
new_session (AwSessionPool *self,
             guint          max_conns)
{
  return soup_session_new_with_options ("max-conns", max_conns,
                                        "max-conns-per-host", max_conns,
                                        "proxy-resolver", self->proxy_cache,
                                        "user-agent", AW_USER_AGENT " ",
                                        /* The person's languages, for the demo server */
                                        "accept-language-auto", TRUE,
                                        NULL);
}

/* A session keeps finished tasks' connections open for the next, and only its own limit
 * closes them: hence limits that add up to no more than the budget. */
AwSessionPool *
aw_session_pool_new (guint    n_tasks,
                     guint    max_conns,
                     guint    conns_per_host,
                     gboolean one_session)
{
  AwSessionPool *self = g_new0 (AwSessionPool, 1);
  guint n = MAX (n_tasks, 1);
  guint n_sessions;

  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->proxy_cache = aw_proxy_cache_new ();

  /* A connection limit per host is only meaningful in one session. */
  if (conns_per_host > 0 || one_session || n <= MESSAGES_PER_SESSION)
    {
      g_ptr_array_add (self->sessions,
                       new_session (self, MIN (conns_per_host ? conns_per_host : n, max_conns)));
      return self;
    }

  n_sessions = MIN ((n + MESSAGES_PER_SESSION - 1) / MESSAGES_PER_SESSION, max_conns);
  for (guint i = 0; i < n_sessions; i++)
    g_ptr_array_add (self->sessions,
                     new_session (self, MIN (MESSAGES_PER_SESSION, max_conns / n_sessions)));
  return self;
}

void
aw_session_pool_free (AwSessionPool *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_object (&self->proxy_cache);
  g_free (self);
}

SoupSession *
aw_session_pool_get (AwSessionPool *self,
                     guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_ptr_array_index (self->sessions, index % self->sessions->len);
}
