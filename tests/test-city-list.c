/* test-city-list.c: lists of city names from a clipboard or a file, bytes as they come
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-city-list.h"
#include "aw-provider.h"

static AwCityList *
parse (const char         *text,
       gsize               length,
       const char * const *existing)
{
  return aw_city_list_parse (text, length, AW_CITY_LIST_SEPARATORS, existing);
}

static void
assert_accepted (AwCityList         *list,
                 const char * const *expected)
{
  g_assert_cmpuint (list->accepted->len, ==, g_strv_length ((GStrv)expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (list->accepted, i), ==, expected[i]);
}

/* Lines (LF, CRLF, CR), commas and semicolons; blanks, comments and a BOM skipped. */
static void
test_separators (void)
{
  static const char text[] = "\xef\xbb\xbf" "Lyon\r\nNantes\rNice\n\n  Brest , Rennes;;Metz;\n"
                             "# a comment\n  \t \n";
  g_autoptr(AwCityList) list = parse (text, sizeof text - 1, NULL);

  assert_accepted (list, (const char *[]) { "Lyon", "Nantes", "Nice", "Brest", "Rennes", "Metz",
                                            NULL });
  g_assert_cmpuint (list->rejected->len, ==, 0);
  g_assert_null (aw_city_list_describe_rejected (list));
}

/* Bad names are reported, each with its reason, shown safely; the good ones still count. */
static void
test_rejected (void)
{
  static const char text[] = "Paris\nBad\tname\nOk\x01\nNUL\0byte\n\xff\xfe\nparis\nPARIS\nLille";
  g_autoptr(AwCityList) list = parse (text, sizeof text - 1, (const char *[]) { "Lille", NULL });
  g_autofree char *message = NULL;

  assert_accepted (list, (const char *[]) { "Paris", NULL });
  g_assert_cmpuint (list->rejected->len, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (list->rejected, 0), ==, "Bad\\tname");
  g_assert_cmpstr (g_ptr_array_index (list->rejected, 1), ==, "Ok\\x01");
  g_assert_cmpstr (g_ptr_array_index (list->reasons, 2), ==, "it contains a NUL byte");
  /* Invalid UTF-8 shows as replacement characters, never as the bytes. */
  g_assert_true (g_utf8_validate (g_ptr_array_index (list->rejected, 3), -1, NULL));
  g_assert_cmpstr (g_ptr_array_index (list->reasons, 4), ==, "already in the list");
  g_assert_cmpstr (g_ptr_array_index (list->reasons, 5), ==, "already in the list");
  g_assert_cmpstr (g_ptr_array_index (list->rejected, 6), ==, "Lille");

  message = aw_city_list_describe_rejected (list);
  g_assert_true (g_str_has_prefix (message, "7 not added:\n“Bad\\tname”: "));
  g_assert_true (g_str_has_suffix (message, "\nand 2 more"));
}

/* A long name is quoted short; a list stops at AW_MAX_CITIES, existing ones included. */
static void
test_limits (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(AwCityList) list = NULL;
  g_autofree char *huge = g_strnfill (300, 'x');

  g_string_append_printf (text, "%s\n", huge);
  for (guint i = 0; i < AW_MAX_CITIES + 10; i++)
    g_string_append_printf (text, "City %u\n", i);
  list = parse (text->str, text->len, (const char *[]) { "Existing", NULL });
  g_assert_cmpuint (list->accepted->len, ==, AW_MAX_CITIES - 1);
  g_assert_cmpuint (list->rejected->len, ==, 1 + 11);
  g_assert_cmpuint (g_utf8_strlen (g_ptr_array_index (list->rejected, 0), -1), <=, 41);
  g_assert_nonnull (strstr (g_ptr_array_index (list->reasons, 1), "at most"));
}

/* One name a line: commas belong to the name. */
static void
test_lines_only (void)
{
  static const char text[] = "Washington, D.C.\nSaint-Denis; Réunion\n";
  g_autoptr(AwCityList) list = aw_city_list_parse (text, sizeof text - 1, AW_CITY_LIST_LINES,
                                                   NULL);

  assert_accepted (list, (const char *[]) { "Washington, D.C.", "Saint-Denis; Réunion", NULL });
}

/* Random bytes never crash it, and whatever it accepts or quotes is valid text. */
static void
test_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);

  for (guint round = 0; round < 200; round++)
    {
      guint length = g_rand_int_range (rand, 0, 2000);
      g_autofree guchar *bytes = g_malloc (length + 1);
      g_autoptr(AwCityList) list = NULL;
      g_autofree char *message = NULL;

      for (guint i = 0; i < length; i++)
        bytes[i] = g_rand_int_range (rand, 0, 4) == 0 ? "\n,;\r"[g_rand_int_range (rand, 0, 4)]
                                                      : g_rand_int_range (rand, 0, 256);
      list = parse ((const char *)bytes, length, NULL);
      for (guint i = 0; i < list->accepted->len; i++)
        g_assert_true (g_utf8_validate (g_ptr_array_index (list->accepted, i), -1, NULL));
      for (guint i = 0; i < list->rejected->len; i++)
        g_assert_true (g_utf8_validate (g_ptr_array_index (list->rejected, i), -1, NULL));
      message = aw_city_list_describe_rejected (list);
      g_assert_true (message == NULL || g_utf8_validate (message, -1, NULL));
    }
}

/* A name that would show other than it is fetched is refused: a byte-order mark inside it, a
 * direction override, a zero-width space. Names in any script still pass. */
static void
test_invisible (void)
{
  const char *refused[] = { "\xef\xbb\xbfParis", "Par\u202eis", "Li\u200bma", "Nice\u2066", NULL };
  const char *accepted[] = { "São Paulo", "北京", "Saint-Étienne", "Ålesund", NULL };

  for (guint i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (aw_city_name_check (refused[i], &error));
      g_assert_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY);
    }
  for (guint i = 0; accepted[i] != NULL; i++)
    g_assert_true (aw_city_name_check (accepted[i], NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/city-list/separators", test_separators);
  g_test_add_func ("/city-list/rejected", test_rejected);
  g_test_add_func ("/city-list/limits", test_limits);
  g_test_add_func ("/city-list/lines-only", test_lines_only);
  g_test_add_func ("/city-list/random-bytes", test_random_bytes);
  g_test_add_func ("/city-list/invisible", test_invisible);
  return g_test_run ();
}
