/* aw-provider-private.h: what the providers share (JSON helpers, errors, their constructors);
 * for the engine only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "aw-provider.h"

G_BEGIN_DECLS


/* The body as a JSON object: size-capped, valid UTF-8, strictly JSON and bounded in structure
 * (aw_json_scan()), root an object. */
JsonObject *aw_json_parse_object     (GBytes       *body,
                                      GError      **error);
/* A number member, given as a JSON number or a plain decimal string, within [min, max]. */
gboolean    aw_json_get_number       (JsonObject   *object,
                                      const char   *member,
                                      double        min,
                                      double        max,
                                      double       *value);
/* A string member, sanitised (aw_text_sanitize()), trimmed and capped, or NULL. */
char       *aw_json_dup_text         (JsonObject   *object,
                                      const char   *member);
JsonObject *aw_json_get_object       (JsonObject   *object,
                                      const char   *member);
/* "HTTP 503 Service Unavailable" */
GError     *aw_http_status_error     (guint         status);
/* @city escaped for a URI: as one path segment or as a query value. */
char       *aw_city_escape           (const char   *city);
char       *aw_uri_strip_trailing_slashes (const char *uri);

/* The providers. */
AwProvider *aw_provider_prevision_new  (const char *service,
                                        const char *base_uri);
AwProvider *aw_provider_open_meteo_new (const char *geocoding_base_uri,
                                        const char *forecast_base_uri);

G_END_DECLS
