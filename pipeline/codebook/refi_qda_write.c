/* refi_qda_write.c - a codebook written as a REFI-QDA codebook (.qdc) with
 * libxml2. The standard has no place for rules, so each code's Description
 * reads as guidance for a reviewer (definition, when to use it, examples,
 * patterns) and ends in a block qualpipe reads back: a line QP_REFI_MARK, then
 * the code as qualpipe's JSON; the codebook's own settings sit in the same way in
 * a Set. `codebook export` then `codebook import` gives back the same codebook. */
#include "config.h"

#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "import.h"
#include "refi/guid.h"
#include "util/text.h"

void qp_refi_code_guid(const qp_codebook *cb, const char *id, char out[QP_GUID_LEN + 1])
{
    qp_guid_of(out, (const char *[]){"code", cb->name, id}, 3);
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

/* Returns the Description of a code made for negated hits (caller frees with
 * qp_buf_free): its definition, and after QP_REFI_MARK only its id and that it
 * is remade from the codebook's negators on import. */
static int describe_negated(const qp_code *c, qp_buf *b)
{
    json_t *o = json_pack("{s:s, s:b}", "id", c->id, "negated_sibling", 1);
    char *js = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    int bad = !js || qp_buf_append(b, c->definition, strlen(c->definition)) < 0 ||
              qp_buf_append(b, "\n\n" QP_REFI_MARK "\n", strlen(QP_REFI_MARK) + 3) < 0 ||
              qp_buf_append(b, js, strlen(js)) < 0;
    free(js);
    json_decref(o);
    return bad ? -1 : 0;
}

/* Returns code i's colour: its own, its nearest ancestor's, or one of twelve
 * well-told-apart colours (Paul Tol's) by the order of its top-level code, so
 * a reviewer tells the branches of the tree apart. */
static const char *color_of(const qp_codebook *cb, size_t i)
{
    static const char *const palette[] = {"#4477AA", "#EE6677", "#228833", "#CCBB44",
                                          "#66CCEE", "#AA3377", "#332288", "#117733",
                                          "#999933", "#882255", "#44AA99", "#DDCC77"};
    size_t top = i;
    for (long k = (long)i; k >= 0; k = cb->codes[k].parent) {
        if (cb->codes[k].color)
            return cb->codes[k].color;
        top = (size_t)k;
    }
    size_t rank = 0;
    for (size_t k = 0; k < top; k++)
        rank += cb->codes[k].parent < 0;
    return palette[rank % (sizeof palette / sizeof palette[0])];
}

/* Writes the <Code> elements under `parent`, with the codes made for negated
 * hits (X_negated) when with_negated. Returns 0, or -1 on a write error. */
static int write_codes(const qp_codebook *cb, xmlTextWriter *w, long parent, int with_negated)
{
    for (size_t i = 0; i < cb->n_codes; i++) {
        const qp_code *c = &cb->codes[i];
        int negated = qp_code_is_negated_sibling(c);
        if (c->parent != parent || (negated && !with_negated))
            continue;
        char guid[QP_GUID_LEN + 1];
        qp_refi_code_guid(cb, c->id, guid);
        qp_buf d = {0};
        int bad = (negated ? describe_negated(c, &d) : describe(cb, i, &d)) < 0 ||
                  qp_buf_reserve(&d, 1) < 0;
        if (!bad)
            d.data[d.len] = '\0';
        bad = bad || xmlTextWriterStartElement(w, (const xmlChar *)"Code") < 0 ||
              xmlTextWriterWriteAttribute(w, (const xmlChar *)"guid", (const xmlChar *)guid) < 0 ||
              xmlTextWriterWriteAttribute(w, (const xmlChar *)"name", (const xmlChar *)c->label) <
                  0 ||
              xmlTextWriterWriteAttribute(w, (const xmlChar *)"isCodable",
                                          (const xmlChar *)"true") < 0 ||
              xmlTextWriterWriteAttribute(w, (const xmlChar *)"color",
                                          (const xmlChar *)color_of(cb, i)) < 0 ||
              xmlTextWriterWriteElement(w, (const xmlChar *)"Description",
                                        (const xmlChar *)d.data) < 0;
        qp_buf_free(&d);
        if (bad || write_codes(cb, w, (long)i, with_negated) < 0 || xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return 0;
}

int qp_refi_write_codes(const qp_codebook *cb, xmlTextWriter *w, int with_negated)
{
    return write_codes(cb, w, -1, with_negated);
}

int qp_refi_write_settings(const qp_codebook *cb, xmlTextWriter *w)
{
    json_t *o = qp_codebook_settings_json(cb);
    char *js = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    char guid[QP_GUID_LEN + 1], name[400], *text = NULL;
    qp_guid_of(guid, (const char *[]){"settings", cb->name}, 2);
    snprintf(name, sizeof name, "qualpipe codebook: %.300s", cb->name);
    int bad = !js || asprintf(&text, "%s\n%s", QP_REFI_MARK, js) < 0;
    bad = bad || xmlTextWriterStartElement(w, (const xmlChar *)"Set") < 0 ||
          xmlTextWriterWriteAttribute(w, (const xmlChar *)"guid", (const xmlChar *)guid) < 0 ||
          xmlTextWriterWriteAttribute(w, (const xmlChar *)"name", (const xmlChar *)name) < 0 ||
          xmlTextWriterWriteElement(w, (const xmlChar *)"Description", (const xmlChar *)text) < 0 ||
          xmlTextWriterEndElement(w) < 0;
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
          write_codes(cb, w, -1, 0) < 0 || xmlTextWriterEndElement(w) < 0 ||
          xmlTextWriterStartElement(w, (const xmlChar *)"Sets") < 0 ||
          qp_refi_write_settings(cb, w) < 0 || xmlTextWriterEndElement(w) < 0 ||
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
