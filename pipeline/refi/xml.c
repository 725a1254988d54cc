/* xml.c - libxml2 with the network and error printing off. */
#include "config.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "xml.h"

xmlDoc *qp_xml_read(const char *path, const char *data, size_t len, qp_error *err)
{
    if (len > (size_t)2147483647) {
        snprintf(err->message, sizeof err->message, "%s: too large to read as XML (over 2 GiB)",
                 path);
        return NULL;
    }
    xmlDoc *doc =
        xmlReadMemory(data, (int)len, path, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        snprintf(err->message, sizeof err->message, "%s:%d: not well-formed XML: %s", path,
                 e ? e->line : 0, e && e->message ? e->message : "unreadable");
    }
    return doc;
}

/* Programs spell the namespace differently: the standard's
 * urn:QDA-XML:codebook:1.0 and urn:QDA-XML:project:1.0, urn:QDA-XML:codebook:1:0
 * (NVivo 12 for Mac), ...:0:4 (older ATLAS.ti); QualCoder accepts these. */
int qp_refi_is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0 &&
           (!node->ns || strncmp((const char *)node->ns->href, "urn:QDA-XML:", 12) == 0);
}

char *qp_xml_attr(const xmlNode *node, const char *name)
{
    return (char *)xmlGetProp(node, (const xmlChar *)name);
}
