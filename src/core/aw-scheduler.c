/* aw-scheduler.c: which scheduler carries out each mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-scheduler.h"

static const AwScheduler * const schedulers[AW_N_MODES] = {
  [AW_MODE_SEQUENTIAL] = &aw_scheduler_sequential,
  [AW_MODE_CONCURRENT] = &aw_scheduler_concurrent,
  [AW_MODE_LIMITED] = &aw_scheduler_limited,
  [AW_MODE_THREADS] = &aw_scheduler_threads,
  [AW_MODE_BLOCKING] = &aw_scheduler_blocking,
};

const AwScheduler *
aw_scheduler_for_mode (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, &aw_scheduler_concurrent);
  g_assert (schedulers[mode] != NULL);
  return schedulers[mode];
}
