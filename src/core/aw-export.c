/* aw-export.c: a finished run as HAR 1.2, Chrome trace-event JSON or CSV (the formats are in
 * aw-export-json.c and aw-export-csv.c), and the one safe writer every export (the CLI's and
 * the window's, the chart's PNG too) goes through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#ifdef G_OS_WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "aw-export.h"
#include "aw-export-private.h"

/* As the kernel does (Linux's MAXSYMLINKS). */
#define MAX_SYMLINKS 40

char *
aw_export_runs_to_string (AwFetchRun     **runs,
                          guint            n_runs,
                          AwExportFormat   format)
{
  g_return_val_if_fail (runs != NULL && n_runs > 0, NULL);
  for (guint i = 0; i < n_runs; i++)
    {
      g_return_val_if_fail (AW_IS_FETCH_RUN (runs[i]), NULL);
      g_return_val_if_fail (aw_fetch_run_is_finished (runs[i]), NULL);
    }

  switch (format)
    {
    case AW_EXPORT_HAR:
      return aw_export_har (runs, n_runs);

    case AW_EXPORT_TRACE:
      return aw_export_trace (runs, n_runs);

    case AW_EXPORT_CSV:
      return aw_export_csv (runs, n_runs);

    default:
      g_return_val_if_reached (NULL);
    }
}

char *
aw_export_to_string (AwFetchRun     *run,
                     AwExportFormat  format)
{
  g_return_val_if_fail (AW_IS_FETCH_RUN (run), NULL);
  return aw_export_runs_to_string (&run, 1, format);
}

/* Standard output, checked: a full disk or a closed pipe is an error, not a silent loss. */
static gboolean
write_stdout (const char  *data,
              gsize        size,
              GError     **error)
{
#ifdef G_OS_WIN32
  /* The bytes as they are: text mode would turn the CSV's CR LF into CR CR LF. */
  fflush (stdout);
  _setmode (_fileno (stdout), _O_BINARY);
#endif
  if (fwrite (data, 1, size, stdout) == size && fflush (stdout) == 0)
    return TRUE;

  {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not write to standard output: %s"), g_strerror (saved_errno));
  }
  return FALSE;
}

/* What writing to @file would change: its real location, every symbolic link on its path
 * followed as the kernel would (GIO's own joining of "../" is by name, which a linked folder
 * fools), found with GFileInfo so that it works wherever GIO does. A missing file is a new one. */
static GFile *
resolve_links (GFile   *file,
               guint   *hops,
               GError **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) real_parent = NULL;
  g_autoptr(GFile) current = NULL;
  g_autoptr(GFile) next = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  const char *target;

  if (parent == NULL)
    return g_object_ref (file);
  real_parent = resolve_links (parent, hops, error);
  if (real_parent == NULL)
    return NULL;
  base = g_file_get_basename (file);
  current = g_file_get_child (real_parent, base);

  info = g_file_query_info (current,
                            G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK ","
                            G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (info == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return g_steal_pointer (&current);
  if (info == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  target = g_file_info_get_symlink_target (info);
  if (!g_file_info_get_is_symlink (info) || target == NULL)
    return g_steal_pointer (&current);

  if (++*hops > MAX_SYMLINKS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                           _("Too many levels of symbolic links"));
      return NULL;
    }
  next = g_file_resolve_relative_path (real_parent, target);
  return resolve_links (next, hops, error);
}

static const char *
file_id (GFileInfo *info)
{
  return info ? g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ID_FILE) : NULL;
}

/**
 * aw_export_write:
 * @file: (nullable): where to write, or %NULL for standard output
 *
 * The one way an export reaches a file. It writes only a regular file: a new one, or an
 * existing one that it replaces atomically (GIO writes a temporary file beside it and renames
 * it over the old one, keeping its owner and mode; a file with several hard links is rewritten
 * in place, so that they stay one file). Devices, pipes, sockets and directories are
 * refused with an error, so that an export onto /dev/full or a FIFO neither blocks nor replaces
 * the node. A symbolic link is followed to its target, which is written; the link stays.
 */
gboolean
aw_export_write (GFile       *file,
                 const char  *data,
                 gsize        size,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInfo) target_info = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *name = NULL;
  guint hops = 0;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  if (file == NULL)
    return write_stdout (data, size, error);

  /* What the name leads to, links followed: only a regular file (or nothing yet) will do. */
  name = g_file_get_parse_name (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ID_FILE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* A link that leads nowhere yet: its target will be a new file. */
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_SYMBOLIC_LINK)
    g_clear_object (&info);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder: an export is written to a file"), name);
      return FALSE;
    }
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file (a device, a pipe or a socket): an export is "
                     "written only to a regular file, or to “-” for standard output"), name);
      return FALSE;
    }

  /* Replace the link's target in its own folder, never the link. */
  target = resolve_links (file, &hops, error);
  if (target == NULL)
    return FALSE;
  if (info != NULL && !g_file_equal (target, file))
    {
      /* Both names must be one file, or the export would go elsewhere than the link leads. */
      target_info = g_file_query_info (target, G_FILE_ATTRIBUTE_ID_FILE,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      if (g_strcmp0 (file_id (info), file_id (target_info)) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not follow the symbolic links of “%s”"), name);
          return FALSE;
        }
    }

  return g_file_replace_contents (target, data, size, NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}

gboolean
aw_export_to_file (AwFetchRun      *run,
                   AwExportFormat   format,
                   const char      *path,
                   GError         **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (AW_IS_FETCH_RUN (run), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = aw_export_to_string (run, format);
  if (!g_str_equal (path, "-"))
    file = g_file_new_for_path (path);
  return aw_export_write (file, text, strlen (text), error);
}

gboolean
aw_export_runs_to_file (AwFetchRun     **runs,
                        guint            n_runs,
                        AwExportFormat   format,
                        const char      *path,
                        GError         **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (n_runs == 1)
    return aw_export_to_file (runs[0], format, path, error);
  text = aw_export_runs_to_string (runs, n_runs, format);
  g_return_val_if_fail (text != NULL, FALSE);
  return g_file_set_contents (path, text, -1, error);
}
