/* aw-demo-server.c: a real HTTP weather server on loopback, with latency and faults on demand
 *
 * This file owns the object and its thread, the weather answers (in the language asked), the
 * latency timer that sends them and the faults; its connections, and the limits that let it
 * stand floods, are in aw-demo-server-connections.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "aw-demo-server-private.h"
#include "aw-ready-source.h"

#define PATH_PREFIX "/services/json/"
#define STALL_S     30.0

G_DEFINE_FINAL_TYPE (AwDemoServer, aw_demo_server, G_TYPE_OBJECT)

/* One response waiting for its latency to pass. */
typedef struct
{
  SoupServerMessage *msg;
  GSequenceIter     *waiting;   /* in the server's queue until it is answered */
  gint64             due_us;    /* monotonic */
  AwDemoFault        fault;
  char              *city;
} Pending;

/* The languages the demo server answers in, as a real service picks one from the request's
 * Accept-Language; French, prevision-meteo.ch's own, when the request asks for none. */
enum { LANG_FR, LANG_EN, LANG_ZH, N_LANGS };

static const char * const language_tags[N_LANGS] = { "fr", "en", "zh" };

static const struct {
  const char *text[N_LANGS];
  const char *key;
} conditions[] = {
  { { "Ensoleillé", "Sunny", "晴" }, "ensoleille" },
  { { "Éclaircies", "Sunny intervals", "晴间多云" }, "eclaircies" },
  { { "Faiblement nuageux", "Partly cloudy", "少云" }, "faiblement-nuageux" },
  { { "Ciel voilé", "Hazy sky", "薄云" }, "ciel-voile" },
  { { "Nuit nuageuse", "Cloudy night", "夜间多云" }, "nuit-nuageuse" },
  { { "Averses de pluie faible", "Light rain showers", "小阵雨" }, "averses-de-pluie-faible" },
  { { "Pluie modérée", "Moderate rain", "中雨" }, "pluie-moderee" },
  { { "Brouillard", "Fog", "雾" }, "brouillard" },
  { { "Couvert", "Overcast", "阴" }, "couvert" },
  { { "Orage modéré", "Moderate thunderstorm", "中雷雨" }, "orage-modere" },
  { { "Neige faible", "Light snow", "小雪" }, "neige-faible" },
};

/* The first language of @accept_language ("zh-CN,zh;q=0.9,en;q=0.8") that the server has,
 * in the order given (weights are in that order in practice); English when it has none of
 * them, French when nothing is asked. */
static guint
pick_language (const char *accept_language)
{
  g_auto(GStrv) ranges = NULL;

  if (accept_language == NULL || *accept_language == '\0')
    return LANG_FR;
  ranges = g_strsplit (accept_language, ",", 32);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      char *tag = g_strstrip (ranges[i]);

      for (guint lang = 0; lang < N_LANGS; lang++)
        {
          gsize n = strlen (language_tags[lang]);

          if (g_ascii_strncasecmp (tag, language_tags[lang], n) == 0
              && (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_' || tag[n] == ';'))
            return lang;
        }
    }
  return LANG_EN;
}

char *
aw_demo_server_build_body (const char *city)
{
  return aw_demo_server_build_body_for (city, NULL);
}

char *
aw_demo_server_build_body_for (const char *city,
                               const char *accept_language)
{
  guint language = pick_language (accept_language);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *folded = g_utf8_casefold (city, -1);
  g_autofree char *date = g_date_time_format (now, "%d.%m.%Y");
  g_autofree char *hour = g_date_time_format (now, "%H:00");
  guint hash = g_str_hash (folded);
  guint condition = (hash >> 8) % G_N_ELEMENTS (conditions);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "city_info");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, city);
  json_builder_set_member_name (builder, "country");
  json_builder_add_string_value (builder, "France");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "current_condition");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "hour");
  json_builder_add_string_value (builder, hour);
  json_builder_set_member_name (builder, "tmp");
  json_builder_add_int_value (builder, (gint64)(hash % 35) - 5);
  json_builder_set_member_name (builder, "wnd_spd");
  json_builder_add_int_value (builder, (hash >> 4) % 40);
  json_builder_set_member_name (builder, "wnd_dir");
  json_builder_add_string_value (builder, "SO");
  json_builder_set_member_name (builder, "humidity");
  json_builder_add_int_value (builder, 40 + (hash >> 12) % 56);
  json_builder_set_member_name (builder, "condition");
  json_builder_add_string_value (builder, conditions[condition].text[language]);
  json_builder_set_member_name (builder, "condition_key");
  json_builder_add_string_value (builder, conditions[condition].key);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
pending_free (Pending *pending)
{
  /* A client gone before its answer: the timer finds the next one due when it fires. */
  if (pending->waiting != NULL)
    g_sequence_remove (pending->waiting);
  g_clear_object (&pending->msg);
  g_free (pending->city);
  g_free (pending);
}

static void
respond (SoupServerMessage *msg,
         AwDemoFault        fault,
         const char        *city)
{
  static const char html[] =
    "<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
    "<body><h1>Service Unavailable</h1></body></html>";
  static const char malformed[] = "{\"current_condition\": {\"tmp\": 1";
  static const char not_found[] =
    "{\"errors\":[{\"code\":\"11\",\"text\":\"Ville non trouvée\","
    "\"description\":\"La ville demandée n'existe pas dans la base de données.\"}]}";

  switch (fault)
    {
    case AW_DEMO_FAULT_ERROR_STATUS:
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        html, sizeof html - 1);
      break;

    case AW_DEMO_FAULT_MALFORMED:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        malformed, sizeof malformed - 1);
      break;

    case AW_DEMO_FAULT_NOT_FOUND:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        not_found, sizeof not_found - 1);
      break;

    case AW_DEMO_FAULT_NONE:
    case AW_DEMO_FAULT_STALL:
    default:
      {
        /* The conditions in the language the client asked for. */
        char *body = aw_demo_server_build_body_for (
          city, soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                              "Accept-Language"));

        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                          body, strlen (body));
      }
      break;
    }
}

static int
compare_due (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  gint64 x = ((const Pending *)a)->due_us, y = ((const Pending *)b)->due_us;

  return (x > y) - (x < y);
}

static void
schedule_answers (AwDemoServer *self)
{
  GSequenceIter *first = g_sequence_get_begin_iter (self->waiting);

  g_source_set_ready_time (self->answers_due, g_sequence_iter_is_end (first)
                                              ? -1 : ((Pending *)g_sequence_get (first))->due_us);
}

/* Every answer whose latency has passed, in order: one timer for all of them. */
static gboolean
on_answers_due (gpointer user_data)
{
  AwDemoServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GSequenceIter *first;
  Pending *pending;

  while (!g_sequence_iter_is_end (first = g_sequence_get_begin_iter (self->waiting))
         && (pending = g_sequence_get (first))->due_us <= now)
    {
      /* The message keeps the Pending and frees it when it finishes. */
      g_sequence_remove (first);
      pending->waiting = NULL;
      respond (pending->msg, pending->fault, pending->city);
      soup_server_message_unpause (pending->msg);
    }
  schedule_answers (self);
  return G_SOURCE_CONTINUE;
}

static void
on_message_finished (SoupServerMessage *msg,
                     Pending           *pending)
{
  g_signal_handlers_disconnect_by_data (msg, pending);
  pending_free (pending);
}

/* The fault and latency for one request to @city. */
static void
plan_answer (AwDemoServer *self,
             const char   *city,
             AwDemoFault  *fault,
             double       *latency)
{
  gpointer value;

  g_mutex_lock (&self->mutex);

  self->n_requests++;
  aw_demo_server_counts_changed (self);

  if (self->latency_max > self->latency_min)
    *latency = g_random_double_range (self->latency_min, self->latency_max);
  else
    *latency = self->latency_min;
  if ((value = g_hash_table_lookup (self->city_latency, city)) != NULL)
    *latency = *(double *)value;

  *fault = GPOINTER_TO_INT (g_hash_table_lookup (self->city_fault, city));
  if (*fault == AW_DEMO_FAULT_NONE && self->failure_rate > 0)
    {
      /* Deterministic share: every 1/rate-th request fails, the kinds in turn. */
      self->failure_credit += self->failure_rate;
      if (self->failure_credit >= 1.0)
        {
          static const AwDemoFault kinds[] = {
            AW_DEMO_FAULT_ERROR_STATUS, AW_DEMO_FAULT_MALFORMED, AW_DEMO_FAULT_STALL,
          };

          self->failure_credit -= 1.0;
          *fault = kinds[self->n_faults++ % G_N_ELEMENTS (kinds)];
        }
    }

  g_mutex_unlock (&self->mutex);
}

static void
handle_weather (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  AwDemoServer *self = user_data;
  const char *segment;
  Pending *pending;
  double latency;

  /* One request per connection, closed by the server: libsoup 3.2's server never notices a
   * client closing an idle kept-alive connection, and would keep its socket forever. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* libsoup hands the path decoded: the rest of it is the city, '/' and '%' included. */
  segment = path + strlen (PATH_PREFIX);
  if (!g_str_has_prefix (path, PATH_PREFIX) || *segment == '\0'
      || !g_utf8_validate (segment, -1, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->msg = g_object_ref (msg);
  pending->city = g_strdup (segment);
  plan_answer (self, pending->city, &pending->fault, &latency);

  g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), pending);
  /* A client gone while its answer waits: libsoup drops the message's I/O without "finished",
   * and unpausing it then would be an error. */
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_finished), pending);
  soup_server_message_pause (msg);

  /* A stall outlasts any sensible client timeout, then ends so that its state is freed. */
  if (pending->fault == AW_DEMO_FAULT_STALL)
    latency = STALL_S;

  /* The delay is a timer on the server's loop, never a sleep: it serves every request at once. */
  pending->due_us = g_get_monotonic_time () + (gint64)(latency * G_USEC_PER_SEC);
  pending->waiting = g_sequence_insert_sorted (self->waiting, pending, compare_due, NULL);
  schedule_answers (self);
}

static gpointer
server_thread (gpointer user_data)
{
  AwDemoServer *self = user_data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  self->waiting = g_sequence_new (NULL);
  self->answers_due = aw_ready_source_new (on_answers_due, self);
  g_source_attach (self->answers_due, self->context);
  self->server = soup_server_new ("server-header", "async-weather-demo ", NULL);
  soup_server_add_handler (self->server, PATH_PREFIX, handle_weather, self, NULL);
  aw_demo_server_connections_init (self);
  aw_demo_server_connections_listen (self, &error);

  g_mutex_lock (&self->mutex);
  self->start_error = g_steal_pointer (&error);
  self->start_done = TRUE;
  g_cond_signal (&self->started);
  g_mutex_unlock (&self->mutex);

  if (self->base_uri != NULL)
    g_main_loop_run (self->loop);

  aw_demo_server_connections_close (self);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let the messages that were answered or dropped finish and free their state. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  aw_demo_server_connections_free (self);
  g_source_destroy (self->answers_due);
  g_clear_pointer (&self->answers_due, g_source_unref);
  /* Answers never sent belong to their messages still, which free them if they finish. */
  for (GSequenceIter *iter = g_sequence_get_begin_iter (self->waiting);
       !g_sequence_iter_is_end (iter); iter = g_sequence_iter_next (iter))
    ((Pending *)g_sequence_get (iter))->waiting = NULL;
  g_clear_pointer (&self->waiting, g_sequence_free);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
aw_demo_server_finalize (GObject *object)
{
  AwDemoServer *self = (AwDemoServer *)object;

  aw_demo_server_stop (self);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_uri, g_free);
  g_clear_error (&self->start_error);
  g_clear_pointer (&self->city_latency, g_hash_table_unref);
  g_clear_pointer (&self->city_fault, g_hash_table_unref);
  g_clear_pointer (&self->observer, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->started);

  G_OBJECT_CLASS (aw_demo_server_parent_class)->finalize (object);
}

static void
aw_demo_server_class_init (AwDemoServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aw_demo_server_finalize;
}

static void
aw_demo_server_init (AwDemoServer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->started);
  self->latency_min = self->latency_max = AW_DEMO_DEFAULT_LATENCY_S;
  self->city_latency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->city_fault = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  aw_demo_server_set_limits (self, 0, 0, 0, 0);
}

AwDemoServer *
aw_demo_server_new (void)
{
  return g_object_new (AW_TYPE_DEMO_SERVER, NULL);
}

gboolean
aw_demo_server_start (AwDemoServer  *self,
                      guint          port,
                      GError       **error)
{
  g_return_val_if_fail (AW_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->port = port;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("aw-demo-server", server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->start_done)
    g_cond_wait (&self->started, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      aw_demo_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
aw_demo_server_stop (AwDemoServer *self)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));

  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
}

guint
aw_demo_server_get_port (AwDemoServer *self)
{
  g_return_val_if_fail (AW_IS_DEMO_SERVER (self), 0);
  return self->port;
}

const char *
aw_demo_server_get_base_uri (AwDemoServer *self)
{
  g_return_val_if_fail (AW_IS_DEMO_SERVER (self), NULL);
  return self->base_uri;
}

void
aw_demo_server_set_latency (AwDemoServer *self,
                            double        min_s,
                            double        max_s)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));

  g_mutex_lock (&self->mutex);
  self->latency_min = CLAMP (min_s, 0, 3600);
  self->latency_max = CLAMP (max_s, self->latency_min, 3600);
  g_mutex_unlock (&self->mutex);
}

void
aw_demo_server_set_city_latency (AwDemoServer *self,
                                 const char   *city,
                                 double        seconds)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));
  g_return_if_fail (city != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_insert (self->city_latency, g_strdup (city),
                       g_memdup2 (&(double) { CLAMP (seconds, 0, 3600) }, sizeof (double)));
  g_mutex_unlock (&self->mutex);
}

void
aw_demo_server_set_failure_rate (AwDemoServer *self,
                                 double        rate)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));

  g_mutex_lock (&self->mutex);
  self->failure_rate = CLAMP (rate, 0, 1);
  self->failure_credit = 0;
  g_mutex_unlock (&self->mutex);
}

void
aw_demo_server_set_city_fault (AwDemoServer *self,
                               const char   *city,
                               AwDemoFault   fault)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));
  g_return_if_fail (city != NULL);

  g_mutex_lock (&self->mutex);
  if (fault == AW_DEMO_FAULT_NONE)
    g_hash_table_remove (self->city_fault, city);
  else
    g_hash_table_insert (self->city_fault, g_strdup (city), GINT_TO_POINTER (fault));
  g_mutex_unlock (&self->mutex);
}

guint
aw_demo_server_get_n_requests (AwDemoServer *self)
{
  guint n;

  g_return_val_if_fail (AW_IS_DEMO_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_requests;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
aw_demo_server_get_n_connections (AwDemoServer *self)
{
  guint n;

  g_return_val_if_fail (AW_IS_DEMO_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_connections;
  g_mutex_unlock (&self->mutex);
  return n;
}

void
aw_demo_server_set_observer (AwDemoServer *self,
                             GMainContext *context)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));

  g_mutex_lock (&self->mutex);
  if (context != NULL)
    g_main_context_ref (context);
  g_clear_pointer (&self->observer, g_main_context_unref);
  self->observer = context;
  g_mutex_unlock (&self->mutex);
}

void
aw_demo_server_counts_changed (AwDemoServer *self)
{
  if (self->observer != NULL)
    g_main_context_wakeup (self->observer);
}
