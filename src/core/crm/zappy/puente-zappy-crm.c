/* puente-zappy-crm.c: Zappy's lead intake (seed 003) behind PuenteCrm.
 *
 * Zappy takes new clients ("leads") and nothing else: one POST of JSON to
 * `4/clientes/createLead?accountHash=<private hash>`. It cannot be read, searched, updated
 * or deleted through it, so the connector says so (get_capabilities) and the engine never
 * asks; the other methods fail with PUENTE_API_ERROR_REFUSED should anything call them.
 *
 * What seed 003 says, and what this file does with it:
 * - client_name is required: a record without a name is refused here, before sending.
 * - client_source and client_segment must match exactly values the owner set up in Zappy:
 *   they come from the connection's settings (zappy.source, zappy.segment), sent as the
 *   owner wrote them; so do form_id, campaign_name, custom_1 and custom_2 (puente-store.h).
 * - Zappy makes no second client for the same email or mobile: a lead with either is safe
 *   to send again, so its request is sent as repeatable (retried after a 5xx or a broken
 *   connection); one with neither is not, and a broken connection leaves it uncertain.
 * Unknown [U], and not relied on:
 * - the answer: any 2xx is taken as received; its body is logged (for the debug log only)
 *   and an id in it is used when there is one ("id", "client_id", "lead_id"), else the
 *   record is known by its reference ("ref:<source number>");
 * - errors: anything else is logged as it came (status and body, trimmed, the hash
 *   masked) and reported to the owner as a sentence;
 * - a way to check the private hash: there is none known, so verify_async() checks only
 *   what can be checked here, and the capabilities lack PUENTE_CRM_CAN_VERIFY so that the
 *   setup can tell the owner that the first lead will show whether the hash is right.
 * The private hash travels in the address (as Zappy wants), added by PuenteApiClient as
 * each request is sent: never in an address that is logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "puente-zappy"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "puente-json.h"
#include "puente-store.h"
#include "puente-zappy-crm.h"

/* ---- Every Zappy literal, in one place (seed 003) ---------------------------------------- */

#define SERVICE_NAME       "Zappy"
#define PATH_CREATE_LEAD   "4/clientes/createLead"
#define HASH_PARAMETER     "accountHash"
#define SUPPORT_ADDRESS    "ajuda@zappysoftware.com"

#define KEY_NAME           "client_name"         /* required */
#define KEY_EMAIL          "client_email"
#define KEY_MOBILE         "client_mobile"
#define KEY_REF            "client_ref"
#define KEY_VAT            "client_vat"
#define KEY_BIRTH_DAY      "client_birth_day"    /* a number */
#define KEY_BIRTH_MONTH    "client_birth_month"  /* a number */
#define KEY_BIRTH_YEAR     "client_birth_year"   /* a number */
#define KEY_STREET         "client_street"
#define KEY_ZIPCODE        "client_zipcode"
#define KEY_CITY           "client_city"

/* The keys whose values the owner chooses: a fixed text, or a field of the record. */
static const struct {
  const char *setting;
  const char *key;
} owner_keys[] = {
  { PUENTE_SETTING_ZAPPY_FORM_ID, "form_id" },
  { PUENTE_SETTING_ZAPPY_CAMPAIGN, "campaign_name" },
  { PUENTE_SETTING_ZAPPY_SOURCE, "client_source" },    /* exact match in Zappy */
  { PUENTE_SETTING_ZAPPY_SEGMENT, "client_segment" },  /* exact match in Zappy */
  { PUENTE_SETTING_ZAPPY_CUSTOM_1, "custom_1" },
  { PUENTE_SETTING_ZAPPY_CUSTOM_2, "custom_2" },
};

/* The plain fields, as they are */
static const struct {
  const char *field;
  const char *key;
} plain_fields[] = {
  { PUENTE_FIELD_EMAIL, KEY_EMAIL },
  { PUENTE_FIELD_DOCUMENT, KEY_VAT },
  { PUENTE_FIELD_STREET, KEY_STREET },
  { PUENTE_FIELD_POSTAL_CODE, KEY_ZIPCODE },
  { PUENTE_FIELD_CITY, KEY_CITY },
};

/* [U] Where an id of the new client might be in a 2xx answer, if anywhere */
static const char * const answer_id_members[] = { "id", "client_id", "lead_id" };

#define ANSWER_LOG_LENGTH 500

/* ----------------------------------------------------------------------------------------- */

struct _PuenteZappyCrm
{
  GObject          parent_instance;

  PuenteApiClient *client;
  char            *owner_values[G_N_ELEMENTS (owner_keys)];  /* NULL: not sent */
  gboolean         hash_well_formed;
};

static void crm_iface_init (PuenteCrmInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PuenteZappyCrm, puente_zappy_crm, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PUENTE_TYPE_CRM, crm_iface_init))

static void
puente_zappy_crm_finalize (GObject *object)
{
  PuenteZappyCrm *self = (PuenteZappyCrm *)object;

  g_clear_object (&self->client);
  for (guint i = 0; i < G_N_ELEMENTS (owner_keys); i++)
    g_clear_pointer (&self->owner_values[i], g_free);

  G_OBJECT_CLASS (puente_zappy_crm_parent_class)->finalize (object);
}

static void
puente_zappy_crm_class_init (PuenteZappyCrmClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = puente_zappy_crm_finalize;
}

static void
puente_zappy_crm_init (PuenteZappyCrm *self)
{
}

/**
 * puente_zappy_crm_new:
 * @base_url: (nullable): the API root; %NULL for Zappy's public address
 * @private_hash: the private hash Zappy's support activated, as looked up in the keyring
 * @max_in_flight: requests at once; 0 for the default
 *
 * Returns: (transfer full): the connector, or %NULL when @base_url is not acceptable
 */
PuenteZappyCrm *
puente_zappy_crm_new (const char  *base_url,
                      const char  *private_hash,
                      guint        max_in_flight,
                      GError     **error)
{
  g_autoptr(PuenteZappyCrm) self = NULL;

  g_return_val_if_fail (private_hash != NULL, NULL);

  self = g_object_new (PUENTE_TYPE_ZAPPY_CRM, NULL);
  self->client = puente_api_client_new (SERVICE_NAME,
                                        base_url != NULL ? base_url : PUENTE_ZAPPY_DEFAULT_URL,
                                        NULL, NULL,
                                        max_in_flight > 0 ? max_in_flight : PUENTE_ZAPPY_DEFAULT_IN_FLIGHT,
                                        error);
  if (self->client == NULL)
    return NULL;

  /* Its form is unknown [U]; a hash pasted with spaces or a line break is surely wrong. */
  self->hash_well_formed = *private_hash != '\0';
  for (const char *c = private_hash; *c != '\0'; c++)
    if (g_ascii_isspace (*c) || g_ascii_iscntrl (*c))
      self->hash_well_formed = FALSE;
  if (self->hash_well_formed)
    puente_api_client_set_key_parameter (self->client, HASH_PARAMETER, private_hash);

  return g_steal_pointer (&self);
}

/**
 * puente_zappy_crm_set_settings:
 * @settings: (nullable): the connection's settings; the `zappy.*` keys are taken
 *   (puente-store.h), the others ignored
 *
 * What every lead carries besides the client's own data: its origin and segment (which
 * must match exactly what the owner set up in Zappy), form, campaign and custom fields.
 */
void
puente_zappy_crm_set_settings (PuenteZappyCrm *self,
                               GHashTable     *settings)
{
  g_return_if_fail (PUENTE_IS_ZAPPY_CRM (self));

  for (guint i = 0; i < G_N_ELEMENTS (owner_keys); i++)
    {
      const char *value = settings != NULL ? g_hash_table_lookup (settings, owner_keys[i].setting) : NULL;

      g_free (self->owner_values[i]);
      self->owner_values[i] = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
    }
}

/**
 * puente_zappy_crm_get_client:
 *
 * Returns: (transfer none): the HTTP client, e.g. to change its retry policy
 */
PuenteApiClient *
puente_zappy_crm_get_client (PuenteZappyCrm *self)
{
  g_return_val_if_fail (PUENTE_IS_ZAPPY_CRM (self), NULL);

  return self->client;
}

/* ---- The lead ---------------------------------------------------------------------------- */

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static char *
lead_name (const PuenteRecord *record)
{
  const char *name = nonempty (puente_record_get (record, PUENTE_FIELD_NAME));
  const char *first = nonempty (puente_record_get (record, PUENTE_FIELD_FIRST_NAME));
  const char *last = nonempty (puente_record_get (record, PUENTE_FIELD_LAST_NAME));
  const char *full = nonempty (puente_record_get (record, PUENTE_FIELD_FULL_NAME));
  g_autofree char *joined = NULL;

  /* A company's name; a person's first and last names */
  if (record->entity == PUENTE_ENTITY_COMPANY && name != NULL)
    return g_strdup (name);
  if (first != NULL || last != NULL)
    {
      joined = g_strjoin (" ", first ? first : "", last ? last : "", NULL);
      return g_strdup (g_strstrip (joined));
    }

  return g_strdup (name != NULL ? name : full);
}

/* "field:NAME" -> the record's field or custom field NAME; anything else is the value. */
static const char *
owner_value (const PuenteRecord *record,
             const char         *setting)
{
  const char *name;

  if (setting == NULL || !g_str_has_prefix (setting, PUENTE_SETTING_ZAPPY_FIELD_PREFIX))
    return setting;

  name = setting + strlen (PUENTE_SETTING_ZAPPY_FIELD_PREFIX);
  if (puente_record_get (record, name) != NULL)
    return puente_record_get (record, name);

  return puente_record_get_custom (record, name);
}

/* "YYYY-MM-DD" -> day, month, year; FALSE when it is not such a date. */
static gboolean
split_date (const char *text,
            guint      *day,
            guint      *month,
            guint      *year)
{
  g_auto(GStrv) parts = text != NULL ? g_strsplit (text, "-", -1) : NULL;
  guint64 values[3];

  if (parts == NULL || g_strv_length (parts) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 1, i == 0 ? 9999 : i == 1 ? 12 : 31, &values[i], NULL))
      return FALSE;
  if (!g_date_valid_dmy (values[2], values[1], values[0]))
    return FALSE;

  *year = values[0];
  *month = values[1];
  *day = values[2];
  return TRUE;
}

/**
 * puente_zappy_crm_build_lead:
 * @record: a contact or a company, as the engine sends it
 * @external_id_field: (nullable): the custom field with the source's number, which becomes
 *   the lead's reference (client_ref)
 *
 * The JSON object POSTed for @record (seed 003's keys). A company becomes a lead named
 * after it. Absent and empty values are left out; the owner's values (zappy.* settings)
 * are sent exactly as written.
 *
 * Returns: (transfer full): the lead, or %NULL with %PUENTE_API_ERROR_INVALID when the
 *   record has no name (client_name is required)
 */
JsonNode *
puente_zappy_crm_build_lead (PuenteZappyCrm      *self,
                             const PuenteRecord  *record,
                             const char          *external_id_field,
                             GError             **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *name = NULL;
  const char *mobile, *ref;
  guint day, month, year;

  g_return_val_if_fail (PUENTE_IS_ZAPPY_CRM (self), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  name = lead_name (record);
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                   _("Not sent: it has no name, and Zappy needs one. Add the name in your "
                     "management software to send it."));
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);

#define ADD_STRING(key, value) G_STMT_START {                  \
    if (nonempty (value) != NULL)                              \
      {                                                        \
        json_builder_set_member_name (builder, (key));         \
        json_builder_add_string_value (builder, (value));      \
      }                                                        \
  } G_STMT_END

  ADD_STRING (KEY_NAME, name);
  for (guint i = 0; i < G_N_ELEMENTS (plain_fields); i++)
    ADD_STRING (plain_fields[i].key, puente_record_get (record, plain_fields[i].field));

  /* Zappy has one phone number, the mobile: a landline stands in when there is no mobile. */
  mobile = nonempty (puente_record_get (record, PUENTE_FIELD_MOBILE));
  ADD_STRING (KEY_MOBILE, mobile != NULL ? mobile : puente_record_get (record, PUENTE_FIELD_PHONE));

  ref = external_id_field != NULL ? puente_record_get_custom (record, external_id_field) : NULL;
  ADD_STRING (KEY_REF, ref != NULL ? ref : record->id);

  if (split_date (puente_record_get (record, PUENTE_FIELD_BIRTHDAY), &day, &month, &year))
    {
      json_builder_set_member_name (builder, KEY_BIRTH_DAY);
      json_builder_add_int_value (builder, day);
      json_builder_set_member_name (builder, KEY_BIRTH_MONTH);
      json_builder_add_int_value (builder, month);
      json_builder_set_member_name (builder, KEY_BIRTH_YEAR);
      json_builder_add_int_value (builder, year);
    }
  else if (puente_record_get (record, PUENTE_FIELD_BIRTHDAY) != NULL)
    g_debug ("Birthday “%s” is not a date; not sent", puente_record_get (record, PUENTE_FIELD_BIRTHDAY));

  for (guint i = 0; i < G_N_ELEMENTS (owner_keys); i++)
    ADD_STRING (owner_keys[i].key, owner_value (record, self->owner_values[i]));

#undef ADD_STRING

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- create ------------------------------------------------------------------------------ */

typedef struct
{
  PuenteEntity  entity;
  char         *ref;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->ref);
  g_free (data);
}

/* Every 3xx and 4xx is the caller's to report (429 is waited out before); 2xx and 5xx
 * follow the client's usual rules (a 5xx is retried only when repeating is harmless). */
static PuenteApiAnswer
judge_answer (guint       status,
              const char *content_type,
              GBytes     *body)
{
  return status >= 300 && status < 500 ? PUENTE_API_ANSWER_FINAL : PUENTE_API_ANSWER_USUAL;
}

/* The body as it came, trimmed and cut short, the hash masked: for the debug log. */
static char *
answer_for_log (PuenteZappyCrm *self,
                GBytes         *body)
{
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  g_autofree char *text = NULL;

  if (data == NULL || length == 0)
    return g_strdup ("(empty)");

  text = g_utf8_make_valid (data, MIN (length, ANSWER_LOG_LENGTH));
  g_strstrip (text);

  return puente_api_client_redact (self->client, text);
}

/* [U] An id of the new client, if the answer happens to carry one */
static char *
answer_id (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;
  JsonObject *object;

  if (data == NULL || length == 0 || !puente_json_depth_within (data, length, PUENTE_JSON_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (answer_id_members); i++)
    {
      JsonNode *member = json_object_get_member (object, answer_id_members[i]);

      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
        continue;
      if (json_node_get_value_type (member) == G_TYPE_STRING && *json_node_get_string (member) != '\0')
        return g_strdup (json_node_get_string (member));
      if (json_node_get_value_type (member) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
    }

  return NULL;
}

static GError *
refused_lead_error (guint status)
{
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return g_error_new (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                        /* Translators: %s is Zappy's support address */
                        _("Zappy did not accept the private hash. Check it with Zappy’s support "
                          "(%s), then enter it in Puente again."),
                        SUPPORT_ADDRESS);

  if (status >= 400 && status < 500)
    return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_INVALID,
                                _("Zappy did not accept this client. Check the client’s name, "
                                  "email and mobile, and that the origin and segment chosen in "
                                  "Puente are written exactly as in Zappy."));

  return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_UNEXPECTED,
                              _("Zappy answered in a way Puente did not expect, so this client "
                                "may not have arrived. Check Zappy’s address in the setup."));
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PuenteZappyCrm *self = g_task_get_source_object (task);
  CreateData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PuenteApiResponse) response = NULL;
  g_autofree char *logged = NULL;
  g_autofree char *id = NULL;
  PuenteRecord *record;

  response = puente_api_client_send_finish (PUENTE_API_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  logged = answer_for_log (self, response->body);
  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      /* Verbatim, for whoever reads the debug log; a sentence for the owner. */
      g_debug ("POST %s: Zappy answered %u: %s", PATH_CREATE_LEAD, response->status, logged);
      g_task_return_error (task, refused_lead_error (response->status));
      return;
    }

  g_debug ("POST %s: Zappy answered %u (taken as received): %s", PATH_CREATE_LEAD,
           response->status, logged);

  id = answer_id (response->body);
  record = puente_record_new (data->entity);
  record->id = id != NULL ? g_steal_pointer (&id)
                          : g_strconcat ("ref:", data->ref != NULL ? data->ref : "", NULL);
  g_task_return_pointer (task, record, (GDestroyNotify) puente_record_free);
}

static GError *
refused_error (void)
{
  return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_REFUSED,
                              _("Zappy only receives new clients: Puente cannot read, change or "
                                "delete what Zappy has."));
}

static GError *
malformed_hash_error (void)
{
  return g_error_new_literal (PUENTE_API_ERROR, PUENTE_API_ERROR_UNAUTHORIZED,
                              _("The private hash has spaces or line breaks in it. Copy it again "
                                "from Zappy’s message, without them, and enter it in Puente."));
}

static void
zappy_create_async (PuenteCrm           *crm,
                    const PuenteRecord  *record,
                    const char          *external_id_field,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  PuenteZappyCrm *self = PUENTE_ZAPPY_CRM (crm);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) lead = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  CreateData *data;
  JsonObject *object;
  gboolean repeatable;
  gsize length;

  g_task_set_source_tag (task, zappy_create_async);

  if (record->entity == PUENTE_ENTITY_DEAL)
    {
      g_task_return_error (task, refused_error ());
      return;
    }
  if (!self->hash_well_formed)
    {
      g_task_return_error (task, malformed_hash_error ());
      return;
    }

  lead = puente_zappy_crm_build_lead (self, record, external_id_field, &error);
  if (lead == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (CreateData, 1);
  data->entity = record->entity;
  object = json_node_get_object (lead);
  data->ref = g_strdup (json_object_get_string_member_with_default (object, KEY_REF, NULL));
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);

  /* Zappy keeps one client per email or mobile: with either, sending twice is harmless. */
  repeatable = json_object_has_member (object, KEY_EMAIL) || json_object_has_member (object, KEY_MOBILE);

  text = json_to_string (lead, FALSE);
  length = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), length);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_replace (headers, "Accept", "application/json");
  url = puente_api_client_resolve (self->client, PATH_CREATE_LEAD);

  puente_api_client_send_async (self->client, "POST", url, headers, "application/json", body,
                                repeatable, judge_answer, cancellable, created_cb,
                                g_steal_pointer (&task));
}

/* ---- verify, and what Zappy cannot do ---------------------------------------------------- */

static void
zappy_verify_async (PuenteCrm           *crm,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  PuenteZappyCrm *self = PUENTE_ZAPPY_CRM (crm);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, zappy_verify_async);

  /* No call to check the hash is known [U], and a test lead would stay in the owner's
   * Zappy: the address was checked when the connector was made, and the hash's form here.
   * The capabilities lack PUENTE_CRM_CAN_VERIFY so that the owner is told. */
  if (!self->hash_well_formed)
    g_task_return_error (task, malformed_hash_error ());
  else
    g_task_return_boolean (task, TRUE);
}

static void
report_refused (PuenteCrm           *crm,
                gpointer             source_tag,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_task_report_error (crm, callback, user_data, source_tag, refused_error ());
}

static void
zappy_list_async (PuenteCrm           *crm,
                  PuenteEntity         entity,
                  GDateTime           *modified_since,
                  const char          *next,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  report_refused (crm, zappy_list_async, callback, user_data);
}

static void
zappy_find_async (PuenteCrm           *crm,
                  PuenteEntity         entity,
                  PuenteCrmKey         key,
                  const char          *field_name,
                  const char          *value,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  report_refused (crm, zappy_find_async, callback, user_data);
}

static void
zappy_update_async (PuenteCrm           *crm,
                    const PuenteRecord  *record,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  report_refused (crm, zappy_update_async, callback, user_data);
}

static void
zappy_delete_async (PuenteCrm           *crm,
                    PuenteEntity         entity,
                    const char          *id,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  report_refused (crm, zappy_delete_async, callback, user_data);
}

static void
zappy_list_pipelines_async (PuenteCrm           *crm,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  report_refused (crm, zappy_list_pipelines_async, callback, user_data);
}

static void
zappy_list_fields_async (PuenteCrm           *crm,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  report_refused (crm, zappy_list_fields_async, callback, user_data);
}

static void
zappy_create_field_async (PuenteCrm           *crm,
                          PuenteEntity         entity,
                          const char          *name,
                          PuenteFieldType      type,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  report_refused (crm, zappy_create_field_async, callback, user_data);
}

static const char *
zappy_get_name (PuenteCrm *crm)
{
  return SERVICE_NAME;
}

static PuenteCrmCapabilities
zappy_get_capabilities (PuenteCrm *crm)
{
  return PUENTE_ZAPPY_CAPABILITIES;
}

static void
crm_iface_init (PuenteCrmInterface *iface)
{
  iface->get_name = zappy_get_name;
  iface->verify_async = zappy_verify_async;
  iface->list_async = zappy_list_async;
  iface->find_async = zappy_find_async;
  iface->create_async = zappy_create_async;
  iface->update_async = zappy_update_async;
  iface->delete_async = zappy_delete_async;
  iface->list_pipelines_async = zappy_list_pipelines_async;
  iface->list_fields_async = zappy_list_fields_async;
  iface->create_field_async = zappy_create_field_async;
  iface->get_capabilities = zappy_get_capabilities;
}
