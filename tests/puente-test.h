/* puente-test.h: helpers shared by the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <stdarg.h>

G_BEGIN_DECLS

/* How long a test waits for something before it fails; generous for slow CI machines. */
#define PUENTE_TEST_TIMEOUT_SECONDS 30

void          puente_test_init                 (int            *argc,
                                                char         ***argv);
void          puente_test_require_private_session (void);
GAsyncResult *puente_test_wait_for_result      (GAsyncResult  **result);
void          puente_test_store_result         (GObject        *object,
                                                GAsyncResult   *result,
                                                gpointer        user_data);
void          puente_test_wait_until           (gboolean      (*condition) (gpointer),
                                                gpointer        data);
void          puente_test_remove_folder        (const char     *folder);
void          puente_test_write_script         (const char     *path,
                                                const char     *body);
char         *puente_test_read_file            (const char     *dir,
                                                const char     *name);

/* A puente-sandbox process on loopback, started for one test. */
typedef struct
{
  GSubprocess *process;
  char        *crm_url;   /* "http://127.0.0.1:PORT/v1/" */
  char        *giav_url;  /* "http://127.0.0.1:PORT/webservices/api_2_05.asmx" */
  char        *ploomes_url;  /* "http://127.0.0.1:PORT/ploomes/" */
  char        *base_url;  /* "http://127.0.0.1:PORT/" (for /__sandbox/...) */
  char        *ca_file;   /* with --tls: the certificate to trust; NULL otherwise */
  gpointer     session;   /* one keep-alive SoupSession for the control calls */
} PuenteTestSandbox;

PuenteTestSandbox *puente_test_sandbox_start (const char        *first_arg,
                                              ...);
void               puente_test_sandbox_stop  (PuenteTestSandbox *sandbox);
guint              puente_test_sandbox_count (PuenteTestSandbox *sandbox,
                                              const char        *method,
                                              const char        *resource);
guint              puente_test_sandbox_max_in_flight (PuenteTestSandbox *sandbox);
guint              puente_test_sandbox_connections (PuenteTestSandbox *sandbox);
gint64             puente_test_sandbox_stat  (PuenteTestSandbox *sandbox,
                                              const char        *member);
void               puente_test_sandbox_reset (PuenteTestSandbox *sandbox);
guint              puente_test_sandbox_count_writes (PuenteTestSandbox *sandbox,
                                                     const char        *service);
void               puente_test_sandbox_post  (PuenteTestSandbox *sandbox,
                                              const char        *path);
void               puente_test_sandbox_revoke_key (PuenteTestSandbox *sandbox,
                                                   guint              after_writes);
void               puente_test_sandbox_add_field (PuenteTestSandbox *sandbox,
                                                  const char        *content_type,
                                                  const char        *name,
                                                  int                field_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PuenteTestSandbox, puente_test_sandbox_stop)

/* What a puente-sync command did. */
typedef struct
{
  int   status;  /* its exit status */
  char *out;
  char *err;
} PuenteTestResult;

void             puente_test_result_clear (PuenteTestResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PuenteTestResult, puente_test_result_clear)

PuenteTestResult puente_test_sync_tool    (const char       *data_dir,
                                           const char       *input,
                                           ...) G_GNUC_NULL_TERMINATED;
PuenteTestResult puente_test_sync_toolv   (const char       *data_dir,
                                           const char       *input,
                                           va_list           args);

void             puente_test_assert_each_client_once (PuenteTestSandbox *sandbox,
                                                      const char        *key,
                                                      const char        *id_field,
                                                      guint              expected);

G_END_DECLS
