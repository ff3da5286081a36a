/* aw-about-window.c: the About window (AdwAboutWindow), with the newest release's notes
 * read from the metainfo that the software centres show, so that the two never disagree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "aw-about-window.h"

#define METAINFO_RESOURCE "/io/github/asyncweather/AsyncWeather/metainfo.xml"

typedef struct
{
  GString *notes;
  char    *version;
  int      depth_in_description;  /* > 0 inside the first release's <description> */
  gboolean done;
} Parser;

static void
on_start (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              user_data,
          GError              **error)
{
  Parser *parser = user_data;

  if (parser->done)
    return;
  if (g_str_equal (element, "release") && parser->version == NULL)
    {
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "version"))
          parser->version = g_strdup (values[i]);
      return;
    }
  if (parser->version == NULL)
    return;
  if (parser->depth_in_description > 0)
    {
      /* Only the markup AdwAboutWindow knows, without attributes. */
      if (g_strv_contains ((const char *[]) { "p", "ul", "ol", "li", "em", "code", NULL },
                           element))
        g_string_append_printf (parser->notes, "<%s>", element);
      parser->depth_in_description++;
    }
  else if (g_str_equal (element, "description"))
    parser->depth_in_description = 1;
}

static void
on_end (GMarkupParseContext  *context,
        const char           *element,
        gpointer              user_data,
        GError              **error)
{
  Parser *parser = user_data;

  if (parser->done || parser->depth_in_description == 0)
    return;
  parser->depth_in_description--;
  if (parser->depth_in_description == 0)
    parser->done = TRUE;
  else if (g_strv_contains ((const char *[]) { "p", "ul", "ol", "li", "em", "code", NULL },
                            element))
    g_string_append_printf (parser->notes, "</%s>", element);
}

static void
on_text (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  Parser *parser = user_data;
  g_autofree char *escaped = NULL;

  if (parser->done || parser->depth_in_description == 0)
    return;
  escaped = g_markup_escape_text (text, length);
  g_string_append (parser->notes, escaped);
}

gboolean
aw_about_parse_release_notes (const char  *xml,
                              char       **version,
                              char       **notes)
{
  static const GMarkupParser callbacks = { on_start, on_end, on_text, NULL, NULL };
  Parser parser = { g_string_new (NULL), NULL, 0, FALSE };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (xml != NULL, FALSE);

  context = g_markup_parse_context_new (&callbacks, 0, &parser, NULL);
  if (!g_markup_parse_context_parse (context, xml, -1, NULL) || !parser.done)
    {
      g_string_free (parser.notes, TRUE);
      g_free (parser.version);
      return FALSE;
    }
  /* The file's indentation is no part of the text. */
  text = g_string_free (parser.notes, FALSE);
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_strstrip (lines[i]);
    *notes = g_strjoinv ("", lines);
  }
  *version = parser.version;
  return TRUE;
}

void
aw_about_window_present (GtkWindow *parent)
{
  static const char *developers[] = { "Async Weather developers", NULL };
  g_autoptr(GBytes) metainfo = g_resources_lookup_data (METAINFO_RESOURCE, 0, NULL);
  g_autofree char *version = NULL;
  g_autofree char *notes = NULL;
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-icon", APP_ID,
                        "application-name", _("Async Weather"),
                        "developer-name", _("Async Weather developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("See asynchronous I/O at work: sequential, concurrent "
                                      "and parallel requests, timed phase by phase."),
                        "website", "https://github.com/asyncweather/async-weather",
                        "issue-url", "https://github.com/asyncweather/async-weather/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  if (metainfo != NULL
      && aw_about_parse_release_notes (g_bytes_get_data (metainfo, NULL), &version, &notes))
    {
      adw_about_window_set_release_notes_version (ADW_ABOUT_WINDOW (about), version);
      adw_about_window_set_release_notes (ADW_ABOUT_WINDOW (about), notes);
    }
  gtk_widget_set_name (about, "about");
  gtk_window_present (GTK_WINDOW (about));
}
