/* puente-schedule-private.h: what puente-schedule.c (the schedule, its saved form, its
 * sentence and its next run) shares with puente-schedule-systemd.c (the systemd units
 * and their installation). Only these files include this header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-schedule.h"

G_BEGIN_DECLS

/* Whether @schedule is one of the kinds, with a real time of day when nightly */
gboolean puente_schedule_is_valid (const PuenteSchedule *schedule);

G_END_DECLS
