/* tokenise.c - the tokenise stage: records each token's byte span, by the token
 * rule in pipeline/text.h (letters, marks and digits, joined by an in-word
 * apostrophe or hyphen). Matching normalises tokens later, once per codebook. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qualpipe/stage.h>

#include "util/text.h"

#define STAGE "tokenise"

typedef struct tokenise_ctx {
    const qp_host *host;
    long (*all)(const char *, size_t, uint32_t **, size_t *); /* the style's tokens */
    uint32_t *spans;
    size_t cap;
} tokenise_ctx;

static const char *const token_styles[] = {"qualpipe", "quanteda", NULL};

static const qp_option_spec tokenise_options[] = {
    {.name = "tokens",
     .type = QP_TYPE_ENUM,
     .choices = token_styles,
     .default_value = "qualpipe",
     .arg_name = "STYLE",
     .help = "qualpipe (letters and digits, in-word ' and -) or quanteda (as quanteda's "
             "tokens(x, remove_punct = TRUE): also 3.5, 1,000, U.S.A, and symbols as tokens)"},
    {0},
};

/* Returns QP_OK with a new instance, or QP_ERR_NOMEM. */
static int tokenise_create(const qp_host *host, const qp_option_value *opts, size_t n_opts,
                           void **ctx, qp_error *err)
{
    (void)err;
    const qp_option_value *style = host->option(opts, n_opts, "tokens");
    tokenise_ctx *t = calloc(1, sizeof *t);
    if (!t)
        return QP_ERR_NOMEM;
    t->host = host;
    t->all = style && style->number == 1 ? qp_tokens_all_quanteda : qp_tokens_all;
    *ctx = t;
    return QP_OK;
}

/* Adds the document's tokens. Returns QP_OK, or QP_ERR_NOMEM. A document that
 * already has tokens (re-tokenised) or is over 4 GiB is skipped. */
static int tokenise_process(void *ctx, qp_doc *doc, qp_error *err)
{
    tokenise_ctx *t = ctx;
    if (doc->n_tokens) {
        t->host->doc_skip(doc, STAGE, "already tokenised (tokenise runs once per document)");
        return QP_OK;
    }
    if (doc->text_len >= UINT32_MAX) {
        t->host->doc_skip(doc, STAGE, "text longer than 4 GiB");
        return QP_OK;
    }
    long n = t->all(doc->text, doc->text_len, &t->spans, &t->cap);
    if (n < 0 || t->host->doc_add_tokens(doc, (const qp_span *)t->spans, (size_t)n) != QP_OK) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    return QP_OK;
}

static void tokenise_destroy(void *ctx)
{
    tokenise_ctx *t = ctx;
    if (t)
        free(t->spans);
    free(t);
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "splits text into word tokens (letters and digits, in-word ' and -)",
    .options = tokenise_options,
    .create = tokenise_create,
    .process = tokenise_process,
    .destroy = tokenise_destroy,
};
