/* puente-xml.h: the few libxml2 tree helpers the SOAP client and the GIAV double share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

#define PUENTE_XML_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"

xmlNode  *puente_xml_first_element (xmlNode    *node);
xmlNode  *puente_xml_next_element  (xmlNode    *node);
gboolean  puente_xml_is_element    (xmlNode    *node,
                                    const char *ns,
                                    const char *name);
gboolean  puente_xml_is_nil        (xmlNode    *node);

G_END_DECLS
