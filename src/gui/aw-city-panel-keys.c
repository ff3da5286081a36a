/* aw-city-panel-keys.c: the city list by keyboard: the rows' move and remove actions, which
 * their buttons use too, Delete and Alt+Up/Down on the focused row with the focus kept in the
 * list, and Tab leaving the list from any row (one tab stop)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-accessible.h"

#include "aw-city-panel-private.h"

static int
move_city (AwCityPanel *self,
           const char *city,
           int         delta)
{
  g_auto(GStrv) cities = _aw_city_panel_get_cities (self);
  guint n = g_strv_length (cities);

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (cities[i], city) == 0)
        {
          int j = (int)i + delta;

          if (j >= 0 && j < (int)n)
            {
              char *swap = cities[i];

              cities[i] = cities[j];
              cities[j] = swap;
              g_settings_set_strv (self->settings, "cities", (const char * const *)cities);
              return j;
            }
          return -1;
        }
    }
  return -1;
}

/* The keyboard stays with the city it moved or on the place of the one it removed. */
static void
focus_city_or_place (AwCityPanel *self,
                     const char *city,
                     guint       position)
{
  AwCityRow *row = city != NULL ? _aw_city_panel_find_row (self, city) : NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->city_model));

  if (row == NULL && n > 0)
    {
      GHashTableIter iter;
      gpointer item;

      position = MIN (position, n - 1);
      g_hash_table_iter_init (&iter, self->bound_rows);
      while (g_hash_table_iter_next (&iter, &item, NULL))
        if (gtk_list_item_get_position (item) == position)
          row = AW_CITY_ROW (gtk_list_item_get_child (item));
    }
  if (row != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AwCityPanel *self = AW_CITY_PANEL (widget);
  const char *city = g_variant_get_string (parameter, NULL);
  AwCityRow *row = _aw_city_panel_find_row (self, city);
  gboolean had_focus = row != NULL && gtk_widget_has_focus (gtk_widget_get_parent (GTK_WIDGET (row)));

  if (move_city (self, city, g_str_equal (action_name, "cities.move-up") ? -1 : 1) >= 0
      && had_focus)
    focus_city_or_place (self, city, 0);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AwCityPanel *self = AW_CITY_PANEL (widget);
  g_autofree char *city = g_variant_dup_string (parameter, NULL);
  g_auto(GStrv) cities = _aw_city_panel_get_cities (self);
  AwCityRow *row = _aw_city_panel_find_row (self, city);
  gboolean had_focus = row != NULL && gtk_widget_has_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
  guint position = 0;

  while (cities[position] != NULL && g_strcmp0 (cities[position], city) != 0)
    position++;
  aw_city_panel_remove (self, city);
  if (had_focus)
    focus_city_or_place (self, NULL, position);
}

/* The city of the focused row, for the keys that act on it. */
static const char *
focused_city (AwCityPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return NULL;
  row = gtk_widget_get_ancestor (focus, AW_TYPE_CITY_ROW);
  if (row == NULL && AW_IS_CITY_ROW (gtk_widget_get_first_child (focus)))
    row = gtk_widget_get_first_child (focus);
  return row != NULL ? aw_city_row_get_city (AW_CITY_ROW (row)) : NULL;
}

static gboolean
on_row_key (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  AwCityPanel *self = AW_CITY_PANEL (gtk_widget_get_ancestor (widget, AW_TYPE_CITY_PANEL));
  const char *action = user_data;
  const char *city = focused_city (self);

  if (city == NULL)
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), action, "s", city);
  return TRUE;
}

/* Tab leaves the list from any row: it is one tab stop. */
static gboolean
on_tab (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  AwCityPanel *self = AW_CITY_PANEL (widget);

  return aw_accessible_leave_list (GTK_WIDGET (self->list_view), GPOINTER_TO_INT (user_data));
}

static void
add_row_key (GtkWidgetClass  *widget_class,
             guint            key,
             GdkModifierType  modifiers,
             const char      *action)
{
  g_autoptr(GtkShortcut) shortcut =
    gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                      gtk_callback_action_new (on_row_key, (gpointer)action, NULL));

  gtk_widget_class_add_shortcut (widget_class, shortcut);
}

void
_aw_city_panel_class_init_keys (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "cities.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "cities.move-up", "s", move_action);
  gtk_widget_class_install_action (widget_class, "cities.move-down", "s", move_action);
  /* The row's buttons are no tab stops: these keys act on the focused row. */
  add_row_key (widget_class, GDK_KEY_Delete, 0, "cities.remove");
  add_row_key (widget_class, GDK_KEY_KP_Delete, 0, "cities.remove");
  add_row_key (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "cities.move-up");
  add_row_key (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "cities.move-down");
  {
    struct { guint key; GdkModifierType modifiers; GtkDirectionType direction; } tabs[] = {
      { GDK_KEY_Tab, 0, GTK_DIR_TAB_FORWARD },
      { GDK_KEY_KP_Tab, 0, GTK_DIR_TAB_FORWARD },
      { GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD },
      { GDK_KEY_Tab, GDK_SHIFT_MASK, GTK_DIR_TAB_BACKWARD },
    };

    for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
      {
        g_autoptr(GtkShortcut) shortcut =
          gtk_shortcut_new (gtk_keyval_trigger_new (tabs[i].key, tabs[i].modifiers),
                            gtk_callback_action_new (on_tab,
                                                     GINT_TO_POINTER (tabs[i].direction),
                                                     NULL));

        gtk_widget_class_add_shortcut (widget_class, shortcut);
      }
  }
}
