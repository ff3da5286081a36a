/* aw-host-policy-private.h: the engine's side of the host policy, one per run; for the engine
 * only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "aw-host-policy.h"
#include "aw-task.h"

G_BEGIN_DECLS

typedef struct _AwHostPolicy AwHostPolicy;

/* @changed is emitted on the tasks it notes; @resume is called on @context when a hold ends. */
AwHostPolicy *aw_host_policy_new          (AwProvider   *provider,
                                           guint         conns_per_host,
                                           double        timeout_s,
                                           GMainContext *context,
                                           GSourceFunc   resume,
                                           gpointer      resume_data);
void          aw_host_policy_free         (AwHostPolicy *self);
/* The run makes no request (the sleep workload): no service's manners hold it back. */
void          aw_host_policy_set_no_requests (AwHostPolicy *self);
/* For the sessions: 0 means one per task (the demo server). */
guint         aw_host_policy_get_conns    (AwHostPolicy *self);
/* Tasks the run may have in flight: one connection each at most. */
guint         aw_host_policy_max_in_flight (AwHostPolicy *self);
/* Any thread: reads an answer's status and Retry-After. When it holds the service back,
 * returns what to tell the task that got the answer, else NULL. */
char         *aw_host_policy_note_answer  (AwHostPolicy *self,
                                           SoupMessage  *msg);
/* The run's thread, before starting a task: TRUE while the service is held back. The tasks
 * from @next_task on are told why, once a hold; @resume runs when it ends. */
gboolean      aw_host_policy_is_held      (AwHostPolicy *self,
                                           GPtrArray    *tasks,
                                           guint         next_task,
                                           GObject      *run);

G_END_DECLS
