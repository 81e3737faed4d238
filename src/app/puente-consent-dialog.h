/* puente-consent-dialog.h: a contact's consent, on both sides, with its audit trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_CONSENT_DIALOG (puente_consent_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PuenteConsentDialog, puente_consent_dialog, PUENTE, CONSENT_DIALOG, AdwWindow)

PuenteConsentDialog *puente_consent_dialog_new      (const char             *store_path,
                                                     const PuenteConnection *connection);
void                 puente_consent_dialog_open     (PuenteConsentDialog    *self,
                                                     const char             *source_id);
const char          *puente_consent_dialog_get_page (PuenteConsentDialog    *self);
gboolean             puente_consent_dialog_get_busy (PuenteConsentDialog    *self);

G_END_DECLS
