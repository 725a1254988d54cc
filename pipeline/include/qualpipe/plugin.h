/*
 * qualpipe/plugin.h - what every qualpipe plugin sees: the document record, the
 * functions the host lends to plugins, options, outputs and the error buffer.
 * This header, stage.h and codebook.h are the whole of the plugin ABI.
 *
 * Ownership rule, stated once for all qualpipe plugin headers:
 *   The host owns every qp_doc, every json_t it hands out and every module it
 *   loads. A plugin owns its context (the void * it returns from create) and
 *   frees it in destroy. A plugin reads qp_doc fields directly but changes a
 *   document only through the qp_host functions, and never keeps a pointer to a
 *   document after the callback that received it returns. Strings given to the
 *   host are copied, except the `code` and `rule` of a qp_hit, which are borrowed:
 *   they must stay valid until the stage that added them is destroyed (the host
 *   frees every document before it destroys any stage). json_t values given to
 *   the host are stolen (the host takes the reference).
 *
 * Versions: qp_doc, qp_host, qp_option_spec, qp_option_value and qp_output
 * belong to the stage ABI (QP_STAGE_ABI_MAJOR.QP_STAGE_ABI_MINOR in stage.h);
 * codebook plugins see the same structures and check the same version through
 * host->abi_major and abi_minor. Interfaces here are append-only within a major
 * version: new fields and functions go at the end, into the reserved slots, and
 * raise the minor version; each addition says "since 2.N".
 */
#ifndef QUALPIPE_PLUGIN_H
#define QUALPIPE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by plugin callbacks and host functions. */
enum qp_status {
    QP_OK = 0,
    QP_ERR_USAGE = -1,    /* bad option or argument: the user must change the command */
    QP_ERR_IO = -2,       /* a file or stream could not be read or written */
    QP_ERR_CODEBOOK = -3, /* the codebook is invalid */
    QP_ERR_PLUGIN = -4,   /* a plugin could not be loaded or misbehaved */
    QP_ERR_NOMEM = -5,    /* out of memory */
    QP_STOP = 1           /* not an error: downstream wants no more documents */
};

/* A caller-provided buffer that a failing callback fills with one line saying
 * what went wrong and what to do. */
typedef struct qp_error {
    char message[1024];
} qp_error;

/* A half-open byte range [start, end) into a document's text. */
typedef struct qp_span {
    uint32_t start;
    uint32_t end;
} qp_span;

/* One coding hit: `code` fired on text[start, end) because of `rule`. */
typedef struct qp_hit {
    const char *code; /* code id, borrowed (see the ownership rule) */
    const char *rule; /* the pattern as written in the codebook, borrowed */
    uint32_t start;
    uint32_t end;
    uint32_t segment; /* index into segments, or QP_NO_SEGMENT */
    uint32_t reserved;
} qp_hit;

#define QP_NO_SEGMENT UINT32_MAX

/* A unit of a document (a sentence, paragraph, speaker turn...): text[start, end)
 * said by `speaker` (NULL when unknown), which the document owns. */
typedef struct qp_segment {
    uint32_t start;
    uint32_t end;
    const char *speaker;
    void *reserved;
} qp_segment;

/* The document record: what flows along every arrow of the pipeline. */
typedef struct qp_doc {
    const char *id;     /* unique within a corpus, never NULL */
    const char *origin; /* where it came from, for messages: "file", "file:line" */
    const json_t *meta; /* object of metadata fields (role, site...): set with host->doc_set_meta */
    const char *text;   /* UTF-8, no NUL bytes, text_len bytes (NUL-terminated) */
    size_t text_len;
    const qp_span *tokens; /* in text order; added by the tokenise stage */
    size_t n_tokens;
    const qp_hit *hits; /* added by the code stage */
    size_t n_hits;
    const char *skipped;       /* NULL, or why the document was skipped (a failure) */
    const char *skipped_stage; /* the stage that skipped it */
    /* The units the segment stage found, in text order and not overlapping. With
     * segments, only the text inside them is coded and counted. */
    const qp_segment *segments;
    size_t n_segments;
    /* NULL, or the stage that dropped the document on purpose (host->doc_drop):
     * not a failure; later filters do not see it, sinks count it as dropped. */
    const char *dropped_by;
    /* 1 while the source has left the document for its prepare callback (see
     * host->doc_defer); the host sets it back to 0 once prepared. */
    uint32_t pending;
    uint32_t reserved0;
    void *reserved[6];
} qp_doc;

/* Where a source stage hands its documents; opaque to plugins. */
typedef struct qp_emitter qp_emitter;

/* Where a sink's result goes: -o FILE, or standard output. The host opens it
 * before any stage is created (so a sink can refuse a bad output early) and
 * publishes it, whole or not at all, after the sink's write callback. */
typedef struct qp_output {
    FILE *stream;     /* write the result here */
    const char *path; /* the temporary file behind stream, renamed to the target when
                         the run succeeds; NULL when writing to standard output, or in
                         place to a device or FIFO */
    const char *name; /* for messages: the file -o named, or "standard output" */
    int terminal;     /* 1 when standard output is a terminal: someone is watching */
    int reserved0;
    void *reserved[4];
} qp_output;

/* Option types: the host checks every value against its spec before create, with
 * one message shape, so a stage sees only values of the declared type. */
enum qp_option_type {
    QP_TYPE_STRING = 0, /* any text */
    QP_TYPE_FLAG,       /* no value: given or not ("" as value, number 1) */
    QP_TYPE_INTEGER,    /* a whole number in [min, max]; parsed into number */
    QP_TYPE_SIZE,       /* a byte count, with an optional K, M or G (powers of 1024) */
    QP_TYPE_BOOLEAN,    /* yes/no, true/false, on/off or 1/0; number is 1 or 0 */
    QP_TYPE_REGEX,      /* a PCRE2 pattern (UTF) that compiles */
    QP_TYPE_ENUM        /* one of `choices`; number is its index */
};

/* One option a stage accepts, in its option table, which ends with a zeroed entry.
 * A table is best written with designated initialisers. */
typedef struct qp_option_spec {
    const char *name;     /* long name without dashes: "codebook" */
    int short_name;       /* 'c', or 0 */
    uint32_t flags;       /* QP_OPT_* */
    const char *arg_name; /* "FILE" in the help; NULL for a flag */
    const char *help;     /* one line for --help */
    uint32_t type;        /* enum qp_option_type */
    uint32_t reserved0;
    /* The value a stage receives when the option is not given (not repeatable
     * options only), shown in --help; NULL for none. */
    const char *default_value;
    int64_t min, max;           /* INTEGER and SIZE: the range, inclusive */
    const char *const *choices; /* ENUM: the values, NULL-terminated */
    void *reserved[4];
} qp_option_spec;

enum qp_option_flags {
    QP_OPT_REPEAT = 1u << 1,   /* may be given more than once */
    QP_OPT_REQUIRED = 1u << 2, /* must be given */
    QP_OPT_OPERANDS = 1u << 3, /* receives the positional arguments */
    /* Says how the result is shown, not what it holds: left out of the provenance,
     * so results that differ only in it still merge. */
    QP_OPT_PRESENTATION = 1u << 4,
    /* The value names a file the stage reads, or one it writes: the host refuses a
     * command line where a file written is also read, or written twice. */
    QP_OPT_INPUT_FILE = 1u << 5,
    QP_OPT_OUTPUT_FILE = 1u << 6,
    /* (ABI 2.3) With QP_OPT_OUTPUT_FILE: a table the stage writes as documents
     * pass, a header line and then rows in document order, so that the files of
     * consecutive parts of a run, joined without their later header lines, are
     * the file of the whole run (run --checkpoint joins them so). */
    QP_OPT_JOINED_FILE = 1u << 7
};

/* One option as the user gave it, or its default. Values keep command order;
 * defaults come after every given value. */
typedef struct qp_option_value {
    const char *name;
    const char *value; /* as given; "" for a flag */
    int64_t number;    /* INTEGER, SIZE, BOOLEAN, FLAG and ENUM: the parsed value */
    uint32_t given;    /* 1 when on the command line, 0 for a default */
    uint32_t reserved;
} qp_option_value;

/* Functions the host lends to plugins. A plugin must not call a member it does not
 * know: check host->abi_minor before using members added after 2.0. */
typedef struct qp_host {
    uint16_t abi_major;
    uint16_t abi_minor;
    uint32_t reserved0;
    const char *qualpipe_version;

    /* Make an empty document named by `origin` (copied). NULL when out of memory. */
    qp_doc *(*doc_new)(const char *origin);
    /* Give an unwanted document back before it was emitted. */
    void (*doc_free)(qp_doc *doc);
    /* Set the id (copied). QP_OK or QP_ERR_NOMEM. */
    int (*doc_set_id)(qp_doc *doc, const char *id);
    /* Set the text, taking ownership of `text`, a malloc'd buffer holding len bytes
     * and a NUL after them. QP_OK or QP_ERR_NOMEM (the buffer is freed either way on
     * failure). */
    int (*doc_take_text)(qp_doc *doc, char *text, size_t len);
    /* Set metadata field `key` to `value` (stolen; NULL removes the field). QP_OK,
     * or QP_ERR_NOMEM. */
    int (*doc_set_meta)(qp_doc *doc, const char *key, json_t *value);
    /* Append a token span. QP_OK or QP_ERR_NOMEM. */
    int (*doc_add_token)(qp_doc *doc, uint32_t start, uint32_t end);
    /* Append n token spans at once (copied). QP_OK or QP_ERR_NOMEM. */
    int (*doc_add_tokens)(qp_doc *doc, const qp_span *tokens, size_t n);
    /* Append a segment (speaker copied, may be NULL). Segments come in text order
     * without overlapping. QP_OK, QP_ERR_USAGE for a span out of order or outside
     * the text, or QP_ERR_NOMEM. */
    int (*doc_add_segment)(qp_doc *doc, uint32_t start, uint32_t end, const char *speaker);
    /* Remove every hit (a stage that re-codes a document calls this first). */
    void (*doc_clear_hits)(qp_doc *doc);
    /* Append a hit (code and rule borrowed). QP_OK or QP_ERR_NOMEM. */
    int (*doc_add_hit)(qp_doc *doc, const qp_hit *hit);
    /* Mark the document skipped for the reason given (printf format) by `stage`: a
     * failure. The host prints one line on stderr naming the document, counts it,
     * and the run exits 1. */
    void (*doc_skip)(qp_doc *doc, const char *stage, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
    /* Drop the document on purpose (a filter's choice, not a failure): later
     * filters do not see it, the result counts it as dropped by `stage` (copied),
     * nothing is printed and the exit status stays 0. QP_OK or QP_ERR_NOMEM. */
    int (*doc_drop)(qp_doc *doc, const char *stage);
    /* SOURCE: leave the document to the source's prepare callback, which the host
     * calls on the thread that will run the filters over it (so a source can hand
     * on raw lines and parse them on the worker threads). QP_OK. */
    int (*doc_defer)(qp_doc *doc);

    /* Hand a document made with doc_new to the rest of the pipeline; the host owns it
     * afterwards. QP_OK, QP_STOP when nobody wants more, or a negative error. */
    int (*emit)(qp_emitter *out, qp_doc *doc);

    /* Print one warning line on stderr, prefixed by "qualpipe: STAGE: ". */
    void (*warn)(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

    /* Returns the last value of option `name` in opts (given or default), or NULL. */
    const qp_option_value *(*option)(const qp_option_value *opts, size_t n_opts, const char *name);

    /* Find and load plugin module KIND_NAME (kind "codebook": codebook_NAME), or
     * the module at the path `name`, and check its ABI. Returns its descriptor
     * and, in *path, the file it came from; NULL with `err` filled when it cannot.
     * The module stays loaded until the host exits. */
    const void *(*load_plugin)(const struct qp_host *host, const char *kind, const char *name,
                               const char **path, qp_error *err);
    /* Folders of shipped data (codebooks/ and the like live below them), in search
     * order, NULL-terminated. */
    const char *const *data_dirs;

    /* The sink's output, opened before any stage is created; NULL in a process
     * whose last stage is not a sink. */
    const qp_output *output;

    /* Since stage ABI 2.1. Set the text to text[0, len) (NUL after it) inside a
     * block the caller shares among documents, instead of a copy: the document
     * calls release(block) once it no longer needs it (when freed or given other
     * text), on whichever thread that happens, so the block's count of users
     * must be atomic. QP_OK. */
    int (*doc_share_text)(qp_doc *doc, const char *text, size_t len, void (*release)(void *block),
                          void *block);
    /* Since stage ABI 2.2. Returns nonzero once the run was asked to stop
     * (Ctrl-C, SIGTERM): a stage in a long loop that hands on no documents
     * (reading an endless stream, say) checks it and stops. */
    int (*interrupted)(void);

    void *reserved[14];
} qp_host;

#ifdef __cplusplus
}
#endif
#endif
