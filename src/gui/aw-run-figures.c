/* aw-run-figures.c: the four figures under the chart (wall time, sum of tasks, speedup,
 * longest frame) and the CPU time under them, for one run or two compared, and the line that
 * says how the runs on screen compare, with Show Both and Fit Axis beside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-distribution.h"
#include "aw-run-figures.h"

#define N_FIGURES 4
#define N_BINS    24

struct _AwRunFigures
{
  GtkWidget  parent_instance;

  /* template widgets */
  GtkFlowBox *figures_box;
  GtkLabel  *wall_label;
  GtkLabel  *sum_label;
  GtkLabel  *speedup_label;
  GtkLabel  *stall_label;
  GtkLabel  *cpu_label;
  GtkFlowBox *compare_box;
  GtkLabel  *compare_label;
  GtkButton *stack_button;
  GtkButton *fit_button;
  GtkLabel  *gap_label;
  GtkWidget *distribution_box;
  GtkWidget *histogram_area;
  GtkLabel  *percentiles_label;
  GtkLabel  *distribution_caption;

  /* owned */
  guint      bins[N_BINS];
  guint      n_bins;      /* N_BINS while the histogram shows, else 0 */
  guint      max_bin;
  gint64     bins_min_us;
  gint64     bin_us;
  AwPercentiles percentiles;
  char      *values[N_FIGURES];
  char      *captions[N_FIGURES];
};

G_DEFINE_FINAL_TYPE (AwRunFigures, aw_run_figures, GTK_TYPE_WIDGET)

char *
aw_format_seconds (gint64 us)
{
  if (us < G_USEC_PER_SEC)
    return g_strdup_printf (_("%.0f ms"), us / 1000.0);
  return g_strdup_printf (_("%.2f s"), us / (double)G_USEC_PER_SEC);
}

static char *
describe_frame_gap (gint64 gap_us)
{
  if (gap_us >= AW_FROZEN_US)
    return g_strdup_printf (_("frozen %.1f s"), gap_us / (double)G_USEC_PER_SEC);
  return g_strdup_printf (_("%.0f ms"), gap_us / 1000.0);
}

void
aw_run_figures_format (const AwRunRecord *record,
                       char              *values[4])
{
  values[0] = aw_format_seconds (record->total_us);
  values[1] = aw_format_seconds (record->sum_us);
  values[2] = g_strdup_printf (_("%.1f×"),
                               record->total_us > 0 ? record->sum_us / (double)record->total_us
                                                    : 0);
  values[3] = describe_frame_gap (record->frame_gap_us);
}

char *
aw_run_figures_describe_comparison (const AwRunRecord *a,
                                    const AwRunRecord *b)
{
  g_autofree char *name_a = aw_run_record_format_name (a);
  g_autofree char *name_b = aw_run_record_format_name (b);
  g_autofree char *reason = NULL;
  g_autofree char *how = NULL;
  double ratio;

  if (!aw_run_record_compare (a, b, &ratio, &reason))
    /* Translators: two runs, and why they do not compare ("different cities", "stopped") */
    return g_strdup_printf (_("%s and %s do not compare: %s"), name_a, name_b, reason);
  if (aw_run_record_is_as_fast (ratio))
    /* Translators: two runs of the same speed, the later first */
    return g_strdup_printf (_("%s was as fast as %s"), name_b, name_a);
  how = aw_run_record_format_ratio (ratio);
  /* Translators: the later run, how it did ("3.0× faster", "2.1× slower"), the earlier run */
  return g_strdup_printf (_("%s was %s than %s"), name_b, how, name_a);
}

static GtkLabel *
get_label (AwRunFigures *self,
           guint         index)
{
  GtkLabel *labels[] = { self->wall_label, self->sum_label, self->speedup_label,
                         self->stall_label };

  return labels[index];
}

static void
set_figure (AwRunFigures *self,
            guint         index,
            const char   *value,
            const char   *caption)
{
  g_autofree char *value_markup = g_markup_escape_text (value, -1);
  g_autofree char *caption_markup = g_markup_escape_text (caption, -1);
  g_autofree char *markup = g_strdup_printf ("<span size=\"x-large\" weight=\"bold\">%s</span>\n"
                                             "<span size=\"small\">%s</span>",
                                             value_markup, caption_markup);
  GtkLabel *label = get_label (self, index);

  gtk_label_set_markup (label, markup);
  g_free (self->values[index]);
  self->values[index] = g_strdup (value);
  g_free (self->captions[index]);
  self->captions[index] = g_strdup (caption);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  caption, -1);
}

static const char *
get_plain_caption (guint index)
{
  const char *captions[] = { N_("wall time"), N_("sum of tasks"), N_("speedup"),
                             N_("longest frame") };

  return _(captions[index]);
}

void
aw_run_figures_show_none (AwRunFigures *self)
{
  g_return_if_fail (AW_IS_RUN_FIGURES (self));

  for (guint i = 0; i < N_FIGURES; i++)
    set_figure (self, i, "—", get_plain_caption (i));
  gtk_widget_set_visible (GTK_WIDGET (self->cpu_label), FALSE);
}

/* "CPU 1.21 s · 1.8 cores", or "… │ …" for two runs; hidden when no run knows it. */
static void
show_cpu (AwRunFigures      *self,
          const AwRunRecord *a,
          const AwRunRecord *b)
{
  g_autofree char *cpu_a = aw_run_record_format_cpu (a);
  g_autofree char *cpu_b = b != NULL ? aw_run_record_format_cpu (b) : NULL;
  g_autofree char *text = NULL;

  if (b != NULL && (cpu_a != NULL || cpu_b != NULL))
    text = g_strdup_printf (_("%s │ %s"), cpu_a ? cpu_a : "—", cpu_b ? cpu_b : "—");
  else
    text = g_steal_pointer (&cpu_a);
  gtk_label_set_text (self->cpu_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cpu_label), text != NULL);
}

const char *
aw_run_figures_get_cpu (AwRunFigures *self)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->cpu_label)))
    return NULL;
  return gtk_label_get_text (self->cpu_label);
}

void
aw_run_figures_show_run (AwRunFigures      *self,
                         const AwRunRecord *record,
                         double             frame_ms)
{
  char *values[N_FIGURES];

  g_return_if_fail (AW_IS_RUN_FIGURES (self));
  g_return_if_fail (record != NULL);

  aw_run_figures_format (record, values);
  /* The caption says it was a freeze: the figure is its length alone. */
  if (record->frame_gap_us >= AW_FROZEN_US)
    {
      g_free (values[3]);
      values[3] = aw_format_seconds (record->frame_gap_us);
    }
  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_autofree char *caption = NULL;

      if (i < 3)
        caption = g_strdup (get_plain_caption (i));
      else if (record->frame_gap_us >= AW_FROZEN_US)
        /* Translators: under the time the window could not draw; %.1f is a frame's time */
        caption = g_strdup_printf (_("window frozen\n(a frame is %.1f ms)"), frame_ms);
      else
        /* Translators: under the longest gap between two frames; %.1f is a frame's time */
        caption = g_strdup_printf (_("longest frame\n(a frame is %.1f ms)"), frame_ms);
      set_figure (self, i, values[i], caption);
      g_free (values[i]);
    }
  show_cpu (self, record, NULL);
}

void
aw_run_figures_show_pair (AwRunFigures      *self,
                          const AwRunRecord *a,
                          const AwRunRecord *b)
{
  char *values_a[N_FIGURES], *values_b[N_FIGURES];

  g_return_if_fail (AW_IS_RUN_FIGURES (self));

  /* Both runs side by side, in the order of the chart's headers. */
  aw_run_figures_format (a, values_a);
  aw_run_figures_format (b, values_b);
  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_autofree char *value = g_strdup_printf (_("%s │ %s"), values_a[i], values_b[i]);
      /* Translators: a figure's caption when two runs are compared, "wall time (1 │ 2)" */
      g_autofree char *caption = g_strdup_printf (_("%s (run 1 │ run 2)"), get_plain_caption (i));

      set_figure (self, i, value, caption);
      g_free (values_a[i]);
      g_free (values_b[i]);
    }
  show_cpu (self, a, b);
}

void
aw_run_figures_set_comparison (AwRunFigures *self,
                               const char   *text,
                               gboolean      refused,
                               gboolean      offer_both)
{
  g_return_if_fail (AW_IS_RUN_FIGURES (self));

  if (text != NULL)
    gtk_label_set_text (self->compare_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->stack_button), offer_both);
  /* A comparison refused is said as plainly as a ratio, not in the dim of a hint. */
  gtk_widget_set_css_classes (GTK_WIDGET (self->compare_label),
                              (const char *[]) { refused ? "refused" : "dim-label", NULL });
}

const char *
aw_run_figures_get_comparison (AwRunFigures *self)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  return gtk_label_get_text (self->compare_label);
}

const char *
aw_run_figures_get_value (AwRunFigures *self,
                          guint         index)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  g_return_val_if_fail (index < N_FIGURES, NULL);
  return self->values[index];
}

const char *
aw_run_figures_get_caption (AwRunFigures *self,
                            guint         index)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  g_return_val_if_fail (index < N_FIGURES, NULL);
  return self->captions[index];
}

/* The bins as bars in the text's colour, the percentiles as ticks under them. */
static void
draw_histogram (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  AwRunFigures *self = user_data;
  double bar_width = width / (double)N_BINS;
  double bars_height = height - 6;
  gint64 ticks[] = { self->percentiles.p50_us, self->percentiles.p95_us,
                     self->percentiles.p99_us };
  GdkRGBA color;

  if (self->n_bins == 0 || self->max_bin == 0)
    return;
  /* gtk_widget_get_color () is GTK 4.10's. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.55);
  for (guint i = 0; i < N_BINS; i++)
    {
      double h = self->bins[i] == 0 ? 0 : MAX (1, bars_height * self->bins[i] / self->max_bin);

      cairo_rectangle (cr, i * bar_width + 0.5, bars_height - h, MAX (bar_width - 1, 1), h);
    }
  /* The baseline, so that an empty bin reads as none. */
  cairo_rectangle (cr, 0, bars_height, width, 1);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      double x = (ticks[i] - self->bins_min_us) / (double)(self->bin_us * N_BINS) * width;

      cairo_rectangle (cr, CLAMP (x, 0, width - 2), bars_height + 1, 2, 5);
    }
  cairo_fill (cr);
}

void
aw_run_figures_set_durations (AwRunFigures *self,
                              const gint64 *sorted,
                              guint         n)
{
  g_autofree char *p50 = NULL, *p95 = NULL, *p99 = NULL, *low = NULL, *high = NULL;
  g_autofree char *text = NULL, *caption = NULL, *description = NULL;

  g_return_if_fail (AW_IS_RUN_FIGURES (self));

  if (n < AW_DISTRIBUTION_MIN_TASKS)
    {
      self->n_bins = 0;
      gtk_widget_set_visible (self->distribution_box, FALSE);
      return;
    }
  aw_distribution_percentiles (sorted, n, &self->percentiles);
  aw_distribution_histogram (sorted, n, N_BINS, self->bins, &self->bins_min_us, &self->bin_us);
  self->n_bins = N_BINS;
  self->max_bin = 0;
  for (guint i = 0; i < N_BINS; i++)
    self->max_bin = MAX (self->max_bin, self->bins[i]);

  p50 = aw_format_seconds (self->percentiles.p50_us);
  p95 = aw_format_seconds (self->percentiles.p95_us);
  p99 = aw_format_seconds (self->percentiles.p99_us);
  /* Translators: task durations at the 50th, 95th and 99th percentile */
  text = g_strdup_printf (_("p50 %s · p95 %s · p99 %s"), p50, p95, p99);
  gtk_label_set_text (self->percentiles_label, text);
  low = aw_format_seconds (sorted[0]);
  high = aw_format_seconds (sorted[n - 1]);
  /* Translators: under the histogram: how many tasks, the shortest and longest duration */
  caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task, %s to %s",
                                          "durations of %u tasks, %s to %s", n), n, low, high);
  gtk_label_set_text (self->distribution_caption, caption);
  /* Translators: what a screen reader says of the histogram */
  description = g_strdup_printf (_("Histogram of task durations: %s; %s"), caption, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->histogram_area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_set_visible (self->distribution_box, TRUE);
  gtk_widget_queue_draw (self->histogram_area);
}

void
aw_run_figures_set_gap (AwRunFigures *self,
                        gint64        wall_us,
                        gint64        bound_us,
                        const char   *gap)
{
  g_autofree char *wall = NULL, *bound = NULL, *text = NULL;

  g_return_if_fail (AW_IS_RUN_FIGURES (self));

  if (bound_us <= 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->gap_label), FALSE);
      return;
    }
  wall = aw_format_seconds (wall_us);
  bound = aw_format_seconds (bound_us);
  if (gap != NULL)
    /* Translators: wall time, the bound, then what the difference went to
     * ("+0.90 s waiting for a connection (2 per host), +0.20 s loop busy") */
    text = g_strdup_printf (_("%s, bound %s: %s"), wall, bound, gap);
  else
    /* Translators: wall time and the bound, when the run reached it */
    text = g_strdup_printf (_("%s, bound %s: as fast as the mode allows"), wall, bound);
  gtk_label_set_text (self->gap_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->gap_label), TRUE);
}

const char *
aw_run_figures_get_gap (AwRunFigures *self)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->gap_label))
         ? gtk_label_get_text (self->gap_label) : NULL;
}

const char *
aw_run_figures_get_percentiles (AwRunFigures *self)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  return self->n_bins > 0 ? gtk_label_get_text (self->percentiles_label) : NULL;
}

const guint *
aw_run_figures_get_bins (AwRunFigures *self,
                         guint        *n_bins)
{
  g_return_val_if_fail (AW_IS_RUN_FIGURES (self), NULL);
  *n_bins = self->n_bins;
  return self->bins;
}

static void
aw_run_figures_dispose (GObject *object)
{
  AwRunFigures *self = (AwRunFigures *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), AW_TYPE_RUN_FIGURES);
  /* The template's unnamed children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (aw_run_figures_parent_class)->dispose (object);
}

static void
aw_run_figures_finalize (GObject *object)
{
  AwRunFigures *self = (AwRunFigures *)object;

  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_clear_pointer (&self->values[i], g_free);
      g_clear_pointer (&self->captions[i], g_free);
    }
  G_OBJECT_CLASS (aw_run_figures_parent_class)->finalize (object);
}

static void
aw_run_figures_class_init (AwRunFiguresClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aw_run_figures_dispose;
  object_class->finalize = aw_run_figures_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/asyncweather/AsyncWeather/aw-run-figures.ui");
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, figures_box);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, wall_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, sum_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, speedup_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, stall_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, cpu_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, compare_box);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, compare_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, stack_button);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, fit_button);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, gap_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, distribution_box);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, histogram_area);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, percentiles_label);
  gtk_widget_class_bind_template_child (widget_class, AwRunFigures, distribution_caption);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "runfigures");
}

static void
aw_run_figures_init (AwRunFigures *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  /* Figures to read, not to select: no tab stops. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->histogram_area), draw_histogram,
                                  self, NULL);
  aw_run_figures_show_none (self);
}
