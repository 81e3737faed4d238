/* puente-provision.h: preparing the CRM for a profile (custom fields and origin).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-crm.h"
#include "puente-profile.h"

G_BEGIN_DECLS

typedef enum
{
  PUENTE_FIELD_STATE_PRESENT,     /* there, with the right type */
  PUENTE_FIELD_STATE_MISSING,
  PUENTE_FIELD_STATE_WRONG_TYPE,  /* a field with that name has another type */
  PUENTE_FIELD_STATE_CREATED,     /* created by Puente, and verified */
  PUENTE_FIELD_STATE_MANUAL,      /* the CRM did not let Puente create it: manual steps */
} PuenteFieldState;

const char *puente_field_state_to_string (PuenteFieldState state);
const char *puente_field_type_to_label   (PuenteFieldType  type);

typedef struct
{
  const PuenteProfileField *field;
  PuenteFieldState          state;
  char                     *crm_type_label;  /* the type the CRM has, for WRONG_TYPE */
} PuenteFieldCheck;

void puente_field_check_free (PuenteFieldCheck *check);

void       puente_provision_check_async          (PuenteCrm            *crm,
                                                  const PuenteProfile  *profile,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray *puente_provision_check_finish         (GAsyncResult         *result,
                                                  GError              **error);
void       puente_provision_create_missing_async (PuenteCrm            *crm,
                                                  const PuenteProfile  *profile,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray *puente_provision_create_missing_finish (GAsyncResult        *result,
                                                   GError             **error);

char      *puente_provision_field_steps          (const PuenteProfileField *field,
                                                  const char               *crm_name);
char      *puente_provision_fields_place         (const char               *crm_name);
char      *puente_provision_origin_steps         (const PuenteProfile      *profile,
                                                  const char               *crm_name);

G_END_DECLS
