/* aw-png-export.h: the chart as a picture for a slide: title, chart, legend, figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "aw-timing-chart.h"

G_BEGIN_DECLS

#define AW_PNG_EXPORT_WIDTH  1600
#define AW_PNG_EXPORT_HEIGHT 900

/* Saves a @width × @height PNG of @chart under @title and @subtitle, with the phases' legend
 * and @figures (value, caption, value, caption…, NULL) below: dark on white, whatever the
 * theme. */
gboolean aw_png_export (AwTimingChart       *chart,
                        const char          *title,
                        const char          *subtitle,
                        const char * const  *figures,
                        int                  width,
                        int                  height,
                        const char          *path,
                        GError             **error);

G_END_DECLS
