/* aw-run-budget.c: the sockets a run may hold at once, and the note on tasks that wait
 *
 * Descriptors are a budget: past the open-files limit a new socket fails with "Too many open
 * files". A run holds no more sockets than its budget allows and keeps the other tasks
 * queued, saying why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "aw-descriptors.h"
#include "aw-run-budget.h"
#include "aw-task-private.h"

/* Whether the run's first request goes to this machine, found from the first city whose
 * request builds. */
static gboolean
targets_loopback (AwProvider *provider,
                  GPtrArray  *tasks)
{
  for (guint i = 0; i < MIN (tasks->len, 8); i++)
    {
      AwLookup lookup = { 0 };
      g_autofree char *uri = aw_provider_build_uri (provider,
                                                    aw_task_get_city (g_ptr_array_index (tasks, i)),
                                                    &lookup, NULL);
      g_autoptr(GUri) guri = uri ? g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
      g_autoptr(GInetAddress) address = NULL;
      const char *host;

      aw_lookup_clear (&lookup);
      if (guri == NULL || (host = g_uri_get_host (guri)) == NULL)
        continue;
      if ((address = g_inet_address_new_from_string (host)) != NULL)
        return g_inet_address_get_is_loopback (address);
      return g_ascii_strcasecmp (host, "localhost") == 0;
    }
  return FALSE;
}

/* A server on this machine may be this very process (the built-in demo server): each
 * connection then holds two descriptors, the client's and the server's. */
guint
aw_run_budget_get (AwProvider *provider,
                   GPtrArray  *tasks)
{
  guint budget = aw_descriptors_get_budget ();

  g_return_val_if_fail (AW_IS_PROVIDER (provider), budget);
  g_return_val_if_fail (tasks != NULL, budget);

  if (budget != G_MAXUINT && targets_loopback (provider, tasks))
    budget = MAX (budget / 2, 1);
  return budget;
}

void
aw_run_budget_explain_wait (GPtrArray *tasks,
                            guint      cap,
                            guint      max_in_flight)
{
  g_autofree char *detail = NULL;

  g_return_if_fail (tasks != NULL);

  if (max_in_flight <= cap || tasks->len <= cap)
    return;
  detail = g_strdup_printf (_("Waiting for a free connection: open-files limit %u"),
                            aw_descriptors_get_limit ());
  for (guint i = cap; i < tasks->len; i++)
    aw_task_add_note (g_ptr_array_index (tasks, i), detail);
}
