/* puente-wizard-export.c
 *
 * An export of the owner's clients (GIO Web's, or any program's spreadsheet): chosen, dropped
 * on the page, or resumed, its first rows are read on a worker thread and shown with the
 * columns as Puente guessed them (puente-export-preview.h), one row per column for the
 * owner to correct. Next keeps the file and the corrections, by header, in the draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-crm-registry.h"
#include "puente-export-preview.h"
#include "puente-record.h"
#include "puente-wizard-export.h"

#define PREVIEW_ROWS 5
#define PREVIEW_CELL_CHARS 24

struct _PuenteWizardExport
{
  PuenteWizardPage     parent_instance;

  AdwActionRow        *export_file_row;
  AdwActionRow        *export_error_row;
  AdwPreferencesGroup *preview_rows_group;
  GtkGrid             *preview_grid;
  AdwPreferencesGroup *columns_group;
  AdwActionRow        *consent_row;
  gboolean             consent_blocking;

  GFile               *export_file;
  PuenteExportPreview *mapping;
  GPtrArray           *column_rows;    /* AdwComboRow, one per column */
};

G_DEFINE_FINAL_TYPE (PuenteWizardExport, puente_wizard_export, PUENTE_TYPE_WIZARD_PAGE)

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
  { PUENTE_FIELD_CATEGORY, N_("Category") },
  { PUENTE_FIELD_TAGS, N_("Tags") },
  { PUENTE_FIELD_GDPR_ACCEPT, N_("GDPR acceptance") },
  { PUENTE_FIELD_GDPR_DATE, N_("GDPR acceptance date") },
  { PUENTE_FIELD_CREATED, N_("Date of creation") },
};

/* A custom field by what it holds and its name in the CRM: "Accepts SMS (cf_enviasms)" */
static char *
target_label (const PuenteProfile   *profile,
              PuenteExportColumnUse  target,
              const char            *name)
{
  if (target == PUENTE_EXPORT_COLUMN_CUSTOM)
    {
      for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
        if (g_strcmp0 (profile->fields[i].name, name) == 0)
          return puente_profile_field_label (&profile->fields[i]);
      return g_strdup (name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (column_targets); i++)
    if (g_strcmp0 (column_targets[i].field, name) == 0)
      return g_strdup (_(column_targets[i].label));

  return g_strdup (name);
}

/* Row model positions: 0 "Leave out", then column_targets, then the profile's custom fields. */
static GtkStringList *
targets_model (PuenteWizardExport *self)
{
  const PuenteProfile *profile = puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self));
  GtkStringList *model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, _("Leave out"));
  for (guint i = 0; i < G_N_ELEMENTS (column_targets); i++)
    gtk_string_list_append (model, _(column_targets[i].label));
  for (guint i = 0; profile != NULL && i < profile->n_fields; i++)
    {
      g_autofree char *label = target_label (profile, PUENTE_EXPORT_COLUMN_CUSTOM, profile->fields[i].name);

      if (profile->fields[i].entity == PUENTE_ENTITY_CONTACT &&
          g_strcmp0 (profile->fields[i].name, profile->client_id_field) != 0)
        gtk_string_list_append (model, label);
    }

  return model;
}

static guint
target_position (PuenteWizardExport    *self,
                 PuenteExportColumnUse  target,
                 const char            *name)
{
  const PuenteProfile *profile = puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self));
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
target_at (PuenteWizardExport     *self,
           guint                   position,
           PuenteExportColumnUse  *target,
           const char            **name)
{
  const PuenteProfile *profile = puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self));
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

/* A consent target chosen twice stops the setup; one left out is a warning. */
static void
check_consent (PuenteWizardExport *self)
{
  const PuenteProfile *profile = puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self));
  g_autofree char *problems = NULL;
  gboolean blocking = FALSE;

  if (self->mapping != NULL)
    problems = puente_export_preview_consent_problems (self->mapping, profile, &blocking);
  self->consent_blocking = blocking;
  gtk_widget_set_visible (GTK_WIDGET (self->consent_row), problems != NULL);
  adw_action_row_set_subtitle (self->consent_row, problems != NULL ? problems : "");
  if (blocking)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->consent_row), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->consent_row), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->consent_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->consent_row), "warning");
    }
}

/* "For example: …", and whether the CRM keeps what the column is sent to */
static void
update_column_subtitle (PuenteWizardExport *self,
                        AdwComboRow        *row)
{
  const char *crm = puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self))->crm;
  const PuenteCrmKind *kind = puente_crm_kind_lookup (crm);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  const char *example = g_object_get_data (G_OBJECT (row), "example");
  g_autoptr(GString) subtitle = g_string_new (NULL);
  PuenteExportColumnUse target;
  const char *name = NULL;

  if (example != NULL)
    /* Translators: an example value from a spreadsheet column */
    g_string_append_printf (subtitle, _("For example: %s"), example);

  target = puente_export_preview_get_use (self->mapping, column, &name);
  if (!puente_export_use_reaches_crm (crm, target, name))
    {
      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      /* Translators: %s is the CRM, e.g. Clientify; said of a column the CRM cannot store */
      g_string_append_printf (subtitle, _("%s does not keep this: it is not sent"),
                              kind != NULL ? kind->name : "CRM");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
}

static void
check_mapping (PuenteWizardExport *self)
{
  g_autoptr(GError) error = NULL;

  check_consent (self);

  if (self->mapping != NULL && !puente_export_preview_check (self->mapping, &error))
    {
      adw_action_row_set_subtitle (self->export_error_row, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->export_error_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->export_error_row), FALSE);

  puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
}

static void
column_selected_cb (AdwComboRow        *row,
                    GParamSpec         *pspec,
                    PuenteWizardExport *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));
  PuenteExportColumnUse target;
  const char *name;

  target_at (self, adw_combo_row_get_selected (row), &target, &name);
  puente_export_preview_set_use (self->mapping, column, target, name);
  update_column_subtitle (self, row);
  check_mapping (self);
}

/* The choices as they are, never cut to a common beginning ("Custom field cf_…"): whole
 * in the list, where they wrap; in the row a custom field is cut in the middle, which keeps
 * both what it holds and its name in the CRM ("Acepta S…(cf_enviasms)"). */
static void
setup_target_label_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  in_list)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (in_list != NULL)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
    }
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (label), 8);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_target_label_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  in_list)
{
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));

  gtk_label_set_label (label, text);
  if (in_list == NULL)
    gtk_label_set_ellipsize (label, g_str_has_suffix (text, ")") ? PANGO_ELLIPSIZE_MIDDLE : PANGO_ELLIPSIZE_END);
}

static void
set_target_factories (AdwComboRow *row)
{
  for (guint in_list = 0; in_list < 2; in_list++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_target_label_cb), GUINT_TO_POINTER (in_list));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_target_label_cb), GUINT_TO_POINTER (in_list));
      if (in_list)
        adw_combo_row_set_list_factory (row, factory);
      else
        adw_combo_row_set_factory (row, factory);
    }
}

static void
show_spreadsheet_preview (PuenteWizardExport  *self,
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
          /* Whole, the grid scrolling sideways at 360 px ("12345678Z", not "1…"); only a
           * long text is cut, at 24 characters */
          if (g_utf8_strlen (text, -1) > PREVIEW_CELL_CHARS)
            {
              gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_END);
              gtk_label_set_width_chars (GTK_LABEL (cell), PREVIEW_CELL_CHARS);
              gtk_label_set_max_width_chars (GTK_LABEL (cell), PREVIEW_CELL_CHARS);
            }
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
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      set_target_factories (row);
      adw_combo_row_set_model (row, G_LIST_MODEL (model));
      target = puente_export_preview_get_use (self->mapping, column, &name);
      adw_combo_row_set_selected (row, target_position (self, target, name));
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (column));
      g_object_set_data_full (G_OBJECT (row), "example", g_strdup (example), g_free);
      update_column_subtitle (self, row);
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
  g_autoptr(PuenteWizardExport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteExportPreview) preview = NULL;
  g_autofree char *name = NULL;

  preview = puente_export_preview_read_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), FALSE);
  if (preview == NULL)
    {
      g_clear_object (&self->mapping);
      gtk_widget_set_visible (GTK_WIDGET (self->preview_rows_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->columns_group), FALSE);
      puente_wizard_page_show_error (self->export_error_row, error);
      puente_wizard_page_update_ready (PUENTE_WIZARD_PAGE (self));
      return;
    }

  name = g_file_get_parse_name (self->export_file);
  adw_action_row_set_subtitle (self->export_file_row, name);
  show_spreadsheet_preview (self, preview);
}

static void
load_export (PuenteWizardExport *self,
             GFile              *file)
{
  g_set_object (&self->export_file, file);
  puente_wizard_page_show_error (self->export_error_row, NULL);
  puente_wizard_page_set_busy (PUENTE_WIZARD_PAGE (self), TRUE);
  puente_export_preview_read_async (file, PREVIEW_ROWS * 4, puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self)),
                                    puente_wizard_page_restart (PUENTE_WIZARD_PAGE (self)), preview_ready_cb, g_object_ref (self));
}

/**
 * puente_wizard_export_open:
 * @file: the export, as chosen, dropped on the page, or given by a test
 *
 * Reads @file's first rows and guesses its columns.
 */
void
puente_wizard_export_open (PuenteWizardExport *self,
                           GFile              *file)
{
  g_return_if_fail (PUENTE_IS_WIZARD_EXPORT (self));
  g_return_if_fail (G_IS_FILE (file));

  load_export (self, file);
}

static gboolean
export_dropped_cb (GtkDropTarget      *target,
                   const GValue       *value,
                   double              x,
                   double              y,
                   PuenteWizardExport *self)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL || puente_wizard_page_get_busy (PUENTE_WIZARD_PAGE (self)))
    return FALSE;

  load_export (self, file);
  return TRUE;
}

static void
file_chosen_cb (GtkNativeDialog    *dialog,
                int                 response,
                PuenteWizardExport *self)
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
  PuenteWizardExport *self = PUENTE_WIZARD_EXPORT (widget);
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
puente_wizard_export_apply_async (PuenteWizardPage *page,
                                  GTask            *task)
{
  PuenteWizardExport *self = PUENTE_WIZARD_EXPORT (page);
  PuenteConnection *draft = puente_wizard_page_get_draft (PUENTE_WIZARD_PAGE (self));

  g_free (draft->source_kind);
  draft->source_kind = g_strdup (puente_wizard_page_get_profile (PUENTE_WIZARD_PAGE (self))->source_kind);
  g_free (draft->source_location);
  draft->source_location = g_file_get_path (self->export_file);

  /* The owner's corrections, by header: the export's columns may move between exports. */
  puente_setup_remove_settings (draft, PUENTE_SETTING_COLUMN_PREFIX);
  for (guint column = 0; column < puente_export_preview_get_n_columns (self->mapping); column++)
    {
      g_autofree char *key = g_strconcat (PUENTE_SETTING_COLUMN_PREFIX,
                                          puente_export_preview_get_header (self->mapping, column), NULL);
      g_autofree char *value = puente_export_preview_use_to_setting (self->mapping, column);

      puente_connection_set_setting (draft, key, value);
    }

  puente_wizard_page_save_async (task);
}

static gboolean
puente_wizard_export_is_ready (PuenteWizardPage *page)
{
  PuenteWizardExport *self = PUENTE_WIZARD_EXPORT (page);

  return self->mapping != NULL && !self->consent_blocking &&
         !gtk_widget_get_visible (GTK_WIDGET (self->export_error_row));
}

/* The export named by a setup left halfway is read again. */
static void
puente_wizard_export_resume (PuenteWizardPage *page)
{
  PuenteWizardExport *self = PUENTE_WIZARD_EXPORT (page);
  PuenteSetup *setup = puente_wizard_page_get_setup (PUENTE_WIZARD_PAGE (self));
  const char *location = puente_setup_get_draft (setup)->source_location;

  if (puente_setup_get_step (setup) != NULL && !puente_setup_source_needs_key (setup) && location != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (location);

      load_export (self, file);
    }
}

static void
puente_wizard_export_dispose (GObject *object)
{
  PuenteWizardExport *self = (PuenteWizardExport *)object;

  g_clear_object (&self->export_file);
  g_clear_object (&self->mapping);

  G_OBJECT_CLASS (puente_wizard_export_parent_class)->dispose (object);
}

static void
puente_wizard_export_finalize (GObject *object)
{
  PuenteWizardExport *self = (PuenteWizardExport *)object;

  g_clear_pointer (&self->column_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_wizard_export_parent_class)->finalize (object);
}

static void
puente_wizard_export_class_init (PuenteWizardExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PuenteWizardPageClass *page_class = PUENTE_WIZARD_PAGE_CLASS (klass);

  object_class->dispose = puente_wizard_export_dispose;
  object_class->finalize = puente_wizard_export_finalize;
  page_class->id = "export";
  page_class->is_ready = puente_wizard_export_is_ready;
  page_class->apply_async = puente_wizard_export_apply_async;
  page_class->resume = puente_wizard_export_resume;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-wizard-export.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardExport, export_file_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardExport, export_error_row);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardExport, preview_rows_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardExport, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardExport, columns_group);
  gtk_widget_class_bind_template_child (widget_class, PuenteWizardExport, consent_row);

  gtk_widget_class_install_action (widget_class, "wizard.choose-file", NULL, choose_file_action);
}

static void
puente_wizard_export_init (PuenteWizardExport *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  puente_wizard_page_set_error_row (PUENTE_WIZARD_PAGE (self), self->export_error_row);
  self->column_rows = g_ptr_array_new ();

  /* An export can also be dropped on the page. */
  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (export_dropped_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
