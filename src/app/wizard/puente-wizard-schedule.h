/* puente-wizard-schedule.h: the setup's page for when Puente syncs, and the chats.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-wizard-page.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WIZARD_SCHEDULE (puente_wizard_schedule_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWizardSchedule, puente_wizard_schedule, PUENTE, WIZARD_SCHEDULE, PuenteWizardPage)

G_END_DECLS
