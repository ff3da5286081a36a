/* aw-history-list.h: the runs of this session and earlier ones, newest on top
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-run-record.h"

G_BEGIN_DECLS

#define AW_TYPE_HISTORY_ITEM (aw_history_item_get_type ())

G_DECLARE_FINAL_TYPE (AwHistoryItem, aw_history_item, AW, HISTORY_ITEM, GObject)

const AwRunRecord *aw_history_item_get_record  (AwHistoryItem *self);
/* Its bars: NULL for a large run of an earlier session. */
AwFetchRun        *aw_history_item_get_run     (AwHistoryItem *self);
/* Ticked to compare. */
gboolean           aw_history_item_get_checked (AwHistoryItem *self);
void               aw_history_item_set_checked (AwHistoryItem *self,
                                                gboolean       checked);

#define AW_TYPE_HISTORY_LIST (aw_history_list_get_type ())

G_DECLARE_FINAL_TYPE (AwHistoryList, aw_history_list, AW, HISTORY_LIST, GtkWidget)

/* Takes @record; keeps the newest AW_HISTORY_MAX_RUNS. Returns the new item. */
AwHistoryItem *aw_history_list_append          (AwHistoryList *self,
                                                AwRunRecord   *record,
                                                AwFetchRun    *run);
guint          aw_history_list_get_n_runs      (AwHistoryList *self);
/* Run @index, 0 the oldest; or the index of @item, -1 when it is no longer kept. */
AwHistoryItem *aw_history_list_get_item        (AwHistoryList *self,
                                                guint          index);
int            aw_history_list_index_of        (AwHistoryList *self,
                                                AwHistoryItem *item);
/* The rows of the runs on screen are highlighted; the index of the @nth, or -1. */
void           aw_history_list_highlight       (AwHistoryList *self,
                                                AwHistoryItem *a,
                                                AwHistoryItem *b);
int            aw_history_list_get_highlighted (AwHistoryList *self,
                                                guint          nth);
/* The runs ticked to compare, oldest first, up to 2 of them in @picked; how many are ticked. */
guint          aw_history_list_get_checked     (AwHistoryList *self,
                                                guint          picked[2]);
/* The store behind the rows (AwHistoryItem, newest first). */
GListModel    *aw_history_list_get_model       (AwHistoryList *self);

G_END_DECLS
