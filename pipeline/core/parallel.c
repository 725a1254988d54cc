/* parallel.c - worker threads for the filter stages, batches in flight bounded so
 * memory stays flat, and an ordered hand-over to the sink. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "host.h"
#include "parallel.h"

#define BATCH_DOCS 32
#define BATCH_BYTES ((size_t)256 << 10)

typedef struct batch {
    qp_doc **docs;
    size_t n;
    size_t seq;
    int processed;
    struct batch *next; /* in the work queue */
} batch;

typedef struct worker_arg {
    struct qp_parallel *p;
    size_t index;
} worker_arg;

struct qp_parallel {
    const qp_host *host;
    qp_stage_inst *stages;
    size_t n_stages;
    qp_chain_counts *counts;
    pthread_mutex_t lock;
    pthread_cond_t work;  /* workers wait here for a batch, the end or a failure */
    pthread_cond_t space; /* the source waits here for room in the window */
    int source_waiting;
    pthread_t workers[QP_MAX_JOBS];
    size_t n_workers, started;
    int sinking;                           /* a worker is handing batches to the sink */
    void *ctx[QP_MAX_JOBS][QP_MAX_STAGES]; /* [0] aliases the chain's own */
    size_t skipped[QP_MAX_JOBS][QP_MAX_STAGES];
    size_t dropped[QP_MAX_JOBS][QP_MAX_STAGES];
    worker_arg args[QP_MAX_JOBS];
    size_t sink_skipped; /* skipped by the sink itself */
    size_t source_skipped;
    batch *queue_head, *queue_tail;
    batch **ring; /* by seq % window: batches made and not yet sunk */
    size_t window;
    size_t next_seq, next_to_sink, in_flight;
    batch *filling;
    size_t filling_bytes;
    int producing_done;
    int status;
    qp_error error;
};

/* Records the first failure (caller holds the lock) and wakes every thread. */
static void fail_locked(struct qp_parallel *p, int status, const char *stage, const qp_error *e)
{
    if (p->status == QP_OK) {
        __atomic_store_n(&p->status, status < 0 ? status : QP_ERR_PLUGIN, __ATOMIC_RELEASE);
        snprintf(p->error.message, sizeof p->error.message, "%.64s: %.900s", stage,
                 e && e->message[0] ? e->message : "failed");
    }
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->space);
}

/* Runs every filter of the chain on one batch with worker w's instances. */
static void process_batch(struct qp_parallel *p, size_t w, batch *b)
{
    for (size_t d = 0; d < b->n; d++) {
        qp_doc *doc = b->docs[d];
        if (doc->pending) {
            qp_error e = {{0}};
            int st = qp_stage_prepare(&p->stages[0], doc, &e);
            if (st != QP_OK) {
                pthread_mutex_lock(&p->lock);
                fail_locked(p, st, p->stages[0].desc->name, &e);
                pthread_mutex_unlock(&p->lock);
                return;
            }
            p->skipped[w][0] += doc->skipped != NULL;
        }
        for (size_t i = 1; i + 1 < p->n_stages; i++) {
            if (qp_doc_set_aside(doc))
                break;
            qp_error e = {{0}};
            int st = p->stages[i].desc->process(p->ctx[w][i], doc, &e);
            if (st < 0) {
                pthread_mutex_lock(&p->lock);
                fail_locked(p, st, p->stages[i].desc->name, &e);
                pthread_mutex_unlock(&p->lock);
                return;
            }
            p->skipped[w][i] += doc->skipped != NULL;
            p->dropped[w][i] += doc->dropped_by != NULL;
        }
    }
}

/* Hands batch b's documents to the sink and frees them (`failed`: only free). */
static void sink_batch(struct qp_parallel *p, batch *b, int failed)
{
    qp_stage_inst *sink = &p->stages[p->n_stages - 1];
    for (size_t d = 0; d < b->n; d++) {
        qp_doc *doc = b->docs[d];
        if (!failed) {
            int was_skipped = doc->skipped != NULL;
            qp_error e = {{0}};
            int st = sink->desc->process(sink->ctx, doc, &e);
            if (st < 0) {
                pthread_mutex_lock(&p->lock);
                fail_locked(p, st, sink->desc->name, &e);
                pthread_mutex_unlock(&p->lock);
                failed = 1;
            } else {
                if (!was_skipped && doc->skipped)
                    p->sink_skipped++;
                p->counts->docs_seen++;
                p->counts->skipped_seen += doc->skipped != NULL;
            }
        }
        qp_doc_report(doc);
        qp_doc_free(doc);
    }
    free(b->docs);
    free(b);
}

/* Hands the sink, in the order they were made, the processed batches from the
 * next one it wants on, unless another worker is at it (which then takes these
 * too). The sink sees one batch at a time, so it needs no lock of its own. The
 * caller holds the lock. */
static void sink_ready_locked(struct qp_parallel *p)
{
    if (p->sinking)
        return;
    p->sinking = 1;
    batch *b;
    while ((b = p->ring[p->next_to_sink % p->window]) && b->seq == p->next_to_sink &&
           b->processed) {
        int failed = p->status != QP_OK;
        pthread_mutex_unlock(&p->lock);
        sink_batch(p, b, failed);
        pthread_mutex_lock(&p->lock);
        p->ring[p->next_to_sink % p->window] = NULL;
        p->next_to_sink++;
        p->in_flight--;
        /* The source is woken once half the window is free, not for every batch:
         * each wake-up costs both cores a switch. */
        if (p->source_waiting && 2 * p->in_flight <= p->window)
            pthread_cond_signal(&p->space);
    }
    p->sinking = 0;
}

static void *worker_main(void *arg)
{
    worker_arg *a = arg;
    struct qp_parallel *p = a->p;
    char name[16];
    snprintf(name, sizeof name, "qp-work%zu", a->index);
    pthread_setname_np(pthread_self(), name); /* for top -H and perf */
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->queue_head && !p->producing_done && p->status == QP_OK)
            pthread_cond_wait(&p->work, &p->lock);
        batch *b = p->queue_head;
        if (!b)
            break;
        p->queue_head = b->next;
        if (!p->queue_head)
            p->queue_tail = NULL;
        int failed = p->status != QP_OK;
        pthread_mutex_unlock(&p->lock);
        if (!failed)
            process_batch(p, a->index, b);
        pthread_mutex_lock(&p->lock);
        b->processed = 1;
        sink_ready_locked(p);
    }
    sink_ready_locked(p); /* what a failure left */
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Makes the extra instances of every filter for workers 1..n-1. Returns QP_OK,
 * or an error status with err filled. */
static int make_instances(struct qp_parallel *p, json_t *const *header_before, qp_error *err)
{
    for (size_t i = 1; i + 1 < p->n_stages; i++)
        p->ctx[0][i] = p->stages[i].ctx;
    for (size_t w = 1; w < p->n_workers; w++)
        for (size_t i = 1; i + 1 < p->n_stages; i++) {
            const qp_stage_inst *s = &p->stages[i];
            qp_error e = {{0}};
            int st = s->desc->create(p->host, s->opts, s->n_opts, &p->ctx[w][i], &e);
            json_t *copy = st == QP_OK ? json_deep_copy(header_before[i]) : NULL;
            if (st == QP_OK && s->desc->begin)
                st = copy ? s->desc->begin(p->ctx[w][i], copy, &e) : QP_ERR_NOMEM;
            json_decref(copy);
            if (st != QP_OK) {
                snprintf(err->message, sizeof err->message, "%.64s: %.900s", s->desc->name,
                         e.message[0] ? e.message : "failed");
                return st < 0 ? st : QP_ERR_PLUGIN;
            }
        }
    return QP_OK;
}

int qp_parallel_start(qp_parallel **out, const qp_host *host, qp_stage_inst *stages,
                      size_t n_stages, size_t jobs, json_t *const *header_before,
                      qp_chain_counts *counts, qp_error *err)
{
    struct qp_parallel *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return QP_ERR_NOMEM;
    p->host = host;
    p->stages = stages;
    p->n_stages = n_stages;
    p->counts = counts;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->space, NULL);
    p->n_workers = jobs > QP_MAX_JOBS ? QP_MAX_JOBS : jobs;
    p->window = 2 * p->n_workers;
    p->ring = calloc(p->window, sizeof *p->ring);
    if (!p->ring)
        return QP_ERR_NOMEM;
    int st = make_instances(p, header_before, err);
    if (st != QP_OK)
        return st;
    for (size_t w = 0; w < p->n_workers; w++) {
        p->args[w] = (worker_arg){p, w};
        if (pthread_create(&p->workers[w], NULL, worker_main, &p->args[w]) != 0)
            break;
        p->started++;
    }
    if (p->started < p->n_workers) {
        qp_parallel_finish(p, err);
        snprintf(err->message, sizeof err->message, "cannot start %zu threads", p->n_workers);
        return QP_ERR_IO;
    }
    return QP_OK;
}

/* Queues the batch being filled (caller holds the lock); waits while the window
 * is full. Returns the status. */
static int submit_locked(struct qp_parallel *p)
{
    batch *b = p->filling;
    p->filling = NULL;
    p->filling_bytes = 0;
    if (!b)
        return p->status;
    while (p->in_flight == p->window && p->status == QP_OK) {
        p->source_waiting = 1;
        pthread_cond_wait(&p->space, &p->lock);
        p->source_waiting = 0;
    }
    b->seq = p->next_seq++;
    p->ring[b->seq % p->window] = b;
    p->in_flight++;
    if (p->queue_tail)
        p->queue_tail->next = b;
    else
        p->queue_head = b;
    p->queue_tail = b;
    pthread_cond_signal(&p->work);
    return p->status;
}

int qp_parallel_emit(qp_parallel *p, qp_doc *doc)
{
    if (!p->filling) {
        batch *b = calloc(1, sizeof *b);
        if (b && !(b->docs = malloc(BATCH_DOCS * sizeof *b->docs))) {
            free(b);
            b = NULL;
        }
        if (!b) {
            qp_doc_free(doc);
            pthread_mutex_lock(&p->lock);
            fail_locked(p, QP_ERR_NOMEM, "run", NULL);
            pthread_mutex_unlock(&p->lock);
            return QP_ERR_NOMEM;
        }
        p->filling = b;
    }
    p->source_skipped += doc->skipped != NULL; /* skipped by the source, on this thread */
    p->filling->docs[p->filling->n++] = doc;
    p->filling_bytes += doc->text_len;
    if (p->filling->n < BATCH_DOCS && p->filling_bytes < BATCH_BYTES)
        return __atomic_load_n(&p->status, __ATOMIC_ACQUIRE); /* set by other threads */
    pthread_mutex_lock(&p->lock);
    int st = submit_locked(p);
    pthread_mutex_unlock(&p->lock);
    return st;
}

int qp_parallel_finish(qp_parallel *p, qp_error *err)
{
    pthread_mutex_lock(&p->lock);
    submit_locked(p);
    p->producing_done = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (size_t w = 0; w < p->started; w++)
        pthread_join(p->workers[w], NULL);
    p->started = 0;
    p->stages[0].skipped += p->source_skipped;
    p->stages[p->n_stages - 1].skipped += p->sink_skipped;
    p->counts->skipped_here += p->source_skipped + p->sink_skipped;
    p->source_skipped = p->sink_skipped = 0;
    for (size_t w = 0; w < p->n_workers; w++) {
        p->stages[0].skipped += p->skipped[w][0];
        p->counts->skipped_here += p->skipped[w][0];
        p->skipped[w][0] = 0;
    }
    for (size_t w = 0; w < p->n_workers; w++)
        for (size_t i = 1; i + 1 < p->n_stages; i++) {
            p->stages[i].skipped += p->skipped[w][i];
            p->stages[i].dropped += p->dropped[w][i];
            p->counts->skipped_here += p->skipped[w][i];
            p->skipped[w][i] = p->dropped[w][i] = 0;
        }
    if (p->status != QP_OK)
        snprintf(err->message, sizeof err->message, "%s", p->error.message);
    return p->status;
}

void qp_parallel_free(qp_parallel *p)
{
    if (!p)
        return;
    /* Batches left behind by a failed start. */
    for (size_t i = 0; p->ring && i < p->window; i++)
        if (p->ring[i]) {
            for (size_t d = 0; d < p->ring[i]->n; d++)
                qp_doc_free(p->ring[i]->docs[d]);
            free(p->ring[i]->docs);
            free(p->ring[i]);
        }
    if (p->filling) {
        for (size_t d = 0; d < p->filling->n; d++)
            qp_doc_free(p->filling->docs[d]);
        free(p->filling->docs);
        free(p->filling);
    }
    for (size_t w = 1; w < p->n_workers; w++)
        for (size_t i = 1; i + 1 < p->n_stages; i++)
            if (p->ctx[w][i])
                p->stages[i].desc->destroy(p->ctx[w][i]);
    free(p->ring);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->space);
    free(p);
}
