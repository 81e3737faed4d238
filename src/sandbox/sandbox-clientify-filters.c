/* sandbox-clientify-filters.c: a listing of the Clientify double and its query filters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sandbox-clientify-private.h"

typedef struct
{
  FilterKind  kind;
  const char *member;
  const char *value;
  char       *folded;
  gint64      number;
  GDateTime  *when;
  int         comparison;  /* FILTER_TIME: -2 lt, -1 lte, 1 gte, 2 gt */
} Filter;

static void
filter_clear (Filter *filter)
{
  g_clear_pointer (&filter->folded, g_free);
  g_clear_pointer (&filter->when, g_date_time_unref);
}

/* A filter's date (midnight, local time) or ISO 8601 date and time */
static GDateTime *
parse_filter_time (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  int year, month, day;

  if (parse_date (text, &year, &month, &day))
    return g_date_time_new_local (year, month, day, 0, 0, 0);

  return g_date_time_new_from_iso8601 (text, local);
}

static gboolean
parse_time_param (const char  *param,
                  const char **member,
                  int         *comparison)
{
  static const struct
  {
    const char *suffix;
    int         comparison;
  } comparisons[] = {
    { "[lt]", -2 },
    { "[lte]", -1 },
    { "[gte]", 1 },
    { "[gt]", 2 },
  };

  if (g_str_has_prefix (param, Q_CREATED "["))
    *member = M_CREATED;
  else if (g_str_has_prefix (param, Q_MODIFIED "["))
    *member = M_MODIFIED;
  else
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (comparisons); i++)
    if (g_str_equal (param + strlen (*member), comparisons[i].suffix))
      {
        *comparison = comparisons[i].comparison;
        return TRUE;
      }

  return FALSE;
}

/* The filters of the query; parameters that are not filters are left alone, as Django
 * does. FALSE when a value is wrong, with @errors filled. */
static gboolean
read_filters (ClientifyRequest *request,
              GArray           *filters,
              JsonObject       *errors)
{
  const FilterSpec *specs = request->collection->spec->filters;
  GHashTableIter iter;
  const char *param, *value;

  if (request->query == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, request->query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &param, (gpointer *) &value))
    {
      Filter filter = { 0 };

      filter.value = value;
      filter.folded = g_utf8_casefold (value, -1);

      if (parse_time_param (param, &filter.member, &filter.comparison))
        {
          filter.kind = FILTER_TIME;
          filter.when = parse_filter_time (value);
          if (filter.when == NULL)
            {
              add_error (errors, param, MSG_BAD_DATETIME);
              filter_clear (&filter);
              continue;
            }
          g_array_append_val (filters, filter);
          continue;
        }

      if (g_str_has_prefix (param, Q_CUSTOM_FIELD) && request->collection->spec->content_type != NULL)
        {
          filter.kind = FILTER_CUSTOM_FIELD;
          filter.member = param + strlen (Q_CUSTOM_FIELD);
          g_array_append_val (filters, filter);
          continue;
        }

      for (const FilterSpec *spec = specs; spec->param != NULL; spec++)
        {
          if (!g_str_equal (spec->param, param))
            continue;

          filter.kind = spec->kind;
          filter.member = spec->member;
          if (spec->kind == FILTER_INTEGER &&
              !g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &filter.number, NULL))
            {
              add_error (errors, param, MSG_BAD_FILTER_NUMBER);
              break;
            }
          g_array_append_val (filters, filter);
          filter.folded = NULL;
          break;
        }

      filter_clear (&filter);
    }

  return json_object_get_size (errors) == 0;
}

static gboolean
contains_folded (const char *text,
                 const char *folded_part)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return strstr (folded, folded_part) != NULL;
}

static gboolean
list_has (JsonArray  *items,
          const char *member,
          const char *value)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    if (g_strcmp0 (member_string (json_array_get_object_element (items, i), member), value) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
filter_matches (Filter     *filter,
                JsonObject *record)
{
  switch (filter->kind)
    {
    case FILTER_EXACT:
      return g_strcmp0 (member_string (record, filter->member), filter->value) == 0;

    case FILTER_EMAIL:
      {
        JsonArray *emails = member_array (record, M_EMAILS);

        for (guint i = 0; emails != NULL && i < json_array_get_length (emails); i++)
          {
            g_autofree char *email = g_utf8_casefold (
              member_string (json_array_get_object_element (emails, i), M_EMAIL), -1);

            if (g_str_equal (email, filter->folded))
              return TRUE;
          }
        return FALSE;
      }

    case FILTER_PHONE:
      return list_has (member_array (record, M_PHONES), M_PHONE, filter->value);

    case FILTER_CONTACT_QUERY:
      {
        g_autofree char *name = g_strdup_printf ("%s %s", member_string (record, M_FIRST_NAME),
                                                 member_string (record, M_LAST_NAME));
        JsonArray *emails = member_array (record, M_EMAILS);

        if (contains_folded (name, filter->folded))
          return TRUE;
        for (guint i = 0; emails != NULL && i < json_array_get_length (emails); i++)
          if (contains_folded (member_string (json_array_get_object_element (emails, i), M_EMAIL),
                               filter->folded))
            return TRUE;
        return FALSE;
      }

    case FILTER_NAME_QUERY:
      return contains_folded (member_string (record, filter->member), filter->folded);

    case FILTER_INTEGER:
      return member_int (record, filter->member) == filter->number;

    case FILTER_TIME:
      {
        g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (member_string (record, filter->member), NULL);
        int order;

        if (when == NULL)
          return FALSE;
        order = g_date_time_compare (when, filter->when);
        switch (filter->comparison)
          {
          case -2:
            return order < 0;
          case -1:
            return order <= 0;
          case 1:
            return order >= 0;
          default:
            return order > 0;
          }
      }

    case FILTER_CUSTOM_FIELD:
      {
        JsonArray *values = member_array (record, M_CUSTOM_FIELDS);

        for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
          {
            JsonObject *value = json_array_get_object_element (values, i);

            if (g_strcmp0 (member_string (value, M_CF_FIELD), filter->member) == 0 &&
                g_strcmp0 (member_string (value, M_CF_VALUE), filter->value) == 0)
              return TRUE;
          }
        return FALSE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* ---- The listing ------------------------------------------------------------------------- */

void
handle_list (ClientifyRequest *request)
{
  Collection *collection = request->collection;
  g_autoptr(GArray) filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();

  g_array_set_clear_func (filters, (GDestroyNotify) filter_clear);
  if (!read_filters (request, filters, errors))
    {
      answer_errors (request, errors);
      return;
    }

  for (guint i = 0; i < collection->records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (collection->records, i);
      gboolean matching = TRUE;

      for (guint j = 0; j < filters->len && matching; j++)
        matching = filter_matches (&g_array_index (filters, Filter, j), record);

      if (matching)
        g_ptr_array_add (matches, record);
    }

  answer_page (request, matches, collection_renderer (collection));
}
