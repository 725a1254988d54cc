/* host.c - the functions qualpipe lends to plugins (qualpipe/plugin.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "doc.h"
#include "host.h"
#include "paths.h"

void qp_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("qualpipe: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Marks the document skipped and prints the one line that reports it. */
void qp_doc_skip_report(qp_doc *doc, const char *stage, const char *reason)
{
    qp_doc_mark_skipped(doc, stage, reason);
    const char *where = doc->origin && *doc->origin ? doc->origin : doc->id;
    if (doc->id && *doc->id && doc->origin && *doc->origin && !strstr(doc->origin, doc->id))
        fprintf(stderr, "qualpipe: %s: %s (document %s): %s; document skipped\n", stage, where,
                doc->id, reason);
    else
        fprintf(stderr, "qualpipe: %s: %s: %s; document skipped\n", stage, where, reason);
}

static void host_doc_skip(qp_doc *doc, const char *stage, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    qp_doc_skip_report(doc, stage, reason);
}

void qp_warn(const char *stage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "qualpipe: %s: ", stage);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const void *host_load_codebook_plugin(const qp_host *host, const char *name,
                                             const char **path, qp_error *err)
{
    const qp_host_impl *h = (const qp_host_impl *)host;
    return qp_loader_codebook(h->loader, name, path, err);
}

static int doc_take_text(qp_doc *doc, char *text, size_t len)
{
    return qp_doc_take_text(doc, text, len);
}

void qp_host_init(qp_host_impl *host, qp_loader *loader)
{
    memset(host, 0, sizeof *host);
    host->loader = loader;
    size_t n = 0;
    if (qp_loader_uninstalled(loader))
        host->codebook_dirs[n++] = QP_ABS_SRCDIR "/codebooks";
    host->codebook_dirs[n++] = QP_PKGDATADIR "/codebooks";
    host->codebook_dirs[n] = NULL;
    qp_host *p = &host->pub;
    p->abi_major = QP_STAGE_ABI_MAJOR;
    p->abi_minor = QP_STAGE_ABI_MINOR;
    p->qualpipe_version = PACKAGE_VERSION;
    p->doc_new = qp_doc_new;
    p->doc_free = qp_doc_free;
    p->doc_set_id = qp_doc_set_id;
    p->doc_take_text = doc_take_text;
    p->doc_add_token = qp_doc_add_token;
    p->doc_clear_hits = qp_doc_clear_hits;
    p->doc_add_hit = qp_doc_add_hit;
    p->doc_skip = host_doc_skip;
    p->emit = qp_runner_emit;
    p->warn = qp_warn;
    p->load_codebook_plugin = host_load_codebook_plugin;
    p->codebook_dirs = host->codebook_dirs;
    p->doc_add_segment = qp_doc_add_segment;
}

qp_loader *qp_host_start(qp_host_impl *host, int argc, char **argv)
{
    const char *dirs[32];
    size_t n = qp_cli_plugin_dirs(argc, argv, dirs, 32);
    qp_error err;
    qp_loader *loader = qp_loader_new(dirs, n, &err);
    if (!loader) {
        qp_errorf("%s", err.message);
        return NULL;
    }
    qp_host_init(host, loader);
    return loader;
}
