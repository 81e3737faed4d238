/* puente-wizard-software.h: the setup's page where the owner names the management software.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_SOFTWARE (puente_wizard_software_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardSoftware, puente_wizard_software, PUENTE, WIZARD_SOFTWARE, PuenteWizardPage)

G_END_DECLS
