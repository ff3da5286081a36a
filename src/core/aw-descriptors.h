/* aw-descriptors.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Room for @n open descriptors: call at start-up, before the process has a second thread. */
void  aw_descriptors_prepare    (guint n);
/* The open-files limit (soft), G_MAXUINT where there is none. */
guint aw_descriptors_get_limit  (void);
/* How many more descriptors a run may open: the limit less those open now and a reserve;
 * at least 1, G_MAXUINT where there is no limit. */
guint aw_descriptors_get_budget (void);

G_END_DECLS
