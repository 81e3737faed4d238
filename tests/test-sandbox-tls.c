/* test-sandbox-tls.c: `puente-sandbox --tls` serves HTTPS with a certificate made at start,
 * and the Clientify connector trusts it only through the test-only PUENTE_TEST_CA_FILE:
 * without it, the certificate checks of production stop it (issue 19).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "puente-clientify-crm-private.h"
#include "puente-core.h"
#include "puente-test.h"

#define KEY "sandbox"

/* One page of the CRM's contacts through the connector; NULL with @error */
static PuenteRecordPage *
list_contacts (PuenteTestSandbox  *sandbox,
               GError            **error)
{
  g_autoptr(PuenteClientifyCrm) crm = puente_clientify_crm_new (sandbox->crm_url, KEY, 0, error);
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  g_assert_nonnull (crm);
  puente_crm_list_async (PUENTE_CRM (crm), PUENTE_ENTITY_CONTACT, NULL, NULL, NULL,
                         puente_test_store_result, &pending);
  result = puente_test_wait_for_result (&pending);
  return puente_crm_list_finish (PUENTE_CRM (crm), result, error);
}

static void
test_trusted (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--tls", NULL);
  g_autoptr(PuenteRecordPage) page = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (sandbox->crm_url, "https://127.0.0.1:"));
  g_assert_nonnull (sandbox->ca_file);

  g_setenv ("PUENTE_TEST_CA_FILE", sandbox->ca_file, TRUE);
  page = list_contacts (sandbox, &error);
  g_unsetenv ("PUENTE_TEST_CA_FILE");

  g_assert_no_error (error);
  g_assert_cmpuint (page->records->len, >, 0);
  g_assert_cmpint (puente_test_sandbox_stat (sandbox, "handshakes"), ==, 1);
}

/* Without the test-only setting, the system's authorities: the sandbox's certificate is
 * refused, and nothing reaches the double */
static void
test_untrusted (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--tls", NULL);
  g_autoptr(PuenteRecordPage) page = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("PUENTE_TEST_CA_FILE");
  page = list_contacts (sandbox, &error);

  g_assert_null (page);
  g_assert_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "could not be verified"));
  g_assert_cmpint (puente_test_sandbox_stat (sandbox, "total"), ==, 0);
}

/* With --tls, plain HTTP on the same port gets no answer at all */
static void
test_no_plain_http (void)
{
  g_autoptr(PuenteTestSandbox) sandbox = puente_test_sandbox_start ("--tls", NULL);
  g_autofree char *url = g_strconcat ("http://", sandbox->crm_url + strlen ("https://"),
                                      "contacts/", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Token " KEY);
  body = soup_session_send_and_read (session, message, NULL, &error);

  g_assert_null (body);
  g_assert_nonnull (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 0);
  g_assert_cmpint (puente_test_sandbox_stat (sandbox, "total"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* Only loopback here: no proxy look-up */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  puente_test_init (&argc, &argv);

  g_test_add_func ("/sandbox-tls/trusted", test_trusted);
  g_test_add_func ("/sandbox-tls/untrusted", test_untrusted);
  g_test_add_func ("/sandbox-tls/no-plain-http", test_no_plain_http);

  return g_test_run ();
}
