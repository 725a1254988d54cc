/* host.c - the functions qualpipe lends to plugins (qualpipe/plugin.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "host.h"
#include "interrupt.h"
#include "paths.h"
#include "progress.h"

void qp_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qp_progress_clear();
    fputs("qualpipe: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Marks the document skipped; the line that reports it is printed when the
 * document leaves the chain (qp_doc_report), so reports come in corpus order
 * whatever thread skipped it. */
void qp_doc_skip_report(qp_doc *doc, const char *stage, const char *reason)
{
    qp_doc_mark_skipped(doc, stage, reason);
    qp_doc_want_report(doc);
}

void qp_doc_report(qp_doc *doc)
{
    qp_progress_document(doc->text_len);
    if (!qp_doc_take_report(doc))
        return;
    qp_progress_clear();
    const char *stage = doc->skipped_stage, *reason = doc->skipped;
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
    qp_progress_clear();
    fprintf(stderr, "qualpipe: %s: ", stage);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

const qp_option_value *qp_option_find(const qp_option_value *opts, size_t n_opts, const char *name)
{
    const qp_option_value *found = NULL; /* a default is there only when none was given */
    for (size_t i = 0; i < n_opts; i++)
        if (strcmp(opts[i].name, name) == 0)
            found = &opts[i];
    return found;
}

/* Loads a plugin module of another kind than a stage for a stage (qp_host.load_plugin).
 * Returns its descriptor, or NULL with err filled. */
static const void *host_load_plugin(const qp_host *host, const char *kind, const char *name,
                                    const char **path, qp_error *err)
{
    const qp_host_impl *h = (const qp_host_impl *)host;
    if (strcmp(kind, "codebook") == 0)
        return qp_loader_codebook(h->loader, name, path, err);
    if (strcmp(kind, "stage") == 0)
        return qp_loader_stage(h->loader, name, path, err);
    snprintf(err->message, sizeof err->message,
             "no kind of plugin module is called \"%.100s\" (there are stage and codebook)", kind);
    return NULL;
}

static int doc_take_text(qp_doc *doc, char *text, size_t len)
{
    return qp_doc_take_text(doc, text, len);
}

void qp_host_init(qp_host_impl *host, qp_loader *loader, qp_emit_fn emit)
{
    memset(host, 0, sizeof *host);
    host->loader = loader;
    size_t n = 0;
    if (loader && qp_loader_uninstalled(loader))
        host->data_dirs[n++] = QP_ABS_SRCDIR;
    host->data_dirs[n++] = QP_PKGDATADIR;
    host->data_dirs[n] = NULL;
    qp_host *p = &host->pub;
    p->abi_major = QP_STAGE_ABI_MAJOR;
    p->abi_minor = QP_STAGE_ABI_MINOR;
    p->qualpipe_version = PACKAGE_VERSION;
    p->doc_new = qp_doc_new;
    p->doc_free = qp_doc_free;
    p->doc_set_id = qp_doc_set_id;
    p->doc_take_text = doc_take_text;
    p->doc_set_meta = qp_doc_set_meta_field;
    p->doc_add_token = qp_doc_add_token;
    p->doc_add_tokens = qp_doc_add_tokens;
    p->doc_add_segment = qp_doc_add_segment;
    p->doc_clear_hits = qp_doc_clear_hits;
    p->doc_add_hit = qp_doc_add_hit;
    p->doc_skip = host_doc_skip;
    p->doc_drop = qp_doc_mark_dropped;
    p->doc_defer = qp_doc_defer;
    p->doc_share_text = qp_doc_share_text;
    p->interrupted = qp_interrupted;
    p->emit = emit;
    p->warn = qp_warn;
    p->option = qp_option_find;
    p->load_plugin = host_load_plugin;
    p->data_dirs = host->data_dirs;
}

void qp_host_set_output(qp_host_impl *host, FILE *stream, const char *path, const char *name)
{
    host->output = (qp_output){
        .stream = stream,
        .path = path,
        .name = name,
        .terminal = isatty(STDOUT_FILENO),
    };
    host->pub.output = &host->output;
}
