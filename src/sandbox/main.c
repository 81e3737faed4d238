/* main.c: puente-sandbox, a local double of the CRM and of the management software,
 * served on loopback for the demo, the tests and the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "puente-i18n.h"

#include "sandbox-clientify.h"
#include "sandbox-clock.h"
#include "sandbox-giav.h"
#include "sandbox-ploomes.h"
#include "sandbox-server.h"
#include "sandbox-zappy.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GMainLoop *loop;
  pid_t      parent;
} ParentWatch;

/* The sandbox serves the program that started it (a test, the demo, a benchmark). When
 * that program ends without stopping it, a test that failed half-way for instance, the
 * sandbox ends too rather than being left behind, holding its output open. */
static gboolean
parent_gone_cb (gpointer user_data)
{
  ParentWatch *watch = user_data;

  if (getppid () == watch->parent)
    return G_SOURCE_CONTINUE;

  g_debug ("The program that started the sandbox has ended");
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
check_rate (const char  *option,
            double       rate,
            GError     **error)
{
  if (rate >= 0 && rate <= 1)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("The value of --%s must be a number from 0 to 1."), option);
  return FALSE;
}

static gboolean
check_range (const char  *option,
             gint64       value,
             gint64       maximum,
             GError     **error)
{
  g_autofree char *shown = NULL;

  if (value >= 0 && value <= maximum)
    return TRUE;

  shown = g_strdup_printf ("%" G_GINT64_FORMAT, maximum);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               /* Translators: the second %s is a number such as 65535 */
               _("The value of --%s must be a whole number from 0 to %s."), option, shown);
  return FALSE;
}

/* What the command line asks for */
typedef struct
{
  char    *crm_key;
  char    *giav_key;
  char    *giav_login_user;
  char    *ploomes_key;
  char    *zappy_hash;
  char    *state;
  gboolean version;
  gboolean no_custom_field_create;
  gboolean giav_dates_only;
  gboolean tls;
  gint64   crm_clock_offset;
  gint64   giav_clock_offset;
  int      port;
  gint64   seed;
  int      latency_ms;
  int      jitter_ms;
  int      rate_limit;
  double   fail_rate;
  double   drop_rate;
  double   malformed_rate;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->crm_key, g_free);
  g_clear_pointer (&options->giav_key, g_free);
  g_clear_pointer (&options->giav_login_user, g_free);
  g_clear_pointer (&options->ploomes_key, g_free);
  g_clear_pointer (&options->zappy_hash, g_free);
  g_clear_pointer (&options->state, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Fills @options from the command line. FALSE when the program ends here, with its exit
 * @status: 0 after --version, 2 after a wrong option (said on standard error). */
static gboolean
parse_options (Options   *options,
               int       *argc,
               char    ***argv,
               int       *status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &options->port,
      N_("Port on 127.0.0.1 to serve on; 0, the default, picks a free one"), N_("PORT") },
    { "crm-key", 0, 0, G_OPTION_ARG_STRING, &options->crm_key,
      N_("API key the CRM accepts (default: “sandbox”)"), N_("KEY") },
    { "giav-key", 0, 0, G_OPTION_ARG_STRING, &options->giav_key,
      N_("API key the management software (GIAV) accepts (default: “sandbox”)"), N_("KEY") },
    { "ploomes-key", 0, 0, G_OPTION_ARG_STRING, &options->ploomes_key,
      N_("API key the Ploomes CRM accepts (default: “sandbox”)"), N_("KEY") },
    { "zappy-hash", 0, 0, G_OPTION_ARG_STRING, &options->zappy_hash,
      N_("Private hash the Zappy stand-in accepts (default: “sandbox”)"), N_("HASH") },
    { "no-custom-field-create", 0, 0, G_OPTION_ARG_NONE, &options->no_custom_field_create,
      N_("Refuse to create custom fields through the API, as the real CRM may"), NULL },
    { "giav-dates-only", 0, 0, G_OPTION_ARG_NONE, &options->giav_dates_only,
      N_("Refuse a time of day in the date filters of GIAV searches, as a real GIAV may"), NULL },
    { "giav-basic-auth", 0, 0, G_OPTION_ARG_STRING, &options->giav_login_user,
      N_("Put a web server asking for this user (HTTP Basic) in front of GIAV; the password "
         "is $PUENTE_SANDBOX_GIAV_PASSWORD"), N_("USER") },
    { "crm-clock-offset", 0, 0, G_OPTION_ARG_INT64, &options->crm_clock_offset,
      N_("Run the CRM’s clock this many seconds ahead of this computer’s (behind when negative)"),
      N_("SECONDS") },
    { "giav-clock-offset", 0, 0, G_OPTION_ARG_INT64, &options->giav_clock_offset,
      N_("Run GIAV’s clock this many seconds ahead of this computer’s (behind when negative)"),
      N_("SECONDS") },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &options->tls,
      N_("Serve HTTPS, with a certificate made at start whose file is printed as “ca FILE”"),
      NULL },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &options->state,
      N_("Keep the data in FILE: load it at start if it exists, save it after every change"),
      N_("FILE") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options->seed,
      N_("Seed of every fault decision; the same seed gives the same faults (default: 1)"),
      N_("N") },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &options->latency_ms,
      N_("Delay every answer by this many milliseconds"), N_("MS") },
    { "jitter-ms", 0, 0, G_OPTION_ARG_INT, &options->jitter_ms,
      N_("Add a random delay of up to this many milliseconds"), N_("MS") },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &options->rate_limit,
      N_("Allow this many requests per second and answer the others “429 Too Many Requests”"),
      N_("N") },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &options->fail_rate,
      N_("Share of requests, from 0 to 1, answered with a server error and not carried out"),
      N_("RATE") },
    { "drop-rate", 0, 0, G_OPTION_ARG_DOUBLE, &options->drop_rate,
      N_("Share of requests, from 0 to 1, carried out but whose connection is cut in the "
         "middle of the answer"),
      N_("RATE") },
    { "malformed-rate", 0, 0, G_OPTION_ARG_DOUBLE, &options->malformed_rate,
      N_("Share of requests, from 0 to 1, carried out but answered with broken JSON or XML"),
      N_("RATE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Serves, on this computer only, a stand-in for the CRM and "
                                  "the management software with sample data, for trying "
                                  "Puente out and for its tests."));
  g_option_context_set_description (context,
                                    _("It prints the address of each stand-in on a line of "
                                      "its own, such as “crm http://127.0.0.1:PORT/v1/” and "
                                      "“giav http://127.0.0.1:PORT/webservices/api_2_05.asmx”, "
                                      "and serves until it is stopped or the program that "
                                      "started it ends. “GET /__sandbox/stats” "
                                      "counts the requests and “POST /__sandbox/reset” brings "
                                      "the sample data back."));

  if (!g_option_context_parse (context, argc, argv, &error) ||
      !check_range ("port", options->port, 65535, &error) ||
      !check_range ("seed", options->seed, G_MAXUINT32, &error) ||
      !check_range ("latency-ms", options->latency_ms, G_MAXINT, &error) ||
      !check_range ("jitter-ms", options->jitter_ms, G_MAXINT, &error) ||
      !check_range ("rate-limit", options->rate_limit, G_MAXINT, &error) ||
      !check_rate ("fail-rate", options->fail_rate, &error) ||
      !check_rate ("drop-rate", options->drop_rate, &error) ||
      !check_rate ("malformed-rate", options->malformed_rate, &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      *status = 2;
      return FALSE;
    }

  if (options->version)
    {
      g_print ("puente-sandbox %s\n", PACKAGE_VERSION);
      *status = 0;
      return FALSE;
    }

  if (options->crm_key != NULL && options->crm_key[0] == '\0')
    {
      g_printerr ("%s\n", _("The CRM key cannot be empty."));
      *status = 2;
      return FALSE;
    }

  if (options->giav_key != NULL && options->giav_key[0] == '\0')
    {
      g_printerr ("%s\n", _("The GIAV key cannot be empty."));
      *status = 2;
      return FALSE;
    }

  if (options->giav_login_user != NULL &&
      (options->giav_login_user[0] == '\0' || strchr (options->giav_login_user, ':') != NULL ||
       g_getenv ("PUENTE_SANDBOX_GIAV_PASSWORD") == NULL))
    {
      g_printerr ("%s\n", _("--giav-basic-auth takes a user without a colon, and its password "
                            "in $PUENTE_SANDBOX_GIAV_PASSWORD."));
      *status = 2;
      return FALSE;
    }

  if (options->ploomes_key != NULL && options->ploomes_key[0] == '\0')
    {
      g_printerr ("%s\n", _("The Ploomes key cannot be empty."));
      *status = 2;
      return FALSE;
    }

  if (options->zappy_hash != NULL && options->zappy_hash[0] == '\0')
    {
      g_printerr ("%s\n", _("The Zappy private hash cannot be empty."));
      *status = 2;
      return FALSE;
    }

  return TRUE;
}

/* The doubles the server serves */
typedef struct
{
  SandboxClientify *clientify;
  SandboxGiav      *giav;
  SandboxPloomes   *ploomes;
  SandboxZappy     *zappy;
} Doubles;

static void
doubles_clear (Doubles *doubles)
{
  g_clear_pointer (&doubles->clientify, sandbox_clientify_free);
  g_clear_pointer (&doubles->giav, sandbox_giav_free);
  g_clear_pointer (&doubles->ploomes, sandbox_ploomes_free);
  g_clear_pointer (&doubles->zappy, sandbox_zappy_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Doubles, doubles_clear)

/* Makes each double as @options say and adds it to @server */
static gboolean
add_doubles (SandboxServer  *server,
             const Options  *options,
             Doubles        *doubles,
             GError        **error)
{
  doubles->clientify = sandbox_clientify_new (options->crm_key != NULL ? options->crm_key : "sandbox",
                                              !options->no_custom_field_create);
  if (!sandbox_server_add_service (server, sandbox_clientify_get_service (doubles->clientify), error))
    return FALSE;

  doubles->giav = sandbox_giav_new (options->giav_key != NULL ? options->giav_key : "sandbox");
  sandbox_giav_set_dates_only (doubles->giav, options->giav_dates_only);
  if (options->giav_login_user != NULL)
    sandbox_giav_set_login (doubles->giav, options->giav_login_user,
                            g_getenv ("PUENTE_SANDBOX_GIAV_PASSWORD"));
  sandbox_clock_set_offset ("crm", options->crm_clock_offset);
  sandbox_clock_set_offset ("giav", options->giav_clock_offset);
  if (!sandbox_server_add_service (server, sandbox_giav_get_service (doubles->giav), error))
    return FALSE;

  doubles->ploomes = sandbox_ploomes_new (options->ploomes_key != NULL ? options->ploomes_key : "sandbox",
                                          !options->no_custom_field_create);
  if (!sandbox_server_add_service (server, sandbox_ploomes_get_service (doubles->ploomes), error))
    return FALSE;

  doubles->zappy = sandbox_zappy_new (options->zappy_hash != NULL ? options->zappy_hash : "sandbox");
  if (!sandbox_server_add_service (server, sandbox_zappy_get_service (doubles->zappy), error))
    return FALSE;

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { .seed = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SandboxServer) server = NULL;
  g_auto(Doubles) doubles = { NULL };
  g_autoptr(GMainLoop) loop = NULL;
  SandboxFaultsConfig faults;
  ParentWatch parent_watch;
  int status;

  puente_i18n_init ();
  /* Standard output carries only the addresses; the log goes to standard error */
  g_log_writer_default_set_use_stderr (TRUE);

  if (!parse_options (&options, &argc, &argv, &status))
    return status;

  faults = (SandboxFaultsConfig) {
    .seed = (guint32) options.seed,
    .latency_ms = options.latency_ms,
    .jitter_ms = options.jitter_ms,
    .rate_limit = options.rate_limit,
    .fail_rate = options.fail_rate,
    .drop_rate = options.drop_rate,
    .malformed_rate = options.malformed_rate,
  };

  server = sandbox_server_new (&faults, options.state);
  if (!add_doubles (server, &options, &doubles, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if ((options.tls && !sandbox_server_set_tls (server, &error)) ||
      !sandbox_server_listen (server, options.port, &error))
    {
      g_printerr (_("Could not serve on 127.0.0.1: %s\n"), error->message);
      return 1;
    }

  /* The key is never printed nor logged */
  if (options.crm_key != NULL)
    memset (options.crm_key, 0, strlen (options.crm_key));
  if (options.giav_key != NULL)
    memset (options.giav_key, 0, strlen (options.giav_key));
  if (options.ploomes_key != NULL)
    memset (options.ploomes_key, 0, strlen (options.ploomes_key));
  if (options.zappy_hash != NULL)
    memset (options.zappy_hash, 0, strlen (options.zappy_hash));

  sandbox_server_print_addresses (server);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  parent_watch.loop = loop;
  parent_watch.parent = getppid ();
  if (parent_watch.parent != 1)
    g_timeout_add_seconds (1, parent_gone_cb, &parent_watch);
  g_main_loop_run (loop);

  /* The server goes before the doubles it serves */
  g_clear_pointer (&server, sandbox_server_free);

  return 0;
}
