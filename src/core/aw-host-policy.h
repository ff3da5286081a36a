/* aw-host-policy.h: how a run behaves towards a real service (somebody else's server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "aw-provider.h"

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

G_END_DECLS
