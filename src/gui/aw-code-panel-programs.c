/* aw-code-panel-programs.c: the code panel's data: each mode's program, in the tutorial's
 * Python and in the engine's C, line by line with the phases each line stands for, and the
 * sentences that explain each mode; data only, with the functions that look them up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-code-panel-private.h"

#define P(phase)  (1u << AW_PHASE_##phase)
#define NET       (P (DNS) | P (CONNECT) | P (TLS) | P (SEND) | P (WAIT))

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

const Code *
aw_code_panel_lookup_program (AwWorkload     workload,
                              AwMode         mode,
                              AwCodeLanguage language)
{
  return &codes[workload][mode][language];
}

/* Untranslated (N_()): the caller translates. */
const char *
aw_code_panel_lookup_explanation (AwWorkload workload,
                                  AwMode     mode)
{
  return workload == AW_WORKLOAD_SLEEP ? sleep_explanations[mode] : explanations[mode];
}
