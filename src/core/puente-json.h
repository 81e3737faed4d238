/* puente-json.h: reading members of an answer that is not trusted. A member of the wrong
 * type reads as absent (json-glib's own getters print a critical then), so a connector never
 * trips over what a service, or anyone posting to Puente, sends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects Puente reads: json-glib's parser recurses once
 * per level, so 80,000 `[` overflow the stack of the thread that parses them. */
#define PUENTE_JSON_MAX_DEPTH 64

gboolean    puente_json_depth_within   (const char *data,
                                        gsize       length,
                                        guint       max_depth);

/* Each takes a NULL @object as one without the member. */
JsonNode   *puente_json_member_value   (JsonObject *object,
                                        const char *name);
const char *puente_json_member_string  (JsonObject *object,
                                        const char *name);
char       *puente_json_member_id      (JsonObject *object,
                                        const char *name);
gint64      puente_json_member_int     (JsonObject *object,
                                        const char *name,
                                        gint64      default_value);
gboolean    puente_json_member_boolean (JsonObject *object,
                                        const char *name,
                                        gboolean    default_value);
JsonObject *puente_json_member_object  (JsonObject *object,
                                        const char *name);
JsonArray  *puente_json_member_array   (JsonObject *object,
                                        const char *name);
JsonObject *puente_json_element_object (JsonArray  *array,
                                        guint       index);

G_END_DECLS
