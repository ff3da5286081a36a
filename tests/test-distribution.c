/* test-distribution.c: percentiles and histogram bins of known durations, and a real run's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-demo-server.h"
#include "aw-distribution.h"
#include "aw-provider.h"
#include "aw-test-utils.h"

/* 1..100 ms: each percentile is its own rank. */
static void
test_percentiles_of_100 (void)
{
  gint64 values[100];
  AwPercentiles p;

  for (guint i = 0; i < 100; i++)
    values[i] = (i + 1) * 1000;
  g_assert_true (aw_distribution_percentiles (values, 100, &p));
  g_assert_cmpint (p.p50_us, ==, 50000);
  g_assert_cmpint (p.p95_us, ==, 95000);
  g_assert_cmpint (p.p99_us, ==, 99000);
  g_assert_cmpint (aw_distribution_percentile (values, 100, 100), ==, 100000);
  g_assert_cmpint (aw_distribution_percentile (values, 100, 0.5), ==, 1000);
}

/* 20 tasks, one slow: the median ignores it, p95 and p99 show it. */
static void
test_percentiles_of_20 (void)
{
  gint64 values[20];
  AwPercentiles p;

  for (guint i = 0; i < 19; i++)
    values[i] = 300000 + i * 1000;
  values[19] = 2000000;
  g_assert_true (aw_distribution_percentiles (values, 20, &p));
  g_assert_cmpint (p.p50_us, ==, 309000);   /* rank 10 */
  g_assert_cmpint (p.p95_us, ==, 318000);   /* rank 19 */
  g_assert_cmpint (p.p99_us, ==, 2000000);  /* rank 20 */
  /* One value is all of them; none is nothing. */
  g_assert_true (aw_distribution_percentiles (values + 19, 1, &p));
  g_assert_cmpint (p.p50_us, ==, 2000000);
  g_assert_cmpint (p.p99_us, ==, 2000000);
  g_assert_false (aw_distribution_percentiles (values, 0, &p));
  g_assert_cmpint (p.p50_us, ==, 0);
}

static void
test_histogram (void)
{
  gint64 values[] = { 100, 100, 150, 199, 200, 250, 300, 399, 400, 500 };
  guint counts[4];
  gint64 min_us, bin_us;
  guint total = 0;

  aw_distribution_histogram (values, G_N_ELEMENTS (values), 4, counts, &min_us, &bin_us);
  /* 100..500 in four bins of 101 µs: [100,201) [201,302) [302,403) [403,504) */
  g_assert_cmpint (min_us, ==, 100);
  g_assert_cmpint (bin_us, ==, 101);
  g_assert_cmpuint (counts[0], ==, 5);
  g_assert_cmpuint (counts[1], ==, 2);
  g_assert_cmpuint (counts[2], ==, 2);
  g_assert_cmpuint (counts[3], ==, 1);
  for (guint i = 0; i < 4; i++)
    total += counts[i];
  g_assert_cmpuint (total, ==, G_N_ELEMENTS (values));

  /* All equal: one full bin, no division by zero. */
  aw_distribution_histogram (values, 2, 4, counts, &min_us, &bin_us);
  g_assert_cmpint (bin_us, ==, 1);
  g_assert_cmpuint (counts[0], ==, 2);
  g_assert_cmpuint (counts[3], ==, 0);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_assert_true (aw_fetch_run_run_finish (AW_FETCH_RUN (object), result, NULL));
  *(gboolean *)user_data = TRUE;
}

/* A real run: one duration per task, sorted, each its task's bar. */
static void
test_run_durations (void)
{
  g_autoptr(AwDemoServer) server = aw_demo_server_new ();
  g_autoptr(AwProvider) provider = NULL;
  g_autoptr(AwFetchRun) run = NULL;
  g_autoptr(GArray) durations = NULL;
  g_autoptr(GError) error = NULL;
  const char *cities[] = { "Paris", "Toulouse", "Marseille", "Lyon", NULL };
  gboolean done = FALSE;
  AwPercentiles p;

  aw_demo_server_set_latency (server, 0.05, 0.2);
  g_assert_true (aw_demo_server_start (server, 0, &error));
  g_assert_no_error (error);
  provider = aw_provider_new_for_name ("demo", aw_demo_server_get_base_uri (server), &error);
  g_assert_no_error (error);
  run = aw_fetch_run_new (provider, AW_MODE_CONCURRENT, cities);
  aw_fetch_run_run_async (run, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  durations = aw_distribution_run_durations (run);
  g_assert_cmpuint (durations->len, ==, 4);
  for (guint i = 1; i < durations->len; i++)
    g_assert_cmpint (g_array_index (durations, gint64, i - 1), <=,
                     g_array_index (durations, gint64, i));
  g_assert_true (aw_distribution_percentiles ((gint64 *)(gpointer)durations->data,
                                              durations->len, &p));
  g_assert_cmpint (p.p99_us, ==, g_array_index (durations, gint64, 3));
  g_assert_cmpint (p.p50_us, ==, g_array_index (durations, gint64, 1));
  for (guint i = 0; i < 4; i++)
    {
      gint64 d = aw_task_get_duration_us (aw_fetch_run_get_task (run, i));
      gboolean found = FALSE;

      for (guint j = 0; j < durations->len; j++)
        found |= g_array_index (durations, gint64, j) == d;
      g_assert_true (found);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/distribution/percentiles-of-100", test_percentiles_of_100);
  g_test_add_func ("/distribution/percentiles-of-20", test_percentiles_of_20);
  g_test_add_func ("/distribution/histogram", test_histogram);
  g_test_add_func ("/distribution/run-durations", test_run_durations);
  return g_test_run ();
}
