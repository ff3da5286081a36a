/* aw-cli.c: async-weather-cli, the engine from a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#ifdef G_OS_UNIX
#include <glib-unix.h>
#include <unistd.h>
#endif
#ifdef G_OS_WIN32
#include <windows.h>
#endif

#include "aw-city-list.h"
#include "aw-demo-server.h"
#include "aw-descriptors.h"
#include "aw-export.h"
#include "aw-fetch-run.h"
#include "aw-host-policy.h"
#include "aw-work.h"

#include "aw-cli-private.h"

#define SERVE_DESCRIPTORS 16384

/* EXIT_TASK_FAILED also when an output could not be written; an interrupt exits 128 + the
 * signal's number, as a shell reports a process the signal ended. */
enum { EXIT_OK, EXIT_TASK_FAILED, EXIT_USAGE };

static const char * const tutorial_cities[] = { "Paris", "Toulouse", "Marseille", NULL };

typedef struct
{
  char       *mode;
  int         limit;
  char       *provider;
  char       *base_url;
  char       *demo_latency;
  double      demo_failure_rate;
  double      timeout;
  int         conns_per_host;
  gboolean    allow_many;
  int         work_ms;
  char       *workload;
  gboolean    json;
  char       *export_har;
  char       *export_trace;
  char       *export_csv;
  int         serve_port;
  char      **cities;
  char       *cities_from;

  GMainLoop    *loop;
  GCancellable *cancellable;  /* the run's: an interrupt stops it as Stop does */
  AwFetchRun   *run;
} Options;

/* The first signal that interrupted the run (0: none). Set from the signal handler. */
static volatile sig_atomic_t interrupted_by;
/* Said on the first interrupt, translated before any signal can come. */
static const char *interrupt_message = "";

/* The first error writing standard output (0: none), for the message and the exit status. */
static int stdout_errno;

static void
options_clear (Options *options)
{
  g_free (options->mode);
  g_free (options->provider);
  g_free (options->base_url);
  g_free (options->demo_latency);
  g_free (options->workload);
  g_free (options->export_har);
  g_free (options->export_trace);
  g_free (options->export_csv);
  g_strfreev (options->cities);
  g_free (options->cities_from);
  g_clear_pointer (&options->loop, g_main_loop_unref);
  g_clear_object (&options->cancellable);
  g_clear_object (&options->run);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* "0.5" or "0.2-0.8": a fixed latency or a random one in a range, in seconds. */
static gboolean
parse_latency (const char *text,
               double     *min_s,
               double     *max_s)
{
  g_auto(GStrv) parts = g_strsplit (text, "-", 2);
  char *end;

  *min_s = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end != '\0' || *min_s < 0 || *min_s > 3600)
    return FALSE;
  *max_s = *min_s;
  if (parts[1] == NULL)
    return TRUE;
  *max_s = g_ascii_strtod (parts[1], &end);
  return end != parts[1] && *end == '\0' && *max_s >= *min_s && *max_s <= 3600;
}

/* g_print()'s own output (in the console's charset), with every write checked. */
static void
print_checked (const char *text)
{
  g_autofree char *converted = NULL;
  const char *charset;

  if (!g_get_console_charset (&charset))
    text = converted = g_convert_with_fallback (text, -1, charset, "UTF-8", "?",
                                                NULL, NULL, NULL);
  errno = 0;
  if (text != NULL && (fputs (text, stdout) == EOF || fflush (stdout) != 0)
      && stdout_errno == 0)
    stdout_errno = errno ? errno : EIO;
}

/* Whether everything sent to standard output reached it: the last chance to see a full disk. */
static gboolean
close_stdout (void)
{
  g_autofree char *message = NULL;

  errno = 0;
  if (fclose (stdout) != 0 && stdout_errno == 0)
    stdout_errno = errno ? errno : EIO;
  if (stdout_errno == 0)
    return TRUE;
  message = g_strdup_printf (_("Could not write to standard output: %s"),
                             g_strerror (stdout_errno));
  g_printerr ("%s\n", message);
  return FALSE;
}

/* The first interrupt stops the run the way Stop does; what finished is still printed and
 * exported. A second one ends the process at once. */
static void
interrupt (Options *options)
{
  g_cancellable_cancel (options->cancellable);
  if (options->run == NULL)
    g_main_loop_quit (options->loop);
}

#ifdef G_OS_UNIX
static int interrupt_pipe[2] = { -1, -1 };

/* Async-signal-safe: notes the signal, says so, wakes the loop, and restores the default
 * action so that a second signal kills the process even while the loop is held (Blocking). */
static void
on_signal (int signum)
{
  struct sigaction action = { .sa_handler = SIG_DFL };
  int saved_errno = errno;
  char byte = 0;

  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  if (interrupted_by == 0)
    interrupted_by = signum;
  if (write (STDERR_FILENO, interrupt_message, strlen (interrupt_message)) < 0)
    { /* Nothing to do about it in a signal handler. */ }
  if (write (interrupt_pipe[1], &byte, 1) < 0)
    { /* The pipe is full: a wake-up is pending already. */ }
  errno = saved_errno;
}

static gboolean
on_interrupt_pipe (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  interrupt (user_data);
  return G_SOURCE_REMOVE;
}

#elif defined (G_OS_WIN32)
static Options *interrupt_options;

static gboolean
on_interrupt_idle (gpointer user_data)
{
  interrupt (interrupt_options);
  return G_SOURCE_REMOVE;
}

/* Runs on a thread of its own: hands the first Ctrl+C to the loop; for the second, returns
 * FALSE so that the default handler ends the process. */
static BOOL WINAPI
on_console_ctrl (DWORD type)
{
  if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
    return FALSE;
  if (interrupted_by != 0)
    return FALSE;
  interrupted_by = SIGINT;
  fputs (interrupt_message, stderr);
  g_idle_add (on_interrupt_idle, NULL);
  return TRUE;
}

#endif

/* SIGINT and SIGTERM (Ctrl+C and Ctrl+Break on Windows; elsewhere an interrupt ends the process
 * as it always did), saying @message on the first. */
static void
watch_interrupts (Options    *options,
                  const char *message)
{
  interrupt_message = message;
#ifdef G_OS_UNIX
  {
    struct sigaction action = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

    if (!g_unix_open_pipe (interrupt_pipe, FD_CLOEXEC, NULL))
      return;
    g_unix_set_fd_nonblocking (interrupt_pipe[1], TRUE, NULL);
    g_unix_fd_add (interrupt_pipe[0], G_IO_IN, on_interrupt_pipe, options);
    sigemptyset (&action.sa_mask);
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
  }
#elif defined (G_OS_WIN32)
  interrupt_options = options;
  SetConsoleCtrlHandler (on_console_ctrl, TRUE);
#endif
}


/* A real service is somebody else's: a large run needs --allow-many, and more connections
 * than a browser would open are said aloud. */
static gboolean
check_manners (Options    *options,
               AwProvider *provider)
{
  gboolean real = aw_provider_is_real (provider);
  guint n_cities = options->cities ? g_strv_length (options->cities)
                                   : g_strv_length ((GStrv)tutorial_cities);

  if (aw_host_policy_needs_consent (real, n_cities) && !options->allow_many)
    {
      g_autofree char *why = aw_host_policy_describe_many (n_cities);

      /* Translators: %s explains why; --allow-many is an option, not to translate */
      g_printerr (_("%s Add --allow-many to run it anyway.\n"), why);
      return FALSE;
    }
  if (aw_host_policy_conns_too_many (real, options->conns_per_host))
    {
      g_autofree char *why = aw_host_policy_describe_conns (options->conns_per_host);

      g_printerr (_("Warning: %s\n"), why);
    }
  return TRUE;
}



static gboolean
export_all (Options *options)
{
  const struct { const char *path; AwExportFormat format; } exports[] = {
    { options->export_har, AW_EXPORT_HAR },
    { options->export_trace, AW_EXPORT_TRACE },
    { options->export_csv, AW_EXPORT_CSV },
  };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
    {
      g_autoptr(GError) error = NULL;

      if (exports[i].path == NULL)
        continue;
      if (!aw_export_to_file (options->run, exports[i].format, exports[i].path, &error))
        {
          g_printerr (_("Could not export to %s: %s\n"), exports[i].path, error->message);
          ok = FALSE;
        }
    }
  return ok;
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Options *options = user_data;
  g_autoptr(GError) error = NULL;

  if (!aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, &error))
    g_printerr ("%s\n", error->message);
  g_main_loop_quit (options->loop);
}

static int
serve (Options *options,
       double   latency_min,
       double   latency_max)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(GError) error = NULL;

  aw_demo_server_set_latency (server, latency_min, latency_max);
  aw_demo_server_set_failure_rate (server, options->demo_failure_rate);
  if (!aw_demo_server_start (server, options->serve_port, &error))
    {
      g_printerr (_("Could not start the demo server: %s\n"), error->message);
      return EXIT_USAGE;
    }

  g_print (_("Serving demo weather on %s (press Ctrl+C to stop)\n"),
           aw_demo_server_get_base_uri (server));
  watch_interrupts (options, "");
  g_main_loop_run (options->loop);
  aw_demo_server_stop (server);
  return close_stdout () ? EXIT_OK : EXIT_TASK_FAILED;
}

/* --cities-from: one name a line, from a file or standard input ("-"), after the cities of
 * the command line. Every bad name is reported; any makes the whole command a usage error. */
static gboolean
read_cities_from (Options *options)
{
  const gsize max_bytes = 4 * 1024 * 1024;
  g_autoptr(GError) error = NULL;
  g_autoptr(AwCityList) list = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_str_equal (options->cities_from, "-"))
    {
      GString *text = g_string_new (NULL);
      char buffer[4096];
      size_t n;

      while (text->len <= max_bytes && (n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (text, buffer, n);
      length = text->len;
      contents = g_string_free (text, FALSE);
    }
  else if (!g_file_get_contents (options->cities_from, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  if (length > max_bytes)
    {
      g_printerr (_("%s: larger than %u MB, not a list of cities\n"), options->cities_from,
                  (guint)(max_bytes / (1024 * 1024)));
      return FALSE;
    }

  list = aw_city_list_parse (contents, length, AW_CITY_LIST_LINES,
                             (const char * const *)options->cities);
  for (guint i = 0; i < list->rejected->len; i++)
    /* Translators: the file, a city name in it, why it is refused */
    g_printerr (_("%s: “%s”: %s\n"), options->cities_from,
                (char *)g_ptr_array_index (list->rejected, i),
                (char *)g_ptr_array_index (list->reasons, i));
  if (list->rejected->len > 0)
    return FALSE;
  if (list->accepted->len == 0)
    {
      g_printerr (_("%s: no city in it\n"), options->cities_from);
      return FALSE;
    }

  if (options->cities != NULL)
    g_strv_builder_addv (builder, (const char **)options->cities);
  for (guint i = 0; i < list->accepted->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (list->accepted, i));
  g_strfreev (options->cities);
  options->cities = g_strv_builder_end (builder);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = {
    .limit = AW_DEFAULT_LIMIT,
    .timeout = AW_DEFAULT_TIMEOUT_S,
    .serve_port = -1,
  };
  GOptionEntry entries[] = {
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &options.mode,
      N_("How to run the tasks: sequential, concurrent (the default), limited, threads or blocking"),
      N_("MODE") },
    { "limit", 'k', 0, G_OPTION_ARG_INT, &options.limit,
      N_("Tasks in flight at once in limited mode (default 2)"), N_("K") },
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &options.provider,
      N_("Weather service: demo (the default, a built-in server), prevision or open-meteo"),
      N_("NAME") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &options.base_url,
      N_("Root of the service, for mirrors and tests (the demo provider then uses it instead of "
         "its own server)"), N_("URL") },
    { "demo-latency", 'l', 0, G_OPTION_ARG_STRING, &options.demo_latency,
      N_("Latency of the built-in demo server: seconds, or a random range such as 0.2-0.8 "
         "(default 2)"), N_("SECONDS") },
    { "demo-failure-rate", 0, 0, G_OPTION_ARG_DOUBLE, &options.demo_failure_rate,
      N_("Share of demo requests that fail, from 0 to 1 (default 0)"), N_("RATE") },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &options.timeout,
      N_("Seconds a task may take before it fails (default 15)"), N_("SECONDS") },
    { "conns-per-host", 0, 0, G_OPTION_ARG_INT, &options.conns_per_host,
      N_("Connections per host (default 0: one per task, 6 towards a real service)"), N_("N") },
    { "work", 'w', 0, G_OPTION_ARG_INT, &options.work_ms,
      N_("Milliseconds of real CPU work per answer, from 0 to 1000, on the thread that handles "
         "it (default 0)"), N_("MS") },
    { "workload", 0, 0, G_OPTION_ARG_STRING, &options.workload,
      N_("What each task does: weather (the default) or sleep, a timer of the demo latency "
         "without network"), N_("WORKLOAD") },
    { "allow-many", 0, 0, G_OPTION_ARG_NONE, &options.allow_many,
      N_("Allow a run of more than 100 cities against a real service"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &options.json,
      N_("Print the run as one JSON object"), NULL },
    { "export-har", 0, 0, G_OPTION_ARG_FILENAME, &options.export_har,
      N_("Save the run as HAR 1.2 (browser developer tools)"), N_("FILE") },
    { "export-trace", 0, 0, G_OPTION_ARG_FILENAME, &options.export_trace,
      N_("Save the run as Chrome trace-event JSON (Perfetto)"), N_("FILE") },
    { "export-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.export_csv,
      N_("Save the run as CSV"), N_("FILE") },
    { "serve", 0, 0, G_OPTION_ARG_INT, &options.serve_port,
      N_("Only run the demo server on this port (0 picks one) until interrupted"), N_("PORT") },
    { "cities-from", 0, 0, G_OPTION_ARG_FILENAME, &options.cities_from,
      N_("Also fetch the cities of FILE, one a line (- reads standard input)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.cities, NULL, N_("CITY…") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AwDemoServer) server = NULL;
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("AW_LOCALEDIR");
  double latency_min = AW_DEMO_DEFAULT_LATENCY_S, latency_max = AW_DEMO_DEFAULT_LATENCY_S;
  AwMode mode = AW_MODE_CONCURRENT;
  AwWorkload workload = AW_WORKLOAD_WEATHER;
  g_autoptr(GString) description = NULL;
  guint n_stdout = 0;
  int status;

  setlocale (LC_ALL, "");
  g_set_print_handler (print_checked);
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("[CITY…] — fetch the weather of cities, and time it"));
  g_option_context_set_summary (context,
    _("Fetches the current weather of every city in one mode and shows how long each task took,\n"
      "phase by phase, on a shared time axis: sequential tasks add up, concurrent ones overlap.\n"
      "Without cities it fetches the tutorial's Paris, Toulouse and Marseille."));
  description = g_string_new (_("Modes and the work they suit:\n"));
  for (AwMode m = 0; m < AW_N_MODES; m++)
    g_string_append_printf (description, "  %-12s %s\n", aw_mode_to_string (m),
                            aw_mode_get_suits (m));
  g_string_append_c (description, '\n');
  g_string_append (description,
    _("Exports write only regular files (a symbolic link's target, never the link); FILE “-”\n"
      "is standard output, instead of the table.\n"
      "Exit status: 0 when every task succeeded, 1 when any task failed or an output could not\n"
      "be written, 2 for bad usage, 130 (SIGINT, Ctrl+C) or 143 (SIGTERM) when interrupted: the\n"
      "first interrupt stops the run and still prints and exports what finished, a second one\n"
      "ends the program at once.\n"
      "With --json the run is printed as one object: mode, total_ms, sum_ms, speedup,\n"
      "longest_stall_ms, percentiles{p50_ms, p95_ms, p99_ms} (from 20 tasks, else null),\n"
      "bound_ms, loop{busy_ms, idle_ms, callbacks, iterations,\n"
      "longest_callback_ms}, threads[] of {name, slices[] of {start_ms, end_ms, task, kind}}\n"
      "and tasks[] of {city, state, start_ms, end_ms, phases{…}, ledger{queued_ms,\n"
      "network_ms, ready_ms, running_ms}, temperature_c, condition, error}, error being null\n"
      "on success."));
  g_string_append_c (description, '\n');
  g_string_append (description,
    _("It has cpu_ms too, the CPU time the process used during the run (every thread), and\n"
      "the workload and work_ms it ran with."));
  g_option_context_set_description (context, description->str);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }

  if (options.cities_from != NULL && !read_cities_from (&options))
    return EXIT_USAGE;
  if (options.mode != NULL && !aw_mode_from_string (options.mode, &mode))
    {
      g_printerr (_("Unknown mode “%s”: use sequential, concurrent, limited, threads or blocking\n"),
                  options.mode);
      return EXIT_USAGE;
    }
  if (options.workload != NULL && !aw_workload_from_string (options.workload, &workload))
    {
      g_printerr (_("Unknown workload “%s”: use weather or sleep\n"), options.workload);
      return EXIT_USAGE;
    }
  if (options.work_ms < 0 || options.work_ms > AW_MAX_WORK_MS)
    {
      g_printerr (_("The work per answer must be between 0 and %d ms\n"), AW_MAX_WORK_MS);
      return EXIT_USAGE;
    }
  if (options.limit < 1)
    {
      g_printerr (_("The limit must be at least 1\n"));
      return EXIT_USAGE;
    }
  if (options.timeout <= 0)
    {
      g_printerr (_("The timeout must be more than 0 seconds\n"));
      return EXIT_USAGE;
    }
  if (options.conns_per_host < 0)
    {
      g_printerr (_("The connections per host cannot be negative\n"));
      return EXIT_USAGE;
    }
  if (options.demo_failure_rate < 0 || options.demo_failure_rate > 1)
    {
      g_printerr (_("The failure rate must be between 0 and 1\n"));
      return EXIT_USAGE;
    }
  if (options.demo_latency != NULL
      && !parse_latency (options.demo_latency, &latency_min, &latency_max))
    {
      g_printerr (_("The demo latency must be seconds, or a range such as 0.2-0.8\n"));
      return EXIT_USAGE;
    }
  if (options.serve_port > 65535)
    {
      g_printerr (_("The port must be between 0 and 65535\n"));
      return EXIT_USAGE;
    }
  /* An export to "-" takes the table's place on standard output; two would mix. */
  n_stdout = (options.json ? 1 : 0) + (g_strcmp0 (options.export_har, "-") == 0)
             + (g_strcmp0 (options.export_trace, "-") == 0)
             + (g_strcmp0 (options.export_csv, "-") == 0);
  if (n_stdout > 1)
    {
      g_printerr (_("Only one output can go to standard output: --json or one export to “-”\n"));
      return EXIT_USAGE;
    }

  /* Each task's socket, the demo server's end of it when it runs in this process, and a few of
   * the process's own. A server on its own takes what comes: room for a class's thousands. */
  aw_descriptors_prepare (options.serve_port >= 0 ? SERVE_DESCRIPTORS
                          : 2 * (options.cities ? g_strv_length (options.cities) : 3) + 64);
  options.loop = g_main_loop_new (NULL, FALSE);
  options.cancellable = g_cancellable_new ();

  if (options.serve_port >= 0)
    return serve (&options, latency_min, latency_max);

  if (options.provider == NULL)
    options.provider = g_strdup (aw_providers[0].name);
  if (aw_provider_name_is_demo (options.provider))
    {
      if (options.base_url == NULL)
        {
          server = aw_demo_server_new ();
          aw_demo_server_set_latency (server, latency_min, latency_max);
          aw_demo_server_set_failure_rate (server, options.demo_failure_rate);
          if (!aw_demo_server_start (server, 0, &error))
            {
              g_printerr (_("Could not start the demo server: %s\n"), error->message);
              return EXIT_TASK_FAILED;
            }
        }
      provider = aw_provider_new_for_name (options.provider,
                                           server ? aw_demo_server_get_base_uri (server)
                                                  : options.base_url, &error);
    }
  else
    provider = aw_provider_new_for_name (options.provider, options.base_url, &error);

  if (provider == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_USAGE;
    }

  /* A sleep sends the service nothing: its manners do not apply. */
  if (workload == AW_WORKLOAD_WEATHER && !check_manners (&options, provider))
    return EXIT_USAGE;

  options.run = aw_fetch_run_new (provider, mode,
                                  options.cities ? (const char * const *)options.cities
                                                 : tutorial_cities);
  aw_fetch_run_set_limit (options.run, options.limit);
  aw_fetch_run_set_timeout (options.run, options.timeout);
  aw_fetch_run_set_conns_per_host (options.run, options.conns_per_host);
  aw_fetch_run_set_workload (options.run, workload);
  aw_fetch_run_set_sleep_latency (options.run, latency_min, latency_max);
  aw_fetch_run_set_work_ms (options.run, options.work_ms);
  watch_interrupts (&options, _("Interrupted: stopping the run, keeping what finished "
                                "(interrupt again to quit at once)\n"));
  aw_fetch_run_run_async (options.run, options.cancellable, on_run_done, &options);
  g_main_loop_run (options.loop);

  if (options.json)
    aw_cli_print_json (options.run);
  else if (n_stdout == 0)
    {
      aw_cli_print_results (options.run);
      aw_cli_print_waterfall (options.run);
      aw_cli_print_totals (options.run);
    }

  status = aw_fetch_run_get_n_failed (options.run) > 0 ? EXIT_TASK_FAILED : EXIT_OK;
  if (!export_all (&options))
    status = EXIT_TASK_FAILED;
  if (!close_stdout ())
    status = EXIT_TASK_FAILED;
  return interrupted_by != 0 ? 128 + interrupted_by : status;
}
