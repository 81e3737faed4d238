/* sandbox-crm.h: the Clientify v1 double of puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-service.h"

G_BEGIN_DECLS

typedef struct _SandboxCrm SandboxCrm;

SandboxCrm     *sandbox_crm_new         (const char *key,
                                         gboolean    custom_field_create);
void            sandbox_crm_free        (SandboxCrm *self);
SandboxService *sandbox_crm_get_service (SandboxCrm *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxCrm, sandbox_crm_free)

G_END_DECLS
