/* parallel.h - running the filter stages of a chain on several threads. The
 * source stays on the calling thread and hands documents over in batches; each
 * worker thread has its own instance of every filter stage; one sink thread takes
 * the batches back in the order they were made, so the result is byte for byte
 * the one a single thread gives. */
#ifndef QP_PARALLEL_H
#define QP_PARALLEL_H

#include "chain.h"

#define QP_MAX_JOBS 64

typedef struct qp_parallel qp_parallel;

/* Makes the extra filter instances of stages[1..n-1) (workers 1..jobs-1; worker 0
 * uses the chain's own) and starts the threads; the last stage is the sink.
 * header_before[i] is the stream header as it stood before stage i began: each
 * extra instance's begin() sees a copy of it. The sink thread adds to `counts`.
 * Returns QP_OK with *out set, or an error status with err filled (*out is then
 * still to be freed). */
int qp_parallel_start(qp_parallel **out, const qp_host *host, qp_stage_inst *stages,
                      size_t n_stages, size_t jobs, json_t *const *header_before,
                      qp_chain_counts *counts, qp_error *err);

/* Queues a document from the source. Returns QP_OK, or an error status once any
 * thread has failed. */
int qp_parallel_emit(qp_parallel *p, qp_doc *doc);

/* Sends the last batch, waits for every document to reach the sink and joins the
 * threads; adds what each stage skipped and dropped to its instance. Returns
 * QP_OK, or the first error status any thread met with err filled. */
int qp_parallel_finish(qp_parallel *p, qp_error *err);

/* Destroys the extra instances and frees what is left; NULL is ignored. */
void qp_parallel_free(qp_parallel *p);

#endif
