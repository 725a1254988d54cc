/* output.h - how the aggregate stage puts its result on the output: JSON, a wide
 * CSV table, and the summary a researcher reads on standard error. */
#ifndef QP_AGGREGATE_OUTPUT_H
#define QP_AGGREGATE_OUTPUT_H

#include <stdio.h>

#include <qualpipe/plugin.h>

#include "doctable.h"

/* Writes the result, with "documents" made from the rows of `docs`, as jansson
 * writes a whole result (sorted keys; indented by two, or on one line with
 * compact) and a line end. Returns QP_OK, or an error status (QP_ERR_IO: a write
 * failed, errno kept; err filled when the rows could not be read back). */
int output_write_json(FILE *out, const json_t *result, doctable *docs, int compact, qp_error *err);

/* What the code columns of the wide CSV table hold (--values, in its order). */
enum csv_values {
    VALUES_COUNT,   /* hits */
    VALUES_PCT,     /* hits as a percentage of the document's tokens (LIWC) */
    VALUES_PER1000, /* hits per 1,000 tokens */
    VALUES_UNITS    /* units (segments) with the code */
};

/* Writes a result as a wide CSV table: one row per document (by id, from `docs`)
 * with its tokens, segments, hits, its value of each of the n_by --by fields, and
 * a column per code (in codebook order) holding what `values` says; with
 * `guard`, text cells a spreadsheet would run as formulas are marked (see
 * csvcell.h). Returns QP_OK, or an error status as output_write_json. */
int output_write_csv(FILE *out, const json_t *result, doctable *docs, const char *const *by,
                     size_t n_by, int guard, enum csv_values values, qp_error *err);

/* Prints the human summary of a result on out: documents, tokens, hits, the codes
 * by the groups of field `by` (NULL: none) and codes without hits. `where` says
 * where the result went. */
void output_print_summary(FILE *out, const json_t *result, const char *where, const char *by);

#endif
