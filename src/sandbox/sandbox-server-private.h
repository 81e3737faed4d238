/* sandbox-server-private.h: the HTTP server's insides, shared by its files.
 *
 * The server itself and what each of its files gives the others (sandbox-server.c tells
 * the story and lists them). Only they include this header; what it declares starts with
 * sandbox_server_, the doubles' files being one program with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sandbox-server.h"

G_BEGIN_DECLS

#define SANDBOX_CONTROL_PREFIX "/__sandbox/"

/* Requests to one double by method and resource, since start or reset */
typedef struct
{
  char  *service;
  char  *method;
  char  *resource;
  guint  count;
} SandboxStatsRow;

struct _SandboxServer
{
  SoupServer    *soup;
  SandboxFaults *faults;
  GPtrArray     *services;  /* SandboxService*, not owned */
  GPtrArray     *stats;     /* SandboxStatsRow* */
  char          *state_path;
  JsonNode      *state;     /* as loaded, until every double took its part */
  gboolean       state_read;
  guint          port;
  guint          in_flight;      /* requests waiting out their latency */
  guint          max_in_flight;  /* the most at once since start or reset */
  guint          connections;    /* connections requests came on, since start or reset */
  guint          handshakes;     /* of them, those that paid their setup */
  guint64        delay_total;    /* ms of latency and setup charged, since start or reset */
  guint64        connection_delay_total;  /* ms of it for setting connections up */
  char          *tls_folder;     /* --tls: the private folder of the certificate */
  char          *ca_path;        /* --tls: the certificate, for the clients to trust */
  guint          generation;     /* how many resets, plus one */
  GHashTable    *sockets;        /* GSocket* of the connections, until they close */
  guint          sweep_id;
};

/* ---- sandbox-server-stats.c: the counts ---------------------------------------------------- */

void      sandbox_server_stats_row_free   (SandboxStatsRow   *row);
gboolean  sandbox_server_count            (SandboxServer     *self,
                                           SandboxService    *service,
                                           SoupServerMessage *msg,
                                           const char        *path);
JsonNode *sandbox_server_stats_to_json    (SandboxServer     *self);
void      sandbox_server_stats_reset      (SandboxServer     *self);

/* ---- sandbox-server-exchange.c: a request to a double ------------------------------------- */

void      sandbox_server_service_request_cb (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);

/* ---- sandbox-server-control.c: /__sandbox/ and the rest ------------------------------------ */

void      sandbox_server_control_request_cb (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);
void      sandbox_server_other_request_cb   (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);

/* ---- sandbox-server-state.c: the state file ------------------------------------------------ */

void      sandbox_server_save_state       (SandboxServer     *self);
gboolean  sandbox_server_load_state       (SandboxServer     *self,
                                           SandboxService    *service,
                                           GError           **error);

G_END_DECLS
