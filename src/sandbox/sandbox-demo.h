/* sandbox-demo.h: the sample data puente-sandbox starts with and restores on reset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plain data, no API words: sandbox-crm.c turns these rows into Clientify records (and
 * the GIAV double of a later issue will read the same client rows, so that both sides
 * share some people by NIF or email and linking is exercised). */

typedef enum
{
  SANDBOX_DEMO_RECORD_CONTACT,
  SANDBOX_DEMO_RECORD_COMPANY,
  SANDBOX_DEMO_RECORD_DEAL,
} SandboxDemoRecord;

typedef enum
{
  SANDBOX_DEMO_FIELD_TEXT,
  SANDBOX_DEMO_FIELD_DROPDOWN,
  SANDBOX_DEMO_FIELD_DATE,
  SANDBOX_DEMO_FIELD_CHECKBOX,
  SANDBOX_DEMO_FIELD_NUMBER,
} SandboxDemoFieldType;

typedef struct
{
  const char *company_name;
  const char *email;
  const char *first_name;
  const char *last_name;
  const char *language;
  const char *country;
  const char *time_zone;
  const char *currency;
} SandboxDemoAccount;

typedef struct
{
  const char *name;
  guint       probability;  /* percent */
} SandboxDemoStage;

typedef struct
{
  const char             *name;
  gboolean                is_default;
  const SandboxDemoStage *stages;  /* ends with a row whose name is NULL */
} SandboxDemoPipeline;

typedef struct
{
  SandboxDemoRecord    record;
  const char          *name;
  SandboxDemoFieldType type;
  const char          *choices;  /* dropdowns: "a|b|c" */
  gboolean             visible;
} SandboxDemoCustomField;

typedef struct
{
  const char *first_name;
  const char *last_name;
  const char *email;            /* NULL: none */
  const char *phone;            /* NULL: none */
  const char *document;         /* Spanish NIF or NIE; NULL: none */
  const char *source;           /* the contact's origin by name; NULL: none */
  const char *tags;             /* "a,b"; NULL: none */
  const char *verified;         /* value of the demo custom field "verified"; NULL: none */
  const char *created;          /* ISO 8601, fixed so that date filters are predictable */
} SandboxDemoContact;

typedef struct
{
  const char *name;
  const char *business_name;
  const char *document;         /* Spanish CIF */
  const char *sector;
  const char *email;
  const char *phone;
  const char *created;
} SandboxDemoCompany;

typedef struct
{
  const char *name;
  const char *amount;
  int         contact;          /* index in sandbox_demo_contacts, or -1 */
  int         company;          /* index in sandbox_demo_companies, or -1 */
  guint       pipeline;         /* index in sandbox_demo_pipelines */
  guint       stage;            /* index in that pipeline's stages */
  const char *created;
} SandboxDemoDeal;

extern const SandboxDemoAccount     sandbox_demo_account;
extern const SandboxDemoPipeline    sandbox_demo_pipelines[];
extern const gsize                  sandbox_demo_n_pipelines;
extern const SandboxDemoCustomField sandbox_demo_custom_fields[];
extern const gsize                  sandbox_demo_n_custom_fields;
extern const SandboxDemoContact     sandbox_demo_contacts[];
extern const gsize                  sandbox_demo_n_contacts;
extern const SandboxDemoCompany     sandbox_demo_companies[];
extern const gsize                  sandbox_demo_n_companies;
extern const SandboxDemoDeal        sandbox_demo_deals[];
extern const gsize                  sandbox_demo_n_deals;

G_END_DECLS
