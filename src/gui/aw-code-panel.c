/* aw-code-panel.c: the same program five ways: for the selected mode, the tutorial's Python
 * and the C this engine runs (simplified from aw-fetch-run-queue.c, aw-scheduler-*.c and
 * aw-fetch-job.c), a few sentences on what happens, each line that stands for a phase in
 * that phase's colour, and during a run the number of tasks at each line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-code-panel.h"
#include "aw-timing-chart.h"

#define P(phase)  (1u << AW_PHASE_##phase)
#define NET       (P (DNS) | P (CONNECT) | P (TLS) | P (SEND) | P (WAIT))
#define NONE      -1
#define MAX_LINES 20
/* A callback on the loop's thread ends before the window can draw: it stays lit this long
 * after it ran, so that a person sees which line the loop ran last. */
#define AFTERGLOW_US (150 * 1000)

/* One line of code: the phase whose colour it carries (or NONE), the phases of the tasks
 * counted at it, and the phase of the callback that runs it (lit while the loop runs one). */
typedef struct
{
  const char *text;
  int         color;
  guint       phases;
  int         callback;
} CodeLine;

typedef struct
{
  const CodeLine *lines;
  guint           n_lines;
} Code;

#define CODE(table) { table, G_N_ELEMENTS (table) }

/* The tutorial's Python (see bench/seed_sync.py and seed_async.py in the project's notes). */

static const CodeLine python_sequential[] = {
  { "import requests", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def url(city):", NONE, 0, NONE },
  { "    return f\"{BASE}/services/json/{city}\"", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def fetch(city):", NONE, 0, NONE },
  { "    response = requests.get(url(city))", AW_PHASE_WAIT, NET | P (RECEIVE), AW_PHASE_WAIT },
  { "    data = response.json()", AW_PHASE_PARSE, P (PARSE), AW_PHASE_PARSE },
  { "    return data[\"current_condition\"][\"tmp\"]", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "for city in cities:", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "    print(city, fetch(city))", NONE, 0, NONE },
};

static const CodeLine python_concurrent[] = {
  { "import asyncio, aiohttp", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "async def fetch(session, city):", NONE, 0, NONE },
  /* aiohttp's connector holds a request that waits for a connection here too. */
  { "    async with session.get(url(city)) as response:", AW_PHASE_WAIT, P (QUEUED) | NET,
    AW_PHASE_WAIT },
  { "        data = await response.json()", AW_PHASE_RECEIVE, P (RECEIVE) | P (PARSE),
    AW_PHASE_RECEIVE },
  { "        return data[\"current_condition\"][\"tmp\"]", NONE, 0, AW_PHASE_PARSE },
  { "", NONE, 0, NONE },
  { "async def main(cities):", NONE, 0, NONE },
  { "    async with aiohttp.ClientSession() as session:", NONE, 0, NONE },
  { "        await asyncio.gather(*(fetch(session, c)", NONE, 0, NONE },
  { "                               for c in cities))", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "asyncio.run(main(cities))", NONE, 0, NONE },
};

static const CodeLine python_limited[] = {
  { "import asyncio, aiohttp", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "async def fetch(session, sem, city):", NONE, 0, NONE },
  { "    async with sem:", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "        async with session.get(url(city)) as response:", AW_PHASE_WAIT, NET,
    AW_PHASE_WAIT },
  { "            data = await response.json()", AW_PHASE_RECEIVE, P (RECEIVE) | P (PARSE),
    AW_PHASE_RECEIVE },
  { "            return data[\"current_condition\"][\"tmp\"]", NONE, 0, AW_PHASE_PARSE },
  { "", NONE, 0, NONE },
  { "async def main(cities, K):", NONE, 0, NONE },
  { "    sem = asyncio.Semaphore(K)", NONE, 0, NONE },
  { "    async with aiohttp.ClientSession() as session:", NONE, 0, NONE },
  { "        await asyncio.gather(*(fetch(session, sem, c)", NONE, 0, NONE },
  { "                               for c in cities))", NONE, 0, NONE },
};

static const CodeLine python_threads[] = {
  { "import requests", NONE, 0, NONE },
  { "from concurrent.futures import ThreadPoolExecutor", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def fetch(city):  # on a worker thread", NONE, 0, NONE },
  { "    response = requests.get(url(city))", AW_PHASE_WAIT, NET | P (RECEIVE), AW_PHASE_WAIT },
  { "    data = response.json()", AW_PHASE_PARSE, P (PARSE), AW_PHASE_PARSE },
  { "    return data[\"current_condition\"][\"tmp\"]", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "with ThreadPoolExecutor(min(len(cities), 64)) as pool:", NONE, 0, NONE },
  { "    temps = list(pool.map(fetch, cities))", AW_PHASE_QUEUED, P (QUEUED), NONE },
};

static const CodeLine python_blocking[] = {
  { "import requests", NONE, 0, NONE },
  { "import tkinter as tk", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def on_run_clicked():  # a GUI callback", NONE, 0, NONE },
  { "    for city in cities:", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "        response = requests.get(url(city))", AW_PHASE_WAIT, NET | P (RECEIVE),
    AW_PHASE_WAIT },
  { "        data = response.json()", AW_PHASE_PARSE, P (PARSE), AW_PHASE_PARSE },
  { "        label[\"text\"] = data[\"current_condition\"][\"tmp\"]", NONE, 0, NONE },
  { "    # only now can the window draw again", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "tk.Button(root, text=\"Run\", command=on_run_clicked).pack()", NONE, 0, NONE },
  { "root.mainloop()", NONE, 0, NONE },
};

/* The engine's C: how each mode starts its tasks (aw-fetch-run-queue.c, aw-scheduler-*.c),
 * then one request on the loop (aw-scheduler-loop.c) or on a thread (aw-fetch-job.c). */

#define C_ON_THE_LOOP \
  { "soup_session_send_async (session, msg, G_PRIORITY_DEFAULT,", AW_PHASE_WAIT, NET, NONE }, \
  { "                         cancellable, on_sent, job);", NONE, 0, NONE }, \
  { "", NONE, 0, NONE }, \
  { "static void  /* the loop calls it: headers in */", NONE, 0, NONE }, \
  { "on_sent (GObject *session, GAsyncResult *res, gpointer job)", NONE, 0, AW_PHASE_WAIT }, \
  { "{", NONE, 0, NONE }, \
  { "  stream = soup_session_send_finish (session, res, …);", NONE, 0, NONE }, \
  { "  /* read_next (), 8 answers a batch, a frame between */", NONE, 0, NONE }, \
  { "  g_input_stream_read_bytes_async (stream, …, on_read, job);", AW_PHASE_RECEIVE, \
    P (RECEIVE), NONE }, \
  { "}", NONE, 0, NONE }, \
  { "static void  /* the loop calls it: some of the body */", NONE, 0, NONE }, \
  { "on_read (GObject *stream, GAsyncResult *res, gpointer job)", NONE, 0, AW_PHASE_RECEIVE }, \
  { "{", NONE, 0, NONE }, \
  { "  chunk = g_input_stream_read_bytes_finish (stream, res, …);", NONE, 0, NONE }, \
  { "  if (g_bytes_get_size (chunk) > 0) read_next (job);", NONE, 0, NONE }, \
  { "  else parse_answer (job);  /* json-glib; the task ends */", AW_PHASE_PARSE, \
    P (PARSE), AW_PHASE_PARSE }, \
  { "}", NONE, 0, NONE }

static const CodeLine c_sequential[] = {
  { "/* one task in flight: the next starts when it ends */", NONE, 0, NONE },
  { "while (n_active < 1 && next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);", NONE, 0, NONE },
  C_ON_THE_LOOP,
};

static const CodeLine c_concurrent[] = {
  { "/* every task at once (16 per turn of the loop) */", NONE, 0, NONE },
  { "while (next_task < n_tasks)", NONE, 0, NONE },
  { "  start_task (tasks[next_task++]);", NONE, 0, NONE },
  /* libsoup holds a message that waits for a connection (2 per host) in send_async. */
  { "/* libsoup queues what waits for a connection */", NONE, 0, NONE },
  { "soup_session_send_async (session, msg, G_PRIORITY_DEFAULT,", AW_PHASE_WAIT,
    P (QUEUED) | NET, NONE },
  { "                         cancellable, on_sent, job);", NONE, 0, NONE },
  { "static void  /* the loop calls it: headers in */", NONE, 0, NONE },
  { "on_sent (GObject *session, GAsyncResult *res, gpointer job)", NONE, 0, AW_PHASE_WAIT },
  { "{", NONE, 0, NONE },
  { "  stream = soup_session_send_finish (session, res, …);", NONE, 0, NONE },
  { "  /* read_next (), 8 answers a batch, a frame between */", NONE, 0, NONE },
  { "  g_input_stream_read_bytes_async (stream, …, on_read, job);", AW_PHASE_RECEIVE,
    P (RECEIVE), NONE },
  { "}", NONE, 0, NONE },
  { "static void  /* the loop calls it: some of the body */", NONE, 0, NONE },
  { "on_read (GObject *stream, GAsyncResult *res, gpointer job)", NONE, 0, AW_PHASE_RECEIVE },
  { "{", NONE, 0, NONE },
  { "  chunk = g_input_stream_read_bytes_finish (stream, res, …);", NONE, 0, NONE },
  { "  if (g_bytes_get_size (chunk) > 0) read_next (job);", NONE, 0, NONE },
  { "  else parse_answer (job);  /* json-glib; the task ends */", AW_PHASE_PARSE,
    P (PARSE), AW_PHASE_PARSE },
  { "}", NONE, 0, NONE },
};

static const CodeLine c_limited[] = {
  { "/* at most K in flight; each end frees a slot */", NONE, 0, NONE },
  { "while (n_active < K && next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);", NONE, 0, NONE },
  C_ON_THE_LOOP,
};

#define C_BLOCKING_FETCH \
  { "  stream = soup_session_send (session, msg, …);", AW_PHASE_WAIT, \
    NET, AW_PHASE_WAIT }, \
  { "  while ((chunk = g_input_stream_read_bytes (stream, …))", AW_PHASE_RECEIVE, \
    P (RECEIVE), AW_PHASE_RECEIVE }, \
  { "         && g_bytes_get_size (chunk) > 0)", NONE, 0, NONE }, \
  { "    g_byte_array_append (body, …);", NONE, 0, NONE }, \
  { "  aw_provider_parse (provider, city, status, body, …);", AW_PHASE_PARSE, P (PARSE), \
    AW_PHASE_PARSE }

static const CodeLine c_threads[] = {
  { "pool = g_thread_pool_new (worker, NULL, MIN (n_tasks, 64), …);", NONE, 0, NONE },
  { "while (next_task < n_tasks)  /* each task */", NONE, 0, NONE },
  { "  g_thread_pool_push (pool, tasks[next_task++], NULL);", AW_PHASE_QUEUED, P (QUEUED),
    NONE },
  { "", NONE, 0, NONE },
  { "static void  /* on a worker thread, blocking */", NONE, 0, NONE },
  { "worker (gpointer job, gpointer user_data)", NONE, 0, NONE },
  { "{", NONE, 0, NONE },
  C_BLOCKING_FETCH,
  { "  /* the result goes back to the main loop */", NONE, 0, NONE },
  { "  call_on_run_thread (job, on_worker_done);", NONE, 0, NONE },
  { "}", NONE, 0, NONE },
};

static const CodeLine c_blocking[] = {
  { "/* on the main loop's own thread, one task after the other */", NONE, 0, NONE },
  { "while (next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);  /* calls this: */", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "static void", NONE, 0, NONE },
  { "blocking_start_task (gpointer state, AwJob *job)", NONE, 0, NONE },
  { "{", NONE, 0, NONE },
  C_BLOCKING_FETCH,
  { "}", NONE, 0, NONE },
  { "/* until the last returns: no frame, no click, no redraw */", NONE, 0, NONE },
};

/* The "sleep only" workload: the tutorial's first program, asyncio.sleep against time.sleep,
 * and aw-sleep-job.c's timer on the loop or wait on the thread. */

static const CodeLine python_sleep_sequential[] = {
  { "import time", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def task(city):", NONE, 0, NONE },
  { "    time.sleep(latency)  # the thread waits", AW_PHASE_WAIT, NET | P (RECEIVE) | P (PARSE),
    AW_PHASE_WAIT },
  { "    return city", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "start = time.perf_counter()", NONE, 0, NONE },
  { "for city in cities:", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "    print(task(city))", NONE, 0, NONE },
  { "print(f\"total {time.perf_counter() - start:.2f}\")", NONE, 0, NONE },
};

static const CodeLine python_sleep_concurrent[] = {
  { "import asyncio, time", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "async def task(city):", NONE, 0, NONE },
  { "    await asyncio.sleep(latency)  # the loop is free", AW_PHASE_WAIT,
    P (QUEUED) | NET | P (RECEIVE) | P (PARSE), AW_PHASE_WAIT },
  { "    return city", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "async def main(cities):", NONE, 0, NONE },
  { "    return await asyncio.gather(*(task(c) for c in cities))", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "start = time.perf_counter()", NONE, 0, NONE },
  { "asyncio.run(main(cities))", NONE, 0, NONE },
  { "print(f\"total {time.perf_counter() - start:.2f}\")", NONE, 0, NONE },
};

static const CodeLine python_sleep_limited[] = {
  { "import asyncio", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "async def task(sem, city):", NONE, 0, NONE },
  { "    async with sem:", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "        await asyncio.sleep(latency)", AW_PHASE_WAIT, NET | P (RECEIVE) | P (PARSE),
    AW_PHASE_WAIT },
  { "        return city", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "async def main(cities, K):", NONE, 0, NONE },
  { "    sem = asyncio.Semaphore(K)", NONE, 0, NONE },
  { "    return await asyncio.gather(*(task(sem, c) for c in cities))", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "asyncio.run(main(cities, K))", NONE, 0, NONE },
};

static const CodeLine python_sleep_threads[] = {
  { "import time", NONE, 0, NONE },
  { "from concurrent.futures import ThreadPoolExecutor", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def task(city):  # on a worker thread", NONE, 0, NONE },
  { "    time.sleep(latency)  # this thread waits", AW_PHASE_WAIT, NET | P (RECEIVE) | P (PARSE),
    AW_PHASE_WAIT },
  { "    return city", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "with ThreadPoolExecutor(min(len(cities), 64)) as pool:", NONE, 0, NONE },
  { "    done = list(pool.map(task, cities))", AW_PHASE_QUEUED, P (QUEUED), NONE },
};

static const CodeLine python_sleep_blocking[] = {
  { "import time", NONE, 0, NONE },
  { "import tkinter as tk", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "def on_run_clicked():  # a GUI callback", NONE, 0, NONE },
  { "    for city in cities:", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "        time.sleep(latency)  # the window waits too", AW_PHASE_WAIT,
    NET | P (RECEIVE) | P (PARSE), AW_PHASE_WAIT },
  { "        label[\"text\"] = city", NONE, 0, NONE },
  { "    # only now can the window draw again", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "tk.Button(root, text=\"Run\", command=on_run_clicked).pack()", NONE, 0, NONE },
  { "root.mainloop()", NONE, 0, NONE },
};

#define C_SLEEP_ON_THE_LOOP \
  { "/* aw-sleep-job.c: asyncio.sleep (), a timer on the loop */", NONE, 0, NONE }, \
  { "task = g_task_new (NULL, cancellable, on_slept, job);", NONE, 0, NONE }, \
  { "timer = g_timeout_source_new (latency_ms);", AW_PHASE_WAIT, \
    NET | P (RECEIVE) | P (PARSE), NONE }, \
  { "g_source_set_callback (timer, on_timer, task, g_object_unref);", NONE, 0, NONE }, \
  { "g_source_attach (timer, context);  /* and the loop is free */", NONE, 0, NONE }, \
  { "", NONE, 0, NONE }, \
  { "static gboolean  /* the loop calls it when the time is up */", NONE, 0, NONE }, \
  { "on_timer (gpointer task)", NONE, 0, AW_PHASE_WAIT }, \
  { "{", NONE, 0, NONE }, \
  { "  g_task_return_boolean (task, TRUE);  /* on_slept: done */", NONE, 0, NONE }, \
  { "  return G_SOURCE_REMOVE;", NONE, 0, NONE }, \
  { "}", NONE, 0, NONE }

static const CodeLine c_sleep_sequential[] = {
  { "/* one task in flight: the next starts when it ends */", NONE, 0, NONE },
  { "while (n_active < 1 && next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);", NONE, 0, NONE },
  C_SLEEP_ON_THE_LOOP,
};

static const CodeLine c_sleep_concurrent[] = {
  { "/* every task at once (16 per turn of the loop) */", NONE, 0, NONE },
  { "while (next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);", NONE, 0, NONE },
  C_SLEEP_ON_THE_LOOP,
};

static const CodeLine c_sleep_limited[] = {
  { "/* at most K in flight; each end frees a slot */", NONE, 0, NONE },
  { "while (n_active < K && next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);", NONE, 0, NONE },
  C_SLEEP_ON_THE_LOOP,
};

#define C_SLEEP_BLOCKING \
  { "  /* aw-sleep-job.c: time.sleep (), the thread waits */", NONE, 0, NONE }, \
  { "  while ((now = g_get_monotonic_time ()) < until)", AW_PHASE_WAIT, \
    NET | P (RECEIVE) | P (PARSE), AW_PHASE_WAIT }, \
  { "    g_usleep (MIN (until - now, 10 * 1000));  /* Stop gets in */", NONE, 0, NONE }

static const CodeLine c_sleep_threads[] = {
  { "pool = g_thread_pool_new (worker, NULL, MIN (n_tasks, 64), …);", NONE, 0, NONE },
  { "while (next_task < n_tasks)  /* each task */", NONE, 0, NONE },
  { "  g_thread_pool_push (pool, tasks[next_task++], NULL);", AW_PHASE_QUEUED, P (QUEUED),
    NONE },
  { "", NONE, 0, NONE },
  { "static void  /* on a worker thread, blocking */", NONE, 0, NONE },
  { "worker (gpointer job, gpointer user_data)", NONE, 0, NONE },
  { "{", NONE, 0, NONE },
  C_SLEEP_BLOCKING,
  { "  /* the result goes back to the main loop */", NONE, 0, NONE },
  { "  call_on_run_thread (job, on_worker_done);", NONE, 0, NONE },
  { "}", NONE, 0, NONE },
};

static const CodeLine c_sleep_blocking[] = {
  { "/* on the main loop's own thread, one task after the other */", NONE, 0, NONE },
  { "while (next_task < n_tasks)", AW_PHASE_QUEUED, P (QUEUED), NONE },
  { "  start_task (tasks[next_task++]);  /* calls this: */", NONE, 0, NONE },
  { "", NONE, 0, NONE },
  { "static void", NONE, 0, NONE },
  { "blocking_start_task (gpointer state, AwJob *job)", NONE, 0, NONE },
  { "{", NONE, 0, NONE },
  C_SLEEP_BLOCKING,
  { "}", NONE, 0, NONE },
  { "/* until the last returns: no frame, no click, no redraw */", NONE, 0, NONE },
};

static const Code codes[][AW_N_MODES][AW_N_CODE_LANGUAGES] = {
  [AW_WORKLOAD_WEATHER] = {
    { CODE (python_sequential), CODE (c_sequential) },
    { CODE (python_concurrent), CODE (c_concurrent) },
    { CODE (python_limited), CODE (c_limited) },
    { CODE (python_threads), CODE (c_threads) },
    { CODE (python_blocking), CODE (c_blocking) },
  },
  [AW_WORKLOAD_SLEEP] = {
    { CODE (python_sleep_sequential), CODE (c_sleep_sequential) },
    { CODE (python_sleep_concurrent), CODE (c_sleep_concurrent) },
    { CODE (python_sleep_limited), CODE (c_sleep_limited) },
    { CODE (python_sleep_threads), CODE (c_sleep_threads) },
    { CODE (python_sleep_blocking), CODE (c_sleep_blocking) },
  },
};

static const char * const explanations[AW_N_MODES] = {
  N_("One request at a time: the next task starts when the one before has ended, so the wall "
     "time is the sum of the tasks. Here the loop stays free while it waits, so the window "
     "keeps drawing."),
  N_("Every request starts at once on one thread. While they wait, the event loop sleeps in "
     "poll(); each answer wakes it to run a short callback, then it sleeps again. The wall "
     "time is about the longest task."),
  N_("At most K requests in flight, like asyncio.Semaphore(K): the other tasks wait at the "
     "start (queued) until a task ends and frees a slot."),
  N_("Each request runs on a worker thread with the blocking API; the main loop only receives "
     "the results. The threads wait side by side, at the cost of a thread each."),
  N_("The blocking API on the main loop's own thread: while a request waits, nothing else "
     "runs. No frame is drawn and no click is handled until the last task ends."),
};

/* The tutorial's first program: each task only waits. */
static const char * const sleep_explanations[AW_N_MODES] = {
  N_("The tutorial's first program: each task waits, one after the other, so the wall time is "
     "the sum of the waits. Here each wait is a timer on the loop, so the window keeps "
     "drawing."),
  N_("The tutorial's first program: every task waits at once on one thread, each on a timer "
     "of the loop, which sleeps in poll() until the first is due. The wall time is the "
     "longest wait, not their sum."),
  N_("At most K tasks wait at once, like asyncio.Semaphore(K): the others are queued until "
     "a wait ends."),
  N_("Each task waits on a worker thread of its own, as time.sleep() does: the threads wait "
     "side by side, the main loop only receives the results."),
  N_("time.sleep() on the main loop's own thread: while a task waits, nothing else runs, no "
     "frame is drawn and no click is handled."),
};

struct _AwCodePanel
{
  GtkWidget   parent_instance;

  /* template widgets */
  GtkLabel   *explanation_label;
  GtkListBox *lists[AW_N_CODE_LANGUAGES];

  /* owned */
  AwFetchRun *run;
  gulong      finished_id;
  guint       tick_id;
  GPtrArray  *rows[AW_N_CODE_LANGUAGES];     /* GtkListBoxRow, borrowed from the lists */
  GPtrArray  *labels[AW_N_CODE_LANGUAGES];   /* char *, each line's accessible label */
  guint       counts[AW_N_CODE_LANGUAGES][MAX_LINES];
  int         lit[AW_N_CODE_LANGUAGES];       /* the line a callback runs now, or -1 */
  AwMode      mode;
  AwWorkload  workload;
};

G_DEFINE_FINAL_TYPE (AwCodePanel, aw_code_panel, GTK_TYPE_WIDGET)

static const Code *
get_code (AwCodePanel    *self,
          AwCodeLanguage  language)
{
  return &codes[self->workload][self->mode][language];
}

static char *
describe_line (const CodeLine *line,
               guint           count)
{
  /* Said as words: "soup session send async", not "soup underscore session…". */
  g_autofree char *spoken = g_strdelimit (g_strdup (line->text), "_", ' ');
  const char *text = line->text[0] != '\0' ? spoken : _("blank line");

  if (line->color == NONE)
    return g_strdup (text);
  if (count == 0)
    /* Translators: a line of code, then the phase it stands for ("wait") */
    return g_strdup_printf (_("%s — %s"), text, aw_phase_get_label (line->color));
  /* Translators: a line of code, the phase it stands for, the tasks at it now */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %s, %u task here",
                                       "%s — %s, %u tasks here", count),
                          text, aw_phase_get_label (line->color), count);
}

static void
show_count (AwCodePanel    *self,
            AwCodeLanguage  language,
            guint           index,
            guint           count)
{
  const CodeLine *line = &get_code (self, language)->lines[index];
  GtkWidget *row = g_ptr_array_index (self->rows[language], index);
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  GtkWidget *count_label = gtk_widget_get_first_child (box);
  char *label;

  self->counts[language][index] = count;
  if (count > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", count);

      gtk_label_set_text (GTK_LABEL (count_label), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (count_label), "");
  label = describe_line (line, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_free (g_ptr_array_index (self->labels[language], index));
  g_ptr_array_index (self->labels[language], index) = label;
}

/* A row: the tasks at the line, a bar of the phase's colour, the code on a tint of it. */
static GtkWidget *
new_line_row (const CodeLine *line)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *count = gtk_label_new (NULL);
  GtkWidget *swatch = gtk_label_new (NULL);
  GtkWidget *code = gtk_label_new (line->text);

  if (line->color != NONE)
    {
      g_autofree char *escaped = g_markup_escape_text (line->text, -1);
      g_autofree char *markup = NULL;
      g_autofree char *hex = NULL;
      GdkRGBA color;

      aw_timing_chart_get_phase_color (line->color, &color);
      hex = g_strdup_printf ("#%02x%02x%02x", (int)(color.red * 255), (int)(color.green * 255),
                             (int)(color.blue * 255));
      markup = g_strdup_printf ("<span foreground=\"%s\">▌</span>", hex);
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      g_free (markup);
      markup = g_strdup_printf ("<span background=\"%s\" bgalpha=\"12%%\">%s</span>", hex,
                                escaped);
      gtk_label_set_markup (GTK_LABEL (code), markup);
      gtk_widget_set_tooltip_text (row, aw_phase_get_label (line->color));
      gtk_widget_add_css_class (row, "phase-line");
    }
  gtk_label_set_width_chars (GTK_LABEL (count), 3);
  gtk_label_set_xalign (GTK_LABEL (count), 1);
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_add_css_class (count, "code-count");
  gtk_label_set_width_chars (GTK_LABEL (swatch), 1);
  gtk_label_set_xalign (GTK_LABEL (code), 0);
  gtk_widget_set_hexpand (code, TRUE);
  gtk_widget_add_css_class (code, "code-line");
  gtk_box_append (GTK_BOX (box), count);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), code);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Blank lines are spacing, not stops for the keyboard. */
  gtk_widget_set_focusable (row, line->text[0] != '\0');
  return row;
}

static void
build_lines (AwCodePanel *self)
{
  for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
    {
      const Code *code = get_code (self, language);
      GtkWidget *child;

      g_assert (code->n_lines <= MAX_LINES);
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lists[language]))) != NULL)
        gtk_list_box_remove (self->lists[language], child);
      g_ptr_array_set_size (self->rows[language], 0);
      g_ptr_array_set_size (self->labels[language], 0);
      self->lit[language] = -1;
      for (guint i = 0; i < code->n_lines; i++)
        {
          GtkWidget *row = new_line_row (&code->lines[i]);

          gtk_list_box_append (self->lists[language], row);
          g_ptr_array_add (self->rows[language], row);
          g_ptr_array_add (self->labels[language], NULL);
          show_count (self, language, i, 0);
        }
    }
  gtk_label_set_text (self->explanation_label,
                      _(self->workload == AW_WORKLOAD_SLEEP ? sleep_explanations[self->mode]
                                                            : explanations[self->mode]));
}

/* The phase under way: the last span's. */
static AwPhase
task_phase (AwTask *task)
{
  guint n_spans;
  const AwSpan *spans = aw_task_get_spans (task, &n_spans);

  return n_spans > 0 ? spans[n_spans - 1].phase : AW_PHASE_QUEUED;
}

/* The phase of the callback a thread runs now (a worker's, while the window draws), else of
 * the loop's last one if it ended within AFTERGLOW_US; -1 for none. */
static int
running_phase (AwFetchRun *run)
{
  gint64 now = aw_fetch_run_get_elapsed_us (run);

  for (guint lane = 0; lane < aw_fetch_run_get_n_lanes (run); lane++)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, lane, &n_slices);

      if (n_slices > 0 && slices[n_slices - 1].kind == AW_SLICE_CALLBACK
          && slices[n_slices - 1].end_us < 0)
        return slices[n_slices - 1].phase;
    }
  if (aw_fetch_run_get_n_lanes (run) > 0)
    {
      guint n_slices;
      const AwSlice *slices = aw_fetch_run_get_lane_slices (run, 0, &n_slices);

      for (guint i = n_slices; i > 0; i--)
        {
          const AwSlice *slice = &slices[i - 1];

          if (slice->end_us >= 0 && now - slice->end_us > AFTERGLOW_US)
            break;
          if (slice->kind == AW_SLICE_CALLBACK)
            return slice->phase;
        }
    }
  return -1;
}

static void
light_lines (AwCodePanel *self,
             int          phase)
{
  for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
    {
      const Code *code = get_code (self, language);
      int lit = -1;

      for (guint i = 0; phase >= 0 && lit < 0 && i < code->n_lines; i++)
        if (code->lines[i].callback == phase)
          lit = i;
      if (lit == self->lit[language])
        continue;
      if (self->lit[language] >= 0)
        gtk_widget_remove_css_class (g_ptr_array_index (self->rows[language],
                                                        self->lit[language]), "lit");
      if (lit >= 0)
        gtk_widget_add_css_class (g_ptr_array_index (self->rows[language], lit), "lit");
      self->lit[language] = lit;
    }
}

void
aw_code_panel_update (AwCodePanel *self)
{
  guint per_phase[AW_N_PHASES] = { 0 };

  g_return_if_fail (AW_IS_CODE_PANEL (self));

  if (self->run != NULL && aw_fetch_run_get_mode (self->run) == self->mode
      && aw_fetch_run_get_workload (self->run) == self->workload)
    for (guint i = 0; i < aw_fetch_run_get_n_tasks (self->run); i++)
      {
        AwTask *task = aw_fetch_run_get_task (self->run, i);

        if (!aw_task_is_finished (task))
          per_phase[task_phase (task)]++;
      }

  for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
    {
      const Code *code = get_code (self, language);

      for (guint i = 0; i < code->n_lines; i++)
        {
          guint count = 0;

          for (AwPhase phase = 0; phase < AW_N_PHASES; phase++)
            if (code->lines[i].phases & (1u << phase))
              count += per_phase[phase];
          if (count != self->counts[language][i])
            show_count (self, language, i, count);
        }
    }
  light_lines (self, self->run != NULL && aw_fetch_run_get_mode (self->run) == self->mode
                     && aw_fetch_run_get_workload (self->run) == self->workload
                     && aw_fetch_run_is_running (self->run)
                     ? running_phase (self->run) : -1);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  AwCodePanel *self = AW_CODE_PANEL (widget);

  aw_code_panel_update (self);
  if (self->run == NULL || aw_fetch_run_is_finished (self->run))
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The run's end reaches the panel without a frame too (Blocking draws none). */
static void
on_run_finished (AwCodePanel *self)
{
  aw_code_panel_update (self);
}

static void
clear_run (AwCodePanel *self)
{
  if (self->run != NULL)
    g_clear_signal_handler (&self->finished_id, self->run);
  g_clear_object (&self->run);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
aw_code_panel_dispose (GObject *object)
{
  AwCodePanel *self = (AwCodePanel *)object;
  GtkWidget *child;

  clear_run (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_CODE_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (aw_code_panel_parent_class)->dispose (object);
}

static void
aw_code_panel_finalize (GObject *object)
{
  AwCodePanel *self = (AwCodePanel *)object;

  for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
    {
      g_clear_pointer (&self->rows[language], g_ptr_array_unref);
      g_clear_pointer (&self->labels[language], g_ptr_array_unref);
    }
  G_OBJECT_CLASS (aw_code_panel_parent_class)->finalize (object);
}

static void
aw_code_panel_class_init (AwCodePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aw_code_panel_dispose;
  object_class->finalize = aw_code_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-code-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AwCodePanel, explanation_label);
  gtk_widget_class_bind_template_child_full (widget_class, "python_list", FALSE,
                                             G_STRUCT_OFFSET (AwCodePanel, lists[AW_CODE_PYTHON]));
  gtk_widget_class_bind_template_child_full (widget_class, "c_list", FALSE,
                                             G_STRUCT_OFFSET (AwCodePanel, lists[AW_CODE_C]));
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "codepanel");
}

static void
aw_code_panel_init (AwCodePanel *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  for (AwCodeLanguage language = 0; language < AW_N_CODE_LANGUAGES; language++)
    {
      self->rows[language] = g_ptr_array_new ();
      self->labels[language] = g_ptr_array_new_with_free_func (g_free);
    }
  self->mode = AW_MODE_SEQUENTIAL;
  build_lines (self);
}

void
aw_code_panel_set_mode (AwCodePanel *self,
                        AwMode       mode)
{
  g_return_if_fail (AW_IS_CODE_PANEL (self));
  g_return_if_fail (mode < AW_N_MODES);

  if (self->mode == mode)
    return;
  self->mode = mode;
  build_lines (self);
  aw_code_panel_update (self);
}

void
aw_code_panel_set_workload (AwCodePanel *self,
                            AwWorkload   workload)
{
  g_return_if_fail (AW_IS_CODE_PANEL (self));
  g_return_if_fail (workload == AW_WORKLOAD_WEATHER || workload == AW_WORKLOAD_SLEEP);

  if (self->workload == workload)
    return;
  self->workload = workload;
  build_lines (self);
  aw_code_panel_update (self);
}

AwWorkload
aw_code_panel_get_workload (AwCodePanel *self)
{
  g_return_val_if_fail (AW_IS_CODE_PANEL (self), AW_WORKLOAD_WEATHER);
  return self->workload;
}

AwMode
aw_code_panel_get_mode (AwCodePanel *self)
{
  g_return_val_if_fail (AW_IS_CODE_PANEL (self), AW_MODE_SEQUENTIAL);
  return self->mode;
}

void
aw_code_panel_set_run (AwCodePanel *self,
                       AwFetchRun  *run)
{
  g_return_if_fail (AW_IS_CODE_PANEL (self));
  g_return_if_fail (run == NULL || AW_IS_FETCH_RUN (run));

  if (self->run == run)
    return;
  clear_run (self);
  if (run != NULL)
    {
      self->run = g_object_ref (run);
      self->finished_id = g_signal_connect_object (run, "finished", G_CALLBACK (on_run_finished),
                                                   self, G_CONNECT_SWAPPED);
      aw_code_panel_set_workload (self, aw_fetch_run_get_workload (run));
      aw_code_panel_set_mode (self, aw_fetch_run_get_mode (run));
      if (!aw_fetch_run_is_finished (run))
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
    }
  aw_code_panel_update (self);
}

guint
aw_code_panel_get_n_lines (AwCodePanel    *self,
                           AwCodeLanguage  language)
{
  g_return_val_if_fail (AW_IS_CODE_PANEL (self), 0);
  g_return_val_if_fail (language < AW_N_CODE_LANGUAGES, 0);
  return get_code (self, language)->n_lines;
}

const char *
aw_code_panel_get_line (AwCodePanel    *self,
                        AwCodeLanguage  language,
                        guint           line)
{
  g_return_val_if_fail (line < aw_code_panel_get_n_lines (self, language), NULL);
  return get_code (self, language)->lines[line].text;
}

int
aw_code_panel_get_line_phase (AwCodePanel    *self,
                              AwCodeLanguage  language,
                              guint           line)
{
  g_return_val_if_fail (line < aw_code_panel_get_n_lines (self, language), NONE);
  return get_code (self, language)->lines[line].color;
}

guint
aw_code_panel_get_count (AwCodePanel    *self,
                         AwCodeLanguage  language,
                         guint           line)
{
  g_return_val_if_fail (line < aw_code_panel_get_n_lines (self, language), 0);
  return self->counts[language][line];
}

const char *
aw_code_panel_get_line_label (AwCodePanel    *self,
                              AwCodeLanguage  language,
                              guint           line)
{
  g_return_val_if_fail (line < aw_code_panel_get_n_lines (self, language), NULL);
  return g_ptr_array_index (self->labels[language], line);
}

int
aw_code_panel_get_lit_line (AwCodePanel    *self,
                            AwCodeLanguage  language)
{
  g_return_val_if_fail (AW_IS_CODE_PANEL (self), -1);
  g_return_val_if_fail (language < AW_N_CODE_LANGUAGES, -1);
  return self->lit[language];
}

const char *
aw_code_panel_get_explanation (AwCodePanel *self)
{
  g_return_val_if_fail (AW_IS_CODE_PANEL (self), NULL);
  return gtk_label_get_text (self->explanation_label);
}
