/* test-cli-cities.c: async-weather-cli --cities-from, from standard input and from a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

/* Runs the command line with @input on its standard input; its exit status, output, errors. */
static int
run_cli (const char  *input,
         char       **out,
         char       **err,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (char *)CLI_PATH);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  cli = g_subprocess_newv ((const char * const *)argv->pdata,
                           G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, input, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (cli);
}

/* 500 names on standard input, blank lines, a comment and Windows line ends among them: each
 * a task, in order, after the cities of the command line. */
static void
test_stdin (void)
{
  g_autoptr(GString) input = g_string_new ("# a comment\r\n\r\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *tasks;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (input, "Ville %u%s", i, i % 2 ? "\r\n" : "\n\n");
  g_assert_cmpint (run_cli (input->str, &out, &err, "--cities-from=-", "--json",
                            "--demo-latency=0.05", "Paris", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  tasks = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 501);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tasks, 0),
                                                  "city"), ==, "Paris");
  for (guint i = 0; i < 500; i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i + 1);
      g_autofree char *city = g_strdup_printf ("Ville %u", i);

      g_assert_cmpstr (json_object_get_string_member (task, "city"), ==, city);
      g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "succeeded");
    }
}

/* Bad names are each reported with the reason, and nothing runs. */
static void
test_bad_names (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli ("Lyon\nBad\tname\nLYON\n", &out, &err, "--cities-from=-", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "“Bad\\tname”: The city name contains a control character"));
  g_assert_nonnull (strstr (err, "“LYON”: already in the list"));
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli ("", &out, &err, "--cities-from=/nonexistent/cities.txt", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "/nonexistent/cities.txt"));
}

/* The sample list shipped with the app reads as it is. */
static void
test_file (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Nearly 4000 at once: a sanitizer build on one core takes its time, and that is not what
   * this test is about. */
  g_assert_cmpint (run_cli ("", &out, &err, "--cities-from=" SAMPLES_PATH, "--json",
                            "--demo-latency=0.01", "--timeout=600", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"city\":\"Buenos Aires\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/cities-from/stdin", test_stdin);
  g_test_add_func ("/cli/cities-from/bad-names", test_bad_names);
  g_test_add_func ("/cli/cities-from/file", test_file);
  return g_test_run ();
}
