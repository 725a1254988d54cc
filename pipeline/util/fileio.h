/* fileio.h - whole-file reads and all-or-nothing writes. */
#ifndef QP_FILEIO_H
#define QP_FILEIO_H

#include <stddef.h>
#include <stdio.h>

#include <qualpipe/plugin.h>

/* Reads the whole file at path (at most max bytes: a larger regular file is
 * refused before a byte is read) into a malloc'd buffer with a NUL after the
 * data. Returns 0, or -1 with err saying "PATH: reason". */
int qp_read_file(const char *path, size_t max, char **data, size_t *len, qp_error *err);
/* As qp_read_file; with regular_only, a FIFO, device or socket is refused
 * without being read (so a FIFO found in a folder cannot hang the reader). */
int qp_read_file_as(const char *path, size_t max, int regular_only, char **data, size_t *len,
                    qp_error *err);

/* An entry of a folder: its name, and its type as the folder gives it (DT_REG,
 * DT_DIR, DT_LNK..., DT_UNKNOWN where the file system does not say). */
typedef struct qp_folder_entry {
    char *name;
    unsigned char type;
} qp_folder_entry;

/* Returns the entries of folder dir whose names keep(name) accepts, sorted by
 * strcmp of the names (the caller frees each name and the array), with their
 * number in *n; NULL with errno set when the folder cannot be read. */
qp_folder_entry *qp_list_folder(const char *dir, int (*keep)(const char *name), size_t *n);

/* Makes a new file with a name of its own beside path (path.tmp.XXXXXX, by
 * mkstemp: never an existing file, never a predictable name), with the usual
 * mode. Returns its descriptor with *tmp_path set (the caller frees it), or -1
 * with err filled. */
int qp_temp_beside(const char *path, char **tmp_path, qp_error *err);

/* Returns (malloc'd) the path a rename must replace to write path: path itself,
 * or, when it is a symbolic link, the file it leads to, so the link stays a link
 * (-o /dev/stdout > file writes file). NULL with err when a link leads to no
 * file, or out of memory. */
char *qp_replace_path(const char *path, qp_error *err);

/* A file being written under a temporary name beside its final one; or, when
 * the path names a device, a FIFO or a terminal, that path written in place
 * (tmp_path NULL): only a regular file is ever replaced. */
typedef struct qp_atomic_file {
    FILE *fp;
    char *final_path;
    char *tmp_path;
} qp_atomic_file;

/* Opens a temporary file in the directory of path, or the path itself when it
 * exists and is not a regular file. Returns 0, or -1 with err (a folder is
 * refused). */
int qp_atomic_open(qp_atomic_file *af, const char *path, qp_error *err);
/* Flushes, syncs and closes the file, still under its temporary name, so that
 * several files can be written out before any is published. Returns 0, or -1
 * with err (the temporary file is removed). */
int qp_atomic_close(qp_atomic_file *af, qp_error *err);
/* Renames a closed file into place. Returns 0, or -1 with err (the temporary
 * file is removed and nothing appears at path). */
int qp_atomic_publish(qp_atomic_file *af, qp_error *err);
/* qp_atomic_close, then qp_atomic_publish. Returns 0, or -1 with err. */
int qp_atomic_commit(qp_atomic_file *af, qp_error *err);
/* Removes the temporary file without publishing it. */
void qp_atomic_abort(qp_atomic_file *af);

#endif
