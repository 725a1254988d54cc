/* parts.c - the checkpoint folder's files (see parts.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parts.h"
#include "results/result.h"
#include "util/fileio.h"

char *ck_part_path(const char *dir, size_t k, const char *ext)
{
    size_t n = strlen(dir) + strlen(ext) + 32;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/part-%06zu.%s", dir, k, ext);
    return path;
}

/* Returns 1 for a file of the checkpoint: the manifest, a part, or the
 * temporary file of either. */
static int is_checkpoint_file(const char *name)
{
    return strncmp(name, "part-", 5) == 0 || strncmp(name, CK_MANIFEST, strlen(CK_MANIFEST)) == 0;
}

static int is_temporary(const char *name)
{
    const char *tmp = strstr(name, ".tmp.");
    return is_checkpoint_file(name) && tmp && strlen(tmp) == strlen(".tmp.XXXXXX");
}

/* Removes the files of dir that keep(name) accepts. */
static void remove_files(const char *dir, int (*keep)(const char *name))
{
    size_t n = 0;
    qp_folder_entry *e = qp_list_folder(dir, keep, &n);
    for (size_t i = 0; e && i < n; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e[i].name) < sizeof path)
            unlink(path);
        free(e[i].name);
    }
    free(e);
}

int ck_dir_prepare(const char *dir, qp_error *err)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err->message, sizeof err->message, "%s: cannot make the folder: %s", dir,
                 strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err->message, sizeof err->message, "%s: %s", dir,
                 errno && !S_ISREG(st.st_mode) ? strerror(errno) : "not a folder");
        return -1;
    }
    remove_files(dir, is_temporary);
    return 0;
}

int ck_dir_sync(const char *dir, qp_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot sync the folder: %s", dir,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Writes manifest to path whole. Returns 0, or -1 with err. */
static int write_manifest(const char *dir, const char *path, const json_t *manifest, qp_error *err)
{
    qp_atomic_file af;
    if (qp_atomic_open(&af, path, err) < 0)
        return -1;
    if (json_dumpf(manifest, af.fp, JSON_INDENT(2) | JSON_SORT_KEYS) < 0 ||
        fputc('\n', af.fp) == EOF) {
        snprintf(err->message, sizeof err->message, "%.800s: cannot write: %s", path,
                 strerror(errno));
        qp_atomic_abort(&af);
        return -1;
    }
    if (qp_atomic_commit(&af, err) < 0)
        return -1;
    return ck_dir_sync(dir, err);
}

/* Says in err which member of the two manifests differs first. */
static void explain(const json_t *mine, const json_t *theirs, const char *path, qp_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)mine, key, v)
    {
        if (json_equal(v, json_object_get(theirs, key)))
            continue;
        char *a = json_dumps(json_object_get(theirs, key), JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(err->message, sizeof err->message,
                 "%.300s is the checkpoint of another run: its %s is %.300s, this run's %.300s",
                 path, key, a ? a : "missing", b ? b : "?");
        free(a);
        free(b);
        return;
    }
    snprintf(err->message, sizeof err->message, "%.800s is the checkpoint of another run", path);
}

int ck_manifest_check(const char *dir, const json_t *manifest, qp_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, CK_MANIFEST);
    json_error_t jerr;
    json_t *old = json_load_file(path, 0, &jerr);
    if (!old && access(path, F_OK) != 0 && errno == ENOENT)
        return write_manifest(dir, path, manifest, err);
    if (!old) {
        snprintf(err->message, sizeof err->message, "%.800s:%d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    int same = json_equal(old, manifest);
    if (!same)
        explain(manifest, old, path, err);
    json_decref(old);
    return same ? 0 : 1;
}

json_t *ck_part_load(const char *dir, size_t k, int *missing, qp_error *err)
{
    *missing = 0;
    char *path = ck_part_path(dir, k, "json");
    if (!path) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    json_error_t jerr;
    json_t *part = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!part && access(path, F_OK) != 0 && errno == ENOENT)
        *missing = 1;
    else if (!part)
        snprintf(err->message, sizeof err->message, "%.800s:%d: %s", path, jerr.line, jerr.text);
    else if (qp_result_check(part, path, err) < 0) {
        json_decref(part);
        part = NULL;
    }
    free(path);
    return part;
}

void ck_parts_remove_from(const char *dir, size_t k, const char *joined)
{
    for (;; k++) {
        char *json = ck_part_path(dir, k, "json"),
             *hits = joined ? ck_part_path(dir, k, joined) : NULL;
        int gone = json && unlink(json) != 0 && errno == ENOENT;
        if (hits)
            unlink(hits);
        free(json);
        free(hits);
        if (gone || !json)
            return;
    }
}

void ck_dir_clear(const char *dir)
{
    remove_files(dir, is_checkpoint_file);
    rmdir(dir);
}
