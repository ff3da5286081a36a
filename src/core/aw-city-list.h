/* aw-city-list.h: many city names at once, from pasted text or a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A run of this many cities is what the window's descriptor table is sized for. */
#define AW_MAX_CITIES 4000

/* Where a list splits into names: one a line, or also at commas and semicolons. */
#define AW_CITY_LIST_LINES       "\n\r"
#define AW_CITY_LIST_SEPARATORS  "\n\r,;"

typedef struct
{
  GPtrArray *accepted;  /* char *: the good names, normalized, in order, each once */
  GPtrArray *rejected;  /* char *: the name as given (or its start) */
  GPtrArray *reasons;   /* char *: why, beside each rejected name */
} AwCityList;

/* Splits @text at @separators, skips blank pieces and lines that start with '#', checks each
 * name and drops the ones already in @existing (or twice in @text), case-insensitively.
 * At most AW_MAX_CITIES names in all, @existing included. */
AwCityList *aw_city_list_parse      (const char         *text,
                                     gsize               length,
                                     const char         *separators,
                                     const char * const *existing);
/* "3 not added: “a\x01b” (the city name contains a control character), …", the first few;
 * NULL when none was rejected. */
char       *aw_city_list_describe_rejected (AwCityList *self);
void        aw_city_list_free       (AwCityList         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AwCityList, aw_city_list_free)

G_END_DECLS
