/* fuzz-json-scan.c: the strict, bounded pre-scan of every answer, against json-glib
 *
 * Input: the body. Whatever the scan accepts must be JSON json-glib reads without error
 * (the scan is stricter, never laxer), with an object or array at the root, nesting and
 * members within the bounds. The same bytes, as a string, test the plain-decimal check of
 * numeric strings: what it accepts is digits, at most one '-' in front and one '.', and
 * g_ascii_strtod reads all of it to a finite value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

/* Members of every object under @node within the bound (json-glib keeps one per name). */
static void
check_members (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      JsonNode *member;

      fuzz_assert (json_object_get_size (object) <= AW_JSON_MAX_MEMBERS);
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, NULL, &member))
        check_members (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      fuzz_assert (json_array_get_length (array) <= AW_JSON_MAX_TOKENS);
      for (guint i = 0; i < json_array_get_length (array); i++)
        check_members (json_array_get_element (array, i));
    }
}

static void
check_plain_decimal (const uint8_t *data,
                     size_t         size)
{
  g_autofree char *text = g_strndup ((const char *)data, MIN (size, 64));
  gboolean dot = FALSE;
  char *end = NULL;
  double value;

  if (!aw_json_is_plain_decimal (text))
    return;

  fuzz_assert (*text != '\0');
  fuzz_assert (strlen (text) <= AW_JSON_MAX_NUMBER_CHARS);
  for (const char *p = text; *p; p++)
    {
      if (*p == '-')
        fuzz_assert (p == text && g_ascii_isdigit (p[1]));
      else if (*p == '.')
        {
          fuzz_assert (!dot && p > text && g_ascii_isdigit (p[-1]) && g_ascii_isdigit (p[1]));
          dot = TRUE;
        }
      else
        fuzz_assert (g_ascii_isdigit (*p));
    }
  /* no leading zero: "0" and "0.5" are numbers, "012" is octal to some readers */
  {
    const char *digits = text + (*text == '-');

    fuzz_assert (digits[0] != '0' || digits[1] == '\0' || digits[1] == '.');
  }
  value = g_ascii_strtod (text, &end);
  fuzz_assert (end != NULL && *end == '\0');
  fuzz_assert (isfinite (value));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of its own: ASan sees any read past the end. */
  g_autofree char *copy = g_memdup2 (data, size);
  AwJsonScan scan = aw_json_scan (copy, size);

  fuzz_assert (scan >= AW_JSON_SCAN_OK && scan <= AW_JSON_SCAN_INEXACT_NUMBER);
  check_plain_decimal (data, size);

  if (scan == AW_JSON_SCAN_OK && g_utf8_validate_len (copy, size, NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;
      JsonNode *root;

      if (!json_parser_load_from_data (parser, copy, size, &error))
        {
          g_printerr ("json-glib refused what the scan accepted: %s\n", error->message);
          fuzz_assert (!"accepted JSON json-glib refuses");
        }
      root = json_parser_get_root (parser);
      fuzz_assert (root != NULL);
      fuzz_assert (JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root));
      fuzz_assert (fuzz_json_depth (root, AW_JSON_MAX_DEPTH + 1) <= AW_JSON_MAX_DEPTH);
      check_members (root);
    }
  return 0;
}
