/* aw-geocode-cache.h: places already found, kept on disk between runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AwGeocodeCache AwGeocodeCache;

/* The process's cache, in g_get_user_cache_dir()/async-weather/geocoding.json. */
AwGeocodeCache *aw_geocode_cache_get_default (void);

/* A cache kept in @path; read at the first lookup. A missing, unreadable or corrupt file is
 * an empty cache, replaced at the next save. */
AwGeocodeCache *aw_geocode_cache_new         (const char      *path);
void            aw_geocode_cache_free        (AwGeocodeCache  *self);
const char     *aw_geocode_cache_get_path    (AwGeocodeCache  *self);

/* Any thread. @key names the service and the question (its root, language and city). */
gboolean        aw_geocode_cache_lookup      (AwGeocodeCache  *self,
                                              const char      *key,
                                              char           **place,
                                              double          *latitude,
                                              double          *longitude);
void            aw_geocode_cache_store       (AwGeocodeCache  *self,
                                              const char      *key,
                                              const char      *place,
                                              double           latitude,
                                              double           longitude);
/* Writes the file (atomically, bounded in size) when something changed since the last save. */
gboolean        aw_geocode_cache_save        (AwGeocodeCache  *self,
                                              GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwGeocodeCache, aw_geocode_cache_free)

G_END_DECLS
