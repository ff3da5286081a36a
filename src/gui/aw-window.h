/* aw-window.h: the main window: cities, run controls, the timing chart, history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "aw-application.h"
#include "aw-city-panel.h"
#include "aw-code-panel.h"
#include "aw-history-list.h"
#include "aw-run-figures.h"
#include "aw-run-record.h"
#include "aw-timing-chart.h"

G_BEGIN_DECLS

#define AW_TYPE_WINDOW (aw_window_get_type ())

G_DECLARE_FINAL_TYPE (AwWindow, aw_window, AW, WINDOW, AdwApplicationWindow)

AwWindow      *aw_window_new             (AwApplication *application);
/* Starts a run of the saved cities in @mode, without asking first (even for Blocking). */
void           aw_window_start_run       (AwWindow      *self,
                                          AwMode         mode);
void           aw_window_stop_run        (AwWindow      *self);
/* The run shown last, or NULL. */
AwFetchRun    *aw_window_get_run         (AwWindow      *self);
AwTimingChart *aw_window_get_chart       (AwWindow      *self);
/* Adds a city as the entry does; FALSE with the message shown at the entry when refused. */
gboolean       aw_window_add_city        (AwWindow      *self,
                                          const char    *name);
const char    *aw_window_get_entry_message (AwWindow    *self);
/* Adds the good names of a list (lines, commas or semicolons) as a paste does; the bad ones
 * are listed with their reasons at the entry. Returns how many were added. */
guint          aw_window_add_cities      (AwWindow      *self,
                                          const char    *text);
/* Adds the cities of a text file, in the background, as aw_window_add_cities() does. */
void           aw_window_import_cities   (AwWindow      *self,
                                          GFile         *file);
/* The figures under the chart, as shown: wall, sum, speedup, longest frame. */
const char    *aw_window_get_figure      (AwWindow      *self,
                                          guint          index);
/* The longest gap between two frames of the window during the last run. */
gint64         aw_window_get_frame_gap_us (AwWindow     *self);
guint          aw_window_get_n_history   (AwWindow      *self);
/* The widgets of the sidebar and under the chart. */
AwCityPanel   *aw_window_get_city_panel  (AwWindow      *self);
AwHistoryList *aw_window_get_history_list (AwWindow     *self);
AwRunFigures  *aw_window_get_figures     (AwWindow      *self);
/* Shows @message in the window's banner; the banner's text while it shows, or NULL. */
void           aw_window_show_notice     (AwWindow      *self,
                                          const char    *message);
const char    *aw_window_get_notice      (AwWindow      *self);
/* The title of the toast shown last, while it shows, or NULL. */
const char    *aw_window_get_toast       (AwWindow      *self);
/* Whether the sidebar is folded away (a narrow window), and shown over the chart. */
gboolean       aw_window_get_folded      (AwWindow      *self);
/* Draws the runs @a and @b of the history on one axis. */
void           aw_window_compare         (AwWindow      *self,
                                          guint          a,
                                          guint          b);
/* The line under the figures: how the runs on screen compare, or why they do not. */
const char    *aw_window_get_comparison  (AwWindow      *self);
/* The record of run @index of the history (0 is the oldest). */
const AwRunRecord *aw_window_get_history_record (AwWindow *self,
                                          guint          index);
/* The index of the @nth highlighted row of the history (the runs on screen), or -1. */
int            aw_window_get_highlighted_history (AwWindow *self,
                                          guint          nth);
/* Fits the time axis to the runs on screen, and holds that axis for the next runs. */
void           aw_window_fit_axis        (AwWindow      *self);
/* Exports the runs on screen (both when comparing) as "har", "trace" or "csv". */
gboolean       aw_window_export_runs     (AwWindow      *self,
                                          const char    *format,
                                          const char    *path,
                                          GError       **error);
/* Exports as the Export menu does ("har", "trace", "csv" or "png"): a toast says so, with Open. */
gboolean       aw_window_export_to       (AwWindow      *self,
                                          const char    *format,
                                          GFile         *file,
                                          GError       **error);
/* Presentation mode: the chart alone, large, full screen (F5). */
void           aw_window_set_presentation (AwWindow     *self,
                                          gboolean       presentation);
gboolean       aw_window_get_presentation (AwWindow     *self);
/* The code panel beside the chart: the mode's Python and C, the tasks at each line (Ctrl+U). */
void           aw_window_set_show_code   (AwWindow      *self,
                                          gboolean       show_code);
gboolean       aw_window_get_show_code   (AwWindow      *self);
AwCodePanel   *aw_window_get_code_panel  (AwWindow      *self);
/* A mode's Python equivalent, as the mode menu shows it. */
const char    *aw_window_get_mode_python (AwMode         mode);
/* Saves the chart on screen as a 1600×900 picture for a slide: title, legend, figures. */
gboolean       aw_window_export_png      (AwWindow      *self,
                                          const char    *path,
                                          GError       **error);
/* Saves @widget as drawn into a PNG file. */
gboolean       aw_widget_save_png        (GtkWidget     *widget,
                                          const char    *path,
                                          GError       **error);

G_END_DECLS
