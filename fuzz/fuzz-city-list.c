/* fuzz-city-list.c: lists of city names as a clipboard or a file brings them
 *
 * Input: any bytes, NUL included; the first byte picks the separators (lines, or lines,
 * commas and semicolons) and whether a list of cities is there already. Every accepted name
 * passes aw_city_name_check() and is there once (case-insensitively, with the existing ones);
 * every rejected one has a reason; all of it is valid text without control characters that
 * the window can show; at most AW_MAX_CITIES in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-city-list.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const existing[] = { "Paris", "Toulouse", "Marseille", NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(AwCityList) list = NULL;
  g_autofree char *message = NULL;
  guint8 selector;

  if (size == 0)
    return 0;
  selector = data[0];
  list = aw_city_list_parse ((const char *)data + 1, size - 1,
                             selector & 1 ? AW_CITY_LIST_SEPARATORS : AW_CITY_LIST_LINES,
                             selector & 2 ? existing : NULL);

  fuzz_assert (list->rejected->len == list->reasons->len);
  fuzz_assert (list->accepted->len + (selector & 2 ? 3 : 0) <= AW_MAX_CITIES);
  for (guint i = 0; existing[i] != NULL && (selector & 2); i++)
    g_hash_table_add (seen, g_utf8_casefold (existing[i], -1));
  for (guint i = 0; i < list->accepted->len; i++)
    {
      const char *name = g_ptr_array_index (list->accepted, i);
      g_autofree char *folded = NULL;

      fuzz_assert (aw_city_name_check (name, NULL));
      fuzz_check_text (name, FUZZ_MAX_TEXT_CHARS);
      folded = g_utf8_casefold (name, -1);
      /* Once, whatever its case (the parser also folds the normalized form). */
      fuzz_assert (!g_hash_table_contains (seen, folded));
      g_hash_table_add (seen, g_steal_pointer (&folded));
    }
  for (guint i = 0; i < list->rejected->len; i++)
    {
      fuzz_check_text (g_ptr_array_index (list->rejected, i), 41 * 6);
      fuzz_check_text (g_ptr_array_index (list->reasons, i), 200);
    }
  message = aw_city_list_describe_rejected (list);
  fuzz_assert ((message == NULL) == (list->rejected->len == 0));
  fuzz_assert (message == NULL || g_utf8_validate (message, -1, NULL));
  return 0;
}
