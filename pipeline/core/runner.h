/* runner.h - chaining stage instances: in one process (qualpipe run), or one stage
 * between JSON Lines on stdin and stdout (qualpipe stage). */
#ifndef QP_RUNNER_H
#define QP_RUNNER_H

#include <stdio.h>

#include "chain.h"
#include "parallel.h"

/* What a command's own sink does with the stream header before any document
 * (may be NULL), and with each document that reaches it. */
typedef int (*qp_sink_begin_fn)(void *ctx, json_t *header, qp_error *err);
typedef int (*qp_sink_fn)(void *ctx, qp_doc *doc, qp_error *err);

typedef struct qp_runner {
    const qp_host *host;
    qp_stage_inst stages[QP_MAX_STAGES];
    size_t n_stages;
    FILE *in; /* JSON Lines input when the first stage is not a source */
    const char *in_name;
    FILE *out; /* JSON Lines output when the last stage is not a sink */
    json_t *header;
    json_t *result; /* the sink's result after qp_runner_run */
    qp_chain_counts counts;
    int output_closed; /* the reader of `out` went away */
    int failed;        /* a stage returned an error */
    int failure;       /* the first such error's status (what the run ends with) */
    qp_error error;
    qp_stage_descriptor host_sink; /* for qp_runner_add_host_sink */
    size_t jobs;                   /* worker threads for the filters; 0 or 1: none */
    size_t skip_first; /* the source's first documents to pass over unread (a resumed run) */
    qp_parallel *par;  /* while they run */
} qp_runner;

/* Adds a stage to the chain (options borrowed). Returns 0, or -1 when full. */
int qp_runner_add(qp_runner *r, const qp_stage_descriptor *desc, const char *path,
                  const qp_option_value *opts, size_t n_opts);

/* Ends the chain with a sink of the command's own: `begin` (when not NULL)
 * receives the header the earlier stages wrote, then `process` each document in
 * corpus order, both with ctx (which the caller owns); the result is an empty
 * object. Returns 0, or -1 when the chain is full. */
int qp_runner_add_host_sink(qp_runner *r, const char *name, qp_sink_begin_fn begin,
                            qp_sink_fn process, void *ctx);

/* The host's emit (qp_host.emit) for a runner: `out` is the qp_runner. Passes a
 * source stage's document down the chain. */
int qp_runner_emit(qp_emitter *out, qp_doc *doc);

/* Creates every stage, runs the documents through, and finishes the sink. Returns
 * QP_OK, or an error status with r->error filled ("STAGE: message"). */
int qp_runner_run(qp_runner *r);

/* Destroys the stages and frees the header and result. */
void qp_runner_free(qp_runner *r);

/* Returns the provenance record of one stage instance: name, version, and the
 * options given (not defaults, inputs or presentation options). */
json_t *qp_stage_provenance(const qp_stage_inst *s);

#endif
