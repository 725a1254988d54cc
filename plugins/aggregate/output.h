/* output.h - how the aggregate stage puts its result on the output: JSON, a wide
 * CSV table, and the summary a researcher reads on standard error. */
#ifndef QP_AGGREGATE_OUTPUT_H
#define QP_AGGREGATE_OUTPUT_H

#include <stdio.h>

#include <qualpipe/plugin.h>

/* Writes a result as a wide CSV table: one row per document (by id) with its
 * tokens, segments, hits, its value of each of the n_by --by fields, and its hits
 * of each code (columns in codebook order). Returns 0, or -1 on a write error. */
int output_write_csv(FILE *out, const json_t *result, const char *const *by, size_t n_by);

/* Prints the human summary of a result on out: documents, tokens, hits, the codes
 * by the groups of field `by` (NULL: none) and codes without hits. `where` says
 * where the result went. */
void output_print_summary(FILE *out, const json_t *result, const char *where, const char *by);

#endif
