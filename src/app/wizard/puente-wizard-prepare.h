/* puente-wizard-prepare.h: the setup's page for the CRM's custom fields, checked and created.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_PREPARE (puente_wizard_prepare_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardPrepare, puente_wizard_prepare, PUENTE, WIZARD_PREPARE, PuenteWizardPage)

G_END_DECLS
