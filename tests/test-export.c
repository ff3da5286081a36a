/* test-export.c: HAR 1.2, trace-event JSON and CSV of a real run, and the safe writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#ifdef G_OS_UNIX
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "aw-demo-server.h"
#include "aw-export.h"

static AwFetchRun *
finished_run (AwMode mode)
{
  static const char * const cities[] = { "Paris", "Toulouse, \"la ville rose\"",
                                         "=SUM(A1,\"A2\")", "Down", NULL };
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  AwFetchRun *run;

  aw_demo_server_set_latency (server, 0.05, 0.05);
  aw_demo_server_set_city_fault (server, "Down", AW_DEMO_FAULT_ERROR_STATUS);
  aw_demo_server_start (server, 0, &error);
  g_assert_no_error (error);
  provider = aw_provider_new_for_name ("demo", aw_demo_server_get_base_uri (server), &error);

  run = aw_fetch_run_new (provider, mode, cities);
  aw_fetch_run_run_async (run, NULL, NULL, NULL);
  while (!aw_fetch_run_is_finished (run))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  aw_demo_server_stop (server);
  return run;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* HAR 1.2: time is the sum of the timings that apply (ssl is inside connect); blocked, dns,
 * connect, ssl are -1 or >= 0; send, wait, receive >= 0. */
static void
test_har (void)
{
  g_autoptr(AwFetchRun) run = finished_run (AW_MODE_CONCURRENT);
  g_autofree char *text = aw_export_to_string (run, AW_EXPORT_HAR);
  g_autoptr(JsonObject) root = parse_object (text);
  JsonObject *log = json_object_get_object_member (root, "log");
  JsonArray *entries = json_object_get_array_member (log, "entries");
  static const char * const optional[] = { "blocked", "dns", "connect", "ssl" };
  static const char * const required[] = { "send", "wait", "receive" };

  g_assert_cmpstr (json_object_get_string_member (log, "version"), ==, "1.2");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (log, "creator"),
                                                  "name"), ==, "Async Weather");
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *timings = json_object_get_object_member (entry, "timings");
      JsonObject *request = json_object_get_object_member (entry, "request");
      JsonObject *response = json_object_get_object_member (entry, "response");
      g_autoptr(GDateTime) started = NULL;
      double sum = 0;

      started = g_date_time_new_from_iso8601 (json_object_get_string_member (entry,
                                                                             "startedDateTime"),
                                              NULL);
      g_assert_nonnull (started);
      g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "GET");
      g_assert_true (g_str_has_prefix (json_object_get_string_member (request, "url"),
                                       "http://127.0.0.1:"));
      g_assert_true (json_object_has_member (response, "content"));

      for (guint t = 0; t < G_N_ELEMENTS (optional); t++)
        {
          double value = json_object_get_double_member (timings, optional[t]);

          g_assert_true (value == -1 || value >= 0);
          if (value > 0 && t != 3)
            sum += value;
        }
      for (guint t = 0; t < G_N_ELEMENTS (required); t++)
        {
          double value = json_object_get_double_member (timings, required[t]);

          g_assert_cmpfloat (value, >=, 0);
          sum += value;
        }
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "time"), sum, 0.01);
      g_assert_cmpfloat (json_object_get_double_member (timings, "wait"), >=, 40);
    }

  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (json_array_get_object_element (entries, 3),
                                                    "response"), "status"), ==, 503);

  /* Each task's ledger (one request each here) adds up to its bar; the page has the bound,
   * within its load time, and the loop's figures. */
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *ledger = json_object_get_object_member (json_array_get_object_element (entries,
                                                                                         i),
                                                          "_ledger");
      AwTask *task = aw_fetch_run_get_task (run, i);
      double sum = json_object_get_double_member (ledger, "queued")
                   + json_object_get_double_member (ledger, "network")
                   + json_object_get_double_member (ledger, "ready")
                   + json_object_get_double_member (ledger, "running");

      g_assert_cmpfloat_with_epsilon (sum, aw_task_get_duration_us (task) / 1000.0, 0.001);
    }
  {
    JsonObject *page = json_array_get_object_element (json_object_get_array_member (log, "pages"),
                                                      0);
    JsonObject *loop = json_object_get_object_member (page, "_loop");

    g_assert_cmpfloat (json_object_get_double_member (page, "_bound"), >, 0);
    g_assert_cmpfloat (json_object_get_double_member (page, "_bound"), <=,
                       json_object_get_double_member (
                         json_object_get_object_member (page, "pageTimings"), "onLoad"));
    g_assert_cmpint (json_object_get_int_member (loop, "callbacks"), >=, 4);
    g_assert_cmpfloat (json_object_get_double_member (loop, "idle"), >, 0);
  }
}

/* Trace events: one named track per task, slices on a track nest; then the thread lanes,
 * their slices in order on tracks of their own, each named by its task. */
static void
test_trace (void)
{
  g_autoptr(AwFetchRun) run = finished_run (AW_MODE_SEQUENTIAL);
  g_autofree char *text = aw_export_to_string (run, AW_EXPORT_TRACE);
  g_autoptr(JsonObject) root = parse_object (text);
  JsonArray *events = json_object_get_array_member (root, "traceEvents");
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) last_end = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint n_task_callbacks[4] = { 0 };

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      gint64 tid = json_object_get_int_member (event, "tid");

      g_assert_true (json_object_has_member (event, "pid"));
      if (g_str_equal (ph, "M"))
        {
          if (g_str_equal (json_object_get_string_member (event, "name"), "thread_name"))
            g_hash_table_insert (names, GINT_TO_POINTER (tid),
                                 g_strdup (json_object_get_string_member (
                                   json_object_get_object_member (event, "args"), "name")));
          continue;
        }

      g_assert_cmpstr (ph, ==, "X");
      g_assert_cmpint (json_object_get_int_member (event, "dur"), >=, 0);
      g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, 0);

      if (g_str_equal (json_object_get_string_member (event, "cat"), "lane"))
        {
          gint64 *end = g_hash_table_lookup (last_end, GINT_TO_POINTER (tid));
          const char *name = json_object_get_string_member (event, "name");

          g_assert_cmpint (tid, >, aw_fetch_run_get_n_tasks (run));
          if (end == NULL)
            g_hash_table_insert (last_end, GINT_TO_POINTER (tid), end = g_new0 (gint64, 2));
          g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, end[0]);
          end[0] = json_object_get_int_member (event, "ts") + json_object_get_int_member (event, "dur");
          for (guint t = 0; t < aw_fetch_run_get_n_tasks (run); t++)
            if (g_str_has_prefix (name, aw_task_get_city (aw_fetch_run_get_task (run, t))))
              n_task_callbacks[t]++;
          continue;
        }

      /* The task's slice comes first; phase slices follow in order inside it. */
      if (g_str_equal (json_object_get_string_member (event, "cat"), "phase"))
        {
          gint64 *end = g_hash_table_lookup (last_end, GINT_TO_POINTER (tid));

          g_assert_nonnull (end);
          g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, end[0]);
          end[0] = json_object_get_int_member (event, "ts") + json_object_get_int_member (event, "dur");
          g_assert_cmpint (end[0], <=, end[1]);
        }
      else
        {
          gint64 *end = g_new (gint64, 2);

          end[0] = json_object_get_int_member (event, "ts");
          end[1] = end[0] + json_object_get_int_member (event, "dur");
          g_assert_null (g_hash_table_lookup (last_end, GINT_TO_POINTER (tid)));
          g_hash_table_insert (last_end, GINT_TO_POINTER (tid), end);
        }
    }

  /* Sequential: the tasks' tracks, then the main loop's, on which each task ran callbacks. */
  g_assert_cmpuint (g_hash_table_size (names), ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpstr (g_hash_table_lookup (names, GINT_TO_POINTER (i + 1)), ==,
                       aw_task_get_city (aw_fetch_run_get_task (run, i)));
      g_assert_cmpuint (n_task_callbacks[i], >=, 2);
    }
  g_assert_cmpstr (g_hash_table_lookup (names, GINT_TO_POINTER (5)), ==,
                   aw_fetch_run_get_lane_name (run, 0));
}

static void
test_csv (void)
{
  g_autoptr(AwFetchRun) run = finished_run (AW_MODE_CONCURRENT);
  g_autofree char *text = aw_export_to_string (run, AW_EXPORT_CSV);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  g_assert_true (g_str_has_prefix (lines[0], "city,state,start_ms,end_ms,active_ms,queued_ms,"));
  g_assert_true (g_str_has_prefix (lines[1], "Paris,succeeded,"));
  g_assert_true (g_str_has_prefix (lines[2], "\"Toulouse, \"\"la ville rose\"\"\",succeeded,"));
  /* The apostrophe goes inside the quotes, or a parser would see a field break at the comma. */
  g_assert_true (g_str_has_prefix (lines[3], "\"'=SUM(A1,\"\"A2\"\")\",succeeded,"));
  g_assert_true (g_str_has_prefix (lines[4], "Down,failed,"));
  g_assert_nonnull (strstr (lines[4], "503"));
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_null (lines[6]);

  /* The four columns before the run's are the ledger: they add up to end - start. */
  g_assert_true (g_str_has_suffix (lines[0], ",ledger_queued_ms,ledger_network_ms,"
                                             "ledger_ready_ms,ledger_running_ms,run,mode"));
  for (guint i = 1; i <= 4; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      guint n = g_strv_length (fields);
      AwTask *task = aw_fetch_run_get_task (run, i - 1);
      double sum = 0;

      for (guint f = n - 6; f < n - 2; f++)
        sum += g_ascii_strtod (fields[f], NULL);
      g_assert_cmpfloat_with_epsilon (sum, aw_task_get_duration_us (task) / 1000.0, 0.0025);
    }
}

static void
test_to_file (void)
{
  g_autoptr(AwFetchRun) run = finished_run (AW_MODE_CONCURRENT);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aw-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.har", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "run.csv", NULL);

  g_assert_true (aw_export_to_file (run, AW_EXPORT_HAR, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (aw_export_to_file (run, AW_EXPORT_CSV, missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_remove (path);
  g_rmdir (dir);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
write_text (const char  *path,
            const char  *text,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return aw_export_write (file, text, strlen (text), error);
}

/* A new file, an existing one replaced, a folder refused. */
static void
test_write_regular (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aw-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GDir) listing = NULL;

  g_assert_true (write_text (path, "one", &error));
  g_assert_no_error (error);
  g_assert_true (write_text (path, "two", &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "two");

  /* Nothing left behind beside it. */
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "run.csv");
  g_assert_null (g_dir_read_name (listing));

  g_assert_false (write_text (dir, "three", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  g_remove (path);
  g_rmdir (dir);
}

#ifdef G_OS_UNIX
/* A link is followed and kept; a device (through a link) and a FIFO are refused untouched. */
static void
test_write_special (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aw-export-XXXXXX", &error);
  g_autofree char *real = g_build_filename (dir, "real.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "link.csv", NULL);
  g_autofree char *null = g_build_filename (dir, "null", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *text = NULL;
  g_autofree char *target = NULL;
  GStatBuf buf;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  g_assert_cmpint (symlink ("real.csv", link), ==, 0);
  g_assert_true (write_text (link, "new", &error));
  g_assert_no_error (error);
  target = g_file_read_link (link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (target, ==, "real.csv");
  text = read_text (real);
  g_assert_cmpstr (text, ==, "new");

  g_assert_cmpint (symlink ("/dev/null", null), ==, 0);
  g_assert_false (write_text (null, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);
  g_assert_true (g_file_test (null, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_stat ("/dev/null", &buf), ==, 0);
  g_assert_true (S_ISCHR (buf.st_mode));

  /* Opening a FIFO to write would block until a reader comes: refused before that. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_false (write_text (fifo, "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_cmpint (g_lstat (fifo, &buf), ==, 0);
  g_assert_true (S_ISFIFO (buf.st_mode));

  g_remove (fifo);
  g_remove (null);
  g_remove (link);
  g_remove (real);
  g_rmdir (dir);
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/har", test_har);
  g_test_add_func ("/export/trace", test_trace);
  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/to-file", test_to_file);
  g_test_add_func ("/export/write-regular", test_write_regular);
#ifdef G_OS_UNIX
  g_test_add_func ("/export/write-special", test_write_special);
#endif

  return g_test_run ();
}
