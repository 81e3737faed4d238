/* puente-wizard-export.h: the setup's page for the owner's client export and its columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_EXPORT (puente_wizard_export_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardExport, puente_wizard_export, PUENTE, WIZARD_EXPORT, PuenteWizardPage)

void puente_wizard_export_open (PuenteWizardExport *self,
                                GFile              *file);

G_END_DECLS
