/* puente-schedule-private.h: what puente-schedule.c (the schedule, its saved form, its
 * sentence and its next run) shares with puente-schedule-systemd.c (the systemd units
 * and their installation). Only these files include this header, and
 * puente-chats-service.c, which writes and installs the chats' service unit with the
 * same quoting and the same systemctl.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-schedule.h"

G_BEGIN_DECLS

/* Whether @schedule is one of the kinds, with a real time of day when nightly */
gboolean puente_schedule_is_valid (const PuenteSchedule *schedule);

/* puente-schedule-systemd.c, shared with puente-chats-service.c */
typedef enum
{
  SYSTEMCTL_DONE,
  SYSTEMCTL_MISSING,   /* it could not be started: no systemd here */
  SYSTEMCTL_FAILED,    /* it ran and said no */
  SYSTEMCTL_CANCELLED,
} SystemctlOutcome;

/* Whether systemd can run a program from @path (no quotes, backslashes, control bytes) */
gboolean         is_runnable_path     (const char    *path);
/* Appends @argument to an ExecStart= line, quoted as systemd reads it back */
void             append_exec_argument (GString       *line,
                                       const char    *argument,
                                       gboolean       program);
/* Runs `SYSTEMCTL --user ARGS...`; blocking: on a worker thread only */
SystemctlOutcome run_systemctl        (const char    *systemctl,
                                       GCancellable  *cancellable,
                                       GError       **error,
                                       const char    *first_argument,
                                       ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
