/* aw-session-pool.h: the libsoup sessions a run spreads its requests over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _AwSessionPool AwSessionPool;

/* Sessions for @n_tasks whose connection limits add up to no more than @max_conns (the
 * descriptor budget). @conns_per_host > 0, or @one_session, puts every task in one session. */
AwSessionPool *aw_session_pool_new  (guint          n_tasks,
                                     guint          max_conns,
                                     guint          conns_per_host,
                                     gboolean       one_session);
void           aw_session_pool_free (AwSessionPool *self);
/* The session of the task at @index; the pool keeps it. */
SoupSession   *aw_session_pool_get  (AwSessionPool *self,
                                     guint          index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwSessionPool, aw_session_pool_free)

G_END_DECLS
