/* skip.c: stands in for a test whose tool this machine lacks, and says so
 *
 * Exit status 77 is "skipped" to meson; .ci/run fails on it, where every tool is installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  fprintf (stderr, "skipped: %s is not installed\n", argc > 1 ? argv[1] : "a tool");
  return 77;
}
