/* pw-aws.h: the AWS layer's public headers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-aws-client.h"
#include "pw-aws-config.h"
#include "pw-aws-credentials.h"
#include "pw-aws-error.h"
#include "pw-aws-keyring.h"
#include "pw-aws-operation.h"
#include "pw-aws-service.h"
#include "pw-aws-sigv4.h"
#include "pw-aws-xml.h"
