/* aw-text.c: the one sanitiser for every string from outside (a service's text, a city's
 * resolved name, error messages that quote headers) before anyone shows it
 *
 * A terminal obeys ESC, BEL and OSC sequences (colours, titles, hyperlinks); bidirectional
 * controls reorder what the reader sees ("Sunny" shown as something else); zero-width
 * characters hide differences; line and paragraph separators break one row into several.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-text.h"

/* Removed: they have no look of their own, and what they do is the attack. */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x061c                       /* Arabic letter mark */
         || c == 0x180e                    /* Mongolian vowel separator */
         || (c >= 0x200b && c <= 0x200f)   /* zero-width space, (non-)joiner, LRM, RLM */
         || (c >= 0x202a && c <= 0x202e)   /* embeddings and overrides */
         || (c >= 0x2060 && c <= 0x206f)   /* word joiner, invisible operators, isolates */
         || c == 0xfeff                    /* zero-width no-break space */
         || (c >= 0xfff9 && c <= 0xfffb);  /* interlinear annotations */
}

/* Become a space: they only break or space the text. */
static gboolean
is_break (gunichar c)
{
  return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
         || c == 0x85 || c == 0x2028 || c == 0x2029;
}

gboolean
aw_text_is_unsafe_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || is_break (c) || is_invisible (c);
}

char *
aw_text_sanitize (const char *text,
                  gssize      len)
{
  g_autofree char *valid = NULL;
  GString *clean;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  /* NUL bytes within @len are not text either: U+FFFD, like any invalid byte. */
  valid = g_utf8_make_valid (text ? text : "", len);
  clean = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_break (c))
        g_string_append_c (clean, ' ');
      else if (c < 0x20)
        g_string_append_unichar (clean, 0x2400 + c);   /* ␀ … ␟: ESC shows as ␛ */
      else if (c == 0x7f)
        g_string_append_unichar (clean, 0x2421);       /* ␡ */
      else if (c >= 0x80 && c <= 0x9f)
        g_string_append_unichar (clean, 0xfffd);
      else if (!is_invisible (c))
        g_string_append_len (clean, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (clean, FALSE);
}
