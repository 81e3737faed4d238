/* puente-narrow.h: telling a widget when its window is narrow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Below this window width, header bars show icons or fewer buttons, so that they fit 360 px
 * with every button a desktop may add (minimize, maximize, close) */
#define PUENTE_NARROW_WIDTH 600

typedef void (*PuenteNarrowFunc) (GtkWidget *widget,
                                  gboolean   narrow);

void puente_narrow_watch (GtkWidget        *widget,
                          PuenteNarrowFunc  changed);

G_END_DECLS
