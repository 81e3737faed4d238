/* puente-crm-registry.h: every CRM Puente can send to, in one table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-crm.h"
#include "puente-profile.h"

G_BEGIN_DECLS

typedef PuenteCrm *(*PuenteCrmConstructor) (const char  *base_url,
                                            const char  *key,
                                            guint        max_in_flight,
                                            GError     **error);
/* Hands the connection's settings (string -> string) to a connector that uses them */
typedef void       (*PuenteCrmConfigure)   (PuenteCrm   *crm,
                                            GHashTable  *settings);

/* How the owner makes by hand, in a CRM's own pages, what Puente could not make through its
 * API (puente-provision.c): a custom field the profile needs, the profile's origin. */
typedef struct
{
  const char  *fields_place;                                      /* N_(): where custom fields are made */
  char       *(*field_steps)  (const PuenteProfileField *field);  /* the steps for @field */
  char       *(*origin_steps) (const char               *origin); /* the steps for @origin */
} PuenteCrmManualSteps;

/* One CRM. Text marked N_() is translated where it is shown (gettext's _()). */
typedef struct
{
  const char            *id;            /* as connections store it: "clientify" */
  const char            *name;          /* the product's name, never translated */
  const char            *default_url;   /* its public API address */
  const char            *key_title;     /* N_(): what the key is called there */
  const char            *key_help;      /* N_(): where the owner finds the key */
  const char            *web;           /* where the owner signs in */
  const char            *sample_path;   /* its double's API in puente-sandbox, from its root */
  guint                  max_in_flight; /* requests at once, unless the owner chose */
  PuenteCrmCapabilities  capabilities;  /* as its connector's get_capabilities() says */
  PuenteCrmConstructor   new;
  PuenteCrmConfigure     configure;     /* NULL: it uses no connection setting */
  gboolean               lead_details;  /* it takes the owner's lead details (zappy.* settings) */
  const PuenteCrmManualSteps *manual_steps; /* NULL: the common wording (Clientify's pages) */
  guint                  requests_per_minute; /* the pace its connector keeps to; 0: none */
} PuenteCrmKind;

const PuenteCrmKind *puente_crm_kinds        (guint      *n_kinds);
const PuenteCrmKind *puente_crm_kind_lookup  (const char *id);
const PuenteCrmKind *puente_crm_kind_lookup_by_name (const char *name);
gboolean             puente_crm_kind_can     (const char *id,
                                              PuenteCrmCapabilities capability);

G_END_DECLS
