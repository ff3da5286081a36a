/* aw-geocode-cache.c: places already found, kept on disk between runs
 *
 * A city's coordinates do not move: asking Open-Meteo's geocoding again at every run only
 * spends its free quota. The file is the cache's only state on disk; it is read once,
 * bounded in size, and replaced atomically, so a crash leaves the old file or the new one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "aw-geocode-cache.h"
#include "aw-provider-private.h"

#define CACHE_VERSION   1
#define MAX_ENTRIES     1000
/* Below the parser's own cap (AW_MAX_BODY_BYTES), so that a file we wrote is one we read. */
#define MAX_FILE_BYTES  (192 * 1024)
#define MAX_KEY_BYTES   2048

typedef struct
{
  char   *place;
  double  latitude;
  double  longitude;
  gint64  used;        /* wall-clock seconds: the least recently used goes first */
} Entry;

struct _AwGeocodeCache
{
  GMutex      mutex;
  char       *path;
  GHashTable *entries;   /* key → Entry */
  gboolean    loaded;
  gboolean    dirty;
};

static void
entry_free (Entry *entry)
{
  g_free (entry->place);
  g_free (entry);
}

AwGeocodeCache *
aw_geocode_cache_new (const char *path)
{
  AwGeocodeCache *self = g_new0 (AwGeocodeCache, 1);

  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_init (&self->mutex);
  self->path = g_strdup (path);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)entry_free);
  return self;
}

void
aw_geocode_cache_free (AwGeocodeCache *self)
{
  if (self == NULL)
    return;
  g_mutex_clear (&self->mutex);
  g_hash_table_unref (self->entries);
  g_free (self->path);
  g_free (self);
}

AwGeocodeCache *
aw_geocode_cache_get_default (void)
{
  static AwGeocodeCache *cache;

  if (g_once_init_enter (&cache))
    {
      g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "async-weather",
                                                "geocoding.json", NULL);

      g_once_init_leave (&cache, aw_geocode_cache_new (path));
    }
  return cache;
}

const char *
aw_geocode_cache_get_path (AwGeocodeCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/* Drops the least recently used entries beyond the cap. */
static void
trim (AwGeocodeCache *self)
{
  while (g_hash_table_size (self->entries) > MAX_ENTRIES)
    {
      GHashTableIter iter;
      gpointer key, value;
      const char *oldest = NULL;
      gint64 oldest_used = G_MAXINT64;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((Entry *)value)->used < oldest_used)
          {
            oldest = key;
            oldest_used = ((Entry *)value)->used;
          }
      g_hash_table_remove (self->entries, oldest);
    }
}

static void
insert (AwGeocodeCache *self,
        const char     *key,
        const char     *place,
        double          latitude,
        double          longitude,
        gint64          used)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->place = g_strdup (place);
  entry->latitude = latitude;
  entry->longitude = longitude;
  entry->used = used;
  g_hash_table_replace (self->entries, g_strdup (key), entry);
}

/* Reads what it can of the file: anything wrong in it loses that entry, or the whole file,
 * never more than the cache. Only a regular file is read (a FIFO would block). */
static void
load (AwGeocodeCache *self)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  JsonNode *entries;
  GStatBuf buf;
  double version;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize len;

  self->loaded = TRUE;
  if (g_stat (self->path, &buf) != 0 || !S_ISREG (buf.st_mode) || buf.st_size > MAX_FILE_BYTES)
    return;
  if (!g_file_get_contents (self->path, &contents, &len, NULL) || len > MAX_FILE_BYTES)
    return;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  root = aw_json_parse_object (bytes, NULL);
  if (!aw_json_get_number (root, "version", CACHE_VERSION, CACHE_VERSION, &version))
    return;
  entries = json_object_get_member (root, "entries");
  if (entries == NULL || !JSON_NODE_HOLDS_ARRAY (entries))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (entries)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (entries), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *place = NULL;
      const char *key;
      double latitude, longitude, used;

      if (object == NULL
          || (key = json_object_get_string_member_with_default (object, "key", NULL)) == NULL
          || *key == '\0' || strlen (key) > MAX_KEY_BYTES
          || (place = aw_json_dup_text (object, "place")) == NULL
          || !aw_json_get_number (object, "latitude", -90, 90, &latitude)
          || !aw_json_get_number (object, "longitude", -180, 180, &longitude))
        continue;
      /* Older than anything this process learns: a stamp from the future cannot keep new
       * places out of a full file. */
      if (!aw_json_get_number (object, "used", 0, (double)(now - 1), &used))
        used = 0;
      insert (self, key, place, latitude, longitude, (gint64)used);
    }
  trim (self);
}

gboolean
aw_geocode_cache_lookup (AwGeocodeCache  *self,
                         const char      *key,
                         char           **place,
                         double          *latitude,
                         double          *longitude)
{
  g_autoptr(GMutexLocker) locker = NULL;
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!self->loaded)
    load (self);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL)
    return FALSE;

  entry->used = g_get_real_time () / G_USEC_PER_SEC;
  if (place != NULL)
    *place = g_strdup (entry->place);
  *latitude = entry->latitude;
  *longitude = entry->longitude;
  return TRUE;
}

void
aw_geocode_cache_store (AwGeocodeCache *self,
                        const char     *key,
                        const char     *place,
                        double          latitude,
                        double          longitude)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL && place != NULL);

  if (strlen (key) > MAX_KEY_BYTES)
    return;
  locker = g_mutex_locker_new (&self->mutex);
  if (!self->loaded)
    load (self);
  insert (self, key, place, latitude, longitude, g_get_real_time () / G_USEC_PER_SEC);
  trim (self);
  self->dirty = TRUE;
}

static int
compare_used (gconstpointer a,
              gconstpointer b)
{
  const Entry *x = ((const Entry * const *)a)[1];
  const Entry *y = ((const Entry * const *)b)[1];

  return (x->used < y->used) - (x->used > y->used);
}

static char *
entry_to_json (const char  *key,
               const Entry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "place");
  json_builder_add_string_value (builder, entry->place);
  json_builder_set_member_name (builder, "latitude");
  json_builder_add_double_value (builder, entry->latitude);
  json_builder_set_member_name (builder, "longitude");
  json_builder_add_double_value (builder, entry->longitude);
  json_builder_set_member_name (builder, "used");
  json_builder_add_int_value (builder, entry->used);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

gboolean
aw_geocode_cache_save (AwGeocodeCache  *self,
                       GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GArray) pairs = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *dir = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (self != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!self->dirty)
    return TRUE;

  /* The most recently used first, as many as fit in the file's budget. */
  pairs = g_array_new (FALSE, FALSE, 2 * sizeof (gpointer));
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gpointer pair[2] = { key, value };

      g_array_append_vals (pairs, pair, 1);
    }
  g_array_sort (pairs, compare_used);

  text = g_string_new (NULL);
  g_string_append_printf (text, "{\"version\":%d,\"entries\":[", CACHE_VERSION);
  for (guint i = 0; i < pairs->len; i++)
    {
      gpointer *pair = &g_array_index (pairs, gpointer, 2 * i);
      g_autofree char *json = entry_to_json (pair[0], pair[1]);

      if (text->len + strlen (json) + 8 > MAX_FILE_BYTES)
        break;
      if (i > 0)
        g_string_append (text, ",\n");
      g_string_append (text, json);
    }
  g_string_append (text, "]}\n");

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* A temporary file renamed over the old one: never half a file. */
  if (!g_file_set_contents_full (self->path, text->str, text->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  self->dirty = FALSE;
  return TRUE;
}
