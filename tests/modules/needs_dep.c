/* needs_dep.c - a stage module whose own dependency (libqpdep) is missing when it
 * is loaded; the loader must say so rather than "file not found". */
#include <qualpipe/stage.h>

int qp_test_dependency(void);

static int needs_create(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                        qp_error *err)
{
    (void)host, (void)opts, (void)n_opts, (void)err;
    *ctx = NULL;
    return qp_test_dependency() == 42 ? QP_OK : QP_ERR_PLUGIN;
}

static int needs_process(void *ctx, qp_doc *doc, qp_error *err)
{
    (void)ctx, (void)doc, (void)err;
    return QP_OK;
}

static void needs_destroy(void *ctx)
{
    (void)ctx;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = "needsdep",
    .version = "1.0.0",
    .description = "needs a library that is not there (a test module)",
    .create = needs_create,
    .process = needs_process,
    .destroy = needs_destroy,
};
