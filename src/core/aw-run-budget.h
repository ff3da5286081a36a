/* aw-run-budget.h: the sockets a run may hold at once, and the note on tasks that wait
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-provider.h"

G_BEGIN_DECLS

/* Descriptors the run of @tasks (AwTask) towards @provider may open: the process's budget,
 * halved when the server is on this machine; G_MAXUINT where there is no limit. */
guint aw_run_budget_get          (AwProvider *provider,
                                  GPtrArray  *tasks);
/* Notes on the tasks past @cap that they wait for a free connection, unless the mode's own
 * @max_in_flight keeps them waiting anyway. */
void  aw_run_budget_explain_wait (GPtrArray  *tasks,
                                  guint       cap,
                                  guint       max_in_flight);

G_END_DECLS
