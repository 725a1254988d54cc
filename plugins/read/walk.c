/* walk.c - the folder walk (see walk.h). */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "read.h"
#include "util/fileio.h"
#include "util/grow.h"
#include "walk.h"

#define MAX_DEPTH 64

void walk_free(walk_state *w)
{
    free(w->dev);
    free(w->ino);
    free(w->used);
    memset(w, 0, sizeof *w);
}

/* Counts one entry passed over. */
static void passed_over(walk_state *w, int kind, const char *path)
{
    if (w->passed[kind]++ == 0)
        snprintf(w->first[kind], sizeof w->first[kind], "%s", path);
}

/* Returns the slot of (dev, ino) in the table of what was met: its own, or the
 * empty one it would take. */
static size_t met_slot(const walk_state *w, dev_t dev, ino_t ino)
{
    size_t mask = w->cap - 1;
    uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)ino * 0xc4ceb9fe1a85ec53ull);
    for (size_t i = (size_t)(h ^ (h >> 29)) & mask;; i = (i + 1) & mask)
        if (!w->used[i] || (w->dev[i] == dev && w->ino[i] == ino))
            return i;
}

/* Doubles the table. Returns 0, or -1 when out of memory. */
static int grow_met(walk_state *w)
{
    walk_state bigger = *w;
    bigger.cap = w->cap ? 2 * w->cap : 256;
    bigger.dev = calloc(bigger.cap, sizeof *bigger.dev);
    bigger.ino = calloc(bigger.cap, sizeof *bigger.ino);
    bigger.used = calloc(bigger.cap, 1);
    if (!bigger.dev || !bigger.ino || !bigger.used) {
        free(bigger.dev);
        free(bigger.ino);
        free(bigger.used);
        return -1;
    }
    for (size_t i = 0; i < w->cap; i++)
        if (w->used[i]) {
            size_t k = met_slot(&bigger, w->dev[i], w->ino[i]);
            bigger.dev[k] = w->dev[i];
            bigger.ino[k] = w->ino[i];
            bigger.used[k] = 1;
        }
    free(w->dev);
    free(w->ino);
    free(w->used);
    *w = bigger;
    return 0;
}

/* Returns 1 when the file or folder st was met before in this run (and marks it
 * met), 0 when not, -1 when out of memory. */
static int met_before(walk_state *w, const struct stat *st)
{
    if (2 * (w->n_met + 1) > w->cap && grow_met(w) < 0)
        return -1;
    size_t k = met_slot(w, st->st_dev, st->st_ino);
    if (w->used[k])
        return 1;
    w->dev[k] = st->st_dev;
    w->ino[k] = st->st_ino;
    w->used[k] = 1;
    w->n_met++;
    return 0;
}

/* Counts a regular file no reader takes, by its extension, unless it is the
 * --meta file. */
static void not_read(walk_state *w, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    struct stat st;
    if (w->meta_base && strcmp(base, w->meta_base) == 0 && stat(path, &st) == 0 &&
        st.st_dev == w->meta_dev && st.st_ino == w->meta_ino)
        return;
    const char *dot = strrchr(base, '.');
    char ext[16] = "";
    for (size_t i = 0; dot && dot != base && dot[i] && i + 1 < sizeof ext; i++)
        ext[i] = (char)tolower((unsigned char)dot[i]);
    unread *u = &w->unread;
    u->total++;
    for (size_t k = 0; k < u->kinds; k++)
        if (strcmp(u->ext[k], ext) == 0) {
            u->count[k]++;
            return;
        }
    if (u->kinds == MAX_EXTENSIONS) {
        u->others++;
        return;
    }
    snprintf(u->ext[u->kinds], sizeof u->ext[u->kinds], "%s", ext);
    u->count[u->kinds++] = 1;
}

void walk_note_meta(walk_state *w, const char *meta_path)
{
    struct stat st;
    if (!meta_path || stat(meta_path, &st) != 0)
        return;
    const char *base = strrchr(meta_path, '/');
    w->meta_base = base ? base + 1 : meta_path;
    w->meta_dev = st.st_dev;
    w->meta_ino = st.st_ino;
}

/* Keeps the entries a walk looks at: all but hidden ones. */
static int not_hidden(const char *name)
{
    return name[0] != '.';
}

static int walk(read_ctx *r, const char *dir, size_t root_len, int depth);

/* Reads one entry of a folder, of the type the folder gave (a DT_ value).
 * Returns 0 or -1 (stop). */
static int walk_entry(read_ctx *r, const char *path, unsigned char type, size_t root_len, int depth)
{
    walk_state *w = &r->walk;
    int is_text = read_ends_with(path, ".txt"), is_records = read_is_jsonl(path);
    if (type == DT_REG && !is_text && !is_records) {
        not_read(w, path);
        return 0;
    }
    char id[4096]; /* a text file's id: its path below the folder given, without .txt */
    snprintf(id, sizeof id, "%.*s", (int)(strlen(path) - root_len - (is_text ? 4 : 0)),
             path + root_len);
    /* A regular text file needs no look of its own: without links it has one
     * path, and the worker that reads it opens it without blocking and checks
     * that it is still a regular file. */
    if (type == DT_REG && is_text && !r->follow_links)
        return read_text_file(r, path, id, 1);
    struct stat lst, st;
    if (lstat(path, &lst) < 0)
        return read_emit_skipped(r, path, id, strerror(errno));
    st = lst; /* only a link needs a second look, at what it names */
    int st_failed = S_ISLNK(lst.st_mode) && stat(path, &st) < 0; /* (a link to nothing) */
    if (st_failed && (is_text || is_records))
        return read_emit_skipped(r, path, id, strerror(errno));
    if (st_failed || (!S_ISDIR(st.st_mode) && !is_text && !is_records)) {
        if (!st_failed && S_ISREG(st.st_mode) && !S_ISLNK(lst.st_mode))
            not_read(w, path);
        return 0; /* not ours */
    }
    if (S_ISLNK(lst.st_mode) && !r->follow_links) {
        passed_over(w, PASSED_LINK, path);
        return 0;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        passed_over(w, PASSED_SPECIAL, path);
        return 0;
    }
    /* Without links a file has one path; with them, a file or folder reached a
     * second way is not read again. */
    int again = S_ISDIR(st.st_mode) || r->follow_links ? met_before(w, &st) : 0;
    if (again < 0) {
        r->status = QP_ERR_NOMEM;
        r->stop = 1;
        return -1;
    }
    if (again) {
        passed_over(w, PASSED_AGAIN, path);
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return walk(r, path, root_len, depth + 1);
    return is_records ? read_jsonl_file(r, path) : read_text_file(r, path, id, 1);
}

/* Reads folder dir, depth folders below the input. Returns 0 or -1 (stop). */
static int walk(read_ctx *r, const char *dir, size_t root_len, int depth)
{
    if (depth > MAX_DEPTH)
        return read_emit_skipped(r, dir, dir, "folders nested more than 64 deep");
    size_t n;
    qp_folder_entry *entries = qp_list_folder(dir, not_hidden, &n);
    if (!entries)
        return read_emit_skipped(r, dir, dir, strerror(errno));
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, entries[i].name);
            rc = walk_entry(r, path, entries[i].type, root_len, depth);
        }
        free(entries[i].name);
    }
    free(entries);
    return rc;
}

int walk_folder(read_ctx *r, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0 && met_before(&r->walk, &st) > 0) {
        passed_over(&r->walk, PASSED_AGAIN, dir);
        return 0;
    }
    size_t before = r->emitted, unread_before = r->walk.unread.total;
    int rc = walk(r, dir, strlen(dir) + 1, 0);
    if (rc == 0 && r->emitted == before) {
        /* Nothing from this folder: a failure to say in the result, not a quiet 0. */
        char why[256];
        size_t others = r->walk.unread.total - unread_before;
        snprintf(why, sizeof why,
                 "no .txt, .jsonl or .ndjson file in this folder, so nothing to code from it%s",
                 others ? " (its other files: see the line \"not read\")" : "");
        rc = read_emit_skipped(r, dir, dir, why);
    }
    return rc;
}

void walk_report(read_ctx *r)
{
    const walk_state *w = &r->walk;
    static const char *const what[N_PASSED][3] = {
        {"symbolic link", "symbolic links", "give --follow-links to read what links point to"},
        {"FIFO, device or socket", "FIFOs, devices or sockets",
         "only regular files are read from folders"},
        {"folder or file reached a second time", "folders or files reached a second time",
         "each is read once"},
    };
    for (int k = 0; k < N_PASSED; k++)
        if (w->passed[k])
            r->host->warn(STAGE, "passed over %zu %s (the first: %s): %s", w->passed[k],
                          what[k][w->passed[k] == 1 ? 0 : 1], w->first[k], what[k][2]);
    const unread *u = &w->unread;
    if (!u->total)
        return;
    char list[1024] = "";
    size_t used = 0;
    for (size_t k = 0; k < u->kinds && used < sizeof list; k++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%zu %s", k ? ", " : "",
                                 u->count[k], u->ext[k][0] ? u->ext[k] : "without an extension");
    if (u->others && used < sizeof list)
        snprintf(list + used, sizeof list - used, ", %zu of other kinds", u->others);
    r->host->warn(STAGE,
                  "not read: %s (no reader for these: qualpipe reads .txt, .jsonl and .ndjson "
                  "files)",
                  list);
}
