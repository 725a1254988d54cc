/* project.c - REFI-QDA projects (.qdpx) as codings for `qualpipe agree`: each
 * user who coded text in the project is one coder. A project's source is the
 * corpus document of the same name (or the same name without its extension),
 * else the one with the same text; its positions, in characters, become byte
 * spans of that text. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "codebook/import.h"
#include "core/host.h"
#include "util/fileio.h"
#include "util/grow.h"

void fold_label(const char *label, char out[FOLDED_LABEL])
{
    snprintf(out, FOLDED_LABEL, "%s", label);
    for (char *c = out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
}

long project_open(agree_state *st, const char *path, qp_error *err)
{
    for (size_t i = 0; i < st->n_projects; i++)
        if (strcmp(st->projects[i].path, path) == 0)
            return (long)i;
    if (qp_grow(&st->projects, &st->projects_cap, st->n_projects + 1, sizeof *st->projects, 4) <
        0) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    project_file *pf = &st->projects[st->n_projects];
    memset(pf, 0, sizeof *pf);
    pf->path = path;
    char *data;
    size_t len;
    if (qp_read_file(path, QP_QDPX_MAX, &data, &len, err) < 0)
        return -1;
    int rc = qdpx_project_read(path, data, len, QP_QDPX_MAX, &pf->p, err);
    free(data);
    if (rc < 0)
        return -1;
    qp_codebook *cb = NULL;
    if (!(pf->code_ids = json_array()) ||
        !(cb = qp_import_project_codes(path, qdpx_project_root(&pf->p), pf->code_ids, err)) ||
        json_array_size(pf->code_ids) != pf->p.n_codes) {
        if (cb)
            snprintf(err->message, sizeof err->message, "%s: the project's codes cannot be read",
                     path);
        qp_codebook_free(cb);
        json_decref(pf->code_ids);
        qdpx_project_free(&pf->p);
        return -1;
    }
    qp_codebook_free(cb);
    xmlFreeDoc(pf->p.doc); /* everything agree needs is read out of it */
    pf->p.doc = NULL;
    return (long)st->n_projects++;
}

size_t project_coders(const project_file *pf, long *users)
{
    size_t n = 0;
    for (long u = 0; u <= (long)pf->p.n_users; u++) {
        long want = u < (long)pf->p.n_users ? u : -1;
        for (size_t i = 0; i < pf->p.n_codings; i++)
            if (pf->p.codings[i].user == want) {
                users[n++] = want;
                break;
            }
    }
    return n;
}

/* Returns 1 when a (the source's text) equals b (the document's) once every
 * CR LF of a is LF; 0 otherwise. */
static int same_but_crlf(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    while (i < an && j < bn) {
        if (a[i] == '\r' && i + 1 < an && a[i + 1] == '\n')
            i++;
        if (a[i++] != b[j++])
            return 0;
    }
    return i == an && j == bn;
}

/* Returns the document source s is, by name, name without extension, or text;
 * sets *crlf when its text has CR LF where the document has LF. -1 when none
 * is; -2 with err when one has its name but not its text. */
static long match_source(const agree_state *st, const project_file *pf, const qdpx_source *s,
                         int *crlf, qp_error *err)
{
    long d = find_doc(st, s->name);
    if (d < 0) {
        char stem[1024];
        snprintf(stem, sizeof stem, "%s", s->name);
        char *dot = strrchr(stem, '.');
        if (dot && dot != stem) {
            *dot = '\0';
            d = find_doc(st, stem);
        }
    }
    *crlf = 0;
    if (!s->text)
        return d;
    for (size_t i = 0; d < 0 && i < st->n_docs; i++)
        if (st->docs[i].text_len == s->text_len &&
            memcmp(st->docs[i].text, s->text, s->text_len) == 0)
            d = (long)i;
    for (size_t i = 0; d < 0 && i < st->n_docs; i++)
        if (same_but_crlf(s->text, s->text_len, st->docs[i].text, st->docs[i].text_len))
            d = (long)i, *crlf = 1;
    if (d < 0)
        return -1;
    const corpus_doc *doc = &st->docs[d];
    if (doc->text_len == s->text_len && memcmp(doc->text, s->text, s->text_len) == 0)
        return d;
    if (same_but_crlf(s->text, s->text_len, doc->text, doc->text_len)) {
        *crlf = 1;
        return d;
    }
    snprintf(err->message, sizeof err->message,
             "%s: source \"%.200s\" has the name of document \"%.200s\" but not its text (%zu "
             "bytes, the document %zu): its positions would point at other words. Give --corpus "
             "the documents the project was made from",
             pf->path, s->name, doc->id, s->text_len, doc->text_len);
    return -2;
}

/* Matches every source of pf to a document, once, and names those that match
 * none. Returns 0, or -1 with err. */
static int match_sources(const agree_state *st, project_file *pf, qp_error *err)
{
    if (pf->source_doc)
        return 0;
    size_t n = pf->p.n_sources;
    pf->source_doc = malloc((n + 1) * sizeof *pf->source_doc);
    pf->source_crlf = calloc(n + 1, sizeof *pf->source_crlf);
    if (!pf->source_doc || !pf->source_crlf) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    size_t unmatched = 0;
    char names[600] = "";
    for (size_t s = 0; s < n; s++) {
        pf->source_doc[s] = match_source(st, pf, &pf->p.sources[s], &pf->source_crlf[s], err);
        if (pf->source_doc[s] == -2)
            return -1;
        if (pf->source_doc[s] < 0) {
            size_t k = strlen(names);
            if (k < sizeof names - 200)
                snprintf(names + k, sizeof names - k, "%s\"%.150s\"", unmatched ? ", " : "",
                         pf->p.sources[s].name);
            unmatched++;
        }
    }
    if (unmatched)
        qp_errorf("agree: %s: %zu source%s match%s no document of the corpus, and %s left out: "
                  "%s%s",
                  pf->path, unmatched, unmatched == 1 ? "" : "s", unmatched == 1 ? "es" : "",
                  unmatched == 1 ? "is" : "are", names,
                  strlen(names) >= sizeof names - 200 ? "..." : "");
    return 0;
}

/* Returns the index of the code that the project's code k stands for: its id
 * (kept by qualpipe, or made from its name as `codebook import` makes it), or
 * with -c a codebook code of the same label; -1 when -c is given and none is;
 * -2 when out of memory. */
static long code_for(agree_state *st, const project_file *pf, size_t k)
{
    const char *id = json_string_value(json_array_get(pf->code_ids, k));
    if (!st->have_codebook) {
        long i = code_index(st, id);
        return i < 0 ? -2 : i;
    }
    for (size_t i = 0; i < st->n_codes; i++)
        if (strcmp(st->codes[i], id) == 0)
            return (long)i;
    char folded[512];
    fold_label(pf->p.codes[k].name, folded);
    const char *by_label = json_string_value(json_object_get(st->labels, folded));
    for (size_t i = 0; by_label && i < st->n_codes; i++)
        if (strcmp(st->codes[i], by_label) == 0)
            return (long)i;
    return -1;
}

/* Converts character position pos of source s into a byte offset of its
 * document. Returns 0 with *out set, or -1 when pos is past the end. */
static int to_bytes(const agree_state *st, const project_file *pf, size_t s, long pos,
                    uint32_t *out)
{
    const qdpx_source *src = &pf->p.sources[s];
    const corpus_doc *doc = &st->docs[pf->source_doc[s]];
    const char *text = src->text ? src->text : doc->text;
    size_t len = src->text ? src->text_len : doc->text_len;
    long b = qdpx_byte_offset(text, len, pos, pf->p.crlf_one_char);
    if (b < 0)
        return -1;
    if (src->text && pf->source_crlf[s]) /* the document has LF where the source has CR LF */
        for (long i = b - 1; i >= 0; i--)
            b -= text[i] == '\r' && (size_t)i + 1 < len && text[i + 1] == '\n';
    *out = (uint32_t)b;
    return 0;
}

/* Marks as coded by c the documents of the sources it coded in or brought in;
 * every other document is missing for it. */
static void mark_coded(const agree_state *st, const project_file *pf, coder *c)
{
    memset(c->missing, 1, st->n_docs);
    for (size_t s = 0; s < pf->p.n_sources; s++)
        if (pf->source_doc[s] >= 0 && c->user >= 0 && pf->p.sources[s].creator == c->user)
            c->missing[pf->source_doc[s]] = 0;
    for (size_t i = 0; i < pf->p.n_codings; i++) {
        const qdpx_coding *k = &pf->p.codings[i];
        if (k->user == c->user && pf->source_doc[k->source] >= 0)
            c->missing[pf->source_doc[k->source]] = 0;
    }
}

/* Prints the project's codes that c used but the codebook lacks. */
static void report_unmatched(const project_file *pf, const coder *c, const size_t *uses)
{
    size_t total = 0, shown = 0;
    char names[700] = "";
    for (size_t k = 0; k < pf->p.n_codes; k++) {
        if (!uses[k])
            continue;
        total += uses[k];
        size_t n = strlen(names);
        if (n < sizeof names - 200)
            snprintf(names + n, sizeof names - n, "%s\"%.150s\" (%zu)", shown++ ? ", " : "",
                     pf->p.codes[k].name, uses[k]);
    }
    if (total)
        qp_errorf("agree: %s: %zu coding%s by %s use%s codes that match no code of the -c "
                  "codebooks (by id or label), left out: %s",
                  pf->path, total, total == 1 ? "" : "s", c->name, total == 1 ? "s" : "", names);
}

int read_project_coding(agree_state *st, coder *c, qp_error *err)
{
    project_file *pf = &st->projects[c->project];
    if (match_sources(st, pf, err) < 0)
        return -1;
    mark_coded(st, pf, c);
    size_t *unmatched = calloc(pf->p.n_codes + 1, sizeof *unmatched);
    if (!unmatched) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < pf->p.n_codings && rc == 0; i++) {
        const qdpx_coding *k = &pf->p.codings[i];
        if (k->user != c->user || pf->source_doc[k->source] < 0)
            continue;
        long code = code_for(st, pf, k->code);
        uint32_t start, end;
        if (code == -1) {
            unmatched[k->code]++;
        } else if (code < 0) {
            snprintf(err->message, sizeof err->message, "out of memory");
            rc = -1;
        } else if (to_bytes(st, pf, k->source, k->start, &start) < 0 ||
                   to_bytes(st, pf, k->source, k->end, &end) < 0) {
            snprintf(err->message, sizeof err->message,
                     "%s: source \"%.200s\": a coding of \"%.200s\" at characters %ld-%ld runs "
                     "past the end of the text",
                     pf->path, pf->p.sources[k->source].name, pf->p.codes[k->code].name, k->start,
                     k->end);
            rc = -1;
        } else if (add_byte_span(c, (size_t)pf->source_doc[k->source], start, end, (size_t)code) <
                   0) {
            snprintf(err->message, sizeof err->message, "out of memory");
            rc = -1;
        }
    }
    if (rc == 0)
        report_unmatched(pf, c, unmatched);
    free(unmatched);
    return rc;
}

void projects_free(agree_state *st)
{
    for (size_t i = 0; i < st->n_projects; i++) {
        qdpx_project_free(&st->projects[i].p);
        json_decref(st->projects[i].code_ids);
        free(st->projects[i].source_doc);
        free(st->projects[i].source_crlf);
    }
    free(st->projects);
}
