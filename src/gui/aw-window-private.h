/* aw-window-private.h: the window's struct and the _aw_window_* functions its files share:
 * aw-window.c (lifecycle, what is on screen), aw-window-figures.c (the figures, reference
 * line and legend around the chart), aw-window-actions.c (what a person asks for),
 * aw-window-run.c (a live run: start, frame meter, end), aw-window-history.c (the history)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-city-panel.h"
#include "aw-code-panel.h"
#include "aw-history-list.h"
#include "aw-run-figures.h"
#include "aw-window.h"

G_BEGIN_DECLS

struct _AwWindow
{
  GtkApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  GtkToggleButton      *sidebar_button;
  AdwFlap              *flap;
  GtkDropDown          *mode_dropdown;
  GtkWidget            *limit_squeezer;
  GtkSpinButton        *limit_spin;
  GtkLabel             *limit_label;
  GtkAdjustment        *limit_adjustment;
  GtkButton            *run_button;
  GtkButton            *stop_button;
  GtkSpinner           *spinner;
  GtkToggleButton      *code_button;
  GtkRevealer          *code_revealer;
  AwCodePanel          *code_panel;
  GtkLabel             *clock_label;
  GtkWidget            *sidebar;
  AwCityPanel          *city_panel;
  AwHistoryList        *history_list;
  GtkButton            *compare_button;
  GtkRevealer          *banner;
  GtkWidget            *banner_box;
  GtkLabel             *banner_label;
  GtkStack             *chart_stack;
  AwTimingChart        *chart;
  GtkLabel             *task_detail;
  GtkFlowBox           *legend;
  AwRunFigures         *figures;
  GtkWidget            *mark_legend[4]; /* wall, sum, failed, stopped */
  GtkWidget            *lane_legend[3]; /* frame, blocked, ready */

  /* owned */
  GSettings            *settings;
  GCancellable         *cancellable;    /* the live run's; cancelled on Stop and on close */
  AwFetchRun           *run;            /* the live or last run */
  GSignalGroup         *run_signals;    /* the live run's "task-changed" and "finished" */
  AwRunRecord          *live_record;    /* the settings of the live run */
  AwHistoryItem        *shown[2];       /* the runs on screen: one, or two compared */
  AwRunRecord          *axis_setup;     /* the setup the time axis is held for */
  gint64                axis_us;        /* the axis held for consecutive runs of that setup */

  /* the frame meter of the live run (aw-window-run.c) */
  guint                 frame_tick_id;
  gint64                last_frame_us;
  gint64                frame_gap_us;
  gint64                gap_start_us;   /* monotonic: the two frames around the longest gap */
  gint64                gap_end_us;
  gint64                pressed_us;     /* monotonic: when the run was asked for */
  gint64                run_start_us;   /* monotonic: when the engine started it */
  guint                 block_source;   /* Blocking: the idle that starts it, once painted */
  gboolean              block_armed;    /* Blocking: waiting for the next frame's paint */
  gboolean              start_on_tick;
  gint64                frame_begin_us; /* monotonic: the frame being drawn, for the lanes */

  gboolean              presentation;
  gboolean              show_code;
  AdwToast             *last_toast;     /* weak: the toast shown last, while it shows */
};

/* aw-window.c */
void     _aw_window_show_banner     (AwWindow          *self,
                                     GtkMessageType     type,
                                     const char        *message);
void     _aw_window_hide_banner     (AwWindow          *self);
/* "Exported …", with Open. */
void     _aw_window_toast_exported  (AwWindow          *self,
                                     GFile             *file);
gboolean _aw_window_is_running      (AwWindow          *self);
gboolean _aw_window_is_comparing    (AwWindow          *self);
void     _aw_window_update_actions  (AwWindow          *self);
void     _aw_window_set_shown       (AwWindow          *self,
                                     AwHistoryItem     *a,
                                     AwHistoryItem     *b);

/* aw-window-figures.c */
void     _aw_window_update_figures  (AwWindow          *self);
/* The axis held for runs of @record's setup, with the previous run's wall as reference. */
void     _aw_window_hold_axis_for   (AwWindow          *self,
                                     const AwRunRecord *record);
/* A dashed line at the wall time of @previous, the run before @record, when they share
 * the axis. */
void     _aw_window_set_reference   (AwWindow          *self,
                                     AwHistoryItem     *previous,
                                     const AwRunRecord *record);
void     _aw_window_build_legend    (AwWindow          *self);
void     _aw_window_add_mark_legend (AwWindow          *self);
void     _aw_window_add_lane_legend (AwWindow          *self);

/* aw-window-history.c */
/* Adds the run to the history (and to its file), shows it. */
void     _aw_window_record_run      (AwWindow          *self,
                                     AwRunRecord       *record,
                                     AwFetchRun        *run);
void     _aw_window_load_history    (AwWindow          *self);
void     _aw_window_on_history_item_activated (AwWindow      *self,
                                               AwHistoryItem *item);

/* aw-window-actions.c */
void     _aw_window_class_add_actions (GtkWidgetClass  *widget_class);
/* A run's header in the compare view. */
char    *_aw_window_header_title    (const AwRunRecord *record,
                                     const AwRunRecord *first,
                                     guint              number);

/* The code panel beside the chart, or in its place on a narrow window. */
void     _aw_window_update_code_place (AwWindow        *self);

/* Escape leaves presentation mode, before the focused widget sees the key. */
void     _aw_window_add_escape      (AwWindow          *self);

/* aw-window-run.c */
void     _aw_window_start_run       (AwWindow          *self,
                                     AwMode             mode);
void     _aw_window_init_run        (AwWindow          *self);
void     _aw_window_dispose_run     (AwWindow          *self);

G_END_DECLS
