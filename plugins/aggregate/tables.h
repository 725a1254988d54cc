/* tables.h - the hits and documents written out as they stream past the
 * aggregate: a long CSV table of hits (--hits) and a SQLite database (--sqlite).
 * Both appear whole or not at all when the run ends. */
#ifndef QP_TABLES_H
#define QP_TABLES_H

#include <stdio.h>

#include <qualpipe/plugin.h>

#include "util/fileio.h"

typedef struct tables {
    qp_atomic_file hits; /* .fp NULL when not asked for */
    int hits_open;
    void *db; /* sqlite3 *, NULL when not asked for */
    char *db_path, *db_tmp;
    int db_in_place; /* db_path is the host's temporary output file: no rename of ours */
    int csv_guard;   /* mark CSV cells a spreadsheet would run as formulas (csvcell.h) */
    void *insert_doc, *insert_meta, *insert_segment, *insert_hit, *insert_skip; /* statements */
    const char *const *by; /* the --by fields, for the hits table */
    size_t n_by;
} tables;

/* Opens the files asked for (either path may be NULL); with csv_guard the hits
 * CSV's text cells are kept from being read as formulas. With db_in_place the
 * database is written into db_path itself, a temporary file its owner publishes;
 * otherwise beside it, renamed into place by tables_finish. Returns QP_OK, or
 * QP_ERR_IO with err naming the file and the reason. */
int tables_open(tables *t, const char *hits_path, const char *db_path, int db_in_place,
                const char *const *by, size_t n_by, int csv_guard, qp_error *err);

/* Writes a document: its row, metadata, segments and hits (skipped documents go
 * to the skipped table). `groups` holds its value of each --by field. Returns
 * QP_OK, or QP_ERR_IO with err. */
int tables_document(tables *t, const qp_doc *doc, uint64_t tokens, uint64_t segments,
                    const char *const *groups, qp_error *err);

/* Writes the codes (id, label, parent, codebook) from the stream header's
 * codebooks. Returns QP_OK, or QP_ERR_IO with err. */
int tables_codes(tables *t, const json_t *codebooks, qp_error *err);

/* Indexes the database and writes both files out in full, still under their
 * temporary names. Returns QP_OK, or QP_ERR_IO with err (nothing is left
 * behind). */
int tables_finish(tables *t, qp_error *err);

/* Moves both files into place (after tables_finish). Returns QP_OK, or
 * QP_ERR_IO with err. */
int tables_publish(tables *t, qp_error *err);

/* Removes whatever was not published. */
void tables_abort(tables *t);

#endif
