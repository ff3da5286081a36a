/* aw-png-export.c: the chart as a picture for a slide: title, chart, legend, figures
 *
 * Drawn into a render node of its own at the picture's size (not a copy of the screen), so
 * that it is sharp, light whatever the theme, and laid out for a 16:9 slide.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "aw-png-export.h"

#define MARGIN       48
/* The chart is drawn larger than on screen: a slide is read from afar. */
#define CHART_SCALE  1.4

static void
set_font (PangoLayout *layout,
          int          pixels,
          gboolean     bold)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_copy (
    pango_context_get_font_description (pango_layout_get_context (layout)));

  pango_font_description_set_absolute_size (font, pixels * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
}

/* Draws @text at (@x, @y); returns its height. @width > 0 centres it in that width. */
static int
draw_text (GtkSnapshot *snapshot,
           PangoLayout *layout,
           const char  *text,
           const char  *color,
           double       x,
           double       y,
           int          width)
{
  GdkRGBA rgba;
  int text_height;

  gdk_rgba_parse (&rgba, color);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, width > 0 ? width * PANGO_SCALE : -1);
  pango_layout_set_alignment (layout, width > 0 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &rgba);
  gtk_snapshot_restore (snapshot);
  return text_height;
}

/* The phases' colours and names in one centred line, and what the lanes draw when the chart
 * has them; returns its height. */
static int
draw_legend (GtkSnapshot *snapshot,
             PangoLayout *layout,
             int          width,
             double       y,
             gboolean     lanes)
{
  const int swatch = 18, gap = 8, spacing = 28;
  GdkRGBA colors[AW_N_PHASES + 3];
  const char *labels[AW_N_PHASES + 3];
  int widths[AW_N_PHASES + 3], total = 0, text_height = 0;
  guint n = 0;
  double x;

  for (AwPhase phase = 0; phase < AW_N_PHASES; phase++, n++)
    {
      aw_timing_chart_get_phase_color (phase, &colors[n]);
      labels[n] = aw_phase_get_label (phase);
    }
  if (lanes)
    {
      aw_timing_chart_get_frame_color (&colors[n]);
      labels[n++] = _("frame");
      gdk_rgba_parse (&colors[n], "#241f318c");
      labels[n++] = _("blocked");
      aw_timing_chart_get_ready_color (&colors[n]);
      labels[n++] = _("ready, loop busy");
    }
  set_font (layout, 20, FALSE);
  pango_layout_set_width (layout, -1);
  for (guint i = 0; i < n; i++)
    {
      pango_layout_set_text (layout, labels[i], -1);
      pango_layout_get_pixel_size (layout, &widths[i], &text_height);
      total += swatch + gap + widths[i] + (i > 0 ? spacing : 0);
    }
  x = (width - total) / 2.0;
  for (guint i = 0; i < n; i++)
    {
      gtk_snapshot_append_color (snapshot, &colors[i],
                                 &GRAPHENE_RECT_INIT (x, y + (text_height - swatch) / 2.0,
                                                      swatch, swatch));
      x += swatch + gap;
      draw_text (snapshot, layout, labels[i], "#241f31", x, y, 0);
      x += widths[i] + spacing;
    }
  return text_height;
}

gboolean
aw_png_export (AwTimingChart       *chart,
               const char          *title,
               const char          *subtitle,
               const char * const  *figures,
               int                  width,
               int                  height,
               const char          *path,
               GError             **error)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkNative *native;
  GdkRGBA white = { 1, 1, 1, 1 };
  guint n_figures = figures != NULL ? g_strv_length ((GStrv)figures) / 2 : 0;
  int y, figures_top, legend_top, chart_width, chart_height;

  g_return_val_if_fail (AW_IS_TIMING_CHART (chart), FALSE);
  g_return_val_if_fail (width >= 800 && height >= 450, FALSE);

  native = gtk_widget_get_native (GTK_WIDGET (chart));
  if (native == NULL || gtk_native_get_renderer (native) == NULL
      || aw_timing_chart_get_n_runs (chart) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing is drawn yet"));
      return FALSE;
    }

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (chart), NULL);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Title and subtitle, top left. */
  y = MARGIN - 12;
  set_font (layout, 36, TRUE);
  pango_layout_set_width (layout, (width - 2 * MARGIN) * PANGO_SCALE);
  y += draw_text (snapshot, layout, title, "#241f31", MARGIN, y, 0) + 4;
  set_font (layout, 21, FALSE);
  if (subtitle != NULL)
    y += draw_text (snapshot, layout, subtitle, "#5e5c64", MARGIN, y, 0);
  y += 20;

  /* Figures at the bottom, in columns; the legend above them. */
  set_font (layout, 38, TRUE);
  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &figures_top);
  figures_top = height - MARGIN - figures_top - 2 * 24;
  for (guint i = 0; i < n_figures; i++)
    {
      int column = (width - 2 * MARGIN) / n_figures;
      double x = MARGIN + i * column;
      int value_height;

      set_font (layout, 38, TRUE);
      value_height = draw_text (snapshot, layout, figures[2 * i], "#241f31", x, figures_top,
                                column);
      set_font (layout, 20, FALSE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      draw_text (snapshot, layout, figures[2 * i + 1], "#5e5c64", x, figures_top + value_height,
                 column);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  set_font (layout, 20, FALSE);
  pango_layout_set_text (layout, "M", -1);
  pango_layout_get_pixel_size (layout, NULL, &legend_top);
  legend_top = figures_top - 24 - legend_top;
  draw_legend (snapshot, layout, width, legend_top, aw_timing_chart_get_n_lanes (chart) > 0);

  /* The chart fills what is left, drawn at its size there. */
  chart_width = width - 2 * MARGIN;
  chart_height = legend_top - 16 - y;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MARGIN, y));
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, chart_width, chart_height));
  gtk_snapshot_scale (snapshot, CHART_SCALE, CHART_SCALE);
  aw_timing_chart_snapshot_for_image (chart, snapshot, chart_width / CHART_SCALE,
                                      chart_height / CHART_SCALE);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_restore (snapshot);

  node = gtk_snapshot_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s"), path);
      return FALSE;
    }
  return TRUE;
}
