/* puente-sync-private.h: what puente-sync's commands share.
 *
 * One file per command, as flatpak's app/flatpak-builtins-*.c: puente-sync-connect.c,
 * -provision.c, -run.c (run and preview), -status.c, -events.c, -jivochat.c (jivochat and
 * listen), -repair.c, -directions.c, -keep.c, -ignore.c,
 * -create-from-crm.c, -schedule.c, -select.c, -watch.c; each declared here with
 * COMMANDPROTO and listed in main.c's command table. What they share: the exit statuses (the contract in main.c's
 * opening comment), the Cli they are given, waiting on asynchronous calls, messages and
 * options (puente-sync-common.c), and the scheduled run's notification (puente-sync-notify.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gi18n.h>

#include "puente-core.h"
#include "puente-schedule.h"

G_BEGIN_DECLS

#define CONNECTION_ID "default"

enum {
  EXIT_FINE = 0,
  EXIT_RECORDS = 1,
  EXIT_RUN_FAILED = 2,
  EXIT_CONFIG = 3,
  EXIT_BRAKED = 4,
  EXIT_BUSY = 5,
};

typedef struct
{
  char        *data_dir;
  PuenteStore *store;
} Cli;

/* A command: its arguments start with its own name; it returns the exit status. */
#define COMMANDPROTO(name) \
  int command_ ## name (Cli *cli, int argc, char **argv)

COMMANDPROTO (connect);
COMMANDPROTO (provision);
COMMANDPROTO (preview);
COMMANDPROTO (run);
COMMANDPROTO (status);
COMMANDPROTO (events);
COMMANDPROTO (jivochat);
COMMANDPROTO (listen);
COMMANDPROTO (repair);
COMMANDPROTO (directions);
COMMANDPROTO (keep);
COMMANDPROTO (ignore);
COMMANDPROTO (create_from_crm);
COMMANDPROTO (schedule);
COMMANDPROTO (watch);
COMMANDPROTO (select);

/* puente-sync-common.c */
void              store_result_cb  (GObject       *object,
                                    GAsyncResult  *result,
                                    gpointer       user_data);
GAsyncResult     *wait_for         (GAsyncResult **pending);
int               fail             (int            status,
                                    const GError  *error);
int               status_for_error (const GError  *error);
gboolean          parse_options    (const char    *command,
                                    GOptionEntry  *entries,
                                    const char    *summary,
                                    int           *argc,
                                    char        ***argv);
PuenteConnection *load_connection  (Cli           *cli,
                                    GError       **error);

/* puente-sync-schedule.c */
PuenteSchedule connection_schedule (const PuenteConnection *connection);
void           print_schedule      (const PuenteConnection *connection);

/* puente-sync-notify.c */
void notify_scheduled_run (int                     status,
                           const PuenteRunSummary *summary,
                           const GError           *error);

G_END_DECLS
