/* sandbox-tls.h: the certificate puente-sandbox serves HTTPS with (--tls).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GTlsCertificate *sandbox_tls_make_certificate (char       **folder,
                                               char       **ca_path,
                                               GError     **error);
void             sandbox_tls_remove           (const char  *folder,
                                               const char  *ca_path);

G_END_DECLS
