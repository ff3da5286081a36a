/* test-json-attacks.h: hostile JSON bodies that the tests of the parser and of the engine
 * share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* json-glib keys each object's members by g_str_hash (djb2: h = h * 33 + c). "Ez", "FY" and
 * "G8" add the same to any hash (69·33 + 122 = 70·33 + 89 = 71·33 + 56), so names built of
 * @blocks such pairs share one hash: 3^blocks of them. The @index-th, after @prefix. */
static inline void
append_colliding_name (GString    *out,
                       const char *prefix,
                       guint       blocks,
                       guint       index)
{
  static const char * const pairs[] = { "Ez", "FY", "G8" };

  g_string_append_c (out, '"');
  g_string_append (out, prefix);
  for (guint i = 0; i < blocks; i++, index /= 3)
    g_string_append (out, pairs[index % 3]);
  g_string_append_c (out, '"');
}

/* A weather answer (tmp 12) with @n_objects extra objects of @n_members members each, names
 * colliding (or, with @collide FALSE, of the same length but distinct hashes), then an array
 * of strings that pads it to @size bytes, when there is room. */
static inline GString *
colliding_answer (guint       n_objects,
                  guint       n_members,
                  const char *prefix,
                  gboolean    collide,
                  gsize       size)
{
  GString *out = g_string_new ("{\"current_condition\":{\"tmp\":12,\"condition\":\"Soleil\"}");
  guint blocks = 1;

  for (guint n = 3; n < n_members; n *= 3)
    blocks++;
  for (guint o = 0; o < n_objects; o++)
    {
      g_string_append_printf (out, ",\"o%u\":{", o);
      for (guint m = 0; m < n_members; m++)
        {
          if (m > 0)
            g_string_append_c (out, ',');
          if (collide)
            append_colliding_name (out, prefix, blocks, m);
          else
            {
              /* same length, hashes that differ */
              gsize at = out->len;

              append_colliding_name (out, prefix, blocks, 0);
              g_snprintf (out->str + at + 1 + strlen (prefix), 2 * blocks + 1, "%0*u",
                          (int)(2 * blocks), m);
              out->str[at + 1 + strlen (prefix) + 2 * blocks] = '"';
            }
          g_string_append (out, ":0");
        }
      g_string_append_c (out, '}');
    }
  /* dense padding, as a real answer is: short strings (no object, so no more members) */
  if (out->len + 40 < size)
    {
      g_string_append (out, ",\"pad\":[\"padding\"");
      while (out->len + 31 < size)
        g_string_append (out, ",\"padding-padding-padding\"");
      g_string_append (out, ",\"");
      while (out->len + 3 < size)
        g_string_append_c (out, 'x');
      g_string_append (out, "\"]");
    }
  g_string_append_c (out, '}');
  return out;
}
