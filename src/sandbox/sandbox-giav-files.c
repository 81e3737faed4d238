/* sandbox-giav-files.c: the GIAV double's travel files (expedientes): Expediente_SEARCH
 * (its filters and paging) and EntityStages_GET (the stages a file goes through).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-giav-private.h"

void
giav_handle_expediente_search (Call *call)
{
  SandboxGiav *self = call->self;
  g_autoptr(GPtrArray) ids = giav_call_list (call, "idsExpediente");
  g_autoptr(GPtrArray) clients = giav_call_list (call, "idsCliente");
  g_autoptr(GPtrArray) stages = giav_call_list (call, "idsEntitiesStages");
  g_autofree char *closed = giav_call_text (call, "estadoCierre");
  g_autoptr(GDateTime) created_from = NULL;
  g_autoptr(GDateTime) created_to = NULL;
  g_autoptr(GDateTime) modified_from = NULL;
  g_autoptr(GDateTime) modified_to = NULL;
  guint size, index, matched = 0;
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  if (!giav_call_page (call, &size, &index) ||
      !giav_call_time (call, "fechaCreacionDesde", &created_from) ||
      !giav_call_time (call, "fechaCreacionHasta", &created_to) ||
      !giav_call_time (call, "fechaHoraModificacionDesde", &modified_from) ||
      !giav_call_time (call, "fechaHoraModificacionHasta", &modified_to))
    return;

  writer = giav_begin_answer (call, &buffer);
  xmlTextWriterStartElement (writer, (const xmlChar *) "Expediente_SEARCHResult");

  for (guint i = 0; i < self->files->len && matched < (guint64) (index + 1) * size; i++)
    {
      JsonObject *file = g_ptr_array_index (self->files, i);
      const char *cerrado = giav_member_text (file, "Cerrado");

      if (ids != NULL && !giav_list_has (ids, giav_member_text (file, "Id")))
        continue;
      if (clients != NULL && !giav_list_has (clients, giav_member_text (file, "IdCliente")))
        continue;
      if (stages != NULL && !giav_list_has (stages, giav_member_text (file, "IdEntityStage")))
        continue;
      if ((g_strcmp0 (closed, FILTER_YES) == 0 && g_strcmp0 (cerrado, "true") != 0) ||
          (g_strcmp0 (closed, FILTER_NO) == 0 && g_strcmp0 (cerrado, "true") == 0))
        continue;
      if (!giav_in_range (giav_member_text (file, "FechaCreacion"), created_from, created_to) ||
          !giav_in_range (giav_member_text (file, HIDDEN_MODIFIED), modified_from, modified_to))
        continue;

      if (matched >= (guint64) index * size && matched < (guint64) (index + 1) * size)
        giav_write_item (writer, "WsExpediente", giav_ws_expediente, file);
      matched++;
    }

  giav_end_answer (call, writer, buffer);
}

void
giav_handle_entity_stages_get (Call *call)
{
  SandboxGiav *self = call->self;
  g_autofree char *target = giav_call_text (call, "targetClass");
  xmlBuffer *buffer;
  xmlTextWriter *writer;

  writer = giav_begin_answer (call, &buffer);
  xmlTextWriterStartElement (writer, (const xmlChar *) "EntityStages_GETResult");
  /* Only files have stages here; nil stands for every class */
  for (guint i = 0; i < self->stages->len; i++)
    {
      JsonObject *stage = g_ptr_array_index (self->stages, i);

      if (target == NULL || g_strcmp0 (target, giav_member_text (stage, "ClassName")) == 0)
        giav_write_item (writer, "WsEntityStage", giav_ws_entity_stage, stage);
    }
  giav_end_answer (call, writer, buffer);
}
