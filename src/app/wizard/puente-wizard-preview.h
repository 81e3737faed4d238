/* puente-wizard-preview.h: the setup's page for what a first sync would do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_PREVIEW (puente_wizard_preview_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardPreview, puente_wizard_preview, PUENTE, WIZARD_PREVIEW, PuenteWizardPage)

G_END_DECLS
