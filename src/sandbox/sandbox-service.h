/* sandbox-service.h: what one double (the CRM now, GIAV later) gives the sandbox server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SandboxService SandboxService;

/* A double served under its own path prefix. The server counts its requests, applies the
 * faults around process(), answers the /__sandbox/ control requests and saves the state;
 * the double only answers requests and keeps its records. */
struct _SandboxService
{
  /* The word before its address in the start line ("crm"), and its key in the state file */
  const char *name;
  /* Where it is served, with both slashes: "/v1/" */
  const char *prefix;
  /* Optional: the endpoint under the prefix that the start line names ("api_2_05.asmx") */
  const char *endpoint;
  gpointer    self;

  /* Answers @msg (status, headers, body); @path is the part after the prefix */
  void      (*process)   (gpointer           self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query);
  /* Optional: what @msg counts as in the stats (GIAV: its SOAP operation); NULL, or a
   * NULL answer, counts it by its path */
  char     *(*resource)  (gpointer           self,
                          SoupServerMessage *msg,
                          const char        *path);
  /* Answers @msg the way the real service answers a client over its rate limit */
  void      (*throttled) (gpointer           self,
                          SoupServerMessage *msg);
  /* Answers /__sandbox/@path when it belongs to this double; FALSE when it does not */
  gboolean  (*control)   (gpointer           self,
                          SoupServerMessage *msg,
                          const char        *path);
  /* Restores the demo data */
  void      (*reset)     (gpointer           self);
  /* The whole state, and back */
  JsonNode *(*save)      (gpointer           self);
  gboolean  (*load)      (gpointer           self,
                          JsonNode          *state,
                          GError           **error);

  /* Set by the double while it answers, or by POST /__sandbox/drop-next/NAME before: the
   * server drops this (the next) answer's connection (as --drop-rate does) and clears it */
  gboolean    drop_answer;

  /* Set by the server: the double calls it after every change of its records */
  void      (*changed)   (gpointer           data);
  gpointer    changed_data;
};

static inline void
sandbox_service_changed (SandboxService *service)
{
  if (service->changed != NULL)
    service->changed (service->changed_data);
}

G_END_DECLS
