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

/* Saves run on a worker thread, one at a time, in the order asked; a load waits for those
 * asked before it, so that a second window reads what the first has saved. */
static GMutex lock;
static GCond saved;
static guint pending;
static guint64 asked;     /* the number of the last save asked for */
static guint64 written;   /* the number of the save the file holds */

void
aw_history_wait (void)
{
  g_mutex_lock (&lock);
  while (pending > 0)
    g_cond_wait (&saved, &lock);
  g_mutex_unlock (&lock);
}

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

  aw_history_wait ();
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

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GPtrArray *records = task_data;
  guint64 number = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "number"));
  GError *error = NULL;
  gboolean ok = TRUE;

  g_mutex_lock (&lock);
  /* A later save may have run first: the file keeps the newest. */
  if (number > written)
    {
      ok = aw_history_save (records, &error);
      written = number;
    }
  pending--;
  g_cond_broadcast (&saved);
  g_mutex_unlock (&lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
aw_history_save_async (GPtrArray           *records,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copies;

  g_return_if_fail (records != NULL);

  /* Copies: the caller's records may go while the thread writes (their tasks are ended, and
   * only read). */
  copies = g_ptr_array_new_with_free_func ((GDestroyNotify)aw_run_record_free);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (copies, aw_run_record_copy (g_ptr_array_index (records, i)));

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, aw_history_save_async);
  g_task_set_task_data (task, copies, (GDestroyNotify)g_ptr_array_unref);
  g_mutex_lock (&lock);
  pending++;
  g_object_set_data (G_OBJECT (task), "number", GSIZE_TO_POINTER (++asked));
  g_mutex_unlock (&lock);
  /* GTask's pool may run two at once: the lock takes them one at a time. */
  g_task_run_in_thread (task, save_in_thread);
}

gboolean
aw_history_save_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
