/* puente-wizard-deals.h: the setup's page for the pipeline and stages GIAV's files go to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_DEALS (puente_wizard_deals_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardDeals, puente_wizard_deals, PUENTE, WIZARD_DEALS, PuenteWizardPage)

G_END_DECLS
