/* test-descriptors.c: room for thousands of sockets, made at start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <sys/resource.h>

#include "aw-descriptors.h"

/* The slots of the kernel's descriptor table: "FDSize" in /proc/self/status. */
static guint
table_size (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "FDSize:");
  g_assert_nonnull (line);
  return strtoul (line + strlen ("FDSize:"), NULL, 10);
}

static void
test_prepare (void)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_max < 4096)
    {
      g_test_skip ("The hard limit of open files is below 4096 here");
      return;
    }
  /* The usual soft limit of a desktop session. */
  limit.rlim_cur = 1024;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_assert_cmpuint (table_size (), <, 4096);

  aw_descriptors_prepare (4096);

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, limit.rlim_max);
  g_assert_cmpuint (table_size (), >=, 4096);
  /* Nothing is left open. */
  g_assert_cmpint (fcntl (4095, F_GETFD), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/descriptors/prepare", test_prepare);
  return g_test_run ();
}
