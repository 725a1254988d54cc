/* clash.c - a filter stage that passes documents on unchanged and declares an
 * option named like one of the segment stage's (--unit), so the option parser's
 * handling of a shared name can be tested. */
#include <stdlib.h>

#include <qualpipe/stage.h>

static const qp_option_spec clash_options[] = {
    {.name = "unit", .arg_name = "WORD", .help = "a name the segment stage also declares"},
    {0},
};

static int clash_create(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                        qp_error *err)
{
    (void)host, (void)opts, (void)n_opts, (void)err;
    *ctx = malloc(1);
    return *ctx ? QP_OK : QP_ERR_NOMEM;
}

static int clash_process(void *ctx, qp_doc *doc, qp_error *err)
{
    (void)ctx, (void)doc, (void)err;
    return QP_OK;
}

static void clash_destroy(void *ctx)
{
    free(ctx);
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = "clash",
    .version = "1.0.0",
    .description = "passes documents on (a test module)",
    .options = clash_options,
    .create = clash_create,
    .process = clash_process,
    .destroy = clash_destroy,
};
