/* code.c - the code stage: codes tokenised documents against one codebook (a JSON
 * file, a shipped codebook or a codebook plugin) and records each hit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qualpipe/stage.h>

#include "codebook.h"
#include "matcher.h"

#define STAGE "code"

typedef struct code_ctx {
    const qp_host *host;
    qp_codebook *cb;
    matcher *m;
    match_scratch *scratch;
    void *plugin_matcher;
} code_ctx;

static const qp_option_spec code_options[] = {
    {"codebook", 'c', QP_OPT_ARG | QP_OPT_REQUIRED, "CODEBOOK",
     "the codebook: a .json file, a shipped codebook's name, or a codebook plugin"},
    {0},
};

static void code_destroy(void *ctx)
{
    code_ctx *c = ctx;
    if (!c)
        return;
    if (c->plugin_matcher && c->cb->plugin->match_destroy)
        c->cb->plugin->match_destroy(c->plugin_matcher);
    match_scratch_free(c->scratch);
    matcher_free(c->m);
    qp_codebook_free(c->cb);
    free(c);
}

/* Returns QP_OK with the codebook loaded and indexed, or QP_ERR_CODEBOOK with err
 * naming the file, line and reason. */
static int code_create(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                       qp_error *err)
{
    const char *spec = NULL;
    for (size_t i = 0; i < n_opts; i++)
        if (strcmp(opts[i].name, "codebook") == 0)
            spec = opts[i].value;
    if (!spec) {
        snprintf(err->message, sizeof err->message, "-c CODEBOOK is required");
        return QP_ERR_USAGE;
    }
    code_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return QP_ERR_NOMEM;
    c->host = host;
    if (!(c->cb = qp_codebook_open(host, spec, err))) {
        code_destroy(c);
        return QP_ERR_CODEBOOK;
    }
    if (!(c->m = matcher_new(c->cb)) || !(c->scratch = match_scratch_new())) {
        code_destroy(c);
        return QP_ERR_NOMEM;
    }
    const qp_codebook_descriptor *d = c->cb->plugin;
    if (d && d->match_create) {
        err->message[0] = '\0';
        if (d->match_create(&c->plugin_matcher, err) != QP_OK) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "%s", err->message[0] ? err->message : "failed");
            snprintf(err->message, sizeof err->message, "%.400s: match_create: %.500s",
                     c->cb->source, why);
            c->plugin_matcher = NULL;
            code_destroy(c);
            return QP_ERR_PLUGIN;
        }
    }
    *ctx = c;
    return QP_OK;
}

/* Checks the stream was tokenised and not coded yet, and records the codebook in
 * the header. Returns QP_OK, or QP_ERR_USAGE with err saying what to run first. */
static int code_begin(void *ctx, json_t *header, qp_error *err)
{
    code_ctx *c = ctx;
    int tokenised = 0;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(header, "stages"), i, s)
    {
        const char *name = json_string_value(json_object_get(s, "name"));
        tokenised |= name && strcmp(name, "tokenise") == 0;
    }
    if (!tokenised) {
        snprintf(err->message, sizeof err->message,
                 "the input was not tokenised: put 'qualpipe stage tokenise' before "
                 "'qualpipe stage code' (and keep the first line, the stream header, when "
                 "filtering with grep or jq)");
        return QP_ERR_USAGE;
    }
    if (json_object_get(header, "codebook")) {
        snprintf(err->message, sizeof err->message,
                 "the input was coded already: code a stream with one codebook, once");
        return QP_ERR_USAGE;
    }
    json_t *desc = qp_codebook_describe(c->cb);
    if (!desc || json_object_set_new(header, "codebook", desc) < 0)
        return QP_ERR_NOMEM;
    return QP_OK;
}

/* Codes one document. Returns QP_OK (a plugin matcher failure skips the document)
 * or QP_ERR_NOMEM. */
static int code_process(void *ctx, qp_doc *doc, qp_error *err)
{
    code_ctx *c = ctx;
    c->host->doc_clear_hits(doc);
    int rc = matcher_run(c->m, c->scratch, c->plugin_matcher, doc, c->host->doc_add_hit,
                         c->host->warn, err);
    if (rc == QP_ERR_PLUGIN) {
        c->host->doc_clear_hits(doc);
        c->host->doc_skip(doc, STAGE, "%s", err->message);
        err->message[0] = '\0';
        return QP_OK;
    }
    if (rc != QP_OK)
        snprintf(err->message, sizeof err->message, "out of memory");
    return rc;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "codes tokenised documents against a codebook's words, globs, phrases "
                   "and regexes",
    .options = code_options,
    .create = code_create,
    .begin = code_begin,
    .process = code_process,
    .destroy = code_destroy,
};
