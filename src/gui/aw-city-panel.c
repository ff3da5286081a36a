/* aw-city-panel.c: the sidebar's cities: the entry (a name, a pasted list, validation and its
 * message), the list view of AwCityRow rows bound to the "cities" setting, the count, the
 * menu (samples, import, remove all), removal and undo of the last one; the keyboard on the
 * rows is aw-city-panel-keys.c's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aw-city-import.h"
#include "aw-city-list.h"
#include "aw-city-panel-private.h"
#include "aw-city-row.h"

/* A text file of city names larger than this is not a list of cities. */
#define MAX_IMPORT_BYTES (4 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (AwCityPanel, aw_city_panel, GTK_TYPE_WIDGET)

enum {
  REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char **
_aw_city_panel_get_cities (AwCityPanel *self)
{
  if (self->settings == NULL)
    return g_new0 (char *, 1);
  return g_settings_get_strv (self->settings, "cities");
}

/* The row on screen that shows @city, or NULL. */
AwCityRow *
_aw_city_panel_find_row (AwCityPanel *self,
          const char *city)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      AwCityRow *row = AW_CITY_ROW (gtk_list_item_get_child (item));

      if (g_strcmp0 (aw_city_row_get_city (row), city) == 0)
        return row;
    }
  return NULL;
}

/* A message under the entry: an error, or what a list added. */
static void
set_entry_message_full (AwCityPanel *self,
                        const char *message,
                        gboolean    error)
{
  gtk_label_set_text (self->entry_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->entry_message), message != NULL);
  if (message != NULL && error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->city_entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->entry_message), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->city_entry), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry_message), "error");
    }
}

static void
set_entry_message (AwCityPanel *self,
                   const char *message)
{
  set_entry_message_full (self, message, TRUE);
}

static void
forget_undo (AwCityPanel *self)
{
  g_clear_pointer (&self->undo_cities, g_strfreev);
  g_clear_pointer (&self->undo_after, g_strfreev);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cities.undo-remove", FALSE);
}

/* Every removal can be undone, until the list changes in another way. */
static void
remove_cities (AwCityPanel         *self,
               const char * const *kept,
               const char         *message)
{
  forget_undo (self);
  /* What the last paste said is stale once cities go. */
  set_entry_message (self, NULL);
  self->undo_cities = _aw_city_panel_get_cities (self);
  self->undo_after = g_strdupv ((GStrv)kept);
  g_settings_set_strv (self->settings, "cities", kept);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cities.undo-remove", TRUE);
  g_signal_emit (self, signals[REMOVED], 0, message);
}

void
aw_city_panel_remove (AwCityPanel *self,
                     const char *city)
{
  g_auto(GStrv) cities = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  g_autofree char *message = NULL;
  gboolean found = FALSE;

  g_return_if_fail (AW_IS_CITY_PANEL (self));
  g_return_if_fail (city != NULL);

  cities = _aw_city_panel_get_cities (self);
  for (guint i = 0; cities[i] != NULL; i++)
    if (g_strcmp0 (cities[i], city) != 0)
      g_strv_builder_add (builder, cities[i]);
    else
      found = TRUE;
  if (!found)
    return;
  kept = g_strv_builder_end (builder);
  /* Translators: shown with an Undo button after a city was removed */
  message = g_strdup_printf (_("Removed %s"), city);
  remove_cities (self, (const char * const *)kept, message);
}

void
aw_city_panel_undo_remove (AwCityPanel *self)
{
  g_auto(GStrv) cities = NULL;

  g_return_if_fail (AW_IS_CITY_PANEL (self));

  cities = g_steal_pointer (&self->undo_cities);
  forget_undo (self);
  if (cities != NULL)
    g_settings_set_strv (self->settings, "cities", (const char * const *)cities);
}

/* Moves @city by @delta places; its new place, or -1. */
static void
remove_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AwCityPanel *self = AW_CITY_PANEL (widget);
  g_auto(GStrv) cities = _aw_city_panel_get_cities (self);
  guint n = g_strv_length (cities);
  const char *none[] = { NULL };
  g_autofree char *message = NULL;

  if (n == 0)
    return;
  /* Translators: shown with an Undo button after Remove All */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Removed %u city", "Removed %u cities",
                                          n), n);
  remove_cities (self, none, message);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  aw_city_panel_undo_remove (AW_CITY_PANEL (widget));
}

static void
on_city_row_setup (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   AwCityPanel               *self)
{
  gtk_list_item_set_child (item, aw_city_row_new ());
  gtk_list_item_set_activatable (item, FALSE);
}

static void
fill_city_row (AwCityPanel  *self,
               GtkListItem *item)
{
  const char *city = gtk_string_object_get_string (gtk_list_item_get_item (item));

  aw_city_row_update (AW_CITY_ROW (gtk_list_item_get_child (item)), city,
                      g_hash_table_lookup (self->results, city),
                      gtk_list_item_get_position (item),
                      g_list_model_get_n_items (G_LIST_MODEL (self->city_model)));
}

static void
on_city_row_bind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  AwCityPanel               *self)
{
  g_hash_table_add (self->bound_rows, item);
  fill_city_row (self, item);
}

static void
on_city_row_unbind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    AwCityPanel               *self)
{
  g_hash_table_remove (self->bound_rows, item);
}

/* A city added, moved or removed: the rows on screen show their new neighbours. */
static void
refresh_city_rows (AwCityPanel *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    fill_city_row (self, item);
}

/* Rows bind only as they scroll into view, and only the cities that changed are replaced:
 * a list of thousands costs what its screen shows. */
static void
rebuild_city_list (AwCityPanel *self)
{
  g_auto(GStrv) cities = _aw_city_panel_get_cities (self);
  GListModel *model = G_LIST_MODEL (self->city_model);
  guint n = g_strv_length (cities);
  guint old_n = g_list_model_get_n_items (model);
  guint prefix = 0, suffix = 0;
  g_autofree char *count = n > 0 ? g_strdup_printf ("%u", n) : NULL;

  while (prefix < MIN (n, old_n)
         && g_strcmp0 (gtk_string_list_get_string (self->city_model, prefix), cities[prefix]) == 0)
    prefix++;
  while (suffix < MIN (n, old_n) - prefix
         && g_strcmp0 (gtk_string_list_get_string (self->city_model, old_n - 1 - suffix),
                       cities[n - 1 - suffix]) == 0)
    suffix++;

  if (prefix + suffix < MAX (n, old_n))
    {
      char *kept = cities[n - suffix];

      /* The changed middle, as a NULL-terminated list of its own. */
      cities[n - suffix] = NULL;
      gtk_string_list_splice (self->city_model, prefix, old_n - prefix - suffix,
                              (const char * const *)cities + prefix);
      cities[n - suffix] = kept;
    }
  refresh_city_rows (self);
  gtk_stack_set_visible_child_name (self->cities_stack, n > 0 ? "list" : "empty");
  gtk_label_set_text (self->city_count, count);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cities.remove-all", n > 0);
  /* Another change than the removal: undoing it would undo that change too. */
  if (self->undo_after != NULL && !g_strv_equal ((const char * const *)self->undo_after,
                                                 (const char * const *)cities))
    forget_undo (self);
}

static guint
add_cities_text (AwCityPanel *self,
                 const char *text,
                 gsize       length)
{
  g_autofree char *rejected = NULL;
  g_autofree char *added = NULL;
  g_autofree char *message = NULL;
  guint n;

  n = aw_city_import_text (self->settings, text, length, AW_CITY_LIST_SEPARATORS, &rejected);
  /* Translators: after a list of cities was pasted or imported */
  added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u city.", "Added %u cities.", n),
                           n);
  message = rejected != NULL ? g_strconcat (added, " ", rejected, NULL) : g_strdup (added);
  set_entry_message_full (self, message, rejected != NULL);
  return n;
}

guint
aw_city_panel_add_cities (AwCityPanel *self,
                         const char *text)
{
  g_return_val_if_fail (AW_IS_CITY_PANEL (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  return add_cities_text (self, text, strlen (text));
}

/* A list pasted or dropped into the entry (typing brings one character at a time) is added
 * name by name instead: the entry itself holds one line of at most 200 characters. */
static void
on_entry_insert_text (GtkEditable *delegate,
                      const char  *text,
                      int          length,
                      int         *position,
                      AwCityPanel  *self)
{
  gsize n = length < 0 ? strlen (text) : (gsize)length;
  gboolean list = FALSE;

  for (gsize i = 0; n > 1 && i < n && !list; i++)
    list = strchr (AW_CITY_LIST_SEPARATORS, text[i]) != NULL && text[i] != '\0';
  if (!list)
    return;
  g_signal_stop_emission_by_name (delegate, "insert-text");
  add_cities_text (self, text, n);
}

static void
add_samples_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  AwCityPanel *self = AW_CITY_PANEL (widget);
  guint wanted = g_variant_get_uint32 (parameter);
  g_auto(GStrv) cities = _aw_city_panel_get_cities (self);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *samples = aw_city_import_get_samples (NULL);
  GString *text = g_string_new (NULL);
  g_autofree char *list = NULL;
  guint n = 0;

  for (guint i = 0; cities[i] != NULL; i++)
    g_hash_table_add (present, g_utf8_casefold (cities[i], -1));
  /* The next sample names not in the list yet: asked again, it adds more. */
  for (guint i = 0; samples[i] != NULL && n < wanted; i++)
    {
      g_autofree char *key = g_utf8_casefold (samples[i], -1);

      if (g_hash_table_contains (present, key))
        continue;
      g_string_append_printf (text, "%s\n", samples[i]);
      n++;
    }
  list = g_string_free (text, FALSE);
  add_cities_text (self, list, strlen (list));
}

static void
on_import_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AwCityPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_entry_message (self, error->message);
      return;
    }
  add_cities_text (self, contents, length);
}

void
aw_city_panel_import (AwCityPanel *self,
                     GFile      *file)
{
  g_autoptr(GFileInfo) info = NULL;

  g_return_if_fail (AW_IS_CITY_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Refused before reading: a large file is no list of cities, and reading it would take
   * the memory of its size. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, NULL);
  if (info != NULL && g_file_info_get_size (info) > MAX_IMPORT_BYTES)
    {
      g_autofree char *message = g_strdup_printf (_("The file is larger than %d MB: it is not "
                                                    "a list of cities"),
                                                  MAX_IMPORT_BYTES / (1024 * 1024));

      set_entry_message (self, message);
      return;
    }
  g_file_load_contents_async (file, NULL, on_import_loaded, g_object_ref (self));
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    AwCityPanel      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      aw_city_panel_import (self, file);
    }
  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AwCityPanel *self = AW_CITY_PANEL (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  GtkRoot *root = gtk_widget_get_root (widget);

  chooser = gtk_file_chooser_native_new (_("Import Cities"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Text files: one city a line, or separated by commas"));
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
aw_city_panel_add_city (AwCityPanel *self,
                       const char *name)
{
  g_autofree char *city = NULL;
  g_auto(GStrv) cities = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (AW_IS_CITY_PANEL (self), FALSE);

  city = aw_city_name_normalize (name);
  if (!aw_city_name_check (city, &error))
    {
      set_entry_message (self, error->message);
      return FALSE;
    }

  cities = _aw_city_panel_get_cities (self);
  for (guint i = 0; cities[i] != NULL; i++)
    {
      g_autofree char *a = g_utf8_casefold (cities[i], -1);
      g_autofree char *b = g_utf8_casefold (city, -1);

      if (g_utf8_collate (a, b) == 0)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is already in the list"), cities[i]);

          set_entry_message (self, message);
          return FALSE;
        }
    }

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **)cities);
  g_strv_builder_add (builder, city);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "cities", (const char * const *)updated);
  set_entry_message (self, NULL);
  return TRUE;
}

static void
on_city_entry_changed (AwCityPanel *self)
{
  set_entry_message (self, NULL);
}

static void
on_city_entry_activate (AwCityPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->city_entry));

  /* "Lyon, Nantes; Nice" typed on one line is a list too. */
  if (strpbrk (text, AW_CITY_LIST_SEPARATORS) != NULL)
    {
      /* Emptied without clearing the message that says what was added. */
      if (aw_city_panel_add_cities (self, text) > 0)
        {
          g_signal_handlers_block_by_func (self->city_entry, on_city_entry_changed, self);
          gtk_editable_set_text (GTK_EDITABLE (self->city_entry), "");
          g_signal_handlers_unblock_by_func (self->city_entry, on_city_entry_changed, self);
        }
    }
  else if (aw_city_panel_add_city (self, text))
    gtk_editable_set_text (GTK_EDITABLE (self->city_entry), "");
}

const char *
aw_city_panel_get_entry_message (AwCityPanel *self)
{
  g_return_val_if_fail (AW_IS_CITY_PANEL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->entry_message)))
    return NULL;
  return gtk_label_get_text (self->entry_message);
}

void
aw_city_panel_focus_entry (AwCityPanel *self)
{
  g_return_if_fail (AW_IS_CITY_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->city_entry));
}

void
aw_city_panel_set_result (AwCityPanel *self,
                         AwTask     *task)
{
  AwCityRow *row;

  g_return_if_fail (AW_IS_CITY_PANEL (self));
  g_return_if_fail (AW_IS_TASK (task));

  g_hash_table_insert (self->results, g_strdup (aw_task_get_city (task)),
                       aw_city_result_new_from_task (task));
  /* Its row shows it now, if on screen: refilling every row at the end of a run of 1000 made
   * that one frame take 40 ms. */
  row = _aw_city_panel_find_row (self, aw_task_get_city (task));
  if (row != NULL)
    {
      GHashTableIter iter;
      gpointer item;

      g_hash_table_iter_init (&iter, self->bound_rows);
      while (g_hash_table_iter_next (&iter, &item, NULL))
        if (gtk_list_item_get_child (item) == GTK_WIDGET (row))
          fill_city_row (self, item);
    }
}

void
aw_city_panel_set_settings (AwCityPanel *self,
                           GSettings  *settings)
{
  g_return_if_fail (AW_IS_CITY_PANEL (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::cities", G_CALLBACK (rebuild_city_list), self,
                           G_CONNECT_SWAPPED);
  rebuild_city_list (self);
}

static void
aw_city_panel_dispose (GObject *object)
{
  AwCityPanel *self = (AwCityPanel *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_CITY_PANEL);
  /* The template's unnamed children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (aw_city_panel_parent_class)->dispose (object);
}

static void
aw_city_panel_finalize (GObject *object)
{
  AwCityPanel *self = (AwCityPanel *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->undo_cities, g_strfreev);
  g_clear_pointer (&self->undo_after, g_strfreev);
  G_OBJECT_CLASS (aw_city_panel_parent_class)->finalize (object);
}

static void
aw_city_panel_class_init (AwCityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aw_city_panel_dispose;
  object_class->finalize = aw_city_panel_finalize;

  /* Said after a removal, for the window to offer Undo. */
  signals[REMOVED] = g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-city-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AwCityPanel, city_count);
  gtk_widget_class_bind_template_child (widget_class, AwCityPanel, city_entry);
  gtk_widget_class_bind_template_child (widget_class, AwCityPanel, entry_message);
  gtk_widget_class_bind_template_child (widget_class, AwCityPanel, cities_stack);
  gtk_widget_class_bind_template_child (widget_class, AwCityPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, AwCityPanel, city_model);
  gtk_widget_class_bind_template_callback (widget_class, on_city_row_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_city_row_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_city_row_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_city_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_city_entry_changed);

  gtk_widget_class_install_action (widget_class, "cities.add-samples", "u", add_samples_action);
  gtk_widget_class_install_action (widget_class, "cities.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "cities.remove-all", NULL, remove_all_action);
  gtk_widget_class_install_action (widget_class, "cities.undo-remove", NULL, undo_remove_action);
  _aw_city_panel_class_init_keys (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "citypanel");
}

static void
aw_city_panel_init (AwCityPanel *self)
{
  GtkLayoutManager *layout;

  /* Before the template: its list view unbinds its rows when disposed. */
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)aw_city_result_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->city_entry)), "insert-text",
                    G_CALLBACK (on_entry_insert_text), self);
  aw_city_import_add_completion (self->city_entry);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cities.undo-remove", FALSE);
}
