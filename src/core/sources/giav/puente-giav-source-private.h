/* puente-giav-source-private.h: the answer parsers of the GIAV source (puente-giav-parse.c),
 * for the tests and the fuzzer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "puente-giav-source.h"

G_BEGIN_DECLS

/* Each takes a whole SOAP answer (the envelope) as GIAV sends it; @url is only for the
 * sentences of the errors. A SOAP Fault or an answer that is not the operation's becomes
 * an error, as it does for a request. */
GPtrArray *puente_giav_parse_clients   (const char  *url,
                                        const char  *xml,
                                        gssize       length,
                                        GError     **error);
GPtrArray *puente_giav_parse_files     (const char  *url,
                                        const char  *xml,
                                        gssize       length,
                                        GError     **error);
GPtrArray *puente_giav_parse_stages    (const char  *url,
                                        const char  *xml,
                                        gssize       length,
                                        GError     **error);

/* A GIAV xs:dateTime, with or without zone (then the agency's), as ISO 8601 with an offset;
 * NULL when it is not one */
char      *puente_giav_parse_date_time (const char  *text);
/* The date (YYYY-MM-DD) of a GIAV date or date and time; NULL when it is not one */
char      *puente_giav_parse_date      (const char  *text);

G_END_DECLS
