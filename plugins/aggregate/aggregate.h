/* aggregate.h - the aggregate stage's state: the codebook from the stream header,
 * the counts per code, document and group, and how the result is written. */
#ifndef QP_AGGREGATE_H
#define QP_AGGREGATE_H

#include <qualpipe/stage.h>

#include "cooccur.h"
#include "doctable.h"
#include "quotes.h"
#include "result_files.h"
#include "tables.h"
#include "util/text.h"
#include "util/radix.h"

#define STAGE "aggregate"

/* --format, in the order of its choices. */
enum { FORMAT_JSON, FORMAT_CSV, FORMAT_SQLITE, FORMAT_XLSX };
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

#define CODE_CACHE_BITS 10

/* One entry of the cache from a hit's code string to its index; `stamp`: the
 * document in which the string was last checked. */
typedef struct code_cached {
    const char *id;
    long index;
    uint64_t stamp;
} code_cached;

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
    json_t **terms;            /* per code: {rule: {term: hits}} (terms.h) */
    qp_buf term_scratch;       /* a hit's term, folded */
    result_files result_files; /* --terms, --report: written from the result */
    doctable *docs;            /* id -> per-document counts, kept out of memory */
    json_t *skipped;           /* array of {id, stage, reason} */
    json_t *dropped;           /* stage -> documents it dropped on purpose */
    uint64_t n_dropped;
    json_t *absorbed; /* earlier parts' results without their documents (absorb.c) */
    /* Per-document scratch. */
    uint64_t *doc_hits;
    unsigned char *doc_sub;
    uint64_t *doc_segs, *doc_sub_segs; /* segments with the code, own and subtree */
    uint64_t *last_seg, *last_sub_seg; /* the last segment counted for each */
    qp_keyed *pairs;                   /* (code, segment) keys of this document, and */
    size_t pairs_cap;                  /* room for their sort */
    uint64_t *segs;                    /* (segment, code) of this document, each once */
    size_t segs_cap, n_segs;
    long *hit_code; /* this document's hits' code indices */
    size_t hit_code_cap;
    code_cached code_cache[1 << CODE_CACHE_BITS];
    uint64_t doc_stamp; /* counts the documents seen, from 1 */
    cooccur co;
    quotes quotes;
    size_t quotes_k;
    tables tables;
    const char *by_names[MAX_BY];
    /* How the result is written. */
    int format; /* index into formats */
    int values; /* --values: enum csv_values */
    int compact, summary, quiet;
    int csv_raw; /* --csv-raw: CSV cells as they are (csvcell.h) */
} aggregate_ctx;

/* Counts one document (a skipped one is recorded, a dropped one counted by its
 * stage). Returns QP_OK (a duplicate id, or a hit for a code the codebook lacks,
 * skips the document), or QP_ERR_NOMEM. */
int aggregate_process(void *ctx, qp_doc *doc, qp_error *err);

/* Builds the result from the counts. Returns QP_OK with *result set, or an error
 * status with err filled. */
int aggregate_finish(void *ctx, json_t **result, qp_error *err);

/* Takes in an earlier part's result (the absorb callback, stage.h). Returns QP_OK,
 * QP_ERR_USAGE for a result that is damaged, from other options or shares a
 * document with this instance, QP_ERR_IO or QP_ERR_NOMEM, with err filled. */
int aggregate_absorb(void *ctx, json_t *result, qp_error *err);

/* Replaces *result (this instance's own) with it merged into what was absorbed,
 * when anything was. Returns QP_OK, or QP_ERR_USAGE with err filled. */
int aggregate_join_absorbed(aggregate_ctx *a, json_t **result, qp_error *err);

#endif
