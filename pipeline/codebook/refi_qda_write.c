/* refi_qda_write.c - a codebook written as a REFI-QDA codebook (.qdc) with
 * libxml2. The standard has no place for rules, so each code's Description
 * reads as guidance for a reviewer (definition, when to use it, examples,
 * patterns) and ends in a block qualpipe reads back: a line QP_REFI_MARK, then
 * the code as qualpipe's JSON; the codebook's own settings sit in the same way in
 * a Set. `codebook export` then `codebook import` gives back the same codebook. */
#include "config.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <nettle/sha2.h>
#include <string.h>

#include "import.h"
#include "util/text.h"

/* Writes a GUID derived from the codebook's name and `what` (a code's id), so
 * exports of the same codebook are identical. */
static void guid_for(const qp_codebook *cb, const char *what, char out[37])
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(cb->name), (const uint8_t *)cb->name);
    sha256_update(&ctx, 1, (const uint8_t *)"/");
    sha256_update(&ctx, strlen(what), (const uint8_t *)what);
    sha256_digest(&ctx, sizeof d, d);
    d[6] = (uint8_t)((d[6] & 0x0f) | 0x50); /* version 5 style */
    d[8] = (uint8_t)((d[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0],
             d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13],
             d[14], d[15]);
}

/* Appends "\n\nTITLE: a, b" (or one item a line with `lines`) for the string
 * or strings of obj[key]. Returns 0, or -1 when out of memory. */
static int add_field(qp_buf *b, const json_t *obj, const char *key, const char *title, int lines)
{
    const json_t *v = json_object_get(obj, key);
    size_t n = json_is_array(v) ? json_array_size(v) : json_is_string(v);
    if (!n)
        return 0;
    int bad = (b->len && qp_buf_append(b, "\n\n", 2) < 0) || qp_buf_append(b, title, strlen(title));
    for (size_t i = 0; i < n && !bad; i++) {
        const char *s = json_string_value(json_is_array(v) ? json_array_get(v, i) : v);
        const char *sep = lines ? "\n- " : i ? ", " : " ";
        bad = !s || qp_buf_append(b, sep, strlen(sep)) < 0 || qp_buf_append(b, s, strlen(s)) < 0;
    }
    return bad ? -1 : 0;
}

/* Returns code i's Description (caller frees with qp_buf_free): guidance a
 * reviewer reads, then QP_REFI_MARK and the code as JSON. */
static int describe(const qp_codebook *cb, size_t i, qp_buf *b)
{
    json_t *o = qp_code_json(cb, i);
    if (!o)
        return -1;
    const char *def = json_string_value(json_object_get(o, "definition"));
    char *js = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int bad = !js || (def && qp_buf_append(b, def, strlen(def)) < 0) ||
              add_field(b, o, "when_to_use", "When to use:", 0) < 0 ||
              add_field(b, o, "when_not_to_use", "When not to use:", 0) < 0 ||
              add_field(b, o, "examples", "Examples:", 1) < 0 ||
              add_field(b, o, "near_misses", "Near misses:", 1) < 0 ||
              add_field(b, o, "patterns", "Patterns:", 0) < 0 ||
              add_field(b, o, "exclude", "Excluded:", 0) < 0 ||
              (b->len && qp_buf_append(b, "\n\n", 2) < 0) ||
              qp_buf_append(b, QP_REFI_MARK "\n", strlen(QP_REFI_MARK) + 1) < 0 ||
              qp_buf_append(b, js, strlen(js)) < 0;
    free(js);
    json_decref(o);
    return bad ? -1 : 0;
}

/* Writes the <Code> elements under `parent`. Returns 0, or -1 on a write error. */
static int write_codes(const qp_codebook *cb, xmlTextWriter *w, long parent)
{
    for (size_t i = 0; i < cb->n_codes; i++) {
        const qp_code *c = &cb->codes[i];
        if (c->parent != parent || qp_code_is_negated_sibling(c))
            continue;
        char guid[37];
        guid_for(cb, c->id, guid);
        qp_buf d = {0};
        int bad =
            describe(cb, i, &d) < 0 || xmlTextWriterStartElement(w, (const xmlChar *)"Code") < 0 ||
            xmlTextWriterWriteAttribute(w, (const xmlChar *)"guid", (const xmlChar *)guid) < 0 ||
            xmlTextWriterWriteAttribute(w, (const xmlChar *)"name", (const xmlChar *)c->label) <
                0 ||
            xmlTextWriterWriteAttribute(w, (const xmlChar *)"isCodable", (const xmlChar *)"true") <
                0 ||
            xmlTextWriterWriteElement(w, (const xmlChar *)"Description", (const xmlChar *)d.data) <
                0;
        qp_buf_free(&d);
        if (bad || write_codes(cb, w, (long)i) < 0 || xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return 0;
}

/* Writes the Set holding the codebook's own settings (name, version, citation,
 * negators...). Returns 0, or -1 on a write error. */
static int write_settings(const qp_codebook *cb, xmlTextWriter *w)
{
    json_t *o = qp_codebook_settings_json(cb);
    char *js = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    char guid[37], name[400], *text = NULL;
    guid_for(cb, "\n(settings)", guid); /* no code id holds a line break */
    snprintf(name, sizeof name, "qualpipe codebook: %.300s", cb->name);
    int bad = !js || asprintf(&text, "%s\n%s", QP_REFI_MARK, js) < 0;
    bad = bad || xmlTextWriterStartElement(w, (const xmlChar *)"Sets") < 0 ||
          xmlTextWriterStartElement(w, (const xmlChar *)"Set") < 0 ||
          xmlTextWriterWriteAttribute(w, (const xmlChar *)"guid", (const xmlChar *)guid) < 0 ||
          xmlTextWriterWriteAttribute(w, (const xmlChar *)"name", (const xmlChar *)name) < 0 ||
          xmlTextWriterWriteElement(w, (const xmlChar *)"Description", (const xmlChar *)text) < 0 ||
          xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0;
    free(js);
    free(text);
    return bad ? -1 : 0;
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
                                      (const xmlChar *)QP_QDC_NS) < 0 ||
          xmlTextWriterWriteAttribute(w, (const xmlChar *)"origin", (const xmlChar *)origin) < 0 ||
          xmlTextWriterStartElement(w, (const xmlChar *)"Codes") < 0 ||
          write_codes(cb, w, -1) < 0 || xmlTextWriterEndElement(w) < 0 ||
          write_settings(cb, w) < 0 || xmlTextWriterEndElement(w) < 0 ||
          xmlTextWriterEndDocument(w) < 0;
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
