/* codings.c - the corpus units of `qualpipe agree` and the codings read against
 * them: qualpipe streams, JSON Lines and CSV of coded spans. */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "core/doc.h"
#include "core/host.h"
#include "results/agreement.h"
#include "util/fileio.h"
#include "util/grow.h"

/* ---- the corpus, collected by a sink stage of the host's own --------------- */

/* Keeps the document's text and its units (its segments, or the whole text). */
int collect_process(void *ctx, qp_doc *doc, qp_error *err)
{
    agree_state *st = ctx;
    if (doc->skipped)
        return QP_OK;
    if (qp_grow(&st->docs, &st->docs_cap, st->n_docs + 1, sizeof *st->docs, 64) < 0)
        goto nomem;
    corpus_doc *d = &st->docs[st->n_docs];
    memset(d, 0, sizeof *d);
    d->id = strdup(doc->id);
    d->text = malloc(doc->text_len + 1);
    if (!d->id || !d->text) {
        free(d->id);
        free(d->text);
        goto nomem;
    }
    memcpy(d->text, doc->text, doc->text_len + 1);
    d->text_len = doc->text_len;
    d->first_unit = st->n_units;
    size_t n = doc->n_segments ? doc->n_segments : 1;
    for (size_t i = 0; i < n; i++) {
        if (qp_grow(&st->units, &st->units_cap, st->n_units + 1, sizeof *st->units, 256) < 0)
            goto nomem;
        unit *u = &st->units[st->n_units++];
        u->doc = st->n_docs;
        u->start = doc->n_segments ? doc->segments[i].start : 0;
        u->end = doc->n_segments ? doc->segments[i].end : (uint32_t)doc->text_len;
        const char *speaker = doc->n_segments ? doc->segments[i].speaker : NULL;
        u->speaker = speaker ? strdup(speaker) : NULL;
    }
    d->n_units = n;
    st->n_docs++;
    return QP_OK;
nomem:
    snprintf(err->message, sizeof err->message, "out of memory");
    return QP_ERR_NOMEM;
}

long find_doc(const agree_state *st, const char *id)
{
    size_t lo = 0, hi = st->n_docs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(st->docs[mid].id, id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int by_doc_id(const void *a, const void *b)
{
    return strcmp(((const corpus_doc *)a)->id, ((const corpus_doc *)b)->id);
}

/* Sorts the documents by id; each still knows its run of units, which are
 * re-pointed at the document's new place. */
void sort_docs(agree_state *st)
{
    if (st->n_docs > 1) /* no array at all when the corpus is empty */
        qsort(st->docs, st->n_docs, sizeof *st->docs, by_doc_id);
    for (size_t d = 0; d < st->n_docs; d++)
        for (size_t u = 0; u < st->docs[d].n_units; u++)
            st->units[st->docs[d].first_unit + u].doc = d;
}

/* ---- codes ------------------------------------------------------------------- */

/* Returns the index of code id, adding it (parent -1) when new; -1 on no memory. */
long code_index(agree_state *st, const char *id)
{
    for (size_t i = 0; i < st->n_codes; i++)
        if (strcmp(st->codes[i], id) == 0)
            return (long)i;
    if (qp_grow(&st->codes, &st->codes_cap, st->n_codes + 1, sizeof *st->codes, 32) < 0)
        return -1;
    long *p = realloc(st->parent, (st->n_codes + 1) * sizeof *p);
    char *copy = strdup(id);
    if (!p || !copy) {
        free(copy);
        if (p)
            st->parent = p;
        return -1;
    }
    st->parent = p;
    st->parent[st->n_codes] = -1;
    st->codes[st->n_codes] = copy;
    return (long)st->n_codes++;
}

/* ---- codings ----------------------------------------------------------------- */

int add_byte_span(coder *c, size_t d, uint32_t start, uint32_t end, size_t code)
{
    if (qp_grow(&c->spans, &c->spans_cap, c->n_spans + 1, sizeof *c->spans, 256) < 0)
        return -1;
    c->spans[c->n_spans++] = (span){d, start, end, code, NULL};
    return 0;
}

/* Converts a character offset into a byte offset of doc's text. */
static uint32_t byte_offset(const corpus_doc *d, long chars)
{
    long b = qdpx_byte_offset(d->text, d->text_len, chars, 0);
    return (uint32_t)(b < 0 ? (long)d->text_len : b); /* past the end: the end */
}

/* Records a span of coder c. Returns 0, or -1 with err filled. */
static int add_span(agree_state *st, coder *c, const char *doc_id, long start, long end,
                    const char *code, const char *rule, const char *where, qp_error *err)
{
    long d = find_doc(st, doc_id);
    if (d < 0) {
        snprintf(err->message, sizeof err->message,
                 "%.400s: document \"%.100s\" is not in the corpus (check --corpus)", where,
                 doc_id);
        return -1;
    }
    const corpus_doc *doc = &st->docs[d];
    if (st->chars && !rule) {
        start = byte_offset(doc, start);
        end = byte_offset(doc, end);
    }
    if (start < 0 || end < start || (size_t)end > doc->text_len) {
        snprintf(err->message, sizeof err->message,
                 "%.400s: span %ld-%ld is outside document \"%.100s\" (%zu bytes%s)", where, start,
                 end, doc_id, doc->text_len, st->chars ? "" : "; character offsets need --chars");
        return -1;
    }
    long k = code_index(st, code);
    if (k < 0 || qp_grow(&c->spans, &c->spans_cap, c->n_spans + 1, sizeof *c->spans, 256) < 0) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    c->spans[c->n_spans++] =
        (span){(size_t)d, (uint32_t)start, (uint32_t)end, (size_t)k, rule ? strdup(rule) : NULL};
    return 0;
}

/* Marks the units of document d that [start, end) overlaps as missing for
 * coder c (offsets in characters with --chars). */
static void mark_missing_units(agree_state *st, coder *c, size_t d, long start, long end)
{
    const corpus_doc *doc = &st->docs[d];
    if (st->chars) {
        start = byte_offset(doc, start);
        end = byte_offset(doc, end);
    }
    for (size_t u = doc->first_unit; u < doc->first_unit + doc->n_units; u++)
        if ((long)st->units[u].start < end && start < (long)st->units[u].end)
            c->unit_missing[u] = 1;
}

/* Reads one JSON Lines coding: a qualpipe stream (records with "codes") or lines
 * {doc, start, end, code}; {"doc": D, "missing": true} marks a document this
 * coder did not code, and with start and end the units of it that span
 * overlaps. Returns 0, or -1 with err. */
int read_jsonl(agree_state *st, coder *c, qp_error *err)
{
    FILE *f = fopen(c->path, "r");
    if (!f) {
        snprintf(err->message, sizeof err->message, "%s: %s", c->path, strerror(errno));
        return -1;
    }
    char *line = NULL, where[512];
    size_t cap = 0, line_no = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        line_no++;
        snprintf(where, sizeof where, "%s:%zu", c->path, line_no);
        if (n <= 1)
            continue;
        json_error_t jerr;
        json_t *v = json_loadb(line, (size_t)n, 0, &jerr);
        if (!json_is_object(v)) {
            snprintf(err->message, sizeof err->message, "%s: not a JSON object: %s", where,
                     v ? "" : jerr.text);
            json_decref(v);
            rc = -1;
            break;
        }
        if (json_object_get(v, "qualpipe_stream")) {
            json_decref(v);
            continue;
        }
        json_t *codes = json_object_get(v, "codes");
        const char *doc =
            json_string_value(json_object_get(v, json_object_get(v, "doc") ? "doc" : "id"));
        long d = doc ? find_doc(st, doc) : -1;
        json_t *s = json_object_get(v, "start"), *e = json_object_get(v, "end");
        if (json_is_true(json_object_get(v, "missing")) && d >= 0 && json_is_integer(s) &&
            json_is_integer(e)) {
            mark_missing_units(st, c, (size_t)d, (long)json_integer_value(s),
                               (long)json_integer_value(e));
        } else if (json_is_true(json_object_get(v, "missing")) || json_object_get(v, "skipped")) {
            if (d >= 0)
                c->missing[d] = 1;
        } else if (json_is_array(codes)) {
            size_t i;
            json_t *h;
            json_array_foreach(codes, i, h)
            {
                const char *code = json_string_value(json_object_get(h, "code"));
                if (!code || !doc ||
                    add_span(st, c, doc, (long)json_integer_value(json_object_get(h, "start")),
                             (long)json_integer_value(json_object_get(h, "end")), code,
                             json_string_value(json_object_get(h, "rule")), where, err) < 0) {
                    if (!code || !doc)
                        snprintf(err->message, sizeof err->message,
                                 "%s: a hit without a code or a record without an id", where);
                    rc = -1;
                    break;
                }
            }
        } else {
            const char *code = json_string_value(json_object_get(v, "code"));
            if (!doc || !code || !json_is_integer(s) || !json_is_integer(e)) {
                snprintf(err->message, sizeof err->message,
                         "%s: a coding line is {\"doc\", \"start\", \"end\", \"code\"}", where);
                rc = -1;
            } else {
                rc = add_span(st, c, doc, (long)json_integer_value(s), (long)json_integer_value(e),
                              code, NULL, where, err);
            }
        }
        json_decref(v);
    }
    free(line);
    fclose(f);
    return rc;
}

/* Parser state for a CSV coding. */
typedef struct csv_coding {
    agree_state *st;
    coder *c;
    size_t row, col;
    char *field[4];
    int failed;
    qp_error *err;
} csv_coding;

static void csv_field(void *data, size_t len, void *ud)
{
    csv_coding *x = ud;
    if (x->col < 4 && x->row > 0) {
        free(x->field[x->col]);
        x->field[x->col] = strndup(data ? data : "", len);
    }
    x->col++;
}

/* Reads an offset: a whole number, nothing else. Returns 0, or -1. */
static int offset_of(const char *field, long *out)
{
    char *end;
    errno = 0;
    *out = field ? strtol(field, &end, 10) : 0;
    return field && end != field && *end == '\0' && errno == 0 && *out >= 0 ? 0 : -1;
}

static void csv_row(int term, void *ud)
{
    (void)term;
    csv_coding *x = ud;
    if (x->row > 0 && !x->failed) {
        char where[512];
        long start, end;
        snprintf(where, sizeof where, "%s: row %zu", x->c->path, x->row + 1);
        if (x->col < 4 || !x->field[0] || !x->field[3]) {
            snprintf(x->err->message, sizeof x->err->message, "%s: a row is doc,start,end,code",
                     where);
            x->failed = 1;
        } else if (offset_of(x->field[1], &start) < 0 || offset_of(x->field[2], &end) < 0) {
            snprintf(x->err->message, sizeof x->err->message,
                     "%s: start and end are offsets, whole numbers from 0 (got \"%.40s\" and "
                     "\"%.40s\")",
                     where, x->field[1] ? x->field[1] : "", x->field[2] ? x->field[2] : "");
            x->failed = 1;
        } else if (add_span(x->st, x->c, x->field[0], start, end, x->field[3], NULL, where,
                            x->err) < 0) {
            x->failed = 1;
        }
    }
    x->row++;
    x->col = 0;
}

/* Reads a CSV coding with a header row: doc,start,end,code. Returns 0, or -1. */
int read_csv(agree_state *st, coder *c, qp_error *err)
{
    char *text;
    size_t len;
    if (qp_read_file(c->path, (size_t)1 << 30, &text, &len, err) < 0)
        return -1;
    csv_coding x = {.st = st, .c = c, .err = err};
    struct csv_parser p;
    csv_init(&p, CSV_APPEND_NULL);
    if (csv_parse(&p, text, len, csv_field, csv_row, &x) != len ||
        csv_fini(&p, csv_field, csv_row, &x) != 0) {
        if (!x.failed)
            snprintf(err->message, sizeof err->message, "%s: %s", c->path,
                     csv_strerror(csv_error(&p)));
        x.failed = 1;
    }
    csv_free(&p);
    free(text);
    for (int i = 0; i < 4; i++)
        free(x.field[i]);
    return x.failed ? -1 : 0;
}
