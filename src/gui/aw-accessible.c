/* aw-accessible.c: names for what GTK 4.8 leaves unnamed
 *
 * GTK 4.8 gives a screen reader the toggle inside a drop-down and the close button inside an
 * info bar, but not the label set on the outer widget: they are announced by their class
 * ("GtkToggleButton", "GtkImage"). This hands a name down to them. It also says a labelled
 * button's name once: GTK 4.8 joins the label as written ("_Run") with the text of the label
 * inside it ("Run").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-accessible.h"

static void
keep_out_of_tab_order (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_focusable (child, FALSE);
      keep_out_of_tab_order (child);
    }
}

/* Names every button inside @widget @label, and keeps what is inside such a button (the
 * drop-down's current item) out of the tab order: the button speaks for it. */
void
aw_accessible_name_inner_buttons (GtkWidget  *widget,
                                  const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                          -1);
          keep_out_of_tab_order (child);
        }
      else if (!GTK_IS_POPOVER (child))
        aw_accessible_name_inner_buttons (child, label);
    }
}

/* Leaves every button with a mnemonic inside @widget named by the label inside it alone,
 * mnemonic taken out. */
void
aw_accessible_name_by_labels (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    aw_accessible_name_by_labels (child);
}

/* A list that is one tab stop: Tab leaves it from any row, to the widget after it (or before
 * it, with Shift), instead of going from row to row. FALSE when the focus is not in @list. */
gboolean
aw_accessible_leave_list (GtkWidget        *list,
                          GtkDirectionType  direction)
{
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  gboolean moved;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, list))
    return FALSE;
  gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (GTK_WIDGET (root), direction);
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}
