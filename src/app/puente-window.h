/* puente-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-application.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_WINDOW (puente_window_get_type ())

G_DECLARE_FINAL_TYPE (PuenteWindow, puente_window, PUENTE, WINDOW, AdwApplicationWindow)

PuenteWindow *puente_window_new             (PuenteApplication *application);
void          puente_window_try_sample_data (PuenteWindow      *self);
void          puente_window_show_attention  (PuenteWindow      *self);

G_END_DECLS
