/* qdpx.h - REFI-QDA projects (.qdpx: a zip holding project.qde and the sources),
 * the exchange format of NVivo, MAXQDA, ATLAS.ti and QualCoder.
 *
 * Reading gives the project's users, codes, text sources and coded text
 * selections, positions as the file gives them (characters). Writing streams a
 * corpus and its hits into a project: one text source per document, one coded
 * selection per hit or per unit, one case per document with its metadata as
 * variables. The project read owns every string in it; qdpx_project_free frees
 * them. */
#ifndef QP_QDPX_H
#define QP_QDPX_H

#include <jansson.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <stddef.h>
#include <stdint.h>

#include <qualpipe/plugin.h>

/* ---- reading ---- */

typedef struct qdpx_user {
    char *guid, *name;
} qdpx_user;

/* A code, in the order its <Code> element comes in the file (depth first). */
typedef struct qdpx_code {
    char *guid, *name;
    long parent; /* index into codes, -1 at the top */
} qdpx_code;

typedef struct qdpx_source {
    char *guid, *name;
    char *text; /* its plain text (UTF-8), NULL when the project does not hold it */
    size_t text_len;
    long creator; /* index into users, -1 when not named */
} qdpx_source;

/* One code applied to one text selection. */
typedef struct qdpx_coding {
    size_t source;
    long start, end; /* character positions, as written */
    size_t code;
    long user; /* index into users, -1 when the file names none */
} qdpx_coding;

typedef struct qdpx_project {
    char *path;
    char *origin; /* the program that wrote it, "" when unsaid */
    xmlDoc *doc;  /* project.qde, for the codebook reader */
    qdpx_user *users;
    size_t n_users;
    qdpx_code *codes;
    size_t n_codes;
    qdpx_source *sources;
    size_t n_sources;
    qdpx_coding *codings;
    size_t n_codings, codings_cap;
    size_t to_no_code; /* codings whose CodeRef names no code (NVivo's case codings) */
    size_t not_text;   /* selections in pictures, PDFs, audio or video: not read */
    int crlf_one_char; /* positions count a CR LF as one character (ATLAS.ti) */
} qdpx_project;

/* Reads the project held in data[0, len) (a .qdpx file's bytes), each entry at
 * most max_entry bytes unpacked. Returns 0, or -1 with err naming the file and
 * what is wrong (not a zip, no .qde, not well-formed, a selection outside its
 * source...). */
int qdpx_project_read(const char *path, const char *data, size_t len, size_t max_entry,
                      qdpx_project *p, qp_error *err);

/* Returns the <Project> element of a project read. */
const xmlNode *qdpx_project_root(const qdpx_project *p);

void qdpx_project_free(qdpx_project *p);

/* Converts character position `pos` of text[0, len) into a byte offset: one
 * character per code point, a CR LF pair one character when crlf_one_char.
 * Returns the offset, or -1 when pos is past the end. */
long qdpx_byte_offset(const char *text, size_t len, long pos, int crlf_one_char);

/* ---- writing ---- */

typedef struct qdpx_writer qdpx_writer;

/* What a project says of itself and how its codings are cut. */
typedef struct qdpx_options {
    const char *path;      /* the .qdpx to write */
    const char *user_name; /* the coder: "qualpipe 0.2.0" */
    int unit_scope;        /* 1: a coding spans the unit the code fired in; 0: the hit */
    long long epoch;       /* -1, or the time written on every entry (SOURCE_DATE_EPOCH) */
} qdpx_options;

/* Starts a project. The caller then writes the code tree as <CodeBook> through
 * qdpx_writer_xml, declares each code id's GUID with qdpx_writer_code, and adds
 * the documents. Returns the writer, or NULL with err. */
qdpx_writer *qdpx_writer_open(const qdpx_options *o, qp_error *err);

/* Returns the XML writer positioned inside <Project>, before its Sources, for
 * the <CodeBook>. */
xmlTextWriter *qdpx_writer_xml(qdpx_writer *w);

/* Returns the XML writer for what follows the project's Notes, for its
 * <Sets> (qualpipe keeps each codebook's settings in a Set). */
xmlTextWriter *qdpx_writer_tail_xml(qdpx_writer *w);

/* Says that hits of code `id` are codings of the code with `guid`. Returns 0,
 * or -1 when out of memory. */
int qdpx_writer_code(qdpx_writer *w, const char *id, const char *guid);

/* Adds a document (a skipped or dropped one is left out): its text as a source,
 * its metadata as a case's variables, its hits as codings. Returns QP_OK, or an
 * error status with err filled: QP_ERR_USAGE for an id seen before,
 * QP_ERR_CODEBOOK for a hit of a code not declared, QP_ERR_IO. */
int qdpx_writer_add(qdpx_writer *w, const qp_doc *doc, qp_error *err);

/* Writes project.qde and the archive, and moves it into place. Returns QP_OK,
 * or QP_ERR_IO with err (nothing is left behind). Frees the writer. */
int qdpx_writer_finish(qdpx_writer *w, qp_error *err);

/* Drops a project being written, leaving nothing behind. Frees the writer. */
void qdpx_writer_abort(qdpx_writer *w);

#endif
