/* puente-wizard.h: the setup, from the first start to the first sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-sample-server.h"
#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD (puente_wizard_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizard, puente_wizard, PUENTE, WIZARD, AdwBin)

PuenteWizard       *puente_wizard_new               (const char             *store_path,
                                                     const PuenteConnection *draft);
const char         *puente_wizard_get_page          (PuenteWizard           *self);
gboolean            puente_wizard_get_busy          (PuenteWizard           *self);
PuenteSampleServer *puente_wizard_get_sample_server (PuenteWizard           *self);
void                puente_wizard_open_export       (PuenteWizard           *self,
                                                     GFile                  *file);

G_END_DECLS
