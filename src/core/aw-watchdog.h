/* aw-watchdog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AwWatchdog AwWatchdog;

AwWatchdog *aw_watchdog_new        (void);
void        aw_watchdog_free       (AwWatchdog   *self);
/* Cancels @cancellable at @deadline_us (monotonic time) unless disarmed before. */
void        aw_watchdog_arm        (AwWatchdog   *self,
                                    GCancellable *cancellable,
                                    gint64        deadline_us);
/* Disarms; TRUE if the deadline had passed and the cancellable was cancelled for it. */
gboolean    aw_watchdog_disarm     (AwWatchdog   *self);
/* Cancels the armed cancellable now, from any thread (a Stop). */
void        aw_watchdog_cancel_now (AwWatchdog   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwWatchdog, aw_watchdog_free)

G_END_DECLS
