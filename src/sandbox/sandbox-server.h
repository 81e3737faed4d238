/* sandbox-server.h: the HTTP server of puente-sandbox, shared by its doubles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-faults.h"
#include "sandbox-service.h"

G_BEGIN_DECLS

typedef struct _SandboxServer SandboxServer;

SandboxServer *sandbox_server_new         (const SandboxFaultsConfig *faults,
                                           const char                *state_path);
void           sandbox_server_free        (SandboxServer             *self);
gboolean       sandbox_server_add_service (SandboxServer             *self,
                                           SandboxService            *service,
                                           GError                   **error);
gboolean       sandbox_server_set_tls     (SandboxServer             *self,
                                           GError                   **error);
gboolean       sandbox_server_listen      (SandboxServer             *self,
                                           guint                      port,
                                           GError                   **error);
void           sandbox_server_print_addresses (SandboxServer         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxServer, sandbox_server_free)

G_END_DECLS
