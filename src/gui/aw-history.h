/* aw-history.h: the runs of earlier sessions, kept in a small file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "aw-run-record.h"

G_BEGIN_DECLS

/* The file keeps the newest runs only. */
#define AW_HISTORY_MAX_RUNS 50

/* g_get_user_data_dir()/async-weather/history.json */
char      *aw_history_get_path (void);
/* The records saved last (the newest last); none when there is no file. A file that cannot
 * be read is ignored: *@notice then says so, for the window to show. */
GPtrArray *aw_history_load     (char      **notice);
/* Saves the newest AW_HISTORY_MAX_RUNS of @records, replacing the file at once (a crash
 * leaves the old file or the new one, never half of one). */
gboolean   aw_history_save     (GPtrArray  *records,
                                GError    **error);

/* aw_history_save() on a worker thread, on copies of @records; saves end in the order they
 * were asked for, and aw_history_load() waits for those asked before it. */
void       aw_history_save_async  (GPtrArray           *records,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean   aw_history_save_finish (GAsyncResult        *result,
                                   GError             **error);
/* Waits for the saves asked for so far to end (a window closing, the app quitting). */
void       aw_history_wait        (void);

G_END_DECLS
