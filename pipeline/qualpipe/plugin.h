/*
 * qualpipe/plugin.h - what every qualpipe plugin sees: the document record, the
 * functions the host lends to plugins, and the error buffer.
 *
 * Ownership rule, stated once for all qualpipe plugin headers:
 *   The host owns every qp_doc, every json_t it hands out and every module it
 *   loads. A plugin owns its context (the void * it returns from create) and
 *   frees it in destroy. A plugin reads qp_doc fields directly but changes a
 *   document only through the qp_host functions, and never keeps a pointer to a
 *   document after the callback that received it returns. Strings given to the
 *   host are copied, except the `code` and `rule` of a qp_hit, which are borrowed:
 *   they must stay valid until the stage that added them is destroyed (the host
 *   frees every document before it destroys any stage).
 *
 * Interfaces here are append-only: new fields and functions go at the end, into
 * the reserved slots, and raise the minor ABI version.
 */
#ifndef QUALPIPE_PLUGIN_H
#define QUALPIPE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
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
    json_t *meta;       /* object of metadata fields (role, site, year...) */
    const char *text;   /* UTF-8, no NUL bytes, text_len bytes (NUL-terminated) */
    size_t text_len;
    const qp_span *tokens; /* in text order; added by the tokenise stage */
    size_t n_tokens;
    const qp_hit *hits; /* added by the code stage */
    size_t n_hits;
    const char *skipped;       /* NULL, or why the document was skipped */
    const char *skipped_stage; /* the stage that skipped it */
    /* Since ABI 1.1: the units the segment stage found, in text order and not
     * overlapping. With segments, only the text inside them is coded and counted. */
    const qp_segment *segments;
    size_t n_segments;
    void *reserved[6];
} qp_doc;

/* Where a source stage hands its documents; opaque to plugins. */
typedef struct qp_emitter qp_emitter;

/* Functions the host lends to plugins. A plugin must not call a member it does not
 * know: check host->abi_minor before using members added after 1.0. */
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
    /* Append a token span. QP_OK or QP_ERR_NOMEM. */
    int (*doc_add_token)(qp_doc *doc, uint32_t start, uint32_t end);
    /* Remove every hit (a stage that re-codes a document calls this first). */
    void (*doc_clear_hits)(qp_doc *doc);
    /* Append a hit (code and rule borrowed). QP_OK or QP_ERR_NOMEM. */
    int (*doc_add_hit)(qp_doc *doc, const qp_hit *hit);
    /* Mark the document skipped for the reason given (printf format) by `stage`; the
     * host prints one line on stderr naming the document, and counts it. */
    void (*doc_skip)(qp_doc *doc, const char *stage, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

    /* Hand a document made with doc_new to the rest of the pipeline; the host owns it
     * afterwards. QP_OK, QP_STOP when nobody wants more, or a negative error. */
    int (*emit)(qp_emitter *out, qp_doc *doc);

    /* Print one warning line on stderr, prefixed by "qualpipe: STAGE: ". */
    void (*warn)(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

    /* Find and load the codebook plugin module NAME (a name or a path), checking its
     * ABI. Returns its descriptor (a `const struct qp_codebook_descriptor *`, see
     * qualpipe/codebook.h) and, in *path, the file it came from; NULL with `err`
     * filled when it cannot. The module stays loaded until the host exits. */
    const void *(*load_codebook_plugin)(const struct qp_host *host, const char *name,
                                        const char **path, qp_error *err);
    /* Folders searched for codebook files named without a path, NULL-terminated. */
    const char *const *codebook_dirs;

    /* Since ABI 1.1: append a segment (speaker copied, may be NULL). Segments must
     * come in text order without overlapping. QP_OK, QP_ERR_USAGE for a span out of
     * order or outside the text, or QP_ERR_NOMEM. */
    int (*doc_add_segment)(qp_doc *doc, uint32_t start, uint32_t end, const char *speaker);

    void *reserved[15];
} qp_host;

/* One option a stage accepts, in its NULL-terminated option table. */
typedef struct qp_option_spec {
    const char *name;     /* long name without dashes: "codebook" */
    int short_name;       /* 'c', or 0 */
    uint32_t flags;       /* QP_OPT_* */
    const char *arg_name; /* "FILE", or NULL for a flag */
    const char *help;     /* one line for --help */
} qp_option_spec;

enum qp_option_flags {
    QP_OPT_ARG = 1u << 0,      /* takes a value */
    QP_OPT_REPEAT = 1u << 1,   /* may be given more than once */
    QP_OPT_REQUIRED = 1u << 2, /* must be given */
    QP_OPT_OPERANDS = 1u << 3  /* receives the positional arguments */
};

/* One option as the user gave it; a flag's value is "". Values keep command order. */
typedef struct qp_option_value {
    const char *name;
    const char *value;
} qp_option_value;

#ifdef __cplusplus
}
#endif
#endif
