/* puente-fuzz.h: what every fuzz target shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Silences GLib's debug, info, message and warning lines and libxml2's messages (the inputs
 * are broken on purpose); a critical or an error still aborts with its message, so that a
 * g_return_if_fail() a parser trips on is reported as a crash, never hidden. */
void   puente_fuzz_init       (void);

/* A file of this process under /dev/shm (or the temporary folder) holding @data; the same
 * file each call. */
GFile *puente_fuzz_write_file (const guint8 *data,
                               size_t        size);

G_END_DECLS

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const guint8  *data,
                            size_t         size);
