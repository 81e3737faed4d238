/* puente-wizard.c
 *
 * The setup (design.md, "Wizard"): welcome, management software, CRM, preparing the CRM,
 * files to deals, a preview and the schedule. Each step that talks to a system follows the
 * gnome-online-accounts pattern: the Next button is sensitive once the input is complete
 * (READY), pressing it verifies with a spinner while the page is insensitive (BUSY), and a
 * failure shows the reason with "Try Again" (ERROR). Whatever is verified is kept at once
 * (keys in the keyring, the rest in the store as a draft connection with the step reached),
 * so closing the window halfway loses nothing: the next setup starts where this one ended.
 *
 * The work is asynchronous: network requests through the connectors' async calls, keyring
 * through libsecret's, and the store and the preview on worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-connection.h"
#include "puente-credentials.h"
#include "puente-crm-registry.h"
#include "puente-export-preview.h"
#include "puente-profile.h"
#include "puente-provision.h"
#include "puente-schedule.h"
#include "puente-setup.h"
#include "puente-source-registry.h"
#include "puente-sync-job.h"
#include "puente-wizard.h"

#define CONNECTION_ID       "default"
#define PREVIEW_ROWS        5
#define MAX_LISTED_SKIPS    50
/* Where the owner signs in to Clientify: its public site (the app's own address is not in
 * the API documentation). */

struct _PuenteWizard
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkButton          *cancel_button;
  GtkButton          *back_button;
  GtkButton          *next_button;
  GtkSpinner         *spinner;
  GtkStack           *stack;
  GtkCheckButton     *giav_check;
  GtkCheckButton     *gioweb_check;
  GtkCheckButton     *generic_check;
  AdwPreferencesGroup *giav_group;
  AdwEntryRow        *giav_url_row;
  AdwEntryRow        *giav_key_row;
  AdwActionRow       *giav_error_row;
  AdwActionRow       *export_file_row;
  AdwActionRow       *export_error_row;
  AdwPreferencesGroup *preview_rows_group;
  GtkGrid            *preview_grid;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *crm_group;
  AdwComboRow        *crm_kind_row;
  AdwEntryRow        *crm_key_row;
  AdwExpanderRow     *advanced_row;
  AdwEntryRow        *crm_url_row;
  AdwActionRow       *crm_error_row;
  AdwPreferencesGroup *zappy_group;
  AdwEntryRow        *zappy_source_row;
  AdwEntryRow        *zappy_segment_row;
  AdwEntryRow        *zappy_campaign_row;
  AdwPreferencesGroup *fields_group;
  GtkButton          *open_crm_button;
  AdwPreferencesGroup *deals_group;
  AdwPreferencesGroup *create_fields_group;
  AdwPreferencesGroup *manual_group;
  GtkLabel           *manual_steps_label;
  AdwPreferencesGroup *origin_group;
  AdwActionRow       *prepare_error_row;
  AdwComboRow        *pipeline_row;
  AdwPreferencesGroup *stages_group;
  AdwActionRow       *deals_error_row;
  AdwPreferencesGroup *preview_group;
  AdwPreferencesGroup *skipped_group;
  AdwActionRow       *preview_error_row;
  GtkCheckButton     *nightly_check;
  GtkCheckButton     *quarter_check;
  GtkCheckButton     *manual_check;
  GtkSpinButton      *hour_spin;
  GtkSpinButton      *minute_spin;
  AdwPreferencesGroup *chats_group;
  GtkSwitch          *chats_switch;
  AdwComboRow        *chats_behaviour_row;

  /* State */
  PuenteSetup        *setup;
  PuenteConnection   *connection;     /* the setup's draft */
  GPtrArray          *history;        /* page names before the current one */
  GCancellable       *cancellable;    /* the step's work; cancelled on leaving the page */
  gboolean            busy;
  GtkWidget          *focus_before_busy;  /* weak */
  gboolean            giav_key_saved;
  gboolean            crm_key_saved;
  PuenteSampleServer *sample;

  GFile              *export_file;
  PuenteExportPreview *mapping;
  GPtrArray          *column_rows;    /* AdwComboRow, one per column */
  GPtrArray          *checks;         /* PuenteFieldCheck */
  GPtrArray          *extra_rows;     /* rows added to groups, removed when rebuilt */
  GPtrArray          *pipelines;      /* PuenteCrmPipeline */
  GPtrArray          *stages;         /* PuenteSourceStage */
  GPtrArray          *stage_rows;     /* AdwComboRow, one per source stage */
  GPtrArray          *skips;          /* char *: "name — reason" */
  guint               n_skips;
  PuenteRunSummary    summary;
};

G_DEFINE_FINAL_TYPE (PuenteWizard, puente_wizard, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PAGE,
  PROP_BUSY,
  N_PROPS
};

enum {
  FINISHED,
  CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What a spreadsheet column can be read as, for the owner. */
static const struct {
  const char *field;
  const char *label;
} column_targets[] = {
  { PUENTE_FIELD_SOURCE_ID, N_("Client number") },
  { PUENTE_FIELD_FULL_NAME, N_("Full name") },
  { PUENTE_FIELD_FIRST_NAME, N_("First name") },
  { PUENTE_FIELD_LAST_NAME, N_("Last name") },
  { PUENTE_FIELD_COMPANY_NAME, N_("Company") },
  { PUENTE_FIELD_DOCUMENT, N_("NIF, CIF or other tax number") },
  { PUENTE_FIELD_EMAIL, N_("Email") },
  { PUENTE_FIELD_MOBILE, N_("Mobile phone") },
  { PUENTE_FIELD_PHONE, N_("Phone") },
  { PUENTE_FIELD_BIRTHDAY, N_("Birthday") },
  { PUENTE_FIELD_STREET, N_("Address") },
  { PUENTE_FIELD_CITY, N_("City") },
  { PUENTE_FIELD_POSTAL_CODE, N_("Postal code") },
  { PUENTE_FIELD_PROVINCE, N_("Province or state") },
  { PUENTE_FIELD_COUNTRY, N_("Country") },
  { PUENTE_FIELD_CLIENT_TYPE, N_("Client type") },
  { PUENTE_FIELD_GDPR_ACCEPT, N_("GDPR acceptance") },
  { PUENTE_FIELD_GDPR_DATE, N_("GDPR acceptance date") },
  { PUENTE_FIELD_CREATED, N_("Date of creation") },
};

static void set_page (PuenteWizard *self, const char *name, gboolean forward);
static void update_buttons (PuenteWizard *self);
static void crm_kind_changed_cb (PuenteWizard *self);

/* ---- small helpers ---------------------------------------------------------------------- */

static const PuenteProfile *
current_profile (PuenteWizard *self)
{
  return puente_profile_lookup (self->connection->profile);
}

static void
set_busy (PuenteWizard *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);

  puente_set_sensitive_keeping_focus (GTK_WIDGET (self->stack), !busy, &self->focus_before_busy);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static GCancellable *
restart_cancellable (PuenteWizard *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  return self->cancellable;
}

/* Error rows sit in a group of their own (shown with them), except the export's. */
static void
show_error (AdwActionRow *row,
            const GError *error)
{
  GtkWidget *group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  gboolean own_group = adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group))[0] == '\0';

  if (error != NULL)
    adw_action_row_set_subtitle (row, error->message);
  gtk_widget_set_visible (GTK_WIDGET (row), error != NULL);
  if (own_group)
    gtk_widget_set_visible (group, error != NULL);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
remove_extra_rows (PuenteWizard        *self,
                   AdwPreferencesGroup *group)
{
  for (guint i = self->extra_rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (self->extra_rows, i - 1);

      if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) == GTK_WIDGET (group))
        {
          adw_preferences_group_remove (group, row);
          g_ptr_array_remove_index (self->extra_rows, i - 1);
        }
    }
}

static void
add_extra_row (PuenteWizard        *self,
               AdwPreferencesGroup *group,
               GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->extra_rows, row);
}

static const char *
entry_text (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static gboolean
is_loopback_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return host != NULL && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "localhost") ||
                          g_str_equal (host, "::1") || g_str_equal (host, "[::1]"));
}

/* ---- saving the draft ------------------------------------------------------------------- */

/* Saves the draft as it is now, with @step reached, on a worker thread. */
static void
save_connection_async (PuenteWizard        *self,
                       const char          *step,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  puente_setup_save_async (self->setup, step, self->cancellable, callback, user_data);
}

/* After a step's save: on to @next_page, or the error on @error_row. */
typedef struct
{
  PuenteWizard *self;
  AdwActionRow *error_row;
  char         *next_page;
} StepData;

static void
step_data_free (StepData *data)
{
  g_object_unref (data->self);
  g_free (data->next_page);
  g_free (data);
}

static StepData *
step_data_new (PuenteWizard *self,
               AdwActionRow *error_row,
               const char   *next_page)
{
  StepData *data = g_new0 (StepData, 1);

  data->self = g_object_ref (self);
  data->error_row = error_row;
  data->next_page = g_strdup (next_page);

  return data;
}

static void
step_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StepData *data = user_data;
  PuenteWizard *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!puente_setup_save_finish (PUENTE_SETUP (object), result, &error))
    {
      if (!is_cancelled (error))
        {
          g_warning ("Could not save the connection: %s", error->message);
          set_busy (self, FALSE);
          show_error (data->error_row, error);
        }
      step_data_free (data);
      return;
    }

  set_busy (self, FALSE);
  set_page (self, data->next_page, TRUE);
  step_data_free (data);
}

/* ---- the two key steps (GIAV, Clientify) ------------------------------------------------ *
 *
 * Next verifies the key typed (or the one saved in the keyring when the field is left
 * empty on a resumed setup); a verified key typed now goes to the keyring and leaves the
 * field; then the draft is saved and the next page shown. */

static void verify_giav_with_key (PuenteWizard *self, const char *key);
static void verify_crm_with_key  (PuenteWizard *self, const char *key);

typedef struct
{
  AdwEntryRow  *key_row;
  gboolean     *key_saved;
  AdwActionRow *error_row;
  const char   *next_page;
  void        (*verify) (PuenteWizard *self, const char *key);
} KeyStep;

/* The step an asynchronous call belongs to. */
typedef struct
{
  PuenteWizard  *self;
  PuenteService  service;
} KeyCall;

static KeyCall *
key_call_new (PuenteWizard  *self,
              PuenteService  service)
{
  KeyCall *call = g_new0 (KeyCall, 1);

  call->self = g_object_ref (self);
  call->service = service;

  return call;
}

static void
key_call_free (KeyCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyCall, key_call_free)

/* After the CRM's fields are ready: its deals, where there are files and it has deals */
static const char *
page_after_prepare (PuenteWizard *self)
{
  gboolean deals = puente_setup_get_crm (self->setup) == NULL || puente_crm_can (puente_setup_get_crm (self->setup), PUENTE_CRM_HAS_DEALS);

  return current_profile (self)->has_files && deals ? "deals" : "preview";
}

/* After the CRM is connected: its fields, unless it has none Puente could prepare (Zappy) */
static const char *
page_after_crm (PuenteWizard *self)
{
  if (puente_setup_get_crm (self->setup) == NULL || puente_crm_can (puente_setup_get_crm (self->setup), PUENTE_CRM_HAS_FIELDS))
    return "prepare";

  return page_after_prepare (self);
}

static KeyStep
key_step (PuenteWizard  *self,
          PuenteService  service)
{
  if (service == PUENTE_SERVICE_SOURCE)
    return (KeyStep) { self->giav_key_row, &self->giav_key_saved, self->giav_error_row, "crm",
                       verify_giav_with_key };

  return (KeyStep) { self->crm_key_row, &self->crm_key_saved, self->crm_error_row,
                     page_after_crm (self), verify_crm_with_key };
}

/* A step's work failed: the reason on its page, with Try Again (a cancel says nothing). */
static void
step_failed (PuenteWizard *self,
             AdwActionRow *error_row,
             const GError *error)
{
  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  show_error (error_row, error);
}

static void
go_on_after_key (PuenteWizard  *self,
                 PuenteService  service)
{
  KeyStep step = key_step (self, service);

  save_connection_async (self, step.next_page, step_saved_cb,
                         step_data_new (self, step.error_row, step.next_page));
}

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  PuenteWizard *self = call->self;
  PuenteService service = call->service;
  g_autoptr(GError) error = NULL;
  KeyStep step = key_step (self, service);

  if (!puente_credentials_store_finish (result, &error))
    {
      step_failed (self, step.error_row, error);
      return;
    }

  *step.key_saved = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (step.key_row), "");
  go_on_after_key (self, service);
}

/* The key worked: keep it (unless it came from the keyring), then go on. */
static void
key_verified (PuenteWizard  *self,
              PuenteService  service)
{
  KeyStep step = key_step (self, service);
  const char *key = entry_text (step.key_row);

  if (*key == '\0')
    {
      go_on_after_key (self, service);
      return;
    }

  puente_credentials_store_async (CONNECTION_ID, service, key, self->cancellable, key_stored_cb,
                                  key_call_new (self, service));
}

static void
saved_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KeyCall) call = user_data;
  PuenteWizard *self = call->self;
  g_autoptr(GError) error = NULL;
  g_auto(PuenteSecret) key = puente_credentials_lookup_finish (result, &error);
  KeyStep step = key_step (self, call->service);

  if (key == NULL)
    {
      step_failed (self, step.error_row, error);
      return;
    }

  step.verify (self, key);
}

static void
key_step_next (PuenteWizard  *self,
               PuenteService  service)
{
  KeyStep step = key_step (self, service);

  show_error (step.error_row, NULL);
  set_busy (self, TRUE);
  restart_cancellable (self);

  if (*entry_text (step.key_row) == '\0' && *step.key_saved)
    puente_credentials_lookup_async (CONNECTION_ID, service, self->cancellable, saved_key_cb,
                                     key_call_new (self, service));
  else
    step.verify (self, entry_text (step.key_row));
}

/* ---- 1. welcome ------------------------------------------------------------------------- */

static void
connect_business_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);

  puente_connection_set_setting (self->connection, "sample-data", NULL);
  set_page (self, "software", TRUE);
}

static void
sample_started_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSampleServer) server = NULL;

  server = puente_sample_server_start_finish (result, &error);
  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  if (server == NULL)
    {
      AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                                             ADW_TYPE_TOAST_OVERLAY));

      if (overlay != NULL)
        adw_toast_overlay_add_toast (overlay, adw_toast_new (error->message));
      g_message ("%s", error->message);
      return;
    }

  g_set_object (&self->sample, server);

  /* The rest of the flow is the real one, filled in with the sandbox's details. */
  puente_connection_set_setting (self->connection, "sample-data", "true");
  gtk_check_button_set_active (self->giav_check, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->giav_url_row), puente_sample_server_get_giav_url (server));
  gtk_editable_set_text (GTK_EDITABLE (self->giav_key_row), PUENTE_SAMPLE_SERVER_KEY);
  gtk_editable_set_text (GTK_EDITABLE (self->crm_key_row), PUENTE_SAMPLE_SERVER_KEY);
  crm_kind_changed_cb (self);  /* the address of the chosen CRM's double */
  adw_expander_row_set_expanded (self->advanced_row, TRUE);

  set_page (self, "software", TRUE);
}

static void
try_sample_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  g_autofree char *dir = g_path_get_dirname (puente_setup_get_store_path (self->setup));
  g_autofree char *state = g_build_filename (dir, "sample-data.json", NULL);

  if (self->sample != NULL)
    {
      set_page (self, "software", TRUE);
      return;
    }

  g_mkdir_with_parents (dir, 0700);
  set_busy (self, TRUE);
  puente_sample_server_start_async (state, restart_cancellable (self), sample_started_cb,
                                    g_object_ref (self));
}

/* ---- 2. management software ------------------------------------------------------------- */

/* The rows of the management software page, one per profile (puente-profile.c) */
static const struct {
  size_t      check;  /* offset of the GtkCheckButton in PuenteWizard */
  const char *profile;
} profile_checks[] = {
  { G_STRUCT_OFFSET (PuenteWizard, giav_check), "giav" },
  { G_STRUCT_OFFSET (PuenteWizard, gioweb_check), "gioweb" },
  { G_STRUCT_OFFSET (PuenteWizard, generic_check), "generic" },
};

#define PROFILE_CHECK(self, i) (*(GtkCheckButton **) G_STRUCT_MEMBER_P ((self), profile_checks[i].check))

static void
software_next (PuenteWizard *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (profile_checks); i++)
    if (gtk_check_button_get_active (PROFILE_CHECK (self, i)))
      puente_setup_set_profile (self->setup, profile_checks[i].profile);
  set_page (self, puente_setup_source_needs_key (self->setup) ? "giav" : "export", TRUE);
}

/* ---- 2a. GIAV --------------------------------------------------------------------------- */

static void
giav_verified_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!puente_setup_verify_finish (PUENTE_SETUP (object), result, &error))
    {
      step_failed (self, self->giav_error_row, error);
      return;
    }

  g_free (self->connection->source_kind);
  self->connection->source_kind = g_strdup (current_profile (self)->source_kind);
  g_free (self->connection->source_location);
  self->connection->source_location = g_strdup (entry_text (self->giav_url_row));

  key_verified (self, PUENTE_SERVICE_SOURCE);
}

static void
verify_giav_with_key (PuenteWizard *self,
                      const char   *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteSource) giav = NULL;
  PuenteConnection trying = {
    .id = self->connection->id,
    .source_kind = (char *) current_profile (self)->source_kind,
    .source_location = (char *) entry_text (self->giav_url_row),
  };

  giav = puente_setup_open_source (&trying, key, self->cancellable, &error);
  if (giav == NULL)
    {
      step_failed (self, self->giav_error_row, error);
      return;
    }

  puente_setup_verify_async (self->setup, giav, self->cancellable, giav_verified_cb, g_object_ref (self));
}

/* ---- 2b. an export ---------------------------------------------------------------------- */

static char *
target_label (PuenteExportColumnUse  target,
              const char         *name)
{
  if (target == PUENTE_EXPORT_COLUMN_CUSTOM)
    /* Translators: a CRM custom field a spreadsheet column is sent to, e.g. cf_enviasms */
    return g_strdup_printf (_("Custom field %s"), name);

  for (guint i = 0; i < G_N_ELEMENTS (column_targets); i++)
    if (g_strcmp0 (column_targets[i].field, name) == 0)
      return g_strdup (_(column_targets[i].label));

  return g_strdup (name);
}

/* Row model positions: 0 "Leave out", then column_targets, then the profile's custom fields. */
static GtkStringList *
targets_model (PuenteWizard *self)
{
  const PuenteProfile *profile = current_profile (self);
  GtkStringList *model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, _("Leave out"));
  for (guint i = 0; i < G_N_ELEMENTS (column_targets); i++)
    gtk_string_list_append (model, _(column_targets[i].label));
  for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
    {
      g_autofree char *label = target_label (PUENTE_EXPORT_COLUMN_CUSTOM, profile->fields[i].name);

      if (profile->fields[i].entity == PUENTE_ENTITY_CONTACT &&
          g_strcmp0 (profile->fields[i].name, profile->client_id_field) != 0)
        gtk_string_list_append (model, label);
    }

  return model;
}

static guint
target_position (PuenteWizard       *self,
                 PuenteExportColumnUse  target,
                 const char         *name)
{
  const PuenteProfile *profile = current_profile (self);
  guint position = 1 + G_N_ELEMENTS (column_targets);

  if (target == PUENTE_EXPORT_COLUMN_FIELD)
    for (guint i = 0; i < G_N_ELEMENTS (column_targets); i++)
      if (g_strcmp0 (column_targets[i].field, name) == 0)
        return i + 1;

  if (target == PUENTE_EXPORT_COLUMN_CUSTOM)
    for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
      if (profile->fields[i].entity == PUENTE_ENTITY_CONTACT &&
          g_strcmp0 (profile->fields[i].name, profile->client_id_field) != 0)
        {
          if (g_strcmp0 (profile->fields[i].name, name) == 0)
            return position;
          position++;
        }

  return 0;
}

static void
target_at (PuenteWizard        *self,
           guint                position,
           PuenteExportColumnUse  *target,
           const char         **name)
{
  const PuenteProfile *profile = current_profile (self);
  guint custom = 1 + G_N_ELEMENTS (column_targets);

  *target = PUENTE_EXPORT_COLUMN_IGNORE;
  *name = NULL;
  if (position == 0)
    return;
  if (position <= G_N_ELEMENTS (column_targets))
    {
      *target = PUENTE_EXPORT_COLUMN_FIELD;
      *name = column_targets[position - 1].field;
      return;
    }
  for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
    if (profile->fields[i].entity == PUENTE_ENTITY_CONTACT &&
        g_strcmp0 (profile->fields[i].name, profile->client_id_field) != 0)
      {
        if (custom++ == position)
          {
            *target = PUENTE_EXPORT_COLUMN_CUSTOM;
            *name = profile->fields[i].name;
            return;
          }
      }
}

static void
check_mapping (PuenteWizard *self)
{
  g_autoptr(GError) error = NULL;

  if (self->mapping != NULL && !puente_export_preview_check (self->mapping, &error))
    {
      adw_action_row_set_subtitle (self->export_error_row, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->export_error_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->export_error_row), FALSE);

  update_buttons (self);
}

static void
column_selected_cb (AdwComboRow  *row,
                    GParamSpec   *pspec,
                    PuenteWizard *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  PuenteExportColumnUse target;
  const char *name;

  target_at (self, adw_combo_row_get_selected (row), &target, &name);
  puente_export_preview_set_use (self->mapping, column, target, name);
  check_mapping (self);
}

static void
show_spreadsheet_preview (PuenteWizard        *self,
                          PuenteExportPreview *preview)
{
  GtkWidget *child;
  const char * const *headers = puente_export_preview_get_headers (preview);
  guint n_columns = g_strv_length ((char **) headers);
  guint n_rows = puente_export_preview_get_n_rows (preview);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);
  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, i));
  g_ptr_array_set_size (self->column_rows, 0);

  g_set_object (&self->mapping, preview);

  for (guint column = 0; column < n_columns; column++)
    {
      GtkWidget *header = gtk_label_new (headers[column]);

      gtk_widget_add_css_class (header, "heading");
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_grid_attach (self->preview_grid, header, column, 0, 1, 1);

      for (guint row = 0; row < n_rows && row < PREVIEW_ROWS; row++)
        {
          const char * const *cells = puente_export_preview_get_row (preview, row);
          const char *text = column < g_strv_length ((char **) cells) ? cells[column] : "";
          GtkWidget *cell = gtk_label_new (text);

          gtk_label_set_xalign (GTK_LABEL (cell), 0);
          gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (cell), 24);
          gtk_grid_attach (self->preview_grid, cell, column, row + 1, 1, 1);
        }
    }

  for (guint column = 0; column < puente_export_preview_get_n_columns (self->mapping); column++)
    {
      g_autoptr(GtkStringList) model = targets_model (self);
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      PuenteExportColumnUse target;
      const char *name = NULL;
      const char *example = NULL;

      for (guint i = 0; i < n_rows && example == NULL; i++)
        {
          const char * const *cells = puente_export_preview_get_row (preview, i);

          if (column < g_strv_length ((char **) cells) && *cells[column] != '\0')
            example = cells[column];
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     puente_export_preview_get_header (self->mapping, column));
      if (example != NULL)
        {
          /* Translators: an example value from a spreadsheet column */
          g_autofree char *subtitle = g_strdup_printf (_("For example: %s"), example);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      adw_combo_row_set_model (row, G_LIST_MODEL (model));
      target = puente_export_preview_get_use (self->mapping, column, &name);
      adw_combo_row_set_selected (row, target_position (self, target, name));
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (column));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (column_selected_cb), self, 0);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      g_ptr_array_add (self->column_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->preview_rows_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), TRUE);
  check_mapping (self);
}

static void
preview_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteExportPreview) preview = NULL;
  g_autofree char *name = NULL;

  preview = puente_export_preview_read_finish (result, &error);
  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  if (preview == NULL)
    {
      g_clear_object (&self->mapping);
      gtk_widget_set_visible (GTK_WIDGET (self->preview_rows_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->columns_group), FALSE);
      show_error (self->export_error_row, error);
      update_buttons (self);
      return;
    }

  name = g_file_get_parse_name (self->export_file);
  adw_action_row_set_subtitle (self->export_file_row, name);
  show_spreadsheet_preview (self, preview);
}

static void
load_export (PuenteWizard *self,
             GFile        *file)
{
  g_set_object (&self->export_file, file);
  show_error (self->export_error_row, NULL);
  set_busy (self, TRUE);
  puente_export_preview_read_async (file, PREVIEW_ROWS * 4, current_profile (self),
                                    restart_cancellable (self), preview_ready_cb, g_object_ref (self));
}

/**
 * puente_wizard_open_export:
 * @file: the export, as chosen, dropped on the page, or given by a test
 *
 * On the export page, reads @file's first rows and guesses its columns.
 */
void
puente_wizard_open_export (PuenteWizard *self,
                           GFile        *file)
{
  g_return_if_fail (PUENTE_IS_WIZARD (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!g_str_equal (puente_wizard_get_page (self), "export") || self->busy)
    return;

  load_export (self, file);
}

static gboolean
export_dropped_cb (GtkDropTarget *target,
                   const GValue  *value,
                   double         x,
                   double         y,
                   PuenteWizard  *self)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL || !g_str_equal (puente_wizard_get_page (self), "export") || self->busy)
    return FALSE;

  load_export (self, file);
  return TRUE;
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                PuenteWizard    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      load_export (self, file);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Choose Your Client Export"), GTK_WINDOW (root),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Spreadsheets (CSV, Excel)"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_pattern (filter, "*.xlsx");
  gtk_file_filter_add_pattern (filter, "*.XLSX");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_next (PuenteWizard *self)
{
  g_free (self->connection->source_kind);
  self->connection->source_kind = g_strdup (current_profile (self)->source_kind);
  g_free (self->connection->source_location);
  self->connection->source_location = g_file_get_path (self->export_file);

  /* The owner's corrections, by header: the export's columns may move between exports. */
  puente_setup_remove_settings (self->connection, PUENTE_SETTING_COLUMN_PREFIX);
  for (guint column = 0; column < puente_export_preview_get_n_columns (self->mapping); column++)
    {
      g_autofree char *key = g_strconcat (PUENTE_SETTING_COLUMN_PREFIX,
                                          puente_export_preview_get_header (self->mapping, column), NULL);
      g_autofree char *value = puente_export_preview_use_to_setting (self->mapping, column);

      puente_connection_set_setting (self->connection, key, value);
    }

  set_busy (self, TRUE);
  save_connection_async (self, "crm", step_saved_cb, step_data_new (self, self->export_error_row, "crm"));
}

/* ---- 3. the CRM ------------------------------------------------------------------------- */

/* The CRMs Puente works with (puente-crm-registry.c), in the order of the chooser
 * (puente-wizard.ui) */
typedef PuenteCrmKind CrmKind;

/* Zappy's lead details, as connection settings (puente-store.h) */
static const struct {
  size_t      row;  /* offset of the AdwEntryRow in PuenteWizard */
  const char *setting;
} zappy_rows[] = {
  { G_STRUCT_OFFSET (PuenteWizard, zappy_source_row), PUENTE_SETTING_ZAPPY_SOURCE },
  { G_STRUCT_OFFSET (PuenteWizard, zappy_segment_row), PUENTE_SETTING_ZAPPY_SEGMENT },
  { G_STRUCT_OFFSET (PuenteWizard, zappy_campaign_row), PUENTE_SETTING_ZAPPY_CAMPAIGN },
};

#define ZAPPY_ROW(self, i) (*(AdwEntryRow **) G_STRUCT_MEMBER_P ((self), zappy_rows[i].row))

static const CrmKind *
crm_kind (PuenteWizard *self)
{
  guint selected = adw_combo_row_get_selected (self->crm_kind_row);

  guint n_kinds;
  const CrmKind *kinds = puente_crm_kinds (&n_kinds);

  return &kinds[selected < n_kinds ? selected : 0];
}

static guint
crm_kind_position (const char *id)
{
  guint n_kinds;
  const CrmKind *kinds = puente_crm_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    if (g_strcmp0 (kinds[i].id, id) == 0)
      return i;

  return 0;
}

static const char *
crm_url (PuenteWizard *self)
{
  const char *url = entry_text (self->crm_url_row);

  return *url != '\0' ? url : crm_kind (self)->default_url;
}

/* Another CRM chosen: its words, its address, and a key to type again */
static void
crm_kind_changed_cb (PuenteWizard *self)
{
  const CrmKind *kind = crm_kind (self);
  g_autofree char *title = g_strdup_printf (_("Connect to %s"), kind->name);
  GtkStackPage *page = gtk_stack_get_page (self->stack, gtk_stack_get_child_by_name (self->stack, "crm"));
  const char *url = entry_text (self->crm_url_row);
  gboolean zappy = kind->lead_details;  /* a CRM that takes the owner's lead details */

  adw_preferences_group_set_title (self->crm_group, title);
  adw_preferences_group_set_description (self->crm_group, _(kind->key_help));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crm_key_row), _(kind->key_title));
  gtk_stack_page_set_title (page, kind->name);
  if (g_str_equal (puente_wizard_get_page (self), "crm"))
    adw_window_title_set_title (self->window_title, kind->name);
  gtk_widget_set_visible (GTK_WIDGET (self->zappy_group), zappy);

  /* The later pages name it too */
  {
    GtkStackPage *prepare = gtk_stack_get_page (self->stack, gtk_stack_get_child_by_name (self->stack, "prepare"));
    g_autofree char *prepare_title = g_strdup_printf (_("Prepare %s"), kind->name);
    g_autofree char *fields = g_strdup_printf (_("%s needs these fields to hold what Puente sends."), kind->name);
    g_autofree char *manual = g_strdup_printf (_("%s did not let Puente create some fields. Create them "
                                                 "in %s as shown, with exactly these names and types, "
                                                 "then check again."), kind->name, kind->name);
    g_autofree char *open = g_strdup_printf (_("_Open %s"), kind->name);
    g_autofree char *check = g_strdup_printf (_("Puente Could Not Check %s"), kind->name);
    g_autofree char *deals = g_strdup_printf (_("Each GIAV file becomes a deal in %s. Choose the "
                                                "pipeline they go to."), kind->name);

    gtk_stack_page_set_title (prepare, prepare_title);
    adw_preferences_group_set_description (self->fields_group, fields);
    adw_preferences_group_set_description (self->manual_group, manual);
    gtk_button_set_label (self->open_crm_button, open);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->prepare_error_row), check);
    adw_preferences_group_set_description (self->deals_group, deals);
  }

  /* A key saved for one CRM is not the other's. */
  if (g_strcmp0 (self->connection->crm, kind->id) != 0)
    self->crm_key_saved = FALSE;

  /* The sample data has a double of each; otherwise an address typed under Advanced stays. */
  if (self->sample != NULL)
    {
      g_autofree char *sample_url = puente_sample_server_get_crm_url_for (self->sample, kind->id);

      gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), sample_url);
    }
  else
    {
      guint n_kinds;
      const CrmKind *kinds = puente_crm_kinds (&n_kinds);

      for (guint i = 0; i < n_kinds; i++)
        if (*url == '\0' || g_str_equal (url, kinds[i].default_url))
          {
            gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), kind->default_url);
            break;
          }
    }

  update_buttons (self);
}

static void
crm_verified_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  const CrmKind *kind = crm_kind (self);

  if (!puente_setup_verify_finish (PUENTE_SETUP (object), result, &error))
    {
      step_failed (self, self->crm_error_row, error);
      return;
    }

  g_free (self->connection->crm);
  self->connection->crm = g_strdup (kind->id);
  g_free (self->connection->crm_url);
  self->connection->crm_url = g_str_equal (crm_url (self), kind->default_url)
                              ? NULL : g_strdup (crm_url (self));
  for (guint i = 0; i < G_N_ELEMENTS (zappy_rows); i++)
    {
      const char *text = kind->lead_details ? entry_text (ZAPPY_ROW (self, i)) : "";

      puente_connection_set_setting (self->connection, zappy_rows[i].setting,
                                     *text != '\0' ? text : NULL);
    }

  key_verified (self, PUENTE_SERVICE_CRM);
}

static void
verify_crm_with_key (PuenteWizard *self,
                     const char   *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteCrm) crm = NULL;
  const char *url = crm_url (self);
  PuenteConnection trying = { .crm = (char *) crm_kind (self)->id, .crm_url = (char *) url };

  if (g_str_has_prefix (url, "http://") && !is_loopback_url (url))
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The API address must start with https://, so that your key "
                             "and your clients’ data travel encrypted. Correct it under "
                             "Advanced."));
      step_failed (self, self->crm_error_row, error);
      return;
    }

  crm = puente_setup_open_crm (&trying, key, &error);
  if (crm == NULL)
    {
      step_failed (self, self->crm_error_row, error);
      return;
    }

  puente_setup_verify_async (self->setup, crm, self->cancellable, crm_verified_cb, g_object_ref (self));
}

/* ---- 4. preparing the CRM --------------------------------------------------------------- */

static const char *
field_state_sentence (const PuenteFieldCheck *check)
{
  switch (check->state)
    {
    case PUENTE_FIELD_STATE_PRESENT:
      return _("Present");
    case PUENTE_FIELD_STATE_CREATED:
      return _("Created by Puente");
    case PUENTE_FIELD_STATE_MISSING:
      return _("Missing");
    case PUENTE_FIELD_STATE_WRONG_TYPE:
      return _("A field with this name has another type");
    case PUENTE_FIELD_STATE_MANUAL:
      return _("Missing: create it by hand");
    default:
      return "";
    }
}

static gboolean
field_is_ready (const PuenteFieldCheck *check)
{
  return check->state == PUENTE_FIELD_STATE_PRESENT || check->state == PUENTE_FIELD_STATE_CREATED;
}

static gboolean
all_fields_ready (PuenteWizard *self)
{
  if (self->checks == NULL)
    return FALSE;

  for (guint i = 0; i < self->checks->len; i++)
    if (!field_is_ready (g_ptr_array_index (self->checks, i)))
      return FALSE;

  return TRUE;
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "text");
  AdwToastOverlay *overlay;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
  overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_TOAST_OVERLAY));
  if (overlay != NULL)
    {
      /* Translators: shown after copying a field name or type, e.g. “gesintur_id” */
      g_autofree char *title = g_strdup_printf (_("“%s” copied"), text);

      adw_toast_overlay_add_toast (overlay, adw_toast_new (title));
    }
}

static GtkWidget *
copy_button_new (const char *text,
                 const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "text", g_strdup (text), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), NULL);

  return button;
}

static void
show_checks (PuenteWizard *self)
{
  const PuenteProfile *profile = current_profile (self);
  const char *crm_name = puente_setup_get_crm (self->setup) != NULL ? puente_crm_get_name (puente_setup_get_crm (self->setup)) : "Clientify";
  g_autoptr(GString) steps = g_string_new (NULL);
  gboolean any_missing = FALSE;
  gboolean any_manual = FALSE;

  remove_extra_rows (self, self->fields_group);
  remove_extra_rows (self, self->origin_group);

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    {
      PuenteFieldCheck *check = g_ptr_array_index (self->checks, i);
      const char *type = puente_field_type_to_label (check->field->type);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      g_autofree char *subtitle = NULL;

      if (check->state == PUENTE_FIELD_STATE_WRONG_TYPE && check->crm_type_label != NULL)
        /* Translators: entity · what the field is for — state: type it has, type it needs */
        subtitle = g_strdup_printf (_("%s · %s — %s: it is “%s” and must be “%s”"),
                                    puente_entity_to_label (check->field->entity),
                                    puente_profile_field_purpose (check->field),
                                    field_state_sentence (check), check->crm_type_label, type);
      else
        /* Translators: entity · type · what the field is for — state */
        subtitle = g_strdup_printf (_("%s · %s · %s — %s"),
                                    puente_entity_to_label (check->field->entity), type,
                                    puente_profile_field_purpose (check->field),
                                    field_state_sentence (check));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->field->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      icon = gtk_image_new_from_icon_name (field_is_ready (check) ? "emblem-ok-symbolic"
                                                                  : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, field_is_ready (check) ? "success" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      field_state_sentence (check), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      if (!field_is_ready (check))
        {
          /* Translators: a tooltip; %s is a field's name, e.g. gesintur_id */
          g_autofree char *copy_name = g_strdup_printf (_("Copy the name “%s”"), check->field->name);
          /* Translators: a tooltip; %s is a field's type, e.g. Text */
          g_autofree char *copy_type = g_strdup_printf (_("Copy the type “%s”"), type);

          adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (check->field->name, copy_name));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (type, copy_type));
          any_missing |= check->state == PUENTE_FIELD_STATE_MISSING;
        }
      if (check->state == PUENTE_FIELD_STATE_MANUAL || check->state == PUENTE_FIELD_STATE_WRONG_TYPE)
        {
          g_autofree char *text = puente_provision_field_steps (check->field, crm_name);

          any_manual = TRUE;
          g_string_append_printf (steps, "%s%s", steps->len > 0 ? "\n\n" : "", text);
        }
      add_extra_row (self, self->fields_group, row);
    }

  gtk_label_set_text (self->manual_steps_label, steps->str);
  gtk_widget_set_visible (GTK_WIDGET (self->manual_group), any_manual);
  gtk_widget_set_visible (GTK_WIDGET (self->create_fields_group), any_missing);

  gtk_widget_set_visible (GTK_WIDGET (self->origin_group), profile != NULL && profile->origin != NULL);
  if (profile != NULL && profile->origin != NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *text = puente_provision_origin_steps (profile, crm_name);
      /* Translators: a tooltip; %s is a field's name, e.g. gesintur_id */
      g_autofree char *copy_name = g_strdup_printf (_("Copy the name “%s”"), profile->origin);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), profile->origin);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy_button_new (profile->origin, copy_name));
      g_autofree char *origins = g_strdup_printf (_("%s does not let Puente check or create "
                                                    "origins. If you have not created this one yet, "
                                                    "do it by hand; the sync works without it."),
                                                  crm_kind (self)->name);

      adw_preferences_group_set_description (self->origin_group, origins);
      add_extra_row (self, self->origin_group, row);
    }

  update_buttons (self);
}

static void
checks_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  gboolean created = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "puente-created"));

  checks = created ? puente_provision_create_missing_finish (result, &error)
                   : puente_provision_check_finish (result, &error);
  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  show_error (self->prepare_error_row, error);
  if (checks != NULL)
    {
      g_clear_pointer (&self->checks, g_ptr_array_unref);
      self->checks = g_steal_pointer (&checks);
    }
  show_checks (self);
}

static void
check_fields_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);

  if (puente_setup_get_crm (self->setup) == NULL)
    return;

  set_busy (self, TRUE);
  show_error (self->prepare_error_row, NULL);
  puente_provision_check_async (puente_setup_get_crm (self->setup), current_profile (self), restart_cancellable (self),
                                checks_ready_cb, g_object_ref (self));
}

static void
create_fields_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_object_set_data (G_OBJECT (result), "puente-created", GINT_TO_POINTER (TRUE));
  checks_ready_cb (object, result, user_data);
}

static void
create_fields_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);

  if (puente_setup_get_crm (self->setup) == NULL)
    return;

  set_busy (self, TRUE);
  show_error (self->prepare_error_row, NULL);
  puente_provision_create_missing_async (puente_setup_get_crm (self->setup), current_profile (self), restart_cancellable (self),
                                         create_fields_cb, g_object_ref (self));
}

static void
open_crm_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), crm_kind (PUENTE_WIZARD (widget))->web,
                GDK_CURRENT_TIME);
}

static void
prepare_next (PuenteWizard *self)
{
  const char *next = page_after_prepare (self);

  set_busy (self, TRUE);
  save_connection_async (self, next, step_saved_cb, step_data_new (self, self->prepare_error_row, next));
}

/* ---- 5. files to deals ------------------------------------------------------------------ */

static PuenteCrmPipeline *
selected_pipeline (PuenteWizard *self)
{
  guint position = adw_combo_row_get_selected (self->pipeline_row);

  if (self->pipelines == NULL || position >= self->pipelines->len)
    return NULL;

  return g_ptr_array_index (self->pipelines, position);
}

/* The stage a file stage goes to unless the owner says otherwise: the same name, else the
 * same place along the pipeline (a cancelled file goes to the last stage). */
static guint
guess_stage (const PuenteCrmPipeline *pipeline,
             const PuenteSourceStage *stage,
             guint                    index,
             guint                    n_stages)
{
  guint n = pipeline->stages->len;

  for (guint i = 0; i < n; i++)
    {
      PuenteCrmStage *crm_stage = g_ptr_array_index (pipeline->stages, i);

      if (g_utf8_collate (crm_stage->name, stage->name) == 0)
        return i;
    }

  if (stage->cancelled || n_stages <= 1)
    return stage->cancelled ? n - 1 : 0;

  return MIN (n - 1, index * n / n_stages);
}

static void
show_stage_rows (PuenteWizard *self)
{
  PuenteCrmPipeline *pipeline = selected_pipeline (self);

  for (guint i = 0; i < self->stage_rows->len; i++)
    adw_preferences_group_remove (self->stages_group, g_ptr_array_index (self->stage_rows, i));
  g_ptr_array_set_size (self->stage_rows, 0);

  if (pipeline == NULL || self->stages == NULL || pipeline->stages->len == 0)
    {
      update_buttons (self);
      return;
    }

  for (guint i = 0; i < self->stages->len; i++)
    {
      PuenteSourceStage *stage = g_ptr_array_index (self->stages, i);
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      g_autofree char *key = g_strconcat ("deals.stage.", stage->id, NULL);
      const char *saved = puente_connection_get_setting (self->connection, key);
      guint selected = guess_stage (pipeline, stage, i, self->stages->len);

      for (guint j = 0; j < pipeline->stages->len; j++)
        {
          PuenteCrmStage *crm_stage = g_ptr_array_index (pipeline->stages, j);

          gtk_string_list_append (model, crm_stage->name);
          if (g_strcmp0 (saved, crm_stage->id) == 0)
            selected = j;
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stage->name);
      adw_combo_row_set_model (row, G_LIST_MODEL (model));
      adw_combo_row_set_selected (row, selected);
      adw_preferences_group_add (self->stages_group, GTK_WIDGET (row));
      g_ptr_array_add (self->stage_rows, row);
    }

  update_buttons (self);
}

static void
pipeline_selected_cb (AdwComboRow  *row,
                      GParamSpec   *pspec,
                      PuenteWizard *self)
{
  show_stage_rows (self);
}

static void
stages_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stages = puente_source_list_stages_finish (PUENTE_SOURCE (object), result, &error);

  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  show_error (self->deals_error_row, error);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  self->stages = g_steal_pointer (&stages);
  show_stage_rows (self);
}

static void
pipelines_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pipelines = puente_crm_list_pipelines_finish (PUENTE_CRM (object), result, &error);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *saved = puente_connection_get_setting (self->connection, "deals.pipeline");
  guint selected = 0;

  if (is_cancelled (error))
    return;

  if (pipelines == NULL)
    {
      set_busy (self, FALSE);
      show_error (self->deals_error_row, error);
      return;
    }
  if (pipelines->len == 0)
    {
      g_autoptr(GError) none = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                            _("%s has no deal pipeline yet. Create one in %s, "
                                              "then try again."),
                                            crm_kind (self)->name, crm_kind (self)->name);
      set_busy (self, FALSE);
      show_error (self->deals_error_row, none);
      return;
    }

  for (guint i = 0; i < pipelines->len; i++)
    {
      PuenteCrmPipeline *pipeline = g_ptr_array_index (pipelines, i);

      gtk_string_list_append (model, pipeline->name);
      if (saved != NULL ? g_strcmp0 (saved, pipeline->id) == 0 : pipeline->is_default)
        selected = i;
    }

  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  self->pipelines = g_steal_pointer (&pipelines);
  g_signal_handlers_block_by_func (self->pipeline_row, pipeline_selected_cb, self);
  adw_combo_row_set_model (self->pipeline_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->pipeline_row, selected);
  g_signal_handlers_unblock_by_func (self->pipeline_row, pipeline_selected_cb, self);

  puente_source_list_stages_async (puente_setup_get_source (self->setup), self->cancellable, stages_ready_cb, g_object_ref (self));
}

static void
load_stages_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);

  if (puente_setup_get_crm (self->setup) == NULL || puente_setup_get_source (self->setup) == NULL)
    return;

  set_busy (self, TRUE);
  show_error (self->deals_error_row, NULL);
  puente_crm_list_pipelines_async (puente_setup_get_crm (self->setup), restart_cancellable (self), pipelines_ready_cb,
                                   g_object_ref (self));
}

static void
deals_next (PuenteWizard *self)
{
  PuenteCrmPipeline *pipeline = selected_pipeline (self);

  puente_setup_remove_settings (self->connection, "deals.");
  puente_connection_set_setting (self->connection, "deals.pipeline", pipeline->id);
  for (guint i = 0; i < self->stage_rows->len; i++)
    {
      PuenteSourceStage *stage = g_ptr_array_index (self->stages, i);
      guint position = adw_combo_row_get_selected (g_ptr_array_index (self->stage_rows, i));
      PuenteCrmStage *crm_stage = g_ptr_array_index (pipeline->stages, position);
      g_autofree char *key = g_strconcat ("deals.stage.", stage->id, NULL);

      puente_connection_set_setting (self->connection, key, crm_stage->id);
    }

  set_busy (self, TRUE);
  save_connection_async (self, "preview", step_saved_cb, step_data_new (self, self->deals_error_row, "preview"));
}

/* ---- 6. preview ------------------------------------------------------------------------- */

static void
add_count_row (PuenteWizard *self,
               PuenteEntity  entity)
{
  GtkWidget *row = adw_action_row_new ();
  const guint *counts = self->summary.counts[entity];
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *left_out = NULL;
  g_autofree char *subtitle = NULL;

  created = g_strdup_printf (g_dngettext (NULL, "%u to create", "%u to create",
                                          counts[PUENTE_OUTCOME_CREATED]),
                             counts[PUENTE_OUTCOME_CREATED]);
  updated = g_strdup_printf (g_dngettext (NULL, "%u to update", "%u to update",
                                          counts[PUENTE_OUTCOME_UPDATED]),
                             counts[PUENTE_OUTCOME_UPDATED]);
  left_out = g_strdup_printf (g_dngettext (NULL, "%u left out", "%u left out",
                                           counts[PUENTE_OUTCOME_SKIPPED] + counts[PUENTE_OUTCOME_CONFLICT]),
                              counts[PUENTE_OUTCOME_SKIPPED] + counts[PUENTE_OUTCOME_CONFLICT]);
  /* Translators: "12 to create, 3 to update, 2 left out" */
  subtitle = g_strdup_printf (_("%s, %s, %s"), created, updated, left_out);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), puente_entity_to_label (entity));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  add_extra_row (self, self->preview_group, row);
}

static void
preview_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!puente_sync_job_run_finish (PUENTE_SYNC_JOB (object), result, &self->summary, &error))
    {
      step_failed (self, self->preview_error_row, error);
      return;
    }

  set_busy (self, FALSE);
  remove_extra_rows (self, self->preview_group);
  remove_extra_rows (self, self->skipped_group);

  add_count_row (self, PUENTE_ENTITY_CONTACT);
  add_count_row (self, PUENTE_ENTITY_COMPANY);
  if (current_profile (self)->has_files)
    add_count_row (self, PUENTE_ENTITY_DEAL);

  for (guint i = 0; i < self->skips->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      char **parts = g_ptr_array_index (self->skips, i);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), parts[0]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), parts[1]);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      add_extra_row (self, self->skipped_group, row);
    }
  if (self->n_skips > self->skips->len)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (g_dngettext (NULL, "And %u more", "And %u more",
                                                             self->n_skips - self->skips->len),
                                                self->n_skips - self->skips->len);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("After the first sync, the dashboard lists all of them."));
      add_extra_row (self, self->skipped_group, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_group), self->n_skips > 0);
  update_buttons (self);
}

static void
preview_event_cb (PuenteSyncJob     *job,
                  const PuenteEvent *event,
                  PuenteWizard      *self)
{
  char **parts;

  if (event->outcome != PUENTE_OUTCOME_SKIPPED && event->outcome != PUENTE_OUTCOME_CONFLICT)
    return;

  self->n_skips++;
  if (self->skips->len >= MAX_LISTED_SKIPS)
    return;

  parts = g_new0 (char *, 3);
  parts[0] = g_strdup (event->display_name != NULL ? event->display_name : event->source_id);
  parts[1] = g_strdup (event->message);
  g_ptr_array_add (self->skips, parts);
}

static void
preview_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  g_autoptr(PuenteSyncJob) job = puente_sync_job_new (puente_setup_get_store_path (self->setup), CONNECTION_ID);

  g_ptr_array_set_size (self->skips, 0);
  self->n_skips = 0;
  memset (&self->summary, 0, sizeof self->summary);
  show_error (self->preview_error_row, NULL);
  remove_extra_rows (self, self->preview_group);

  set_busy (self, TRUE);
  puente_sync_job_set_dry_run (job, TRUE);
  g_signal_connect_object (job, "event", G_CALLBACK (preview_event_cb), self, 0);
  puente_sync_job_run_async (job, PUENTE_RUN_FULL, "manual", restart_cancellable (self),
                             preview_run_cb, g_object_ref (self));
}

/* ---- 7. schedule and the end ------------------------------------------------------------ */

static PuenteSchedule
chosen_schedule (PuenteWizard *self)
{
  PuenteSchedule schedule = PUENTE_SCHEDULE_DEFAULT;

  if (gtk_check_button_get_active (self->quarter_check))
    schedule.kind = PUENTE_SCHEDULE_EVERY_15_MINUTES;
  else if (gtk_check_button_get_active (self->manual_check))
    schedule.kind = PUENTE_SCHEDULE_MANUAL;
  else
    {
      schedule.hour = gtk_spin_button_get_value_as_int (self->hour_spin);
      schedule.minute = gtk_spin_button_get_value_as_int (self->minute_spin);
    }

  return schedule;
}

static void
schedule_installed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  set_busy (self, FALSE);
  if (!puente_schedule_install_finish (result, &error))
    {
      /* The connection is complete either way: the owner can sync by hand, and the
       * dashboard says why scheduled syncs do not happen. */
      g_warning ("The schedule was not installed: %s", error->message);
      g_signal_emit (self, signals[FINISHED], 0, error->message);
      return;
    }

  g_signal_emit (self, signals[FINISHED], 0, NULL);
}

static void
finished_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PuenteWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  PuenteSchedule schedule = chosen_schedule (self);
  g_autofree char *sync_path = NULL;

  if (!puente_setup_save_finish (PUENTE_SETUP (object), result, &error))
    {
      set_busy (self, FALSE);
      if (!is_cancelled (error))
        g_warning ("Could not save the connection: %s", error->message);
      return;
    }

  sync_path = g_find_program_in_path ("puente-sync");
  if (sync_path == NULL)
    sync_path = g_build_filename (BINDIR, "puente-sync", NULL);
  puente_schedule_install_async (&schedule, sync_path, NULL, self->cancellable,
                                 schedule_installed_cb, g_object_ref (self));
}

static void
schedule_next (PuenteWizard *self)
{
  PuenteSchedule schedule = chosen_schedule (self);
  g_autofree char *text = puente_schedule_to_string (&schedule);

  puente_connection_set_setting (self->connection, "schedule", text);
  /* Chats: the rows' order is PuenteJivochatBehaviour's (puente-wizard.ui) */
  puente_setup_set_chats (self->connection,
                          gtk_widget_get_visible (GTK_WIDGET (self->chats_group)) &&
                          gtk_switch_get_active (self->chats_switch),
                          adw_combo_row_get_selected (self->chats_behaviour_row));
  puente_connection_set_setting (self->connection, PUENTE_SETTING_SETUP_STEP, NULL);
  puente_connection_set_setting (self->connection, "setup.complete", "true");

  set_busy (self, TRUE);
  save_connection_async (self, NULL, finished_saved_cb, g_object_ref (self));
}

/* ---- navigation ------------------------------------------------------------------------- */

static gboolean
page_is_ready (PuenteWizard *self,
               const char   *page)
{
  if (g_str_equal (page, "software") || g_str_equal (page, "schedule"))
    return TRUE;
  if (g_str_equal (page, "giav"))
    return *entry_text (self->giav_url_row) != '\0' &&
           (*entry_text (self->giav_key_row) != '\0' || self->giav_key_saved);
  if (g_str_equal (page, "export"))
    return self->mapping != NULL && !gtk_widget_get_visible (GTK_WIDGET (self->export_error_row));
  if (g_str_equal (page, "crm"))
    return *entry_text (self->crm_key_row) != '\0' || self->crm_key_saved;
  if (g_str_equal (page, "prepare"))
    return all_fields_ready (self);
  if (g_str_equal (page, "deals"))
    return selected_pipeline (self) != NULL && self->stages != NULL &&
           self->stage_rows->len == self->stages->len;
  if (g_str_equal (page, "preview"))
    return !gtk_widget_get_visible (GTK_WIDGET (self->preview_error_row));

  return FALSE;
}

static void
update_buttons (PuenteWizard *self)
{
  const char *page = puente_wizard_get_page (self);
  gboolean welcome = g_str_equal (page, "welcome");

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !welcome);
  /* The last page has its own big button, which a narrow header could not hold. */
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !welcome && !g_str_equal (page, "schedule"));
  gtk_button_set_label (self->next_button,
                        g_str_equal (page, "giav") || g_str_equal (page, "crm") ? _("C_onnect")
                        : _("_Next"));
  /* GTK 4.8 would read the raw mnemonic: the child label names it (see puente-a11y.c). */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->next_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 !self->busy && !welcome && page_is_ready (self, page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", self->history->len > 0);
}

static void
set_page (PuenteWizard *self,
          const char   *name,
          gboolean      forward)
{
  const char *current = puente_wizard_get_page (self);
  GtkStackPage *page;

  /* The work of the page left is dropped; the new page's gets a fresh cancellable. */
  restart_cancellable (self);
  set_busy (self, FALSE);

  if (forward && !g_str_equal (current, name))
    g_ptr_array_add (self->history, g_strdup (current));

  gtk_stack_set_transition_type (self->stack, forward ? GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT
                                                      : GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT);
  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_title (self->window_title, gtk_stack_page_get_title (page));

  /* Chats need a CRM Puente can look clients up in, or each would make a new one. */
  if (g_str_equal (name, "schedule"))
    gtk_widget_set_visible (GTK_WIDGET (self->chats_group),
                            puente_setup_get_crm (self->setup) == NULL || puente_crm_can (puente_setup_get_crm (self->setup), PUENTE_CRM_CAN_FIND));

  /* Entering a page that reads from the systems starts its reading. */
  if (forward && g_str_equal (name, "prepare"))
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.check-fields", NULL);
  else if (forward && g_str_equal (name, "deals"))
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.load-stages", NULL);
  else if (forward && g_str_equal (name, "preview"))
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.preview", NULL);

  /* Typing can start at once where there is something to type (in a focused window: GTK
   * 4.8 warns when a text gets focus in one that is not). */
  if (!GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))) ||
      !gtk_window_is_active (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)))))
    ;
  else if (g_str_equal (name, "giav"))
    gtk_widget_grab_focus (*entry_text (self->giav_url_row) == '\0' ? GTK_WIDGET (self->giav_url_row)
                                                                      : GTK_WIDGET (self->giav_key_row));
  else if (g_str_equal (name, "crm") && !self->crm_key_saved)
    gtk_widget_grab_focus (GTK_WIDGET (self->crm_key_row));

  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  const char *page = puente_wizard_get_page (self);

  if (self->busy || !page_is_ready (self, page))
    return;

  if (g_str_equal (page, "software"))
    software_next (self);
  else if (g_str_equal (page, "giav"))
    key_step_next (self, PUENTE_SERVICE_SOURCE);
  else if (g_str_equal (page, "export"))
    export_next (self);
  else if (g_str_equal (page, "crm"))
    key_step_next (self, PUENTE_SERVICE_CRM);
  else if (g_str_equal (page, "prepare"))
    prepare_next (self);
  else if (g_str_equal (page, "deals"))
    deals_next (self);
  else if (g_str_equal (page, "preview"))
    set_page (self, "schedule", TRUE);
  else if (g_str_equal (page, "schedule"))
    schedule_next (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);
  g_autofree char *previous = NULL;

  if (self->history->len == 0)
    return;

  previous = g_ptr_array_steal_index (self->history, self->history->len - 1);
  set_page (self, previous, FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteWizard *self = PUENTE_WIZARD (widget);

  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
entry_changed_cb (PuenteWizard *self)
{
  update_buttons (self);
}

/* 02:05, not 2:5 */
static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
entry_activated_cb (PuenteWizard *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

/* ---- resuming a draft ------------------------------------------------------------------- */

static void
resume (PuenteWizard           *self,
        const PuenteConnection *draft)
{
  const char *step = puente_setup_get_step (self->setup);
  gboolean giav = puente_setup_source_needs_key (self->setup);

  for (guint i = 0; i < G_N_ELEMENTS (profile_checks); i++)
    if (g_strcmp0 (draft->profile, profile_checks[i].profile) == 0)
      gtk_check_button_set_active (PROFILE_CHECK (self, i), TRUE);
  if (giav && draft->source_location != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->giav_url_row), draft->source_location);
      self->giav_key_saved = TRUE;
      adw_preferences_group_set_description (self->giav_group,
                                             _("The API key you entered is saved in the keyring. "
                                               "Leave the field empty to keep it."));
    }
  adw_combo_row_set_selected (self->crm_kind_row, crm_kind_position (draft->crm));
  {
    guint behaviour;

    gtk_switch_set_active (self->chats_switch, puente_setup_get_chats (draft, &behaviour));
    adw_combo_row_set_selected (self->chats_behaviour_row, behaviour);
  }
  for (guint i = 0; i < G_N_ELEMENTS (zappy_rows); i++)
    {
      const char *value = puente_connection_get_setting (draft, zappy_rows[i].setting);

      gtk_editable_set_text (GTK_EDITABLE (ZAPPY_ROW (self, i)), value != NULL ? value : "");
    }
  if (draft->crm_url != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), draft->crm_url);
      adw_expander_row_set_expanded (self->advanced_row, TRUE);
    }
  if (step != NULL && !g_str_equal (step, "crm"))
    {
      self->crm_key_saved = TRUE;
      adw_preferences_group_set_description (self->crm_group,
                                             _("The API key you entered is saved in the keyring. "
                                               "Leave the field empty to keep it."));
    }

  /* Back to the software page, with the way there remembered: each verified step is checked
   * again by going forward, which costs the owner one click, and no typing. */
  if (step == NULL)
    return;

  g_ptr_array_add (self->history, g_strdup ("welcome"));
  gtk_stack_set_visible_child_name (self->stack, "software");
  if (!giav && draft->source_location != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (draft->source_location);

      load_export (self, file);
    }
}

/* ---- GObject ---------------------------------------------------------------------------- */

PuenteWizard *
puente_wizard_new (const char             *store_path,
                   const PuenteConnection *draft)
{
  PuenteWizard *self;

  g_return_val_if_fail (store_path != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_WIZARD, NULL);
  self->setup = puente_setup_new (store_path, CONNECTION_ID, draft);
  self->connection = puente_setup_get_draft (self->setup);
  if (draft != NULL)
    resume (self, draft);
  set_page (self, puente_wizard_get_page (self), FALSE);

  return self;
}

const char *
puente_wizard_get_page (PuenteWizard *self)
{
  const char *name;

  g_return_val_if_fail (PUENTE_IS_WIZARD (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);
  return name != NULL ? name : "welcome";
}

gboolean
puente_wizard_get_busy (PuenteWizard *self)
{
  g_return_val_if_fail (PUENTE_IS_WIZARD (self), FALSE);

  return self->busy;
}

/**
 * puente_wizard_get_sample_server:
 *
 * Returns: (transfer none) (nullable): the sandbox started for "Try with sample data"
 */
PuenteSampleServer *
puente_wizard_get_sample_server (PuenteWizard *self)
{
  g_return_val_if_fail (PUENTE_IS_WIZARD (self), NULL);

  return self->sample;
}

static void
puente_wizard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PuenteWizard *self = PUENTE_WIZARD (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_string (value, puente_wizard_get_page (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_wizard_dispose (GObject *object)
{
  PuenteWizard *self = (PuenteWizard *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->focus_before_busy);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_WIZARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sample);
  g_clear_object (&self->setup);
  g_clear_object (&self->export_file);
  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (puente_wizard_parent_class)->dispose (object);
}

static void
puente_wizard_finalize (GObject *object)
{
  PuenteWizard *self = (PuenteWizard *)object;

  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);
  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->stage_rows, g_ptr_array_unref);
  g_clear_pointer (&self->skips, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_wizard_parent_class)->finalize (object);
}

static void
puente_wizard_class_init (PuenteWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_wizard_get_property;
  object_class->dispose = puente_wizard_dispose;
  object_class->finalize = puente_wizard_finalize;

  properties[PROP_PAGE] = g_param_spec_string ("page", NULL, NULL, "welcome",
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PuenteWizard::finished:
   * @warning: (nullable): a sentence about what did not work (the schedule), or %NULL
   *
   * The connection is complete and saved: time for the first sync.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, spinner);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, stack);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, giav_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, gioweb_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, generic_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, giav_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, giav_url_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, giav_key_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, giav_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, export_file_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, export_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, preview_rows_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, columns_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, crm_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, crm_kind_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, open_crm_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, deals_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, chats_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, chats_switch);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, chats_behaviour_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, zappy_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, zappy_source_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, zappy_segment_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, zappy_campaign_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, crm_key_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, crm_url_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, crm_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, fields_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, create_fields_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, manual_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, manual_steps_label);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, origin_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, prepare_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, pipeline_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, stages_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, deals_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, preview_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, skipped_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, preview_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, nightly_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, quarter_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, manual_check);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizard, minute_spin);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.connect-business", NULL, connect_business_action);
  gtk_widget_class_install_action (widget_class, "wizard.try-sample", NULL, try_sample_action);
  gtk_widget_class_install_action (widget_class, "wizard.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "wizard.check-fields", NULL, check_fields_action);
  gtk_widget_class_install_action (widget_class, "wizard.create-fields", NULL, create_fields_action);
  gtk_widget_class_install_action (widget_class, "wizard.open-crm", NULL, open_crm_action);
  gtk_widget_class_install_action (widget_class, "wizard.load-stages", NULL, load_stages_action);
  gtk_widget_class_install_action (widget_class, "wizard.preview", NULL, preview_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back", NULL);
}

static void
puente_wizard_init (PuenteWizard *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));

  self->history = g_ptr_array_new_with_free_func (g_free);
  self->column_rows = g_ptr_array_new ();
  self->extra_rows = g_ptr_array_new ();
  self->stage_rows = g_ptr_array_new ();
  self->skips = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (self->giav_url_row, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->giav_key_row, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->crm_key_row, "changed", G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pipeline_row, "notify::selected", G_CALLBACK (pipeline_selected_cb), self, 0);
  g_signal_connect_object (self->crm_kind_row, "notify::selected", G_CALLBACK (crm_kind_changed_cb), self, G_CONNECT_SWAPPED);
  /* An export can also be dropped on its page. */
  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (export_dropped_cb), self, 0);
  gtk_widget_add_controller (gtk_stack_get_child_by_name (self->stack, "export"), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect (self->hour_spin, "output", G_CALLBACK (spin_output_cb), NULL);
  g_signal_connect (self->minute_spin, "output", G_CALLBACK (spin_output_cb), NULL);
  spin_output_cb (self->hour_spin);
  spin_output_cb (self->minute_spin);

  /* Enter in a field goes on, as a default button would (AdwEntryRow 1.2 cannot activate
   * one); Next itself checks that the page is ready. */
  g_signal_connect_object (self->giav_key_row, "entry-activated", G_CALLBACK (entry_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->crm_key_row, "entry-activated", G_CALLBACK (entry_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->giav_url_row, "entry-activated", G_CALLBACK (entry_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->crm_url_row, "entry-activated", G_CALLBACK (entry_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_editable_set_text (GTK_EDITABLE (self->crm_url_row), crm_kind (self)->default_url);
}
