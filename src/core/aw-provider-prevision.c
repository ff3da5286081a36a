/* aw-provider-prevision.c: prevision-meteo.ch, the tutorial's service, and the demo server
 * that answers in its shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-provider-private.h"
#include "aw-text.h"

#define AW_TYPE_PROVIDER_PREVISION (aw_provider_prevision_get_type ())
G_DECLARE_FINAL_TYPE (AwProviderPrevision, aw_provider_prevision, AW, PROVIDER_PREVISION, GObject)

struct _AwProviderPrevision
{
  GObject  parent_instance;

  char    *service;   /* "prevision" or "demo" */
  char    *base_uri;  /* without a trailing slash */
};

static void provider_iface_init (AwProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AwProviderPrevision, aw_provider_prevision, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AW_TYPE_PROVIDER, provider_iface_init))

static char *
aw_provider_prevision_build_uri (AwProvider     *provider,
                                 const char     *city,
                                 const AwLookup *lookup,
                                 GError        **error)
{
  AwProviderPrevision *self = AW_PROVIDER_PREVISION (provider);
  g_autofree char *segment = aw_city_escape (city);

  return g_strdup_printf ("%s/services/json/%s", self->base_uri, segment);
}

/* An answer with an "errors" array: the service's own words for the first one. */
static GError *
errors_answer (JsonObject *root,
               const char *city)
{
  JsonNode *node = json_object_get_member (root, "errors");
  g_autofree char *text = NULL;
  JsonArray *errors;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  errors = json_node_get_array (node);
  if (json_array_get_length (errors) > 0)
    {
      JsonNode *first = json_array_get_element (errors, 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        text = aw_json_dup_text (json_node_get_object (first), "text");
    }

  if (text != NULL)
    return g_error_new (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND,
                        /* Translators: %s is what the weather service said */
                        _("The service does not know this city: %s"), text);
  return g_error_new (AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_NOT_FOUND,
                      _("The service does not know “%s”"), city);
}

static AwStepResult
aw_provider_prevision_parse (AwProvider  *provider,
                             const char  *city,
                             guint        status,
                             GBytes      *body,
                             AwLookup    *lookup,
                             AwWeather  **weather,
                             GError     **error)
{
  AwProviderPrevision *self = AW_PROVIDER_PREVISION (provider);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(AwWeather) result = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *hour = NULL;
  JsonObject *current;
  GError *service_error;
  double value;

  root = aw_json_parse_object (body, &parse_error);

  if (root != NULL && (service_error = errors_answer (root, city)) != NULL)
    {
      g_propagate_error (error, service_error);
      return AW_STEP_FAILED;
    }
  if (status < 200 || status >= 300)
    {
      g_propagate_error (error, aw_http_status_error (status));
      return AW_STEP_FAILED;
    }
  if (root == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&parse_error));
      return AW_STEP_FAILED;
    }

  current = aw_json_get_object (root, "current_condition");
  if (current == NULL)
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The answer has no current conditions"));
      return AW_STEP_FAILED;
    }

  result = aw_weather_new ();
  if (!aw_json_get_number (current, "tmp", -100, 70, &result->temperature_c))
    {
      g_set_error_literal (error, AW_PROVIDER_ERROR, AW_PROVIDER_ERROR_BAD_ANSWER,
                           _("The answer has no plausible temperature"));
      return AW_STEP_FAILED;
    }
  if (aw_json_get_number (current, "humidity", 0, 100, &value))
    result->humidity = (int)value;
  if (aw_json_get_number (current, "wnd_spd", 0, 500, &value))
    result->wind_kmh = value;

  result->condition = aw_json_dup_text (current, "condition");
  if (result->condition == NULL)
    result->condition = g_strdup (_("Unknown"));
  {
    g_autofree char *key = aw_json_dup_text (current, "condition_key");

    result->icon_name = g_strdup (aw_weather_icon_for_condition_key (key));
  }

  date = aw_json_dup_text (current, "date");
  hour = aw_json_dup_text (current, "hour");
  if (date != NULL && hour != NULL)
    result->observed_at = g_strdup_printf ("%s %s", date, hour);

  result->place = aw_json_dup_text (aw_json_get_object (root, "city_info"), "name");
  if (result->place == NULL)
    result->place = aw_text_sanitize (city, -1);
  result->service = g_strdup (self->service);

  *weather = g_steal_pointer (&result);
  return AW_STEP_DONE;
}

static void
provider_iface_init (AwProviderInterface *iface)
{
  iface->build_uri = aw_provider_prevision_build_uri;
  iface->parse = aw_provider_prevision_parse;
}

static void
aw_provider_prevision_finalize (GObject *object)
{
  AwProviderPrevision *self = (AwProviderPrevision *)object;

  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->base_uri, g_free);

  G_OBJECT_CLASS (aw_provider_prevision_parent_class)->finalize (object);
}

static void
aw_provider_prevision_class_init (AwProviderPrevisionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aw_provider_prevision_finalize;
}

static void
aw_provider_prevision_init (AwProviderPrevision *self)
{
}

AwProvider *
aw_provider_prevision_new (const char *service,
                           const char *base_uri)
{
  AwProviderPrevision *self;

  g_return_val_if_fail (service != NULL, NULL);
  g_return_val_if_fail (base_uri != NULL, NULL);

  self = g_object_new (AW_TYPE_PROVIDER_PREVISION, NULL);
  self->service = g_strdup (service);
  self->base_uri = aw_uri_strip_trailing_slashes (base_uri);
  return AW_PROVIDER (self);
}
