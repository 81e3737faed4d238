/* sandbox-ploomes-types.c: what the Ploomes double checks as OData and as Ploomes would:
 * the custom field types (/Fields@Types) with the one value member each takes, and the
 * members $expand and $select may name.
 *
 * The type *ids* here are INVENTED, and on purpose not the ones Puente once guessed: the
 * documents say only that a type has a NativeType (String, BigString, Integer, Decimal,
 * DateTime, Bool) and that a custom value goes in the member of that NativeType [C], so a
 * connector that reads the types from the account works here and one that trusts a table
 * of ids does not. A value in another member is a 400 (INVENTED message).
 *
 * $expand and $select are checked like OData: a member the entity does not have is a 400
 * (deals have no Phones [L: public models of real deals]). OtherProperties, Tags and Phones
 * only come when expanded, a field's Type too; $select keeps the members named and the ones
 * expanded. Which members exist beyond those Puente uses is INVENTED (a small subset).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes-private.h"

/* ==== Every Ploomes literal of the double: the field types ================================ */

/* Ids and names INVENTED; NativeType and its member [C] */
static const struct
{
  gint64      id;
  const char *name;
  const char *native;
  const char *member;
  GType       json_type;
} field_types[] = {
  { 1, "Texto", "String", "StringValue", G_TYPE_STRING },
  { 3, "Texto longo", "BigString", "BigStringValue", G_TYPE_STRING },
  { 5, "Número inteiro", "Integer", "IntegerValue", G_TYPE_INT64 },
  { 6, "Decimal", "Decimal", "DecimalValue", G_TYPE_DOUBLE },
  { 7, "Data", "DateTime", "DateTimeValue", G_TYPE_STRING },
  { 9, "Sim/Não", "Bool", "BoolValue", G_TYPE_BOOLEAN },
  { 18, "Imagem", "String", "StringValue", G_TYPE_STRING },
};

/* Phone types: ids and names INVENTED */
static const struct
{
  gint64      id;
  const char *name;
} phone_types[] = {
  { 11, "Comercial" }, { 12, "Residencial" }, { 13, "Celular" }, { 14, "Fax" },
};

/* Members $expand may name, per route; the rest of each entity for $select (INVENTED subset) */
static const char * const contact_expand[] = { M_OTHER, M_TAGS, M_PHONES, NULL };
static const char * const deal_expand[] = { M_OTHER, M_TAGS, NULL };
static const char * const field_expand[] = { M_TYPE, NULL };
static const char * const lead_expand[] = { M_PHONES, NULL };
static const char * const no_expand[] = { NULL };
static const char * const contact_select[] = {
  M_ID, M_NAME, M_TYPE_ID, "Register", "Email", "Birthday", M_ORIGIN_ID, "CompanyId", "Note",
  M_CREATED, M_MODIFIED, NULL,
};
static const char * const deal_select[] = {
  M_ID, M_TITLE, "Amount", M_CONTACT_ID, M_PERSON_ID, M_PIPELINE_ID, M_STAGE_ID, M_CREATED, M_MODIFIED, NULL,
};
static const char * const field_select[] = { M_ID, M_KEY, M_NAME, M_ENTITY_ID, M_TYPE_ID, NULL };
static const char * const lead_select[] = {
  M_ID, M_PERSON_NAME, M_COMPANY_NAME, "Email", "Note", M_CREATED, M_MODIFIED, NULL,
};

/* ==== End of the Ploomes literals ========================================================= */

JsonArray *
ploomes_field_types (void)
{
  JsonArray *list = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, M_ID, field_types[i].id);
      json_object_set_string_member (item, M_NAME, field_types[i].name);
      json_object_set_string_member (item, M_NATIVE_TYPE, field_types[i].native);
      json_array_add_object_element (list, item);
    }

  return list;
}

JsonArray *
ploomes_phone_types (void)
{
  JsonArray *list = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (phone_types); i++)
    {
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, M_ID, phone_types[i].id);
      json_object_set_string_member (item, M_NAME, phone_types[i].name);
      json_array_add_object_element (list, item);
    }

  return list;
}

char *
ploomes_check_phones (JsonNode *phones)
{
  if (!JSON_NODE_HOLDS_ARRAY (phones))
    return g_strdup ("Phones must be a list.");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (phones)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (phones), i);
      JsonObject *phone = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      gint64 type = ploomes_member_int (phone, M_TYPE_ID, -1);
      gboolean known = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (phone_types); j++)
        known |= phone_types[j].id == type;
      if (phone == NULL || ploomes_member_string (phone, "PhoneNumber") == NULL || !known)
        return g_strdup ("A phone's TypeId is not one of PhoneTypes.");  /* INVENTED */
      if (json_object_has_member (phone, "CountryId") && ploomes_member_int (phone, "CountryId", -1) < 1)
        return g_strdup ("A phone's CountryId is not valid.");  /* INVENTED */
    }

  return NULL;
}

static int
type_row (gint64 type_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_types); i++)
    if (field_types[i].id == type_id)
      return (int) i;

  return -1;
}

gboolean
ploomes_field_type_exists (gint64 type_id)
{
  return type_row (type_id) >= 0;
}

/* The reason @value ({FieldKey, ...Value}) cannot go in @field, or NULL */
char *
ploomes_check_custom_value (JsonObject *field,
                            JsonObject *value)
{
  int row = type_row (ploomes_member_int (field, M_TYPE_ID, -1));
  g_autoptr(GList) members = json_object_get_members (value);
  JsonNode *node;
  GType type;

  if (row < 0)
    return g_strdup ("The field has no type.");
  for (const GList *l = members; l != NULL; l = l->next)
    if (g_str_has_suffix (l->data, "Value") && !g_str_equal (l->data, field_types[row].member) &&
        !JSON_NODE_HOLDS_NULL (json_object_get_member (value, l->data)))
      return g_strdup_printf ("The field %s takes its value in %s, not in %s.",  /* INVENTED */
                              ploomes_member_string (field, M_KEY), field_types[row].member,
                              (const char *) l->data);

  node = json_object_get_member (value, field_types[row].member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != field_types[row].json_type && !(type == G_TYPE_INT64 && field_types[row].json_type == G_TYPE_DOUBLE))
    return g_strdup_printf ("The value of %s is not a valid %s.", field_types[row].member,  /* INVENTED */
                            field_types[row].native);

  return NULL;
}

/* ---- $expand and $select ------------------------------------------------------------------ */

static void
route_members (Route                route,
               const char * const **expand,
               const char * const **select)
{
  switch (route)
    {
    case ROUTE_CONTACTS:
      *expand = contact_expand;
      *select = contact_select;
      break;
    case ROUTE_DEALS:
      *expand = deal_expand;
      *select = deal_select;
      break;
    case ROUTE_FIELDS:
      *expand = field_expand;
      *select = field_select;
      break;
    case ROUTE_LEADS:
      *expand = lead_expand;
      *select = lead_select;
      break;
    default:
      *expand = no_expand;
      *select = NULL;  /* anything */
      break;
    }
}

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  return list != NULL && g_strv_contains (list, name);
}

/* @text split at commas, each checked against @allowed (and @also); NULL with *problem set */
static GStrv
query_members (const char          *text,
               const char * const  *allowed,
               const char * const  *also,
               char               **problem)
{
  g_auto(GStrv) names = text != NULL ? g_strsplit (text, ",", -1) : g_new0 (char *, 1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_strstrip (names[i]);
      if (allowed != NULL && !in_list (allowed, names[i]) && !in_list (also, names[i]))
        {
          /* The wording of OData's own answer */
          if (problem != NULL)
            *problem = g_strdup_printf ("Could not find a property named '%s' on this entity.", names[i]);
          return NULL;
        }
    }

  return g_steal_pointer (&names);
}

static JsonObject *
field_type_object (gint64 type_id)
{
  int row = type_row (type_id);
  JsonObject *type = json_object_new ();

  json_object_set_int_member (type, M_ID, type_id);
  json_object_set_string_member (type, M_NAME, row >= 0 ? field_types[row].name : "");
  json_object_set_string_member (type, M_NATIVE_TYPE, row >= 0 ? field_types[row].native : "");

  return type;
}

JsonObject *
ploomes_shape_item (SandboxPloomes  *self,
                    Route            route,
                    JsonObject      *item,
                    GHashTable      *query,
                    char           **problem)
{
  const char * const *expandable, * const *selectable;
  g_auto(GStrv) expand = NULL;
  g_auto(GStrv) select = NULL;
  g_autoptr(GList) members = json_object_get_members (item);
  JsonObject *shaped;

  route_members (route, &expandable, &selectable);
  expand = query_members (query != NULL ? g_hash_table_lookup (query, Q_EXPAND) : NULL, expandable, NULL, problem);
  if (expand == NULL)
    return NULL;
  if (query != NULL && g_hash_table_lookup (query, Q_SELECT) != NULL)
    {
      select = query_members (g_hash_table_lookup (query, Q_SELECT), selectable, (const char * const *) expand, problem);
      if (select == NULL)
        return NULL;
    }

  shaped = json_object_new ();
  for (const GList *l = members; l != NULL; l = l->next)
    {
      gboolean expanded = g_strv_contains ((const char * const *) expand, l->data);

      if (in_list (expandable, l->data) && !expanded)
        continue;
      if (select != NULL && !expanded && !g_strv_contains ((const char * const *) select, l->data))
        continue;
      json_object_set_member (shaped, l->data, json_node_copy (json_object_get_member (item, l->data)));
    }
  if (route == ROUTE_FIELDS && g_strv_contains ((const char * const *) expand, M_TYPE))
    json_object_set_object_member (shaped, M_TYPE, field_type_object (ploomes_member_int (item, M_TYPE_ID, -1)));

  return shaped;
}

void
ploomes_answer_shaped (SandboxPloomes    *self,
                       SoupServerMessage *msg,
                       Route              route,
                       JsonObject        *item,
                       GHashTable        *query)
{
  g_autoptr(JsonObject) shaped = ploomes_shape_item (self, route, item, query, NULL);

  ploomes_answer_one (msg, SOUP_STATUS_OK, shaped != NULL ? shaped : item);
}
