/* test_loader.c - the loader refuses modules built for another ABI or lacking
 * the descriptor, with messages that name file, symbol, versions and the fix. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/loader.h"
#include "paths.h"

static qp_loader *loader;

static void start(void)
{
    const char *dirs[] = {QP_TEST_MODULES};
    qp_error err;
    loader = qp_loader_new(dirs, 1, &err);
    cr_assert_not_null(loader, "%s", err.message);
}

static void stop(void)
{
    qp_loader_free(loader);
}

TestSuite(loader, .init = start, .fini = stop);

Test(loader, refuses_another_major_naming_file_symbol_and_versions)
{
    qp_error err;
    const char *path;
    char theirs[32], ours[32];
    snprintf(theirs, sizeof theirs, "ABI %d.%d", QP_STAGE_ABI_MAJOR + 1, QP_STAGE_ABI_MINOR);
    snprintf(ours, sizeof ours, "ABI %d.%d", QP_STAGE_ABI_MAJOR, QP_STAGE_ABI_MINOR);
    cr_assert_null(qp_loader_stage(loader, "wrongmajor", &path, &err));
    cr_assert(strstr(err.message, "stage_wrongmajor"), "%s", err.message);
    cr_assert(strstr(err.message, "'qualpipe_stage_descriptor'"), "%s", err.message);
    cr_assert(strstr(err.message, theirs), "%s", err.message);
    cr_assert(strstr(err.message, ours), "%s", err.message);
    cr_assert(strstr(err.message, "Rebuild the module"), "%s", err.message);
}

Test(loader, refuses_a_newer_minor)
{
    qp_error err;
    const char *path;
    char theirs[32];
    snprintf(theirs, sizeof theirs, "ABI %d.%d", QP_STAGE_ABI_MAJOR, QP_STAGE_ABI_MINOR + 1);
    cr_assert_null(qp_loader_stage(loader, "newerminor", &path, &err));
    cr_assert(strstr(err.message, theirs), "%s", err.message);
    cr_assert(strstr(err.message, "newer minor"), "%s", err.message);
}

Test(loader, refuses_a_module_without_the_symbol)
{
    qp_error err;
    const char *path;
    cr_assert_null(qp_loader_stage(loader, "nosymbol", &path, &err));
    cr_assert(strstr(err.message, "stage_nosymbol"), "%s", err.message);
    cr_assert(strstr(err.message, "no symbol 'qualpipe_stage_descriptor'"), "%s", err.message);
}

Test(loader, refuses_a_codebook_plugin_of_another_major)
{
    qp_error err;
    const char *path;
    cr_assert_null(qp_loader_codebook(loader, "wrongmajor", &path, &err));
    cr_assert(strstr(err.message, "'qualpipe_codebook_descriptor'"), "%s", err.message);
    cr_assert(strstr(err.message, "codebook.h"), "%s", err.message);
}

Test(loader, missing_module_lists_the_search_path)
{
    qp_error err;
    const char *path;
    cr_assert_null(qp_loader_stage(loader, "nonesuch", &path, &err));
    cr_assert(strstr(err.message, "no stage module 'stage_nonesuch'"), "%s", err.message);
    cr_assert(strstr(err.message, QP_TEST_MODULES), "%s", err.message);
    cr_assert(strstr(err.message, "--plugin-dir"), "%s", err.message);
}

Test(loader, search_path_order)
{
    const char *const *dirs = qp_loader_dirs(loader);
    cr_assert_str_eq(dirs[0], QP_TEST_MODULES, "--plugin-dir comes first");
    size_t n = 0;
    while (dirs[n])
        n++;
    cr_assert_str_eq(dirs[n - 1], QP_PKGLIBDIR, "the installed folder comes last");
}
