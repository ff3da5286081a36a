/* aw-accessible.h: names for what GTK 4.8 leaves unnamed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void aw_accessible_name_inner_buttons (GtkWidget  *widget,
                                       const char *label);
void aw_accessible_name_by_labels     (GtkWidget  *widget);
gboolean aw_accessible_leave_list     (GtkWidget        *list,
                                       GtkDirectionType  direction);

G_END_DECLS
