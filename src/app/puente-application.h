/* puente-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PUENTE_TYPE_APPLICATION (puente_application_get_type ())

G_DECLARE_FINAL_TYPE (PuenteApplication, puente_application, PUENTE, APPLICATION, AdwApplication)

PuenteApplication *puente_application_new (const char        *application_id,
                                           GApplicationFlags  flags);

G_END_DECLS
