/* host.h - the qp_host table lent to plugins, backed by a loader. */
#ifndef QP_HOST_H
#define QP_HOST_H

#include <qualpipe/plugin.h>

#include "loader.h"

typedef struct qp_host_impl {
    qp_host pub; /* first, so plugins' const qp_host * leads back here */
    qp_loader *loader;
    const char *codebook_dirs[4];
} qp_host_impl;

/* Fills the host table; the loader is borrowed and must outlive every plugin. */
void qp_host_init(qp_host_impl *host, qp_loader *loader);

/* Makes the loader for a command line's --plugin-dir folders and fills host over
 * it. Returns the loader (the caller frees it after every plugin), or NULL after
 * printing why plugins cannot be loaded. */
qp_loader *qp_host_start(qp_host_impl *host, int argc, char **argv);

/* Marks doc skipped by stage for reason and prints the one stderr line that says
 * so, naming the document's origin and id. */
void qp_doc_skip_report(qp_doc *doc, const char *stage, const char *reason);

/* The host's emit (qp_host.emit), in runner.c: passes a source stage's document
 * down the chain. */
int qp_runner_emit(qp_emitter *out, qp_doc *doc);

/* Prints "qualpipe: STAGE: " and the message as one warning line on stderr. */
void qp_warn(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "qualpipe: " and the formatted message as one line on stderr. */
void qp_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
