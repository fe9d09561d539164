/* pw-local-server.h: personalize-local, an offline Amazon Personalize
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PW_TYPE_LOCAL_SERVER (pw_local_server_get_type ())
G_DECLARE_FINAL_TYPE (PwLocalServer, pw_local_server, PW, LOCAL_SERVER, GObject)

/**
 * PwLocalServerOptions:
 * @data_dir: (nullable): where state lives; %NULL = pw_local_server_default_data_dir()
 * @region: (nullable): the region of ARNs and credential scopes; %NULL = us-east-1
 * @address: (nullable): the address to listen on; %NULL = 127.0.0.1
 * @port: 0 = a free port
 * @credentials_file: (nullable): an AWS CLI credentials file whose keys are
 *   accepted; %NULL = DATA_DIR/credentials, created on first start
 * @step_ms: how long each status step (CREATE PENDING, CREATE IN_PROGRESS,
 *   DELETE PENDING, ...) lasts at least, in milliseconds; 0 = the default (300)
 * @request_timeout: seconds a client has to send a whole request (headers
 *   and body) once it starts one, or to start one on an idle connection;
 *   0 = the default (60)
 */
typedef struct
{
  const char *data_dir;
  const char *region;
  const char *address;
  guint       port;
  const char *credentials_file;
  guint       step_ms;
  guint       request_timeout;
} PwLocalServerOptions;

char          *pw_local_server_default_data_dir      (void);

PwLocalServer *pw_local_server_new                   (const PwLocalServerOptions *options);
gboolean       pw_local_server_start                 (PwLocalServer  *self,
                                                      GError        **error);
void           pw_local_server_stop                  (PwLocalServer  *self);

const char    *pw_local_server_get_url               (PwLocalServer  *self);
guint          pw_local_server_get_port              (PwLocalServer  *self);
const char    *pw_local_server_get_region            (PwLocalServer  *self);
const char    *pw_local_server_get_data_dir          (PwLocalServer  *self);
const char    *pw_local_server_get_credentials_file  (PwLocalServer  *self);
const char    *pw_local_server_get_config_file       (PwLocalServer  *self);
const char    *pw_local_server_get_access_key_id     (PwLocalServer  *self);
gboolean       pw_local_server_get_created_credentials (PwLocalServer *self);

G_END_DECLS
