/* doctable.h - the per-document rows of a result, kept out of memory: rows are
 * gathered in a buffer, written to a temporary file in runs sorted by document
 * id when the buffer fills, and read back merged in id order at the end. Memory
 * stays the same whatever the number of documents; only the temporary file
 * grows. Whether an id was seen before is answered exactly, from a Bloom filter
 * of fixed size, the buffer, and a small in-memory index of each run. */
#ifndef QP_DOCTABLE_H
#define QP_DOCTABLE_H

#include <stddef.h>

#include <qualpipe/plugin.h>

typedef struct doctable doctable;

/* Returns an empty table, or NULL when out of memory. The temporary file is made
 * in $TMPDIR (or /tmp) the first time a run is written. */
doctable *doctable_new(void);

/* Frees the table and removes its temporary file; NULL is ignored. */
void doctable_free(doctable *t);

/* Adds a row: document `id` and its value, `row[0, len)` (any bytes). Returns
 * QP_OK, QP_ERR_NOMEM, or QP_ERR_IO with err naming the temporary file. */
int doctable_add(doctable *t, const char *id, const char *row, size_t len, qp_error *err);

/* Returns 1 when a row with this id was added, 0 when not, -1 on a read error of
 * the temporary file. */
int doctable_has(doctable *t, const char *id);

/* Returns the number of rows added. */
size_t doctable_count(const doctable *t);

/* Calls visit(ctx, id, row, len) for every row in id order (bytewise, as strcmp
 * orders them). Returns QP_OK, the first error visit returned, QP_ERR_NOMEM, or
 * QP_ERR_IO with err filled. May be called more than once. */
int doctable_each(doctable *t, int (*visit)(void *ctx, const char *id, const char *row, size_t len),
                  void *ctx, qp_error *err);

#endif
