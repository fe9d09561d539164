/* pw-time.h: the one range of event times every entry point accepts
 *
 * Interactions carry times as Unix seconds (the TIMESTAMP column of a CSV,
 * MovieLens timestamps, PutEvents' sentAt). Personalize documents them as
 * epoch seconds and AWS's clients cannot express dates past 9999-12-31, so
 * a time outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z is refused
 * where it enters: `prepare` (file, line and column), dataset import jobs
 * (the job fails with that reason) and PutEvents (InvalidInputException).
 * The engine's own time arithmetic is safe for any gint64 regardless.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>
#include <glib.h>

G_BEGIN_DECLS

/* 1970-01-01T00:00:00Z */
#define PW_TIME_MIN ((gint64) 0)
/* 9999-12-31T23:59:59Z */
#define PW_TIME_MAX ((gint64) 253402300799)

static inline gboolean
pw_time_in_range (gint64 seconds)
{
  return seconds >= PW_TIME_MIN && seconds <= PW_TIME_MAX;
}

/* Converts a JSON number of seconds (fractions allowed, as sentAt) to whole
 * seconds; FALSE for NaN, infinities and anything out of range (before the
 * conversion, which would be undefined for huge values). */
static inline gboolean
pw_time_from_double (double  seconds,
                     gint64 *out)
{
  if (!isfinite (seconds) || seconds < (double) PW_TIME_MIN || seconds >= (double) PW_TIME_MAX + 1.0)
    return FALSE;
  *out = (gint64) seconds;
  return TRUE;
}

G_END_DECLS
