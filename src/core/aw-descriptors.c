/* aw-descriptors.c: room for thousands of sockets
 *
 * A run of N concurrent tasks holds N sockets, 2N with the demo server in the same process.
 * Two things stand in the way:
 * - the usual soft limit of 1024 open files, which the hard limit lets a process raise;
 * - the kernel's table of descriptors, which doubles as it fills. In a process with threads,
 *   each doubling waits for an RCU grace period: 8-16 ms at 256, 512, 1024... descriptors,
 *   during which the thread that opens the socket (the main loop) stands still. Grown once
 *   while the process has a single thread, the table costs nothing to make.
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
