/* sandbox-ploomes.h: the Ploomes double of puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-service.h"

G_BEGIN_DECLS

typedef struct _SandboxPloomes SandboxPloomes;

SandboxPloomes *sandbox_ploomes_new         (const char     *key,
                                             gboolean        field_create);
void            sandbox_ploomes_free        (SandboxPloomes *self);
SandboxService *sandbox_ploomes_get_service (SandboxPloomes *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxPloomes, sandbox_ploomes_free)

G_END_DECLS
