/* aggregate.c - the aggregate stage: counts hits per code, per document and per
 * group of each --by field into the JSON result. Every count is a sum over
 * documents, so results of shards add up to the result of the whole corpus; rates
 * and the list of codes without hits are derived from the sums at the end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qualpipe/stage.h>

#include "cooccur.h"
#include "output.h"
#include "quotes.h"
#include "results/result.h"
#include "tables.h"
#include "util/grow.h"
#include "util/radix.h"

#define STAGE "aggregate"
#define MISSING_GROUP "(missing)"
#define MAX_BY 16

typedef struct code_stats {
    uint64_t hits, documents, segments;             /* the code's own patterns */
    uint64_t sub_hits, sub_documents, sub_segments; /* the code and every code below it */
} code_stats;

typedef struct group_stats {
    uint64_t documents, segments, tokens, hits;
    code_stats *codes; /* n_codes */
} group_stats;

typedef struct by_field {
    const char *name;
    json_t *index; /* value -> integer index into groups */
    group_stats *groups;
    size_t n_groups, cap;
} by_field;

typedef struct aggregate_ctx {
    const qp_host *host;
    by_field by[MAX_BY];
    size_t n_by;
    json_t *provenance;
    /* The codebook, from the stream header. */
    size_t n_codes;
    const char **ids; /* borrowed from `codebook` */
    const char **labels;
    long *parent;
    int *has_children;
    json_t *codebooks;  /* from the stream header; ids and labels point into it */
    json_t *code_index; /* id -> integer index */
    /* Totals. */
    uint64_t documents, segments, tokens, hits;
    code_stats *codes;
    json_t *docs;    /* id -> per-document counts */
    json_t *skipped; /* array of {id, stage, reason} */
    json_t *dropped; /* stage -> documents it dropped on purpose */
    uint64_t n_dropped;
    /* Per-document scratch. */
    uint64_t *doc_hits;
    unsigned char *doc_sub;
    uint64_t *doc_segs, *doc_sub_segs; /* segments with the code, own and subtree */
    qp_keyed *pairs;                   /* (code, segment) keys of this document, and */
    size_t pairs_cap, pairs_used;      /* room for their sort */
    uint64_t *segs;                    /* (segment, code) of this document */
    size_t segs_cap;
    cooccur co;
    quotes quotes;
    size_t quotes_k;
    tables tables;
    const char *by_names[MAX_BY];
    /* How the result is written. */
    int format; /* index into formats */
    int compact, summary, quiet;
} aggregate_ctx;

enum { FORMAT_JSON, FORMAT_CSV, FORMAT_SQLITE };
static const char *const formats[] = {"json", "csv", "sqlite", NULL};

static const qp_option_spec aggregate_options[] = {
    {.name = "by",
     .flags = QP_OPT_REPEAT,
     .arg_name = "FIELD",
     .help = "also count per value of metadata field FIELD (e.g. role); FIELD,FIELD crosses "
             "fields (district,year)"},
    {.name = "hits",
     .arg_name = "FILE.csv",
     .help = "also write every hit to FILE.csv: doc, code, start, end, segment, speaker, rule, "
             "the --by fields, text"},
    {.name = "sqlite",
     .arg_name = "FILE.db",
     .help = "also write documents, metadata, segments, codes and hits to a SQLite database"},
    {.name = "quotes",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 1000,
     .default_value = "5",
     .arg_name = "K",
     .help = "keep up to K quotes per code, the first by document id and position (0: none)"},
    {.name = "format",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_ENUM,
     .choices = formats,
     .default_value = "json",
     .arg_name = "FORMAT",
     .help = "json; csv: one row per document, a column per code; sqlite: a database (with -o "
             "FILE.db)"},
    {.name = "compact",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "write the JSON result on one line (as a Hadoop Streaming mapper must)"},
    {.name = "summary",
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "print a summary table on standard error (the default when standard output is a "
             "terminal)"},
    {.name = "quiet",
     .short_name = 'q',
     .flags = QP_OPT_PRESENTATION,
     .type = QP_TYPE_FLAG,
     .help = "print no summary, even on a terminal"},
    {0},
};

static void aggregate_destroy(void *ctx)
{
    aggregate_ctx *a = ctx;
    if (!a)
        return;
    for (size_t i = 0; i < a->n_by; i++) {
        for (size_t g = 0; g < a->by[i].n_groups; g++)
            free(a->by[i].groups[g].codes);
        free(a->by[i].groups);
        json_decref(a->by[i].index);
    }
    free(a->ids);
    free(a->labels);
    free(a->parent);
    free(a->has_children);
    free(a->codes);
    free(a->doc_hits);
    free(a->doc_sub);
    free(a->doc_segs);
    free(a->doc_sub_segs);
    free(a->pairs);
    free(a->segs);
    cooccur_free(&a->co);
    quotes_free(&a->quotes);
    tables_abort(&a->tables);
    json_decref(a->codebooks);
    json_decref(a->code_index);
    json_decref(a->provenance);
    json_decref(a->docs);
    json_decref(a->skipped);
    json_decref(a->dropped);
    free(a);
}

/* Checks that the output suits --format: a database needs -o FILE. Returns QP_OK,
 * or QP_ERR_USAGE with err saying what to give. */
static int check_format(const aggregate_ctx *a, int side_db, qp_error *err)
{
    if (a->format != FORMAT_SQLITE)
        return QP_OK;
    if (!a->host->output || !a->host->output->path) {
        snprintf(err->message, sizeof err->message,
                 "--format sqlite: a database is a file; name it with -o FILE.db");
        return QP_ERR_USAGE;
    }
    if (side_db) {
        snprintf(err->message, sizeof err->message,
                 "--format sqlite: give either it or --sqlite FILE.db, not both");
        return QP_ERR_USAGE;
    }
    return QP_OK;
}

/* Returns QP_OK with an instance, QP_ERR_USAGE for too many --by or a format the
 * output cannot take, or QP_ERR_NOMEM. */
static int aggregate_create(const qp_host *host, const qp_option_value *opts, size_t n_opts,
                            void **ctx, qp_error *err)
{
    aggregate_ctx *a = calloc(1, sizeof *a);
    if (!a)
        return QP_ERR_NOMEM;
    a->host = host;
    a->quotes_k = 5;
    for (size_t i = 0; i < n_opts; i++) {
        const char *name = opts[i].name;
        if (strcmp(name, "quotes") == 0)
            a->quotes_k = (size_t)opts[i].number;
        else if (strcmp(name, "format") == 0)
            a->format = (int)opts[i].number;
        a->compact |= strcmp(name, "compact") == 0;
        a->summary |= strcmp(name, "summary") == 0;
        a->quiet |= strcmp(name, "quiet") == 0;
        if (strcmp(name, "by") != 0)
            continue;
        int dup = 0;
        for (size_t k = 0; k < a->n_by; k++)
            dup |= strcmp(a->by[k].name, opts[i].value) == 0;
        if (dup)
            continue;
        if (a->n_by == MAX_BY) {
            snprintf(err->message, sizeof err->message, "at most %d --by fields", MAX_BY);
            aggregate_destroy(a);
            return QP_ERR_USAGE;
        }
        a->by[a->n_by].name = opts[i].value;
        a->by[a->n_by].index = json_object();
        a->n_by++;
    }
    a->docs = json_object();
    a->skipped = json_array();
    a->dropped = json_object();
    const qp_option_value *hits = host->option(opts, n_opts, "hits");
    const qp_option_value *db = host->option(opts, n_opts, "sqlite");
    for (size_t b = 0; b < a->n_by; b++)
        a->by_names[b] = a->by[b].name;
    int rc = check_format(a, db != NULL, err);
    if (rc == QP_OK)
        rc = tables_open(&a->tables, hits ? hits->value : NULL,
                         a->format == FORMAT_SQLITE ? host->output->path
                         : db                       ? db->value
                                                    : NULL,
                         a->format == FORMAT_SQLITE, a->by_names, a->n_by, err);
    if (rc != QP_OK) {
        aggregate_destroy(a);
        return rc;
    }
    *ctx = a;
    return QP_OK;
}

/* Reads the code trees of every codebook in the stream header. Returns QP_OK,
 * QP_ERR_USAGE when the stream carries no codebook, or QP_ERR_NOMEM. */
static int aggregate_begin(void *ctx, json_t *header, qp_error *err)
{
    aggregate_ctx *a = ctx;
    json_t *books = json_object_get(header, "codebooks"), *book;
    size_t b;
    if (!json_is_array(books) || json_array_size(books) == 0) {
        snprintf(err->message, sizeof err->message,
                 "the input carries no codebook: put 'qualpipe stage code -c CODEBOOK' before "
                 "'qualpipe stage aggregate' (and keep the first line, the stream header, "
                 "when filtering with grep or jq)");
        return QP_ERR_USAGE;
    }
    a->codebooks = json_incref(books);
    json_array_foreach(books, b, book) a->n_codes +=
        json_array_size(json_object_get(book, "codes"));
    size_t n = a->n_codes ? a->n_codes : 1;
    a->ids = calloc(n, sizeof *a->ids);
    a->labels = calloc(n, sizeof *a->labels);
    a->parent = calloc(n, sizeof *a->parent);
    a->has_children = calloc(n, sizeof *a->has_children);
    a->codes = calloc(n, sizeof *a->codes);
    a->doc_hits = calloc(n, sizeof *a->doc_hits);
    a->doc_sub = calloc(n, sizeof *a->doc_sub);
    a->doc_segs = calloc(n, sizeof *a->doc_segs);
    a->doc_sub_segs = calloc(n, sizeof *a->doc_sub_segs);
    a->code_index = json_object();
    json_t *provenance_books = json_array();
    if (!a->ids || !a->labels || !a->parent || !a->has_children || !a->codes || !a->doc_hits ||
        !a->doc_sub || !a->doc_segs || !a->doc_sub_segs || !a->code_index || !provenance_books) {
        json_decref(provenance_books);
        return QP_ERR_NOMEM;
    }
    size_t k = 0;
    json_array_foreach(books, b, book)
    {
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(book, "codes"), i, c)
        {
            a->ids[k] = json_string_value(json_object_get(c, "id"));
            a->labels[k] = json_string_value(json_object_get(c, "label"));
            if (!a->ids[k] || json_object_get(a->code_index, a->ids[k])) {
                snprintf(err->message, sizeof err->message,
                         "the stream header's codebooks are damaged or share code \"%s\"",
                         a->ids[k] ? a->ids[k] : "?");
                json_decref(provenance_books);
                return QP_ERR_USAGE;
            }
            json_object_set_new(a->code_index, a->ids[k], json_integer((json_int_t)k));
            const char *parent = json_string_value(json_object_get(c, "parent"));
            json_t *p = parent ? json_object_get(a->code_index, parent) : NULL;
            a->parent[k] = p ? (long)json_integer_value(p) : -1;
            if (p)
                a->has_children[a->parent[k]] = 1;
            k++;
        }
        /* Provenance keeps the codebook's code ids, in codebook order. */
        json_t *info = json_deep_copy(book), *ids = json_array();
        json_array_foreach(json_object_get(book, "codes"), i, c)
            json_array_append(ids, json_object_get(c, "id"));
        json_object_set_new(info, "codes", ids);
        json_array_append_new(provenance_books, info);
    }
    if (cooccur_init(&a->co, a->n_codes) < 0 ||
        quotes_init(&a->quotes, a->n_codes, a->quotes_k) < 0)
        return QP_ERR_NOMEM;
    int rc = tables_codes(&a->tables, books, err);
    if (rc != QP_OK)
        return rc;
    a->provenance = json_pack("{s:O?, s:o, s:O}", "qualpipe_version",
                              json_object_get(header, "qualpipe_version"), "codebooks",
                              provenance_books, "stages", json_object_get(header, "stages"));
    return a->provenance ? QP_OK : QP_ERR_NOMEM;
}

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

/* Counts the distinct segments with each code, own and subtree, from the
 * document's hits (a document without segments is one segment). Each hit adds a
 * (code, segment, own?) key for its code and every code above; sorting the keys
 * lets one pass count both. Returns QP_OK or QP_ERR_NOMEM. */
static int count_segments(aggregate_ctx *a, const qp_doc *doc)
{
    memset(a->doc_segs, 0, a->n_codes * sizeof *a->doc_segs);
    memset(a->doc_sub_segs, 0, a->n_codes * sizeof *a->doc_sub_segs);
    size_t n = 0;
    for (size_t i = 0; i < doc->n_hits; i++) {
        uint64_t seg = doc->hits[i].segment == QP_NO_SEGMENT ? 0 : doc->hits[i].segment;
        long c = (long)json_integer_value(json_object_get(a->code_index, doc->hits[i].code));
        for (long p = c; p >= 0; p = a->parent[p]) {
            if (qp_grow(&a->pairs, &a->pairs_cap, 2 * (n + 1), sizeof *a->pairs, 256) < 0)
                return QP_ERR_NOMEM;
            a->pairs[n++].key = ((uint64_t)p << 33) | (seg << 1) | (p != c);
        }
    }
    qp_radix_sort(a->pairs, a->pairs + n, n);
    a->pairs_used = n;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = a->pairs[i].key, prev = i ? a->pairs[i - 1].key : ~key;
        uint64_t code = key >> 33;
        if ((prev >> 1) != (key >> 1))
            a->doc_sub_segs[code]++; /* a new (code, segment) */
        if (!(key & 1) && prev != key)
            a->doc_segs[code]++; /* a new (code, segment) from the code's own hits */
    }
    return QP_OK;
}

/* Adds this document to the co-occurrence counts, from the (code, segment) pairs
 * count_segments left sorted. Returns 0, or -1 when out of memory. */
static int count_cooccurrence(aggregate_ctx *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->pairs_used; i++) {
        uint64_t key = a->pairs[i].key;
        if (qp_grow(&a->segs, &a->segs_cap, n + 1, sizeof *a->segs, 256) < 0)
            return -1;
        a->segs[n++] = ((key >> 1) & 0xffffffffu) << 32 | (key >> 33);
    }
    return cooccur_add(&a->co, a->doc_sub, a->segs, n);
}

/* Returns the tokens that are coded: those inside segments, or all of them. */
static uint64_t coded_tokens(const qp_doc *doc)
{
    if (!doc->n_segments)
        return doc->n_tokens;
    uint64_t n = 0;
    size_t g = 0;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        while (g < doc->n_segments && doc->segments[g].end <= doc->tokens[i].start)
            g++;
        n += g < doc->n_segments && doc->segments[g].start <= doc->tokens[i].start;
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

/* Counts one document. Returns QP_OK (a duplicate id, or a hit for a code the
 * codebook lacks, skips the document) or QP_ERR_NOMEM. */
static int aggregate_process(void *ctx, qp_doc *doc, qp_error *err)
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
    if (!doc->skipped && json_object_get(a->docs, doc->id))
        a->host->doc_skip(doc, STAGE, "a second document with this id (ids must be unique)");
    memset(a->doc_hits, 0, a->n_codes * sizeof *a->doc_hits);
    memset(a->doc_sub, 0, a->n_codes);
    for (size_t i = 0; i < doc->n_hits && !doc->skipped; i++) {
        json_t *idx = json_object_get(a->code_index, doc->hits[i].code);
        if (!idx)
            a->host->doc_skip(doc, STAGE, "a hit for code \"%s\", which the codebook lacks",
                              doc->hits[i].code);
        else
            a->doc_hits[json_integer_value(idx)]++;
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
    if (count_cooccurrence(a) < 0)
        return QP_ERR_NOMEM;
    for (size_t i = 0; i < doc->n_hits; i++) {
        json_t *idx = json_object_get(a->code_index, doc->hits[i].code);
        if (quotes_offer(&a->quotes, (size_t)json_integer_value(idx), doc, &doc->hits[i]) < 0)
            return QP_ERR_NOMEM;
    }
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
    json_t *per_code = json_object();
    for (size_t c = 0; per_code && c < a->n_codes; c++)
        if (a->doc_hits[c])
            json_object_set_new(per_code, a->ids[c], json_integer((json_int_t)a->doc_hits[c]));
    json_t *entry =
        json_pack("{s:I, s:I, s:I, s:o}", "tokens", (json_int_t)tokens, "segments",
                  (json_int_t)segments, "hits", (json_int_t)doc->n_hits, "codes", per_code);
    if (entry && a->n_by) {
        json_t *g = json_object();
        for (size_t b = 0; b < a->n_by; b++)
            json_object_set_new(g, a->by[b].name, json_string(values[b]));
        json_object_set_new(entry, "groups", g);
    }
    if (!entry || json_object_set_new(a->docs, doc->id, entry) < 0)
        return QP_ERR_NOMEM;
    int rc = tables_document(&a->tables, doc, tokens, segments, groups, err);
    if (rc != QP_OK)
        return rc;
    return QP_OK;
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
static int aggregate_finish(void *ctx, json_t **result, qp_error *err)
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
    *result = json_pack("{s:i, s:O, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:O, s:o, s:o}",
                        "qualpipe_result", 1, "provenance", a->provenance, "totals", "documents",
                        (json_int_t)a->documents, "segments", (json_int_t)a->segments, "skipped",
                        (json_int_t)json_array_size(a->skipped), "tokens", (json_int_t)a->tokens,
                        "hits", (json_int_t)a->hits, "codes", codes, "documents", a->docs, "groups",
                        groups, "skipped", skipped);
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
    return tables_finish(&a->tables, err);
}

/* Writes the result in the format asked for, then the summary when wanted.
 * Returns QP_OK, or QP_ERR_IO with errno kept. */
static int aggregate_write(void *ctx, const json_t *result, qp_error *err)
{
    aggregate_ctx *a = ctx;
    const qp_output *out = a->host->output;
    int bad = 0;
    if (a->format == FORMAT_CSV)
        bad = output_write_csv(out->stream, result, a->by_names, a->n_by) < 0;
    else if (a->format == FORMAT_JSON)
        bad = qp_result_write(out->stream, result, a->compact) < 0;
    if (bad) {
        snprintf(err->message, sizeof err->message, "cannot write %s", out->name);
        return QP_ERR_IO;
    }
    if (a->summary || (!a->quiet && out->terminal)) {
        if (fflush(out->stream) != 0)
            return QP_ERR_IO;
        output_print_summary(stderr, result, out->name);
    }
    return QP_OK;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_SINK,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "counts hits per code, document and group into the JSON result",
    .options = aggregate_options,
    .create = aggregate_create,
    .begin = aggregate_begin,
    .process = aggregate_process,
    .finish = aggregate_finish,
    .destroy = aggregate_destroy,
    .write = aggregate_write,
};
