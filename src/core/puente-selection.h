/* puente-selection.h: which clients a connection syncs (seed 002: "only the clients the
 * owner chose").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-record.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* Kept in the connection's settings:
 *
 *   sync.selection         "everything" (also when absent, or anything Puente cannot read),
 *                          "exclude-types", "only-category", "only-tag" or "only-ids"
 *   sync.selection.values  the client types, categories, tags or client ids it names, one
 *                          a line
 *
 * A selection that names nothing (no type, no category...) is "everything": an empty list
 * never leaves every client out by mistake. */
#define PUENTE_SETTING_SELECTION         "sync.selection"
#define PUENTE_SETTING_SELECTION_VALUES  "sync.selection.values"

typedef enum
{
  PUENTE_SELECTION_EVERYTHING,
  PUENTE_SELECTION_EXCLUDE_TYPES,  /* every client but those of some client types */
  PUENTE_SELECTION_ONLY_CATEGORY,  /* only clients in one of some categories */
  PUENTE_SELECTION_ONLY_TAG,       /* only clients with one of some tags */
  PUENTE_SELECTION_ONLY_IDS,       /* only the clients picked by their numbers */
} PuenteSelectionKind;

typedef struct
{
  PuenteSelectionKind kind;
  GStrv               values;  /* never NULL; empty for everything */
  GHashTable         *members; /* only-category: the ids of the clients in the categories,
                                * where the source tells them apart (GIAV: see
                                * puente-engine-selection.c); NULL: each client's
                                * PUENTE_FIELD_CATEGORY tells */
} PuenteSelection;

PuenteSelection *puente_selection_new        (PuenteSelectionKind       kind,
                                              const char * const       *values);
PuenteSelection *puente_selection_copy       (const PuenteSelection    *selection);
void             puente_selection_free       (PuenteSelection          *selection);
gboolean         puente_selection_is_everything (const PuenteSelection *selection);
void             puente_selection_set_members (PuenteSelection         *selection,
                                               GHashTable              *members);
const char      *puente_selection_kind_to_string   (PuenteSelectionKind kind);
gboolean         puente_selection_kind_from_string (const char          *text,
                                                    PuenteSelectionKind *kind);
PuenteSelection *puente_selection_from_connection (const PuenteConnection *connection);
void             puente_selection_to_connection   (const PuenteSelection  *selection,
                                                   PuenteConnection       *connection);
gboolean         puente_selection_takes_client    (const PuenteSelection  *selection,
                                                   const PuenteRecord     *client);
gboolean         puente_selection_takes_id        (const PuenteSelection  *selection,
                                                   const char             *client_id);
char            *puente_selection_describe        (const PuenteSelection  *selection);
char            *puente_selection_left_out_reason (const PuenteSelection  *selection);
GStrv            puente_selection_parse_values    (const char             *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteSelection, puente_selection_free)

G_END_DECLS
