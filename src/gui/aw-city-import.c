/* aw-city-import.c: many cities at once for the window: a pasted list, a file, samples
 *
 * The sample place names come from libgweather's location database (the one GNOME Weather
 * uses), extracted by build-aux/make-sample-cities.py into data/sample-cities.txt and built
 * into the resources.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-city-import.h"
#include "aw-city-list.h"

#define SAMPLES_RESOURCE "/io/github/asyncweather/AsyncWeather/sample-cities.txt"

guint
aw_city_import_text (GSettings   *settings,
                     const char  *text,
                     gsize        length,
                     const char  *separators,
                     char       **message)
{
  g_auto(GStrv) cities = g_settings_get_strv (settings, "cities");
  g_autoptr(AwCityList) list = aw_city_list_parse (text, length, separators,
                                                   (const char * const *)cities);
  guint n_added = list->accepted->len;

  g_return_val_if_fail (G_IS_SETTINGS (settings), 0);

  if (message != NULL)
    *message = aw_city_list_describe_rejected (list);
  if (n_added > 0)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) updated = NULL;

      g_strv_builder_addv (builder, (const char **)cities);
      for (guint i = 0; i < n_added; i++)
        g_strv_builder_add (builder, g_ptr_array_index (list->accepted, i));
      updated = g_strv_builder_end (builder);
      g_settings_set_strv (settings, "cities", (const char * const *)updated);
    }
  return n_added;
}

const char * const *
aw_city_import_get_samples (guint *n_samples)
{
  static GStrv samples;
  static guint n;

  if (g_once_init_enter (&samples))
    {
      g_autoptr(GBytes) bytes = g_resources_lookup_data (SAMPLES_RESOURCE,
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autoptr(AwCityList) list = NULL;
      GStrv names;

      g_assert (bytes != NULL);
      list = aw_city_list_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 AW_CITY_LIST_LINES, NULL);
      g_ptr_array_add (list->accepted, NULL);
      n = list->accepted->len - 1;
      names = (GStrv)g_ptr_array_steal (list->accepted, NULL);
      g_once_init_leave (&samples, names);
    }
  if (n_samples != NULL)
    *n_samples = n;
  return (const char * const *)samples;
}

/* Names that start with what was typed, or have a word that does ("york" finds New York). */
static gboolean
match_name (GtkEntryCompletion *completion,
            const char         *key,
            GtkTreeIter        *iter,
            gpointer            user_data)
{
  GtkTreeModel *model = gtk_entry_completion_get_model (completion);
  g_autofree char *name = NULL;
  g_autofree char *folded = NULL;
  const char *found;

  gtk_tree_model_get (model, iter, 0, &name, -1);
  folded = g_utf8_casefold (name, -1);
  /* The key arrives normalized and case-folded already. */
  found = strstr (folded, key);
  return found != NULL && (found == folded || found[-1] == ' ' || found[-1] == '-');
}

void
aw_city_import_add_completion (GtkEntry *entry)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();
  g_autoptr(GtkListStore) store = gtk_list_store_new (1, G_TYPE_STRING);
  const char * const *samples = aw_city_import_get_samples (NULL);

  g_return_if_fail (GTK_IS_ENTRY (entry));

  for (guint i = 0; samples[i] != NULL; i++)
    gtk_list_store_insert_with_values (store, NULL, -1, 0, samples[i], -1);
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_minimum_key_length (completion, 2);
  gtk_entry_completion_set_match_func (completion, match_name, NULL, NULL);
  gtk_entry_completion_set_popup_set_width (completion, TRUE);
  gtk_entry_set_completion (entry, completion);
  G_GNUC_END_IGNORE_DEPRECATIONS
}
