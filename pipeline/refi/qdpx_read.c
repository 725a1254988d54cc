/* qdpx_read.c - a REFI-QDA project read with libzip and libxml2: its users,
 * codes, text sources and coded text selections.
 *
 * What programs are known to write, beyond what Project.xsd requires (from the
 * standard and from QualCoder's importer, which reads the files of the others):
 * the folder of sources may be "Sources" or "sources" and the project file
 * another name than project.qde; a source's text is at plainTextPath
 * "internal://NAME" or inline as PlainTextContent; a PDF's text is a
 * <Representation> coded like a text source; the user is on the Coding, or only
 * on its PlainTextSelection (creatingUser, else modifyingUser); MAXQDA writes
 * selections without a Coding (comments), NVivo codings that point at cases,
 * not codes; ATLAS.ti counts a CR LF as one character. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qdpx.h"
#include "qdpx_zip.h"
#include "util/grow.h"
#include "xml.h"

/* What reading holds besides the project. */
typedef struct reader {
    qdpx_project *p;
    qdpx_archive *zip;
    size_t max_entry;
    json_t *code_by_guid, *user_by_guid; /* lower-case GUID -> index */
    size_t codes_cap, sources_cap, users_cap;
    qp_error *err;
} reader;

/* Returns the GUID attribute `name` of node in lower case (NVivo writes upper
 * case, others lower), malloc'd; NULL when absent. */
static char *guid_attr(const xmlNode *node, const char *name)
{
    char *v = qp_xml_attr(node, name);
    for (char *c = v; c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return v;
}

/* Returns the index recorded for guid in map, or -1. */
static long index_of(const json_t *map, const char *guid)
{
    const json_t *v = guid ? json_object_get(map, guid) : NULL;
    return v ? (long)json_integer_value(v) : -1;
}

/* Returns strdup(s ? s : ""), or NULL when out of memory. */
static char *copy(const char *s)
{
    return strdup(s ? s : "");
}

static int nomem(reader *r)
{
    snprintf(r->err->message, sizeof r->err->message, "%s: out of memory", r->p->path);
    return -1;
}

static int read_users(reader *r, const xmlNode *users)
{
    for (const xmlNode *n = users->children; n; n = n->next) {
        if (!qp_refi_is(n, "User"))
            continue;
        qdpx_project *p = r->p;
        if (qp_grow(&p->users, &r->users_cap, p->n_users + 1, sizeof *p->users, 8) < 0)
            return nomem(r);
        char *name = qp_xml_attr(n, "name");
        qdpx_user *u = &p->users[p->n_users];
        u->guid = guid_attr(n, "guid");
        u->name = copy(name && *name ? name : u->guid);
        xmlFree(name);
        if (!u->guid || !u->name ||
            json_object_set_new(r->user_by_guid, u->guid, json_integer((json_int_t)p->n_users)) <
                0) {
            free(u->guid), free(u->name);
            return nomem(r);
        }
        p->n_users++;
    }
    return 0;
}

/* Adds the <Code> elements under node, depth first. Returns 0, or -1 with err. */
static int read_codes(reader *r, const xmlNode *node, long parent)
{
    for (const xmlNode *n = node->children; n; n = n->next) {
        if (!qp_refi_is(n, "Code"))
            continue;
        qdpx_project *p = r->p;
        if (qp_grow(&p->codes, &r->codes_cap, p->n_codes + 1, sizeof *p->codes, 32) < 0)
            return nomem(r);
        char *name = qp_xml_attr(n, "name");
        qdpx_code *c = &p->codes[p->n_codes];
        c->guid = guid_attr(n, "guid");
        c->name = copy(name);
        c->parent = parent;
        xmlFree(name);
        if (!c->guid) {
            free(c->name);
            snprintf(r->err->message, sizeof r->err->message, "%s: line %d: a Code without a guid",
                     p->path, n->line);
            return -1;
        }
        if (!c->name || json_object_set_new(r->code_by_guid, c->guid,
                                            json_integer((json_int_t)p->n_codes)) < 0) {
            free(c->guid), free(c->name);
            return nomem(r);
        }
        long self = (long)p->n_codes++;
        if (read_codes(r, n, self) < 0)
            return -1;
    }
    return 0;
}

/* Returns a position attribute of a selection, or -1 with err filled when it is
 * missing or not a whole number from 0. */
static long position(reader *r, const xmlNode *sel, const char *name)
{
    char *v = qp_xml_attr(sel, name), *end = NULL;
    long n = v ? strtol(v, &end, 10) : -1;
    int bad = !v || end == v || *end || n < 0;
    xmlFree(v);
    if (bad)
        snprintf(r->err->message, sizeof r->err->message,
                 "%s: line %d: a PlainTextSelection without a valid %s", r->p->path, sel->line,
                 name);
    return bad ? -1 : n;
}

/* Returns the user named by node's creatingUser (or modifyingUser), or `dflt`. */
static long user_of(reader *r, const xmlNode *node, long dflt)
{
    char *g = guid_attr(node, "creatingUser");
    if (!g)
        g = guid_attr(node, "modifyingUser");
    long u = index_of(r->user_by_guid, g);
    free(g);
    return u >= 0 ? u : dflt;
}

/* Adds the codings of one PlainTextSelection of source s. Returns 0, or -1. */
static int read_selection(reader *r, const xmlNode *sel, size_t s)
{
    long start = position(r, sel, "startPosition");
    long end = start < 0 ? -1 : position(r, sel, "endPosition");
    if (start < 0 || end < 0)
        return -1;
    if (end < start) {
        snprintf(r->err->message, sizeof r->err->message,
                 "%s: line %d: a PlainTextSelection ends (%ld) before it starts (%ld)", r->p->path,
                 sel->line, end, start);
        return -1;
    }
    long sel_user = user_of(r, sel, -1);
    for (const xmlNode *c = sel->children; c; c = c->next) {
        if (!qp_refi_is(c, "Coding"))
            continue;
        long code = -1;
        for (const xmlNode *k = c->children; k; k = k->next)
            if (qp_refi_is(k, "CodeRef")) {
                char *g = guid_attr(k, "targetGUID");
                code = index_of(r->code_by_guid, g);
                free(g);
            }
        qdpx_project *p = r->p;
        if (code < 0) {
            p->to_no_code++;
            continue;
        }
        if (qp_grow(&p->codings, &p->codings_cap, p->n_codings + 1, sizeof *p->codings, 256) < 0)
            return nomem(r);
        p->codings[p->n_codings++] =
            (qdpx_coding){s, start, end, (size_t)code, user_of(r, c, sel_user)};
    }
    return 0;
}

/* Reads the text of source node (PlainTextContent, or the archive's entry named
 * by plainTextPath "internal://NAME") into s. Returns 0, or -1 with err. */
static int read_text(reader *r, const xmlNode *node, qdpx_source *s)
{
    for (const xmlNode *c = node->children; c; c = c->next)
        if (qp_refi_is(c, "PlainTextContent")) {
            xmlChar *t = xmlNodeGetContent(c);
            s->text = copy((const char *)t);
            xmlFree(t);
            if (!s->text)
                return nomem(r);
            s->text_len = strlen(s->text);
            return 0;
        }
    char *path = qp_xml_attr(node, "plainTextPath");
    int rc = 0;
    if (path && strncmp(path, "internal://", 11) == 0) {
        char entry[1200];
        snprintf(entry, sizeof entry, "sources/%.1000s", path + 11);
        rc = qdpx_archive_read(r->zip, entry, r->max_entry, &s->text, &s->text_len, r->err);
        if (rc == 1) { /* named, but not in the archive: matched by name alone */
            s->text = NULL;
            rc = 0;
        }
    }
    xmlFree(path);
    /* A byte order mark (Windows programs write one) is not text: positions
     * count from after it, as the program showing the text does. */
    if (rc == 0 && s->text && s->text_len >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0) {
        memmove(s->text, s->text + 3, s->text_len - 2); /* with the NUL */
        s->text_len -= 3;
    }
    return rc < 0 ? -1 : 0;
}

/* Adds a text source (a TextSource, or a PDF's Representation named `name`).
 * Returns 0, or -1 with err. */
static int read_source(reader *r, const xmlNode *node, const char *name)
{
    qdpx_project *p = r->p;
    if (qp_grow(&p->sources, &r->sources_cap, p->n_sources + 1, sizeof *p->sources, 32) < 0)
        return nomem(r);
    size_t s = p->n_sources;
    qdpx_source *src = &p->sources[s];
    memset(src, 0, sizeof *src);
    char *own = qp_xml_attr(node, "name");
    src->guid = guid_attr(node, "guid");
    src->name = copy(name ? name : own);
    src->creator = user_of(r, node, -1);
    xmlFree(own);
    p->n_sources++;
    if (!src->name)
        return nomem(r);
    if (read_text(r, node, &p->sources[s]) < 0)
        return -1;
    for (const xmlNode *c = node->children; c; c = c->next)
        if (qp_refi_is(c, "PlainTextSelection") && read_selection(r, c, s) < 0)
            return -1;
    return 0;
}

/* Reads the sources: text ones and PDFs' text representations; counts the
 * selections of the others. Returns 0, or -1 with err. */
static int read_sources(reader *r, const xmlNode *sources)
{
    for (const xmlNode *n = sources->children; n; n = n->next) {
        if (qp_refi_is(n, "TextSource")) {
            if (read_source(r, n, NULL) < 0)
                return -1;
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (const xmlNode *c = n->children; c; c = c->next) {
            if (qp_refi_is(n, "PDFSource") && qp_refi_is(c, "Representation")) {
                char *name = qp_xml_attr(n, "name");
                int rc = read_source(r, c, name);
                xmlFree(name);
                if (rc < 0)
                    return -1;
            } else if (c->type == XML_ELEMENT_NODE && strstr((const char *)c->name, "Selection")) {
                r->p->not_text++;
            }
        }
    }
    return 0;
}

/* Reads the parts of the <Project> element. Returns 0, or -1 with err. */
static int read_project(reader *r, const xmlNode *root)
{
    char *origin = qp_xml_attr(root, "origin");
    r->p->origin = copy(origin);
    xmlFree(origin);
    if (!r->p->origin)
        return nomem(r);
    r->p->crlf_one_char = strcasestr(r->p->origin, "atlas") != NULL;
    for (const xmlNode *n = root->children; n; n = n->next)
        if (qp_refi_is(n, "Users") && read_users(r, n) < 0)
            return -1;
    for (const xmlNode *n = root->children; n; n = n->next)
        for (const xmlNode *c = qp_refi_is(n, "CodeBook") ? n->children : NULL; c; c = c->next)
            if (qp_refi_is(c, "Codes") && read_codes(r, c, -1) < 0)
                return -1;
    for (const xmlNode *n = root->children; n; n = n->next)
        if (qp_refi_is(n, "Sources") && read_sources(r, n) < 0)
            return -1;
    return 0;
}

int qdpx_project_read(const char *path, const char *data, size_t len, size_t max_entry,
                      qdpx_project *p, qp_error *err)
{
    memset(p, 0, sizeof *p);
    reader r = {.p = p, .max_entry = max_entry, .err = err};
    if (!(p->path = strdup(path)) || !(r.code_by_guid = json_object()) ||
        !(r.user_by_guid = json_object())) {
        json_decref(r.code_by_guid);
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return -1;
    }
    int rc = -1;
    const char *qde;
    char *xml = NULL;
    size_t xml_len = 0;
    if (!(r.zip = qdpx_archive_open(path, data, len, err)))
        goto done;
    if (!(qde = qdpx_archive_find(r.zip, ".qde"))) {
        snprintf(err->message, sizeof err->message,
                 "%s: not a REFI-QDA project: the archive holds no project.qde", path);
        goto done;
    }
    char qde_name[512];
    snprintf(qde_name, sizeof qde_name, "%.500s", qde);
    if (qdpx_archive_read(r.zip, qde_name, max_entry, &xml, &xml_len, err) != 0)
        goto done;
    char where[1200];
    snprintf(where, sizeof where, "%.600s: %.500s", path, qde_name);
    if (!(p->doc = qp_xml_read(where, xml, xml_len, err)))
        goto done;
    const xmlNode *root = xmlDocGetRootElement(p->doc);
    if (!root || !qp_refi_is(root, "Project")) {
        snprintf(err->message, sizeof err->message,
                 "%s: not a REFI-QDA project: %s has no <Project> in urn:QDA-XML:project:1.0", path,
                 qde_name);
        goto done;
    }
    rc = read_project(&r, root);
done:
    free(xml);
    qdpx_archive_close(r.zip);
    json_decref(r.code_by_guid);
    json_decref(r.user_by_guid);
    if (rc < 0)
        qdpx_project_free(p);
    return rc;
}

const xmlNode *qdpx_project_root(const qdpx_project *p)
{
    return p->doc ? xmlDocGetRootElement(p->doc) : NULL;
}

void qdpx_project_free(qdpx_project *p)
{
    for (size_t i = 0; i < p->n_users; i++)
        free(p->users[i].guid), free(p->users[i].name);
    for (size_t i = 0; i < p->n_codes; i++)
        free(p->codes[i].guid), free(p->codes[i].name);
    for (size_t i = 0; i < p->n_sources; i++)
        free(p->sources[i].guid), free(p->sources[i].name), free(p->sources[i].text);
    free(p->users);
    free(p->codes);
    free(p->sources);
    free(p->codings);
    free(p->origin);
    free(p->path);
    if (p->doc)
        xmlFreeDoc(p->doc);
    memset(p, 0, sizeof *p);
}

long qdpx_byte_offset(const char *text, size_t len, long pos, int crlf_one_char)
{
    size_t i = 0;
    for (long c = 0; c < pos; c++) {
        if (i >= len)
            return -1;
        if (crlf_one_char && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            i += 2;
        else
            for (i++; i < len && ((unsigned char)text[i] & 0xc0) == 0x80; i++)
                ;
    }
    return (long)i;
}
