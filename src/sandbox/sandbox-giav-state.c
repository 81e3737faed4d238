/* sandbox-giav-state.c: the GIAV double's data: its records (WsCliente, WsExpediente,
 * WsEntityStage kept as JSON objects of texts), the demo data they start from
 * (sandbox-demo.c), the clients and files generated for paging and benchmarks, and the
 * state the server saves and loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-giav-private.h"

/* ---- Records ----------------------------------------------------------------------------- */

gint64
giav_member_int (JsonObject *object,
                 const char *name)
{
  const char *text = json_object_get_string_member_with_default (object, name, NULL);
  gint64 value = 0;

  if (text != NULL)
    g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL);

  return value;
}

const char *
giav_member_text (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
new_record (const Member *members)
{
  JsonObject *record = json_object_new ();

  for (guint i = 0; members[i].name != NULL; i++)
    if (members[i].required && !members[i].nillable)
      json_object_set_string_member (record, members[i].name, members[i].initial);

  return record;
}

static void
set_text (JsonObject *record,
          const char *member,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (record, member, value);
}

static void
set_int (JsonObject *record,
         const char *member,
         gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  json_object_set_string_member (record, member, text);
}

static JsonObject *
client_from_demo (const SandboxDemoClient *demo)
{
  JsonObject *client = new_record (giav_ws_cliente);

  set_int (client, "Id", demo->id);
  set_text (client, "FechaModificacion", demo->modified);
  set_text (client, HIDDEN_CREATED, demo->created);
  /* INVENTED: the demo's categories, 1 for every third client, 2 for the next ones */
  set_text (client, HIDDEN_CATEGORIES, demo->id % 3 == 0 ? "1" : demo->id % 3 == 1 ? "2" : NULL);
  set_text (client, "Tipo", giav_demo_kinds[demo->kind]);
  set_text (client, "Codigo", demo->code);
  set_text (client, "Documento", demo->document);
  set_text (client, "Email", demo->email);
  set_text (client, "Nombre", demo->first_name);
  set_text (client, "Apellidos", demo->last_name);
  set_text (client, "Direccion", demo->street);
  set_text (client, "Telefono", demo->phone);
  set_text (client, "CodPostal", demo->postal_code);
  set_text (client, "Movil", demo->mobile);
  set_text (client, "Poblacion", demo->city);
  set_text (client, "Provincia", demo->province);
  set_text (client, "Pais", demo->country);
  set_text (client, "FechaNacimiento", demo->birthday);
  set_text (client, "PersonaContacto", demo->contact);
  set_text (client, "Deshabilitado", demo->disabled ? "true" : "false");
  set_text (client, "MailingConsent", giav_demo_consents[demo->mailing]);
  set_text (client, "RGPDSigned", demo->gdpr_signed ? "true" : "false");
  if (demo->contact != NULL)
    {
      xmlBuffer *buffer = xmlBufferCreate ();
      xmlTextWriter *writer = xmlNewTextWriterMemory (buffer, 0);

      xmlTextWriterStartElement (writer, (const xmlChar *) "Contact");
      xmlTextWriterWriteElement (writer, (const xmlChar *) "Name", (const xmlChar *) demo->contact);
      if (demo->email != NULL)
        xmlTextWriterWriteElement (writer, (const xmlChar *) "Email", (const xmlChar *) demo->email);
      xmlTextWriterEndElement (writer);
      xmlFreeTextWriter (writer);
      set_text (client, "Contacts", (const char *) xmlBufferContent (buffer));
      xmlBufferFree (buffer);
    }

  return client;
}

/* A WsExpediente, as the demo files are: @client and @stage are GIAV ids */
static JsonObject *
file_from_demo (const SandboxDemoFile *demo,
                gint64                 client,
                gint64                 stage)
{
  JsonObject *file = new_record (giav_ws_expediente);

  set_int (file, "Id", demo->id);
  set_int (file, "IdCliente", client);
  set_text (file, "Codigo", demo->code);
  set_text (file, "Cerrado", demo->closed ? "true" : "false");
  set_text (file, "CodigoOficina", OFFICE_CODE);
  set_text (file, "FechaCreacion", demo->created);
  set_text (file, "Titulo", demo->title);
  set_text (file, "NombreTipoExpediente", FILE_TYPE_NAME);
  if (demo->departure != NULL)
    {
      g_autofree char *from = g_strconcat (demo->departure, "T00:00:00", NULL);
      g_autofree char *to = g_strconcat (demo->return_date, "T00:00:00", NULL);

      set_text (file, "FechaDesde", from);
      set_text (file, "FechaHasta", to);
    }
  set_text (file, "Destino", demo->destination);
  set_int (file, "IdEntityStage", stage);
  set_text (file, HIDDEN_MODIFIED, demo->modified);

  return file;
}

void
giav_load_demo (SandboxGiav *self)
{
  g_ptr_array_set_size (self->clients, 0);
  g_ptr_array_set_size (self->files, 0);
  g_ptr_array_set_size (self->stages, 0);

  for (gsize i = 0; i < sandbox_demo_n_clients; i++)
    g_ptr_array_add (self->clients, client_from_demo (&sandbox_demo_clients[i]));

  for (gsize i = 0; i < sandbox_demo_n_file_stages; i++)
    {
      const SandboxDemoFileStage *demo = &sandbox_demo_file_stages[i];
      JsonObject *stage = new_record (giav_ws_entity_stage);

      set_int (stage, "Id", demo->id);
      set_text (stage, "StageName", demo->name);
      set_text (stage, "ClassName", TARGET_FILES);
      set_int (stage, "OrderNum", demo->order);
      set_text (stage, "Cancelled", demo->cancelled ? "true" : "false");
      g_ptr_array_add (self->stages, stage);
    }

  for (gsize i = 0; i < sandbox_demo_n_files; i++)
    {
      const SandboxDemoFile *demo = &sandbox_demo_files[i];

      g_ptr_array_add (self->files, file_from_demo (demo, sandbox_demo_clients[demo->client].id,
                                                    sandbox_demo_file_stages[demo->stage].id));
    }
}

/* A client with the next Id and nothing else, added: Cliente_POST fills it in */
JsonObject *
giav_new_client (SandboxGiav *self)
{
  JsonObject *client = new_record (giav_ws_cliente);
  gint64 next_id = 0;

  for (guint i = 0; i < self->clients->len; i++)
    next_id = MAX (next_id, giav_member_int (g_ptr_array_index (self->clients, i), "Id"));
  set_int (client, "Id", next_id + 1);
  g_ptr_array_add (self->clients, client);

  return client;
}

/* POST /__sandbox/giav/clients?count=N: N more clients, made up from a few names, with
 * valid NIFs, every type and consent, modified over 2024. Answers {"clients": TOTAL}. */
void
giav_generate_clients (SandboxGiav *self,
                       guint        count)
{
  static const char * const first_names[] = { "Alba", "Bruno", "Clara", "Diogo", "Elena", "Fábio", "Gonzalo", "Inés" };
  static const char * const last_names[] = { "Pardo Ríos", "Lopes", "Serrano", "Cardoso Melo", "Vega", "Nunes" };
  static const char letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
  gint64 next_id = 0;

  for (guint i = 0; i < self->clients->len; i++)
    next_id = MAX (next_id, giav_member_int (g_ptr_array_index (self->clients, i), "Id"));
  next_id = MAX (next_id + 1, GENERATED_FIRST_ID);

  for (guint i = 0; i < count; i++)
    {
      gint64 id = next_id + i;
      guint number = 20000000 + (guint) (id * 7919 % 70000000);
      g_autofree char *code = g_strdup_printf ("G%05" G_GINT64_FORMAT, id);
      g_autofree char *document = g_strdup_printf ("%08u%c", number, letters[number % 23]);
      g_autofree char *email = g_strdup_printf ("cliente%" G_GINT64_FORMAT "@example.es", id);
      g_autofree char *modified = g_strdup_printf ("2024-%02u-%02uT10:00:00", 1 + (guint) (id % 12), 1 + (guint) (id % 28));
      SandboxDemoClient demo = {
        .id = (guint) id,
        .kind = (SandboxDemoClientKind) (id % 4),
        .code = code,
        .first_name = first_names[id % G_N_ELEMENTS (first_names)],
        .last_name = last_names[id % G_N_ELEMENTS (last_names)],
        .document = document,
        .email = email,
        .mailing = (SandboxDemoConsent) (id % 3),
        .gdpr_signed = id % 2 == 0,
        .created = "2023-12-31T10:00:00",
        .modified = modified,
      };

      g_ptr_array_add (self->clients, client_from_demo (&demo));
    }
}

/* The generated clients (from GENERATED_FIRST_ID on), or every client when there are none:
 * what generated files belong to and what a touch changes. Not owned. */
static GPtrArray *
generated_clients (SandboxGiav *self)
{
  GPtrArray *generated = g_ptr_array_new ();

  for (guint i = 0; i < self->clients->len; i++)
    if (giav_member_int (g_ptr_array_index (self->clients, i), "Id") >= GENERATED_FIRST_ID)
      g_ptr_array_add (generated, g_ptr_array_index (self->clients, i));
  if (generated->len == 0)
    g_ptr_array_extend (generated, self->clients, NULL, NULL);

  return generated;
}

/* POST /__sandbox/giav/files?count=N: N more files, shaped like the demo ones, spread over
 * the generated clients (every client when none were generated: see generated_clients())
 * and over every stage, created and modified in 2024; a file is closed once travelled or
 * cancelled, and has travel dates unless it is still a quote. Answers {"files": TOTAL}. */
void
giav_generate_files (SandboxGiav *self,
                     guint        count)
{
  static const char * const titles[] = { "Escapada", "Viaje de empresa", "Semana Santa", "Luna de miel", "Congreso", "Puente de mayo" };
  static const char * const destinations[] = { "Lisboa", "Sevilla", "Roma", "Porto", "Tenerife", "Praga", "Granada" };
  g_autoptr(GPtrArray) clients = generated_clients (self);
  gint64 next_id = 0;

  if (clients->len == 0 || self->stages->len == 0)
    return;
  for (guint i = 0; i < self->files->len; i++)
    next_id = MAX (next_id, giav_member_int (g_ptr_array_index (self->files, i), "Id"));
  next_id = MAX (next_id + 1, GENERATED_FIRST_FILE_ID);

  for (guint i = 0; i < count; i++)
    {
      gint64 id = next_id + i;
      guint month = 1 + (guint) (id % 12), day = 1 + (guint) (id % 28);
      guint stage = (guint) (id % self->stages->len);
      JsonObject *stage_record = g_ptr_array_index (self->stages, stage);
      gboolean quote = stage == 0;
      gboolean closed = giav_member_int (stage_record, "OrderNum") >= 3;
      g_autofree char *code = g_strdup_printf ("EX-G-%07" G_GINT64_FORMAT, id);
      g_autofree char *title = g_strdup_printf ("%s %s", titles[id % G_N_ELEMENTS (titles)],
                                                destinations[id % G_N_ELEMENTS (destinations)]);
      g_autofree char *created = g_strdup_printf ("2024-%02u-%02uT09:00:00", month, day);
      g_autofree char *modified = g_strdup_printf ("2024-%02u-%02uT18:00:00", month, day);
      g_autofree char *departure = g_strdup_printf ("2025-%02u-%02u", month, day);
      g_autofree char *return_date = g_strdup_printf ("2025-%02u-%02u", month, MIN (day + 4, 28));
      SandboxDemoFile demo = {
        .id = (guint) id,
        .code = code,
        .title = title,
        .destination = destinations[id % G_N_ELEMENTS (destinations)],
        .closed = closed,
        .created = created,
        .modified = modified,
        .departure = quote ? NULL : departure,
        .return_date = quote ? NULL : return_date,
      };
      JsonObject *client = g_ptr_array_index (clients, i % clients->len);

      g_ptr_array_add (self->files, file_from_demo (&demo, giav_member_int (client, "Id"),
                                                    giav_member_int (stage_record, "Id")));
    }
}

/* POST /__sandbox/giav/clients/touch?count=K: K clients spread evenly over the generated
 * ones (see generated_clients()) get a new phone number and FechaModificacion now, as an
 * edit in GIAV would. Answers {"touched": K}. */
guint
giav_touch_clients (SandboxGiav *self,
                    guint        count)
{
  static guint edits;
  g_autoptr(GPtrArray) clients = generated_clients (self);
  g_autoptr(GDateTime) now = giav_clock_now ();
  g_autofree char *modified = giav_format_local (now);

  count = MIN (count, clients->len);
  edits++;
  for (guint i = 0; i < count; i++)
    {
      /* Evenly spread, shifted by one more each time so that every kind of client is in */
      JsonObject *client = g_ptr_array_index (clients, (guint) (((guint64) i * clients->len / count + i) % clients->len));
      g_autofree char *phone = g_strdup_printf ("+34 910 %03u %03u", edits % 1000, i % 1000);

      json_object_set_string_member (client, "Telefono", phone);
      json_object_set_string_member (client, "FechaModificacion", modified);
    }

  return count;
}

/* ---- State ------------------------------------------------------------------------------- */

#define STATE_CLIENTS "clients"
#define STATE_FILES   "files"
#define STATE_STAGES  "stages"

static JsonArray *
copy_records (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (records, i));

      json_array_add_element (array, json_node_copy (node));
    }

  return array;
}

JsonNode *
giav_save (gpointer data)
{
  SandboxGiav *self = data;
  g_autoptr(JsonObject) state = json_object_new ();

  /* The records themselves, not copies: the server writes them out at once */
  json_object_set_array_member (state, STATE_CLIENTS, copy_records (self->clients));
  json_object_set_array_member (state, STATE_FILES, copy_records (self->files));
  json_object_set_array_member (state, STATE_STAGES, copy_records (self->stages));

  return json_node_init_object (json_node_alloc (), state);
}

static GPtrArray *
load_records (JsonObject  *state,
              const char  *member,
              GError     **error)
{
  JsonNode *node = json_object_get_member (state, member);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no list of GIAV %s", member);
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (item) || giav_member_int (json_node_get_object (item), "Id") <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a GIAV record of %s without an Id", member);
          return NULL;
        }
      g_ptr_array_add (records, json_object_ref (json_node_get_object (item)));
    }

  return g_steal_pointer (&records);
}

gboolean
giav_load (gpointer   data,
           JsonNode  *node,
           GError   **error)
{
  SandboxGiav *self = data;
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  JsonObject *state;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no GIAV state");
      return FALSE;
    }

  copy = json_node_copy (node);
  state = json_node_get_object (copy);
  if ((clients = load_records (state, STATE_CLIENTS, error)) == NULL ||
      (files = load_records (state, STATE_FILES, error)) == NULL ||
      (stages = load_records (state, STATE_STAGES, error)) == NULL)
    return FALSE;

  g_ptr_array_set_size (self->clients, 0);
  g_ptr_array_set_size (self->files, 0);
  g_ptr_array_set_size (self->stages, 0);
  g_ptr_array_extend_and_steal (self->clients, g_steal_pointer (&clients));
  g_ptr_array_extend_and_steal (self->files, g_steal_pointer (&files));
  g_ptr_array_extend_and_steal (self->stages, g_steal_pointer (&stages));

  return TRUE;
}

void
giav_reset (gpointer data)
{
  SandboxGiav *self = data;

  g_clear_pointer (&self->put_ignores, g_free);
  g_clear_pointer (&self->put_also, g_free);
  self->post_drops = 0;
  self->post_holds = 0;
  giav_load_demo (data);
}
