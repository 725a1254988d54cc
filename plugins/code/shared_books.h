/* shared_books.h - codebooks loaded once per process: every instance of the code
 * stage (one per worker thread) that names the same codebook shares it and its
 * index, which are read-only once built, so -jN loads and indexes a codebook
 * once, not N times. */
#ifndef QP_SHARED_BOOKS_H
#define QP_SHARED_BOOKS_H

#include <qualpipe/stage.h>

#include "codebook/codebook.h"
#include "matcher.h"

typedef struct shared_book {
    qp_codebook *cb;
    matcher *m;
} shared_book;

/* Returns the codebook `spec` names (its file read in `encoding`, NULL for
 * UTF-8) with its matcher, loading and indexing it unless an instance already
 * has. NULL when it cannot be loaded (*status is QP_ERR_CODEBOOK, with err
 * filled) or memory ran out (*status QP_ERR_NOMEM). */
const shared_book *shared_book_open(const qp_host *host, const char *spec, const char *encoding,
                                    qp_error *err, int *status);

/* Gives one user's share back; the last one frees the codebook and its matcher. */
void shared_book_close(const shared_book *b);

#endif
