/* puente-spreadsheet-source.c
 *
 * Reads the export page by page in a worker thread (the reader blocks on the disk). Every
 * listing is a whole listing: an export has no "modified since", so the engine's content
 * hashes are what keep unchanged rows from costing a CRM request. A row the mapping cannot
 * read becomes a record carrying PUENTE_FIELD_PROBLEM, which the engine reports as skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-spreadsheet"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-spreadsheet.h"
#include "puente-spreadsheet-source.h"

#define PAGE_SIZE 100

struct _PuenteSpreadsheetSource
{
  GObject              parent_instance;

  GFile               *file;
  PuenteColumnPreset   preset;
  PuenteColumnMapping *mapping;   /* the owner's, or guessed at the first read */
  PuenteSpreadsheet   *reader;    /* open between pages of one listing */
  guint                page;      /* pages handed out in this listing */
};

static void source_iface_init (PuenteSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteSpreadsheetSource, puente_spreadsheet_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_SOURCE, source_iface_init))

static void
puente_spreadsheet_source_finalize (GObject *object)
{
  PuenteSpreadsheetSource *self = (PuenteSpreadsheetSource *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->mapping);
  g_clear_object (&self->reader);

  G_OBJECT_CLASS (puente_spreadsheet_source_parent_class)->finalize (object);
}

static void
puente_spreadsheet_source_class_init (PuenteSpreadsheetSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_spreadsheet_source_finalize;
}

static void
puente_spreadsheet_source_init (PuenteSpreadsheetSource *self)
{
}

/**
 * puente_spreadsheet_source_new:
 * @mapping: (nullable): the owner's column mapping; %NULL to guess it with @preset
 */
PuenteSpreadsheetSource *
puente_spreadsheet_source_new (GFile               *file,
                               PuenteColumnPreset   preset,
                               PuenteColumnMapping *mapping)
{
  PuenteSpreadsheetSource *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PUENTE_TYPE_SPREADSHEET_SOURCE, NULL);
  self->file = g_object_ref (file);
  self->preset = preset;
  self->mapping = mapping != NULL ? g_object_ref (mapping) : NULL;

  return self;
}

static gboolean
open_reader (PuenteSpreadsheetSource  *self,
             GCancellable             *cancellable,
             GError                  **error)
{
  g_clear_object (&self->reader);
  self->page = 0;
  self->reader = puente_spreadsheet_new (self->file, cancellable, error);
  if (self->reader == NULL)
    return FALSE;

  if (self->mapping == NULL)
    self->mapping = puente_column_mapping_guess (puente_spreadsheet_get_headers (self->reader), self->preset);

  return puente_column_mapping_check (self->mapping, error);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PuenteSpreadsheetSource *self = source_object;
  g_autoptr(GError) error = NULL;

  if (!open_reader (self, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  g_clear_object (&self->reader);
}

static void
spreadsheet_verify_async (PuenteSource        *source,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, spreadsheet_verify_async);
  g_task_run_in_thread (task, verify_thread);
}

static PuenteRecord *
problem_record (guint         row_number,
                const GError *error)
{
  PuenteRecord *record = puente_record_new (PUENTE_ENTITY_CONTACT);

  record->id = g_strdup_printf ("row-%u", row_number);
  puente_record_set (record, PUENTE_FIELD_PROBLEM, error->message);

  return record;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PuenteSpreadsheetSource *self = source_object;
  const char *next = task_data;
  g_autoptr(PuenteRecordPage) page = puente_record_page_new ();
  g_autoptr(GError) error = NULL;
  guint expected_page = next != NULL ? (guint) g_ascii_strtoull (next, NULL, 10) : 0;

  /* A new listing, or a cursor that is not the page we are at: start from the top. */
  if (self->reader == NULL || expected_page != self->page || expected_page == 0)
    {
      if (!open_reader (self, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      for (guint skip = 0; skip < expected_page * PAGE_SIZE; skip++)
        {
          guint ignored;
          g_auto(GStrv) row = puente_spreadsheet_read_row (self->reader, &ignored, cancellable, &error);

          if (row == NULL)
            break;
        }
      self->page = expected_page;
    }

  while (page->records->len < PAGE_SIZE)
    {
      guint row_number = 0;
      g_auto(GStrv) row = puente_spreadsheet_read_row (self->reader, &row_number, cancellable, &error);
      g_autoptr(GError) row_error = NULL;
      PuenteRecord *record = NULL;

      if (row == NULL)
        break;

      if (puente_column_mapping_apply (self->mapping, (const char * const *) row, row_number,
                                       &record, &row_error))
        g_ptr_array_add (page->records, record);
      else
        g_ptr_array_add (page->records, problem_record (row_number, row_error));
    }

  if (error != NULL)
    {
      g_clear_object (&self->reader);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->page++;
  if (page->records->len == PAGE_SIZE)
    page->next = g_strdup_printf ("%u", self->page);
  else
    g_clear_object (&self->reader);

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) puente_record_page_free);
}

static void
spreadsheet_list_clients_async (PuenteSource        *source,
                                GDateTime           *modified_since,
                                const char          *next,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, spreadsheet_list_clients_async);
  g_task_set_task_data (task, g_strdup (next), g_free);
  /* One page at a time: the reader is not shared between threads at once. */
  g_task_run_in_thread (task, list_thread);
}

static void
spreadsheet_write_back_async (PuenteSource        *source,
                              const PuenteRecord  *changes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, spreadsheet_write_back_async);
  /* The changes file for the owner to import comes with the engine's back-flow. */
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Puente cannot write changes back to an exported file yet."));
}

static const char *
spreadsheet_get_name (PuenteSource *source)
{
  return _("the exported file");
}

static void
source_iface_init (PuenteSourceInterface *iface)
{
  iface->get_name = spreadsheet_get_name;
  iface->verify_async = spreadsheet_verify_async;
  iface->list_clients_async = spreadsheet_list_clients_async;
  iface->write_back_async = spreadsheet_write_back_async;
}
