/* puente-wizard-giav.h: the setup's page for GIAV's address and key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_GIAV (puente_wizard_giav_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardGiav, puente_wizard_giav, PUENTE, WIZARD_GIAV, PuenteWizardPage)

G_END_DECLS
