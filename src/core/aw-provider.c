/* aw-provider.c: the provider interface and what every provider shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <math.h>

#include "aw-json-scan.h"
#include "aw-provider-private.h"
#include "aw-text.h"

#define MAX_CITY_CHARS  200
#define MAX_TEXT_CHARS  200

G_DEFINE_INTERFACE (AwProvider, aw_provider, G_TYPE_OBJECT)
G_DEFINE_QUARK (aw-provider-error-quark, aw_provider_error)

static void
aw_provider_default_init (AwProviderInterface *iface)
{
}

void
aw_lookup_clear (AwLookup *lookup)
{
  g_clear_pointer (&lookup->place, g_free);
  lookup->step = 0;
  lookup->latitude = lookup->longitude = 0;
}

char *
aw_provider_build_uri (AwProvider     *self,
                       const char     *city,
                       const AwLookup *lookup,
                       GError        **error)
{
  g_return_val_if_fail (AW_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (city != NULL, NULL);
  g_return_val_if_fail (lookup != NULL, NULL);

  if (!aw_city_name_check (city, error))
    return NULL;
  return AW_PROVIDER_GET_IFACE (self)->build_uri (self, city, lookup, error);
}

AwStepResult
aw_provider_parse (AwProvider  *self,
                   const char  *city,
                   guint        status,
                   GBytes      *body,
                   AwLookup    *lookup,
                   AwWeather  **weather,
                   GError     **error)
{
  g_return_val_if_fail (AW_IS_PROVIDER (self), AW_STEP_FAILED);
  g_return_val_if_fail (body != NULL, AW_STEP_FAILED);
  g_return_val_if_fail (lookup != NULL, AW_STEP_FAILED);
  g_return_val_if_fail (weather != NULL && *weather == NULL, AW_STEP_FAILED);

  return AW_PROVIDER_GET_IFACE (self)->parse (self, city, status, body, lookup, weather, error);
}

gboolean
aw_provider_lookup_cached (AwProvider *self,
                           const char *city,
                           AwLookup   *lookup)
{
  AwProviderInterface *iface;

  g_return_val_if_fail (AW_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (lookup != NULL && lookup->step == 0, FALSE);

  iface = AW_PROVIDER_GET_IFACE (self);
  return iface->lookup_cached != NULL && aw_city_name_check (city, NULL)
         && iface->lookup_cached (self, city, lookup);
}

void
aw_provider_save (AwProvider *self)
{
  AwProviderInterface *iface;

  g_return_if_fail (AW_IS_PROVIDER (self));

  iface = AW_PROVIDER_GET_IFACE (self);
  if (iface->save != NULL)
    iface->save (self);
}

static AwProvider *
new_demo (const char *base_uri)
{
  return aw_provider_prevision_new ("demo", base_uri);
}

static AwProvider *
new_prevision (const char *base_uri)
{
  return aw_provider_prevision_new ("prevision",
                                    base_uri ? base_uri : "https://www.prevision-meteo.ch");
}

static AwProvider *
new_open_meteo (const char *base_uri)
{
  return aw_provider_open_meteo_new (base_uri ? base_uri : "https://geocoding-api.open-meteo.com",
                                     base_uri ? base_uri : "https://api.open-meteo.com");
}

/* Somebody else's services get the polite limits of aw-host-policy.c. */
const AwProviderInfo aw_providers[] = {
  { "demo", N_("Demo server (offline)"), new_demo, TRUE, FALSE },
  { "prevision", N_("prevision-meteo.ch"), new_prevision, FALSE, TRUE },
  { "open-meteo", N_("Open-Meteo"), new_open_meteo, FALSE, TRUE },
  { NULL },
};

const AwProviderInfo *
aw_provider_info_lookup (const char *name)
{
  for (guint i = 0; name != NULL && aw_providers[i].name != NULL; i++)
    if (g_str_equal (name, aw_providers[i].name))
      return &aw_providers[i];
  return NULL;
}

static GQuark
provider_real_quark (void)
{
  return g_quark_from_static_string ("aw-provider-real");
}

gboolean
aw_provider_name_is_real (const char *name)
{
  const AwProviderInfo *info = aw_provider_info_lookup (name);

  return info != NULL && info->is_real;
}

gboolean
aw_provider_name_is_demo (const char *name)
{
  const AwProviderInfo *info = aw_provider_info_lookup (name);

  return info != NULL && info->is_demo;
}

gboolean
aw_provider_is_real (AwProvider *self)
{
  g_return_val_if_fail (AW_IS_PROVIDER (self), FALSE);
  return g_object_get_qdata (G_OBJECT (self), provider_real_quark ()) != NULL;
}

AwProvider *
aw_provider_new_for_name (const char  *name,
                          const char  *base_uri,
                          GError     **error)
{
  const AwProviderInfo *info = aw_provider_info_lookup (name);
  AwProvider *provider;

  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Unknown weather service “%s” (use demo, prevision or open-meteo)"), name);
      return NULL;
    }
  if (info->is_demo && base_uri == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The demo service needs the address of a demo server"));
      return NULL;
    }

  provider = info->create (base_uri);
  /* A real service stays real at another address: a mirror, or a test's stand-in. */
  if (info->is_real)
    g_object_set_qdata (G_OBJECT (provider), provider_real_quark (), GINT_TO_POINTER (TRUE));
  return provider;
}

char *
aw_city_name_normalize (const char *city)
{
  g_return_val_if_fail (city != NULL, NULL);
  return g_strstrip (g_strdup (city));
}

gboolean
aw_city_name_check (const char  *city,
                    GError     **error)
{
  g_autofree char *normalized = NULL;
  const char *p;
  gboolean only_dots = TRUE;

  g_return_val_if_fail (city != NULL, FALSE);

  if (!g_utf8_validate (city, -1, NULL))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                           _("The city name is not valid text"));
      return FALSE;
    }
  normalized = aw_city_name_normalize (city);
  if (*normalized == '\0')
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                           _("The city name is empty"));
      return FALSE;
    }
  if (strcmp (normalized, city) != 0)
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                           _("The city name starts or ends with a blank"));
      return FALSE;
    }
  if (g_utf8_strlen (city, -1) > MAX_CITY_CHARS)
    {
      g_set_error (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                   _("The city name is longer than %d characters"), MAX_CITY_CHARS);
      return FALSE;
    }
  for (p = city; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                               _("The city name contains a control character"));
          return FALSE;
        }
      /* A byte-order mark, a direction override or a zero-width space would show a name
       * other than the one fetched. */
      if (aw_text_is_unsafe_char (c))
        {
          g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                               _("The city name contains an invisible or direction-control character"));
          return FALSE;
        }
      if (c != '.')
        only_dots = FALSE;
    }
  if (only_dots)
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_CITY,
                           _("The city name is only dots"));
      return FALSE;
    }
  return TRUE;
}

char *
aw_city_escape (const char *city)
{
  /* No reserved character is allowed through: the name stays one path segment or one
   * query value, whatever it holds ('/', '?', '#', '%', '&', '+'). */
  return g_uri_escape_string (city, NULL, FALSE);
}

JsonObject *
aw_json_parse_object (GBytes  *body,
                      GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  JsonNode *root;
  gsize len;

  data = g_bytes_get_data (body, &len);

  if (len == 0)
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an empty answer"));
      return NULL;
    }
  if (len > AW_MAX_BODY_BYTES)
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an answer far larger than any weather report"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an answer that is not valid text"));
      return NULL;
    }
  /* Strictly JSON and bounded before json-glib, which is neither, sees it. */
  switch (aw_json_scan (data, len))
    {
    case AW_JSON_SCAN_OK:
      break;
    case AW_JSON_SCAN_TOO_DEEP:
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an answer nested too deeply"));
      return NULL;
    case AW_JSON_SCAN_TOO_MANY_MEMBERS:
    case AW_JSON_SCAN_TOO_MANY_TOKENS:
    case AW_JSON_SCAN_LONG_NAME:
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an answer far more complex than any weather report"));
      return NULL;
    case AW_JSON_SCAN_INEXACT_NUMBER:
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent a number too long to read exactly"));
      return NULL;
    case AW_JSON_SCAN_NOT_JSON:
    default:
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an answer that is not JSON"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent an answer that is not JSON"));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The service sent JSON of an unexpected shape"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

gboolean
aw_json_get_number (JsonObject *object,
                    const char *member,
                    double      min,
                    double      max,
                    double     *value)
{
  JsonNode *node;
  double number;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      number = json_node_get_int (node);
      break;

    case G_TYPE_DOUBLE:
      number = json_node_get_double (node);
      break;

    case G_TYPE_STRING:
      {
        /* prevision-meteo.ch gives some numbers as strings ("46.5194190"): only in plain
         * decimals, not what strtod also reads (" 12", "+12", "0x1A", "1e2", "inf") */
        const char *str = json_node_get_string (node);

        if (!aw_json_is_plain_decimal (str))
          return FALSE;
        number = g_ascii_strtod (str, NULL);
      }
      break;

    default:
      return FALSE;
    }

  if (!isfinite (number) || number < min || number > max)
    return FALSE;
  *value = number;
  return TRUE;
}

char *
aw_json_dup_text (JsonObject *object,
                  const char *member)
{
  g_autofree char *clean = NULL;
  JsonNode *node;
  const char *start;
  const char *p;
  guint n = 0;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  clean = aw_text_sanitize (json_node_get_string (node), -1);
  start = clean;
  while (*start == ' ')
    start++;
  for (p = start; *p && n < MAX_TEXT_CHARS; p = g_utf8_next_char (p), n++)
    ;
  while (p > start && p[-1] == ' ')
    p--;
  if (p == start)
    return NULL;
  return g_strndup (start, p - start);
}

JsonObject *
aw_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

GError *
aw_http_status_error (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return g_error_new (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_HTTP,
                      /* Translators: %u is an HTTP status code, %s its standard phrase */
                      _("The service answered HTTP %u %s"), status, phrase ? phrase : "");
}

char *
aw_uri_strip_trailing_slashes (const char *uri)
{
  char *copy = g_strdup (uri);
  gsize len = strlen (copy);

  while (len > 0 && copy[len - 1] == '/')
    copy[--len] = '\0';
  return copy;
}
