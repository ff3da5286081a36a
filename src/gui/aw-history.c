/* aw-history.c: the runs of earlier sessions, kept in a small JSON file under the user's
 * data directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "aw-history.h"

char *
aw_history_get_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "async-weather", "history.json", NULL);
}

GPtrArray *
aw_history_load (char **notice)
{
  g_autofree char *path = aw_history_get_path ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  g_return_val_if_fail (notice != NULL, NULL);

  *notice = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        *notice = g_strdup_printf (_("The history of earlier runs could not be read (%s): it "
                                     "starts afresh."), error->message);
      return g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
    }
  records = aw_run_record_list_from_json (text, &error);
  if (records == NULL)
    {
      *notice = g_strdup_printf (_("The history of earlier runs in %s is damaged and was "
                                   "ignored: it starts afresh."), path);
      return g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
    }
  return records;
}

gboolean
aw_history_save (GPtrArray  *records,
                 GError    **error)
{
  g_autofree char *path = aw_history_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) newest = g_ptr_array_new ();

  g_return_val_if_fail (records != NULL, FALSE);

  for (guint i = records->len > AW_HISTORY_MAX_RUNS ? records->len - AW_HISTORY_MAX_RUNS : 0;
       i < records->len; i++)
    g_ptr_array_add (newest, g_ptr_array_index (records, i));
  text = aw_run_record_list_to_json (newest);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Written beside and renamed over the old file. */
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
