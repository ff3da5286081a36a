/* aw-demo-server.c: a real HTTP weather server on loopback, with latency and faults on demand
 *
 * It also stands floods: it accepts connections itself, in bursts, and hands each to libsoup
 * only once it has sent something; every connection has a deadline until its request is read
 * whole; bodies are capped; past a number of connections it drops the oldest one that has not
 * sent a whole request yet, or answers 503 when every one carries a real request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gnetworking.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#ifdef G_OS_UNIX
#include <sys/resource.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "aw-demo-server.h"
#include "aw-ready-source.h"

#define PATH_PREFIX "/services/json/"
#define STALL_S     30.0

/* Limits against floods: a demo on loopback needs none of them in normal use. */
#define MAX_CONNECTIONS      8192      /* past the benchmarks' 5,000 at once; beyond, each turn of the loop slows */
#define IDLE_TIMEOUT_S       10.0      /* a client that connects and sends nothing for this long is gone */
#define HEADER_TIMEOUT_S     10.0      /* a request (headers, then any body) arrives whole within this */
#define MAX_BODY_SIZE        (64 * 1024) /* the service takes GETs: any body is unused, a large one an attack */
#define LINGER_S             2.0       /* after a refusal, time for the client to read it before the close */
#define ACCEPTS_PER_TURN     64        /* a burst is taken in quickly, with answers going out between bursts */
#define ACCEPT_RETRY_MS      250       /* out of descriptors: look again after this long, not at every turn */
#define RESERVED_DESCRIPTORS 64        /* the process's own files, and the one a refusal needs */
#define DISCARD_PER_TURN     (64 * 1024) /* what a lingering connection may read and drop in one turn */
#define TRIM_AFTER           256       /* connections closed before freed memory is handed back */

struct _AwDemoServer
{
  GObject       parent_instance;

  /* owned by the server thread while it runs */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GSocket      *listener;
  GSource      *accepting;      /* readable listener; NULL while out of descriptors */
  GSource      *accept_retry;   /* while out of descriptors */
  gboolean      warned_descriptors;
  GHashTable   *clients;        /* every Client, owned */
  GQueue        idle;           /* Clients without a whole request's headers yet, oldest first */
  GSequence    *deadlines;      /* Clients with a deadline, by due time */
  GSource      *deadline_due;   /* ready at the first one's */
  struct _Client *handing_over; /* during soup_server_accept_iostream () */
  guint         n_live;         /* Clients not yet being dropped */
  guint         max_live;       /* this run's connection limit */
  guint         n_closed;       /* since memory was last trimmed */
  GSequence    *waiting;        /* Pending, by due time */
  GSource      *answers_due;    /* ready at the first one's */

  /* limits, set before start */
  guint         max_connections;
  double        idle_timeout;
  double        header_timeout;
  gsize         max_body_size;

  /* set once at start */
  guint         port;
  char         *base_uri;
  GError       *start_error;

  /* guarded by mutex: settings change from any thread */
  GMutex        mutex;
  GCond         started;
  gboolean      start_done;
  double        latency_min;
  double        latency_max;
  double        failure_rate;
  double        failure_credit;
  guint         n_faults;
  guint         n_requests;
  GHashTable   *city_latency;   /* city → double * */
  GHashTable   *city_fault;     /* city → AwDemoFault */
};

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
  soup_server_message_pause (msg);

  /* A stall outlasts any sensible client timeout, then ends so that its state is freed. */
  if (pending->fault == AW_DEMO_FAULT_STALL)
    latency = STALL_S;

  /* The delay is a timer on the server's loop, never a sleep: it serves every request at once. */
  pending->due_us = g_get_monotonic_time () + (gint64)(latency * G_USEC_PER_SEC);
  pending->waiting = g_sequence_insert_sorted (self->waiting, pending, compare_due, NULL);
  schedule_answers (self);
}

/* One connection, from its accept to its close. */
typedef enum
{
  CLIENT_WAITING,     /* accepted, nothing received yet: ours */
  CLIENT_READING,     /* libsoup reads its request */
  CLIENT_SERVING,     /* its request is read whole: the answer follows */
  CLIENT_LINGERING,   /* refused: ours again, its input dropped until it closes */
} ClientState;

typedef struct _Client
{
  AwDemoServer      *server;
  ClientState        state;
  GSocket           *socket;
  GSocketConnection *connection;  /* weakly referenced: its end is the Client's */
  gboolean           owned;       /* a reference on @connection is ours (WAITING, LINGERING) */
  gboolean           dropped;     /* on its way out: no longer counted against the limit */
  SoupServerMessage *msg;         /* weak: the request libsoup reads */
  GSource           *readable;    /* while WAITING or LINGERING */
  GSequenceIter     *deadline;    /* in the server's deadlines, while one applies */
  gint64             due_us;
  GList              idle_link;   /* in the server's idle queue while it may be evicted */
  goffset            body_size;
} Client;

static const char unavailable[] =
  "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n"
  "Retry-After: 1\r\n\r\n";
static const char bad_request[] =
  "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
static const char too_large[] =
  "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

static void resume_accepting (AwDemoServer *self);

static int
compare_client_due (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  gint64 x = ((const Client *)a)->due_us, y = ((const Client *)b)->due_us;

  return (x > y) - (x < y);
}

static void
client_set_deadline (Client *client,
                     gint64  due_us)
{
  AwDemoServer *self = client->server;
  GSequenceIter *first;

  g_clear_pointer (&client->deadline, g_sequence_remove);
  client->due_us = due_us;
  if (due_us >= 0)
    client->deadline = g_sequence_insert_sorted (self->deadlines, client, compare_client_due, NULL);

  first = g_sequence_get_begin_iter (self->deadlines);
  g_source_set_ready_time (self->deadline_due, g_sequence_iter_is_end (first)
                                               ? -1 : ((Client *)g_sequence_get (first))->due_us);
}

static void
client_set_idle (Client   *client,
                 gboolean  idle)
{
  if (idle && client->idle_link.data == NULL)
    {
      client->idle_link.data = client;
      g_queue_push_tail_link (&client->server->idle, &client->idle_link);
    }
  else if (!idle && client->idle_link.data != NULL)
    {
      g_queue_unlink (&client->server->idle, &client->idle_link);
      client->idle_link.data = NULL;
    }
}

static void
client_forget_msg (Client *client)
{
  if (client->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (client->msg, client);
  g_object_remove_weak_pointer (G_OBJECT (client->msg), (gpointer *)&client->msg);
  client->msg = NULL;
}

static void client_gone (gpointer  user_data,
                         GObject  *connection);

/* The hash table's free function: every way out ends here. */
static void
client_free (Client *client)
{
  AwDemoServer *self = client->server;

  client_set_idle (client, FALSE);
  client_set_deadline (client, -1);
  if (!client->dropped)
    self->n_live--;
  if (client->readable != NULL)
    g_source_destroy (client->readable);
  g_clear_pointer (&client->readable, g_source_unref);
  client_forget_msg (client);
  if (client->connection != NULL)
    {
      g_object_weak_unref (G_OBJECT (client->connection), client_gone, client);
      if (client->owned)
        {
          g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
          g_object_unref (client->connection);
        }
    }
  g_clear_object (&client->socket);
  g_free (client);
}

static void
client_end (Client *client)
{
  AwDemoServer *self = client->server;

  g_hash_table_remove (self->clients, client);

  /* Out of descriptors: one has just come back. */
  if (self->accept_retry != NULL)
    resume_accepting (self);

#ifdef __GLIBC__
  /* A flood's worth of freed memory goes back to the system once it is over, rather than
   * staying with the allocator's arenas. */
  if (++self->n_closed >= TRIM_AFTER && g_hash_table_size (self->clients) == 0)
    {
      self->n_closed = 0;
      malloc_trim (0);
    }
#endif
}

/* libsoup let go of the connection: it has closed it. */
static void
client_gone (gpointer  user_data,
             GObject  *connection)
{
  Client *client = user_data;

  client->connection = NULL;
  client_end (client);
}

/* Timed out, or evicted: closed now if ours, or shut so that libsoup notices and lets go. */
static void
client_drop (Client *client)
{
  if (client->owned)
    {
      client_end (client);
      return;
    }

  client_set_idle (client, FALSE);
  client_set_deadline (client, -1);
  if (!client->dropped)
    client->server->n_live--;
  client->dropped = TRUE;
  g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
}

/* Its input is read and dropped until the client closes or its time is up, so that it
 * reads the refusal rather than a reset. */
static gboolean
client_discard (Client *client)
{
  char buffer[8192];

  for (gsize total = 0; total < DISCARD_PER_TURN; )
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive_with_blocking (client->socket, buffer, sizeof buffer, FALSE,
                                                 NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n <= 0)
        {
          g_clear_pointer (&client->readable, g_source_unref);
          client_end (client);
          return G_SOURCE_REMOVE;
        }
      total += n;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean on_client_readable (GSocket      *socket,
                                    GIOCondition  condition,
                                    gpointer      user_data);

static void
client_watch (Client *client)
{
  client->readable = g_socket_create_source (client->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (client->readable, G_SOURCE_FUNC (on_client_readable), client, NULL);
  g_source_attach (client->readable, client->server->context);
}

/* Answers @response itself, without reading the rest of the request, and closes. */
static void
client_refuse (Client     *client,
               const char *response)
{
  if (client->state == CLIENT_LINGERING)
    return;

  if (!client->owned)
    {
      SoupServerMessage *msg = client->msg;
      g_autoptr(GIOStream) stolen = NULL;

      /* libsoup has nothing of it left: the rest of the request is never read. */
      g_object_ref (client->connection);
      client->owned = TRUE;
      client_forget_msg (client);
      if (msg != NULL)
        stolen = soup_server_message_steal_connection (msg);
    }

  client->state = CLIENT_LINGERING;
  g_socket_send_with_blocking (client->socket, response, strlen (response), FALSE, NULL, NULL);
  g_socket_shutdown (client->socket, FALSE, TRUE, NULL);
  client_set_deadline (client, g_get_monotonic_time () + (gint64)(LINGER_S * G_USEC_PER_SEC));
  client_set_idle (client, TRUE);
  if (client->readable == NULL)
    client_watch (client);
}

static void
on_got_headers (SoupServerMessage *msg,
                Client            *client)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* A whole request's headers: worth keeping over a newcomer. */
  client_set_idle (client, FALSE);
  /* The service reads no body: none is kept, whatever its size. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  /* libsoup 3.2 takes a negative length as it comes, and warns later while reading the body. */
  if (soup_message_headers_get_content_length (headers) < 0)
    client_refuse (client, bad_request);
  else if (soup_message_headers_get_content_length (headers) > (goffset)client->server->max_body_size)
    client_refuse (client, too_large);
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              Client            *client)
{
  client->body_size += g_bytes_get_size (chunk);
  if (client->body_size > (goffset)client->server->max_body_size)
    client_refuse (client, too_large);
}

static void
on_got_body (SoupServerMessage *msg,
             Client            *client)
{
  /* Read whole: from here its answer's latency rules, or a fault's stall. */
  client->state = CLIENT_SERVING;
  client_set_deadline (client, -1);
}

/* The first request of a connection starts inside soup_server_accept_iostream (). */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    AwDemoServer      *self)
{
  Client *client = self->handing_over;

  if (client == NULL || client->msg != NULL)
    return;

  client->msg = msg;
  g_object_add_weak_pointer (G_OBJECT (msg), (gpointer *)&client->msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), client);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), client);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), client);
}

/* Something has arrived: libsoup reads the request from here. */
static void
client_hand_over (Client *client)
{
  AwDemoServer *self = client->server;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client->socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client->socket, NULL);
  g_autoptr(GSocketConnection) connection = NULL;

  /* A client gone before this point is dropped: it already sees its connection closed. */
  if (local == NULL || remote == NULL)
    {
      client_end (client);
      return;
    }

  client->state = CLIENT_READING;
  client_set_deadline (client, g_get_monotonic_time ()
                               + (gint64)(self->header_timeout * G_USEC_PER_SEC));
  connection = client->connection;
  client->owned = FALSE;

  self->handing_over = client;
  soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, NULL);
  self->handing_over = NULL;
  /* libsoup may have answered and closed already: then this frees the Client. */
}

static gboolean
on_client_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  Client *client = user_data;

  if (client->state == CLIENT_LINGERING)
    return client_discard (client);

  g_clear_pointer (&client->readable, g_source_unref);
  /* Closed without a word: no need to trouble libsoup. */
  if (g_socket_get_available_bytes (socket) <= 0)
    client_end (client);
  else
    client_hand_over (client);
  return G_SOURCE_REMOVE;
}

/* Idle, slow and lingering clients whose time is up. */
static gboolean
on_deadline_due (gpointer user_data)
{
  AwDemoServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GSequenceIter *first;
  Client *client;

  while (!g_sequence_iter_is_end (first = g_sequence_get_begin_iter (self->deadlines))
         && (client = g_sequence_get (first))->due_us <= now)
    client_drop (client);
  return G_SOURCE_CONTINUE;
}

static void
accept_client (AwDemoServer *self,
               GSocket      *socket)
{
  Client *client;

  /* Full: the connection that has waited longest without a whole request makes room. */
  if (self->n_live >= self->max_live && self->idle.head != NULL)
    client_drop (self->idle.head->data);
  if (self->n_live >= self->max_live)
    {
      g_socket_send_with_blocking (socket, unavailable, sizeof unavailable - 1, FALSE, NULL, NULL);
      g_socket_close (socket, NULL);
      g_object_unref (socket);
      return;
    }

  client = g_new0 (Client, 1);
  client->server = self;
  client->state = CLIENT_WAITING;
  client->socket = socket;
  client->connection = g_socket_connection_factory_create_connection (socket);
  client->owned = TRUE;
  g_object_weak_ref (G_OBJECT (client->connection), client_gone, client);
  g_hash_table_add (self->clients, client);
  self->n_live++;
  client_set_idle (client, TRUE);

  /* Most clients have sent their request by the time they are accepted. */
  if (g_socket_get_available_bytes (socket) > 0)
    {
      client_hand_over (client);
      return;
    }
  client_set_deadline (client, g_get_monotonic_time ()
                               + (gint64)(self->idle_timeout * G_USEC_PER_SEC));
  client_watch (client);
}

static gboolean
on_accept_retry (gpointer user_data)
{
  resume_accepting (user_data);
  return G_SOURCE_REMOVE;
}

/* Out of descriptors: the listener stays readable, so it is left alone for a while, or until
 * a connection closes, rather than tried again at every turn of the loop. */
static void
pause_accepting (AwDemoServer *self)
{
  if (!self->warned_descriptors)
    g_warning ("The demo server is out of file descriptors: new connections wait until some close");
  self->warned_descriptors = TRUE;

  g_source_destroy (self->accepting);
  g_clear_pointer (&self->accepting, g_source_unref);
  self->accept_retry = g_timeout_source_new (ACCEPT_RETRY_MS);
  g_source_set_callback (self->accept_retry, on_accept_retry, self, NULL);
  g_source_attach (self->accept_retry, self->context);
}

/* Several connections per turn: a burst of thousands is taken in without a turn each. */
static gboolean
on_listener_readable (GSocket      *listener,
                      GIOCondition  condition,
                      gpointer      user_data)
{
  AwDemoServer *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_TURN; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = g_socket_accept (listener, NULL, &error);

      if (socket != NULL)
        accept_client (self, socket);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
               || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          pause_accepting (self);
          return G_SOURCE_REMOVE;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      /* else a client gone before its accept: the next one */
    }
  return G_SOURCE_CONTINUE;
}

static void
resume_accepting (AwDemoServer *self)
{
  if (self->accept_retry != NULL)
    g_source_destroy (self->accept_retry);
  g_clear_pointer (&self->accept_retry, g_source_unref);
  if (self->accepting != NULL)
    return;

  self->accepting = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accepting, G_SOURCE_FUNC (on_listener_readable), self, NULL);
  g_source_attach (self->accepting, self->context);
}

/* The connection limit: what was asked, within half the descriptors the process may open (the
 * other half is for the runs it serves in the same process). */
static guint
connection_budget (AwDemoServer *self)
{
  guint budget = self->max_connections;
#ifdef G_OS_UNIX
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    budget = MIN (budget, limit.rlim_cur > 2 * RESERVED_DESCRIPTORS
                          ? (limit.rlim_cur - RESERVED_DESCRIPTORS) / 2 : RESERVED_DESCRIPTORS / 2);
#endif
  return MAX (budget, 1);
}

/* The listener is ours, not libsoup's: its own accepts one connection per turn of the loop, and
 * never frees the socket objects it accepts. */
static gboolean
listen_on_loopback (AwDemoServer  *self,
                    GError       **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, self->port);
  g_autoptr(GSocketAddress) bound = NULL;

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL)
    return FALSE;
  g_socket_set_blocking (self->listener, FALSE);
  /* Thousands of clients connect at once in a large run: keep them all in the queue. */
  g_socket_set_listen_backlog (self->listener, SOMAXCONN);
  if (!g_socket_bind (self->listener, address, TRUE, error)
      || !g_socket_listen (self->listener, error)
      || (bound = g_socket_get_local_address (self->listener, error)) == NULL)
    return FALSE;

  self->max_live = connection_budget (self);
  resume_accepting (self);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->base_uri = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  return TRUE;
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
  self->clients = g_hash_table_new_full (NULL, NULL, (GDestroyNotify)client_free, NULL);
  self->deadlines = g_sequence_new (NULL);
  self->deadline_due = aw_ready_source_new (on_deadline_due, self);
  g_source_attach (self->deadline_due, self->context);
  self->server = soup_server_new ("server-header", "async-weather-demo ", NULL);
  soup_server_add_handler (self->server, PATH_PREFIX, handle_weather, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), self);
  listen_on_loopback (self, &error);

  g_mutex_lock (&self->mutex);
  self->start_error = g_steal_pointer (&error);
  self->start_done = TRUE;
  g_cond_signal (&self->started);
  g_mutex_unlock (&self->mutex);

  if (self->base_uri != NULL)
    g_main_loop_run (self->loop);

  if (self->accepting != NULL)
    g_source_destroy (self->accepting);
  g_clear_pointer (&self->accepting, g_source_unref);
  if (self->accept_retry != NULL)
    g_source_destroy (self->accept_retry);
  g_clear_pointer (&self->accept_retry, g_source_unref);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
  /* Connections libsoup holds are closed with it; the others here. */
  g_hash_table_remove_all (self->clients);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let the messages that were answered or dropped finish and free their state. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_source_destroy (self->deadline_due);
  g_clear_pointer (&self->deadline_due, g_source_unref);
  g_clear_pointer (&self->deadlines, g_sequence_free);
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
  self->max_connections = MAX_CONNECTIONS;
  self->idle_timeout = IDLE_TIMEOUT_S;
  self->header_timeout = HEADER_TIMEOUT_S;
  self->max_body_size = MAX_BODY_SIZE;
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
aw_demo_server_set_limits (AwDemoServer *self,
                           guint         max_connections,
                           double        idle_timeout_s,
                           double        header_timeout_s,
                           gsize         max_body_size)
{
  g_return_if_fail (AW_IS_DEMO_SERVER (self));
  g_return_if_fail (self->thread == NULL);

  self->max_connections = max_connections > 0 ? max_connections : MAX_CONNECTIONS;
  self->idle_timeout = idle_timeout_s > 0 ? idle_timeout_s : IDLE_TIMEOUT_S;
  self->header_timeout = header_timeout_s > 0 ? header_timeout_s : HEADER_TIMEOUT_S;
  self->max_body_size = max_body_size > 0 ? max_body_size : MAX_BODY_SIZE;
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
