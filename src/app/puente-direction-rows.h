/* puente-direction-rows.h: the rows where the owner chooses which side decides each group of
 * a client's fields, shared by Preferences and the wizard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-connection.h"
#include "puente-field-directions.h"

G_BEGIN_DECLS

/* One row per group, in the groups' order, as @connection has them. */
GPtrArray       *puente_direction_rows_new     (const PuenteConnection *connection);
/* Whether @row can be changed (the document's cannot); its group and its direction. */
gboolean         puente_direction_row_is_choice (GtkWidget             *row);
PuenteFieldGroup puente_direction_row_get_group (GtkWidget             *row);
PuenteDirection  puente_direction_row_get_direction (GtkWidget         *row);
/* The row as @connection has it; changes nothing in @connection. */
void             puente_direction_row_show     (GtkWidget              *row,
                                                const PuenteConnection *connection);
/* Into @connection (a copy, a draft), as the owner chose in @row */
void             puente_direction_row_apply    (GtkWidget              *row,
                                                PuenteConnection       *connection);

G_END_DECLS
