/* aw-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-types.h"

static const char * const mode_names[AW_N_MODES] = {
  "sequential", "concurrent", "limited", "threads", "blocking",
};

static const char * const mode_labels[AW_N_MODES] = {
  N_("Sequential"), N_("Concurrent"), N_("Limited"), N_("Threads"), N_("Blocking"),
};

static const char * const phase_names[AW_N_PHASES] = {
  "queued", "dns", "connect", "tls", "send", "wait", "receive", "parse",
};

static const char * const phase_labels[AW_N_PHASES] = {
  /* Translators: the phases of one HTTP request, as browser network panels name them */
  N_("Queued"), N_("DNS"), N_("Connect"), N_("TLS"), N_("Send"), N_("Wait"), N_("Receive"),
  N_("Parse"),
};

static const char * const state_names[] = {
  "queued", "running", "succeeded", "failed", "cancelled",
};

const char *
aw_mode_to_string (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return mode_names[mode];
}

gboolean
aw_mode_from_string (const char *str,
                     AwMode     *mode)
{
  for (guint i = 0; i < AW_N_MODES; i++)
    {
      if (g_strcmp0 (str, mode_names[i]) == 0)
        {
          *mode = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
aw_mode_get_label (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return _(mode_labels[mode]);
}

const char *
aw_phase_to_string (AwPhase phase)
{
  g_return_val_if_fail (phase < AW_N_PHASES, NULL);
  return phase_names[phase];
}

const char *
aw_phase_get_label (AwPhase phase)
{
  g_return_val_if_fail (phase < AW_N_PHASES, NULL);
  return _(phase_labels[phase]);
}

const char *
aw_task_state_to_string (AwTaskState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}
