/*
 * qualpipe/stage.h - the stage plugin ABI, version 2.
 *
 * A stage is a module named stage_NAME (stage_NAME.so, or stage_NAME.la in a
 * build tree) that exports exactly one symbol, `qualpipe_stage_descriptor`, a
 * qp_stage_descriptor whose first two fields are the ABI version it was built
 * against. The host refuses a module whose major differs from its own or whose
 * minor is newer. Ownership follows the rule in qualpipe/plugin.h. Build one with
 *
 *   cc -shared -fPIC $(pkg-config --cflags qualpipe) -o stage_mine.so mine.c
 *   qualpipe run --plugin-dir . --stages read,segment,tokenise,mine,code,aggregate ...
 *
 * Life of a stage instance:
 *   create(options)          -> context (one per instance; no global state)
 *   begin(context, header)   the stream header: read it, add to it
 *   produce(context, out)    SOURCE: make documents, hand each to host->emit
 *   prepare(context, doc)    SOURCE: finish a deferred document, on a worker thread
 *   process(context, doc)    FILTER and SINK: once per document, in input order
 *   finish(context, &result) SINK: the result object
 *   write(context, result)   SINK: put the result on host->output
 *   destroy(context)
 * Filters are not called for skipped or dropped documents; sinks are, so they can
 * count them.
 *
 * Threads: under `qualpipe run -j N` every filter stage has one instance per
 * worker thread, each created and begun on the main thread with the same options
 * and its own copy of the header; a source and a sink have one instance. The host
 * never calls two callbacks of one instance at the same time, but callbacks of
 * different instances run concurrently: keep state in the context, not in globals.
 * Each instance sees its documents in input order, but not every document.
 *
 * The stream header is a JSON object every stage may read in begin, and add to:
 *   "qualpipe_stream"  1, the stream format
 *   "qualpipe_version" the version that wrote the stream
 *   "stages"           one {"name", "version", "options"} per stage so far, in order
 *   "codebooks"        added by the code stage: each codebook's name, version,
 *                      sha256 and codes ({"id", "label", "parent"}), in order
 * Keys a third-party stage adds should carry its name ("mine.settings").
 */
#ifndef QUALPIPE_STAGE_H
#define QUALPIPE_STAGE_H

#include <qualpipe/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QP_STAGE_ABI_MAJOR 2
#define QP_STAGE_ABI_MINOR 3
#define QP_STAGE_SYMBOL "qualpipe_stage_descriptor"

enum qp_stage_kind {
    QP_STAGE_SOURCE = 1, /* makes documents from files or stdin */
    QP_STAGE_FILTER = 2, /* changes documents, one in, one out (or dropped) */
    QP_STAGE_SINK = 3    /* consumes documents, makes the result */
};

typedef struct qp_stage_descriptor {
    uint16_t abi_major; /* QP_STAGE_ABI_MAJOR */
    uint16_t abi_minor; /* QP_STAGE_ABI_MINOR */
    uint32_t kind;      /* enum qp_stage_kind */
    const char *name;   /* "tokenise": what --stages names; the module is stage_NAME */
    const char *version;
    const char *description;       /* one line for `qualpipe plugins` */
    const qp_option_spec *options; /* table ending with a zeroed entry */

    /* Make an instance from the options the user gave (checked against the
     * table) and the defaults. QP_OK with *ctx set, or an error status with `err`
     * filled. */
    int (*create)(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                  qp_error *err);
    /* Read the stream header (what earlier stages recorded) and add to it. May be
     * NULL. QP_OK or an error status with `err` filled. */
    int (*begin)(void *ctx, json_t *header, qp_error *err);
    /* SOURCE only: emit every document. QP_OK when done (also after host->emit
     * returned QP_STOP), or an error status with `err` filled. */
    int (*produce)(void *ctx, qp_emitter *out, qp_error *err);
    /* FILTER and SINK: handle one document. A bad document is marked with
     * host->doc_skip and QP_OK returned; an error status stops the whole run. */
    int (*process)(void *ctx, qp_doc *doc, qp_error *err);
    /* SINK only: the result as a new reference in *result. QP_OK or an error status. */
    int (*finish)(void *ctx, json_t **result, qp_error *err);
    /* Free the instance. */
    void (*destroy)(void *ctx);
    /* SINK only: write `result` to host->output in the format the options ask for.
     * May be NULL: the host writes the result as indented JSON with sorted keys.
     * QP_OK, or an error status with `err` filled (QP_ERR_IO with errno kept for a
     * failed write). */
    int (*write)(void *ctx, const json_t *result, qp_error *err);
    /* SOURCE only, may be NULL: finish a document produce() emitted after
     * host->doc_defer (parse it, check it, skip it with host->doc_skip). Called
     * once per such document on the thread that runs the filters over it: under
     * -j N on worker threads, concurrently with produce() and with other prepare
     * calls, so it may only read the context. QP_OK, or an error status that
     * stops the run. */
    int (*prepare)(void *ctx, qp_doc *doc, qp_error *err);
    /* SINK only, may be NULL (ABI 2.2): move the files of the sink's own (beside
     * host->output) into place. The host calls it after write() succeeded and
     * its own output was written out in full, and publishes that output just
     * after, so the outputs of a run appear together or not at all; files not
     * published by the time destroy() is called are removed there. QP_OK, or an
     * error status with `err` filled (the host's output is then not published). */
    int (*publish)(void *ctx, qp_error *err);
    /* SINK only, may be NULL (ABI 2.3): take in a complete result of an earlier
     * part of the same run (as write() puts it in JSON, parsed; the sink may keep
     * references into it), so that finish() gives the result of that part and of
     * the documents this instance saw together, as `qualpipe merge` would. `run
     * --checkpoint` resumes with it; a sink without it cannot be resumed. With
     * `result` NULL, says whether an instance with these options can be resumed
     * at all. QP_OK, or an error status with `err` filled (saying which option
     * cannot be). */
    int (*absorb)(void *ctx, json_t *result, qp_error *err);

    void *reserved[6];
} qp_stage_descriptor;

#ifdef __cplusplus
}
#endif
#endif
