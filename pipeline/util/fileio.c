/* fileio.c - whole-file reads and temporary-file-and-rename writes. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "grow.h"

static int compare_names(const void *a, const void *b)
{
    return strcmp(((const qp_folder_entry *)a)->name, ((const qp_folder_entry *)b)->name);
}

qp_folder_entry *qp_list_folder(const char *dir, int (*keep)(const char *name), size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    qp_folder_entry *entries = NULL;
    size_t cap = 0;
    struct dirent *e;
    *n = 0;
    while ((e = readdir(d))) {
        if (!keep(e->d_name))
            continue;
        char *copy = strdup(e->d_name);
        if (!copy || qp_grow(&entries, &cap, *n + 1, sizeof *entries, 64) < 0) {
            free(copy);
            break;
        }
        entries[(*n)++] = (qp_folder_entry){copy, e->d_type};
    }
    closedir(d);
    if (!entries)
        entries = calloc(1, sizeof *entries);
    qsort(entries, *n, sizeof *entries, compare_names);
    return entries;
}

/* Returns 0 with the file's bytes, or -1 with err filled. */
int qp_read_file(const char *path, size_t max, char **data, size_t *len, qp_error *err)
{
    return qp_read_file_as(path, max, 0, data, len, err);
}

int qp_read_file_as(const char *path, size_t max, int regular_only, char **data, size_t *len,
                    qp_error *err)
{
    /* Opened without blocking, so a FIFO without a writer cannot hang the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) < 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = "is a directory";
    else if (regular_only && !S_ISREG(st.st_mode))
        why = "not a regular file (a FIFO, a device or a socket), so not read";
    if (why) {
        snprintf(err->message, sizeof err->message, "%s: cannot read: %s", path, why);
        close(fd);
        return -1;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) { /* refused before reading */
        snprintf(err->message, sizeof err->message, "%s: larger than the limit of %zu bytes", path,
                 max);
        close(fd);
        return -1;
    }
    /* O_NONBLOCK means nothing to a regular file; anything else is read whole. */
    if (!S_ISREG(st.st_mode))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    /* A regular file is read in one call: asked for a byte more than its size, a
     * read that returns less has met the end. */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 2 : 4096, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n + 1 >= cap || !buf) {
            if (buf)
                cap = cap > max / 2 ? max + 2 : 2 * cap;
            char *p = realloc(buf, cap);
            if (!p) {
                snprintf(err->message, sizeof err->message, "%s: out of memory", path);
                goto fail;
            }
            buf = p;
        }
        size_t asked = cap - n - 1;
        ssize_t r = read(fd, buf + n, asked);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err->message, sizeof err->message, "%s: read error: %s", path,
                     strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            snprintf(err->message, sizeof err->message, "%s: larger than the limit of %zu bytes",
                     path, max);
            goto fail;
        }
        if (S_ISREG(st.st_mode) && (size_t)r < asked)
            break; /* a short read of a regular file: the end */
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
fail:
    free(buf);
    close(fd);
    return -1;
}

/* Returns 0 with a temporary file open for writing, or -1 with err filled. */
/* Opens a path that is not a regular file (a device, a FIFO, a terminal) to be
 * written in place: such a path is never replaced. Returns 0, or -1 with err. */
static int open_in_place(qp_atomic_file *af, const char *path, const struct stat *st, qp_error *err)
{
    if (S_ISDIR(st->st_mode)) {
        snprintf(err->message, sizeof err->message, "%s: is a folder; name a file to write", path);
        return -1;
    }
    if (!(af->final_path = strdup(path)) || !(af->fp = fopen(path, "w"))) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", path,
                 af->final_path ? strerror(errno) : "out of memory");
        qp_atomic_abort(af);
        return -1;
    }
    return 0;
}

int qp_temp_beside(const char *path, char **tmp_path, qp_error *err)
{
    size_t n = strlen(path);
    *tmp_path = malloc(n + sizeof ".tmp.XXXXXX");
    if (!*tmp_path) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return -1;
    }
    memcpy(*tmp_path, path, n);
    memcpy(*tmp_path + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(*tmp_path);
    if (fd < 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot create: %s", path, strerror(errno));
        free(*tmp_path);
        *tmp_path = NULL;
        return -1;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; give the usual mode */
    return fd;
}

char *qp_replace_path(const char *path, qp_error *err)
{
    struct stat st;
    char *p = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : strdup(path);
    if (!p)
        snprintf(err->message, sizeof err->message, "%s: %s", path,
                 errno == ENOENT ? "a symbolic link to a file that does not exist; name the file "
                                   "itself"
                                 : strerror(errno));
    return p;
}

int qp_atomic_open(qp_atomic_file *af, const char *path, qp_error *err)
{
    memset(af, 0, sizeof *af);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return open_in_place(af, path, &st, err);
    af->final_path = qp_replace_path(path, err);
    int fd = af->final_path ? qp_temp_beside(af->final_path, &af->tmp_path, err) : -1;
    if (fd < 0) {
        qp_atomic_abort(af);
        return -1;
    }
    af->fp = fdopen(fd, "w");
    if (!af->fp) {
        close(fd);
        snprintf(err->message, sizeof err->message, "%s: %s", path, strerror(errno));
        qp_atomic_abort(af);
        return -1;
    }
    return 0;
}

/* Returns 0 once the file is in place, or -1 with err filled and nothing at path. */
int qp_atomic_close(qp_atomic_file *af, qp_error *err)
{
    int in_place = af->tmp_path == NULL; /* a device or FIFO: no sync, no rename */
    int bad = fflush(af->fp) != 0 || ferror(af->fp) || (!in_place && fsync(fileno(af->fp)) != 0);
    int saved = errno;
    int close_failed = fclose(af->fp) != 0;
    af->fp = NULL;
    if (!bad && !close_failed)
        return 0;
    snprintf(err->message, sizeof err->message, "%s: cannot write: %s", af->final_path,
             strerror(bad ? saved : errno));
    qp_atomic_abort(af);
    return -1;
}

int qp_atomic_publish(qp_atomic_file *af, qp_error *err)
{
    if (af->tmp_path && rename(af->tmp_path, af->final_path) != 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", af->final_path,
                 strerror(errno));
        qp_atomic_abort(af);
        return -1;
    }
    free(af->tmp_path);
    free(af->final_path);
    af->tmp_path = af->final_path = NULL;
    return 0;
}

int qp_atomic_commit(qp_atomic_file *af, qp_error *err)
{
    return qp_atomic_close(af, err) < 0 ? -1 : qp_atomic_publish(af, err);
}

void qp_atomic_abort(qp_atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path)
        unlink(af->tmp_path);
    free(af->tmp_path);
    free(af->final_path);
    memset(af, 0, sizeof *af);
}
