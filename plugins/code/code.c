/* code.c - the code stage: codes tokenised documents against one or more
 * codebooks (JSON files, shipped codebooks or codebook plugins) and records each
 * hit. With several codebooks, every code id must be unique across them; hits
 * from all of them are merged in text order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qualpipe/stage.h>

#include "codebook/codebook.h"
#include "util/grow.h"
#include "matcher.h"
#include "shared_books.h"

#define STAGE "code"
#define MAX_CODEBOOKS 16

/* One codebook with its index (shared by the stage's instances), scratch and
 * plugin matcher. */
typedef struct book {
    const shared_book *shared;
    const qp_codebook *cb;
    const matcher *m;
    match_scratch *scratch;
    void *plugin_matcher;
} book;

/* A hit waiting to be added, with what orders it among the others. */
typedef struct pending_hit {
    qp_hit hit;
    size_t book, seq;
} pending_hit;

typedef struct code_ctx {
    const qp_host *host;
    book books[MAX_CODEBOOKS];
    size_t n_books;
    pending_hit *pending;
    size_t n_pending, pending_cap, current_book;
    qp_doc *doc;            /* the document being coded */
    unsigned regex_seconds; /* --regex-seconds */
    const char *encoding;   /* --encoding, or NULL */
    int allow_no_patterns;  /* --allow-no-patterns */
} code_ctx;

static const qp_option_spec code_options[] = {
    {.name = "codebook",
     .short_name = 'c',
     .flags = QP_OPT_REQUIRED | QP_OPT_REPEAT,
     .arg_name = "CODEBOOK",
     .help = "a codebook: a .json file, a shipped codebook's name, or a codebook plugin"},
    {.name = "encoding",
     .arg_name = "NAME",
     .help = "the encoding of the codebook and dictionary files given with -c, when they are "
             "not UTF-8: windows-1252, iso-8859-1, shift_jis, euc-jp, utf-16 (any name "
             "`iconv --list` shows)"},
    {.name = "allow-no-patterns",
     .type = QP_TYPE_FLAG,
     .help = "code with a codebook that has no patterns at all (a .qdc's codes), which codes "
             "nothing; without it such a codebook is refused"},
    {.name = "regex-seconds",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 86400,
     .default_value = "10",
     .arg_name = "N",
     .help = "skip a document, named, whose regex patterns run longer than N seconds in all "
             "(a regex that backtracks too much; 0: no limit)"},
    {0},
};

static void code_destroy(void *ctx)
{
    code_ctx *c = ctx;
    if (!c)
        return;
    for (size_t i = 0; i < c->n_books; i++) {
        book *b = &c->books[i];
        if (b->plugin_matcher && b->cb->plugin->match_destroy)
            b->cb->plugin->match_destroy(b->plugin_matcher);
        match_scratch_free(b->scratch);
        shared_book_close(b->shared);
    }
    free(c->pending);
    free(c);
}

/* Opens, indexes and prepares one codebook as book n. Returns QP_OK, or an error
 * status with err filled. */
static int open_book(code_ctx *c, const char *spec, qp_error *err)
{
    book *b = &c->books[c->n_books];
    memset(b, 0, sizeof *b);
    int status;
    if (!(b->shared = shared_book_open(c->host, spec, c->encoding, err, &status)))
        return status;
    b->cb = b->shared->cb;
    b->m = b->shared->m;
    c->n_books++; /* from here on code_destroy gives it back */
    if (!b->cb->n_patterns && !(b->cb->plugin && b->cb->plugin->match) && !c->allow_no_patterns) {
        snprintf(err->message, sizeof err->message,
                 "%.400s: its %zu codes have no patterns, so nothing would be coded (a REFI-QDA "
                 ".qdc brings codes, not rules: add patterns to them in a qualpipe codebook); "
                 "give --allow-no-patterns to run it anyway",
                 b->cb->source, b->cb->n_codes);
        return QP_ERR_CODEBOOK;
    }
    for (size_t i = 0; i + 1 < c->n_books; i++)
        for (size_t k = 0; k < b->cb->n_codes; k++)
            if (qp_codebook_find(c->books[i].cb, b->cb->codes[k].id) >= 0) {
                snprintf(err->message, sizeof err->message,
                         "code id \"%.100s\" is in both %.300s and %.300s: code ids must be "
                         "unique across the codebooks of one run; rename one of them",
                         b->cb->codes[k].id, c->books[i].cb->source, b->cb->source);
                return QP_ERR_CODEBOOK;
            }
    if (!(b->scratch = match_scratch_new(c->regex_seconds)))
        return QP_ERR_NOMEM;
    const qp_codebook_descriptor *d = b->cb->plugin;
    if (d && d->match_create) {
        err->message[0] = '\0';
        if (d->match_create(&b->plugin_matcher, err) != QP_OK) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message[0] ? err->message : "failed");
            snprintf(err->message, sizeof err->message, "%.400s: match_create: %.500s",
                     b->cb->source, why);
            b->plugin_matcher = NULL;
            return QP_ERR_PLUGIN;
        }
    }
    return QP_OK;
}

/* Returns QP_OK with every codebook loaded and indexed, or an error status with
 * err naming the file, line and reason. */
static int code_create(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                       qp_error *err)
{
    code_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return QP_ERR_NOMEM;
    c->host = host;
    c->regex_seconds = 10;
    for (size_t i = 0; i < n_opts; i++)
        if (strcmp(opts[i].name, "regex-seconds") == 0)
            c->regex_seconds = (unsigned)opts[i].number;
        else if (strcmp(opts[i].name, "encoding") == 0)
            c->encoding = opts[i].value;
        else if (strcmp(opts[i].name, "allow-no-patterns") == 0)
            c->allow_no_patterns = 1;
    int rc = QP_OK;
    for (size_t i = 0; i < n_opts && rc == QP_OK; i++) {
        if (strcmp(opts[i].name, "codebook") != 0)
            continue;
        if (c->n_books == MAX_CODEBOOKS) {
            snprintf(err->message, sizeof err->message, "at most %d codebooks in one run",
                     MAX_CODEBOOKS);
            rc = QP_ERR_USAGE;
        } else {
            rc = open_book(c, opts[i].value, err);
        }
    }
    if (rc == QP_OK && c->n_books == 0) {
        snprintf(err->message, sizeof err->message, "-c CODEBOOK is required");
        rc = QP_ERR_USAGE;
    }
    if (rc != QP_OK) {
        code_destroy(c);
        return rc;
    }
    *ctx = c;
    return QP_OK;
}

/* Checks the stream was tokenised and not coded yet, and records the codebooks in
 * the header. Returns QP_OK, or QP_ERR_USAGE with err saying what to run first. */
static int code_begin(void *ctx, json_t *header, qp_error *err)
{
    code_ctx *c = ctx;
    int tokenised = 0;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(header, "stages"), i, s)
    {
        const char *name = json_string_value(json_object_get(s, "name"));
        tokenised |= name && strcmp(name, "tokenise") == 0;
    }
    if (!tokenised) {
        snprintf(err->message, sizeof err->message,
                 "the input was not tokenised: put 'qualpipe stage tokenise' before "
                 "'qualpipe stage code' (and keep the first line, the stream header, when "
                 "filtering with grep or jq)");
        return QP_ERR_USAGE;
    }
    if (json_object_get(header, "codebooks")) {
        snprintf(err->message, sizeof err->message,
                 "the input was coded already: code a stream once, giving every codebook "
                 "to that one code stage (-c A -c B)");
        return QP_ERR_USAGE;
    }
    json_t *books = json_array();
    for (size_t b = 0; books && b < c->n_books; b++)
        if (json_array_append_new(books, qp_codebook_describe(c->books[b].cb)) < 0) {
            json_decref(books);
            books = NULL;
        }
    if (!books || json_object_set_new(header, "codebooks", books) < 0)
        return QP_ERR_NOMEM;
    return QP_OK;
}

/* Adds a hit of the only codebook to the document (matcher_run gives them in text
 * order). Returns QP_OK or QP_ERR_NOMEM. */
static int add_hit(void *ctx, const qp_hit *hit)
{
    code_ctx *c = ctx;
    return c->host->doc_add_hit(c->doc, hit);
}

/* Collects a hit from the current codebook's matcher, to be put in text order
 * with the other codebooks' hits. Returns QP_OK or QP_ERR_NOMEM. */
static int collect_hit(void *ctx, const qp_hit *hit)
{
    code_ctx *c = ctx;
    if (qp_grow(&c->pending, &c->pending_cap, c->n_pending + 1, sizeof *c->pending, 256) < 0)
        return QP_ERR_NOMEM;
    c->pending[c->n_pending] = (pending_hit){*hit, c->current_book, c->n_pending};
    c->n_pending++;
    return QP_OK;
}

/* Text order: by start, longest first, then codebook order, then as found. */
static int by_text_order(const void *a, const void *b)
{
    const pending_hit *x = a, *y = b;
    if (x->hit.start != y->hit.start)
        return x->hit.start < y->hit.start ? -1 : 1;
    if (x->hit.end != y->hit.end)
        return x->hit.end > y->hit.end ? -1 : 1;
    if (x->book != y->book)
        return x->book < y->book ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Codes one document. Returns QP_OK (a plugin matcher failure skips the document)
 * or QP_ERR_NOMEM. */
static int code_process(void *ctx, qp_doc *doc, qp_error *err)
{
    code_ctx *c = ctx;
    c->host->doc_clear_hits(doc);
    c->n_pending = 0;
    c->doc = doc;
    for (size_t i = 0; i < c->n_books; i++) {
        book *b = &c->books[i];
        c->current_book = i;
        int rc = matcher_run(b->m, b->scratch, b->plugin_matcher, doc,
                             c->n_books == 1 ? add_hit : collect_hit, c, err);
        if (rc == QP_ERR_PLUGIN) {
            c->host->doc_skip(doc, STAGE, "%s", err->message);
            err->message[0] = '\0';
            return QP_OK;
        }
        if (rc != QP_OK) {
            snprintf(err->message, sizeof err->message, "out of memory");
            return rc;
        }
    }
    if (c->n_books > 1 && c->n_pending > 1)
        qsort(c->pending, c->n_pending, sizeof *c->pending, by_text_order);
    for (size_t i = 0; i < c->n_pending; i++)
        if (c->host->doc_add_hit(doc, &c->pending[i].hit) != QP_OK) {
            snprintf(err->message, sizeof err->message, "out of memory");
            return QP_ERR_NOMEM;
        }
    return QP_OK;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "codes tokenised documents against codebooks of words, globs, phrases "
                   "and regexes",
    .options = code_options,
    .create = code_create,
    .begin = code_begin,
    .process = code_process,
    .destroy = code_destroy,
};
