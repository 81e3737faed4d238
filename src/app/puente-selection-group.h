/* puente-selection-group.h: the rows where the owner chooses which clients are synced,
 * shared by Preferences and the wizard's preview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "puente-selection.h"

G_BEGIN_DECLS

#define PUENTE_TYPE_SELECTION_GROUP (puente_selection_group_get_type ())

G_DECLARE_FINAL_TYPE (PuenteSelectionGroup, puente_selection_group, PUENTE, SELECTION_GROUP, AdwPreferencesGroup)

GtkWidget       *puente_selection_group_new           (void);
/* The rows as @connection has it; emits nothing. */
void             puente_selection_group_show          (PuenteSelectionGroup   *self,
                                                       const PuenteConnection *connection);
/* Both rows inside one expander row, "Send Only…" (the wizard's preview); then open it */
void             puente_selection_group_fold          (PuenteSelectionGroup   *self);
void             puente_selection_group_unfold        (PuenteSelectionGroup   *self);
/* What the owner chose; "changed" tells when it changes */
PuenteSelection *puente_selection_group_get_selection (PuenteSelectionGroup   *self);

G_END_DECLS
