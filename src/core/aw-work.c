/* aw-work.c: CPU clocks, and the work per answer: real computation on the thread that
 * handles the answer, measured in that thread's CPU time, so that a busy machine makes it
 * last longer on the wall clock but never makes it less work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <time.h>
#ifdef G_OS_WIN32
#include <windows.h>
#endif

#include "aw-work.h"

#ifdef G_OS_WIN32
/* FILETIMEs are 100 ns ticks. */
static gint64
filetimes_us (const FILETIME *kernel,
              const FILETIME *user)
{
  guint64 k = ((guint64)kernel->dwHighDateTime << 32) | kernel->dwLowDateTime;
  guint64 u = ((guint64)user->dwHighDateTime << 32) | user->dwLowDateTime;

  return (gint64)((k + u) / 10);
}
#endif

gint64
aw_work_process_cpu_us (void)
{
#if defined (G_OS_UNIX) && defined (CLOCK_PROCESS_CPUTIME_ID)
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) == 0)
    return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
#elif defined (G_OS_WIN32)
  FILETIME creation, exit, kernel, user;

  if (GetProcessTimes (GetCurrentProcess (), &creation, &exit, &kernel, &user))
    return filetimes_us (&kernel, &user);
#endif
  return 0;
}

gint64
aw_work_thread_cpu_us (void)
{
#if defined (G_OS_UNIX) && defined (CLOCK_THREAD_CPUTIME_ID)
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
#elif defined (G_OS_WIN32)
  FILETIME creation, exit, kernel, user;

  if (GetThreadTimes (GetCurrentThread (), &creation, &exit, &kernel, &user))
    return filetimes_us (&kernel, &user);
#endif
  return g_get_monotonic_time ();
}

void
aw_work_spend (GBytes *body,
               guint   work_ms)
{
  static const char empty[] = "async-weather";
  g_autoptr(GChecksum) checksum = NULL;
  gconstpointer data;
  gsize size = 0;
  gint64 until;
  guint8 digest[32];
  gsize digest_len;

  if (work_ms == 0)
    return;
  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  if (size == 0)
    {
      data = empty;
      size = sizeof empty;
    }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  until = aw_work_thread_cpu_us () + (gint64)MIN (work_ms, AW_MAX_WORK_MS) * 1000;
  /* Each round hashes the body and the digest before it, so that none can be skipped. */
  while (aw_work_thread_cpu_us () < until)
    {
      digest_len = sizeof digest;
      g_checksum_update (checksum, data, size);
      g_checksum_get_digest (checksum, digest, &digest_len);
      g_checksum_reset (checksum);
      g_checksum_update (checksum, digest, digest_len);
    }
}
