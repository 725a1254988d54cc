/* import_yoshikoder.c - Yoshikoder dictionaries (.ykd): XML whose <cnode name>
 * elements are categories, nested, and whose <pnode name> elements are the
 * patterns of the category they sit in. Read with libxml2. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "import.h"
#include "refi/xml.h"

/* Returns 1 when node is an element named `name`. */
static int is_named(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* Adds the cnodes and pnodes under `parent` to code `code` (-1: the top),
 * depth first. Returns 0, or -1 with err filled. */
static int read_nodes(qp_codebook *cb, qp_id_maker *ids, const xmlNode *parent, long code,
                      const char *path, qp_warn_fn warn, qp_error *err)
{
    for (const xmlNode *n = parent->children; n; n = n->next) {
        int cnode = is_named(n, "cnode"), pnode = is_named(n, "pnode");
        if (!cnode && !pnode)
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        int rc = 0;
        if (!name) {
            snprintf(err->message, sizeof err->message, "%s:%d: a <%s> without a name", path,
                     n->line, cnode ? "cnode" : "pnode");
            rc = -1;
        } else if (cnode) {
            long child = qp_import_category(cb, ids, code, (const char *)name, "");
            if (child < 0)
                snprintf(err->message, sizeof err->message, "%.300s:%d: %.600s", path, n->line,
                         cb->error);
            rc = child < 0 ? -1 : read_nodes(cb, ids, n, child, path, warn, err);
        } else if (code < 0) {
            warn("codebook", "%s:%d: entry \"%s\" is not inside a <cnode>; left out", path, n->line,
                 (const char *)name);
        } else if (qp_import_pattern(cb, (size_t)code, (const char *)name, path, (size_t)n->line,
                                     warn) < 0) {
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
            rc = -1;
        }
        xmlFree(name);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Returns the codebook of a .ykd file, or NULL with err naming the file and line. */
qp_codebook *qp_import_yoshikoder(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                  qp_error *err)
{
    xmlDoc *doc = qp_xml_read(path, data, len, err);
    if (!doc)
        return NULL;
    const xmlNode *root = xmlDocGetRootElement(doc);
    qp_codebook *cb = NULL;
    qp_id_maker ids = {0};
    if (!root || !is_named(root, "dictionary"))
        snprintf(err->message, sizeof err->message,
                 "%s: not a Yoshikoder dictionary: the root element is not <dictionary>", path);
    else if ((cb = qp_import_start(path, "Yoshikoder dictionary", err)) &&
             (qp_id_maker_init(&ids, 1, 1) < 0 ||
              read_nodes(cb, &ids, root, -1, path, warn, err) < 0)) {
        if (!ids.numbered)
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        qp_codebook_free(cb);
        cb = NULL;
    }
    qp_id_maker_free(&ids);
    xmlFreeDoc(doc);
    return cb;
}
