/* qdpx_zip.h - the zip a REFI-QDA project travels in, through libzip: entries
 * read from an archive in memory, and an archive written beside its final path
 * and moved into place whole. */
#ifndef QP_QDPX_ZIP_H
#define QP_QDPX_ZIP_H

#include <stdio.h>
#include <sys/types.h>

#include <qualpipe/plugin.h>

/* ---- reading ---- */

typedef struct qdpx_archive qdpx_archive;

/* Opens the zip held in data[0, len) (which must outlive the archive). Returns
 * it, or NULL with err naming path and the reason. */
qdpx_archive *qdpx_archive_open(const char *path, const char *data, size_t len, qp_error *err);

/* Returns the name of the first entry outside any folder whose name ends in
 * `suffix` (case ignored), or NULL. Valid while the archive is open. */
const char *qdpx_archive_find(qdpx_archive *a, const char *suffix);

/* Reads entry `name` (case ignored) whole, with a NUL after it, into *data
 * (malloc'd) and *len. Returns 0; 1 when there is no such entry; -1 with err
 * when it cannot be read or holds more than max bytes. */
int qdpx_archive_read(qdpx_archive *a, const char *name, size_t max, char **data, size_t *len,
                      qp_error *err);

void qdpx_archive_close(qdpx_archive *a);

/* ---- writing ---- */

typedef struct qdpx_zip_out {
    void *zip; /* zip_t * */
    char *path, *tmp_path;
    long long mtime; /* every entry's time */
} qdpx_zip_out;

/* Starts an archive that will become path; only a regular file or a path that
 * does not exist may be replaced. Returns 0, or -1 with err. */
int qdpx_zip_create(qdpx_zip_out *z, const char *path, long long mtime, qp_error *err);

/* Adds entry `name` holding bytes [off, off + len) of the file open on fd, read
 * when the archive is written (fd must stay open until then). Returns 0, or -1
 * with err. */
int qdpx_zip_add_range(qdpx_zip_out *z, const char *name, int fd, off_t off, size_t len,
                       qp_error *err);

/* Writes the archive out under its temporary name. Returns 0, or -1 with err
 * (nothing is left behind). */
int qdpx_zip_close(qdpx_zip_out *z, qp_error *err);

/* Moves the written archive into place. Returns 0, or -1 with err. */
int qdpx_zip_publish(qdpx_zip_out *z, qp_error *err);

/* Drops the archive, written or not, leaving nothing behind. */
void qdpx_zip_abort(qdpx_zip_out *z);

#endif
