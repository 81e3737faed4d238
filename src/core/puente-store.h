/* puente-store.h: what Puente remembers between runs (SQLite, never a secret).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "puente-field-changes.h"
#include "puente-record.h"

G_BEGIN_DECLS

#define PUENTE_STORE_ERROR (puente_store_error_quark ())

typedef enum
{
  PUENTE_STORE_ERROR_OPEN,
  PUENTE_STORE_ERROR_TOO_NEW,
  PUENTE_STORE_ERROR_FAILED,
  PUENTE_STORE_ERROR_BUSY,     /* another run of the connection is under way */
  PUENTE_STORE_ERROR_DAMAGED,  /* the database file is damaged: see puente_store_repair() */
} PuenteStoreError;

GQuark puente_store_error_quark (void);

typedef enum
{
  PUENTE_OUTCOME_CREATED,
  PUENTE_OUTCOME_UPDATED,
  PUENTE_OUTCOME_UNCHANGED,
  PUENTE_OUTCOME_SKIPPED,
  PUENTE_OUTCOME_CONFLICT,
  PUENTE_OUTCOME_FAILED,
  PUENTE_OUTCOME_DELETED,
} PuenteOutcome;

const char *puente_outcome_to_string   (PuenteOutcome  outcome);
const char *puente_outcome_to_label    (PuenteOutcome  outcome);
gboolean    puente_outcome_from_string (const char    *text,
                                        PuenteOutcome *outcome);

typedef enum
{
  PUENTE_LINK_INTENT,   /* a create was about to be sent: the CRM record may or may not exist */
  PUENTE_LINK_LINKED,   /* the CRM record is known */
} PuenteLinkState;

typedef struct
{
  PuenteEntity     entity;
  char            *source_id;
  char            *crm_id;         /* NULL while an intent */
  char            *content_hash;   /* of what was last pushed */
  char            *document_hash;
  char            *display_name;
  PuenteLinkState  state;
  guint            failures;       /* consecutive failed runs for this record */
  char            *consent;        /* the consent last sent: "field=value;..." */
  char            *source_consent; /* the consent the source had when last read */
  gint64           updated;        /* unix time of the last change; read only */
  gboolean         has_fields;     /* its fields' hashes are kept (link_fields); read only */
} PuenteLink;

void puente_link_free (PuenteLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteLink, puente_link_free)

typedef struct
{
  gint64         id;
  gint64         run;
  PuenteEntity   entity;
  PuenteOutcome  outcome;
  char          *source_id;
  char          *crm_id;
  char          *display_name;
  char          *message;   /* a sentence for the owner */
  gint64         time;      /* unix time, UTC */
  char          *field_group; /* a conflict over a group of a client's fields: its name
                               * (puente_field_group_to_string()), which the owner resolves
                               * with puente_store_put_field_choice(); else NULL */
} PuenteEvent;

void puente_event_free (PuenteEvent *event);

/* One change in the consent audit trail (design.md): who (origin), where, when, old -> new. */
typedef struct
{
  gint64        id;
  PuenteEntity  entity;
  char         *source_id;
  char         *field;      /* PUENTE_FIELD_GDPR_ACCEPT, _EMAIL_CONSENT, _SMS_CONSENT */
  char         *old_value;  /* NULL: not asked */
  char         *new_value;
  char         *origin;     /* "source", "crm", "owner" */
  gint64        time;       /* unix time, UTC */
} PuenteConsentChange;

void puente_consent_change_free (PuenteConsentChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteConsentChange, puente_consent_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteEvent, puente_event_free)

/* One source + one CRM + a profile: what `puente-sync connect` and the wizard set up.
 *
 * @settings holds the owner's choices, string -> string, saved and loaded with the
 * connection (NULL: none). The keys Puente knows:
 *
 *   deals.pipeline           the CRM pipeline id the files (deals) go to
 *   deals.stage.STAGE        the CRM stage id for the source's stage id STAGE
 *   column.HEADER            the target of the export's column whose header is HEADER:
 *                            "field:NAME" (a PUENTE_FIELD_* name), "custom:NAME" (a CRM
 *                            custom field) or "ignore"; see
 *                            puente_column_mapping_target_to_string()
 *   schedule                 "nightly@HH:MM", "every-15-minutes" or "manual"
 *   sample-data              "true" when the connection points at puente-sandbox (the
 *                            "Try with sample data" path)
 *   setup.step               the wizard page reached while the setup is unfinished
 *   setup.complete           "true" once the wizard finished; puente_connection_load_async()
 *                            also reports it for a connection fully synced once, wherever
 *                            it was set up (`puente-sync connect` and `run`)
 *   sync.max-in-flight       "1" to "10": CRM requests at once (absent: the connector's)
 *   sync.delete              "true": a record deleted in the source is deleted in the CRM
 *                            (absent: only reported)
 *   log.retention-days       "30", "90" or "365" (absent or "0": keep every event)
 *   zappy.source             what every lead sent to Zappy carries as its origin
 *                            (client_source): exactly as the owner set it up in Zappy, sent
 *                            as it is (Zappy takes only an exact match)
 *   zappy.segment            likewise, its segment (client_segment)
 *   zappy.form-id            its form (form_id)
 *   zappy.campaign           its campaign (campaign_name)
 *   zappy.custom-1           Zappy's custom field 1 (custom_1)
 *   zappy.custom-2           Zappy's custom field 2 (custom_2)
 *                            Each zappy.* value is a fixed text, or "field:NAME" for a field
 *                            of the record Puente sends: a PUENTE_FIELD_* name (contact_type,
 *                            status, ...) or a custom field (gesintur_id, cf_id, puente_id:
 *                            the source's number); absent or empty: not sent
 *
 * JivoChat chats (puente-jivochat.h; the listener is off unless jivochat.enabled):
 *   jivochat.enabled         "true": `puente-sync listen` (and later the app) listens
 *   jivochat.port            the TCP port to listen on, 1 to 65535 (absent: 8765)
 *   jivochat.address         the address to listen on (absent: "127.0.0.1", this computer
 *                            only); "0.0.0.0" or another address exposes it to the network,
 *                            which is only needed without a tunnel on this computer (JivoChat
 *                            takes http or https addresses [C]; on the internet, only HTTPS
 *                            keeps the address's secret part secret, and Puente serves HTTP)
 *   jivochat.behaviour       what a finished chat (or an offline message) becomes:
 *                            "company-person-deal", "person-deal" (absent: this one),
 *                            "company-person" or "lead"
 *   jivochat.pipeline        the CRM pipeline id of the deals (absent: the CRM's default)
 *   jivochat.stage           the CRM stage id of the deals (absent: the pipeline's first)
 *   jivochat.one-deal-per-person  "true": a person who already got a deal from a chat
 *                            gets no second one
 *   jivochat.lead-status     the contact status a lead gets (absent: the CRM's own word
 *                            for a new lead, "cold-lead" in Clientify)
 *   jivochat.tags            "true": JivoChat's tags become CRM tags of the contact and
 *                            deal a chat creates (absent: not)
 *   jivochat.map.KEY         where the chat's KEY goes (name, email, phone, description,
 *                            organization, utm_source, utm_campaign, utm_medium,
 *                            utm_content, utm_term, page_url, page_title, agent):
 *                            "field:NAME" (a PUENTE_FIELD_* of the contact), "custom:NAME"
 *                            (a contact custom field), "note" (a line in the description)
 *                            or "ignore"; defaults in puente-jivochat-mapping.c (the
 *                            company a chat creates is always organization's)
 * The secret part of the webhook address is in the keyring (PUENTE_SERVICE_WEBHOOK), never
 * here. Each chat handled is a run with mode "chat" and trigger "webhook".
 *
 * puente_connection_open_source() applies the column.* keys, puente_connection_open_crm()
 * sync.max-in-flight and the zappy.* keys, puente_connection_open_engine() the deals.* keys
 * and sync.delete, puente_connection_prune_log() log.retention-days; the others are the
 * app's. */
typedef struct
{
  char       *id;
  char       *profile;          /* "giav", "gioweb", "generic" */
  char       *crm;              /* "clientify", "ploomes" or "zappy" */
  char       *crm_url;          /* NULL: the CRM's public address */
  char       *source_kind;      /* "giav" or "file" */
  char       *source_location;  /* the GIAV service address, or the export's path */
  GHashTable *settings;         /* owned strings -> owned strings; NULL: none */
} PuenteConnection;

#define PUENTE_SETTING_DEALS_PIPELINE      "deals.pipeline"
#define PUENTE_SETTING_DEALS_STAGE_PREFIX  "deals.stage."
#define PUENTE_SETTING_COLUMN_PREFIX       "column."
#define PUENTE_SETTING_SCHEDULE            "schedule"
/* Why the chosen schedule does not run (the service manager did not start its timer): a
 * sentence for the owner, kept until a schedule is installed and started; absent: it runs */
#define PUENTE_SETTING_SCHEDULE_PROBLEM    "schedule.problem"
#define PUENTE_SETTING_SAMPLE_DATA         "sample-data"
#define PUENTE_SETTING_SETUP_STEP          "setup.step"
#define PUENTE_SETTING_SETUP_COMPLETE      "setup.complete"
#define PUENTE_SETTING_ZAPPY_SOURCE        "zappy.source"
#define PUENTE_SETTING_ZAPPY_SEGMENT       "zappy.segment"
#define PUENTE_SETTING_ZAPPY_FORM_ID       "zappy.form-id"
#define PUENTE_SETTING_ZAPPY_CAMPAIGN      "zappy.campaign"
#define PUENTE_SETTING_ZAPPY_CUSTOM_1      "zappy.custom-1"
#define PUENTE_SETTING_ZAPPY_CUSTOM_2      "zappy.custom-2"
/* A zappy.* value that starts so names a field of the record instead of a fixed text. */
#define PUENTE_SETTING_ZAPPY_FIELD_PREFIX  "field:"

PuenteConnection *puente_connection_copy        (const PuenteConnection *connection);
void              puente_connection_free        (PuenteConnection       *connection);
const char       *puente_connection_get_setting (const PuenteConnection *connection,
                                                 const char             *key);
void              puente_connection_set_setting (PuenteConnection       *connection,
                                                 const char             *key,
                                                 const char             *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteConnection, puente_connection_free)

typedef struct
{
  gint64  id;
  char   *mode;
  char   *trigger;
  gint64  started;
  gint64  finished;  /* 0 while running */
  char   *state;     /* running, succeeded, finished-with-failures, failed, cancelled, braked,
                      * interrupted (left running by a process that ended) */
  guint   counts[PUENTE_OUTCOME_DELETED + 1];  /* events by outcome (unchanged: not logged) */
} PuenteRunInfo;

/* Which events a log shows. */
typedef struct
{
  gint64      run;       /* 0: every run */
  int         entity;    /* a PuenteEntity, or -1: all */
  guint       outcomes;  /* a mask of 1 << PuenteOutcome; 0: all */
  const char *search;    /* NULL or "": all; else a part of the name, source id or message */
  gboolean    unresolved; /* only what is still unresolved across runs ("Needs You"): a
                           * record's newest event (per group of fields, for conflicts),
                           * with no complete full run since, nor a clean link for a failure;
                           * an event of no record (a refused key, a row not read) only from
                           * the newest sync but single-record ones; the missing fields'
                           * event ("puente:...") never: its own item shows it; a
                           * record the owner ignores (puente_store_put_ignored()) never */
} PuenteEventFilter;

void puente_run_info_free (PuenteRunInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteRunInfo, puente_run_info_free)

/* A chat a chat service (JivoChat) posted, kept until it is in the CRM and afterwards as
 * the proof that it was handled (for duplicate deliveries and one deal per person). */
typedef enum
{
  PUENTE_CHAT_RECEIVED,  /* stored as it arrived; not (or not wholly) in the CRM yet */
  PUENTE_CHAT_DONE,      /* handled; its payload is gone */
  PUENTE_CHAT_FAILED,    /* the CRM refused or failed; kept with its payload for a retry */
  PUENTE_CHAT_GIVEN_UP,  /* failed for good (refused, or too many attempts): kept with its
                          * payload until the owner tries it again */
} PuenteChatState;

const char *puente_chat_state_to_string (PuenteChatState state);

typedef struct
{
  char            *service;       /* "jivochat" */
  char            *chat_id;
  PuenteChatState  state;
  char            *display_name;  /* the visitor's name, for the log */
  char            *payload;       /* what a retry needs (the service's own format); NULL when done */
  char            *contact_id;    /* CRM ids, saved as soon as each is known */
  char            *company_id;
  char            *deal_id;
  guint            attempts;
  gint64           received;      /* unix time; read only */
  gint64           updated;       /* unix time; read only */
} PuenteStoredChat;

void puente_stored_chat_free (PuenteStoredChat *chat);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteStoredChat, puente_stored_chat_free)

#define PUENTE_TYPE_STORE (puente_store_get_type ())

G_DECLARE_FINAL_TYPE (PuenteStore, puente_store, PUENTE, STORE, GObject)

/* Blocking calls: use the store from the engine's thread or a worker, never the UI thread.
 * One store object belongs to one thread at a time. */
PuenteStore *puente_store_open             (const char     *path,
                                            GError        **error);
char        *puente_store_default_path     (void);
int          puente_store_get_schema_version (PuenteStore  *self);
const char  *puente_store_get_path         (PuenteStore    *self);
gboolean     puente_store_check            (PuenteStore    *self,
                                            GError        **error);
int          puente_store_mark_interrupted_runs (PuenteStore  *self,
                                                 const char   *connection_id,
                                                 GError      **error);

gboolean     puente_store_begin            (PuenteStore    *self,
                                            GError        **error);
gboolean     puente_store_commit           (PuenteStore    *self,
                                            GError        **error);
void         puente_store_rollback         (PuenteStore    *self);

gint64       puente_store_start_run        (PuenteStore    *self,
                                            const char     *connection_id,
                                            const char     *mode,
                                            const char     *trigger,
                                            GError        **error);
gboolean     puente_store_finish_run       (PuenteStore    *self,
                                            gint64          run,
                                            const char     *state,
                                            const char     *watermark,
                                            GError        **error);
gboolean     puente_store_fold_idle_run    (PuenteStore    *self,
                                            const char     *connection_id,
                                            gint64          run,
                                            GError        **error);
gint64       puente_store_get_last_checked (PuenteStore    *self,
                                            const char     *connection_id);

gboolean     puente_store_has_full_sync    (PuenteStore    *self,
                                            const char     *connection_id);
gboolean     puente_store_add_event        (PuenteStore       *self,
                                            const PuenteEvent *event,
                                            GError           **error);
guint        puente_store_count_events     (PuenteStore    *self,
                                            gint64          run,
                                            PuenteEntity    entity,
                                            int             outcome,
                                            GError        **error);
PuenteEvent *puente_store_get_event        (PuenteStore    *self,
                                            gint64          id,
                                            GError        **error);

PuenteLink  *puente_store_get_link         (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            GError        **error);
GHashTable  *puente_store_get_links        (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            GPtrArray      *source_ids,
                                            GError        **error);
gboolean     puente_store_put_link         (PuenteStore       *self,
                                            const char        *connection_id,
                                            const PuenteLink  *link,
                                            GError           **error);
GPtrArray   *puente_store_list_intents     (PuenteStore    *self,
                                            const char     *connection_id,
                                            GError        **error);
GPtrArray   *puente_store_list_links       (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            GError        **error);
guint        puente_store_count_links      (PuenteStore    *self,
                                            const char     *connection_id,
                                            GError        **error);
gboolean     puente_store_delete_link      (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            GError        **error);
GHashTable  *puente_store_get_field_hashes (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            GError        **error);
gboolean     puente_store_put_field_hashes (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            GHashTable     *hashes,
                                            GError        **error);

/* The owner's answer to a conflict over a group of a client's fields (puente-store-choices.c):
 * @side "source" or "crm", the side whose value stays. Kept until a run applies it. */
gboolean     puente_store_put_field_choice (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            const char     *field_group,
                                            const char     *side,
                                            GError        **error);
GHashTable  *puente_store_get_field_choices (PuenteStore   *self,
                                             const char    *connection_id,
                                             PuenteEntity   entity,
                                             const char    *source_id,
                                             GError       **error);
gboolean     puente_store_delete_field_choice (PuenteStore *self,
                                               const char  *connection_id,
                                               PuenteEntity entity,
                                               const char  *source_id,
                                               const char  *field_group,
                                               GError     **error);
GPtrArray   *puente_store_list_field_choices (PuenteStore  *self,
                                              const char   *connection_id,
                                              GError      **error);
GPtrArray   *puente_store_list_field_attention (PuenteStore  *self,
                                                const char   *connection_id,
                                                GError      **error);

/* The records the owner keeps out of the CRM ("Ignore"; puente-store-ignored.c): a client is
 * one record whether a contact or a company */
gboolean     puente_store_put_ignored      (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            const char     *display_name,
                                            GError        **error);
gboolean     puente_store_delete_ignored   (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            GError        **error);
gboolean     puente_store_ignores_any      (PuenteStore    *self,
                                            const char     *connection_id,
                                            GError        **error);
gboolean     puente_store_is_ignored       (PuenteStore    *self,
                                            const char     *connection_id,
                                            PuenteEntity    entity,
                                            const char     *source_id,
                                            GError        **error);
GPtrArray   *puente_store_list_ignored     (PuenteStore    *self,
                                            const char     *connection_id,
                                            GError        **error);

gboolean     puente_store_get_source_create (PuenteStore    *self,
                                             const char     *connection_id,
                                             const char     *crm_id,
                                             char          **source_id,
                                             GError        **error);
gboolean     puente_store_put_source_create (PuenteStore    *self,
                                             const char     *connection_id,
                                             const char     *crm_id,
                                             const char     *source_id,
                                             const char     *display_name,
                                             GError        **error);
gboolean     puente_store_delete_source_create (PuenteStore *self,
                                                const char  *connection_id,
                                                const char  *crm_id,
                                                GError     **error);

char        *puente_store_get_watermark    (PuenteStore    *self,
                                            const char     *connection_id,
                                            const char     *name,
                                            GError        **error);
gboolean     puente_store_set_watermark    (PuenteStore    *self,
                                            const char     *connection_id,
                                            const char     *name,
                                            const char     *value,
                                            GError        **error);

gboolean     puente_store_add_consent_change (PuenteStore  *self,
                                              const char   *connection_id,
                                              PuenteEntity  entity,
                                              const char   *source_id,
                                              const char   *field,
                                              const char   *old_value,
                                              const char   *new_value,
                                              const char   *origin,
                                              GError      **error);
guint        puente_store_count_consent_changes (PuenteStore *self,
                                                 const char  *connection_id,
                                                 const char  *source_id,
                                                 GError     **error);
GPtrArray   *puente_store_list_consent_changes (PuenteStore *self,
                                                const char  *connection_id,
                                                const char  *source_id,
                                                guint        limit,
                                                GError     **error);

gboolean          puente_store_save_connection (PuenteStore             *self,
                                                const PuenteConnection  *connection,
                                                GError                 **error);
PuenteConnection *puente_store_load_connection (PuenteStore             *self,
                                                const char              *id,
                                                GError                 **error);
GPtrArray        *puente_store_list_runs       (PuenteStore             *self,
                                                const char              *connection_id,
                                                guint                    limit,
                                                GError                 **error);
guint             puente_store_count_events_matching (PuenteStore             *self,
                                                      const PuenteEventFilter *filter,
                                                      GError                 **error);
GPtrArray        *puente_store_list_events_matching  (PuenteStore             *self,
                                                      const PuenteEventFilter *filter,
                                                      guint                    offset,
                                                      guint                    limit,
                                                      GError                 **error);
int               puente_store_prune_events    (PuenteStore             *self,
                                                gint64                   before,
                                                GError                 **error);
GPtrArray        *puente_store_search_links    (PuenteStore             *self,
                                                const char              *connection_id,
                                                PuenteEntity             entity,
                                                const char              *text,
                                                const char              *document_hash,
                                                guint                    limit,
                                                GError                 **error);
GPtrArray        *puente_store_list_events     (PuenteStore             *self,
                                                gint64                   run,
                                                int                      entity,
                                                int                      outcome,
                                                guint                    limit,
                                                GError                 **error);

gboolean          puente_store_add_chat        (PuenteStore             *self,
                                                const char              *connection_id,
                                                const PuenteStoredChat  *chat,
                                                GError                 **error);
gboolean          puente_store_update_chat     (PuenteStore             *self,
                                                const char              *connection_id,
                                                const PuenteStoredChat  *chat,
                                                GError                 **error);
PuenteStoredChat *puente_store_get_chat        (PuenteStore             *self,
                                                const char              *connection_id,
                                                const char              *service,
                                                const char              *chat_id,
                                                GError                 **error);
int               puente_store_count_chats     (PuenteStore             *self,
                                                const char              *connection_id,
                                                const char              *service,
                                                PuenteChatState          state,
                                                GError                 **error);
GPtrArray        *puente_store_list_chats      (PuenteStore             *self,
                                                const char              *connection_id,
                                                const char              *service,
                                                PuenteChatState          state,
                                                GError                 **error);
char             *puente_store_find_chat_deal  (PuenteStore             *self,
                                                const char              *connection_id,
                                                const char              *service,
                                                const char              *contact_id,
                                                GError                 **error);
gboolean          puente_store_is_chat_deal    (PuenteStore             *self,
                                                const char              *connection_id,
                                                const char              *service,
                                                const char              *deal_id,
                                                GError                 **error);

/* The contacts chats made, found again by a sync of the same person (an email, or a phone
 * as digits only: puente_store_phone_key()). */
char             *puente_store_phone_key       (const char              *phone);
gboolean          puente_store_add_chat_contact (PuenteStore            *self,
                                                 const char             *connection_id,
                                                 const char             *service,
                                                 const char             *crm_id,
                                                 const char             *email,
                                                 const char             *phone,
                                                 GError                **error);
char             *puente_store_find_chat_contact (PuenteStore           *self,
                                                  const char            *connection_id,
                                                  const char            *email,
                                                  const char            *mobile,
                                                  const char            *phone,
                                                  GError               **error);

G_END_DECLS
