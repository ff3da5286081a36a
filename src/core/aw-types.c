/* aw-types.c: the names and labels of the engine's enums
 *
 * The names (as the CLI, exports and history file spell them) are the enums' nicks, from the
 * GTypes gnome.mkenums_simple generates (aw-enums.c); only the labels people read are here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-types.h"

static const char * const mode_labels[AW_N_MODES] = {
  N_("Sequential"), N_("Concurrent"), N_("Limited"), N_("Threads"), N_("Blocking"),
};

static const char * const mode_suits[AW_N_MODES] = {
  N_("Suits I/O-bound work that must happen in order: the waits add up."),
  N_("Suits I/O-bound work: one thread waits for all; CPU work queues on the loop."),
  N_("Suits I/O-bound work towards a service that takes K requests at once."),
  N_("Suits CPU-bound work too: answers are handled on several cores at once."),
  N_("Suits neither: the wait holds the thread that draws the window."),
};

static const char * const phase_labels[AW_N_PHASES] = {
  /* Translators: the phases of one HTTP request, as browser network panels name them */
  N_("Queued"), N_("DNS"), N_("Connect"), N_("TLS"), N_("Send"), N_("Wait"), N_("Receive"),
  N_("Parse"),
};

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* The class stays alive: GLib keeps every enum class it made. */
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value;

  if (nick == NULL || (enum_value = g_enum_get_value_by_nick (klass, nick)) == NULL)
    return FALSE;
  *value = enum_value->value;
  return TRUE;
}

const char *
aw_mode_to_string (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return enum_nick (AW_TYPE_MODE, mode);
}

gboolean
aw_mode_from_string (const char *str,
                     AwMode     *mode)
{
  int value;

  if (!enum_from_nick (AW_TYPE_MODE, str, &value))
    return FALSE;
  *mode = value;
  return TRUE;
}

const char *
aw_mode_get_label (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return _(mode_labels[mode]);
}

const char *
aw_mode_get_suits (AwMode mode)
{
  g_return_val_if_fail (mode < AW_N_MODES, NULL);
  return _(mode_suits[mode]);
}

const char *
aw_phase_to_string (AwPhase phase)
{
  g_return_val_if_fail (phase < AW_N_PHASES, NULL);
  return enum_nick (AW_TYPE_PHASE, phase);
}

gboolean
aw_phase_from_string (const char *str,
                      AwPhase    *phase)
{
  int value;

  if (!enum_from_nick (AW_TYPE_PHASE, str, &value))
    return FALSE;
  *phase = value;
  return TRUE;
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
  return enum_nick (AW_TYPE_TASK_STATE, state);
}

const char *
aw_workload_to_string (AwWorkload workload)
{
  return enum_nick (AW_TYPE_WORKLOAD, workload);
}

gboolean
aw_workload_from_string (const char *str,
                         AwWorkload *workload)
{
  int value;

  if (!enum_from_nick (AW_TYPE_WORKLOAD, str, &value))
    return FALSE;
  *workload = value;
  return TRUE;
}

const char *
aw_slice_kind_to_string (AwSliceKind kind)
{
  return enum_nick (AW_TYPE_SLICE_KIND, kind);
}
