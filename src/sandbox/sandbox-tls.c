/* sandbox-tls.c: the certificate puente-sandbox serves HTTPS with (--tls).
 *
 * The real services answer over HTTPS only, so a benchmark or a test that wants their
 * connection setup and the client's certificate checks needs the sandbox to speak TLS too.
 * A certificate is made at start, with GnuTLS (the library glib-networking already uses;
 * a dependency of the sandbox only): a fresh P-256 key, self-signed, valid for a month,
 * for 127.0.0.1 and localhost. It is its own authority: the client trusts it by being
 * given this very certificate (PUENTE_TEST_CA_FILE, honoured for loopback hosts only; see
 * HACKING.md). The certificate alone, never the key, is written to ca.pem in a private
 * folder (0700) made for this run, removed when the sandbox ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "sandbox-tls.h"

#define VALID_DAYS 30

static gboolean
check (int      result,
       GError **error)
{
  if (result >= 0)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not make the certificate for --tls: %s"), gnutls_strerror (result));
  return FALSE;
}

/* Fills @crt as a self-signed server certificate for 127.0.0.1 and localhost */
static gboolean
describe (gnutls_x509_crt_t       crt,
          gnutls_x509_privkey_t   key,
          GError                **error)
{
  static const char name[] = "puente-sandbox";
  static const char host[] = "localhost";
  const unsigned char loopback[4] = { 127, 0, 0, 1 };
  unsigned char serial[16];
  time_t now = time (NULL);

  if (!check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), error))
    return FALSE;
  serial[0] &= 0x7f;  /* a positive number */

  return check (gnutls_x509_crt_set_version (crt, 3), error) &&
         check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), error) &&
         check (gnutls_x509_crt_set_activation_time (crt, now - 3600), error) &&
         check (gnutls_x509_crt_set_expiration_time (crt, now + VALID_DAYS * 86400), error) &&
         check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                               name, strlen (name)), error) &&
         check (gnutls_x509_crt_set_key (crt, key), error) &&
         check (gnutls_x509_crt_set_basic_constraints (crt, 1, 0), error) &&
         check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                    GNUTLS_KEY_KEY_CERT_SIGN), error) &&
         check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), error) &&
         check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, host,
                                                      strlen (host), GNUTLS_FSAN_APPEND), error) &&
         check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                      sizeof loopback, GNUTLS_FSAN_APPEND), error) &&
         check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), error);
}

/* The certificate and its key, PEM, one after the other */
static char *
make_pem (char   **certificate_pem,
          GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t crt_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  char *both = NULL;

  if (check (gnutls_x509_privkey_init (&key), error) &&
      check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                           GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
             error) &&
      check (gnutls_x509_crt_init (&crt), error) &&
      describe (crt, key, error) &&
      check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), error) &&
      check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                GNUTLS_PKCS_PLAIN, &key_pem), error))
    {
      *certificate_pem = g_strndup ((const char *) crt_pem.data, crt_pem.size);
      both = g_strdup_printf ("%s\n%.*s", *certificate_pem, (int) key_pem.size,
                              (const char *) key_pem.data);
    }

  if (key_pem.data != NULL)
    {
      memset (key_pem.data, 0, key_pem.size);
      gnutls_free (key_pem.data);
    }
  gnutls_free (crt_pem.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);

  return both;
}

/**
 * sandbox_tls_make_certificate:
 * @folder: (out): the private folder made for this run, to give sandbox_tls_remove()
 * @ca_path: (out): the certificate alone, PEM, for the clients to trust
 *
 * Returns: (transfer full): a new self-signed certificate with its key, or %NULL
 */
GTlsCertificate *
sandbox_tls_make_certificate (char   **folder,
                              char   **ca_path,
                              GError **error)
{
  g_autofree char *certificate_pem = NULL;
  g_autofree char *both = make_pem (&certificate_pem, error);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GTlsCertificate *certificate;

  if (both == NULL)
    return NULL;

  certificate = g_tls_certificate_new_from_pem (both, -1, error);
  memset (both, 0, strlen (both));
  if (certificate == NULL)
    return NULL;

  dir = g_dir_make_tmp ("puente-sandbox-XXXXXX", error);
  path = dir != NULL ? g_build_filename (dir, "ca.pem", NULL) : NULL;
  if (dir == NULL ||
      !g_file_set_contents_full (path, certificate_pem, -1, G_FILE_SET_CONTENTS_NONE, 0644, error))
    {
      sandbox_tls_remove (dir, path);
      g_object_unref (certificate);
      return NULL;
    }

  *folder = g_steal_pointer (&dir);
  *ca_path = g_steal_pointer (&path);
  return certificate;
}

/* Removes what sandbox_tls_make_certificate() wrote; NULLs are ignored */
void
sandbox_tls_remove (const char *folder,
                    const char *ca_path)
{
  if (ca_path != NULL)
    g_unlink (ca_path);
  if (folder != NULL)
    g_rmdir (folder);
}
