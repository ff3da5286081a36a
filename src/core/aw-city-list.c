/* aw-city-list.c: many city names at once: split, checked one by one, without duplicates
 *
 * Text from a clipboard or a file is untrusted: any bytes, any length. Each piece is checked
 * as one typed name would be; a bad one is reported with its reason and the rest still count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-city-list.h"
#include "aw-provider.h"
#include "aw-text.h"

/* Rejected names shown in a message; the others are counted. */
#define SHOWN_REJECTED 5
/* A rejected name is quoted up to this many characters. */
#define QUOTED_CHARS 40

static char *
fold (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT);

  return g_utf8_casefold (normalized != NULL ? normalized : name, -1);
}

/* The start of a piece as it can be shown: valid text, controls and invisible characters
 * visible, cut to a length. */
static char *
quotable (const char *piece,
          gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (piece, length);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == QUOTED_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      /* A control shows as its escape (\t for a tab): fonts have no glyph for it. */
      if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02X", c);
      /* So does what would be invisible, or turn the text around (U+202E). */
      else if (aw_text_is_unsafe_char (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
reject (AwCityList *self,
        const char *piece,
        gsize       length,
        const char *reason)
{
  g_ptr_array_add (self->rejected, quotable (piece, length));
  g_ptr_array_add (self->reasons, g_strdup (reason));
}

AwCityList *
aw_city_list_parse (const char         *text,
                    gsize               length,
                    const char         *separators,
                    const char * const *existing)
{
  AwCityList *self = g_new0 (AwCityList, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *end = text + length;
  const char *p = text;
  guint n_existing = 0;
  gsize n_separators;

  g_return_val_if_fail (text != NULL || length == 0, self);
  g_return_val_if_fail (separators != NULL, self);

  n_separators = strlen (separators);
  self->accepted = g_ptr_array_new_with_free_func (g_free);
  self->rejected = g_ptr_array_new_with_free_func (g_free);
  self->reasons = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; existing != NULL && existing[i] != NULL; i++, n_existing++)
    g_hash_table_add (seen, fold (existing[i]));

  /* A byte-order mark from a text editor is not part of the first name. */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *stop = p;
      g_autofree char *piece = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GError) error = NULL;

      /* Separators are ASCII: splitting at their bytes never cuts a UTF-8 character. */
      /* memchr, not strchr: strchr finds a NUL byte in any string, as its end. */
      while (stop < end && memchr (separators, *stop, n_separators) == NULL)
        stop++;
      /* A NUL byte ends nothing here: it makes its piece invalid. */
      piece = g_strndup (p, stop - p);
      if (memchr (p, '\0', stop - p) != NULL)
        reject (self, p, stop - p, _("it contains a NUL byte"));
      else
        {
          name = aw_city_name_normalize (piece);
          /* Blank pieces (between "\r\n", after a last comma) and comments are no names. */
          if (*name == '\0' || name[0] == '#')
            {
            }
          else if (!aw_city_name_check (name, &error))
            reject (self, name, strlen (name), error->message);
          else
            {
              g_autofree char *key = fold (name);

              if (g_hash_table_contains (seen, key))
                reject (self, name, strlen (name), _("already in the list"));
              else if (n_existing + self->accepted->len >= AW_MAX_CITIES)
                {
                  g_autofree char *reason = g_strdup_printf (_("the list holds at most %d cities"),
                                                             AW_MAX_CITIES);

                  reject (self, name, strlen (name), reason);
                }
              else
                {
                  g_hash_table_add (seen, g_steal_pointer (&key));
                  g_ptr_array_add (self->accepted, g_steal_pointer (&name));
                }
            }
        }
      p = stop + 1;
    }
  return self;
}

char *
aw_city_list_describe_rejected (AwCityList *self)
{
  GString *text;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);

  n = self->rejected->len;
  if (n == 0)
    return NULL;
  text = g_string_new (NULL);
  /* Translators: followed by the names that were not added, each with its reason */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u not added:", "%u not added:", n),
                          n);
  for (guint i = 0; i < MIN (n, SHOWN_REJECTED); i++)
    /* Translators: a name that was not added, and why */
    g_string_append_printf (text, _("\n“%s”: %s"),
                            (char *)g_ptr_array_index (self->rejected, i),
                            (char *)g_ptr_array_index (self->reasons, i));
  if (n > SHOWN_REJECTED)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "\nand %u more", "\nand %u more",
                                               n - SHOWN_REJECTED),
                            n - SHOWN_REJECTED);
  return g_string_free (text, FALSE);
}

void
aw_city_list_free (AwCityList *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->accepted, g_ptr_array_unref);
  g_clear_pointer (&self->rejected, g_ptr_array_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  g_free (self);
}
