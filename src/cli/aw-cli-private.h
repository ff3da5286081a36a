/* aw-cli-private.h: what the CLI's files share: the reports of a finished run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-distribution.h"
#include "aw-fetch-run.h"

G_BEGIN_DECLS

static inline double
ms (gint64 us)
{
  return us / 1000.0;
}

gboolean aw_cli_get_percentiles (AwFetchRun    *run,
                                 AwPercentiles *percentiles);

void     aw_cli_print_results   (AwFetchRun *run);
void     aw_cli_print_waterfall (AwFetchRun *run);
void     aw_cli_print_totals    (AwFetchRun *run);
void     aw_cli_print_json      (AwFetchRun *run);

G_END_DECLS
