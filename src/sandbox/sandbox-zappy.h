/* sandbox-zappy.h: the Zappy lead-intake double of puente-sandbox (seed 003).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-service.h"

G_BEGIN_DECLS

typedef struct _SandboxZappy SandboxZappy;

SandboxZappy   *sandbox_zappy_new         (const char   *account_hash);
void            sandbox_zappy_free        (SandboxZappy *self);
SandboxService *sandbox_zappy_get_service (SandboxZappy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxZappy, sandbox_zappy_free)

G_END_DECLS
