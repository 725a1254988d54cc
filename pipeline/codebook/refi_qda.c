/* refi_qda.c - the REFI-QDA codebook exchange format (.qdc), read and written
 * with libxml2, so NVivo, ATLAS.ti, MAXQDA and QualCoder users can share the code
 * tree. Patterns have no place in the format and stay in qualpipe's codebooks. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "util/text.h"

#define QDC_NS "urn:QDA-XML:codebook:1.0"

/* Returns 1 when node is an element named `name` in a REFI-QDA namespace, or
 * in none. Programs spell the namespace differently: the standard's
 * urn:QDA-XML:codebook:1.0, urn:QDA-XML:codebook:1:0 (NVivo 12 for Mac), and
 * urn:QDA-XML:project:1.0 inside projects; QualCoder accepts these, and so does
 * qualpipe, with any other version after "urn:QDA-XML:". */
static int is_element(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0 &&
           (!node->ns || strncmp((const char *)node->ns->href, "urn:QDA-XML:", 12) == 0);
}

/* Adds the <Code> elements under `parent` (and theirs, depth first), with ids
 * from their names. Returns 0, or -1 with err filled. */
static int read_codes(qp_codebook *cb, const xmlNode *parent, long parent_code, qp_id_maker *ids,
                      const char *path, qp_error *err)
{
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (!is_element(n, "Code"))
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (!name) {
            snprintf(err->message, sizeof err->message, "%s:%d: a Code without a name", path,
                     n->line);
            return -1;
        }
        /* One Description is the standard; more are kept, a blank line between. */
        qp_buf description = {0};
        for (const xmlNode *d = n->children; d; d = d->next)
            if (is_element(d, "Description")) {
                xmlChar *text = xmlNodeGetContent(d);
                const char *t = text ? (const char *)text : "";
                if ((description.len && qp_buf_append(&description, "\n\n", 2) < 0) ||
                    qp_buf_append(&description, t, strlen(t)) < 0) {
                    xmlFree(text);
                    xmlFree(name);
                    qp_buf_free(&description);
                    snprintf(err->message, sizeof err->message, "%s: out of memory", path);
                    return -1;
                }
                xmlFree(text);
            }
        long code = qp_import_category(cb, ids, parent_code, (const char *)name,
                                       description.len ? description.data : "");
        xmlFree(name);
        qp_buf_free(&description);
        if (code < 0) {
            snprintf(err->message, sizeof err->message, "%.300s:%d: %.600s", path, n->line,
                     cb->error);
            return -1;
        }
        if (read_codes(cb, n, code, ids, path, err) < 0)
            return -1;
    }
    return 0;
}

qp_codebook *qp_import_qdc(const char *path, const char *data, size_t len, qp_warn_fn warn,
                           qp_error *err)
{
    (void)warn;
    xmlDoc *doc = xmlReadMemory(data, (int)len, path, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        snprintf(err->message, sizeof err->message, "%s:%d: not well-formed XML: %s", path,
                 e ? e->line : 0, e && e->message ? e->message : "unreadable");
        return NULL;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *codes = NULL;
    if (root && is_element(root, "CodeBook"))
        for (const xmlNode *n = root->children; n; n = n->next)
            if (is_element(n, "Codes"))
                codes = n;
    qp_codebook *cb = NULL;
    if (!codes)
        snprintf(err->message, sizeof err->message,
                 "%s: not a REFI-QDA codebook: no <CodeBook><Codes> (in namespace %s, or another "
                 "urn:QDA-XML: one)",
                 path, QDC_NS);
    else if ((cb = qp_import_start(path, "REFI-QDA codebook", err))) {
        qp_id_maker ids;
        int made = qp_id_maker_init(&ids, 0, 0);
        if (made < 0 || read_codes(cb, codes, -1, &ids, path, err) < 0) {
            if (made < 0)
                snprintf(err->message, sizeof err->message, "%s: out of memory", path);
            qp_codebook_free(cb);
            cb = NULL;
        }
        qp_id_maker_free(&ids);
    }
    xmlFreeDoc(doc);
    return cb;
}

/* Writes a GUID derived from the codebook's name and the code's id, so exports
 * of the same codebook are identical. */
static void guid_for(const qp_codebook *cb, const char *id, char out[37])
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(cb->name), (const uint8_t *)cb->name);
    sha256_update(&ctx, 1, (const uint8_t *)"/");
    sha256_update(&ctx, strlen(id), (const uint8_t *)id);
    sha256_digest(&ctx, sizeof d, d);
    d[6] = (uint8_t)((d[6] & 0x0f) | 0x50); /* version 5 style */
    d[8] = (uint8_t)((d[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0],
             d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13],
             d[14], d[15]);
}

/* Writes the <Code> elements under `parent`. Returns 0, or -1 on a write error. */
static int write_codes(const qp_codebook *cb, xmlTextWriter *w, long parent)
{
    for (size_t i = 0; i < cb->n_codes; i++) {
        const qp_code *c = &cb->codes[i];
        if (c->parent != parent)
            continue;
        char guid[37];
        guid_for(cb, c->id, guid);
        if (xmlTextWriterStartElement(w, (const xmlChar *)"Code") < 0 ||
            xmlTextWriterWriteAttribute(w, (const xmlChar *)"guid", (const xmlChar *)guid) < 0 ||
            xmlTextWriterWriteAttribute(w, (const xmlChar *)"name", (const xmlChar *)c->label) <
                0 ||
            xmlTextWriterWriteAttribute(w, (const xmlChar *)"isCodable", (const xmlChar *)"true") <
                0)
            return -1;
        if (c->definition && *c->definition &&
            xmlTextWriterWriteElement(w, (const xmlChar *)"Description",
                                      (const xmlChar *)c->definition) < 0)
            return -1;
        if (write_codes(cb, w, (long)i) < 0 || xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return 0;
}

int qp_codebook_write_qdc(const qp_codebook *cb, FILE *out, qp_error *err)
{
    xmlBuffer *buf = xmlBufferCreate();
    xmlTextWriter *w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    int bad = !w;
    char origin[300];
    snprintf(origin, sizeof origin, "qualpipe %s", PACKAGE_VERSION);
    bad = bad || xmlTextWriterSetIndent(w, 1) < 0 ||
          xmlTextWriterStartDocument(w, "1.0", "utf-8", NULL) < 0 ||
          xmlTextWriterStartElementNS(w, NULL, (const xmlChar *)"CodeBook",
                                      (const xmlChar *)QDC_NS) < 0 ||
          xmlTextWriterWriteAttribute(w, (const xmlChar *)"origin", (const xmlChar *)origin) < 0 ||
          xmlTextWriterStartElement(w, (const xmlChar *)"Codes") < 0 ||
          write_codes(cb, w, -1) < 0 || xmlTextWriterEndElement(w) < 0 ||
          xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndDocument(w) < 0;
    if (w)
        xmlFreeTextWriter(w);
    if (!bad)
        bad = fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out) !=
              (size_t)xmlBufferLength(buf);
    if (buf)
        xmlBufferFree(buf);
    if (bad)
        snprintf(err->message, sizeof err->message, "cannot write the REFI-QDA codebook");
    return bad ? -1 : 0;
}
