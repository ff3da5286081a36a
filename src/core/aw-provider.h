/* aw-provider.h: what requests a city needs, and how to read each answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "aw-weather.h"

G_BEGIN_DECLS

#define AW_TYPE_PROVIDER (aw_provider_get_type ())

/* The largest answer a provider reads: a weather report is a few kilobytes. */
#define AW_MAX_BODY_BYTES (256 * 1024)

G_DECLARE_INTERFACE (AwProvider, aw_provider, AW, PROVIDER, GObject)

/* What a task has learnt between its requests (Open-Meteo: geocoding, then weather). */
typedef struct
{
  guint  step;          /* 0 for the first request of a task */
  char  *place;         /* resolved display name, or NULL */
  double latitude;
  double longitude;
} AwLookup;

void aw_lookup_clear (AwLookup *lookup);

typedef enum
{
  AW_STEP_FAILED,
  AW_STEP_NEXT,   /* the lookup was filled in: build the next request */
  AW_STEP_DONE,   /* the weather is known */
} AwStepResult;

struct _AwProviderInterface
{
  GTypeInterface parent_iface;

  char         *(*build_uri) (AwProvider     *self,
                              const char     *city,
                              const AwLookup *lookup,
                              GError        **error);
  AwStepResult  (*parse)     (AwProvider     *self,
                              const char     *city,
                              guint           status,
                              GBytes         *body,
                              AwLookup       *lookup,
                              AwWeather     **weather,
                              GError        **error);
  /* Optional: fills @lookup from what the provider remembers (its step moves on), so that
   * the task skips those requests. */
  gboolean      (*lookup_cached) (AwProvider *self,
                                  const char *city,
                                  AwLookup   *lookup);
  /* Optional: keeps what the run taught it (the geocoding cache), once a run ends. */
  void          (*save)      (AwProvider     *self);
};

#define AW_PROVIDER_ERROR (aw_provider_error_quark ())

typedef enum
{
  AW_PROVIDER_ERROR_BAD_CITY,      /* refused before sending: empty, control characters, too long */
  AW_PROVIDER_ERROR_NOT_FOUND,     /* the service does not know the city */
  AW_PROVIDER_ERROR_HTTP,          /* an error status with no better explanation */
  AW_PROVIDER_ERROR_BAD_ANSWER,    /* not JSON, wrong types, missing fields */
  AW_PROVIDER_ERROR_SERVICE,       /* the service said what went wrong */
} AwProviderError;

GQuark       aw_provider_error_quark (void);

char        *aw_provider_build_uri   (AwProvider     *self,
                                      const char     *city,
                                      const AwLookup *lookup,
                                      GError        **error);
AwStepResult aw_provider_parse       (AwProvider     *self,
                                      const char     *city,
                                      guint           status,
                                      GBytes         *body,
                                      AwLookup       *lookup,
                                      AwWeather     **weather,
                                      GError        **error);

gboolean     aw_provider_lookup_cached (AwProvider  *self,
                                       const char  *city,
                                       AwLookup    *lookup);
void         aw_provider_save          (AwProvider  *self);

/* One weather service, as every front end offers it. */
typedef struct
{
  const char  *name;      /* as settings, the CLI, exports and the history file spell it */
  const char  *label;     /* for people, untranslated: show it through _() */
  AwProvider *(*create) (const char *base_uri);   /* NULL base_uri: the service's own root */
  gboolean     is_demo;   /* the built-in demo server: the front end starts it, and passes
                           * its root as the base URI */
  gboolean     is_real;   /* somebody else's service: the polite limits of aw-host-policy.c */
} AwProviderInfo;

/* Every weather service, the default first; a NULL name ends the table. */
extern const AwProviderInfo aw_providers[];

const AwProviderInfo *aw_provider_info_lookup (const char *name);

/* By name: "demo", "prevision", "open-meteo". base_uri NULL means the service's own root;
 * for "demo" it is required (the demo server's root). */
AwProvider  *aw_provider_new_for_name (const char  *name,
                                       const char  *base_uri,
                                       GError     **error);

/* Whether the service is somebody else's (prevision, open-meteo), not the demo server: a
 * provider made by aw_provider_new_for_name() for such a name, whatever its base URI. */
gboolean     aw_provider_name_is_real (const char  *name);
/* Whether @name is the built-in demo server's. */
gboolean     aw_provider_name_is_demo (const char  *name);
gboolean     aw_provider_is_real      (AwProvider  *self);

/* Shared checks for every provider. */
gboolean     aw_city_name_check      (const char  *city,
                                      GError     **error);
char        *aw_city_name_normalize  (const char  *city);

G_END_DECLS
