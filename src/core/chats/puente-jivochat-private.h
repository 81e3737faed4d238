/* puente-jivochat-private.h: what the chat handler's files share (puente-jivochat.c, -steps.c,
 * -mapping.c, -retry.c, -settings.c, -listener.c), and what tests and fuzzers reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-chats.h"
#include "puente-jivochat.h"

G_BEGIN_DECLS

/* What every record Puente creates from a chat carries (design.md: a tag naming the source) */
#define PUENTE_JIVOCHAT_TAG         "JivoChat"
#define PUENTE_JIVOCHAT_SOURCE_NAME "JivoChat"

/* puente-jivochat-mapping.c */
const char         *puente_jivochat_lead_status       (const char               *crm_name);

/* The records a chat becomes under @connection's mapping (jivochat.map.*). */
PuenteRecord       *puente_jivochat_build_contact     (const PuenteJivochatChat *chat,
                                                       const PuenteConnection   *connection,
                                                       const char               *lead_status);
char               *puente_jivochat_company_name      (const PuenteJivochatChat *chat,
                                                       const PuenteConnection   *connection);
void                puente_jivochat_add_tags          (PuenteRecord             *record,
                                                       const PuenteJivochatChat *chat,
                                                       const PuenteConnection   *connection);
/* What the log and a deal call a chat: "Chat with NAME", or an offline message's words. */
char               *puente_jivochat_subject           (const PuenteJivochatChat *chat,
                                                       const char               *name);

/* Which chats a pass over the waiting ones takes, besides those received since the last. */
typedef enum
{
  PUENTE_JIVOCHAT_RETRY_NONE,    /* only the chats received */
  PUENTE_JIVOCHAT_RETRY_DUE,     /* and the failed ones whose gap is over */
  PUENTE_JIVOCHAT_RETRY_FAILED,  /* and every failed one (the listener's start) */
  PUENTE_JIVOCHAT_RETRY_ALL,     /* and those given up too (the owner asked) */
} PuenteJivochatRetry;

/* A chat is given up after this many attempts (the first and five retries, design.md). */
#define PUENTE_JIVOCHAT_MAX_ATTEMPTS 6
/* The first gap before a failed chat is tried again, in microseconds. */
#define PUENTE_JIVOCHAT_RETRY_BASE (60 * G_USEC_PER_SEC)

/* puente-jivochat-retry.c */
gint64   puente_jivochat_retry_delay    (guint                   attempts,
                                         gint64                  base_us);
gint64   puente_jivochat_retry_due      (const PuenteStoredChat *chat,
                                         gint64                  base_us);
gboolean puente_jivochat_error_is_final (const GError           *error);
gint64   puente_jivochat_next_retry     (PuenteStore            *store,
                                         const char             *connection_id,
                                         gint64                  base_us,
                                         GError                **error);

/* The handler's retry policy (default: PUENTE_JIVOCHAT_RETRY_BASE and
 * PUENTE_JIVOCHAT_MAX_ATTEMPTS), and a pass that says which failed chats it takes. */
void     puente_jivochat_handler_set_retry_policy     (PuenteJivochatHandler *self,
                                                       gint64                 base_us,
                                                       guint                  max_attempts);
gint64   puente_jivochat_handler_next_retry           (PuenteJivochatHandler *self,
                                                       GError               **error);
void     puente_jivochat_handler_process_chats_async  (PuenteJivochatHandler *self,
                                                       PuenteJivochatRetry    retry,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);

/* The same for the listener's handler; set it before starting (tests: a base of
 * milliseconds, so that retries while listening take no minutes). */
void     puente_jivochat_listener_set_retry_policy    (PuenteJivochatListener *self,
                                                       gint64                  base_us,
                                                       guint                   max_attempts);

/* How the listener opens the CRM on its thread (default: puente_connection_open_crm());
 * tests shorten the retry policy with it. Set it before starting. */
typedef PuenteCrm *(*PuenteJivochatCrmFunc) (const PuenteConnection  *connection,
                                             GCancellable            *cancellable,
                                             GError                 **error);

void puente_jivochat_listener_set_crm_func (PuenteJivochatListener *self,
                                            PuenteJivochatCrmFunc   func);

/* A random token for the listener's address, as hex; NULL without randomness. */
char *puente_jivochat_make_token (void);

/* ---- The handler, for its files (puente-jivochat.c, -steps.c) ---------------------------- */

struct _PuenteJivochatHandler
{
  GObject                  parent_instance;

  PuenteStore             *store;
  PuenteCrm               *crm;
  PuenteConnection        *connection;
  PuenteJivochatBehaviour  behaviour;
  char                    *lead_status;
  gboolean                 one_deal_per_person;
  gboolean                 busy;
  PuenteJivochatRetry      retry_requested;  /* by a call made while busy */
  gint64                   retry_base;       /* µs */
  guint                    max_attempts;
};

/* One pass over the waiting chats. */
typedef enum
{
  STEP_START,
  STEP_FIND_BY_EMAIL,
  STEP_FIND_BY_PHONE,
  STEP_COMPANY,
  STEP_CONTACT,
  STEP_DEAL,
  STEP_HISTORY,
  STEP_DONE,
} Step;

enum {
  MADE_COMPANY = 1 << 0,
  MADE_PERSON = 1 << 1,
  MADE_DEAL = 1 << 2,
  MADE_LEAD = 1 << 3,   /* a lead of the CRM's own (PUENTE_CRM_HAS_LEADS) */
};

typedef struct
{
  PuenteJivochatRetry retry;
  GHashTable         *tried;    /* chat ids of this pass */
  guint               failed;
  PuenteStoredChat   *current;
  PuenteJivochatChat *chat;
  char               *name;
  Step                step;
  guint               made;
  gboolean            deal_held;  /* one deal per person: an earlier chat gave one */
  guint               uncertain;  /* creates of this chat whose answer was lost */
  guint               pending;    /* MADE_* of those: what a look-up that finds one made */
  gboolean            look_for_deal;
  char               *deal_name;
  gboolean            given_up;   /* a failure that is not to be tried again by itself */
  gboolean            in_leads;   /* the find step looks among the CRM's leads */
  gboolean            lead_found; /* the visitor is a lead of the CRM already */
  gboolean            found;      /* the person was in the CRM before this chat */
  gboolean            history;    /* the chat went into that person's history */
  gboolean            history_tried; /* its history step ran (right after the look-up found
                                      * the person, else at the end) */
} Pass;


/* puente-jivochat.c: ends the pass's current chat (a run, an event, its state), then the
 * next; or fails it (given up when final or too often tried). */
void     puente_jivochat_pass_finish  (GTask         *task,
                                       PuenteOutcome  outcome,
                                       const char    *message);
void     puente_jivochat_pass_fail    (GTask         *task,
                                       const GError  *error);
/* puente-jivochat-steps.c: the current chat's next step */
void     puente_jivochat_pass_advance (GTask         *task);

G_END_DECLS
