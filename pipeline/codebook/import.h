/* import.h - codebooks from other tools' dictionary formats, and out again.
 *
 *   .dic   LIWC dictionary: a %-delimited category legend, then entry<TAB>ids
 *   .dicx  LIWC-22 dictionary: CSV, first column the entry, an X under each category
 *   .cat   WordStat categorisation dictionary: tab-indented categories, leaves "WORD* (1)"
 *   .tsv   category<TAB>pattern, one a line; "parent/child" categories nest
 *   .qdc   REFI-QDA codebook exchange (codes and descriptions; no patterns)
 *   .lc3   Lexicoder dictionary: "+category" lines, then its entries
 *   .ykd   Yoshikoder dictionary: XML, nested <cnode>s holding <pnode>s
 *   .yml   quanteda's YAML dictionary (also .yaml)
 */
#ifndef QP_IMPORT_H
#define QP_IMPORT_H

#include <jansson.h>
#include <stdio.h>

#include "codebook.h"

/* Reports a line that was left out; printf style. */
typedef void (*qp_warn_fn)(const char *stage, const char *fmt, ...);

/* Returns 1 when path's extension names an importable format. */
int qp_import_format_known(const char *path);
/* Writes the extensions qp_import reads to buf, as ".dic, .dicx, ...";
 * returns buf. */
const char *qp_import_formats(char *buf, size_t size);

/* Reads a dictionary in the format its extension names, converting it from
 * `encoding` when that is not NULL (see qp_read_text_file). Entries that can never
 * match (not a word, glob, phrase or regex in qualpipe's sense) are reported
 * through warn, naming the file and line, and left out. Returns the codebook, or
 * NULL with err naming the file, line and reason. */
qp_codebook *qp_import(const char *path, const char *encoding, qp_warn_fn warn, qp_error *err);
/* As qp_import, for a file already read into text[0, len), its format named by
 * path's extension. */
qp_codebook *qp_import_text(const char *path, const char *text, size_t len, qp_warn_fn warn,
                            qp_error *err);

/* Writes cb as a qualpipe JSON codebook (format 1). Returns 0, or -1 on a write
 * error. */
int qp_codebook_write_json(const qp_codebook *cb, FILE *out);

/* The namespace qualpipe writes REFI-QDA codebooks in. */
#define QP_QDC_NS "urn:QDA-XML:codebook:1.0"
/* The line in a REFI-QDA Description after which qualpipe keeps a code (or the
 * codebook's settings) as its JSON. */
#define QP_REFI_MARK "-- qualpipe: the rules of this code, read back by qualpipe --"

/* Writes cb's code tree as a REFI-QDA codebook (urn:QDA-XML:codebook:1.0), with
 * GUIDs derived from the codebook name and code ids so the same codebook always
 * gives the same file, and every code's qualpipe fields kept in its Description
 * after QP_REFI_MARK. Returns 0, or -1 with err filled. */
int qp_codebook_write_qdc(const qp_codebook *cb, FILE *out, qp_error *err);

struct _xmlTextWriter; /* libxml2's, for the REFI-QDA writers and readers */
struct _xmlNode;

/* The most a .qdpx project, or any one file in it, may hold. */
#define QP_QDPX_MAX ((size_t)2 << 30)

/* Returns 1 when path names a REFI-QDA project (.qdpx, any case). */
int qp_import_is_qdpx(const char *path);
/* Reads the codebook of a REFI-QDA project (.qdpx). Returns it, or NULL with
 * err naming the file and the reason. */
qp_codebook *qp_import_qdpx(const char *path, qp_error *err);
/* Returns the codebook of a project's <Project> element read by qdpx.h; with
 * `order`, appends to it each <Code>'s qualpipe id in the file's order, as the
 * project's codes are numbered. NULL with err. */
qp_codebook *qp_import_project_codes(const char *path, const struct _xmlNode *project,
                                     json_t *order, qp_error *err);

/* Writes cb's code tree as REFI-QDA <Code> elements (as in a .qdc), with the
 * codes made for negated hits too when with_negated (a project's codings may
 * point at them). Returns 0, or -1 on a write error. */
int qp_refi_write_codes(const qp_codebook *cb, struct _xmlTextWriter *w, int with_negated);
/* Writes a <Set> holding cb's own settings (name, version, citation,
 * negators...) after QP_REFI_MARK, for a <Sets>. Returns 0, or -1. */
int qp_refi_write_settings(const qp_codebook *cb, struct _xmlTextWriter *w);
/* Writes to out the GUID of code id in cb: the same in every export. */
void qp_refi_code_guid(const qp_codebook *cb, const char *id, char out[37]);

/* Returns code i of cb as a JSON code object without its children: as its JSON
 * codebook wrote it, or made from its id, label, definition and patterns.
 * NULL when out of memory. */
json_t *qp_code_json(const qp_codebook *cb, size_t i);
/* Returns cb's top-level fields (format, name, version, citation and settings)
 * as a JSON object without "codes". NULL when out of memory. */
json_t *qp_codebook_settings_json(const qp_codebook *cb);
/* Returns 1 when c is a "_negated" sibling, made by its code's negation rule. */
int qp_code_is_negated_sibling(const qp_code *c);

/* The importers, one per format; same contract as qp_import. */
qp_codebook *qp_import_liwc_dic(const char *path, const char *text, size_t len, qp_warn_fn warn,
                                qp_error *err);
qp_codebook *qp_import_liwc_dicx(const char *path, const char *text, size_t len, qp_warn_fn warn,
                                 qp_error *err);
qp_codebook *qp_import_wordstat(const char *path, const char *text, size_t len, qp_warn_fn warn,
                                qp_error *err);
qp_codebook *qp_import_tsv(const char *path, const char *text, size_t len, qp_warn_fn warn,
                           qp_error *err);
qp_codebook *qp_import_qdc(const char *path, const char *text, size_t len, qp_warn_fn warn,
                           qp_error *err);
qp_codebook *qp_import_lexicoder(const char *path, const char *text, size_t len, qp_warn_fn warn,
                                 qp_error *err);
qp_codebook *qp_import_yoshikoder(const char *path, const char *text, size_t len, qp_warn_fn warn,
                                  qp_error *err);
qp_codebook *qp_import_yaml(const char *path, const char *text, size_t len, qp_warn_fn warn,
                            qp_error *err);

/* Helpers the importers share. */

/* Rewrites CRLF and bare CR line ends to LF in place; returns the new length. */
size_t qp_import_unix_lines(char *text, size_t len);
/* Makes a code id from a category name in buf: ASCII letters, digits, '-' and
 * ':' kept, '+', '=', '&', '%', '#' and '@' spelt as words ("+STATE+" is
 * "plus_STATE_plus"), any other run of bytes one '_'. Returns buf. */
const char *qp_import_code_id(const char *name, char *buf, size_t size);

/* How an importer gives its categories ids. */
typedef struct qp_id_maker {
    json_t *numbered; /* id made -> the last number a repeat of it was given */
    int from_path;    /* an id is its path: the parent's id, '.', the name's id */
    int reuse;        /* a name given again under the same parent is that category */
} qp_id_maker;

/* Starts an id maker. Returns 0, or -1 when out of memory. */
int qp_id_maker_init(qp_id_maker *ids, int from_path, int reuse);
/* Frees what the id maker holds. */
void qp_id_maker_free(qp_id_maker *ids);
/* Returns the code for category `name` under code `parent` (-1: at the top),
 * labelled with the name as written: an existing one when ids->reuse and the
 * same category is there, else a new code whose id is made from the name (or
 * path), with _2, _3... where another category made the same id. Returns -1
 * with cb->error set when out of memory. */
long qp_import_category(qp_codebook *cb, qp_id_maker *ids, long parent, const char *name,
                        const char *definition);
/* Returns a new codebook named after the file, or NULL with err filled. */
qp_codebook *qp_import_start(const char *path, const char *format, qp_error *err);
/* Starts a line-based import: a new codebook in *cb and a NUL-terminated copy of
 * data with LF line ends in *text (caller frees both). Returns 0, or -1 with err. */
int qp_import_lines(const char *path, const char *format, const char *data, size_t len, char **text,
                    qp_codebook **cb, qp_error *err);
/* Ends a line-based import: frees ids and text, and the codebook too when
 * `failed`. Returns cb, or NULL when failed. */
qp_codebook *qp_import_finish(qp_codebook *cb, qp_id_maker *ids, char *text, int failed);
/* Adds pattern text to code `code`; a pattern qualpipe cannot use is reported
 * (file, line, reason) and left out. Returns 0, or -1 when out of memory. */
int qp_import_pattern(qp_codebook *cb, size_t code, const char *text, const char *path, size_t line,
                      qp_warn_fn warn);

#endif
