/* aw-json-scan.h: a strict, bounded check of an answer's JSON before json-glib reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Far beyond any weather answer (prevision-meteo.ch's five-day report: about 6,000 tokens,
 * at most 24 members in one object, 30,000 pairs of members sharing an object), and small
 * enough that json-glib parses anything within them in a few milliseconds. Its objects are
 * hash tables keyed by g_str_hash, which is easy to collide: names of one hash make an object
 * of n members cost n²/2 string comparisons, hence the bound on pairs, whatever the names. */
#define AW_JSON_MAX_DEPTH        64
#define AW_JSON_MAX_MEMBERS      256
#define AW_JSON_MAX_MEMBER_PAIRS 65536
#define AW_JSON_MAX_TOKENS       16384
/* Bytes of a member name: colliding names are compared in full, so their length multiplies
 * the cost of each pair. */
#define AW_JSON_MAX_NAME_BYTES   64
/* Any number a service means: 17 significant digits and an exponent fit with room to spare. */
#define AW_JSON_MAX_NUMBER_CHARS 40

typedef enum
{
  AW_JSON_SCAN_OK,
  AW_JSON_SCAN_NOT_JSON,         /* outside JSON's grammar, or not one object or array */
  AW_JSON_SCAN_TOO_DEEP,         /* nested deeper than AW_JSON_MAX_DEPTH */
  AW_JSON_SCAN_TOO_MANY_MEMBERS, /* beyond AW_JSON_MAX_MEMBERS or AW_JSON_MAX_MEMBER_PAIRS */
  AW_JSON_SCAN_TOO_MANY_TOKENS,  /* more than AW_JSON_MAX_TOKENS values and names */
  AW_JSON_SCAN_LONG_NAME,        /* a member name longer than AW_JSON_MAX_NAME_BYTES */
  AW_JSON_SCAN_INEXACT_NUMBER,   /* a number json-glib cannot hold exactly (it wraps integers) */
} AwJsonScan;

AwJsonScan aw_json_scan             (const char *data,
                                     gsize       len);
/* A plain decimal: an optional '-', digits without a leading zero, an optional fraction;
 * no blanks, no '+', no exponent, no hex; at most AW_JSON_MAX_NUMBER_CHARS characters. */
gboolean   aw_json_is_plain_decimal (const char *text);

G_END_DECLS
