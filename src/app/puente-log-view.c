/* puente-log-view.c
 *
 * The events of the runs, as a table (Sysprof's way: a GtkColumnView with the data-table
 * style) over PuenteEventList, which reads the store lazily on a worker thread: a million
 * events open at once, and rows fill in as their page arrives. Search and filters narrow
 * the list in SQLite, not in memory. The dashboard uses it twice: the whole log, and the
 * records that need the owner (left out, conflicts, failures) of the last sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-log-view"

#include "config.h"

#include <glib/gi18n.h>

#include "puente-a11y.h"
#include "puente-event-list.h"
#include "puente-log-view-private.h"

#define SEARCH_DELAY_MS 300


G_DEFINE_FINAL_TYPE (PuenteLogView, puente_log_view, ADW_TYPE_BIN)

guint puente_log_view_signals[N_LOG_VIEW_SIGNALS];

/* The outcome dropdown's entries, as masks. */
static const guint outcome_choices[] = {
  0,
  1 << PUENTE_OUTCOME_CREATED,
  1 << PUENTE_OUTCOME_UPDATED,
  1 << PUENTE_OUTCOME_SKIPPED,
  1 << PUENTE_OUTCOME_CONFLICT,
  1 << PUENTE_OUTCOME_FAILED,
};

const char *
puente_log_view_outcome_icon (PuenteOutcome outcome)
{
  switch (outcome)
    {
    case PUENTE_OUTCOME_CREATED:
      return "list-add-symbolic";
    case PUENTE_OUTCOME_UPDATED:
      return "document-edit-symbolic";
    case PUENTE_OUTCOME_UNCHANGED:
      return "emblem-ok-symbolic";
    case PUENTE_OUTCOME_SKIPPED:
      return "action-unavailable-symbolic";
    case PUENTE_OUTCOME_CONFLICT:
      return "dialog-warning-symbolic";
    case PUENTE_OUTCOME_FAILED:
      return "dialog-error-symbolic";
    case PUENTE_OUTCOME_DELETED:
      return "user-trash-symbolic";
    default:
      return "emblem-synchronizing-symbolic";
    }
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (unix_time == 0)
    return g_strdup ("");

  then = g_date_time_new_from_unix_local (unix_time);
  if (g_date_time_get_year (now) == g_date_time_get_year (then) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (then))
    return g_date_time_format (then, "%H:%M");

  /* Translators: a date and time in the log, as in “21/11/2026 02:00” */
  return g_date_time_format (then, _("%x %H:%M"));
}

/* ---- filters ---------------------------------------------------------------------------- */

static void
apply_filter (PuenteLogView *self)
{
  guint entity = gtk_drop_down_get_selected (self->entity_dropdown);
  guint outcome = gtk_drop_down_get_selected (self->outcome_dropdown);
  PuenteEventFilter filter = {
    .run = self->run,
    .entity = entity == 0 || entity == GTK_INVALID_LIST_POSITION ? -1 : (int) entity - 1,
    .outcomes = self->fixed_outcomes != 0 ? self->fixed_outcomes
                : outcome < G_N_ELEMENTS (outcome_choices) ? outcome_choices[outcome] : 0,
    .search = self->search,
    .unresolved = self->unresolved,
  };

  puente_event_list_set_filter (self->events, &filter);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  PuenteLogView *self = user_data;

  self->search_timeout = 0;
  apply_filter (self);

  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (PuenteLogView *self)
{
  g_free (self->search);
  self->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  /* GtkSearchEntry already waits for the typing to pause; a little more spares the store
   * a count per keystroke. */
  g_clear_handle_id (&self->search_timeout, g_source_remove);
  self->search_timeout = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

/* Esc in the search (GtkSearchEntry::stop-search): the search ends, and the owner is back
 * on the table. */
static void
stop_search_cb (PuenteLogView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (gtk_widget_get_visible (GTK_WIDGET (self->column_view)) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  else
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/**
 * puente_log_view_focus_search:
 *
 * Puts the keyboard in the search, its text selected (Ctrl+F: win.search).
 */
void
puente_log_view_focus_search (PuenteLogView *self)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/* A GtkFlowBox wraps each control in a GtkFlowBoxChild, which takes the focus itself and
 * stays shown when its control is hidden (the sync's button, the outcome's menu in “Needs
 * You”): Tab would stop on nothing, unnamed. The wrappers pass the focus on instead, and
 * hide with what they hold. */
static void
quiet_filter_wrappers (PuenteLogView *self)
{
  for (GtkWidget *wrapper = gtk_widget_get_first_child (GTK_WIDGET (self->filter_flow));
       wrapper != NULL;
       wrapper = gtk_widget_get_next_sibling (wrapper))
    {
      GtkWidget *control;

      if (!GTK_IS_FLOW_BOX_CHILD (wrapper))
        continue;
      control = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (wrapper));
      gtk_widget_set_focusable (wrapper, FALSE);
      if (control != NULL)
        g_object_bind_property (control, "visible", wrapper, "visible", G_BINDING_SYNC_CREATE);
    }
}

static void
dropdown_changed_cb (PuenteLogView *self)
{
  apply_filter (self);
}

static void
items_changed_cb (PuenteLogView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->events)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

/* ---- rows ------------------------------------------------------------------------------- */

typedef void (*FillFunc) (GtkListItem *list_item, PuenteEventItem *item);

static void
refill (GtkListItem *list_item)
{
  FillFunc fill = g_object_get_data (G_OBJECT (list_item), "fill");
  PuenteEventItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    fill (list_item, item);
}

static void
item_notify_cb (PuenteEventItem *item,
                GParamSpec      *pspec,
                GtkListItem     *list_item)
{
  if (gtk_list_item_get_item (list_item) == (gpointer) item)
    refill (list_item);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item)
{
  PuenteEventItem *item = gtk_list_item_get_item (list_item);

  /* A row whose page is still being read fills in when it arrives. */
  g_signal_connect_object (item, "notify::loaded", G_CALLBACK (item_notify_cb), list_item, 0);
  refill (list_item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  PuenteEventItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_notify_cb, list_item);
}

static void
setup_icon_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item)
{
  gtk_list_item_set_child (list_item, gtk_image_new ());
}

static void
fill_icon (GtkListItem     *list_item,
           PuenteEventItem *item)
{
  GtkWidget *image = gtk_list_item_get_child (list_item);
  PuenteOutcome outcome = puente_event_item_get_outcome (item);
  gboolean loaded = puente_event_item_get_loaded (item);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), loaded ? puente_log_view_outcome_icon (outcome) : NULL);
  gtk_widget_set_tooltip_text (image, loaded ? puente_outcome_to_label (outcome) : NULL);
  gtk_widget_remove_css_class (image, "error");
  gtk_widget_remove_css_class (image, "warning");
  gtk_widget_remove_css_class (image, "success");
  if (loaded && outcome == PUENTE_OUTCOME_FAILED)
    gtk_widget_add_css_class (image, "error");
  else if (loaded && (outcome == PUENTE_OUTCOME_CONFLICT || outcome == PUENTE_OUTCOME_SKIPPED))
    gtk_widget_add_css_class (image, "warning");
  else if (loaded)
    gtk_widget_add_css_class (image, "success");
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  loaded ? puente_outcome_to_label (outcome) : "", -1);
}

static GtkWidget *
label_new (gboolean wrap,
           gboolean dim)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");

  return label;
}

static void
setup_name_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item)
{
  /* Wrapped, never cut: a file number or a name is what tells the rows apart */
  gtk_list_item_set_child (list_item, label_new (TRUE, FALSE));
}

static void
fill_name (GtkListItem     *list_item,
           PuenteEventItem *item)
{
  const char *name = puente_event_item_get_display_name (item);

  if (name == NULL || *name == '\0')
    name = puente_event_item_get_source_id (item);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), name != NULL ? name : "");
}

static void
setup_time_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item)
{
  gtk_list_item_set_child (list_item, label_new (FALSE, TRUE));
}

static void
fill_time (GtkListItem     *list_item,
           PuenteEventItem *item)
{
  g_autofree char *text = format_time (puente_event_item_get_time (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

static void
sync_clicked_cb (GtkButton   *button,
                 GtkListItem *list_item)
{
  PuenteEventItem *item = gtk_list_item_get_item (list_item);
  PuenteLogView *self = PUENTE_LOG_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button), PUENTE_TYPE_LOG_VIEW));

  if (item != NULL && self != NULL && puente_event_item_get_source_id (item) != NULL)
    g_signal_emit (self, puente_log_view_signals[SYNC_RECORD], 0, puente_event_item_get_source_id (item));
}

static void
setup_action_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("view-refresh-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (sync_clicked_cb), list_item);
  gtk_list_item_set_child (list_item, button);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
fill_action (GtkListItem     *list_item,
             PuenteEventItem *item)
{
  GtkWidget *button = gtk_list_item_get_child (list_item);
  PuenteOutcome outcome = puente_event_item_get_outcome (item);
  gboolean retry = outcome == PUENTE_OUTCOME_FAILED || outcome == PUENTE_OUTCOME_SKIPPED ||
                   outcome == PUENTE_OUTCOME_CONFLICT;
  const char *tip = retry ? _("Retry this record now") : _("Sync this record now");

  gtk_widget_set_visible (button, puente_event_item_get_loaded (item) &&
                                  puente_event_item_get_source_id (item) != NULL);
  gtk_widget_set_tooltip_text (button, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
}

/* Each list item learns its column's fill function when it is set up. */
static void
remember_fill_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item)
{
  g_object_set_data (G_OBJECT (list_item), "fill", g_object_get_data (G_OBJECT (factory), "fill"));
}

static void
add_column (PuenteLogView *self,
            const char    *title,
            GCallback      setup,
            gpointer       setup_data,
            FillFunc       fill,
            gboolean       expand,
            int            fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, setup_data);
  g_signal_connect (factory, "setup", G_CALLBACK (remember_fill_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  g_object_set_data (G_OBJECT (factory), "fill", fill);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

/* ---- export ----------------------------------------------------------------------------- */

/* Done: a toast that says so, with "Open" to see the file in the spreadsheet the owner uses
 * (the default app for CSV); or the sentence of what went wrong. */
typedef struct
{
  PuenteLogView *self;
  char          *uri;
} Exporting;

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Exporting *exporting = user_data;
  g_autoptr(PuenteLogView) self = exporting->self;
  g_autofree char *uri = exporting->uri;
  g_autoptr(GError) error = NULL;
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY));
  AdwToast *toast;

  g_free (exporting);
  if (puente_event_list_export_finish (PUENTE_EVENT_LIST (object), result, &error))
    {
      toast = adw_toast_new (_("The log was exported"));
      adw_toast_set_button_label (toast, _("_Open"));
      adw_toast_set_action_name (toast, "log.open-exported");
      adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
    }
  else
    {
      toast = adw_toast_new (error->message);
    }

  if (overlay != NULL)
    adw_toast_overlay_add_toast (overlay, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* log.export-to (a file's URI): the export itself, once the file is chosen. */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PuenteLogView *self = PUENTE_LOG_VIEW (widget);
  const char *uri = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  Exporting *exporting = g_new0 (Exporting, 1);

  exporting->self = g_object_ref (self);
  exporting->uri = g_strdup (uri);
  puente_event_list_export_async (self->events, file, NULL, exported_cb, exporting);
}

static void
open_exported_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), g_variant_get_string (parameter, NULL),
                GDK_CURRENT_TIME);
}

static void
export_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  PuenteLogView   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *uri = g_file_get_uri (file);

      gtk_widget_activate_action (GTK_WIDGET (self), "log.export-to", "s", uri);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PuenteLogView *self = PUENTE_LOG_VIEW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export the Log"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the file name offered when exporting the log */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("puente-log.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
all_runs_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  puente_log_view_set_run (PUENTE_LOG_VIEW (widget), 0);
}

/* ---- API -------------------------------------------------------------------------------- */

PuenteLogView *
puente_log_view_new (const char *store_path)
{
  PuenteLogView *self;

  g_return_val_if_fail (store_path != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_LOG_VIEW, NULL);
  self->store_path = g_strdup (store_path);
  self->events = puente_event_list_new (store_path);
  g_signal_connect_object (self->events, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)))));
  apply_filter (self);

  return self;
}

/**
 * puente_log_view_set_fixed_outcomes:
 * @outcomes: a mask of 1 << #PuenteOutcome, or 0 to let the owner choose
 */
void
puente_log_view_set_fixed_outcomes (PuenteLogView *self,
                                    guint          outcomes)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));

  self->fixed_outcomes = outcomes;
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_dropdown), outcomes == 0);
  apply_filter (self);
}

/**
 * puente_log_view_set_run:
 * @run: a run's id, or 0 for every run
 */
void
puente_log_view_set_run (PuenteLogView *self,
                         gint64         run)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));

  self->run = run;
  if (run != 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, run);
      /* Translators: the log shows one sync only (its number); the button shows them all */
      g_autofree char *label = g_strdup_printf (_("Sync %s"), number);

      adw_button_content_set_label (self->run_button_content, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), run != 0 && self->fixed_outcomes == 0);
  apply_filter (self);
}

/**
 * puente_log_view_set_unresolved:
 *
 * Shows only what is still unresolved across runs ("Needs You"): see
 * PuenteEventFilter.unresolved.
 */
void
puente_log_view_set_unresolved (PuenteLogView *self,
                                gboolean       unresolved)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));

  self->unresolved = unresolved;
  apply_filter (self);
}

void
puente_log_view_set_empty_text (PuenteLogView *self,
                                const char    *title,
                                const char    *description)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));

  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
}

void
puente_log_view_reload (PuenteLogView *self)
{
  g_return_if_fail (PUENTE_IS_LOG_VIEW (self));

  puente_event_list_reload (self->events);
  puente_log_view_reload_answers (self);
}

PuenteEventList *
puente_log_view_get_events (PuenteLogView *self)
{
  g_return_val_if_fail (PUENTE_IS_LOG_VIEW (self), NULL);

  return self->events;
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
puente_log_view_dispose (GObject *object)
{
  PuenteLogView *self = (PuenteLogView *)object;

  g_clear_handle_id (&self->search_timeout, g_source_remove);
  puente_log_view_conflict_clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PUENTE_TYPE_LOG_VIEW);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (puente_log_view_parent_class)->dispose (object);
}

static void
puente_log_view_finalize (GObject *object)
{
  PuenteLogView *self = (PuenteLogView *)object;

  g_free (self->search);
  g_free (self->store_path);
  g_clear_pointer (&self->message_cells, g_ptr_array_unref);

  G_OBJECT_CLASS (puente_log_view_parent_class)->finalize (object);
}

static void
puente_log_view_class_init (PuenteLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = puente_log_view_dispose;
  object_class->finalize = puente_log_view_finalize;

  /**
   * PuenteLogView::sync-record:
   * @source_id: the record's id in the management software
   *
   * The owner asked to sync (or retry) one record now.
   */
  puente_log_view_signals[SYNC_RECORD] = g_signal_new ("sync-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * PuenteLogView::field-chosen:
   * @source_id: the client's id in the management software
   *
   * The owner answered a conflict over the client's fields, and the answer is kept: a run
   * of the client applies it.
   */
  puente_log_view_signals[FIELD_CHOSEN] = g_signal_new ("field-chosen", G_TYPE_FROM_CLASS (klass),
                                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * PuenteLogView::ignored-changed:
   * @source_id: the record's id in the management software
   *
   * The owner chose to ignore a record (keep it out of the CRM), or to send it again, and
   * the store keeps the choice.
   */
  puente_log_view_signals[IGNORED_CHANGED] = g_signal_new ("ignored-changed", G_TYPE_FROM_CLASS (klass),
                                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                           G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/puente/Puente/puente-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, filter_flow);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, entity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, run_button);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, run_button_content);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, stack);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PuenteLogView, column_view);

  gtk_widget_class_install_action (widget_class, "log.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "log.all-runs", NULL, all_runs_action);
  gtk_widget_class_install_action (widget_class, "log.export-to", "s", export_to_action);
  gtk_widget_class_install_action (widget_class, "log.open-exported", "s", open_exported_action);
}

static void
puente_log_view_init (PuenteLogView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  puente_a11y_fix_names (GTK_WIDGET (self));

  self->message_cells = g_ptr_array_new ();
  add_column (self, "", G_CALLBACK (setup_icon_cb), NULL, fill_icon, FALSE, 40);
  add_column (self, _("Name"), G_CALLBACK (setup_name_cb), NULL, fill_name, TRUE, -1);
  add_column (self, _("What Happened"), G_CALLBACK (puente_log_view_setup_message_cb), self,
              puente_log_view_fill_message, TRUE, -1);
  add_column (self, _("When"), G_CALLBACK (setup_time_cb), NULL, fill_time, FALSE, -1);
  add_column (self, "", G_CALLBACK (setup_action_cb), NULL, fill_action, FALSE, 48);

  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self,
                           G_CONNECT_SWAPPED);
  /* Typing on the table starts a search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
  quiet_filter_wrappers (self);
  g_signal_connect_object (self->entity_dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb),
                           self, G_CONNECT_SWAPPED);
}
