/* codebook_wrong_abi.c - a codebook plugin built for another codebook ABI major. */
#include <qualpipe/codebook.h>

static int never_define(const qp_codebook_api *api, qp_codebook_builder *b, qp_error *err)
{
    (void)api;
    (void)b;
    (void)err;
    return QP_ERR_PLUGIN;
}

const qp_codebook_descriptor qualpipe_codebook_descriptor = {
    .abi_major = QP_CODEBOOK_ABI_MAJOR + 1,
    .abi_minor = 0,
    .name = "wrongmajor",
    .version = "0",
    .description = "test codebook plugin with a mismatched ABI",
    .define = never_define,
};
