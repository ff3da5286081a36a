/* aw-host-policy.h: how a run behaves towards a real service (somebody else's server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "aw-provider.h"
#include "aw-task.h"

G_BEGIN_DECLS

/* What browsers open to one host: the default towards a real service. */
#define AW_REAL_CONNS_PER_HOST   6
/* Beyond this many cities, a run against a real service needs the person's consent. */
#define AW_REAL_MAX_CITIES       100
/* The longest a Retry-After may hold a service's tasks back (and never longer than a task's
 * timeout). */
#define AW_MAX_HOLD_S            60

/* "async-weather/0.1.0 (+https://…)": who is asking, and where to read about it. */
#define AW_USER_AGENT "async-weather/" PACKAGE_VERSION " (+" PACKAGE_URL ")"

/* For front ends: the connections per host a run will use from the setting @requested (0: the
 * default), and whether that is more than a real service should get (say so). */
guint    aw_host_policy_conns_per_host   (gboolean    real,
                                          guint       requested);
gboolean aw_host_policy_conns_too_many   (gboolean    real,
                                          guint       requested);
/* Whether a run of @n_cities must ask first. */
gboolean aw_host_policy_needs_consent    (gboolean    real,
                                          guint       n_cities);
/* The warning both front ends show for aw_host_policy_conns_too_many(). */
char    *aw_host_policy_describe_conns   (guint       requested);
/* The refusal or question for aw_host_policy_needs_consent(). */
char    *aw_host_policy_describe_many    (guint       n_cities);

/* The engine's side: one per run. */
typedef struct _AwHostPolicy AwHostPolicy;

/* @changed is emitted on the tasks it notes; @resume is called on @context when a hold ends. */
AwHostPolicy *aw_host_policy_new          (AwProvider   *provider,
                                           guint         conns_per_host,
                                           double        timeout_s,
                                           GMainContext *context,
                                           GSourceFunc   resume,
                                           gpointer      resume_data);
void          aw_host_policy_free         (AwHostPolicy *self);
/* For the sessions: 0 means one per task (the demo server). */
guint         aw_host_policy_get_conns    (AwHostPolicy *self);
/* Tasks the run may have in flight: one connection each at most. */
guint         aw_host_policy_max_in_flight (AwHostPolicy *self);
/* Any thread: reads an answer's status and Retry-After. Returns TRUE when it holds the service
 * back; @task (on the run's thread only, else NULL) is told why. */
gboolean      aw_host_policy_note_answer  (AwHostPolicy *self,
                                           SoupMessage  *msg,
                                           AwTask       *task);
/* The run's thread, before starting a task: TRUE while the service is held back. The tasks
 * from @next_task on are told why, once a hold; @resume runs when it ends. */
gboolean      aw_host_policy_is_held      (AwHostPolicy *self,
                                           GPtrArray    *tasks,
                                           guint         next_task,
                                           GObject      *run);

G_END_DECLS
