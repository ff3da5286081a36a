/* fuzz-city-uri.c: city names as a person types them (or a saved list holds them), turned
 * into the request URI of each provider
 *
 * Input: the name, up to the first NUL byte; not necessarily valid UTF-8. A name is either
 * refused with BAD_CITY before any request, or it becomes exactly one path segment (prevision,
 * demo) or one query value (Open-Meteo) that decodes back to the name: nothing in it may add
 * a segment, a query, a fragment, or change the host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "fuzz-common.h"

#define DEMO_BASE "http://127.0.0.1:8080/base/"

static AwProvider *prevision;
static AwProvider *demo;
static AwProvider *open_meteo;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  prevision = aw_provider_new_for_name ("prevision", NULL, NULL);
  demo = aw_provider_new_for_name ("demo", DEMO_BASE, NULL);
  open_meteo = aw_provider_new_for_name ("open-meteo", NULL, NULL);
  fuzz_assert (prevision != NULL && demo != NULL && open_meteo != NULL);
  return 0;
}

/* Escaped as one segment or one value: unreserved characters and %XX only. */
static void
check_escaped (const char *text,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '%')
        {
          fuzz_assert (i + 2 < len && g_ascii_isxdigit (text[i + 1])
                       && g_ascii_isxdigit (text[i + 2]));
          i += 2;
        }
      else
        fuzz_assert (g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~');
    }
}

/* Printable ASCII only: no raw blank, control character or non-ASCII byte reaches the wire. */
static void
check_printable (const char *uri)
{
  for (const char *p = uri; *p; p++)
    fuzz_assert (*p > 0x20 && *p < 0x7f);
}

/* A refused name is refused by every provider, with the same kind of error. */
static void
check_refused (AwProvider *provider,
               const char *city)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  AwLookup lookup = { 0 };

  uri = aw_provider_build_uri (provider, city, &lookup, &error);
  fuzz_assert (uri == NULL);
  fuzz_assert (g_error_matches (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY));
}

/* prevision and demo: BASE/services/json/SEGMENT. */
static void
check_segment_uri (AwProvider *provider,
                   const char *city,
                   const char *host,
                   int         port,
                   const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) encoded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *decoded = NULL;
  AwLookup lookup = { 0 };
  const char *path;
  const char *segment;

  text = aw_provider_build_uri (provider, city, &lookup, &error);
  fuzz_assert (text != NULL && error == NULL);
  check_printable (text);
  fuzz_assert (strchr (text, '?') == NULL && strchr (text, '#') == NULL);

  /* as libsoup reads it when the request is made (the default port filled in) */
  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, &error);
  fuzz_assert (uri != NULL);
  fuzz_assert (g_strcmp0 (g_uri_get_host (uri), host) == 0);
  fuzz_assert (g_uri_get_port (uri) == port);
  fuzz_assert (g_uri_get_userinfo (uri) == NULL);
  fuzz_assert (g_uri_get_query (uri) == NULL);
  fuzz_assert (g_uri_get_fragment (uri) == NULL);

  /* under the service's path, one segment more */
  path = g_uri_get_path (uri);
  fuzz_assert (g_str_has_prefix (path, prefix));
  segment = path + strlen (prefix);
  fuzz_assert (*segment != '\0');
  fuzz_assert (strchr (segment, '/') == NULL);
  fuzz_assert (strcmp (segment, ".") != 0 && strcmp (segment, "..") != 0);
  check_escaped (segment, strlen (segment));

  decoded = g_uri_unescape_string (segment, NULL);
  fuzz_assert (g_strcmp0 (decoded, city) == 0);

  /* The test suite reads them with G_URI_FLAGS_ENCODED: the same path. */
  encoded = g_uri_parse (text, G_URI_FLAGS_ENCODED, &error);
  fuzz_assert (encoded != NULL);
  fuzz_assert (g_strcmp0 (g_uri_get_path (encoded), path) == 0);
}

/* Open-Meteo geocoding: HOST/v1/search?name=VALUE&count=1&language=LL&format=json. */
static void
check_query_uri (const char *city)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *text = NULL;
  AwLookup lookup = { 0 };
  const char *query;
  const char *value;
  const char *language;

  text = aw_provider_build_uri (open_meteo, city, &lookup, &error);
  fuzz_assert (text != NULL && error == NULL);
  check_printable (text);
  fuzz_assert (strchr (text, '#') == NULL);

  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, &error);
  fuzz_assert (uri != NULL);
  fuzz_assert (g_strcmp0 (g_uri_get_host (uri), "geocoding-api.open-meteo.com") == 0);
  fuzz_assert (g_strcmp0 (g_uri_get_path (uri), "/v1/search") == 0);
  fuzz_assert (g_uri_get_fragment (uri) == NULL);

  /* the raw value: escaped, up to the next parameter */
  query = g_uri_get_query (uri);
  fuzz_assert (query != NULL && g_str_has_prefix (query, "name="));
  value = query + strlen ("name=");
  fuzz_assert (strchr (value, '&') != NULL);
  check_escaped (value, strchr (value, '&') - value);

  /* as a server splits it: the name back, and no parameter more */
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, &error);
  fuzz_assert (params != NULL);
  fuzz_assert (g_hash_table_size (params) == 4);
  fuzz_assert (g_strcmp0 (g_hash_table_lookup (params, "name"), city) == 0);
  fuzz_assert (g_strcmp0 (g_hash_table_lookup (params, "count"), "1") == 0);
  fuzz_assert (g_strcmp0 (g_hash_table_lookup (params, "format"), "json") == 0);
  language = g_hash_table_lookup (params, "language");
  fuzz_assert (language != NULL && strlen (language) == 2);
}

static void
check_accepted (const char *city)
{
  g_autofree char *normalized = aw_city_name_normalize (city);

  /* accepted names are already normalized: what is checked is what is sent */
  fuzz_assert (strcmp (normalized, city) == 0);
  fuzz_assert (*city != '\0');
  fuzz_assert (g_utf8_validate (city, -1, NULL));
  for (const char *p = city; *p; p = g_utf8_next_char (p))
    fuzz_assert (!g_unichar_iscntrl (g_utf8_get_char (p)));

  check_segment_uri (prevision, normalized, "www.prevision-meteo.ch", 443, "/services/json/");
  check_segment_uri (demo, normalized, "127.0.0.1", 8080, "/base/services/json/");
  check_query_uri (normalized);
}

/* The name exactly as given: accepted, or refused everywhere with BAD_CITY. */
static gboolean
check_name (const char *city)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = aw_city_name_check (city, &error);
  fuzz_assert (ok == (error == NULL));
  if (ok)
    {
      check_accepted (city);
      return TRUE;
    }

  fuzz_assert (g_error_matches (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY));
  fuzz_assert (g_utf8_validate (error->message, -1, NULL));
  check_refused (prevision, city);
  check_refused (demo, city);
  check_refused (open_meteo, city);
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *city = g_strndup ((const char *)data, size);
  g_autofree char *normalized = NULL;

  /* As given, then as the window passes it on: blanks at the ends trimmed first. */
  if (!check_name (city))
    {
      normalized = aw_city_name_normalize (city);
      check_name (normalized);
    }
  return 0;
}
