/* puente-wizard-crm.h: the setup's page for the CRM and its key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_CRM (puente_wizard_crm_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardCrm, puente_wizard_crm, PUENTE, WIZARD_CRM, PuenteWizardPage)

G_END_DECLS
