/* read.h - what the read stage's files share: its context, the checks every
 * document's text gets, and turning one JSON Lines record into a document. */
#ifndef QP_READ_H
#define QP_READ_H

#include <qualpipe/stage.h>

#include "meta_csv.h"
#include "walk.h"

#define STAGE "read"

typedef struct read_ctx {
    const qp_host *host;
    const char **inputs;
    size_t n_inputs;
    size_t max_doc_bytes;
    const char *encoding; /* --encoding of text files, or NULL: UTF-8 */
    meta_table *meta;
    const char *meta_path;
    size_t without_meta; /* documents the CSV had no row for */
    char first_without_meta[512];
    int follow_links; /* --follow-links: follow symbolic links in folders */
    walk_state walk;
    qp_emitter *out;
    size_t emitted; /* documents handed on, skipped ones included */
    /* Records without "id" (named by file and line instead); atomic, as records
     * are parsed on the worker threads. */
    size_t without_id;
    int stop; /* downstream wants no more, or a fatal error */
    int status;
} read_ctx;

/* Returns 1 when s ends with suffix, in any case. */
int read_ends_with(const char *s, const char *suffix);
/* Returns 1 when path names a JSON Lines file (.jsonl, .ndjson). */
int read_is_jsonl(const char *path);

/* Hands on a document that carries only its id and the reason it was skipped.
 * Returns 0 or -1 (stop). */
int read_emit_skipped(read_ctx *r, const char *origin, const char *id, const char *reason);
/* Hands on one text file as one document with the given id, its metadata
 * attached; a file found in a folder (`in_folder`) is read later, on the thread
 * that codes it, and only when it is a regular file. Returns 0 or -1 (stop). */
int read_text_file(read_ctx *r, const char *path, const char *id, int in_folder);
/* Reads every record of a JSON Lines file. Returns 0 or -1 (stop). */
int read_jsonl_file(read_ctx *r, const char *path);

/* Adds the CSV row for this document to its metadata (existing fields win);
 * counts documents without a row. Only on the reader's thread. */
void read_attach_meta(read_ctx *r, qp_doc *doc, const char *path);

/* Gives doc its text, taking ownership of text[0, len) (NUL after it), or marks
 * the document skipped when it is too long, not UTF-8 (unless `checked`) or
 * empty. Returns 0, or -1 when out of memory (text is freed). */
int read_fill_text(read_ctx *r, qp_doc *doc, char *text, size_t len, int checked);

/* Makes doc (named by its origin, id not yet set) the document of one JSON Lines
 * record line[0, len): its id, metadata and text, or marks it skipped with the
 * reason. Reads the context only, so it may run on any thread, unless --meta was
 * given. Returns 0, or -1 when out of memory. */
int read_fill_record(read_ctx *r, qp_doc *doc, const char *line, size_t len);

#endif
