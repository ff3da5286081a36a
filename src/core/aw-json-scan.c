/* aw-json-scan.c: one strict pass over an answer's bytes before json-glib parses it
 *
 * json-glib is lax where JSON is strict (it takes comments, single quotes, octal and hex
 * numbers, '+', several roots, raw control characters in strings, lone surrogates) and it
 * trusts what it reads: integers beyond 64 bits wrap, nesting recurses on the stack, and
 * member names that share one string hash make each object's insertions quadratic. This scan
 * accepts only JSON's grammar, with bounds on depth, members per object, name lengths and
 * tokens, so that nothing json-glib is given can be misread or take long.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "aw-json-scan.h"

typedef enum
{
  WANT_VALUE,
  WANT_FIRST_VALUE,   /* just after '[': a value or ']' */
  WANT_NAME,
  WANT_FIRST_NAME,    /* just after '{': a name or '}' */
  WANT_COLON,
  WANT_NEXT,          /* after a value: ',' or the end of its container */
  WANT_NOTHING,       /* after the root: only blanks */
} Want;

static const char *
skip_blanks (const char *p,
             const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* The code unit of the \uXXXX escape at @p (at its backslash), or -1. */
static int
escape_unit (const char *p,
             const char *end)
{
  int unit = 0;

  if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
    return -1;
  for (int i = 2; i < 6; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return -1;
      unit = unit * 16 + g_ascii_xdigit_value (p[i]);
    }
  return unit;
}

/* A string from its opening quote; returns just past its closing quote, or NULL. Raw control
 * characters, unknown escapes (json-glib reads octal ones) and unpaired surrogates are not
 * JSON. The bytes themselves were checked as UTF-8 before. */
static const char *
scan_string (const char *p,
             const char *end)
{
  for (p++; p < end; p++)
    {
      guchar c = *p;

      if (c == '"')
        return p + 1;
      if (c < 0x20)
        return NULL;
      if (c != '\\')
        continue;
      if (p + 1 >= end)
        return NULL;
      if (p[1] == 'u')
        {
          int unit = escape_unit (p, end);

          if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff))
            return NULL;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              int low = escape_unit (p + 6, end);

              if (low < 0xdc00 || low > 0xdfff)
                return NULL;
              p += 6;
            }
          p += 5;
        }
      else if (strchr ("\"\\/bfnrt", p[1]) != NULL && p[1] != '\0')
        p++;
      else
        return NULL;
    }
  return NULL;
}

/* A number by JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, returning just
 * past it (or NULL); what follows is the caller's ("012" stops after "0", and the '1' that
 * follows is then no ',', ']' or '}'). */
static const char *
scan_number (const char *p,
             const char *end,
             gboolean   *integer)
{
  *integer = TRUE;
  if (p < end && *p == '-')
    p++;
  if (p < end && *p == '0')
    p++;
  else if (p < end && *p >= '1' && *p <= '9')
    while (p < end && g_ascii_isdigit (*p))
      p++;
  else
    return NULL;

  if (p < end && *p == '.')
    {
      *integer = FALSE;
      if (++p >= end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *integer = FALSE;
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  return p;
}

AwJsonScan
aw_json_scan (const char *data,
              gsize       len)
{
  const char *p;
  const char *end;
  char closers[AW_JSON_MAX_DEPTH];
  guint members[AW_JSON_MAX_DEPTH];
  guint depth = 0;
  guint tokens = 0;
  guint pairs = 0;
  Want want = WANT_VALUE;

  g_return_val_if_fail (data != NULL || len == 0, AW_JSON_SCAN_NOT_JSON);

  if (len == 0)
    return AW_JSON_SCAN_NOT_JSON;
  end = data + len;

  /* One root, an object or an array. */
  p = skip_blanks (data, end);
  if (p == end || (*p != '{' && *p != '['))
    return AW_JSON_SCAN_NOT_JSON;

  for (;;)
    {
      p = skip_blanks (p, end);
      if (want == WANT_NOTHING)
        return p == end ? AW_JSON_SCAN_OK : AW_JSON_SCAN_NOT_JSON;
      if (p == end)
        return AW_JSON_SCAN_NOT_JSON;

      /* The end of a container, where one may end. */
      if ((*p == '}' && (want == WANT_FIRST_NAME || (want == WANT_NEXT && closers[depth - 1] == '}')))
          || (*p == ']' && (want == WANT_FIRST_VALUE || (want == WANT_NEXT && closers[depth - 1] == ']'))))
        {
          p++;
          depth--;
          want = depth == 0 ? WANT_NOTHING : WANT_NEXT;
          continue;
        }

      switch (want)
        {
        case WANT_NAME:
        case WANT_FIRST_NAME:
          if (*p != '"')
            return AW_JSON_SCAN_NOT_JSON;
          /* the new member pairs with each one before it in its object */
          pairs += members[depth - 1];
          if (++members[depth - 1] > AW_JSON_MAX_MEMBERS || pairs > AW_JSON_MAX_MEMBER_PAIRS)
            return AW_JSON_SCAN_TOO_MANY_MEMBERS;
          if (++tokens > AW_JSON_MAX_TOKENS)
            return AW_JSON_SCAN_TOO_MANY_TOKENS;
          {
            const char *name = p;

            if ((p = scan_string (p, end)) == NULL)
              return AW_JSON_SCAN_NOT_JSON;
            if (p - name - 2 > AW_JSON_MAX_NAME_BYTES)
              return AW_JSON_SCAN_LONG_NAME;
          }
          want = WANT_COLON;
          break;

        case WANT_COLON:
          if (*p != ':')
            return AW_JSON_SCAN_NOT_JSON;
          p++;
          want = WANT_VALUE;
          break;

        case WANT_NEXT:
          if (*p != ',')
            return AW_JSON_SCAN_NOT_JSON;
          p++;
          want = closers[depth - 1] == '}' ? WANT_NAME : WANT_VALUE;
          break;

        case WANT_VALUE:
        case WANT_FIRST_VALUE:
          if (++tokens > AW_JSON_MAX_TOKENS)
            return AW_JSON_SCAN_TOO_MANY_TOKENS;
          want = WANT_NEXT;
          if (*p == '{' || *p == '[')
            {
              if (depth == AW_JSON_MAX_DEPTH)
                return AW_JSON_SCAN_TOO_DEEP;
              closers[depth] = *p == '{' ? '}' : ']';
              members[depth] = 0;
              depth++;
              want = *p == '{' ? WANT_FIRST_NAME : WANT_FIRST_VALUE;
              p++;
            }
          else if (*p == '"')
            p = scan_string (p, end);
          else if (*p == '-' || g_ascii_isdigit (*p))
            {
              const char *start = p;
              gboolean integer;

              if ((p = scan_number (p, end, &integer)) == NULL)
                return AW_JSON_SCAN_NOT_JSON;
              /* json-glib reads integers as 64 bits and wraps beyond: at most 18 digits
               * (and a sign) always fit. */
              if (p - start > AW_JSON_MAX_NUMBER_CHARS
                  || (integer && p - start - (*start == '-') > 18))
                return AW_JSON_SCAN_INEXACT_NUMBER;
            }
          else if (end - p >= 4 && memcmp (p, "true", 4) == 0)
            p += 4;
          else if (end - p >= 5 && memcmp (p, "false", 5) == 0)
            p += 5;
          else if (end - p >= 4 && memcmp (p, "null", 4) == 0)
            p += 4;
          else
            p = NULL;
          if (p == NULL)
            return AW_JSON_SCAN_NOT_JSON;
          break;

        case WANT_NOTHING:
        default:
          g_assert_not_reached ();
        }
    }
}

gboolean
aw_json_is_plain_decimal (const char *text)
{
  gsize len;
  const char *end;
  gboolean integer;

  g_return_val_if_fail (text != NULL, FALSE);

  len = strlen (text);
  if (len > AW_JSON_MAX_NUMBER_CHARS)
    return FALSE;
  end = text + len;
  /* JSON's number without its exponent */
  if ((end - text) > 0 && memchr (text, 'e', len) == NULL && memchr (text, 'E', len) == NULL)
    return scan_number (text, end, &integer) == end;
  return FALSE;
}
