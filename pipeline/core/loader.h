/* loader.h - finding, opening and checking stage and codebook plugin modules.
 * This is the only code that calls libltdl. */
#ifndef QP_LOADER_H
#define QP_LOADER_H

#include <qualpipe/codebook.h>
#include <qualpipe/stage.h>

typedef struct qp_loader qp_loader;

/* Makes a loader whose search path is, in order: the folders in `dirs` (from
 * --plugin-dir), those in $QUALPIPE_PLUGIN_PATH (':'-separated), the build tree's
 * when this qualpipe runs uninstalled, then the installed plugin folder. Returns
 * NULL with err filled when libltdl cannot start. */
qp_loader *qp_loader_new(const char *const *dirs, size_t n_dirs, qp_error *err);
/* Closes every module and frees the loader; NULL is ignored. */
void qp_loader_free(qp_loader *loader);

/* Loads stage NAME (module stage_NAME). Returns its descriptor with *path set to
 * the file, or NULL with err naming the file, the symbol, both ABI versions and
 * what to do. */
const qp_stage_descriptor *qp_loader_stage(qp_loader *loader, const char *name, const char **path,
                                           qp_error *err);
/* Loads a codebook plugin by name (module codebook_NAME) or by path. Returns its
 * descriptor, or NULL with err filled as for stages. */
const qp_codebook_descriptor *qp_loader_codebook(qp_loader *loader, const char *name,
                                                 const char **path, qp_error *err);

/* What qp_loader_list reports for each module file found. */
typedef struct qp_module_info {
    const char *path;
    const char *kind; /* "stage" or "codebook" */
    const char *name;
    const char *version;
    const char *description;
    const char *problem;     /* NULL, or why it cannot be used */
    const char *shadowed_by; /* NULL, or the earlier file of the same name in use */
} qp_module_info;

/* Calls visit for every stage_* and codebook_* module in the search path, folder
 * by folder in search order, names sorted. Returns the number of modules found. */
size_t qp_loader_list(qp_loader *loader, void (*visit)(void *ud, const qp_module_info *m),
                      void *ud);
/* Returns 1 when this qualpipe runs from its build tree, else 0. */
int qp_loader_uninstalled(const qp_loader *loader);
/* Returns the search folders, NULL-terminated, in order. */
const char *const *qp_loader_dirs(const qp_loader *loader);

#endif
