/* puente-conflict-answer.h: the words of a conflict's answer, for the windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-connection.h"
#include "puente-store.h"

G_BEGIN_DECLS

/* "source" and "crm", puente_store_put_field_choice()'s sides */
#define PUENTE_SIDE_SOURCE "source"
#define PUENTE_SIDE_CRM    "crm"

gboolean  puente_conflict_side_is_valid      (const char             *side);
/* The management software's or the CRM's name, as the owner knows it ("GIAV", "Clientify") */
const char *puente_conflict_side_name        (const PuenteConnection *connection,
                                              const char             *side);
/* One client's answer to one group, as a key of puente_store_list_all_field_choices_finish() */
char     *puente_conflict_answer_key         (int                     entity,
                                              const char             *source_id,
                                              const char             *field_group);
/* "Keep GIAV’s" */
char     *puente_conflict_keep_label         (const char             *side_name);
/* "Keep GIAV’s surname for María García" */
char     *puente_conflict_keep_description   (const char             *side_name,
                                              const char             *field_group,
                                              const char             *client);
/* "Puente keeps Clientify’s surname for María García at the next sync" */
char     *puente_conflict_chosen_toast       (const char             *side_name,
                                              const char             *field_group,
                                              const char             *client);
/* "You chose Clientify’s: it is applied at the next sync" */
char     *puente_conflict_chosen_text        (const char             *side_name);

G_END_DECLS
