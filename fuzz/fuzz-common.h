/* fuzz-common.h: what the harnesses share: fatal GLib warnings, the HTTP status a selector
 * byte picks, and the invariants of what a provider's parser hands back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "aw-json-scan.h"
#include "aw-provider.h"
#include "aw-provider-private.h"

/* What libFuzzer calls; each harness defines both. */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_MAX_JSON_DEPTH AW_JSON_MAX_DEPTH
/* Keep in step with src/core/aw-provider.c. */
#define FUZZ_MAX_TEXT_CHARS 200

/* Reports a broken invariant and aborts: libFuzzer then saves the input that did it. */
#define fuzz_assert(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* A critical or a warning from GLib, json-glib or the core is a finding, not noise. */
static inline void
fuzz_init_glib (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* The first byte of a provider input: its low four bits pick the status (mostly success,
 * then the edges around it), the next bits pick a variant (provider, step). */
static inline guint
fuzz_status_for (guint8 selector)
{
  static const guint statuses[16] = {
    200, 200, 200, 200, 201, 204, 299, 199, 0, 301, 400, 404, 429, 500, 503, 999,
  };

  return statuses[selector & 0x0f];
}

/* What no text from outside may bring to a terminal or the window: C0 and C1 controls,
 * line and paragraph separators, bidi controls, zero-width characters, and the other
 * invisible format characters beside them (U+180E, the rest of U+2060–206F, U+FFF9–FFFB).
 * Written out here rather than taken from aw-text.c, so that a gap in its list shows. */
static inline gboolean
fuzz_is_forbidden (gunichar c)
{
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029
         || c == 0x061c || c == 0x200e || c == 0x200f
         || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
         || (c >= 0x200b && c <= 0x200d) || c == 0x2060 || c == 0xfeff
         || c == 0x180e || (c >= 0x2060 && c <= 0x206f) || (c >= 0xfff9 && c <= 0xfffb);
}

/* Valid UTF-8 (GTK refuses anything else) with no forbidden character. */
static inline void
fuzz_check_clean (const char *text)
{
  fuzz_assert (text != NULL);
  fuzz_assert (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    fuzz_assert (!fuzz_is_forbidden (g_utf8_get_char (p)));
}

/* Text the app will show: clean, and capped. */
static inline void
fuzz_check_text (const char *text,
                 gsize       max_chars)
{
  fuzz_check_clean (text);
  fuzz_assert (g_utf8_strlen (text, -1) <= (glong)max_chars);
}

/* A failed step: one error of the provider's domain, with a message worth showing. */
static inline void
fuzz_check_error (const GError *error)
{
  fuzz_assert (error != NULL);
  fuzz_assert (error->domain == AW_PROVIDER_ERROR);
  fuzz_assert (error->code == AW_PROVIDER_ERROR_NOT_FOUND
               || error->code == AW_PROVIDER_ERROR_HTTP
               || error->code == AW_PROVIDER_ERROR_BAD_ANSWER
               || error->code == AW_PROVIDER_ERROR_SERVICE);
  fuzz_assert (error->message != NULL && *error->message != '\0');
  /* clean already: it may quote the service */
  fuzz_check_clean (error->message);
}

/* A weather: what the window and the exports rely on, within the bounds the parsers check. */
static inline void
fuzz_check_weather (const AwWeather *weather,
                    const char      *service)
{
  fuzz_assert (weather != NULL);
  fuzz_assert (isfinite (weather->temperature_c));
  fuzz_assert (weather->temperature_c >= -100 && weather->temperature_c <= 70);
  fuzz_assert (weather->humidity == -1 || (weather->humidity >= 0 && weather->humidity <= 100));
  fuzz_assert (weather->wind_kmh == -1 || (weather->wind_kmh >= 0 && weather->wind_kmh <= 500));
  /* "name, country" and "date hour" join two capped texts */
  fuzz_check_text (weather->place, 2 * FUZZ_MAX_TEXT_CHARS + 2);
  fuzz_check_text (weather->condition, FUZZ_MAX_TEXT_CHARS);
  fuzz_check_text (weather->icon_name, FUZZ_MAX_TEXT_CHARS);
  fuzz_assert (g_str_has_suffix (weather->icon_name, "-symbolic"));
  if (weather->observed_at != NULL)
    fuzz_check_text (weather->observed_at, 2 * FUZZ_MAX_TEXT_CHARS + 1);
  fuzz_assert (g_strcmp0 (weather->service, service) == 0);
}

/* The deepest nesting of arrays and objects under @node, counting @node; stops past @limit. */
static inline guint
fuzz_json_depth (JsonNode *node,
                 guint     limit)
{
  guint deepest = 0;

  if (limit == 0)
    return 1;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          /* not inside MAX (), which would evaluate it twice */
          guint depth = fuzz_json_depth (member, limit - 1);

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint depth = fuzz_json_depth (json_array_get_element (array, i), limit - 1);

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  return 0;
}

/* The shared body reader: an object whose nesting is bounded, or one BAD_ANSWER error. The
 * bound matters: json-glib parses recursively, and a deep answer would exhaust the stack. */
static inline void
fuzz_check_json_object (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = aw_json_parse_object (body, &error);

  fuzz_assert ((object == NULL) != (error == NULL));
  if (object == NULL)
    {
      fuzz_assert (g_error_matches (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER));
      return;
    }
  {
    g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);

    fuzz_assert (fuzz_json_depth (root, FUZZ_MAX_JSON_DEPTH + 1) <= FUZZ_MAX_JSON_DEPTH);
  }
}
