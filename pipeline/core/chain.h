/* chain.h - a chain of stage instances and what it counts, shared by the runner
 * (one thread) and its worker threads (parallel.c). */
#ifndef QP_CHAIN_H
#define QP_CHAIN_H

#include <qualpipe/stage.h>

#define QP_MAX_STAGES 16

typedef struct qp_stage_inst {
    const qp_stage_descriptor *desc;
    const char *path;            /* module file */
    const qp_option_value *opts; /* borrowed from the caller */
    size_t n_opts;
    void *ctx;
    size_t skipped; /* documents this stage skipped */
    size_t dropped; /* documents this stage dropped on purpose */
    int host_owned; /* ctx belongs to the command: neither created nor destroyed here */
} qp_stage_inst;

/* What reached the end of the chain, and what this process's stages set aside. */
typedef struct qp_chain_counts {
    size_t docs_seen;    /* documents that reached the end of the chain */
    size_t skipped_seen; /* of those, skipped ones */
    size_t skipped_here; /* skipped by this process's stages or its reader */
} qp_chain_counts;

/* Returns 1 when filters pass over doc: it was skipped or dropped. */
static inline int qp_doc_set_aside(const qp_doc *doc)
{
    return doc->skipped || doc->dropped_by;
}

/* Runs the source's prepare callback on a deferred document and clears its
 * pending mark. Returns QP_OK, or the callback's error status. */
static inline int qp_stage_prepare(const qp_stage_inst *source, qp_doc *doc, qp_error *err)
{
    doc->pending = 0;
    return source->desc->prepare ? source->desc->prepare(source->ctx, doc, err) : QP_OK;
}

#endif
