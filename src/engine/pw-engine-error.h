/* pw-engine-error.h: the engine layer's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PW_ENGINE_ERROR (pw_engine_error_quark ())

/**
 * PwEngineError:
 * @PW_ENGINE_ERROR_INVALID_INPUT: bad arguments or data (maps to InvalidInputException)
 * @PW_ENGINE_ERROR_NOT_FOUND: an unknown recipe, user or item where one is required
 * @PW_ENGINE_ERROR_TOO_LITTLE_DATA: not enough interactions to train
 * @PW_ENGINE_ERROR_FAILED: a numerical failure (e.g. a factorisation)
 * @PW_ENGINE_ERROR_CORRUPT: a model file that is truncated, damaged or of another version
 * @PW_ENGINE_ERROR_CANCELLED: never used; cancellation reports G_IO_ERROR_CANCELLED
 */
typedef enum
{
  PW_ENGINE_ERROR_INVALID_INPUT,
  PW_ENGINE_ERROR_NOT_FOUND,
  PW_ENGINE_ERROR_TOO_LITTLE_DATA,
  PW_ENGINE_ERROR_FAILED,
  PW_ENGINE_ERROR_CORRUPT,
  PW_ENGINE_ERROR_CANCELLED,
} PwEngineError;

GQuark pw_engine_error_quark (void);

G_END_DECLS
