/* puente-schedule.h: when Puente syncs on its own, as a systemd user timer, or live, as a
 * systemd user service that runs `puente-sync watch` (puente-watch.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PuenteScheduleKind:
 * @PUENTE_SCHEDULE_MANUAL: no timer; Puente syncs only when the owner asks
 * @PUENTE_SCHEDULE_NIGHTLY: once a day, at @hour:@minute local time
 * @PUENTE_SCHEDULE_EVERY_15_MINUTES: at :00, :15, :30 and :45 of every hour
 * @PUENTE_SCHEDULE_LIVE: while the computer is on and the owner logged in, changes reach
 *   the other side within about a minute: `puente-sync watch` syncs what changed every
 *   minute, and as soon as a new export is saved (puente-watch.h)
 */
typedef enum
{
  PUENTE_SCHEDULE_MANUAL,
  PUENTE_SCHEDULE_NIGHTLY,
  PUENTE_SCHEDULE_EVERY_15_MINUTES,
  PUENTE_SCHEDULE_LIVE,
} PuenteScheduleKind;

/**
 * PuenteSchedule:
 * @kind: which schedule
 * @hour: 0 to 23; only for %PUENTE_SCHEDULE_NIGHTLY (0 otherwise)
 * @minute: 0 to 59; only for %PUENTE_SCHEDULE_NIGHTLY (0 otherwise)
 *
 * A plain value: copy it, compare its fields. It is saved in the connection's
 * %PUENTE_SETTING_SCHEDULE setting as puente_schedule_to_string() writes it.
 */
typedef struct
{
  PuenteScheduleKind kind;
  guint              hour;
  guint              minute;
} PuenteSchedule;

/* Nightly, as the seeds: the design's default. */
#define PUENTE_SCHEDULE_DEFAULT ((PuenteSchedule) { PUENTE_SCHEDULE_NIGHTLY, 2, 0 })

/* The names of the units puente_schedule_install_async() writes. */
#define PUENTE_SCHEDULE_SERVICE_NAME "puente-sync.service"
#define PUENTE_SCHEDULE_TIMER_NAME   "puente-sync.timer"
/* The live schedule's long-running service, instead of the two above */
#define PUENTE_SCHEDULE_WATCH_NAME   "puente-sync-watch.service"

#define PUENTE_SCHEDULE_ERROR (puente_schedule_error_quark ())

/**
 * PuenteScheduleError:
 * @PUENTE_SCHEDULE_ERROR_FAILED: the units could not be written or removed; nothing changed
 *   as far as Puente knows
 * @PUENTE_SCHEDULE_ERROR_NOT_APPLIED: the units were written (or removed), but the system's
 *   service manager did not take the change (no user systemd, systemctl failed). The
 *   schedule is saved; show the message as a warning, not as a failure.
 *
 * Inside Flatpak, installing a timer fails with %G_IO_ERROR_NOT_SUPPORTED instead, and
 * nothing is written. The message of every error from puente_schedule_install_finish()
 * is a translated sentence for the owner; the technical detail goes to the log.
 */
typedef enum
{
  PUENTE_SCHEDULE_ERROR_FAILED,
  PUENTE_SCHEDULE_ERROR_NOT_APPLIED,
} PuenteScheduleError;

GQuark     puente_schedule_error_quark    (void);

char      *puente_schedule_to_string      (const PuenteSchedule *schedule);
gboolean   puente_schedule_from_string    (const char           *text,
                                           PuenteSchedule       *schedule);
char      *puente_schedule_describe       (const PuenteSchedule *schedule);
GDateTime *puente_schedule_next_run       (const PuenteSchedule *schedule,
                                           GDateTime            *now);

char      *puente_schedule_timer_unit     (const PuenteSchedule *schedule);
char      *puente_schedule_service_unit   (const char           *sync_path,
                                           const char           *data_dir);
char      *puente_schedule_watch_unit     (const char           *sync_path,
                                           const char           *data_dir);
char      *puente_schedule_get_unit_dir   (void);

void       puente_schedule_install_async  (const PuenteSchedule *schedule,
                                           const char           *sync_path,
                                           const char           *unit_dir,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean   puente_schedule_install_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
