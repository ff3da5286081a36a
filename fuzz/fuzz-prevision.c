/* fuzz-prevision.c: answers of prevision-meteo.ch (and of the demo server, same shape) from a
 * hostile or broken server
 *
 * Input: one selector byte, then the body. The selector's low bits pick the HTTP status (see
 * fuzz_status_for()), bit 0x10 the "demo" provider instead of "prevision". Every answer must
 * end in exactly one of a weather within bounds or a provider error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#define CITY "Lausanne"

static AwProvider *prevision;
static AwProvider *demo;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_glib ();
  /* Once: the providers keep no state between answers. */
  prevision = aw_provider_new_for_name ("prevision", NULL, NULL);
  demo = aw_provider_new_for_name ("demo", "http://127.0.0.1:1/", NULL);
  fuzz_assert (prevision != NULL && demo != NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(AwWeather) weather = NULL;
  g_autoptr(GError) error = NULL;
  AwLookup lookup = { 0 };
  AwProvider *provider;
  const char *service;
  AwStepResult result;
  guint status;

  if (size < 1)
    return 0;

  status = fuzz_status_for (data[0]);
  provider = (data[0] & 0x10) ? demo : prevision;
  service = (data[0] & 0x10) ? "demo" : "prevision";
  /* A copy of its own: ASan sees any read past the end of the body. */
  body = g_bytes_new (data + 1, size - 1);

  fuzz_check_json_object (body);

  result = aw_provider_parse (provider, CITY, status, body, &lookup, &weather, &error);

  /* One request per city: never a next step, and the lookup stays untouched. */
  fuzz_assert (result == AW_STEP_DONE || result == AW_STEP_FAILED);
  fuzz_assert (lookup.step == 0 && lookup.place == NULL);
  /* Either a weather or an error: never both, never neither. */
  fuzz_assert ((weather == NULL) != (error == NULL));

  if (result == AW_STEP_DONE)
    {
      /* an error status never passes for a weather */
      fuzz_assert (status >= 200 && status < 300);
      fuzz_assert (error == NULL);
      fuzz_check_weather (weather, service);
    }
  else
    {
      fuzz_assert (weather == NULL);
      fuzz_check_error (error);
    }

  aw_lookup_clear (&lookup);
  return 0;
}
