/* aw-descriptors.c: room for thousands of sockets
 *
 * A run of N concurrent tasks holds N sockets, 2N with the demo server in the same process.
 * Two things stand in the way:
 * - the usual soft limit of 1024 open files, which the hard limit lets a process raise;
 * - the kernel's table of descriptors, which doubles as it fills. In a process with threads,
 *   each doubling waits for an RCU grace period: 8-16 ms at 256, 512, 1024... descriptors,
 *   during which the thread that opens the socket (the main loop) stands still. Grown once
 *   while the process has a single thread, the table costs nothing to make.
 * Past the limit, a new socket fails with "Too many open files": the engine reads its budget
 * here and keeps tasks queued rather than fail them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-descriptors.h"

#ifdef G_OS_UNIX
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

/* Left for what a run opens besides its sockets: resolver, proxy lookups, files, the
 * window's own, a thread's wake-up descriptors. */
#define RESERVE 32

/* Elsewhere (Windows) sockets are not counted against such a limit: nothing to prepare. */
void
aw_descriptors_prepare (guint n)
{
#ifdef G_OS_UNIX
  struct rlimit limit;
  int fd, top;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }

  /* A descriptor at the top makes the kernel size the table for every one below it. */
  if ((fd = open ("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
    return;
  if ((top = fcntl (fd, F_DUPFD_CLOEXEC, (int)MIN ((rlim_t)n, limit.rlim_cur) - 1)) >= 0)
    close (top);
  close (fd);
#endif
}

guint
aw_descriptors_get_limit (void)
{
#ifdef G_OS_UNIX
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
      && limit.rlim_cur < G_MAXUINT)
    return (guint)limit.rlim_cur;
#endif
  return G_MAXUINT;
}

/* Descriptors open now, counted where the system lists them; 0 where it does not. */
static guint
count_open (void)
{
#ifdef G_OS_UNIX
  const char *dirs[] = { "/proc/self/fd", "/dev/fd" };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      GDir *dir = g_dir_open (dirs[i], 0, NULL);
      guint n = 0;

      if (dir == NULL)
        continue;
      while (g_dir_read_name (dir) != NULL)
        n++;
      g_dir_close (dir);
      /* Less the one that lists them. */
      return n > 0 ? n - 1 : 0;
    }
#endif
  return 0;
}

guint
aw_descriptors_get_budget (void)
{
  guint limit = aw_descriptors_get_limit ();
  guint used;

  if (limit == G_MAXUINT)
    return G_MAXUINT;
  used = count_open () + RESERVE;
  return limit > used ? limit - used : 1;
}
