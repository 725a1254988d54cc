/* loader.c - plugin modules through libltdl: search path, ABI checks, and errors
 * that say which file, which symbol, which versions and what to do. */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/grow.h"
#include "loader.h"
#include "host.h"
#include "trust.h"
#include "util/fileio.h"
#include "paths.h"

#define MAX_MODULES 256

typedef struct loaded_module {
    lt_dlhandle handle;
    char *path;
} loaded_module;

struct qp_loader {
    char **dirs; /* NULL-terminated */
    size_t n_dirs, dirs_cap;
    size_t first_builtin; /* dirs from here on hold the modules qualpipe comes with */
    loaded_module modules[MAX_MODULES];
    size_t n_modules;
    int uninstalled;
};

/* Adds a folder to the search path unless empty or already there. Returns 0,
 * or -1 when out of memory. */
static int add_dir(qp_loader *l, const char *dir, size_t len)
{
    if (len == 0)
        return 0;
    char *d = strndup(dir, len);
    if (!d || qp_grow(&l->dirs, &l->dirs_cap, l->n_dirs + 2, sizeof *l->dirs, 8) < 0) {
        free(d);
        return -1;
    }
    for (size_t i = 0; i < l->n_dirs; i++)
        if (strcmp(l->dirs[i], d) == 0) {
            free(d);
            return 0;
        }
    l->dirs[l->n_dirs++] = d;
    l->dirs[l->n_dirs] = NULL;
    return 0;
}

/* Returns 1 when the running executable lives in the build tree. */
static int running_uninstalled(void)
{
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || !realpath(QP_ABS_BUILDDIR, build))
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    return strcmp(exe, build) == 0;
}

/* Returns a loader, or NULL with err filled. */
qp_loader *qp_loader_new(const char *const *dirs, size_t n_dirs, qp_error *err)
{
    qp_loader *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    if (lt_dlinit() != 0) {
        snprintf(err->message, sizeof err->message, "cannot start the module loader: %s",
                 lt_dlerror());
        free(l);
        return NULL;
    }
    int bad = 0;
    for (size_t i = 0; i < n_dirs; i++)
        bad |= add_dir(l, dirs[i], strlen(dirs[i]));
    const char *env = getenv("QUALPIPE_PLUGIN_PATH");
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        bad |= add_dir(l, env, len);
        env = colon ? colon + 1 : NULL;
    }
    l->first_builtin = l->n_dirs; /* what follows comes with qualpipe */
    l->uninstalled = running_uninstalled();
    if (l->uninstalled) {
        bad |= add_dir(l, QP_ABS_BUILDDIR "/plugins", strlen(QP_ABS_BUILDDIR "/plugins"));
        bad |= add_dir(l, QP_ABS_BUILDDIR "/codebooks", strlen(QP_ABS_BUILDDIR "/codebooks"));
    }
    bad |= add_dir(l, QP_PKGLIBDIR, strlen(QP_PKGLIBDIR));
    if (bad) {
        snprintf(err->message, sizeof err->message, "out of memory");
        qp_loader_free(l);
        return NULL;
    }
    return l;
}

void qp_loader_free(qp_loader *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_modules; i++) {
        lt_dlclose(l->modules[i].handle);
        free(l->modules[i].path);
    }
    for (size_t i = 0; i < l->n_dirs; i++)
        free(l->dirs[i]);
    free(l->dirs);
    lt_dlexit();
    free(l);
}

int qp_loader_uninstalled(const qp_loader *l)
{
    return l->uninstalled;
}

const char *const *qp_loader_dirs(const qp_loader *l)
{
    return (const char *const *)l->dirs;
}

/* Returns 1 when dir/stem.la or dir/stem.so exists. */
static int module_exists(const char *dir, const char *stem)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.la", dir, stem);
    if (access(path, F_OK) == 0)
        return 1;
    snprintf(path, sizeof path, "%s/%s.so", dir, stem);
    return access(path, F_OK) == 0;
}

/* Fills why with the dynamic linker's own reason a module will not open (a library
 * it needs is missing, an undefined symbol), which libltdl reports only as "file
 * not found"; leaves why as it is when no module file can be tried. */
static void real_cause(const char *file, char *why, size_t size)
{
    char so[PATH_MAX];
    const char *slash = strrchr(file, '/');
    for (size_t i = 0; i < 2; i++) {
        if (i == 0)
            snprintf(so, sizeof so, "%s.so", file);
        else if (slash) /* a build tree's .la names a .so in .libs */
            snprintf(so, sizeof so, "%.*s/.libs/%s.so", (int)(slash - file), file, slash + 1);
        else
            continue;
        if (access(so, F_OK) != 0)
            continue;
        void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
        if (h) {
            dlclose(h);
            return;
        }
        const char *e = dlerror();
        if (e)
            snprintf(why, size, "%s", e);
        return;
    }
}

/* Opens the module file at `file` (with or without extension) and returns its
 * symbol `symbol`, recording the handle; NULL with err filled when the file will
 * not open or lacks the symbol. *path is set to the file actually opened. */
static void *open_symbol(qp_loader *l, const char *file, const char *symbol, const char *what,
                         const char **path, qp_error *err)
{
    if (l->n_modules == MAX_MODULES) {
        snprintf(err->message, sizeof err->message, "%s: too many plugin modules open", file);
        return NULL;
    }
    lt_dladvise advise;
    lt_dladvise_init(&advise);
    lt_dladvise_ext(&advise);
    lt_dladvise_local(&advise);
    lt_dlhandle h = lt_dlopenadvise(file, advise);
    lt_dladvise_destroy(&advise);
    if (!h) {
        char why[700];
        snprintf(why, sizeof why, "%s", lt_dlerror());
        real_cause(file, why, sizeof why);
        snprintf(err->message, sizeof err->message,
                 "%.300s: cannot load this module: %.600s. Install what it needs, rebuild it, or "
                 "remove it from the plugin path",
                 file, why);
        return NULL;
    }
    const lt_dlinfo *info = lt_dlgetinfo(h);
    const char *real = info && info->filename ? info->filename : file;
    void *sym = lt_dlsym(h, symbol);
    if (!sym) {
        snprintf(err->message, sizeof err->message,
                 "%s: no symbol '%s': this file is not a qualpipe %s module. Remove it from "
                 "the plugin path, or build it from a source that defines '%s'",
                 real, symbol, what, symbol);
        lt_dlclose(h);
        return NULL;
    }
    l->modules[l->n_modules].handle = h;
    l->modules[l->n_modules].path = strdup(real);
    *path = l->modules[l->n_modules].path ? l->modules[l->n_modules].path : file;
    l->n_modules++;
    return sym;
}

/* Checks a descriptor's ABI version against the host's. Returns 0, or -1 with err
 * naming the file, the symbol, both versions and the fix. */
static int check_abi(const char *path, const char *symbol, const char *header, unsigned major,
                     unsigned minor, unsigned host_major, unsigned host_minor, qp_error *err)
{
    if (major == host_major && minor <= host_minor)
        return 0;
    snprintf(err->message, sizeof err->message,
             "%s: '%s' was built for ABI %u.%u, but this qualpipe %s speaks ABI %u.%u%s. "
             "Rebuild the module against this qualpipe's <qualpipe/%s>, or remove it from the "
             "plugin path",
             path, symbol, major, minor, PACKAGE_VERSION, host_major, host_minor,
             major == host_major ? " (a module may not need a newer minor version than its host)"
                                 : "",
             header);
    return -1;
}

/* Searches the folders for module `stem`; returns the descriptor or NULL with err. */
static const void *find_module(qp_loader *l, const char *stem, const char *symbol, const char *what,
                               const char **path, qp_error *err)
{
    for (size_t i = 0; i < l->n_dirs; i++) {
        if (!module_exists(l->dirs[i], stem))
            continue;
        char why[PATH_MAX + 64];
        if (qp_module_untrusted(l->dirs[i], stem, why, sizeof why) < 0) {
            snprintf(err->message, sizeof err->message,
                     "refusing to load %.32s module '%.100s' from %.300s: %.400s, so code "
                     "there may not be what you installed. Make it writable by its owner "
                     "alone (chmod go-w), or take the folder out of the plugin path",
                     what, stem, l->dirs[i], why);
            return NULL;
        }
        for (size_t j = i + 1; j < l->n_dirs; j++)
            if (j >= l->first_builtin && i < l->first_builtin && module_exists(l->dirs[j], stem)) {
                qp_warn("plugins", "%s module '%s' from %s, not the built-in one in %s", what, stem,
                        l->dirs[i], l->dirs[j]);
                break;
            }
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%s/%s", l->dirs[i], stem);
        return open_symbol(l, file, symbol, what, path, err);
    }
    char searched[2048] = "";
    for (size_t i = 0; i < l->n_dirs; i++)
        snprintf(searched + strlen(searched), sizeof searched - strlen(searched), "%s%s",
                 i ? ", " : "", l->dirs[i]);
    snprintf(err->message, sizeof err->message,
             "no %s module '%s' in the plugin path (%s). Use --plugin-dir or "
             "QUALPIPE_PLUGIN_PATH to add the folder that holds it",
             what, stem, searched);
    return NULL;
}

/* Returns the stage descriptor, or NULL with err filled. */
const qp_stage_descriptor *qp_loader_stage(qp_loader *l, const char *name, const char **path,
                                           qp_error *err)
{
    char stem[256];
    snprintf(stem, sizeof stem, "stage_%s", name);
    const qp_stage_descriptor *d = find_module(l, stem, QP_STAGE_SYMBOL, "stage", path, err);
    if (!d)
        return NULL;
    if (check_abi(*path, QP_STAGE_SYMBOL, "stage.h", d->abi_major, d->abi_minor, QP_STAGE_ABI_MAJOR,
                  QP_STAGE_ABI_MINOR, err) < 0)
        return NULL;
    if (!d->name || strcmp(d->name, name) != 0 || !d->create || !d->destroy ||
        (d->kind == QP_STAGE_SOURCE && !d->produce) ||
        ((d->kind == QP_STAGE_FILTER || d->kind == QP_STAGE_SINK) && !d->process) ||
        (d->kind == QP_STAGE_SINK && !d->finish) || d->kind < QP_STAGE_SOURCE ||
        d->kind > QP_STAGE_SINK) {
        snprintf(err->message, sizeof err->message,
                 "%s: '%s' is incomplete: it must be named \"%s\", have a kind, create, destroy "
                 "and the callbacks its kind needs. Fix the module's descriptor",
                 *path, QP_STAGE_SYMBOL, name);
        return NULL;
    }
    return d;
}

/* Returns the codebook plugin descriptor, or NULL with err filled. */
const qp_codebook_descriptor *qp_loader_codebook(qp_loader *l, const char *name, const char **path,
                                                 qp_error *err)
{
    const qp_codebook_descriptor *d;
    if (strchr(name, '/')) {
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%s", name);
        size_t n = strlen(file);
        if (n > 3 && (strcmp(file + n - 3, ".so") == 0 || strcmp(file + n - 3, ".la") == 0))
            file[n - 3] = '\0';
        d = open_symbol(l, file, QP_CODEBOOK_SYMBOL, "codebook plugin", path, err);
    } else {
        char stem[256];
        snprintf(stem, sizeof stem, "codebook_%s", name);
        d = find_module(l, stem, QP_CODEBOOK_SYMBOL, "codebook plugin", path, err);
    }
    if (!d)
        return NULL;
    if (check_abi(*path, QP_CODEBOOK_SYMBOL, "codebook.h", d->abi_major, d->abi_minor,
                  QP_CODEBOOK_ABI_MAJOR, QP_CODEBOOK_ABI_MINOR, err) < 0)
        return NULL;
    if (!d->name || !d->define || (d->match && !d->match_create)) {
        snprintf(err->message, sizeof err->message,
                 "%s: '%s' is incomplete: it needs a name and define(), and match_create() "
                 "when it has match(). Fix the module's descriptor",
                 *path, QP_CODEBOOK_SYMBOL);
        return NULL;
    }
    return d;
}

/* Keeps module files: stage_* and codebook_*, .la or .so. */
static int is_module_file(const char *name)
{
    size_t len = strlen(name);
    return (strncmp(name, "stage_", 6) == 0 || strncmp(name, "codebook_", 9) == 0) && len >= 4 &&
           (strcmp(name + len - 3, ".la") == 0 || strcmp(name + len - 3, ".so") == 0);
}

/* Returns the sorted module stems (stage_* and codebook_*) in dir; *n set. */
static char **module_stems(const char *dir, size_t *n)
{
    size_t n_files;
    qp_folder_entry *files = qp_list_folder(dir, is_module_file, &n_files);
    *n = 0;
    if (!files)
        return NULL;
    char **names = malloc((n_files ? n_files : 1) * sizeof *names);
    for (size_t i = 0; i < n_files; i++) { /* NAME.la and NAME.so are one module */
        char *name = files[i].name;
        name[strlen(name) - 3] = '\0';
        if (!names || (*n && strcmp(names[*n - 1], name) == 0))
            free(name);
        else
            names[(*n)++] = name;
    }
    free(files);
    return names;
}

/* Tries to open module `file` in a child process first, so that a module that
 * crashes as it loads (an abort in its constructor) cannot take `qualpipe
 * plugins` with it, and checks where it lies. Returns 0 when it may be opened
 * here; -1 with why filled when not. */
static int probe_module(const char *dir, const char *stem, const char *file, char *why, size_t size)
{
    if (qp_module_untrusted(dir, stem, why, size) < 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        lt_dladvise advise;
        lt_dladvise_init(&advise);
        lt_dladvise_ext(&advise);
        lt_dladvise_local(&advise);
        _exit(lt_dlopenadvise(file, advise) ? 0 : 1); /* an error is reported by the parent */
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
        return 0;
    snprintf(why, size, "%.700s: crashed while loading (%.100s); left out", file,
             strsignal(WTERMSIG(status)));
    return -1;
}

/* Closes the modules opened since there were `keep` of them. */
static void close_since(qp_loader *l, size_t keep)
{
    while (l->n_modules > keep) {
        loaded_module *m = &l->modules[--l->n_modules];
        lt_dlclose(m->handle);
        free(m->path);
    }
}

/* Fills m's version and description from the module at `file`, or m->problem
 * (err's message) when it crashes on loading, will not open or has another ABI.
 * Sets m->path to the file opened. */
static void describe_module(qp_loader *l, const char *dir, const char *stem, const char *file,
                            qp_module_info *m, qp_error *err)
{
    int is_stage = strcmp(m->kind, "stage") == 0;
    const char *path = file;
    if (probe_module(dir, stem, file, err->message, sizeof err->message) < 0) {
        m->problem = err->message;
    } else if (is_stage) {
        const qp_stage_descriptor *d = open_symbol(l, file, QP_STAGE_SYMBOL, "stage", &path, err);
        if (d && check_abi(path, QP_STAGE_SYMBOL, "stage.h", d->abi_major, d->abi_minor,
                           QP_STAGE_ABI_MAJOR, QP_STAGE_ABI_MINOR, err) == 0) {
            m->version = d->version;
            m->description = d->description;
        } else {
            m->problem = err->message;
        }
    } else {
        const qp_codebook_descriptor *d =
            open_symbol(l, file, QP_CODEBOOK_SYMBOL, "codebook plugin", &path, err);
        if (d && check_abi(path, QP_CODEBOOK_SYMBOL, "codebook.h", d->abi_major, d->abi_minor,
                           QP_CODEBOOK_ABI_MAJOR, QP_CODEBOOK_ABI_MINOR, err) == 0) {
            m->version = d->version;
            m->description = d->description;
        } else {
            m->problem = err->message;
        }
    }
    m->path = path;
}

/* The modules a listing has passed: stem and path, to name the one that
 * shadows a later module of the same name. */
typedef struct seen_modules {
    char **stem, **path;
    size_t n, cap;
} seen_modules;

/* Remembers stem at path. Returns 0, or -1 when out of memory. */
static int remember(seen_modules *s, const char *stem, const char *path)
{
    size_t cap = s->cap;
    if (qp_grow(&s->stem, &cap, s->n + 1, sizeof *s->stem, 32) < 0 ||
        qp_grow(&s->path, &s->cap, s->n + 1, sizeof *s->path, 32) < 0)
        return -1;
    if (!(s->stem[s->n] = strdup(stem)) || !(s->path[s->n] = strdup(path))) {
        free(s->stem[s->n]);
        return -1;
    }
    s->n++;
    return 0;
}

/* Lists every module in the search path; returns how many were found. Each is
 * opened to be described, and closed once visited. */
size_t qp_loader_list(qp_loader *l, void (*visit)(void *ud, const qp_module_info *m), void *ud)
{
    size_t found = 0;
    seen_modules seen = {0};
    for (size_t i = 0; i < l->n_dirs; i++) {
        size_t n;
        char **stems = module_stems(l->dirs[i], &n);
        for (size_t k = 0; k < n; k++) {
            char file[PATH_MAX];
            snprintf(file, sizeof file, "%s/%s", l->dirs[i], stems[k]);
            int is_stage = strncmp(stems[k], "stage_", 6) == 0;
            qp_module_info m = {.path = file,
                                .kind = is_stage ? "stage" : "codebook",
                                .name = stems[k] + (is_stage ? 6 : 9)};
            for (size_t s = 0; s < seen.n; s++)
                if (strcmp(seen.stem[s], stems[k]) == 0)
                    m.shadowed_by = seen.path[s];
            qp_error err;
            size_t open_before = l->n_modules;
            describe_module(l, l->dirs[i], stems[k], file, &m, &err);
            visit(ud, &m);
            found++;
            if (!m.shadowed_by)
                (void)remember(&seen, stems[k], m.path); /* no memory: a shadow goes unnamed */
            close_since(l, open_before);
        }
        for (size_t k = 0; k < n; k++)
            free(stems[k]);
        free(stems);
    }
    for (size_t s = 0; s < seen.n; s++) {
        free(seen.stem[s]);
        free(seen.path[s]);
    }
    free(seen.stem);
    free(seen.path);
    return found;
}
