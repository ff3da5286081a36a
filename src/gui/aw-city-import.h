/* aw-city-import.h: many cities at once for the window: a pasted list, a file, samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Appends the good names of @text (split at @separators) to the "cities" key of @settings.
 * Returns how many were added; @message says which were not, and why (NULL if none). */
guint               aw_city_import_text       (GSettings   *settings,
                                               const char  *text,
                                               gsize        length,
                                               const char  *separators,
                                               char       **message);
/* The place names shipped in data/sample-cities.txt, in the order of the file. */
const char * const *aw_city_import_get_samples (guint       *n_samples);
/* Offers the sample place names as completions while a person types in @entry. */
void                aw_city_import_add_completion (GtkEntry *entry);

G_END_DECLS
