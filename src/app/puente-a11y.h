/* puente-a11y.h: names for what a screen reader would otherwise read wrongly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void puente_a11y_fix_names              (GtkWidget  *root);
void puente_a11y_fix_row                (GtkWidget  *widget);
void puente_set_sensitive_keeping_focus (GtkWidget  *widget,
                                         gboolean    sensitive,
                                         GtkWidget **saved_focus);

G_END_DECLS
