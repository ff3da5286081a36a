/* aw-code-panel.c: the same program five ways: for the selected mode, the tutorial's Python
 * and the C this engine runs (simplified from aw-fetch-run-queue.c, aw-scheduler-*.c and
 * aw-fetch-job.c), a few sentences on what happens, each line that stands for a phase in
 * that phase's colour, and during a run the number of tasks at each line (the programs
 * themselves are in aw-code-panel-programs.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-code-panel.h"
#include "aw-code-panel-private.h"
#include "aw-timing-chart.h"

/* A callback on the loop's thread ends before the window can draw: it stays lit this long
 * after it ran, so that a person sees which line the loop ran last. */
#define AFTERGLOW_US (150 * 1000)

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
  return aw_code_panel_lookup_program (self->workload, self->mode, language);
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
                      _(aw_code_panel_lookup_explanation (self->workload, self->mode)));
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
