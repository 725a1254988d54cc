/* qdpx_zip.c - libzip for the project archive. Entries are written from ranges
 * of files of our own by a small libzip source that reads with pread when the
 * archive is written, so a corpus never has to sit in memory. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "qdpx_zip.h"
#include "util/fileio.h"

struct qdpx_archive {
    zip_t *zip;
    const char *path;
};

qdpx_archive *qdpx_archive_open(const char *path, const char *data, size_t len, qp_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    qdpx_archive *a = calloc(1, sizeof *a);
    zip_source_t *src = a ? zip_source_buffer_create(data, len, 0, &ze) : NULL;
    if (src && !(a->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)))
        zip_source_free(src);
    if (!a || !a->zip) {
        snprintf(err->message, sizeof err->message, "%s: not a readable REFI-QDA project (%s)",
                 path, a ? zip_error_strerror(&ze) : "out of memory");
        zip_error_fini(&ze);
        free(a);
        return NULL;
    }
    zip_error_fini(&ze);
    a->path = path;
    return a;
}

const char *qdpx_archive_find(qdpx_archive *a, const char *suffix)
{
    zip_int64_t n = zip_get_num_entries(a->zip, 0);
    size_t m = strlen(suffix);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(a->zip, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        size_t k = name ? strlen(name) : 0;
        if (k > m && !strchr(name, '/') && strcasecmp(name + k - m, suffix) == 0)
            return name;
    }
    return NULL;
}

int qdpx_archive_read(qdpx_archive *a, const char *name, size_t max, char **data, size_t *len,
                      qp_error *err)
{
    zip_int64_t i = zip_name_locate(a->zip, name, ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
    if (i < 0)
        return 1;
    zip_stat_t st;
    if (zip_stat_index(a->zip, (zip_uint64_t)i, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
        snprintf(err->message, sizeof err->message, "%s: %s: unreadable entry: %s", a->path, name,
                 zip_strerror(a->zip));
        return -1;
    }
    if (st.size > max) {
        snprintf(err->message, sizeof err->message,
                 "%s: %s: %llu bytes unpacked, over the limit of %zu", a->path, name,
                 (unsigned long long)st.size, max);
        return -1;
    }
    zip_file_t *f = zip_fopen_index(a->zip, (zip_uint64_t)i, 0);
    char *buf = malloc((size_t)st.size + 1);
    zip_int64_t got = f && buf ? zip_fread(f, buf, st.size) : -1;
    if (got != (zip_int64_t)st.size) {
        snprintf(err->message, sizeof err->message, "%s: %s: cannot unpack: %s", a->path, name,
                 f ? zip_file_strerror(f) : zip_strerror(a->zip));
        free(buf);
        if (f)
            zip_fclose(f);
        return -1;
    }
    zip_fclose(f);
    buf[st.size] = '\0';
    *data = buf;
    *len = (size_t)st.size;
    return 0;
}

void qdpx_archive_close(qdpx_archive *a)
{
    if (!a)
        return;
    zip_discard(a->zip);
    free(a);
}

/* ---- writing ---- */

/* The bytes of one entry: a range of a file read with pread. */
typedef struct range_source {
    int fd;
    off_t off;
    size_t len, pos;
    time_t mtime;
    zip_error_t error;
} range_source;

/* libzip's callback for a range_source: returns what each command asks for,
 * or -1 with the error kept for ZIP_SOURCE_ERROR. */
static zip_int64_t range_callback(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    range_source *r = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        r->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        size_t want = r->len - r->pos < len ? r->len - r->pos : (size_t)len;
        ssize_t got = want ? pread(r->fd, data, want, r->off + (off_t)r->pos) : 0;
        if (got < 0 || (size_t)got != want) {
            zip_error_set(&r->error, ZIP_ER_READ, got < 0 ? errno : EIO);
            return -1;
        }
        r->pos += want;
        return (zip_int64_t)want;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = r->len;
        st->mtime = r->mtime;
        st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&r->error, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&r->error);
        free(r);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        zip_error_set(&r->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

int qdpx_zip_create(qdpx_zip_out *z, const char *path, long long mtime, qp_error *err)
{
    memset(z, 0, sizeof *z);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err->message, sizeof err->message,
                 "%.700s: not a regular file; a project is written to a file of its own (never "
                 "over a device, a FIFO or a folder)",
                 path);
        return -1;
    }
    z->mtime = mtime;
    if (!(z->path = qp_replace_path(path, err)))
        return -1;
    int fd = qp_temp_beside(z->path, &z->tmp_path, err);
    if (fd < 0) {
        qdpx_zip_abort(z);
        return -1;
    }
    close(fd);
    int ze = 0;
    if (!(z->zip = zip_open(z->tmp_path, ZIP_CREATE | ZIP_TRUNCATE, &ze))) {
        zip_error_t e;
        zip_error_init_with_code(&e, ze);
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", path,
                 zip_error_strerror(&e));
        zip_error_fini(&e);
        qdpx_zip_abort(z);
        return -1;
    }
    return 0;
}

int qdpx_zip_add_range(qdpx_zip_out *z, const char *name, int fd, off_t off, size_t len,
                       qp_error *err)
{
    range_source *r = calloc(1, sizeof *r);
    zip_source_t *src = NULL;
    if (r) {
        *r = (range_source){.fd = fd, .off = off, .len = len, .mtime = (time_t)z->mtime};
        zip_error_init(&r->error);
        if (!(src = zip_source_function(z->zip, range_callback, r))) {
            zip_error_fini(&r->error);
            free(r);
        }
    }
    zip_int64_t i = src ? zip_file_add(z->zip, name, src, ZIP_FL_ENC_UTF_8) : -1;
    if (i < 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot add %s: %s", z->path, name,
                 src ? zip_strerror(z->zip) : "out of memory");
        zip_source_free(src);
        return -1;
    }
    zip_file_set_mtime(z->zip, (zip_uint64_t)i, (time_t)z->mtime, 0);
    /* Deflate's fastest level: two thirds of an export went to the default
     * level, which saves a few per cent of the size. */
    zip_set_file_compression(z->zip, (zip_uint64_t)i, ZIP_CM_DEFLATE, 1);
    return 0;
}

int qdpx_zip_close(qdpx_zip_out *z, qp_error *err)
{
    if (zip_close(z->zip) < 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", z->path,
                 zip_strerror(z->zip));
        qdpx_zip_abort(z);
        return -1;
    }
    z->zip = NULL;
    return 0;
}

int qdpx_zip_publish(qdpx_zip_out *z, qp_error *err)
{
    if (rename(z->tmp_path, z->path) != 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", z->path,
                 strerror(errno));
        qdpx_zip_abort(z);
        return -1;
    }
    free(z->tmp_path);
    free(z->path);
    z->tmp_path = z->path = NULL;
    return 0;
}

void qdpx_zip_abort(qdpx_zip_out *z)
{
    if (z->zip)
        zip_discard(z->zip);
    z->zip = NULL;
    if (z->tmp_path)
        unlink(z->tmp_path);
    free(z->tmp_path);
    free(z->path);
    z->tmp_path = z->path = NULL;
}
