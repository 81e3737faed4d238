/* puente-preferences.h: the owner's choices after the setup: schedule, sync, log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-store.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_PREFERENCES (puente_preferences_get_type ())

G_DECLARE_FINAL_TYPE (PuentePreferences, puente_preferences, PUENTE, PREFERENCES, AdwPreferencesWindow)

PuentePreferences *puente_preferences_new (const char             *store_path,
                                           const PuenteConnection *connection);

G_END_DECLS
