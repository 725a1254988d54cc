/* count.c - the aggregate stage's counting: each document's hits per code, its
 * segments with each code, its groups and co-occurrences, added to the totals;
 * and the result built from the totals at the end. Every count is a sum over
 * documents, so results of shards add up to the result of the whole corpus. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "terms.h"
#include "results/result.h"
#include "util/grow.h"
#include "util/spans.h"

/* Returns the group name of a metadata value, in buf. */
static const char *group_name(const json_t *v, char *buf, size_t size)
{
    if (!v || json_is_null(v))
        return MISSING_GROUP;
    if (json_is_string(v))
        return json_string_value(v);
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(buf, size, "%s", s ? s : "?");
    free(s);
    return buf;
}

/* Writes the group of doc for `fields`: one field's value, or for crossed fields
 * ("district,year") each field's value joined by " | ". */
static void crossed_value(const qp_doc *doc, const char *fields, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *f = fields; *f;) {
        const char *comma = strchr(f, ',');
        size_t n = comma ? (size_t)(comma - f) : strlen(f);
        char name[256], buf[256];
        snprintf(name, sizeof name, "%.*s", (int)n, f);
        const char *v = group_name(json_object_get(doc->meta, name), buf, sizeof buf);
        snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? " | " : "", v);
        f = comma ? comma + 1 : f + n;
    }
}

/* Returns the stats of group `value` of field f, adding it when new; NULL when out
 * of memory. */
static group_stats *find_group(aggregate_ctx *a, by_field *f, const char *value)
{
    json_t *i = json_object_get(f->index, value);
    if (i)
        return &f->groups[json_integer_value(i)];
    if (qp_grow(&f->groups, &f->cap, f->n_groups + 1, sizeof *f->groups, 8) < 0)
        return NULL;
    group_stats *g = &f->groups[f->n_groups];
    memset(g, 0, sizeof *g);
    if (!(g->codes = calloc(a->n_codes ? a->n_codes : 1, sizeof *g->codes)))
        return NULL;
    json_object_set_new(f->index, value, json_integer((json_int_t)f->n_groups));
    return &f->groups[f->n_groups++];
}

/* Adds this document's counts (a->doc_*) to one stats array. */
static void add_doc(aggregate_ctx *a, code_stats *stats)
{
    for (size_t c = 0; c < a->n_codes; c++) {
        stats[c].hits += a->doc_hits[c];
        stats[c].documents += a->doc_hits[c] > 0;
        stats[c].sub_documents += a->doc_sub[c];
        stats[c].segments += a->doc_segs[c];
        stats[c].sub_segments += a->doc_sub_segs[c];
    }
    for (size_t c = 0; c < a->n_codes; c++)
        for (long p = (long)c; p >= 0; p = a->parent[p])
            stats[p].sub_hits += a->doc_hits[c];
}

/* Returns the index of code id, or -1 when the codebook lacks it. Hits in one
 * process borrow their code strings from the code stage, so the index is first
 * looked up by the string's address (one probe). An address may be reused for
 * another string once a document is gone, so a cached address is confirmed by
 * its text once in each document; within one, its hits keep their strings. */
static long code_of(aggregate_ctx *a, const char *id)
{
    size_t h = ((uintptr_t)id >> 3) * 0x9e3779b97f4a7c15ull >> (64 - CODE_CACHE_BITS);
    code_cached *e = &a->code_cache[h];
    if (e->id == id && (e->stamp == a->doc_stamp || strcmp(a->ids[e->index], id) == 0)) {
        e->stamp = a->doc_stamp;
        return e->index;
    }
    json_t *idx = json_object_get(a->code_index, id);
    long c = idx ? (long)json_integer_value(idx) : -1;
    *e = (code_cached){c >= 0 ? id : NULL, c, a->doc_stamp};
    return c;
}

/* The segment of hit i, a document without segments being one. */
static uint64_t hit_segment(const qp_doc *doc, size_t i)
{
    return doc->hits[i].segment == QP_NO_SEGMENT ? 0 : doc->hits[i].segment;
}

/* Counts the distinct segments with each code, own and subtree, from the
 * document's hits in text order (their segments never go back), and leaves in
 * a->segs each (segment << 32 | code) of the subtree counts once, grouped by
 * segment. Returns 1 when done, 0 when the hits are not in that order, -1 when
 * out of memory. */
static int count_segments_in_order(aggregate_ctx *a, const qp_doc *doc)
{
    memset(a->last_seg, 0xff, a->n_codes * sizeof *a->last_seg);
    memset(a->last_sub_seg, 0xff, a->n_codes * sizeof *a->last_sub_seg);
    size_t n = 0;
    uint64_t before = 0;
    for (size_t i = 0; i < doc->n_hits; i++) {
        uint64_t seg = hit_segment(doc, i);
        if (seg < before)
            return 0;
        before = seg;
        long c = a->hit_code[i];
        if (a->last_seg[c] != seg) {
            a->last_seg[c] = seg;
            a->doc_segs[c]++;
        }
        for (long p = c; p >= 0 && a->last_sub_seg[p] != seg; p = a->parent[p]) {
            a->last_sub_seg[p] = seg;
            a->doc_sub_segs[p]++;
            if (qp_grow(&a->segs, &a->segs_cap, n + 1, sizeof *a->segs, 256) < 0)
                return -1;
            a->segs[n++] = seg << 32 | (uint64_t)p;
        }
    }
    a->n_segs = n;
    return 1;
}

/* As count_segments_in_order for hits in any order: each hit adds a (code,
 * segment, own?) key for its code and every code above; sorting the keys lets
 * one pass count both. Returns 0, or -1 when out of memory. */
static int count_segments_sorted(aggregate_ctx *a, const qp_doc *doc)
{
    memset(a->doc_segs, 0, a->n_codes * sizeof *a->doc_segs);
    memset(a->doc_sub_segs, 0, a->n_codes * sizeof *a->doc_sub_segs);
    size_t n = 0;
    for (size_t i = 0; i < doc->n_hits; i++) {
        uint64_t seg = hit_segment(doc, i);
        long c = a->hit_code[i];
        for (long p = c; p >= 0; p = a->parent[p]) {
            if (qp_grow(&a->pairs, &a->pairs_cap, 2 * (n + 1), sizeof *a->pairs, 256) < 0)
                return -1;
            a->pairs[n++].key = ((uint64_t)p << 33) | (seg << 1) | (p != c);
        }
    }
    qp_radix_sort(a->pairs, a->pairs + n, n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = a->pairs[i].key, prev = i ? a->pairs[i - 1].key : ~key;
        uint64_t code = key >> 33;
        if ((prev >> 1) != (key >> 1)) { /* a new (code, segment) */
            a->doc_sub_segs[code]++;
            if (qp_grow(&a->segs, &a->segs_cap, k + 1, sizeof *a->segs, 256) < 0)
                return -1;
            a->segs[k++] = ((key >> 1) & 0xffffffffu) << 32 | code;
        }
        if (!(key & 1) && prev != key)
            a->doc_segs[code]++; /* a new (code, segment) from the code's own hits */
    }
    a->n_segs = k;
    return 0;
}

/* Counts the distinct segments with each code (a->doc_segs, a->doc_sub_segs)
 * and adds the document to the co-occurrence counts. Returns QP_OK or
 * QP_ERR_NOMEM. */
static int count_segments(aggregate_ctx *a, const qp_doc *doc)
{
    memset(a->doc_segs, 0, a->n_codes * sizeof *a->doc_segs);
    memset(a->doc_sub_segs, 0, a->n_codes * sizeof *a->doc_sub_segs);
    int in_order = count_segments_in_order(a, doc);
    if (in_order == 0)
        in_order = count_segments_sorted(a, doc) < 0 ? -1 : 0;
    if (in_order < 0 || cooccur_add(&a->co, a->doc_sub, a->segs, a->n_segs, in_order) < 0)
        return QP_ERR_NOMEM;
    return QP_OK;
}

/* Returns the tokens that are coded: those that start inside a segment (counted
 * a segment at a time by two searches), or all of them. */
static uint64_t coded_tokens(const qp_doc *doc)
{
    if (!doc->n_segments)
        return doc->n_tokens;
    uint64_t n = 0;
    size_t at = 0;
    for (size_t g = 0; g < doc->n_segments; g++) {
        size_t lo = qp_span_at(doc->tokens, doc->n_tokens, at, doc->segments[g].start);
        at = qp_span_at(doc->tokens, doc->n_tokens, lo, doc->segments[g].end);
        n += at - lo;
    }
    return n;
}

/* Records a skipped document. Returns QP_OK or QP_ERR_NOMEM. */
static int record_skip(aggregate_ctx *a, const qp_doc *doc)
{
    json_t *s = json_pack("{s:s, s:s, s:s}", "id", doc->id, "stage", doc->skipped_stage, "reason",
                          doc->skipped);
    return s && json_array_append_new(a->skipped, s) == 0 ? QP_OK : QP_ERR_NOMEM;
}

/* Keeps the document's row of the result: its tokens, segments and hits, its hits
 * per code and its group of each --by field. Returns QP_OK, or an error status
 * with err filled. */
static int store_row(aggregate_ctx *a, const qp_doc *doc, uint64_t tokens, uint64_t segments,
                     const char *const *groups, qp_error *err)
{
    json_t *per_code = json_object(), *pct = json_object(), *units = json_object();
    for (size_t c = 0; per_code && pct && units && c < a->n_codes; c++)
        if (a->doc_hits[c]) {
            json_object_set_new(per_code, a->ids[c], json_integer((json_int_t)a->doc_hits[c]));
            json_object_set_new(units, a->ids[c], json_integer((json_int_t)a->doc_segs[c]));
            json_object_set_new(
                pct, a->ids[c],
                json_real(qp_result_pct((long long)a->doc_hits[c], (long long)tokens)));
        }
    json_t *entry = json_pack("{s:I, s:I, s:I, s:o, s:o, s:o}", "tokens", (json_int_t)tokens,
                              "segments", (json_int_t)segments, "hits", (json_int_t)doc->n_hits,
                              "codes", per_code, "pct", pct, "units", units);
    if (entry && a->n_by) {
        json_t *g = json_object();
        for (size_t b = 0; b < a->n_by; b++)
            json_object_set_new(g, a->by[b].name, json_string(groups[b]));
        json_object_set_new(entry, "groups", g);
    }
    char *row =
        entry ? json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(entry);
    int rc = row ? doctable_add(a->docs, doc->id, row, strlen(row), err) : QP_ERR_NOMEM;
    free(row);
    return rc;
}

/* Counts one document. Returns QP_OK (a duplicate id, or a hit for a code the
 * codebook lacks, skips the document) or QP_ERR_NOMEM. */
int aggregate_process(void *ctx, qp_doc *doc, qp_error *err)
{
    aggregate_ctx *a = ctx;
    if (doc->dropped_by && !doc->skipped) {
        json_t *n = json_object_get(a->dropped, doc->dropped_by);
        a->n_dropped++;
        return json_object_set_new(a->dropped, doc->dropped_by,
                                   json_integer(1 + json_integer_value(n))) == 0
                   ? QP_OK
                   : QP_ERR_NOMEM;
    }
    char values[MAX_BY][1024];
    const char *groups[MAX_BY];
    for (size_t b = 0; b < a->n_by; b++) {
        crossed_value(doc, a->by[b].name, values[b], sizeof values[b]);
        groups[b] = values[b];
    }
    int seen = doc->skipped ? 0 : doctable_has(a->docs, doc->id);
    if (seen < 0) {
        snprintf(err->message, sizeof err->message,
                 "cannot read the documents' rows back from their temporary file");
        return QP_ERR_IO;
    }
    if (seen)
        a->host->doc_skip(doc, STAGE, "a second document with this id (ids must be unique)");
    a->doc_stamp++;
    memset(a->doc_hits, 0, a->n_codes * sizeof *a->doc_hits);
    memset(a->doc_sub, 0, a->n_codes);
    if (qp_grow(&a->hit_code, &a->hit_code_cap, doc->n_hits + 1, sizeof *a->hit_code, 256) < 0)
        return QP_ERR_NOMEM;
    for (size_t i = 0; i < doc->n_hits && !doc->skipped; i++) {
        long idx = code_of(a, doc->hits[i].code);
        if (idx < 0)
            a->host->doc_skip(doc, STAGE, "a hit for code \"%s\", which the codebook lacks",
                              doc->hits[i].code);
        else
            a->doc_hits[idx]++;
        a->hit_code[i] = idx;
    }
    if (doc->skipped) {
        int rc = tables_document(&a->tables, doc, 0, 0, groups, err);
        return rc != QP_OK ? rc : record_skip(a, doc);
    }
    for (size_t c = 0; c < a->n_codes; c++)
        if (a->doc_hits[c])
            for (long p = (long)c; p >= 0 && !a->doc_sub[p]; p = a->parent[p])
                a->doc_sub[p] = 1;
    if (count_segments(a, doc) != QP_OK)
        return QP_ERR_NOMEM;
    uint64_t tokens = coded_tokens(doc), segments = doc->n_segments ? doc->n_segments : 1;
    for (size_t i = 0; i < doc->n_hits; i++)
        if (quotes_offer(&a->quotes, (size_t)a->hit_code[i], doc, a->doc_stamp, &doc->hits[i]) <
                0 ||
            terms_count(a->terms[a->hit_code[i]], doc->hits[i].rule, doc->text + doc->hits[i].start,
                        doc->hits[i].end - doc->hits[i].start, &a->term_scratch) != QP_OK)
            return QP_ERR_NOMEM;
    a->documents++;
    a->segments += segments;
    a->tokens += tokens;
    a->hits += doc->n_hits;
    add_doc(a, a->codes);
    for (size_t b = 0; b < a->n_by; b++) {
        group_stats *g = find_group(a, &a->by[b], values[b]);
        if (!g)
            return QP_ERR_NOMEM;
        g->documents++;
        g->segments += segments;
        g->tokens += tokens;
        g->hits += doc->n_hits;
        add_doc(a, g->codes);
    }
    int rc = store_row(a, doc, tokens, segments, groups, err);
    return rc == QP_OK ? tables_document(&a->tables, doc, tokens, segments, groups, err) : rc;
}

/* Returns one code's stats object. */
static json_t *code_json(const aggregate_ctx *a, size_t c, const code_stats *s, uint64_t tokens)
{
    (void)tokens;
    json_t *o = json_pack("{s:I, s:I, s:I}", "hits", (json_int_t)s->hits, "documents",
                          (json_int_t)s->documents, "segments", (json_int_t)s->segments);
    if (o && a->has_children[c]) {
        json_object_set_new(o, "subtree_hits", json_integer((json_int_t)s->sub_hits));
        json_object_set_new(o, "subtree_documents", json_integer((json_int_t)s->sub_documents));
        json_object_set_new(o, "subtree_segments", json_integer((json_int_t)s->sub_segments));
    }
    return o;
}

/* Builds the result. Returns QP_OK with *result set, or QP_ERR_NOMEM. */
int aggregate_finish(void *ctx, json_t **result, qp_error *err)
{
    aggregate_ctx *a = ctx;
    (void)err;
    json_t *codes = json_object(), *groups = json_object();
    for (size_t c = 0; c < a->n_codes; c++) {
        json_t *o = code_json(a, c, &a->codes[c], a->tokens);
        json_object_set_new(o, "label", json_string(a->labels[c] ? a->labels[c] : a->ids[c]));
        json_object_set_new(o, "parent",
                            a->parent[c] < 0 ? json_null() : json_string(a->ids[a->parent[c]]));
        if (a->quotes_k)
            json_object_set_new(o, "quotes", quotes_json(&a->quotes, c));
        if (json_object_size(a->terms[c]))
            json_object_set(o, "terms", a->terms[c]);
        json_object_set_new(codes, a->ids[c], o);
    }
    for (size_t b = 0; b < a->n_by; b++) {
        json_t *field = json_object();
        const char *value;
        json_t *idx;
        json_object_foreach(a->by[b].index, value, idx)
        {
            group_stats *g = &a->by[b].groups[json_integer_value(idx)];
            json_t *gc = json_object();
            for (size_t c = 0; c < a->n_codes; c++)
                json_object_set_new(gc, a->ids[c], code_json(a, c, &g->codes[c], g->tokens));
            json_object_set_new(field, value,
                                json_pack("{s:I, s:I, s:I, s:I, s:o}", "documents",
                                          (json_int_t)g->documents, "segments",
                                          (json_int_t)g->segments, "tokens", (json_int_t)g->tokens,
                                          "hits", (json_int_t)g->hits, "codes", gc));
        }
        json_object_set_new(groups, a->by[b].name, field);
    }
    json_t *skipped = qp_result_sorted_skips(a->skipped);
    /* Counts only; the rates and absences are derived from them, as a merge does. */
    /* The documents' rows stay in a->docs; the writer streams them in. */
    *result =
        json_pack("{s:i, s:O, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}", "qualpipe_result", 1,
                  "provenance", a->provenance, "totals", "documents", (json_int_t)a->documents,
                  "segments", (json_int_t)a->segments, "skipped",
                  (json_int_t)json_array_size(a->skipped), "tokens", (json_int_t)a->tokens, "hits",
                  (json_int_t)a->hits, "codes", codes, "groups", groups, "skipped", skipped);
    if (*result && a->n_dropped) {
        /* Only when a filter dropped documents, so other results keep their bytes. */
        json_object_set_new(json_object_get(*result, "totals"), "dropped",
                            json_integer((json_int_t)a->n_dropped));
        json_object_set(*result, "dropped", a->dropped);
    }
    if (*result) {
        json_object_set_new(*result, "cooccurrence", cooccur_json(&a->co, a->ids));
        json_object_set_new(*result, "quotes_per_code", json_integer((json_int_t)a->quotes_k));
    }
    if (!*result || qp_result_derive(*result) < 0)
        return QP_ERR_NOMEM;
    int rc = aggregate_join_absorbed(a, result, err);
    return rc != QP_OK ? rc : tables_finish(&a->tables, err);
}
