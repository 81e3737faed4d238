/* puente-field-directions.h: which side decides each group of a client's fields (issue 16).
 *
 * One table per connection: for each group, "both ways", "the management software decides"
 * or "the CRM decides". The profile's row holds the defaults (puente-profile.c); the owner's
 * choices are the connection's settings PUENTE_SETTING_DIRECTION_PREFIX + the group's name
 * ("direction.email" = "crm"), and a group without one keeps the profile's default. The
 * document (NIF/CIF) is the link key: only the management software decides it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-store.h"

G_BEGIN_DECLS

typedef enum
{
  PUENTE_FIELD_GROUP_FIRST_NAME,
  PUENTE_FIELD_GROUP_SURNAME,      /* or the company's name */
  PUENTE_FIELD_GROUP_EMAIL,
  PUENTE_FIELD_GROUP_PHONES,
  PUENTE_FIELD_GROUP_ADDRESS,
  PUENTE_FIELD_GROUP_POSTCODE,
  PUENTE_FIELD_GROUP_TOWN,
  PUENTE_FIELD_GROUP_PROVINCE,
  PUENTE_FIELD_GROUP_BIRTHDAY,
  PUENTE_FIELD_GROUP_CLIENT_TYPE,
  PUENTE_FIELD_GROUP_DOCUMENT,     /* NIF/CIF: the link key */
  PUENTE_FIELD_GROUP_CONSENT,
  PUENTE_N_FIELD_GROUPS,
} PuenteFieldGroup;

/* Zero is the management software: a profile row that names no direction keeps today's. */
typedef enum
{
  PUENTE_DIRECTION_SOURCE,  /* the management software decides */
  PUENTE_DIRECTION_BOTH,    /* a change on either side reaches the other */
  PUENTE_DIRECTION_CRM,     /* the CRM decides */
} PuenteDirection;

#define PUENTE_SETTING_DIRECTION_PREFIX "direction."

/* "first-name", "surname", ... and "both", "source", "crm": the settings' and the CLI's words. */
const char      *puente_field_group_to_string     (PuenteFieldGroup   group);
gboolean         puente_field_group_from_string   (const char        *text,
                                                   PuenteFieldGroup  *group);
const char      *puente_field_group_get_label     (PuenteFieldGroup   group);
const char      *puente_direction_to_string       (PuenteDirection    direction);
gboolean         puente_direction_from_string     (const char        *text,
                                                   PuenteDirection   *direction);
const char      *puente_direction_get_label       (PuenteDirection    direction);

gboolean         puente_field_directions_check    (PuenteFieldGroup    group,
                                                   PuenteDirection     direction,
                                                   GError            **error);

/* The profile's default is puente_profile_get_direction() (puente-profile.h).
 * @is_default: (out) (optional): whether the owner left the profile's default. */
PuenteDirection  puente_connection_get_field_direction (const PuenteConnection *connection,
                                                        PuenteFieldGroup        group,
                                                        gboolean               *is_default);
/* Changes @connection only (save it with puente_store_save_connection()); a direction equal
 * to the profile's default clears the setting. Refuses the document with @error. */
gboolean         puente_connection_set_field_direction (PuenteConnection       *connection,
                                                        PuenteFieldGroup        group,
                                                        PuenteDirection         direction,
                                                        GError                **error);

typedef struct _PuenteProfile PuenteProfile;
gboolean         puente_field_group_of_key        (const PuenteProfile *profile,
                                                   const char          *key,
                                                   PuenteFieldGroup    *group);

/* The words the owner sees, with the two systems named ("GIAV", "Clientify"). */
char            *puente_direction_describe        (PuenteDirection    direction,
                                                   const char        *source,
                                                   const char        *crm);
char            *puente_direction_describe_arrow  (PuenteDirection    direction,
                                                   const char        *source,
                                                   const char        *crm,
                                                   char             **spoken);

/* One line of the dashboard's "What Goes Where": the groups one direction holds. */
typedef struct
{
  PuenteDirection  direction;
  char            *title;   /* "Both ways", "GIAV decides" */
  char            *fields;  /* "First name, email, phones" */
  char            *arrow;   /* "GIAV ⇄ Clientify" */
  char            *spoken;  /* the arrow for screen readers: "Both ways between GIAV and Clientify" */
} PuenteDirectionLine;

void             puente_direction_line_free       (PuenteDirectionLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteDirectionLine, puente_direction_line_free)

void             puente_connection_get_field_directions (const PuenteConnection *connection,
                                                         PuenteDirection         table[PUENTE_N_FIELD_GROUPS]);
/* The groups in @wanted (a set of 1 << PuenteFieldGroup) gathered by direction: both ways,
 * then the source's, then the CRM's, each line only if it holds a group. */
GPtrArray       *puente_field_directions_summarize (const PuenteDirection table[PUENTE_N_FIELD_GROUPS],
                                                    guint                 wanted,
                                                    const char           *source,
                                                    const char           *crm);

#define PUENTE_FIELD_GROUPS_ALL ((1u << PUENTE_N_FIELD_GROUPS) - 1)

G_END_DECLS
