/* sandbox-ploomes.c: the Ploomes double of puente-sandbox, served under /ploomes/.
 *
 * It answers the subset of Ploomes's REST API (api2.ploomes.com) that
 * ../shared/docs/other-systems.md describes: the `User-Key` header, `{"value": [...]}` answers
 * (a create answers the created record in it), the paths /Account, /Contacts (persons and
 * companies by TypeId), /Contacts@Origins, /Contacts@Types, /Deals, /Deals@Pipelines,
 * /Deals@Stages, /Fields, /Fields@Types, /Tags, /InteractionRecords, /PhoneTypes and /Leads,
 * and custom values in OtherProperties. Where the document
 * does not say, the behaviour here is made up and labelled INVENTED; a connector must not
 * take it for the real one. In particular:
 *
 * - OData: a small subset. $top (at most the page size, 300 as the real one is said to
 *   allow [L]; more is cut down silently: INVENTED), $skip, $orderby only Id (INVENTED:
 *   anything else is a 400), $expand and $select checked against the members each entity
 *   has, a wrong one a 400 as OData does (deals have no Phones [L]; OtherProperties, Tags,
 *   Phones and a field's Type come only expanded; sandbox-ploomes-types.c), and
 *   $filter as the Ploomes connector writes it: clauses joined by `and`, each `Member op
 *   literal` (eq ne gt ge lt le; 'text', numbers, true, false, null, date-times) or
 *   `Collection/any(x: x/Member op literal and ...)`. Text equality ignores case (INVENTED).
 *   Errors are OData's body {"error": {"code", "message"}} (the codes and messages INVENTED).
 * - PATCH merges: OtherProperties by FieldKey, the other members replaced (INVENTED).
 * - Field types at /Fields@Types with their NativeType [C]; their ids INVENTED and unlike
 *   Puente's old guesses, and a custom value is refused unless in the member of its field's
 *   NativeType [C] (sandbox-ploomes-types.c). Field keys ("contact_" or "deal_" and a number
 *   as a GUID: INVENTED), POST /Fields {Name, EntityId, TypeId} and POST /Tags [C].
 *   --no-custom-field-create makes POST /Fields answer 405.
 * - Deals keep ContactId and PersonId [C]; PersonId must be a person (INVENTED check).
 * - Phones: their TypeId one of /PhoneTypes [C: the list; the check INVENTED] (ids and names INVENTED, unlike Puente's
 *   old guesses), a CountryId kept when given [C].
 * - Contacts keep a Note; POST /InteractionRecords {ContactId, Content} [C] keeps a
 *   conversation on a contact (what else it takes and answers: INVENTED).
 * - Leads are their own list: POST /Leads {CompanyName, PersonName, Phones, Origin, OwnerId}
 *   [C: the Postman collection]; a lead also keeps Email and Note (INVENTED: a contact's
 *   members, which the documents do not show on a lead), and needs a PersonName or a
 *   CompanyName (INVENTED). GET /Leads reads them with the same OData subset, Phones only
 *   expanded (INVENTED, as a contact's); /Leads(ID) reads or deletes one.
 *   /Leads@Status and /Leads(ID)/Convert are not served.
 * - A wrong or missing key is a 401 (INVENTED body); DELETE answers 200 with no body
 *   (INVENTED).
 * - `POST /__sandbox/ploomes/page-max {"max": N}` makes pages hold at most N records, as a
 *   service that gives fewer than asked; `POST /__sandbox/ploomes/fields {Name, EntityId,
 *   TypeId}` adds a field as the owner would by hand, even when the API refuses.
 *
 * This file holds the double itself: its routes, the key, its own /__sandbox/ requests.
 * The rest is split by concern over sandbox-ploomes-private.h (with every Ploomes name and
 * code):
 *   sandbox-ploomes-render.c   the answers, and a collection read with its OData options;
 *   sandbox-ploomes-filters.c  $filter;
 *   sandbox-ploomes-write.c    creates and updates, with the members a record keeps;
 *   sandbox-ploomes-types.c    the field types and their values, $expand and $select;
 *   sandbox-ploomes-state.c    the lists and their lookups, the demo data, and the state the
 *                              server saves and loads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-ploomes-private.h"

/* ==== Every Ploomes literal of the double: the routes ===================================== */

/* The names and codes are in sandbox-ploomes-private.h */

static const struct
{
  const char *name;
  Route       route;
  gboolean    by_id;  /* NAME(ID) is allowed */
} routes[] = {
  { "Account", ROUTE_ACCOUNT, FALSE },
  { "Contacts", ROUTE_CONTACTS, TRUE },
  { "Contacts@Types", ROUTE_CONTACT_TYPES, FALSE },
  { "Contacts@Origins", ROUTE_ORIGINS, FALSE },
  { "Deals", ROUTE_DEALS, TRUE },
  { "Deals@Pipelines", ROUTE_PIPELINES, FALSE },
  { "Deals@Stages", ROUTE_STAGES, FALSE },
  { "Fields", ROUTE_FIELDS, FALSE },
  { "Fields@Types", ROUTE_FIELD_TYPES, FALSE },
  { "Tags", ROUTE_TAGS, FALSE },
  { "InteractionRecords", ROUTE_INTERACTIONS, FALSE },
  { "PhoneTypes", ROUTE_PHONE_TYPES, FALSE },
  { "Leads", ROUTE_LEADS, TRUE },
};

/* ==== The service ========================================================================= */

static gboolean
parse_route (const char *path,
             Route      *route,
             gint64     *id)
{
  g_autofree char *name = NULL;
  const char *paren = strchr (path, '(');

  *id = -1;
  if (paren != NULL)
    {
      char *end = NULL;

      name = g_strndup (path, paren - path);
      *id = g_ascii_strtoll (paren + 1, &end, 10);
      if (end == paren + 1 || g_strcmp0 (end, ")") != 0 || *id < 0)
        return FALSE;
    }
  else
    name = g_strdup (path);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].name, name))
      {
        *route = routes[i].route;
        return paren == NULL || routes[i].by_id;
      }

  return FALSE;
}

static void
ploomes_process (gpointer           data,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query)
{
  SandboxPloomes *self = data;
  const char *method = soup_server_message_get_method (msg);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), AUTH_HEADER);
  Route route;
  gint64 id;

  if (!parse_route (path, &route, &id))
    {
      ploomes_answer_not_found_page (msg);
      return;
    }
  if (key == NULL || g_strcmp0 (key, self->key) != 0)
    {
      ploomes_answer_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid User-Key.");  /* INVENTED body */
      return;
    }

  /* $expand and $select are checked on every request, as OData does */
  {
    g_autoptr(JsonObject) empty = json_object_new ();
    g_autofree char *problem = NULL;
    g_autoptr(JsonObject) shaped = ploomes_shape_item (self, route, empty, query, &problem);

    if (shaped == NULL)
      {
        ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, problem);
        return;
      }
  }

  if (id >= 0)
    {
      guint index;
      JsonObject *record = ploomes_find_by_id (ploomes_list_for (self, route), id, &index);

      if (record == NULL)
        ploomes_answer_error (msg, SOUP_STATUS_NOT_FOUND, "Not found.");
      else if (g_str_equal (method, SOUP_METHOD_GET))
        ploomes_answer_shaped (self, msg, route, record, query);
      else if (g_str_equal (method, "PATCH") && route != ROUTE_LEADS)
        ploomes_update_record (self, msg, route, record, query);
      else if (g_str_equal (method, SOUP_METHOD_DELETE))
        {
          json_array_remove_element (ploomes_list_for (self, route), index);
          sandbox_service_changed (&self->service);
          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);  /* INVENTED: no body */
        }
      else
        ploomes_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed.");
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_GET))
    ploomes_get_collection (self, msg, route, query);
  else if (g_str_equal (method, SOUP_METHOD_POST) && (route == ROUTE_CONTACTS || route == ROUTE_DEALS))
    ploomes_create_record (self, msg, route, query);
  else if (g_str_equal (method, SOUP_METHOD_POST) && route == ROUTE_INTERACTIONS)
    ploomes_create_interaction (self, msg, query);
  else if (g_str_equal (method, SOUP_METHOD_POST) && route == ROUTE_LEADS)
    ploomes_create_lead (self, msg, query);
  else if (g_str_equal (method, SOUP_METHOD_POST) && route == ROUTE_TAGS)
    ploomes_create_named (self, msg, route, query);
  else if (g_str_equal (method, SOUP_METHOD_POST) && route == ROUTE_FIELDS && self->field_create)
    ploomes_create_named (self, msg, route, query);
  else
    ploomes_answer_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed.");
}

/* "Contacts(12)" counts as "Contacts" */
static char *
ploomes_resource (gpointer           data,
                  SoupServerMessage *msg,
                  const char        *path)
{
  const char *paren = strchr (path, '(');

  return paren != NULL ? g_strndup (path, paren - path) : g_strdup (path);
}

static void
ploomes_throttled (gpointer           data,
                   SoupServerMessage *msg)
{
  ploomes_answer_error (msg, STATUS_TOO_MANY_REQUESTS, "Too many requests.");  /* INVENTED body */
}

static gboolean
ploomes_control (gpointer           data,
                 SoupServerMessage *msg,
                 const char        *path)
{
  SandboxPloomes *self = data;

  if (g_str_equal (path, "ploomes/fields") && g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      ploomes_create_named (self, msg, ROUTE_FIELDS, NULL);
      return TRUE;
    }

  if (g_str_equal (path, "ploomes/page-max") && g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      g_autoptr(JsonObject) body = ploomes_request_object (msg);
      gint64 max = ploomes_member_int (body, "max", 0);

      if (max < 1 || max > PAGE_SIZE_MAX)
        ploomes_answer_error (msg, SOUP_STATUS_BAD_REQUEST, "max must be from 1 to 300.");
      else
        {
          g_autoptr(JsonNode) ok = json_from_string ("{\"ok\": true}", NULL);

          self->page_max = (guint) max;
          ploomes_answer_json (msg, SOUP_STATUS_OK, ok);
        }
      return TRUE;
    }

  return FALSE;
}

/* ---- Public ------------------------------------------------------------------------------ */

SandboxPloomes *
sandbox_ploomes_new (const char *key,
                     gboolean    field_create)
{
  SandboxPloomes *self = g_new0 (SandboxPloomes, 1);

  self->key = g_strdup (key);
  self->field_create = field_create;
  self->service = (SandboxService) {
    .name = "ploomes",
    .prefix = "/ploomes/",
    .self = self,
    .process = ploomes_process,
    .resource = ploomes_resource,
    .throttled = ploomes_throttled,
    .control = ploomes_control,
    .reset = ploomes_reset,
    .save = ploomes_save,
    .load = ploomes_load,
  };
  ploomes_reset (self);

  return self;
}

void
sandbox_ploomes_free (SandboxPloomes *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < N_LISTS; i++)
    g_clear_pointer (&self->lists[i], json_array_unref);
  if (self->key != NULL)
    memset (self->key, 0, strlen (self->key));
  g_free (self->key);
  g_free (self);
}

SandboxService *
sandbox_ploomes_get_service (SandboxPloomes *self)
{
  return &self->service;
}
