/* aw-text.h: text from outside made safe to show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @c may not reach a terminal, the window, an export or a log as it is: C0 and C1
 * controls, line and paragraph separators, bidirectional controls, zero-width and other
 * invisible format characters. */
gboolean aw_text_is_unsafe_char (gunichar    c);

/* @text (@len bytes, or -1 for up to its NUL) as valid UTF-8 with no unsafe character:
 * blanks and line breaks become spaces, other controls visible symbols (ESC shows as ␛),
 * invisible characters are removed, invalid bytes become U+FFFD. */
char    *aw_text_sanitize       (const char *text,
                                 gssize      len);

G_END_DECLS
