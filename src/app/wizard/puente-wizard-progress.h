/* puente-wizard-progress.h: what a page's work tries, and a way to stop it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_PROGRESS (puente_wizard_progress_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardProgress, puente_wizard_progress, PUENTE, WIZARD_PROGRESS, AdwBin)

GtkStack *puente_wizard_progress_get_stack (PuenteWizardProgress *self);
void      puente_wizard_progress_set_stack (PuenteWizardProgress *self,
                                            GtkStack             *stack);

G_END_DECLS
