/* aw-export.h: a finished run as HAR 1.2, Chrome trace-event JSON or CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-fetch-run.h"

G_BEGIN_DECLS

typedef enum
{
  AW_EXPORT_HAR,
  AW_EXPORT_TRACE,
  AW_EXPORT_CSV,
} AwExportFormat;

char     *aw_export_to_string (AwFetchRun     *run,
                               AwExportFormat  format);
gboolean  aw_export_to_file   (AwFetchRun     *run,
                               AwExportFormat  format,
                               const char     *path,
                               GError        **error);

/* Several runs in one file, as compared on screen: HAR with one page per run, a trace with
 * one process per run, CSV with a run column. */
char     *aw_export_runs_to_string (AwFetchRun    **runs,
                                    guint           n_runs,
                                    AwExportFormat  format);
gboolean  aw_export_runs_to_file   (AwFetchRun    **runs,
                                    guint           n_runs,
                                    AwExportFormat  format,
                                    const char     *path,
                                    GError        **error);

G_END_DECLS
