/* xml.h - reading XML safely (no network, no external entities) and telling
 * REFI-QDA elements apart in whichever namespace a program wrote them. */
#ifndef QP_REFI_XML_H
#define QP_REFI_XML_H

#include <libxml/tree.h>
#include <stddef.h>

#include <qualpipe/plugin.h>

/* Parses data[0, len) as XML. Returns the document (free with xmlFreeDoc), or
 * NULL with err saying "PATH:LINE: not well-formed XML: reason". */
xmlDoc *qp_xml_read(const char *path, const char *data, size_t len, qp_error *err);

/* Returns 1 when node is an element named `name` in a REFI-QDA namespace (any
 * "urn:QDA-XML:..." spelling) or in none, else 0. */
int qp_refi_is(const xmlNode *node, const char *name);

/* Returns node's attribute `name` (free with xmlFree), or NULL. */
char *qp_xml_attr(const xmlNode *node, const char *name);

#endif
