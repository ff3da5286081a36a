/* aw-code-panel.h: the same program five ways: the tutorial's Python and this engine's C for
 * the selected mode, with a live count of the tasks at each line during a run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "aw-fetch-run.h"

G_BEGIN_DECLS

typedef enum
{
  AW_CODE_PYTHON,
  AW_CODE_C,
} AwCodeLanguage;

#define AW_N_CODE_LANGUAGES (AW_CODE_C + 1)

#define AW_TYPE_CODE_PANEL (aw_code_panel_get_type ())

G_DECLARE_FINAL_TYPE (AwCodePanel, aw_code_panel, AW, CODE_PANEL, GtkWidget)

void        aw_code_panel_set_mode        (AwCodePanel    *self,
                                           AwMode          mode);
AwMode      aw_code_panel_get_mode        (AwCodePanel    *self);
/* The weather's program, or the tutorial's first one ("sleep only"). */
void        aw_code_panel_set_workload    (AwCodePanel    *self,
                                           AwWorkload      workload);
AwWorkload  aw_code_panel_get_workload    (AwCodePanel    *self);
/* The run whose tasks are counted at their lines while it is live; NULL for none. */
void        aw_code_panel_set_run         (AwCodePanel    *self,
                                           AwFetchRun     *run);
/* Counts the run's tasks at their lines now (the panel does it at every frame of a run). */
void        aw_code_panel_update          (AwCodePanel    *self);
guint       aw_code_panel_get_n_lines     (AwCodePanel    *self,
                                           AwCodeLanguage  language);
const char *aw_code_panel_get_line        (AwCodePanel    *self,
                                           AwCodeLanguage  language,
                                           guint           line);
/* The phase whose colour the line carries, or -1. */
int         aw_code_panel_get_line_phase  (AwCodePanel    *self,
                                           AwCodeLanguage  language,
                                           guint           line);
/* The live tasks at the line now. */
guint       aw_code_panel_get_count       (AwCodePanel    *self,
                                           AwCodeLanguage  language,
                                           guint           line);
/* What a screen reader says for the line: its code, its phase, its tasks. */
const char *aw_code_panel_get_line_label  (AwCodePanel    *self,
                                           AwCodeLanguage  language,
                                           guint           line);
/* The line of the callback a thread runs now (or the loop ran within the last 150 ms: it
 * runs between two frames), lit; -1 for none. */
int         aw_code_panel_get_lit_line    (AwCodePanel    *self,
                                           AwCodeLanguage  language);
/* The mode's few sentences. */
const char *aw_code_panel_get_explanation (AwCodePanel    *self);

G_END_DECLS
