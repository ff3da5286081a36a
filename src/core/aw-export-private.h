/* aw-export-private.h: the export formats, each a string from finished runs, for aw-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-export.h"

G_BEGIN_DECLS

static inline double
ms (gint64 us)
{
  return us / 1000.0;
}

char *aw_export_har   (AwFetchRun **runs,
                       guint        n_runs);
char *aw_export_trace (AwFetchRun **runs,
                       guint        n_runs);
char *aw_export_csv   (AwFetchRun **runs,
                       guint        n_runs);

G_END_DECLS
