/* aw-fetch-job.h: one task in flight, its requests and what they found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "aw-deadline-queue.h"
#include "aw-fetch-run.h"
#include "aw-scheduler.h"

G_BEGIN_DECLS

/* Interim answers (1xx) a request may get before its answer: a handful is plenty. libsoup
 * reads them in one loop that returns to the main loop only when the socket runs dry, so a
 * server that floods them would hold the loop for as long as it likes. */
#define AW_MAX_INTERIM_ANSWERS 8
#define AW_READ_CHUNK          (16 * 1024)

struct _AwJob
{
  AwFetchRun   *run;           /* borrowed: the run's GTask holds it */
  AwTask       *task;
  GCancellable *cancellable;
  AwDeadline    deadline;      /* in the run's deadline queue */
  SoupSession  *session;       /* borrowed from the run's session pool */
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  AwLookup      lookup;
  gint64        sent_us;       /* monotonic, when the request was written; 0 before */
  gboolean      on_worker;     /* carried out on a worker thread: it may not touch the task */
  guint         n_interim;     /* interim answers to the current request */
  gboolean      too_many_interim;

  GPtrArray    *uris;          /* of each request, without passwords */

  /* Threads and Blocking: what aw_job_fetch_blocking() found, for the run's thread */
  GArray       *statuses;      /* guint, of each request */
  GArray       *spans;         /* AwSpan of every request, each closed by its parse span */
  AwWeather    *weather;
  GError       *error;
  char         *note;          /* for the task: the Retry-After hold its answer caused */
  GArray       *slices;        /* AwSlice: what the thread did, blocked in I/O or parsing */
  gpointer      worker;        /* Threads: the GThread that carries it out */
  gint64        worker_start_us;
};

AwJob       *aw_job_new               (AwFetchRun  *run,
                                       AwTask      *task,
                                       SoupSession *session,
                                       gint64       deadline_us);
void         aw_job_free              (AwJob       *job);
void         aw_job_clear_request     (AwJob       *job);
/* The next request of the task's lookup, recorded in job->uris and job->msg. */
SoupMessage *aw_job_new_message       (AwJob       *job,
                                       GError     **error);
/* The exact spans of the request just done (job->msg). */
GArray      *aw_job_request_spans     (AwJob       *job,
                                       gint64       received_us);
/* A live phase, for the bars to grow while a request is in flight; on the run's thread. */
void         aw_job_begin_live_phase  (AwJob       *job,
                                       AwPhase      phase);
GError      *aw_job_too_large_error   (void);
/* The error of a chunked body libsoup ended early, or NULL. */
GError      *aw_job_chunked_body_error (AwJob      *job);

/* @error (taken) as the person should read it: a deadline or the interim-answer cap named. */
GError      *aw_job_explain_error     (AwJob       *job,
                                       GError      *error,
                                       double       timeout_s);

/* @error (taken) as the person should read it: a deadline or the interim-answer cap named. */
GError      *aw_job_explain_error     (AwJob       *job,
                                       GError      *error,
                                       double       timeout_s);

/* Threads and Blocking: the whole task with libsoup's blocking API, on the calling thread,
 * touching only the job's own fields; then, on the run's thread, its record and its end. */
void         aw_job_fetch_blocking    (AwJob       *job);
void         aw_job_record_blocking   (AwJob       *job);

G_END_DECLS
