/* meta_csv.h - document metadata from a CSV sidecar: a header row, then one row
 * per document whose first column is the document id or file name. */
#ifndef QP_META_CSV_H
#define QP_META_CSV_H

#include <qualpipe/plugin.h>

typedef struct meta_table meta_table;

/* Reads the CSV at path. Returns the table, or NULL with err naming the file, the
 * row and the reason (ragged rows, a repeated or empty key, bad quoting). */
meta_table *meta_table_load(const char *path, qp_error *err);
/* Frees the table; NULL is ignored. */
void meta_table_free(meta_table *t);
/* Returns the fields (an object of strings, borrowed) of the row keyed by one of
 * the given keys, tried in order, and marks the row used; NULL when none matches. */
json_t *meta_table_find(meta_table *t, const char *const *keys, size_t n_keys);
/* Returns how many rows were never used, and the key of the first in *first. */
size_t meta_table_unused(const meta_table *t, const char **first);

#endif
