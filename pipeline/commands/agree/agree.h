/* agree.h - what `qualpipe agree` holds: the corpus as units, the codes, and
 * each coder's coded spans; the functions that read codings and report. */
#ifndef QP_AGREE_H
#define QP_AGREE_H

#include <stdio.h>

#include <qualpipe/plugin.h>

#include "core/options.h"
#include "refi/qdpx.h"

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

/* One coding: its file, the name it is reported by (the path as given, or
 * --coder NAME), its spans, and what it left uncoded. */
typedef struct coder {
    const char *path;
    const char *name; /* the path, a --coder NAME, or own_name */
    char *own_name;   /* "PATH#2" for a path given twice */
    span *spans;
    size_t n_spans, spans_cap;
    unsigned char *missing;      /* per document: 1 when this coder did not code it */
    unsigned char *unit_missing; /* per unit: 1 when this coder did not code it */
    long project;                /* a REFI-QDA project's user: index into projects, or -1 */
    long user;                   /* ...and into its users (-1: codings naming no user) */
} coder;

/* A REFI-QDA project given as a coding: each of its users is a coder. */
typedef struct project_file {
    const char *path;
    qdpx_project p;
    json_t *code_ids; /* per project code, in its order: the qualpipe id it stands for */
    long *source_doc; /* per source: the corpus document it is, or -1; NULL until matched */
    int *source_crlf; /* per source: 1 when its text differs from the document's by CR LFs */
} project_file;

typedef struct agree_state {
    corpus_doc *docs;
    size_t n_docs, docs_cap;
    unit *units;
    size_t n_units, units_cap;
    char **codes; /* code ids in report order */
    long *parent; /* within codes, -1 for none */
    size_t n_codes, codes_cap;
    coder *coders;
    size_t n_coders, coders_cap;
    project_file *projects;
    size_t n_projects, projects_cap;
    json_t *labels;    /* the -c codebooks' labels, folded to lower case -> code id */
    json_t *patterns;  /* the -c codebooks' code id -> its patterns as written */
    int have_codebook; /* -c given: codes outside it are reported and left out */
    size_t bootstrap;  /* --bootstrap N: replicates for the intervals, 0 for none */
    uint64_t seed;     /* --seed */
    int chars;         /* offsets in characters, not bytes */
    int nominal;       /* --nominal: the codes are the values of one variable */
    char *unit_name;   /* what a unit is, from the stream header ("sentence") */
} agree_state;

/* The agreement's sink: keeps the document's text and its units (its segments, or
 * the whole text). Returns QP_OK, or QP_ERR_NOMEM. */
int collect_process(void *ctx, qp_doc *doc, qp_error *err);

/* Sorts the documents by id, so codings can find them. */
void sort_docs(agree_state *st);

/* Returns the index of code id, adding it (parent -1) when new; -1 on no memory. */
long code_index(agree_state *st, const char *id);

/* Reads coder c's coding: JSON Lines (a qualpipe stream, or {doc, start, end, code}
 * lines) or CSV (doc,start,end,code). Returns 0, or -1 with err naming the file
 * and line. */
int read_jsonl(agree_state *st, coder *c, qp_error *err);
int read_csv(agree_state *st, coder *c, qp_error *err);

/* Returns the index of document id in the sorted documents, or -1. */
long find_doc(const agree_state *st, const char *id);

/* Records a span of coder c in bytes of document d (checked by the caller).
 * Returns 0, or -1 when out of memory. */
int add_byte_span(coder *c, size_t d, uint32_t start, uint32_t end, size_t code);

/* Names the coders from the command's options: the k-th coding by the k-th
 * --coder NAME, the others by their paths as given (the same path again is
 * PATH#2, #3...); a REFI-QDA project is one coding per user who coded in it.
 * Returns 0, or -1 after printing why. */
int name_coders(agree_state *st, const qp_parsed *own);

/* Writes label folded to ASCII lower case (at most FOLDED_LABEL - 1 bytes) to
 * out, as codes are matched by label. */
#define FOLDED_LABEL 512
void fold_label(const char *label, char out[FOLDED_LABEL]);

/* Returns 1 when span sp codes unit x: it overlaps it (a zero-length span, the
 * unit it is in). */
int span_overlaps(const span *sp, const unit *x);

/* Reads the project at path into st (once per path). Returns its index, or -1
 * with err naming the file and the reason. */
long project_open(agree_state *st, const char *path, qp_error *err);

/* Returns in users[0, n) (room for n_users + 1) the users of project pf who
 * coded text, in the project's order, -1 standing for codings that name no
 * user; returns n. */
size_t project_coders(const project_file *pf, long *users);

/* Reads coder c's codings from its project: sources matched to the corpus
 * documents by name, else by text; positions made byte spans; codes matched to
 * the codebook's by id, else by label. Prints what matched nothing. Returns 0,
 * or -1 with err naming the project, source and selection. */
int read_project_coding(agree_state *st, coder *c, qp_error *err);

/* Frees the projects read. */
void projects_free(agree_state *st);

/* Returns marks[u * n_codes + k]: 1 when coder c coded unit u with code k or a code
 * below it; NULL when out of memory. */
unsigned char *mark_units(const agree_state *st, const coder *c);

/* Returns a JSON number rounded to 4 decimals, or null with the reason in
 * obj[note_key] (when note_key and why are given) when the statistic is
 * undefined. */
json_t *agree_stat(double value, int defined, json_t *obj, const char *note_key, const char *why);

/* Returns 1 when coder c's value for unit u is missing (its document or the
 * unit left uncoded). */
int unit_is_missing(const agree_state *st, const coder *c, size_t u);

/* --nominal: marks as missing, per coder, the units it gave no value, and checks
 * that no coder gave a unit two. Returns 0, or -1 with err naming the coder,
 * document and unit. */
int nominal_prepare(agree_state *st, unsigned char **marks, qp_error *err);

/* --nominal: returns the report of the one variable whose values are the codes
 * without children: alpha over every coder, and each coder's kappa and observed
 * agreement with coder `ref`; NULL when out of memory. */
json_t *nominal_report(const agree_state *st, unsigned char **marks, size_t ref);

/* --nominal: prints the variable's line of the table. */
void nominal_print(FILE *out, const agree_state *st, const json_t *variable, size_t ref);

/* Returns the JSON report of every coder against coder `ref`, with up to
 * max_quotes quotes per code and direction; `unit` names the units. */
json_t *report(agree_state *st, unsigned char **marks, size_t ref, size_t max_quotes,
               const char *unit);

/* Returns code k's rules as coder c applied them, each judged against the
 * reference `ref` (whose unit marks are ref_marks): [{rule, hits,
 * true_positives, false_positives, precision}], the most false positives first,
 * and the -c codebooks' patterns of k that never fired with 0 hits. A hit is a
 * true positive when the reference coded a unit it overlaps with k. NULL when c
 * records no rules (a human coding) or out of memory. */
json_t *rule_diagnostics(const agree_state *st, const coder *c, const coder *ref,
                         const unsigned char *ref_marks, size_t k);

/* Adds to code k's entry (its statistics already in) 95% percentile bootstrap
 * intervals over st->bootstrap replicates of the units: alpha_ci, and per coder
 * kappa_ci, precision_ci, recall_ci and f1_ci ([low, high], or null where no
 * replicate defines it); `values` is the code's (unit x coder) table. Returns
 * 0, or -1 when out of memory. */
int bootstrap_code(const agree_state *st, const int *values, size_t ref, json_t *entry);

/* Returns, per code id, up to `want` patterns to add, from the words and word
 * pairs most over-represented (G2) in the units the reference coded with the
 * code and coder c did not, against the units neither coded; each tried by the
 * code stage on every unit (plugin_args: "--plugin-dir DIR" pairs): [{pattern,
 * g2, in_false_negatives, in_uncoded_units, would_recover,
 * would_add_false_positives}], highest G2 first. NULL after printing why. */
json_t *suggest(const agree_state *st, const unsigned char *ref_marks, const unsigned char *marks,
                size_t ref, size_t c, size_t want, char **plugin_args, int n_plugin_args);

/* Prints the per-code table of report r on out. */
void print_table(FILE *out, const agree_state *st, const json_t *r, size_t ref);

#endif
