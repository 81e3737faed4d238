/* puente-consent-dialog.c
 *
 * Consent for any contact (design.md, consent rules): find the contact by a part of the
 * name or the client number, or by the whole NIF or email; see GDPR acceptance (with its
 * date), email and SMS communications as each side has them now, and the audit trail; change
 * them. The profile decides where an edit goes (GIAV: in GIAV through the connector, then to
 * the CRM; GIO Web: in the CRM, then to the changes file) and the dialog says so; saving
 * applies at once as a single-record run (puente-consent.c does the work, on a worker), and a
 * toast says only what was written where (for GIO Web, a row says which file to import into
 * it, with its folder a button away).
 * Communications need GDPR acceptance: without it their choices are off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-consent-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-combo-row-text.h"
#include "puente-consent.h"
#include "puente-consent-dialog.h"
#include "puente-profile.h"

#define SEARCH_MIN_CHARS 2

struct _PuenteConsentDialog
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *back_button;
  GtkButton           *save_button;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  GtkSearchEntry      *search_entry;
  GtkStack            *results_stack;
  AdwStatusPage       *hint_page;
  GtkListBox          *results_list;
  AdwPreferencesGroup *consent_group;
  AdwComboRow         *gdpr_row;
  AdwComboRow         *email_row;
  AdwComboRow         *sms_row;
  AdwPreferencesGroup *import_group;
  AdwActionRow        *import_row;
  AdwPreferencesGroup *problem_group;
  AdwActionRow        *problem_row;
  AdwPreferencesGroup *trail_group;

  char                *store_path;
  PuenteConnection    *connection;
  GCancellable        *cancellable;         /* loading or saving the record */
  GCancellable        *search_cancellable;  /* the search, apart: a late search never stops a load */
  PuenteConsentRecord *record;
  char                *saved_id;      /* the contact last saved, whose changes file waits */
  char                *changes_file;  /* to be imported, shown until another contact */
  GPtrArray           *trail_rows;
  gboolean             busy;
  GtkWidget           *focus_before_busy;  /* weak */
  gboolean             filling;   /* the combos are being set from the record */
};

G_DEFINE_FINAL_TYPE (PuenteConsentDialog, puente_consent_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combos' entries, in this order. */
static const PuenteConsentValue values[] = {
  PUENTE_CONSENT_NOT_ASKED,
  PUENTE_CONSENT_GIVEN,
  PUENTE_CONSENT_REFUSED,
};

static void update_rows (PuenteConsentDialog *self);

static const PuenteProfile *
profile (PuenteConsentDialog *self)
{
  return puente_profile_lookup (self->connection->profile);
}

static void
set_busy (PuenteConsentDialog *self,
          gboolean             busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  puente_set_sensitive_keeping_focus (GTK_WIDGET (self->stack), !busy, &self->focus_before_busy);
  update_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_toast (PuenteConsentDialog *self,
            const char          *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static GCancellable *
restart_cancellable (PuenteConsentDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  return self->cancellable;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- the record ------------------------------------------------------------------------- */

static AdwComboRow *
row_for (PuenteConsentDialog *self,
         PuenteConsentFields  field)
{
  return field == PUENTE_CONSENT_FIELD_GDPR ? self->gdpr_row
         : field == PUENTE_CONSENT_FIELD_EMAIL ? self->email_row : self->sms_row;
}

static PuenteConsentValue
chosen (AdwComboRow *row)
{
  guint position = adw_combo_row_get_selected (row);

  return position < G_N_ELEMENTS (values) ? values[position] : PUENTE_CONSENT_NOT_ASKED;
}

static void
choose (AdwComboRow        *row,
        PuenteConsentValue  value)
{
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i] == value)
      adw_combo_row_set_selected (row, i);
}

static void
wanted_consent (PuenteConsentDialog *self,
                PuenteConsent       *wanted)
{
  puente_consent_copy (puente_consent_record_get_current (self->record), wanted);
  wanted->gdpr = chosen (self->gdpr_row);
  wanted->email = chosen (self->email_row);
  wanted->sms = chosen (self->sms_row);
}

/* “In GIAV: accepted · In Clientify: not asked” */
static char *
sides_sentence (PuenteConsentDialog *self,
                PuenteConsentFields  field)
{
  const PuenteConsentRecord *record = self->record;
  g_autoptr(GString) text = g_string_new (NULL);

  if (record->found_in_source && (record->source_fields & field) != 0)
    /* Translators: where a consent value is, and what it is, e.g. “In GIAV: Accepted” */
    g_string_append_printf (text, _("In %s: %s"), record->source_name,
                            puente_consent_value_to_label (puente_consent_get (&record->in_source, field)));
  if (record->found_in_crm && (record->crm_fields & field) != 0)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append_printf (text, _("In %s: %s"), record->crm_name,
                              puente_consent_value_to_label (puente_consent_get (&record->in_crm, field)));
    }
  if (field == PUENTE_CONSENT_FIELD_GDPR)
    {
      g_autofree char *date = puente_consent_format_date (puente_consent_record_get_gdpr_date (record));

      if (date != NULL)
        {
          if (text->len > 0)
            g_string_append (text, " · ");
          /* Translators: the day of the GDPR answer, e.g. “since 21/06/2018” */
          g_string_append_printf (text, _("since %s"), date);
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_rows (PuenteConsentDialog *self)
{
  const PuenteConsentRecord *record = self->record;
  PuenteConsentFields fields[] = { PUENTE_CONSENT_FIELD_GDPR, PUENTE_CONSENT_FIELD_EMAIL, PUENTE_CONSENT_FIELD_SMS };
  gboolean gdpr_given;
  PuenteConsent wanted = { 0, };
  gboolean on_record = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "record") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), on_record);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), on_record && record != NULL && record->editable);
  if (record == NULL)
    return;

  gdpr_given = chosen (self->gdpr_row) == PUENTE_CONSENT_GIVEN;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      AdwComboRow *row = row_for (self, fields[i]);
      gboolean editable = record->editable && (record->editable_fields & fields[i]) != 0;
      gboolean needs_gdpr = fields[i] != PUENTE_CONSENT_FIELD_GDPR && !gdpr_given;
      g_autofree char *sides = sides_sentence (self, fields[i]);
      gboolean kept = ((record->source_fields | record->crm_fields) & fields[i]) != 0;

      gtk_widget_set_visible (GTK_WIDGET (row), kept);
      gtk_widget_set_sensitive (GTK_WIDGET (row), editable && !needs_gdpr);
      if (needs_gdpr && editable)
        {
          /* Translators: under a communications choice that is off without GDPR acceptance */
          g_autofree char *subtitle = g_strdup_printf ("%s\n%s", sides, _("Needs GDPR acceptance first"));

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sides);
    }

  wanted_consent (self, &wanted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.save",
                                 !self->busy && record->editable &&
                                 puente_consent_differs (puente_consent_record_get_current (record), &wanted,
                                                         PUENTE_CONSENT_FIELDS_ALL) != 0);
  puente_consent_clear (&wanted);
}

static void
choice_changed_cb (PuenteConsentDialog *self)
{
  if (self->filling)
    return;

  /* Communications cannot stand without GDPR acceptance. */
  if (chosen (self->gdpr_row) != PUENTE_CONSENT_GIVEN)
    {
      self->filling = TRUE;
      if (chosen (self->email_row) == PUENTE_CONSENT_GIVEN)
        choose (self->email_row, PUENTE_CONSENT_REFUSED);
      if (chosen (self->sms_row) == PUENTE_CONSENT_GIVEN)
        choose (self->sms_row, PUENTE_CONSENT_REFUSED);
      self->filling = FALSE;
    }

  update_rows (self);
}

static void
show_record (PuenteConsentDialog *self,
             PuenteConsentRecord *record)
{
  const PuenteConsent *current = puente_consent_record_get_current (record);
  const PuenteProfile *the_profile = profile (self);

  g_clear_pointer (&self->record, puente_consent_record_free);
  self->record = record;

  adw_preferences_group_set_title (self->consent_group, record->display_name != NULL ? record->display_name
                                                                                     : record->source_id);
  adw_preferences_group_set_description (self->consent_group, record->ownership);
  adw_window_title_set_subtitle (self->window_title, record->display_name);

  self->filling = TRUE;
  choose (self->gdpr_row, current->gdpr);
  choose (self->email_row, current->email);
  choose (self->sms_row, current->sms);
  self->filling = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self->import_group),
                          self->changes_file != NULL && g_strcmp0 (self->saved_id, record->source_id) == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_group), record->problem != NULL);
  if (record->problem != NULL)
    adw_action_row_set_subtitle (self->problem_row, record->problem);

  for (guint i = 0; i < self->trail_rows->len; i++)
    adw_preferences_group_remove (self->trail_group, g_ptr_array_index (self->trail_rows, i));
  g_ptr_array_set_size (self->trail_rows, 0);
  for (guint i = 0; record->trail != NULL && i < record->trail->len; i++)
    {
      const PuenteConsentChange *change = g_ptr_array_index (record->trail, i);
      g_autofree char *title = puente_consent_change_describe (the_profile, change, record->source_name,
                                                               record->crm_name);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (change->time);
      /* Translators: when a consent change happened, e.g. “21/11/2026 02:00” */
      g_autofree char *subtitle = g_date_time_format (when, _("%x %H:%M"));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->trail_group, row);
      g_ptr_array_add (self->trail_rows, row);
    }
  adw_preferences_group_set_description (self->trail_group,
                                         record->trail == NULL || record->trail->len == 0
                                         ? _("No change recorded yet.") : NULL);

  gtk_stack_set_visible_child_name (self->stack, "record");
  update_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PuenteConsentDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  PuenteConsentRecord *record = puente_consent_load_finish (result, &error);

  if (is_cancelled (error))
    return;

  set_busy (self, FALSE);
  if (record == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  show_record (self, record);
}

/**
 * puente_consent_dialog_open:
 * @source_id: the contact's id in the management software
 *
 * Reads the contact's consent on both sides, and shows it.
 */
void
puente_consent_dialog_open (PuenteConsentDialog *self,
                            const char          *source_id)
{
  g_return_if_fail (PUENTE_IS_CONSENT_DIALOG (self));
  g_return_if_fail (source_id != NULL);

  set_busy (self, TRUE);
  puente_consent_load_async (self->store_path, self->connection->id, source_id,
                             restart_cancellable (self), loaded_cb, g_object_ref (self));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PuenteConsentDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *changes_file = NULL;

  if (!puente_consent_save_finish (result, NULL, &message, &changes_file, &error))
    {
      if (is_cancelled (error))
        return;
      set_busy (self, FALSE);
      show_toast (self, error->message);
      if (!g_error_matches (error, PUENTE_CONSENT_ERROR, PUENTE_CONSENT_ERROR_INCOMPLETE))
        return;
    }
  else if (changes_file != NULL)
    {
      /* Only what was written: Clientify, and the changes file for the owner to import into
       * GIO Web; the whole sentence stays on the page, with the folder a button away. */
      g_autofree char *short_text = g_strdup_printf (_("Saved in %s"), self->record->crm_name);

      set_busy (self, FALSE);
      g_free (self->saved_id);
      self->saved_id = g_strdup (self->record->source_id);
      g_free (self->changes_file);
      self->changes_file = g_steal_pointer (&changes_file);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->import_row), message);
      show_toast (self, short_text);
    }
  else
    {
      set_busy (self, FALSE);
      show_toast (self, message);
    }

  /* Both sides as they are now, and the new line in the trail. */
  puente_consent_dialog_open (self, self->record->source_id);
}

static void
folder_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PuenteConsentDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_debug ("Could not open the folder of the changes file: %s", error->message);
      show_toast (self, _("No program to open folders was found. The changes file is beside your export."));
    }
}

/* The folder of the changes file, in the file manager. */
static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PuenteConsentDialog *self = PUENTE_CONSENT_DIALOG (widget);
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *uri = NULL;

  if (self->changes_file == NULL)
    return;
  file = g_file_new_for_path (self->changes_file);
  folder = g_file_get_parent (file);
  uri = g_file_get_uri (folder);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (widget)));
  g_app_info_launch_default_for_uri_async (uri, context, NULL, folder_opened_cb, g_object_ref (widget));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteConsentDialog *self = PUENTE_CONSENT_DIALOG (widget);
  PuenteConsent wanted = { 0, };
  g_autoptr(GError) error = NULL;

  if (self->record == NULL || self->busy)
    return;

  wanted_consent (self, &wanted);
  if (!puente_consent_check (profile (self), puente_consent_record_get_current (self->record), &wanted, &error))
    {
      show_toast (self, error->message);
      puente_consent_clear (&wanted);
      return;
    }

  set_busy (self, TRUE);
  puente_consent_save_async (self->store_path, self->connection->id, self->record->source_id, &wanted,
                             restart_cancellable (self), saved_cb, g_object_ref (self));
  puente_consent_clear (&wanted);
}

/* ---- the search ------------------------------------------------------------------------- */

static void
result_activated_cb (GtkListBox          *list,
                     GtkListBoxRow       *row,
                     PuenteConsentDialog *self)
{
  const char *source_id = g_object_get_data (G_OBJECT (row), "source-id");

  if (source_id != NULL)
    puente_consent_dialog_open (self, source_id);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PuenteConsentDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = puente_consent_search_finish (result, &error);
  GtkWidget *child;

  if (is_cancelled (error))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);

  if (links == NULL || links->len == 0)
    {
      adw_status_page_set_title (self->hint_page, links == NULL ? _("Puente Could Not Search")
                                                                : _("No Contact Found"));
      adw_status_page_set_description (self->hint_page,
                                       links == NULL ? error->message
                                       : _("Check the spelling, or type the whole NIF or email."));
      gtk_stack_set_visible_child_name (self->results_stack, "hint");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
      return;
    }

  for (guint i = 0; i < links->len; i++)
    {
      const PuenteLink *link = g_ptr_array_index (links, i);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: a contact's number in the management software, e.g. “Client 5995” */
      g_autofree char *subtitle = g_strdup_printf (_("Client %s"), link->source_id);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     link->display_name != NULL ? link->display_name : link->source_id);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "source-id", g_strdup (link->source_id), g_free);
      gtk_list_box_append (self->results_list, row);
    }
  gtk_stack_set_visible_child_name (self->results_stack, "results");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
search_changed_cb (PuenteConsentDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  if (g_utf8_strlen (text, -1) < SEARCH_MIN_CHARS)
    {
      adw_status_page_set_title (self->hint_page, _("Find a Contact"));
      adw_status_page_set_description (self->hint_page,
                                       _("Type a part of the name or the client number, or the whole NIF or email."));
      gtk_stack_set_visible_child_name (self->results_stack, "hint");
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
      return;
    }

  /* Only the spinner: the entry keeps its focus while the results come. */
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  puente_consent_search_async (self->store_path, self->connection->id, text, self->search_cancellable,
                               found_cb, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PuenteConsentDialog *self = PUENTE_CONSENT_DIALOG (widget);

  g_cancellable_cancel (self->cancellable);
  if (self->busy)
    set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "search");
  adw_window_title_set_subtitle (self->window_title, NULL);
  update_rows (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

/* ---- GObject ---------------------------------------------------------------------------- */

PuenteConsentDialog *
puente_consent_dialog_new (const char             *store_path,
                           const PuenteConnection *connection)
{
  PuenteConsentDialog *self;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (connection != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_CONSENT_DIALOG, NULL);
  self->store_path = g_strdup (store_path);
  self->connection = puente_connection_copy (connection);

  return self;
}

/**
 * puente_consent_dialog_get_page:
 *
 * Returns: "search", "results" or "record": what the dialog shows
 */
const char *
puente_consent_dialog_get_page (PuenteConsentDialog *self)
{
  g_return_val_if_fail (PUENTE_IS_CONSENT_DIALOG (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "record") == 0)
    return "record";

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->results_stack), "results") == 0 ? "results" : "search";
}

gboolean
puente_consent_dialog_get_busy (PuenteConsentDialog *self)
{
  g_return_val_if_fail (PUENTE_IS_CONSENT_DIALOG (self), FALSE);

  return self->busy;
}

static void
puente_consent_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PuenteConsentDialog *self = PUENTE_CONSENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_PAGE:
      g_value_set_string (value, puente_consent_dialog_get_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
puente_consent_dialog_dispose (GObject *object)
{
  PuenteConsentDialog *self = (PuenteConsentDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_weak_pointer (&self->focus_before_busy);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_CONSENT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);

  G_OBJECT_CLASS (puente_consent_dialog_parent_class)->dispose (object);
}

static void
puente_consent_dialog_finalize (GObject *object)
{
  PuenteConsentDialog *self = (PuenteConsentDialog *)object;

  g_free (self->store_path);
  g_clear_pointer (&self->connection, puente_connection_free);
  g_clear_pointer (&self->record, puente_consent_record_free);
  g_free (self->saved_id);
  g_free (self->changes_file);
  g_clear_pointer (&self->trail_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_consent_dialog_parent_class)->finalize (object);
}

static void
puente_consent_dialog_class_init (PuenteConsentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = puente_consent_dialog_get_property;
  object_class->dispose = puente_consent_dialog_dispose;
  object_class->finalize = puente_consent_dialog_finalize;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] = g_param_spec_string ("page", NULL, NULL, "search",
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-consent-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, results_stack);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, hint_page);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, results_list);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, consent_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, gdpr_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, sms_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, import_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, import_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, problem_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, problem_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteConsentDialog, trail_group);

  gtk_widget_class_install_action (widget_class, "consent.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "consent.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "consent.open-folder", NULL, open_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "consent.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "consent.back", NULL);
}

static void
puente_consent_dialog_init (PuenteConsentDialog *self)
{
  PuenteConsentFields fields[] = { PUENTE_CONSENT_FIELD_GDPR, PUENTE_CONSENT_FIELD_EMAIL, PUENTE_CONSENT_FIELD_SMS };

  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->trail_rows = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      AdwComboRow *row = row_for (self, fields[i]);

      for (guint j = 0; j < G_N_ELEMENTS (values); j++)
        gtk_string_list_append (model, puente_consent_value_to_label (values[j]));
      adw_combo_row_set_model (row, G_LIST_MODEL (model));
      /* "Otorgado" whole beside a long title at 360 px, not "Ot…" */
      puente_combo_row_show_whole_text (row);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (choice_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_list, "row-activated", G_CALLBACK (result_activated_cb), self, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "consent.save", FALSE);
}
