/* sandbox-demo.h: the sample data puente-sandbox starts with and restores on reset.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plain data, no API words: sandbox-clientify-state.c turns these rows into Clientify
 * records, and sandbox-giav-state.c its own rows into GIAV clients and files; both sides
 * share some people by NIF or email, so that linking is exercised. */

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

/* The management software (sandbox-giav.c): clients, the stages of files, files. */

typedef enum
{
  SANDBOX_DEMO_CLIENT_UNDEFINED,
  SANDBOX_DEMO_CLIENT_COMPANY,
  SANDBOX_DEMO_CLIENT_PERSON,
  SANDBOX_DEMO_CLIENT_SELF_EMPLOYED,
} SandboxDemoClientKind;

typedef enum
{
  SANDBOX_DEMO_CONSENT_PENDING,   /* not asked */
  SANDBOX_DEMO_CONSENT_ACCEPTED,
  SANDBOX_DEMO_CONSENT_DENIED,
} SandboxDemoConsent;

typedef struct
{
  guint                  id;
  SandboxDemoClientKind  kind;
  const char            *code;
  const char            *first_name;   /* a company: its name, or the first part of it */
  const char            *last_name;    /* a company: NULL, or the rest of its name */
  const char            *document;     /* NIF, NIE, CIF, Portuguese NIF; NULL: none */
  const char            *email;        /* NULL: none (and so for the other texts) */
  const char            *phone;
  const char            *mobile;
  const char            *birthday;     /* YYYY-MM-DD */
  const char            *street;
  const char            *postal_code;
  const char            *city;
  const char            *province;
  const char            *country;
  const char            *contact;      /* a contact person's name; NULL: none */
  SandboxDemoConsent     mailing;
  gboolean               gdpr_signed;
  gboolean               disabled;
  const char            *created;      /* local time of the agency, no zone */
  const char            *modified;
} SandboxDemoClient;

typedef struct
{
  guint       id;
  const char *name;
  guint       order;
  gboolean    cancelled;
} SandboxDemoFileStage;

typedef struct
{
  guint       id;
  const char *code;          /* the file number */
  guint       client;        /* index in sandbox_demo_clients */
  const char *title;
  const char *destination;
  guint       stage;         /* index in sandbox_demo_file_stages */
  gboolean    closed;
  const char *created;       /* local time of the agency, no zone */
  const char *modified;
  const char *departure;     /* YYYY-MM-DD */
  const char *return_date;
} SandboxDemoFile;

extern const SandboxDemoClient      sandbox_demo_clients[];
extern const gsize                  sandbox_demo_n_clients;
extern const SandboxDemoFileStage   sandbox_demo_file_stages[];
extern const gsize                  sandbox_demo_n_file_stages;
extern const SandboxDemoFile        sandbox_demo_files[];
extern const gsize                  sandbox_demo_n_files;

G_END_DECLS
