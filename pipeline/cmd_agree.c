/* cmd_agree.c - `qualpipe agree`: compares two or more codings of the same
 * corpus unit by unit (Krippendorff's alpha, Cohen's kappa, precision, recall
 * and F1 against a reference) and quotes the units where they disagree. */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "cli.h"
#include "codebook.h"
#include "commands.h"
#include "doc.h"
#include "fileio.h"
#include "grow.h"
#include "runner.h"

#define MAX_CODERS 16
#define MAX_CODEBOOKS 16
#define QUOTE_BYTES 300

/* One unit of the corpus: a span of a document, and who said it. */
typedef struct unit {
    size_t doc;
    uint32_t start, end;
    char *speaker;
} unit;

/* One document as the agreement sees it. */
typedef struct corpus_doc {
    char *id;
    char *text;
    size_t text_len;
    size_t first_unit, n_units;
} corpus_doc;

/* A coded span from one coder; rule is NULL for human codings. */
typedef struct span {
    size_t doc;
    uint32_t start, end;
    size_t code;
    char *rule;
} span;

typedef struct coder {
    const char *path;
    const char *name;
    span *spans;
    size_t n_spans, spans_cap;
    unsigned char *missing; /* per document: 1 when this coder did not code it */
} coder;

typedef struct agree_state {
    corpus_doc *docs;
    size_t n_docs, docs_cap;
    unit *units;
    size_t n_units, units_cap;
    char **codes; /* code ids in report order */
    long *parent; /* within codes, -1 for none */
    size_t n_codes, codes_cap;
    coder coders[MAX_CODERS];
    size_t n_coders;
    int chars; /* offsets in characters, not bytes */
} agree_state;

static const qp_option_spec agree_options[] = {
    {"corpus", 0, QP_OPT_ARG | QP_OPT_REPEAT | QP_OPT_REQUIRED, "INPUT",
     "the documents that were coded (files, folders, .jsonl), which supply the units"},
    {"codebook", 'c', QP_OPT_ARG | QP_OPT_REPEAT, "CODEBOOK",
     "compare these codebooks' codes (also unused ones; parents count their children)"},
    {"reference", 0, QP_OPT_ARG, "N",
     "the coding taken as right for precision and recall "
     "(default 1, the first)"},
    {"quotes", 0, QP_OPT_ARG, "K",
     "quote up to K false positives and K false negatives "
     "per code (default 5; 0 for none)"},
    {"chars", 0, 0, NULL, "human codings give character offsets, not byte offsets"},
    {"output", 'o', QP_OPT_ARG, "FILE", "write the JSON report to FILE; default: standard output"},
    {"plugin-dir", 0, QP_OPT_ARG | QP_OPT_REPEAT, "DIR", "look for plugin modules in DIR first"},
    {"quiet", 'q', 0, NULL, "print no table on standard error"},
    {"coding", 0, QP_OPT_OPERANDS | QP_OPT_REQUIRED, "CODING",
     "two or more codings: qualpipe streams from 'qualpipe stage code', or JSON Lines / CSV "
     "of {doc, start, end, code}"},
    {"help", 'h', 0, NULL, "show this help"},
    {0},
};

/* ---- the corpus, collected by a sink stage of the host's own --------------- */

/* Keeps the document's text and its units (its segments, or the whole text). */
static int collect_process(void *ctx, qp_doc *doc, qp_error *err)
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

/* Returns the index of document id, or -1. Documents are sorted by id first. */
static long find_doc(const agree_state *st, const char *id)
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
static void sort_docs(agree_state *st)
{
    qsort(st->docs, st->n_docs, sizeof *st->docs, by_doc_id);
    for (size_t d = 0; d < st->n_docs; d++)
        for (size_t u = 0; u < st->docs[d].n_units; u++)
            st->units[st->docs[d].first_unit + u].doc = d;
}

/* ---- codes ------------------------------------------------------------------- */

/* Returns the index of code id, adding it (parent -1) when new; -1 on no memory. */
static long code_index(agree_state *st, const char *id)
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

/* Converts a character offset into a byte offset of doc's text. */
static uint32_t byte_offset(const corpus_doc *d, long chars)
{
    size_t i = 0;
    for (long c = 0; c < chars && i < d->text_len; c++) {
        i++;
        while (i < d->text_len && ((unsigned char)d->text[i] & 0xc0) == 0x80)
            i++;
    }
    return (uint32_t)i;
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

/* Reads one JSON Lines coding: a qualpipe stream (records with "codes") or lines
 * {doc, start, end, code}; {"doc": D, "missing": true} marks a document this
 * coder did not code. Returns 0, or -1 with err. */
static int read_jsonl(agree_state *st, coder *c, qp_error *err)
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
        if (json_is_true(json_object_get(v, "missing")) || json_object_get(v, "skipped")) {
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
            json_t *s = json_object_get(v, "start"), *e = json_object_get(v, "end");
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

static void csv_row(int term, void *ud)
{
    (void)term;
    csv_coding *x = ud;
    if (x->row > 0 && !x->failed) {
        char where[512];
        snprintf(where, sizeof where, "%s: row %zu", x->c->path, x->row + 1);
        if (x->col < 4 || !x->field[0] || !x->field[3]) {
            snprintf(x->err->message, sizeof x->err->message, "%s: a row is doc,start,end,code",
                     where);
            x->failed = 1;
        } else if (add_span(x->st, x->c, x->field[0], atol(x->field[1]), atol(x->field[2]),
                            x->field[3], NULL, where, x->err) < 0) {
            x->failed = 1;
        }
    }
    x->row++;
    x->col = 0;
}

/* Reads a CSV coding with a header row: doc,start,end,code. Returns 0, or -1. */
static int read_csv(agree_state *st, coder *c, qp_error *err)
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

/* ---- units coded, statistics, quotes ------------------------------------------ */

/* marks[c][u * n_codes + k] is 1 when coder c coded unit u with code k or a code
 * below it. Returns the marks of coder c, or NULL when out of memory. */
static unsigned char *mark_units(const agree_state *st, const coder *c)
{
    unsigned char *m = calloc(st->n_units * st->n_codes + 1, 1);
    if (!m)
        return NULL;
    for (size_t i = 0; i < c->n_spans; i++) {
        const span *sp = &c->spans[i];
        const corpus_doc *d = &st->docs[sp->doc];
        /* A span codes every unit it overlaps (a zero-length span, the unit it is in). */
        for (size_t u = d->first_unit; u < d->first_unit + d->n_units; u++) {
            const unit *x = &st->units[u];
            int overlaps = sp->start == sp->end ? x->start <= sp->start && sp->start < x->end
                                                : sp->start < x->end && x->start < sp->end;
            if (!overlaps)
                continue;
            for (long k = (long)sp->code; k >= 0; k = st->parent[k])
                m[u * st->n_codes + (size_t)k] = 1;
        }
    }
    return m;
}

/* Returns a JSON number rounded to 4 decimals, or null with the reason in
 * obj[note_key] when the statistic is undefined. */
static json_t *stat(double value, int defined, json_t *obj, const char *note_key, const char *why)
{
    if (!defined) {
        if (why)
            json_object_set_new(obj, note_key, json_string(why));
        return json_null();
    }
    return json_real(round(value * 10000) / 10000);
}

/* Returns one quote of unit u: document, span, speaker, text (cut at a character
 * boundary) and, when given, the rule that fired. */
static json_t *quote(const agree_state *st, size_t u, const char *rule)
{
    const unit *x = &st->units[u];
    const corpus_doc *d = &st->docs[x->doc];
    size_t len = x->end - x->start;
    int cut = len > QUOTE_BYTES;
    if (cut) {
        len = QUOTE_BYTES;
        while (len && ((unsigned char)d->text[x->start + len] & 0xc0) == 0x80)
            len--;
    }
    char *text = malloc(len + 4);
    memcpy(text, d->text + x->start, len);
    memcpy(text + len, cut ? "..." : "", cut ? 4 : 1);
    json_t *q = json_pack("{s:s, s:I, s:I, s:s?, s:s}", "doc", d->id, "start", (json_int_t)x->start,
                          "end", (json_int_t)x->end, "speaker", x->speaker, "text", text);
    free(text);
    if (rule)
        json_object_set_new(q, "rule", json_string(rule));
    return q;
}

/* Returns the first rule of coder c that coded unit u with code k (or below). */
static const char *rule_for(const agree_state *st, const coder *c, size_t u, size_t k)
{
    const unit *x = &st->units[u];
    for (size_t i = 0; i < c->n_spans; i++) {
        const span *sp = &c->spans[i];
        if (sp->doc != x->doc || !(sp->start < x->end && x->start < sp->end) || !sp->rule)
            continue;
        for (long p = (long)sp->code; p >= 0; p = st->parent[p])
            if ((size_t)p == k)
                return sp->rule;
    }
    return NULL;
}

/* Builds the report. values is scratch of n_units * n_coders ints. */
static json_t *report(agree_state *st, unsigned char **marks, size_t ref, size_t max_quotes,
                      const char *unit_name)
{
    size_t nc = st->n_coders, nu = st->n_units;
    int *values = malloc((nu ? nu : 1) * nc * sizeof *values);
    size_t items = nu * st->n_codes;
    int *pooled = malloc((items ? items : 1) * nc * sizeof *pooled);
    json_t *codes = json_object(), *coders = json_array();
    qp_confusion total[MAX_CODERS] = {{0}};
    double f1_sum[MAX_CODERS] = {0};
    size_t f1_n[MAX_CODERS] = {0};
    for (size_t c = 0; c < nc; c++) {
        size_t missing = 0;
        for (size_t d = 0; d < st->n_docs; d++)
            missing += st->coders[c].missing[d];
        json_array_append_new(coders, json_pack("{s:s, s:s, s:I}", "name", st->coders[c].name,
                                                "path", st->coders[c].path, "documents_missing",
                                                (json_int_t)missing));
    }
    for (size_t k = 0; k < st->n_codes; k++) {
        json_t *entry = json_object(), *used = json_object(), *compared = json_object();
        for (size_t u = 0; u < nu; u++)
            for (size_t c = 0; c < nc; c++) {
                int v = st->coders[c].missing[st->units[u].doc] ? QP_MISSING
                                                                : marks[c][u * st->n_codes + k];
                values[u * nc + c] = v;
                pooled[(k * nu + u) * nc + c] = v;
            }
        for (size_t c = 0; c < nc; c++) {
            size_t n = 0;
            for (size_t u = 0; u < nu; u++)
                n += values[u * nc + c] == 1;
            json_object_set_new(used, st->coders[c].name, json_integer((json_int_t)n));
        }
        double alpha;
        const char *why = NULL;
        int ok = qp_alpha_nominal(values, nu, nc, &alpha, &why) == 0;
        json_object_set_new(entry, "alpha", stat(alpha, ok, entry, "alpha_note", why));
        for (size_t c = 0; c < nc; c++) {
            if (c == ref)
                continue;
            json_t *cmp = json_object();
            double kappa, observed = 0, p, r, f1;
            why = NULL;
            ok = qp_kappa(values, nu, nc, ref, c, &kappa, &observed, &why) == 0;
            json_object_set_new(cmp, "kappa", stat(kappa, ok, cmp, "kappa_note", why));
            json_object_set_new(cmp, "observed_agreement", stat(observed, 1, cmp, NULL, NULL));
            qp_confusion cf = qp_confusion_of(values, nu, nc, ref, c);
            total[c].tp += cf.tp, total[c].fp += cf.fp, total[c].fn += cf.fn, total[c].tn += cf.tn;
            qp_prf(cf, &p, &r, &f1);
            if (f1 >= 0)
                f1_sum[c] += f1, f1_n[c]++;
            json_object_set_new(cmp, "precision", stat(p, p >= 0, cmp, NULL, NULL));
            json_object_set_new(cmp, "recall", stat(r, r >= 0, cmp, NULL, NULL));
            json_object_set_new(cmp, "f1", stat(f1, f1 >= 0, cmp, NULL, NULL));
            json_object_set_new(cmp, "confusion",
                                json_pack("{s:I, s:I, s:I, s:I}", "tp", (json_int_t)cf.tp, "fp",
                                          (json_int_t)cf.fp, "fn", (json_int_t)cf.fn, "tn",
                                          (json_int_t)cf.tn));
            /* The disagreements, in document and text order. */
            json_t *fps = json_array(), *fns = json_array();
            for (size_t u = 0; u < nu; u++) {
                int rv = values[u * nc + ref], ov = values[u * nc + c];
                if (rv == 0 && ov == 1 && json_array_size(fps) < max_quotes)
                    json_array_append_new(fps, quote(st, u, rule_for(st, &st->coders[c], u, k)));
                if (rv == 1 && ov == 0 && json_array_size(fns) < max_quotes)
                    json_array_append_new(fns, quote(st, u, NULL));
            }
            json_object_set_new(cmp, "false_positives", fps);
            json_object_set_new(cmp, "false_negatives", fns);
            json_object_set_new(compared, st->coders[c].name, cmp);
        }
        json_object_set_new(entry, "units_coded", used);
        json_object_set_new(entry, "compared_with_reference", compared);
        json_object_set_new(codes, st->codes[k], entry);
    }
    json_t *overall = json_object(), *compared = json_object();
    double alpha;
    const char *why = NULL;
    int ok = qp_alpha_nominal(pooled, nu * st->n_codes, nc, &alpha, &why) == 0;
    json_object_set_new(overall, "alpha", stat(alpha, ok, overall, "alpha_note", why));
    for (size_t c = 0; c < nc; c++) {
        if (c == ref)
            continue;
        double p, r, f1;
        qp_prf(total[c], &p, &r, &f1);
        json_t *cmp = json_pack("{s:I, s:I, s:I, s:I}", "tp", (json_int_t)total[c].tp, "fp",
                                (json_int_t)total[c].fp, "fn", (json_int_t)total[c].fn, "tn",
                                (json_int_t)total[c].tn);
        json_object_set_new(cmp, "micro_precision", stat(p, p >= 0, cmp, NULL, NULL));
        json_object_set_new(cmp, "micro_recall", stat(r, r >= 0, cmp, NULL, NULL));
        json_object_set_new(cmp, "micro_f1", stat(f1, f1 >= 0, cmp, NULL, NULL));
        json_object_set_new(
            cmp, "macro_f1",
            stat(f1_n[c] ? f1_sum[c] / (double)f1_n[c] : 0, f1_n[c] > 0, cmp, NULL, NULL));
        json_object_set_new(compared, st->coders[c].name, cmp);
    }
    json_object_set_new(overall, "compared_with_reference", compared);
    free(values);
    free(pooled);
    return json_pack("{s:i, s:s, s:I, s:I, s:o, s:s, s:o, s:o}", "qualpipe_agreement", 1, "unit",
                     unit_name, "units", (json_int_t)nu, "documents", (json_int_t)st->n_docs,
                     "coders", coders, "reference", st->coders[ref].name, "codes", codes, "overall",
                     overall);
}

/* Prints a statistic for the table: 3 decimals, or "-" when undefined. */
static void cell(FILE *out, const json_t *v)
{
    if (json_is_number(v))
        fprintf(out, " %6.3f", json_number_value(v));
    else
        fprintf(out, " %6s", "-");
}

/* Prints, for each coding against the reference, one line per code. */
static void print_table(FILE *out, const agree_state *st, const json_t *r, size_t ref)
{
    for (size_t c = 0; c < st->n_coders; c++) {
        if (c == ref)
            continue;
        const char *name = st->coders[c].name;
        fprintf(out, "qualpipe: agreement of %s with %s, by %s (%lld units)\n", name,
                st->coders[ref].name, json_string_value(json_object_get(r, "unit")),
                (long long)json_integer_value(json_object_get(r, "units")));
        fprintf(out, "  %-26s %5s %5s %5s %5s %5s %6s %6s %6s %6s %6s\n", "code", "ref", "this",
                "tp", "fp", "fn", "prec", "recall", "f1", "kappa", "alpha");
        for (size_t k = 0; k < st->n_codes; k++) {
            const json_t *e = json_object_get(json_object_get(r, "codes"), st->codes[k]);
            const json_t *cmp =
                json_object_get(json_object_get(e, "compared_with_reference"), name);
            const json_t *cf = json_object_get(cmp, "confusion");
            const json_t *used = json_object_get(e, "units_coded");
            fprintf(out, "  %-26.26s %5lld %5lld %5lld %5lld %5lld", st->codes[k],
                    (long long)json_integer_value(json_object_get(used, st->coders[ref].name)),
                    (long long)json_integer_value(json_object_get(used, name)),
                    (long long)json_integer_value(json_object_get(cf, "tp")),
                    (long long)json_integer_value(json_object_get(cf, "fp")),
                    (long long)json_integer_value(json_object_get(cf, "fn")));
            cell(out, json_object_get(cmp, "precision"));
            cell(out, json_object_get(cmp, "recall"));
            cell(out, json_object_get(cmp, "f1"));
            cell(out, json_object_get(cmp, "kappa"));
            cell(out, json_object_get(e, "alpha"));
            fputc('\n', out);
        }
        const json_t *o = json_object_get(
            json_object_get(json_object_get(r, "overall"), "compared_with_reference"), name);
        fprintf(out, "  %-26s %5s %5s %5lld %5lld %5lld", "(all codes, micro)", "", "",
                (long long)json_integer_value(json_object_get(o, "tp")),
                (long long)json_integer_value(json_object_get(o, "fp")),
                (long long)json_integer_value(json_object_get(o, "fn")));
        cell(out, json_object_get(o, "micro_precision"));
        cell(out, json_object_get(o, "micro_recall"));
        cell(out, json_object_get(o, "micro_f1"));
        fprintf(out, " %6s", "");
        cell(out, json_object_get(json_object_get(r, "overall"), "alpha"));
        fputc('\n', out);
    }
}

static void agree_help(const qp_option_spec *segment_options)
{
    printf("Usage: qualpipe agree --corpus INPUT [--unit UNIT] [-c CODEBOOK]... CODING CODING...\n"
           "\n"
           "Compares two or more codings of the same documents, unit by unit: Krippendorff's\n"
           "alpha (nominal; any number of coders; missing documents allowed), and against the\n"
           "reference coding (the first, or --reference N) Cohen's kappa, observed agreement,\n"
           "precision, recall and F1 with the counts behind them, per code and overall, and\n"
           "the units where they disagree, quoted. A unit is coded with a code when a coded\n"
           "span overlaps it by at least one byte; units nobody coded agree on absence.\n"
           "\n"
           "A coding is the output of 'qualpipe stage code' (JSON Lines), or JSON Lines or CSV\n"
           "of {doc, start, end, code} with byte offsets (--chars: character offsets); a line\n"
           "{\"doc\": ID, \"missing\": true} marks a document that coder did not code.\n"
           "\n"
           "Example:\n"
           "  qualpipe stage read corpora/pln-interviews | qualpipe stage segment \\\n"
           "    --speakers-exclude Interviewer | qualpipe stage tokenise \\\n"
           "    | qualpipe stage code -c edmondson -c iparihs > qualpipe.jsonl\n"
           "  qualpipe agree --corpus corpora/pln-interviews --speakers-exclude Interviewer \\\n"
           "    -c edmondson -c iparihs corpora/reference/pln-interviews.jsonl qualpipe.jsonl\n"
           "\nOptions:\n");
    qp_cli_print_options(stdout, agree_options);
    qp_cli_print_options(stdout, segment_options);
}

/* Frees everything the state holds. */
static void agree_free(agree_state *st)
{
    for (size_t d = 0; d < st->n_docs; d++) {
        free(st->docs[d].id);
        free(st->docs[d].text);
    }
    for (size_t u = 0; u < st->n_units; u++)
        free(st->units[u].speaker);
    for (size_t k = 0; k < st->n_codes; k++)
        free(st->codes[k]);
    for (size_t c = 0; c < st->n_coders; c++) {
        for (size_t i = 0; i < st->coders[c].n_spans; i++)
            free(st->coders[c].spans[i].rule);
        free(st->coders[c].spans);
        free(st->coders[c].missing);
    }
    free(st->docs);
    free(st->units);
    free(st->codes);
    free(st->parent);
}

/* Adds every code of the codebooks named by -c, in codebook order, with parents. */
static int add_codebook_codes(agree_state *st, const qp_parsed *p, const qp_host *host)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->values[i].name, "codebook") != 0)
            continue;
        qp_error err;
        qp_codebook *cb = qp_codebook_open(host, p->values[i].value, &err);
        if (!cb) {
            qp_errorf("%s", err.message);
            return QP_EXIT_CODEBOOK;
        }
        for (size_t k = 0; k < cb->n_codes; k++) {
            long x = code_index(st, cb->codes[k].id);
            if (x >= 0 && cb->codes[k].parent >= 0)
                st->parent[x] = code_index(st, cb->codes[cb->codes[k].parent].id);
        }
        qp_codebook_free(cb);
    }
    return QP_EXIT_OK;
}

int qp_cmd_agree(int argc, char **argv)
{
    qp_host_impl host;
    qp_loader *loader = qp_host_start(&host, argc, argv);
    if (!loader)
        return QP_EXIT_CODEBOOK;
    qp_error err;
    int status = QP_EXIT_CODEBOOK;
    agree_state st = {0};
    qp_parsed parsed[2] = {{0}};
    qp_option_value *read_opts = NULL;
    unsigned char *marks[MAX_CODERS] = {0};
    qp_runner runner = {0};
    const char *read_path, *segment_path;
    const qp_stage_descriptor *read = qp_loader_stage(loader, "read", &read_path, &err);
    const qp_stage_descriptor *segment =
        read ? qp_loader_stage(loader, "segment", &segment_path, &err) : NULL;
    if (!read || !segment) {
        qp_errorf("%s", err.message);
        goto done;
    }
    if (qp_cli_wants_help(argc, argv)) {
        agree_help(segment->options);
        status = QP_EXIT_OK;
        goto done;
    }
    const qp_option_spec *tables[2] = {agree_options, segment->options};
    status = QP_EXIT_USAGE;
    if (qp_cli_parse(argc, argv, tables, 2, "agree", parsed, &err) < 0) {
        qp_errorf("%s", err.message);
        goto done;
    }
    size_t n_corpus = 0;
    read_opts = calloc(parsed[0].n + 1, sizeof *read_opts);
    for (size_t i = 0; read_opts && i < parsed[0].n; i++)
        if (strcmp(parsed[0].values[i].name, "corpus") == 0)
            read_opts[n_corpus++] = (qp_option_value){"input", parsed[0].values[i].value};
    for (size_t i = 0; i < parsed[0].n; i++)
        if (strcmp(parsed[0].values[i].name, "coding") == 0 && st.n_coders < MAX_CODERS) {
            const char *path = parsed[0].values[i].value, *base = strrchr(path, '/');
            st.coders[st.n_coders].path = path;
            st.coders[st.n_coders++].name = base ? base + 1 : path;
        }
    if (st.n_coders < 2) {
        qp_errorf("agree: give two or more codings to compare (try 'qualpipe agree --help')");
        goto done;
    }
    const char *v = qp_cli_get(&parsed[0], "reference");
    size_t ref = v ? (size_t)strtoul(v, NULL, 10) : 1;
    if (ref < 1 || ref > st.n_coders) {
        qp_errorf("agree: --reference %s: give a coding's position, 1 to %zu", v, st.n_coders);
        goto done;
    }
    ref--;
    v = qp_cli_get(&parsed[0], "quotes");
    size_t max_quotes = v ? (size_t)strtoul(v, NULL, 10) : 5;
    st.chars = qp_cli_get(&parsed[0], "chars") != NULL;
    const char *unit_name = qp_cli_get(&parsed[1], "unit");

    /* The corpus, through the read and segment stages. */
    runner.host = &host;
    qp_runner_add(&runner, read, read_path, read_opts, n_corpus);
    qp_runner_add(&runner, segment, segment_path, parsed[1].values, parsed[1].n);
    qp_runner_add_host_sink(&runner, "agree", NULL, collect_process, &st);
    int rc = qp_runner_run(&runner);
    if (rc != QP_OK) {
        qp_errorf("%s", runner.error.message);
        status = qp_exit_for(rc);
        goto done;
    }
    sort_docs(&st);
    if ((status = add_codebook_codes(&st, &parsed[0], &host.pub)) != QP_EXIT_OK)
        goto done;
    status = QP_EXIT_USAGE;
    for (size_t c = 0; c < st.n_coders; c++) {
        coder *cd = &st.coders[c];
        cd->missing = calloc(st.n_docs + 1, 1);
        size_t n = strlen(cd->path);
        int is_csv = n > 4 && strcmp(cd->path + n - 4, ".csv") == 0;
        if (!cd->missing || (is_csv ? read_csv(&st, cd, &err) : read_jsonl(&st, cd, &err)) < 0) {
            qp_errorf("%s", cd->missing ? err.message : "out of memory");
            goto done;
        }
    }
    for (size_t c = 0; c < st.n_coders; c++)
        if (!(marks[c] = mark_units(&st, &st.coders[c]))) {
            qp_errorf("out of memory");
            goto done;
        }
    json_t *r = report(&st, marks, ref, max_quotes, unit_name ? unit_name : "sentence");
    const char *out_path = qp_cli_get(&parsed[0], "output");
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out || json_dumpf(r, out, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(10)) < 0 ||
        fputc('\n', out) == EOF || (out_path ? fclose(out) : fflush(out)) != 0) {
        qp_errorf("agree: cannot write %s: %s", out_path ? out_path : "standard output",
                  strerror(errno));
        json_decref(r);
        goto done;
    }
    if (!qp_cli_get(&parsed[0], "quiet"))
        print_table(stderr, &st, r, ref);
    json_decref(r);
    status = QP_EXIT_OK;
done:
    for (size_t c = 0; c < MAX_CODERS; c++)
        free(marks[c]);
    qp_runner_free(&runner);
    free(read_opts);
    qp_cli_free(parsed, 2);
    agree_free(&st);
    qp_loader_free(loader);
    return status;
}
