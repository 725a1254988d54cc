/*
 * qualpipe/codebook.h - the codebook plugin ABI, version 2.
 *
 * A codebook plugin is a module exporting `qualpipe_codebook_descriptor`. It
 * defines its codes and patterns through the qp_codebook_api it is given, exactly
 * as a JSON codebook would, and may add a matcher of its own that adds hits the
 * patterns cannot express. One small C file and one command make one:
 *
 *   cc -shared -fPIC $(pkg-config --cflags qualpipe) -o codebook_mine.so mine.c
 *   qualpipe run -c ./codebook_mine.so corpus/
 *
 * The module is named codebook_NAME; the host refuses one whose major differs
 * from QP_CODEBOOK_ABI_MAJOR or whose minor is newer. The qp_doc a matcher reads
 * is the stage ABI's (qualpipe/plugin.h), of the version in the api table.
 * Ownership follows the rule in qualpipe/plugin.h; strings passed to the api are
 * copied. Under `run -j N` each worker thread has its own matcher (match_create
 * once per worker); match is never called on one matcher from two threads.
 */
#ifndef QUALPIPE_CODEBOOK_H
#define QUALPIPE_CODEBOOK_H

#include <qualpipe/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QP_CODEBOOK_ABI_MAJOR 2
#define QP_CODEBOOK_ABI_MINOR 0
#define QP_CODEBOOK_SYMBOL "qualpipe_codebook_descriptor"

/* The codebook being defined; opaque. */
typedef struct qp_codebook_builder qp_codebook_builder;

/* Functions a plugin's define() uses. Each returns QP_OK, or QP_ERR_CODEBOOK with a
 * reason in the builder's error (a duplicate id, an unknown parent, a bad pattern). */
typedef struct qp_codebook_api {
    uint16_t abi_major;     /* QP_CODEBOOK_ABI_MAJOR of the host */
    uint16_t abi_minor;     /* QP_CODEBOOK_ABI_MINOR of the host: check before using
                               members added later */
    uint16_t doc_abi_major; /* the stage ABI of the qp_doc a matcher receives */
    uint16_t doc_abi_minor;
    /* Name, version and citation shown in results. */
    int (*set_info)(qp_codebook_builder *b, const char *name, const char *version,
                    const char *citation);
    /* A code under parent_id (NULL for a top-level code). */
    int (*add_code)(qp_codebook_builder *b, const char *parent_id, const char *id,
                    const char *label, const char *definition);
    /* A pattern in the codebook language: word, glob, phrase or /regex/. */
    int (*add_pattern)(qp_codebook_builder *b, const char *code_id, const char *pattern);
    /* An exclusion: a hit of code_id covered by a match of this is dropped. */
    int (*add_exclusion)(qp_codebook_builder *b, const char *code_id, const char *pattern);
    void *reserved[8];
} qp_codebook_api;

/* How a matcher reports a hit: code must be an id the plugin defined, rule a
 * string that lives as long as the matcher. QP_OK, or QP_ERR_PLUGIN when the code
 * is unknown or the span is outside the text. */
typedef int (*qp_hit_fn)(void *sink, const char *code, const char *rule, uint32_t start,
                         uint32_t end);

typedef struct qp_codebook_descriptor {
    uint16_t abi_major; /* QP_CODEBOOK_ABI_MAJOR */
    uint16_t abi_minor; /* QP_CODEBOOK_ABI_MINOR */
    uint32_t reserved0;
    const char *name; /* what -c accepts: "datause" for codebook_datause.so */
    const char *version;
    const char *description;

    /* Define the codes and patterns. QP_OK, or an error status with `err` filled. */
    int (*define)(const qp_codebook_api *api, qp_codebook_builder *b, qp_error *err);

    /* Optional matcher of the plugin's own, run after the patterns on every
     * tokenised document. match_create makes one instance per code stage instance
     * (QP_OK or an error with `err` filled); match adds hits through `add` and
     * returns QP_OK, or an error status that skips this document with `err` as
     * the reason. All three may be NULL. */
    int (*match_create)(void **matcher, qp_error *err);
    int (*match)(void *matcher, const qp_doc *doc, qp_hit_fn add, void *sink, qp_error *err);
    void (*match_destroy)(void *matcher);

    void *reserved[8];
} qp_codebook_descriptor;

#ifdef __cplusplus
}
#endif
#endif
