/* aw-ready-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-ready-source.h"

static gboolean
dispatch (GSource     *source,
          GSourceFunc  callback,
          gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs ready_source_funcs = { NULL, NULL, dispatch, NULL, NULL, NULL };

GSource *
aw_ready_source_new (GSourceFunc callback,
                     gpointer    user_data)
{
  GSource *source = g_source_new (&ready_source_funcs, sizeof (GSource));

  g_source_set_callback (source, callback, user_data, NULL);
  g_source_set_ready_time (source, -1);
  return source;
}
