/* doctable.c - per-document rows in sorted runs on a temporary file (see
 * doctable.h). A row is stored as [id length][row length][id][NUL][row], the
 * lengths as native 32-bit numbers. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctable.h"
#include "util/grow.h"
#include "util/hash.h"

#ifndef BUFFER_BYTES
#define BUFFER_BYTES ((size_t)2 << 20) /* rows gathered before a run is written */
#endif
#define BLOCK 256                      /* rows per block of a run's index */
#define BLOOM_BITS ((uint64_t)1 << 24) /* 2 MiB, whatever the corpus */
#define BLOOM_K 7
#define READ_CHUNK ((size_t)16 << 10)

/* One sorted run in the file: where it is, and the first id of every block. */
typedef struct run {
    off_t start, end;
    off_t *block_start; /* file offset of each block's first row */
    char **block_id;    /* each block's first id */
    size_t n_blocks;
} run;

struct doctable {
    char *arena; /* the buffer's rows */
    size_t used, arena_cap;
    uint32_t *rows; /* offsets of the buffer's rows in the arena */
    size_t n_rows, rows_cap;
    uint32_t *slots; /* hash table of the buffer's rows: row index + 1, 0 empty */
    size_t slots_cap;
    unsigned char *bloom;
    run *runs;
    size_t n_runs, runs_cap;
    int fd; /* the temporary file, -1 until the first run */
    off_t file_end;
    size_t count;
};

static uint32_t row_id_len(const char *row)
{
    uint32_t n;
    memcpy(&n, row, 4);
    return n;
}

static uint32_t row_len(const char *row)
{
    uint32_t n;
    memcpy(&n, row + 4, 4);
    return n;
}

static const char *row_id(const char *row)
{
    return row + 8;
}

static size_t row_bytes(const char *row)
{
    return 8 + (size_t)row_id_len(row) + 1 + row_len(row);
}

doctable *doctable_new(void)
{
    doctable *t = calloc(1, sizeof *t);
    /* The buffer is made whole here, on the thread that starts the run: made on a
     * worker and grown by doubling, it and its old copies would pin that
     * worker's heap, which would then grow with the corpus. */
    if (t && (!(t->bloom = calloc(BLOOM_BITS / 8, 1)) || !(t->arena = malloc(BUFFER_BYTES)))) {
        free(t->bloom);
        free(t);
        return NULL;
    }
    if (t)
        t->arena_cap = BUFFER_BYTES;
    if (t)
        t->fd = -1;
    return t;
}

void doctable_free(doctable *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->n_runs; r++) {
        for (size_t b = 0; b < t->runs[r].n_blocks; b++)
            free(t->runs[r].block_id[b]);
        free(t->runs[r].block_id);
        free(t->runs[r].block_start);
    }
    if (t->fd >= 0)
        close(t->fd);
    free(t->runs);
    free(t->arena);
    free(t->rows);
    free(t->slots);
    free(t->bloom);
    free(t);
}

size_t doctable_count(const doctable *t)
{
    return t->count;
}

/* Returns 1 when every Bloom bit of hash h is set; sets them when `set`. */
static int bloom(doctable *t, uint64_t h, int set)
{
    uint64_t h1 = h & 0xffffffffu, h2 = (h >> 32) | 1;
    int all = 1;
    for (uint64_t i = 0; i < BLOOM_K; i++) {
        uint64_t bit = (h1 + i * h2) & (BLOOM_BITS - 1);
        all &= (t->bloom[bit >> 3] >> (bit & 7)) & 1;
        if (set)
            t->bloom[bit >> 3] |= (unsigned char)(1u << (bit & 7));
    }
    return all;
}

/* Returns the slot for id in the buffer's hash table: its row, or an empty one. */
static uint32_t *buffer_slot(const doctable *t, const char *id, uint64_t h)
{
    size_t mask = t->slots_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t *s = &t->slots[i];
        if (!*s || strcmp(row_id(t->arena + t->rows[*s - 1]), id) == 0)
            return s;
    }
}

/* Rebuilds the buffer's hash table with room for twice its rows. Returns 0, or
 * -1 when out of memory. */
static int rehash(doctable *t)
{
    size_t cap = 1024;
    while (cap < 4 * (t->n_rows + 1))
        cap *= 2;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    free(t->slots);
    t->slots = slots;
    t->slots_cap = cap;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *id = row_id(t->arena + t->rows[r]);
        *buffer_slot(t, id, qp_hash_string(id)) = (uint32_t)r + 1;
    }
    return 0;
}

static int compare_rows(const void *a, const void *b, void *arena)
{
    return strcmp(row_id((const char *)arena + *(const uint32_t *)a),
                  row_id((const char *)arena + *(const uint32_t *)b));
}

/* Writes all of buf[0, n) at the end of the file. Returns 0, or -1 (errno set). */
static int write_all(doctable *t, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = pwrite(t->fd, buf, n, t->file_end);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
        t->file_end += w;
    }
    return 0;
}

/* Opens the temporary file, removed at once so nothing is left behind. Returns 0,
 * or -1 with err filled. */
static int open_file(doctable *t, qp_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/qualpipe-rows.XXXXXX", dir && *dir ? dir : "/tmp");
    if ((t->fd = mkstemp(path)) < 0) {
        snprintf(err->message, sizeof err->message,
                 "%.600s: cannot make a temporary file for the documents' rows: %s (set TMPDIR "
                 "to a folder with room)",
                 path, strerror(errno));
        return -1;
    }
    unlink(path);
    return 0;
}

/* Records the blocks of a run being written: row r starts at file offset `at`.
 * Returns 0, or -1 when out of memory. */
static int index_row(run *rn, size_t r, off_t at, const char *id, size_t *cap)
{
    if (r % BLOCK)
        return 0;
    size_t b = rn->n_blocks;
    size_t cap_ids = *cap;
    if (qp_grow(&rn->block_start, cap, b + 1, sizeof *rn->block_start, 16) < 0 ||
        qp_grow(&rn->block_id, &cap_ids, b + 1, sizeof *rn->block_id, 16) < 0 ||
        !(rn->block_id[b] = strdup(id)))
        return -1;
    *cap = cap_ids;
    rn->block_start[b] = at;
    rn->n_blocks++;
    return 0;
}

/* Writes the buffer as one sorted run and empties it. Returns QP_OK, QP_ERR_NOMEM
 * or QP_ERR_IO with err filled. */
static int spill(doctable *t, qp_error *err)
{
    if (t->fd < 0 && open_file(t, err) < 0)
        return QP_ERR_IO;
    if (qp_grow(&t->runs, &t->runs_cap, t->n_runs + 1, sizeof *t->runs, 8) < 0)
        return QP_ERR_NOMEM;
    if (t->n_rows > 1)
        qsort_r(t->rows, t->n_rows, sizeof *t->rows, compare_rows, t->arena);
    run *rn = &t->runs[t->n_runs++];
    memset(rn, 0, sizeof *rn);
    rn->start = t->file_end;
    size_t cap = 0;
    char *out = malloc(READ_CHUNK);
    size_t n_out = 0;
    int rc = out ? QP_OK : QP_ERR_NOMEM;
    for (size_t r = 0; r < t->n_rows && rc == QP_OK; r++) {
        const char *row = t->arena + t->rows[r];
        size_t n = row_bytes(row);
        if (n_out + n > READ_CHUNK) {
            if (write_all(t, out, n_out) < 0)
                rc = QP_ERR_IO;
            n_out = 0;
        }
        if (rc == QP_OK && index_row(rn, r, t->file_end + (off_t)n_out, row_id(row), &cap) < 0)
            rc = QP_ERR_NOMEM;
        if (rc == QP_OK && n > READ_CHUNK) {
            if (write_all(t, row, n) < 0)
                rc = QP_ERR_IO;
        } else if (rc == QP_OK) {
            memcpy(out + n_out, row, n);
            n_out += n;
        }
    }
    if (rc == QP_OK && write_all(t, out, n_out) < 0)
        rc = QP_ERR_IO;
    free(out);
    if (rc == QP_ERR_IO)
        snprintf(err->message, sizeof err->message,
                 "cannot write the documents' rows to a temporary file: %s (set TMPDIR to a "
                 "folder with room)",
                 strerror(errno));
    rn->end = t->file_end;
    t->used = t->n_rows = 0;
    if (t->slots)
        memset(t->slots, 0, t->slots_cap * sizeof *t->slots);
    return rc;
}

int doctable_add(doctable *t, const char *id, const char *row, size_t len, qp_error *err)
{
    size_t id_len = strlen(id), n = 8 + id_len + 1 + len;
    if (id_len > UINT32_MAX / 2 || len > UINT32_MAX / 2)
        return QP_ERR_NOMEM;
    if (t->used + n > BUFFER_BYTES && t->n_rows) {
        int rc = spill(t, err);
        if (rc != QP_OK)
            return rc;
    }
    if (qp_grow(&t->arena, &t->arena_cap, t->used + n, 1, BUFFER_BYTES) < 0 ||
        qp_grow(&t->rows, &t->rows_cap, t->n_rows + 1, sizeof *t->rows, 1024) < 0 ||
        (4 * (t->n_rows + 1) > t->slots_cap && rehash(t) < 0))
        return QP_ERR_NOMEM;
    uint32_t lens[2] = {(uint32_t)id_len, (uint32_t)len};
    char *dst = t->arena + t->used;
    memcpy(dst, lens, 8);
    memcpy(dst + 8, id, id_len + 1);
    memcpy(dst + 9 + id_len, row, len);
    t->rows[t->n_rows] = (uint32_t)t->used;
    t->used += n;
    uint64_t h = qp_hash_string(id);
    *buffer_slot(t, id, h) = (uint32_t)++t->n_rows;
    bloom(t, h, 1);
    t->count++;
    return QP_OK;
}

/* Returns 1 when run rn holds id, 0 when not, -1 on a read error. */
static int run_has(const doctable *t, const run *rn, const char *id)
{
    size_t lo = 0, hi = rn->n_blocks; /* the last block whose first id <= id */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(rn->block_id[mid], id) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    off_t from = rn->block_start[lo - 1], to = lo < rn->n_blocks ? rn->block_start[lo] : rn->end;
    char *buf = malloc((size_t)(to - from));
    if (!buf || pread(t->fd, buf, (size_t)(to - from), from) != to - from) {
        free(buf);
        return -1;
    }
    int found = 0;
    for (size_t at = 0; at < (size_t)(to - from) && !found; at += row_bytes(buf + at))
        found = strcmp(row_id(buf + at), id) == 0;
    free(buf);
    return found;
}

int doctable_has(doctable *t, const char *id)
{
    uint64_t h = qp_hash_string(id);
    if (!bloom(t, h, 0))
        return 0;
    if (t->slots_cap && *buffer_slot(t, id, h))
        return 1;
    for (size_t r = 0; r < t->n_runs; r++) {
        int rc = run_has(t, &t->runs[r], id);
        if (rc)
            return rc;
    }
    return 0;
}

/* Reads one run back, row by row, through a buffer. */
typedef struct reader {
    off_t pos, end;
    char *buf;
    size_t cap, len, at;
} reader;

/* Makes n bytes available at r->buf + r->at. Returns 0, 1 when the run has ended
 * cleanly, or -1 on a read error or a short file. */
static int fill(const doctable *t, reader *r, size_t n)
{
    if (r->len - r->at >= n)
        return 0;
    if (r->buf)
        memmove(r->buf, r->buf + r->at, r->len - r->at);
    r->len -= r->at;
    r->at = 0;
    if (r->cap < n) {
        char *b = realloc(r->buf, n);
        if (!b)
            return -1;
        r->buf = b;
        r->cap = n;
    }
    while (r->len < n) {
        if (r->pos == r->end)
            return r->len == 0 ? 1 : -1;
        size_t want = r->cap - r->len;
        if ((off_t)want > r->end - r->pos)
            want = (size_t)(r->end - r->pos);
        ssize_t got = pread(t->fd, r->buf + r->len, want, r->pos);
        if (got <= 0)
            return -1;
        r->len += (size_t)got;
        r->pos += got;
    }
    return 0;
}

/* Makes the reader's next row whole at r->buf + r->at. Returns 0, 1 at the end,
 * or -1 on a read error. */
static int next_row(const doctable *t, reader *r)
{
    int rc = fill(t, r, 8);
    return rc ? rc : fill(t, r, row_bytes(r->buf + r->at));
}

/* Moves heap[i] down to its place; the heap is ordered by the readers' row ids. */
static void sift(reader *rd, size_t *heap, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const char *mid = row_id(rd[heap[m]].buf + rd[heap[m]].at);
        if (l < n && strcmp(row_id(rd[heap[l]].buf + rd[heap[l]].at), mid) < 0)
            m = l, mid = row_id(rd[heap[l]].buf + rd[heap[l]].at);
        if (l + 1 < n && strcmp(row_id(rd[heap[l + 1]].buf + rd[heap[l + 1]].at), mid) < 0)
            m = l + 1;
        if (m == i)
            return;
        size_t tmp = heap[i];
        heap[i] = heap[m];
        heap[m] = tmp;
        i = m;
    }
}

/* Calls visit for one row. */
static int visit_row(const char *row,
                     int (*visit)(void *ctx, const char *id, const char *row, size_t len),
                     void *ctx)
{
    return visit(ctx, row_id(row), row_id(row) + row_id_len(row) + 1, row_len(row));
}

/* Merges the runs in id order. Returns QP_OK, visit's error, or QP_ERR_IO. */
static int merge_runs(doctable *t, int (*visit)(void *, const char *, const char *, size_t),
                      void *ctx, qp_error *err)
{
    reader *rd = calloc(t->n_runs, sizeof *rd);
    size_t *heap = calloc(t->n_runs, sizeof *heap), n = 0;
    int rc = rd && heap ? QP_OK : QP_ERR_NOMEM;
    for (size_t r = 0; r < t->n_runs && rc == QP_OK; r++) {
        rd[r] = (reader){.pos = t->runs[r].start, .end = t->runs[r].end};
        int st = next_row(t, &rd[r]);
        if (st < 0)
            rc = QP_ERR_IO;
        else if (st == 0)
            heap[n++] = r;
    }
    for (size_t i = n; rc == QP_OK && i-- > 0;)
        sift(rd, heap, n, i);
    while (rc == QP_OK && n) {
        reader *r = &rd[heap[0]];
        rc = visit_row(r->buf + r->at, visit, ctx);
        r->at += row_bytes(r->buf + r->at);
        int st = rc == QP_OK ? next_row(t, r) : 0;
        if (st < 0)
            rc = QP_ERR_IO;
        else if (st == 1)
            heap[0] = heap[--n];
        if (n)
            sift(rd, heap, n, 0);
    }
    if (rc == QP_ERR_IO)
        snprintf(err->message, sizeof err->message,
                 "cannot read the documents' rows back from the temporary file: %s",
                 errno ? strerror(errno) : "it is shorter than written");
    for (size_t r = 0; rd && r < t->n_runs; r++)
        free(rd[r].buf);
    free(rd);
    free(heap);
    return rc;
}

int doctable_each(doctable *t, int (*visit)(void *ctx, const char *id, const char *row, size_t len),
                  void *ctx, qp_error *err)
{
    if (t->n_runs == 0) {
        if (t->n_rows > 1)
            qsort_r(t->rows, t->n_rows, sizeof *t->rows, compare_rows, t->arena);
        if (rehash(t) < 0)
            return QP_ERR_NOMEM;
        for (size_t r = 0; r < t->n_rows; r++) {
            int rc = visit_row(t->arena + t->rows[r], visit, ctx);
            if (rc != QP_OK)
                return rc;
        }
        return QP_OK;
    }
    if (t->n_rows) {
        int rc = spill(t, err);
        if (rc != QP_OK)
            return rc;
    }
    return merge_runs(t, visit, ctx, err);
}
