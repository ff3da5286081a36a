/* aw-code-panel-private.h: what the code panel shares with its program tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-code-panel.h"

G_BEGIN_DECLS

#define NONE      -1
#define MAX_LINES 20

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

const Code *aw_code_panel_lookup_program     (AwWorkload     workload,
                                              AwMode         mode,
                                              AwCodeLanguage language);
const char *aw_code_panel_lookup_explanation (AwWorkload     workload,
                                              AwMode         mode);

G_END_DECLS
