/* refi_qda.c - REFI-QDA codebooks (.qdc) read with libxml2, so NVivo, ATLAS.ti,
 * MAXQDA and QualCoder users can share the code tree. A code another program
 * made has a name and a description; one qualpipe wrote (refi_qda_write.c)
 * also carries its rules after QP_REFI_MARK, and comes back whole. */
#include "config.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "refi/qdpx.h"
#include "refi/xml.h"
#include "util/fileio.h"
#include "util/text.h"

/* What reading the codes collects besides the codebook. */
typedef struct qdc_read {
    qp_id_maker ids;
    json_t *order; /* each <Code>'s qualpipe id, in the file's order; or NULL */
    json_t *kept;  /* per code, in code order: its JSON after QP_REFI_MARK, or null */
    size_t n_kept; /* how many codes had one */
    const char *path;
    qp_error *err;
} qdc_read;

/* Returns the text of node's Descriptions (one is the standard; more are kept,
 * a blank line between) in *d. Returns 0, or -1 when out of memory. */
static int description_of(const xmlNode *n, qp_buf *d)
{
    for (const xmlNode *e = n->children; e; e = e->next)
        if (qp_refi_is(e, "Description")) {
            xmlChar *text = xmlNodeGetContent(e);
            const char *t = text ? (const char *)text : "";
            int bad =
                (d->len && qp_buf_append(d, "\n\n", 2) < 0) || qp_buf_append(d, t, strlen(t)) < 0;
            xmlFree(text);
            if (bad)
                return -1;
        }
    return 0;
}

/* Returns the JSON object qualpipe kept after QP_REFI_MARK in a description,
 * json_null() when there is none, or NULL with err filled (naming `what` and
 * the line) when it is not a JSON object. */
static json_t *kept_json(const char *description, const char *what, int line, qdc_read *r)
{
    const char *mark = description ? strstr(description, QP_REFI_MARK) : NULL;
    if (!mark)
        return json_null();
    json_error_t jerr;
    json_t *v = json_loads(mark + strlen(QP_REFI_MARK), JSON_DISABLE_EOF_CHECK, &jerr);
    if (!json_is_object(v)) {
        json_decref(v);
        snprintf(r->err->message, sizeof r->err->message,
                 "%.300s:%d: %.200s: the lines after \"%s\" are not the JSON qualpipe wrote "
                 "(%.200s); restore them, or delete them and the mark to import the code "
                 "without its rules",
                 r->path, line, what, QP_REFI_MARK, jerr.text);
        return NULL;
    }
    return v;
}

/* Gives code the colour of its <Code> element, when it has one. Returns 0, or
 * -1 with cb->error set. */
static int set_color(qp_codebook *cb, long code, const xmlNode *n)
{
    char *color = qp_xml_attr(n, "color");
    int rc = color ? qp_codebook_set_color(cb, (size_t)code, color) : 0;
    xmlFree(color);
    return rc;
}

/* Adds the <Code> elements under `parent` (and theirs, depth first), with ids
 * from their names, keeping what qualpipe wrote of each. Returns 0, or -1 with
 * err filled. */
static int read_codes(qp_codebook *cb, const xmlNode *parent, long parent_code, qdc_read *r)
{
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (!qp_refi_is(n, "Code"))
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (!name) {
            snprintf(r->err->message, sizeof r->err->message, "%s:%d: a Code without a name",
                     r->path, n->line);
            return -1;
        }
        qp_buf d = {0};
        json_t *kept = NULL;
        long code = -1;
        if (description_of(n, &d) < 0)
            snprintf(r->err->message, sizeof r->err->message, "%s: out of memory", r->path);
        else if ((kept = kept_json(d.data, (const char *)name, n->line, r)) &&
                 ((code = qp_import_category(cb, &r->ids, parent_code, (const char *)name,
                                             d.len ? d.data : "")) < 0 ||
                  set_color(cb, code, n) < 0)) {
            snprintf(r->err->message, sizeof r->err->message, "%.300s:%d: %.600s", r->path, n->line,
                     cb->error);
            code = -1;
        }
        xmlFree(name);
        qp_buf_free(&d);
        r->n_kept += kept && !json_is_null(kept);
        const char *id = json_is_object(kept) ? json_string_value(json_object_get(kept, "id"))
                         : code >= 0          ? cb->codes[code].id
                                              : NULL;
        if (code < 0) {
            json_decref(kept);
            return -1;
        }
        int bad = r->order && json_array_append_new(r->order, json_string(id ? id : "")) < 0;
        if (json_array_append_new(r->kept, kept) < 0 || bad) { /* kept is released either way */
            snprintf(r->err->message, sizeof r->err->message, "%s: out of memory", r->path);
            return -1;
        }
        if (read_codes(cb, n, code, r) < 0)
            return -1;
    }
    return 0;
}

/* Returns the codes under `parent` as JSON code objects: what qualpipe kept of
 * each, or its id, name, description and colour. NULL when out of memory. */
static json_t *tree_of(const qp_codebook *cb, const json_t *kept, long parent)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < cb->n_codes; i++) {
        const qp_code *c = &cb->codes[i];
        const json_t *k = json_array_get(kept, i);
        /* A project's X_negated codes: remade from the codebook's negators. */
        if (c->parent != parent || json_is_true(json_object_get(k, "negated_sibling")))
            continue;
        json_t *o = json_is_object(k) ? json_deep_copy(k) : qp_code_json(cb, i);
        json_t *children = tree_of(cb, kept, (long)i);
        if (!o || !children ||
            (json_array_size(children) && json_object_set(o, "codes", children) < 0)) {
            json_decref(o), json_decref(children), json_decref(a);
            return NULL;
        }
        json_decref(children);
        json_array_append_new(a, o);
    }
    return a;
}

/* Returns the codebook qualpipe wrote into a .qdc, rebuilt from its JSON:
 * `settings` (the Set's, or NULL) and each code's kept object. NULL with err. */
static qp_codebook *rebuild(const qp_codebook *plain, const json_t *settings, qdc_read *r)
{
    json_t *root = settings ? json_deep_copy(settings) : qp_codebook_settings_json(plain);
    json_t *codes = tree_of(plain, r->kept, -1);
    char *text = root && codes && json_object_set(root, "codes", codes) == 0
                     ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER)
                     : NULL;
    json_decref(codes);
    json_decref(root);
    if (!text) {
        snprintf(r->err->message, sizeof r->err->message, "%s: out of memory", r->path);
        return NULL;
    }
    qp_codebook *cb = qp_codebook_parse_json(r->path, text, strlen(text), r->err);
    free(text);
    return cb;
}

/* Returns the settings qualpipe kept in a <Set> of the codebook, json_null()
 * when there are none, or NULL with err filled. */
static json_t *kept_settings(const xmlNode *root, qdc_read *r)
{
    for (const xmlNode *sets = root->children; sets; sets = sets->next)
        for (const xmlNode *n = qp_refi_is(sets, "Sets") ? sets->children : NULL; n; n = n->next) {
            qp_buf d = {0};
            if (!qp_refi_is(n, "Set") || description_of(n, &d) < 0) {
                qp_buf_free(&d);
                continue;
            }
            json_t *v = kept_json(d.data, "the qualpipe codebook Set", n->line, r);
            qp_buf_free(&d);
            if (!v || !json_is_null(v))
                return v;
        }
    return json_null();
}

/* Returns the codebook of the <Codes> element `codes`, with the settings kept in
 * a Set under `root`; with `order`, appends each code's id to it in the file's
 * order. NULL with err filled. */
static qp_codebook *read_codebook(const char *path, const xmlNode *root, const xmlNode *codes,
                                  json_t *order, qp_error *err)
{
    qp_codebook *cb = qp_import_start(path, "REFI-QDA codebook", err);
    if (!cb)
        return NULL;
    qdc_read r = {.kept = json_array(), .order = order, .path = path, .err = err};
    json_t *settings = NULL;
    int bad = !r.kept || qp_id_maker_init(&r.ids, 0, 0) < 0;
    if (bad)
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
    bad = bad || read_codes(cb, codes, -1, &r) < 0 || !(settings = kept_settings(root, &r));
    if (!bad && (r.n_kept || !json_is_null(settings))) { /* written by qualpipe */
        qp_codebook *whole = rebuild(cb, json_is_null(settings) ? NULL : settings, &r);
        qp_codebook_free(cb);
        cb = whole;
    } else if (bad) {
        qp_codebook_free(cb);
        cb = NULL;
    }
    json_decref(settings);
    json_decref(r.kept);
    qp_id_maker_free(&r.ids);
    return cb;
}

/* Returns the <name> child of node, or NULL. */
static const xmlNode *child(const xmlNode *node, const char *name)
{
    for (const xmlNode *n = node ? node->children : NULL; n; n = n->next)
        if (qp_refi_is(n, name))
            return n;
    return NULL;
}

qp_codebook *qp_import_qdc(const char *path, const char *data, size_t len, qp_warn_fn warn,
                           qp_error *err)
{
    (void)warn;
    xmlDoc *doc = qp_xml_read(path, data, len, err);
    if (!doc)
        return NULL;
    const xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *codes = root && qp_refi_is(root, "CodeBook") ? child(root, "Codes") : NULL;
    qp_codebook *cb = NULL;
    if (!codes)
        snprintf(err->message, sizeof err->message,
                 "%s: not a REFI-QDA codebook: no <CodeBook><Codes> (in namespace %s, or another "
                 "urn:QDA-XML: one)",
                 path, QP_QDC_NS);
    else
        cb = read_codebook(path, root, codes, NULL, err);
    xmlFreeDoc(doc);
    return cb;
}

qp_codebook *qp_import_project_codes(const char *path, const struct _xmlNode *project,
                                     json_t *order, qp_error *err)
{
    const xmlNode *codes = child(child(project, "CodeBook"), "Codes");
    if (!codes) {
        snprintf(err->message, sizeof err->message,
                 "%s: the project holds no codebook (no <CodeBook><Codes>)", path);
        return NULL;
    }
    return read_codebook(path, project, codes, order, err);
}

qp_codebook *qp_import_qdpx(const char *path, qp_error *err)
{
    char *data;
    size_t len;
    if (qp_read_file(path, QP_QDPX_MAX, &data, &len, err) < 0)
        return NULL;
    qdpx_project p;
    qp_codebook *cb = NULL;
    if (qdpx_project_read(path, data, len, QP_QDPX_MAX, &p, err) == 0) {
        cb = qp_import_project_codes(path, qdpx_project_root(&p), NULL, err);
        qdpx_project_free(&p);
    }
    free(data);
    return cb;
}
