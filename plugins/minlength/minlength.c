/*
 * minlength.c - an example filter stage: drops documents with fewer than
 * --min-tokens tokens, and can record each document's token count in a metadata
 * field. Copy this file to start a stage of your own; it needs nothing but the
 * installed headers:
 *
 *   cc -shared -fPIC $(pkg-config --cflags qualpipe) -o stage_minlength.so minlength.c
 *   qualpipe run --plugin-dir . --stages read,segment,tokenise,minlength,code,aggregate \
 *       --min-tokens 50 -c example corpora/inaugural
 *
 * The module's file name gives the stage's name (stage_NAME.so), and the
 * descriptor at the bottom names it again. Put it after tokenise: it counts
 * tokens. Under `run -j N` each worker thread has its own instance, so all
 * state lives in the context.
 */
#include <stdio.h>
#include <stdlib.h>

#include <qualpipe/stage.h>

#define STAGE "minlength"

typedef struct minlength_ctx {
    const qp_host *host;
    size_t min_tokens;
    const char *field; /* metadata field for the token count, or NULL */
} minlength_ctx;

static const qp_option_spec minlength_options[] = {
    {.name = "min-tokens",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 1000000000,
     .default_value = "1",
     .arg_name = "N",
     .help = "drop documents with fewer than N tokens (they are counted as dropped)"},
    {.name = "count-field",
     .arg_name = "FIELD",
     .help = "record each kept document's token count in metadata field FIELD"},
    {0},
};

/* Returns QP_OK with a new instance, or QP_ERR_NOMEM. The host has checked the
 * options against the table, so --min-tokens is a number in range. */
static int minlength_create(const qp_host *host, const qp_option_value *opts, size_t n_opts,
                            void **ctx, qp_error *err)
{
    minlength_ctx *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    const qp_option_value *min = host->option(opts, n_opts, "min-tokens");
    const qp_option_value *field = host->option(opts, n_opts, "count-field");
    m->host = host;
    m->min_tokens = min ? (size_t)min->number : 1;
    m->field = field ? field->value : NULL; /* option strings outlive the instance */
    *ctx = m;
    return QP_OK;
}

/* Drops a short document, or records its count. Returns QP_OK, or QP_ERR_NOMEM. */
static int minlength_process(void *ctx, qp_doc *doc, qp_error *err)
{
    minlength_ctx *m = ctx;
    int rc = QP_OK;
    if (doc->n_tokens < m->min_tokens)
        rc = m->host->doc_drop(doc, STAGE);
    else if (m->field)
        rc = m->host->doc_set_meta(doc, m->field, json_integer((json_int_t)doc->n_tokens));
    if (rc != QP_OK)
        snprintf(err->message, sizeof err->message, "out of memory");
    return rc;
}

static void minlength_destroy(void *ctx)
{
    free(ctx);
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = STAGE,
    .version = "1.0.0",
    .description = "drops documents with fewer than --min-tokens tokens (an example filter)",
    .options = minlength_options,
    .create = minlength_create,
    .process = minlength_process,
    .destroy = minlength_destroy,
};
