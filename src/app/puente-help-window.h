/* puente-help-window.h: a short help of Puente's own, opened with F1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PUENTE_TYPE_HELP_WINDOW (puente_help_window_get_type ())

G_DECLARE_FINAL_TYPE (PuenteHelpWindow, puente_help_window, PUENTE, HELP_WINDOW, AdwWindow)

PuenteHelpWindow *puente_help_window_new (void);

G_END_DECLS
