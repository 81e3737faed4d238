/* puente-validation.h: identity documents, email addresses and phone numbers, checked
 * without any I/O.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What is checked
 * ===============
 *
 * Documents (after puente_document_normalise(): upper case, no spaces, dots, dashes or
 * slashes). The kind is decided by the shape alone, the validity by the check character:
 *
 * - PUENTE_DOCUMENT_ES_NIF: 8 digits + letter (DNI), or K, L or M + 7 digits + letter;
 *   the letter is TRWAGMYFPDXBNJZSQVHLCKE[number % 23] (for K/L/M, of the 7 digits).
 * - PUENTE_DOCUMENT_ES_NIE: X, Y or Z + 7 digits + letter; X, Y, Z count as 0, 1, 2 in
 *   front of the digits, then as a DNI.
 * - PUENTE_DOCUMENT_ES_CIF: one of ABCDEFGHJNPQRSUVW + 7 digits + control. The control is
 *   the Luhn-style digit over the 7 digits, or the letter JABCDEFGHI[digit]. P, Q, R, S, N
 *   and W must use the letter; A, B, E and H the digit; the other types accept either.
 * - PUENTE_DOCUMENT_PT_NIF: 9 digits, mod-11 check digit with weights 9..2 (a remainder of
 *   0 or 1 gives 0). The first digit must be 1, 2, 3, 5, 6 or 8, or the number must start
 *   with 45, 70 to 75, 77, 79, 90, 91, 98 or 99.
 * - PUENTE_DOCUMENT_BR_CPF: 11 digits, two mod-11 check digits (weights 10..2, 11..2);
 *   eleven equal digits are invalid.
 * - PUENTE_DOCUMENT_BR_CNPJ: 14 digits, two mod-11 check digits (weights 5..2 9..2, then
 *   6..2 9..2); fourteen equal digits are invalid.
 *
 * A 9-digit number is therefore a Portuguese NIF, an 11-digit one a CPF and a 14-digit one
 * a CNPJ; no two kinds share a shape, so the country hint of puente_document_classify()
 * never changes the answer today (it is there for kinds that may overlap later, and must
 * be NULL or a two-letter code). A document that is valid for another country than the
 * hint is still valid: clients of a Spanish agency may well have a Portuguese NIF.
 *
 * Email addresses: exactly one @; a local part of 1 to 64 bytes made of letters, digits,
 * the RFC 5322 atext symbols !#$%&'*+-/=?^_`{|}~ and dots (not first, last or doubled); a
 * domain of at least two dot-separated labels of 1 to 63 bytes made of letters, digits
 * and hyphens (not first or last in a label); a last label (TLD) of at least two letters,
 * or an "xn--" A-label; at most 254 bytes in all. Non-ASCII UTF-8 characters are allowed
 * in the local part and the domain (internationalised addresses), except spaces, control
 * and invisible formatting characters.
 *
 * Phone numbers, normalised to E.164 ("+34600123456"): spaces, dots, dashes and
 * parentheses are dropped; a leading "00" is the international prefix; a number without
 * country code gets the default country's. Then, by country code:
 * - +34 Spain: 9 digits starting with 6, 7, 8 or 9.
 * - +351 Portugal: 9 digits starting with 2 or 9.
 * - +55 Brazil: a 2-digit area code without any 0 (11 to 99), then 8 digits starting
 *   with 2 to 5 (landline) or 9 digits starting with 9 (mobile). Written without country
 *   code, a trunk "0" before the area code is accepted ("0 11 91234-5678").
 * - any other country code: kept as "+" and its digits, 8 to 15 digits in all.
 *
 * What is not checked
 * ===================
 *
 * - That a document exists or belongs to anybody; only its shape and check character.
 *   Spanish DNI written without their leading zeros ("1234567L" for "01234567L") are not
 *   padded and do not validate. The alphanumeric CNPJ (announced for July 2026) is not
 *   supported. Portuguese NIF prefixes are not checked beyond the list above.
 * - Email: quoted local parts ("a b"@example.com), comments and IP address literals
 *   (user@[192.0.2.1]) are rejected though RFC 5322 allows them; nobody types them in a
 *   client form. Whether the domain exists or takes mail is not checked (that is I/O), nor
 *   whether the TLD exists, nor IDNA rules for non-ASCII labels.
 * - Phones: numbering plans beyond the first digit (Spain, Portugal), whether a Brazilian
 *   area code is in use, extensions ("ext. 12"), letters, a trunk "0" after "+55",
 *   Brazilian carrier-selection codes, and a country code written without "+" or "00"
 *   ("34600123456" is not a Spanish number for this function).
 */

typedef enum
{
  PUENTE_DOCUMENT_UNKNOWN,
  PUENTE_DOCUMENT_ES_NIF,
  PUENTE_DOCUMENT_ES_NIE,
  PUENTE_DOCUMENT_ES_CIF,
  PUENTE_DOCUMENT_PT_NIF,
  PUENTE_DOCUMENT_BR_CPF,
  PUENTE_DOCUMENT_BR_CNPJ,
} PuenteDocumentKind;

const char         *puente_document_kind_to_string (PuenteDocumentKind  kind);
char               *puente_document_normalise      (const char         *document);
PuenteDocumentKind  puente_document_classify       (const char         *document,
                                                    const char         *country_hint,
                                                    gboolean           *valid);
gboolean            puente_document_is_valid       (const char         *document,
                                                    const char         *country_hint);

gboolean            puente_email_is_valid          (const char         *email);

char               *puente_phone_normalise         (const char         *phone,
                                                    const char         *default_country);

char *puente_document_hash (const char *document);

G_END_DECLS
