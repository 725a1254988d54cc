/* workbook.h - the result as an Excel workbook (--format xlsx), written with
 * libxlsxwriter in its constant-memory mode: sheets documents, codes, groups,
 * tests, cooccurrence, terms, quotes, skipped and provenance, every text a text
 * cell (never a formula), the bytes the same for the same result. */
#ifndef QP_WORKBOOK_H
#define QP_WORKBOOK_H

#include <jansson.h>
#include <qualpipe/plugin.h>

#include "doctable.h"
#include "output.h"

/* Writes the workbook to the file at path (replacing what it holds): the
 * documents from `docs` (a column per --by field, then a column per code with
 * what `values` says), the rest from `result`. Returns QP_OK, or QP_ERR_IO with
 * err naming `name` and the reason. */
int workbook_write(const char *path, const char *name, const json_t *result, doctable *docs,
                   const char *const *by, size_t n_by, enum csv_values values, qp_error *err);

#endif
