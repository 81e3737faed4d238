/* sandbox-clock.h: the clock of each double, which may be set ahead of or behind this
 * computer's, as a real server's often is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void       sandbox_clock_set_offset (const char        *service,
                                     gint64             seconds);
gint64     sandbox_clock_get_offset (const char        *service);
GDateTime *sandbox_clock_now        (const char        *service);
void       sandbox_clock_stamp      (const char        *service,
                                     SoupServerMessage *msg);
gboolean   sandbox_clock_control    (SoupServerMessage *msg,
                                     const char        *path);

G_END_DECLS
