/* pw-workshop-error.h: the PW_WORKSHOP_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwWorkshopError:
 * @PW_WORKSHOP_ERROR_NOT_BUILT: the step is not built yet (a later issue)
 * @PW_WORKSHOP_ERROR_BUSY: another step is running on this workshop
 * @PW_WORKSHOP_ERROR_NOT_READY: an earlier step is not complete (the
 *   message names it)
 * @PW_WORKSHOP_ERROR_BACKEND_IN_USE: the back end cannot change while the
 *   state lists live resources on the other one: clean up first
 * @PW_WORKSHOP_ERROR_REGION: the region has no Amazon Personalize, or none
 *   was given
 * @PW_WORKSHOP_ERROR_STATE_FILE: the state file cannot be read or written
 *   (its path is in the message); a corrupt file is never overwritten
 * @PW_WORKSHOP_ERROR_RESOURCE_FAILED: a resource ended in CREATE FAILED; the
 *   message carries the service's failureReason, and so does the
 *   resource's failure-reason
 * @PW_WORKSHOP_ERROR_INVALID_DATA: the prepared data or its files are
 *   missing or unusable
 *
 * Errors the service returns keep their PW_AWS_ERROR domain and AWS code
 * (pw_aws_error_get_code(): UnrecognizedClientException,
 * LimitExceededException, …) with a prefix saying which call on which
 * resource failed, so a caller can both show the message and branch on
 * the code. Cancellation is G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  PW_WORKSHOP_ERROR_NOT_BUILT,
  PW_WORKSHOP_ERROR_BUSY,
  PW_WORKSHOP_ERROR_NOT_READY,
  PW_WORKSHOP_ERROR_BACKEND_IN_USE,
  PW_WORKSHOP_ERROR_REGION,
  PW_WORKSHOP_ERROR_STATE_FILE,
  PW_WORKSHOP_ERROR_RESOURCE_FAILED,
  PW_WORKSHOP_ERROR_INVALID_DATA,
} PwWorkshopError;

#define PW_WORKSHOP_ERROR (pw_workshop_error_quark ())
GQuark pw_workshop_error_quark (void);

G_END_DECLS
