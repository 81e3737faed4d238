/* puente-xml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "puente-xml.h"

/**
 * puente_xml_first_element:
 *
 * Returns: (nullable): @node or the first element after it among its siblings
 */
xmlNode *
puente_xml_first_element (xmlNode *node)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      return node;

  return NULL;
}

xmlNode *
puente_xml_next_element (xmlNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return puente_xml_first_element (node->next);
}

/**
 * puente_xml_is_element:
 *
 * Returns: whether @node is the element @name in the namespace @ns
 */
gboolean
puente_xml_is_element (xmlNode    *node,
                       const char *ns,
                       const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         g_strcmp0 ((const char *) node->ns->href, ns) == 0 &&
         g_strcmp0 ((const char *) node->name, name) == 0;
}

/**
 * puente_xml_is_nil:
 *
 * Returns: whether @node says xsi:nil="true"
 */
gboolean
puente_xml_is_nil (xmlNode *node)
{
  xmlChar *nil = xmlGetNsProp (node, (const xmlChar *) "nil", (const xmlChar *) PUENTE_XML_NS_XSI);
  gboolean result = nil != NULL && (g_strcmp0 ((const char *) nil, "true") == 0 ||
                                    g_strcmp0 ((const char *) nil, "1") == 0);

  xmlFree (nil);
  return result;
}
