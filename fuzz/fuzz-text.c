/* fuzz-text.c: the sanitiser every string from outside goes through
 *
 * Input: any bytes, invalid UTF-8 and NULs included, taken whole (with their length) and up
 * to the first NUL. The output must be valid UTF-8 without a forbidden character (see
 * fuzz_is_forbidden()), a fixed point (sanitising it again changes nothing), and the input
 * itself whenever that was already clean.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "aw-text.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static gboolean
is_clean (const char *text,
          gssize      len)
{
  const char *end;

  if (len == 0)
    return TRUE;
  if (!g_utf8_validate (text, len, &end) || (len >= 0 && end != text + len))
    return FALSE;
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    if (fuzz_is_forbidden (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
check (const char *text,
       gssize      len)
{
  g_autofree char *clean = aw_text_sanitize (text, len);
  g_autofree char *again = NULL;

  fuzz_check_clean (clean);
  again = aw_text_sanitize (clean, -1);
  fuzz_assert (strcmp (again, clean) == 0);
  if (is_clean (text, len))
    fuzz_assert (len < 0 ? strcmp (clean, text) == 0
                         : strlen (clean) == (gsize)len && (len == 0 || memcmp (clean, text, len) == 0));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* Copies of their own: ASan sees any read past the end. */
  g_autofree char *whole = g_memdup2 (data, size);
  g_autofree char *string = g_strndup ((const char *)data, size);

  check (whole, size);
  check (string, -1);
  return 0;
}
