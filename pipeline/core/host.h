/* host.h - the qp_host table lent to plugins, backed by a loader, and the lines
 * the host prints for them. */
#ifndef QP_HOST_H
#define QP_HOST_H

#include <qualpipe/stage.h>

#include "loader.h"

typedef int (*qp_emit_fn)(qp_emitter *out, qp_doc *doc);

typedef struct qp_host_impl {
    qp_host pub; /* first, so plugins' const qp_host * leads back here */
    qp_loader *loader;
    const char *data_dirs[4];
    qp_output output; /* pub.output points here once qp_host_set_output is called */
} qp_host_impl;

/* Fills the host table. The loader is borrowed and must outlive every plugin;
 * `emit` is what a source stage's host->emit calls (the runner's). */
void qp_host_init(qp_host_impl *host, qp_loader *loader, qp_emit_fn emit);

/* Lends the sink's output to the stages (host->output): `stream` is written, `path`
 * is the temporary file behind it (NULL for standard output), `name` names it in
 * messages. Every string is borrowed. */
void qp_host_set_output(qp_host_impl *host, FILE *stream, const char *path, const char *name);

/* Marks doc skipped by stage for reason; qp_doc_report prints the line. */
void qp_doc_skip_report(qp_doc *doc, const char *stage, const char *reason);

/* Prints the one stderr line that says doc was skipped, naming its origin, id,
 * stage and reason, when it was skipped in this process and not yet reported. */
void qp_doc_report(qp_doc *doc);

/* Prints "qualpipe: STAGE: " and the message as one warning line on stderr. */
void qp_warn(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "qualpipe: " and the formatted message as one line on stderr. */
void qp_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns the last value of option name in opts, or NULL (qp_host.option). */
const qp_option_value *qp_option_find(const qp_option_value *opts, size_t n_opts, const char *name);

#endif
