/* terms.h - the words that fired: per code, per rule, each matched text (case
 * folded, white space made one space) with its hits, as quanteda's
 * textstat_frequency and WordStat's keyword lists show them; kept in the result
 * as codes.ID.terms {rule: {term: hits}}, so shards merge, and written as a
 * long CSV table (--terms FILE.csv) from the result. */
#ifndef QP_TERMS_H
#define QP_TERMS_H

#include <stdio.h>

#include <jansson.h>
#include <qualpipe/plugin.h>

#include "util/fileio.h"
#include "util/text.h"

/* Counts one hit of a code whose terms object is `terms`: rule, and the
 * matched text text[0, len). `scratch` is a buffer the caller keeps. Returns
 * QP_OK or QP_ERR_NOMEM. */
int terms_count(json_t *terms, const char *rule, const char *text, size_t len, qp_buf *scratch);

/* One term of a code: the rule that fired, the matched words, their hits. */
typedef struct term_row {
    const char *rule, *term; /* borrowed from the code's terms object */
    json_int_t hits;
} term_row;

/* Returns the terms of result code entry `code` (malloc'd, *n of them), most
 * hits first, then by term and rule; NULL when out of memory. */
term_row *terms_sorted(const json_t *code, size_t *n);

/* Writes the terms of every code of `result` as CSV: code, rule, term, hits and
 * share (of the code's own hits), codes in codebook order, then most hits
 * first, then by term and rule; with `guard`, text cells a spreadsheet would
 * run as formulas are marked (csvcell.h). Returns QP_OK, or QP_ERR_IO. */
int terms_write_csv(FILE *out, const json_t *result, int guard);

#endif
