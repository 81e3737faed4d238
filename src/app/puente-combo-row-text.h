/* puente-combo-row-text.h: combo rows whose choices show whole, at any width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void puente_combo_row_show_whole_text (AdwComboRow *row);

G_END_DECLS
