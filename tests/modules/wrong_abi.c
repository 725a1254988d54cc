/* wrong_abi.c - a stage module built for another ABI version, which the loader
 * must refuse (MAJOR_OFFSET and MINOR_OFFSET are set by the build). */
#include <qualpipe/stage.h>

static int never_create(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                        qp_error *err)
{
    (void)host;
    (void)opts;
    (void)n_opts;
    (void)ctx;
    (void)err;
    return QP_ERR_PLUGIN;
}

static int never_process(void *ctx, qp_doc *doc, qp_error *err)
{
    (void)ctx;
    (void)doc;
    (void)err;
    return QP_ERR_PLUGIN;
}

static void never_destroy(void *ctx)
{
    (void)ctx;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR + MAJOR_OFFSET,
    .abi_minor = QP_STAGE_ABI_MINOR + MINOR_OFFSET,
    .kind = QP_STAGE_FILTER,
    .name = MAJOR_OFFSET ? "wrongmajor" : "newerminor",
    .version = "0",
    .description = "test module with a mismatched ABI",
    .create = never_create,
    .process = never_process,
    .destroy = never_destroy,
};
