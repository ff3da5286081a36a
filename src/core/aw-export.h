/* aw-export.h: a finished run as HAR 1.2, Chrome trace-event JSON or CSV, and the safe writer
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
/* @path: a file name, or "-" for standard output. Written with aw_export_write(). */
gboolean  aw_export_to_file   (AwFetchRun     *run,
                               AwExportFormat  format,
                               const char     *path,
                               GError        **error);
/* Writes @data to @file (NULL: standard output), only ever as a regular file: devices, pipes,
 * sockets and folders are refused, a symbolic link's target is written and the link kept. */
gboolean  aw_export_write     (GFile          *file,
                               const char     *data,
                               gsize           size,
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
