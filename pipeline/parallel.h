/* parallel.h - running the filter stages of a chain on several threads. The
 * source stays on the calling thread and hands documents over in batches; each
 * worker thread has its own instance of every filter stage; one sink thread takes
 * the batches back in the order they were made, so the result is byte for byte
 * the one a single thread gives. */
#ifndef QP_PARALLEL_H
#define QP_PARALLEL_H

#include "runner.h"

#define QP_MAX_JOBS 64

/* Makes the extra filter instances (workers 1..jobs-1; worker 0 uses the chain's
 * own) and starts the threads. The header must be final: each extra instance's
 * begin() sees a copy of it as it stood before that stage began. Returns QP_OK,
 * or an error status with r->error filled. */
int qp_parallel_start(qp_runner *r, json_t *const *header_before);

/* Queues a document from the source. Returns QP_OK, or an error status once any
 * thread has failed. */
int qp_parallel_emit(qp_runner *r, qp_doc *doc);

/* Sends the last batch, waits for every document to reach the sink and joins the
 * threads. Returns QP_OK, or the first error status any thread met. */
int qp_parallel_finish(qp_runner *r);

/* Destroys the extra instances and frees what is left. */
void qp_parallel_free(qp_runner *r);

#endif
