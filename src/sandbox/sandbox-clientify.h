/* sandbox-clientify.h: the Clientify v1 double of puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-service.h"

G_BEGIN_DECLS

typedef struct _SandboxClientify SandboxClientify;

SandboxClientify *sandbox_clientify_new         (const char       *key,
                                                 gboolean          custom_field_create);
void              sandbox_clientify_free        (SandboxClientify *self);
SandboxService   *sandbox_clientify_get_service (SandboxClientify *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxClientify, sandbox_clientify_free)

G_END_DECLS
