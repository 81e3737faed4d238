/* sandbox-giav.h: the GIAV (Gesintur) SOAP double of puente-sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-service.h"

G_BEGIN_DECLS

typedef struct _SandboxGiav SandboxGiav;

SandboxGiav    *sandbox_giav_new         (const char  *key);
void            sandbox_giav_free        (SandboxGiav *self);
SandboxService *sandbox_giav_get_service (SandboxGiav *self);
void            sandbox_giav_set_dates_only (SandboxGiav *self,
                                             gboolean     dates_only);
void            sandbox_giav_set_login   (SandboxGiav *self,
                                          const char  *user,
                                          const char  *password);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SandboxGiav, sandbox_giav_free)

G_END_DECLS
