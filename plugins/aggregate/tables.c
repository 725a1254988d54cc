/* tables.c - streaming the hits to CSV (libcsv quotes the fields) and everything
 * to SQLite, with the schema documented in README.md. */
#include "config.h"

#include <errno.h>

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvcell.h"
#include "tables.h"

static const char *const schema =
    "CREATE TABLE documents (id TEXT PRIMARY KEY, tokens INTEGER, segments INTEGER, "
    "hits INTEGER);"
    "CREATE TABLE metadata (doc TEXT, field TEXT, value TEXT);"
    "CREATE TABLE segments (doc TEXT, segment INTEGER, start INTEGER, end INTEGER, "
    "speaker TEXT);"
    "CREATE TABLE codes (id TEXT PRIMARY KEY, label TEXT, parent TEXT, codebook TEXT);"
    "CREATE TABLE hits (doc TEXT, code TEXT, segment INTEGER, start INTEGER, end INTEGER, "
    "speaker TEXT, rule TEXT, text TEXT);"
    "CREATE TABLE skipped (doc TEXT, stage TEXT, reason TEXT);";

static const char *const indexes = "CREATE INDEX hits_by_code ON hits (code);"
                                   "CREATE INDEX hits_by_doc ON hits (doc);"
                                   "CREATE INDEX metadata_by_field ON metadata (field, value);"
                                   "CREATE INDEX metadata_by_doc ON metadata (doc);"
                                   "CREATE INDEX segments_by_doc ON segments (doc);";

/* Returns why the last write failed: errno's text (stdio keeps the errno of the
 * write that failed), or a plain "write error". */
static const char *write_error(void)
{
    return errno ? strerror(errno) : "write error";
}

/* Fills err with the database's message; returns QP_ERR_IO. */
static int db_failed(tables *t, const char *what, qp_error *err)
{
    snprintf(err->message, sizeof err->message, "%.300s: %s: %.300s", t->db_path, what,
             t->db ? sqlite3_errmsg(t->db) : "cannot open");
    return QP_ERR_IO;
}

int tables_open(tables *t, const char *hits_path, const char *db_path, int db_in_place,
                const char *const *by, size_t n_by, int csv_guard, qp_error *err)
{
    memset(t, 0, sizeof *t);
    t->csv_guard = csv_guard;
    t->by = by;
    t->n_by = n_by;
    if (hits_path) {
        if (qp_atomic_open(&t->hits, hits_path, err) < 0)
            return QP_ERR_IO;
        t->hits_open = 1;
        FILE *f = t->hits.fp;
        int bad = fputs("doc,code,start,end,segment,speaker,rule,", f) < 0;
        for (size_t i = 0; i < n_by && !bad; i++)
            bad = csv_text(f, by[i], strlen(by[i]), 0, csv_guard);
        if (bad || fputs("text\n", f) < 0) {
            snprintf(err->message, sizeof err->message, "%s: cannot write: %s", hits_path,
                     write_error());
            return QP_ERR_IO;
        }
    }
    struct stat st;
    if (db_path && !db_in_place && stat(db_path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err->message, sizeof err->message,
                 "--sqlite %.700s: not a regular file; a database is written to a file of its "
                 "own (it is never written over a device, a FIFO or a folder)",
                 db_path);
        return QP_ERR_USAGE;
    }
    if (db_path) {
        t->db_in_place = db_in_place;
        t->db_path = db_in_place ? strdup(db_path) : qp_replace_path(db_path, err);
        if (!t->db_path)
            return db_in_place ? QP_ERR_NOMEM : QP_ERR_IO;
        if (db_in_place) {
            if (!(t->db_tmp = strdup(db_path)))
                return QP_ERR_NOMEM;
        } else {
            /* An empty file of our own, which SQLite then opens as a new database. */
            int fd = qp_temp_beside(t->db_path, &t->db_tmp, err);
            if (fd < 0)
                return QP_ERR_IO;
            close(fd);
        }
        sqlite3 *db;
        /* One thread at a time writes (the sink sees one batch at a time), so the
         * connection needs no mutex of its own. */
        if (sqlite3_open_v2(t->db_tmp, &db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            NULL) != SQLITE_OK) {
            t->db = db;
            return db_failed(t, "cannot create", err);
        }
        t->db = db;
        if (sqlite3_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;", NULL,
                         NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
            return db_failed(t, "cannot create the tables", err);
        static const char *const sql[] = {
            "INSERT INTO documents VALUES (?, ?, ?, ?)",
            "INSERT INTO metadata VALUES (?, ?, ?)",
            "INSERT INTO segments VALUES (?, ?, ?, ?, ?)",
            "INSERT INTO hits VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            "INSERT INTO skipped VALUES (?, ?, ?)",
        };
        void **stmts[] = {&t->insert_doc, &t->insert_meta, &t->insert_segment, &t->insert_hit,
                          &t->insert_skip};
        for (size_t i = 0; i < 5; i++)
            if (sqlite3_prepare_v2(db, sql[i], -1, (sqlite3_stmt **)stmts[i], NULL) != SQLITE_OK)
                return db_failed(t, "cannot prepare", err);
    }
    return QP_OK;
}

/* Binds the arguments (a string is 's', an integer 'i', a possibly NULL string
 * 'z') and runs a prepared insert. Returns 0, or -1. */
static int insert(void *stmt, const char *types, ...)
{
    sqlite3_stmt *s = stmt;
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i') {
            sqlite3_bind_int64(s, i + 1, va_arg(ap, long long));
        } else {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(s, i + 1, v, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(s, i + 1);
        }
    }
    va_end(ap);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Returns a metadata value as text: strings as they are, anything else as JSON. */
static char *meta_text(const json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
}

int tables_document(tables *t, const qp_doc *doc, uint64_t tokens, uint64_t segments,
                    const char *const *groups, qp_error *err)
{
    if (t->db && doc->skipped) {
        if (insert(t->insert_skip, "sss", doc->id, doc->skipped_stage, doc->skipped) < 0)
            return db_failed(t, "cannot write", err);
        return QP_OK;
    }
    if (doc->skipped)
        return QP_OK;
    if (t->db) {
        int bad = insert(t->insert_doc, "siii", doc->id, (long long)tokens, (long long)segments,
                         (long long)doc->n_hits) < 0;
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)doc->meta, key, v)
        {
            char *text = meta_text(v);
            bad |= !text || insert(t->insert_meta, "sss", doc->id, key, text) < 0;
            free(text);
        }
        for (size_t i = 0; i < doc->n_segments && !bad; i++)
            bad = insert(t->insert_segment, "siiiz", doc->id, (long long)i,
                         (long long)doc->segments[i].start, (long long)doc->segments[i].end,
                         doc->segments[i].speaker) < 0;
        for (size_t i = 0; i < doc->n_hits && !bad; i++) {
            const qp_hit *h = &doc->hits[i];
            const char *speaker = h->segment != QP_NO_SEGMENT && h->segment < doc->n_segments
                                      ? doc->segments[h->segment].speaker
                                      : NULL;
            char *text = strndup(doc->text + h->start, h->end - h->start);
            bad =
                !text || insert(t->insert_hit, "ssiiizss", doc->id, h->code,
                                h->segment == QP_NO_SEGMENT ? -1LL : (long long)h->segment,
                                (long long)h->start, (long long)h->end, speaker, h->rule, text) < 0;
            free(text);
        }
        if (bad)
            return db_failed(t, "cannot write", err);
    }
    if (t->hits_open) {
        FILE *f = t->hits.fp;
        int bad = 0;
        for (size_t i = 0; i < doc->n_hits && !bad; i++) {
            const qp_hit *h = &doc->hits[i];
            const char *speaker = h->segment != QP_NO_SEGMENT && h->segment < doc->n_segments
                                      ? doc->segments[h->segment].speaker
                                      : NULL;
            int g = t->csv_guard;
            bad = csv_text(f, doc->id, strlen(doc->id), 0, g) ||
                  csv_text(f, h->code, strlen(h->code), 0, g) || csv_number(f, h->start, 0) ||
                  csv_number(f, h->end, 0) ||
                  (h->segment == QP_NO_SEGMENT ? fputc(',', f) == EOF
                                               : csv_number(f, h->segment, 0)) ||
                  csv_text(f, speaker ? speaker : "", speaker ? strlen(speaker) : 0, 0, g) ||
                  csv_text(f, h->rule, strlen(h->rule), 0, g);
            for (size_t b = 0; b < t->n_by && !bad; b++)
                bad = csv_text(f, groups[b], strlen(groups[b]), 0, g);
            bad = bad || csv_text(f, doc->text + h->start, h->end - h->start, 1, g);
        }
        if (bad || ferror(f)) {
            snprintf(err->message, sizeof err->message, "%s: cannot write: %s", t->hits.final_path,
                     write_error());
            return QP_ERR_IO;
        }
    }
    return QP_OK;
}

int tables_codes(tables *t, const json_t *codebooks, qp_error *err)
{
    if (!t->db)
        return QP_OK;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(t->db, "INSERT INTO codes VALUES (?, ?, ?, ?)", -1, &s, NULL) !=
        SQLITE_OK)
        return db_failed(t, "cannot prepare", err);
    size_t b, i;
    json_t *book, *c;
    int bad = 0;
    json_array_foreach(codebooks, b, book) json_array_foreach(json_object_get(book, "codes"), i, c)
    {
        if (!bad)
            bad = insert(s, "sszs", json_string_value(json_object_get(c, "id")),
                         json_string_value(json_object_get(c, "label")),
                         json_string_value(json_object_get(c, "parent")),
                         json_string_value(json_object_get(book, "name"))) < 0;
    }
    sqlite3_finalize(s);
    return bad ? db_failed(t, "cannot write the codes", err) : QP_OK;
}

/* Finalises the prepared statements and closes the database. */
static void close_db(tables *t)
{
    void *stmts[] = {t->insert_doc, t->insert_meta, t->insert_segment, t->insert_hit,
                     t->insert_skip};
    for (size_t i = 0; i < 5; i++)
        sqlite3_finalize(stmts[i]);
    memset(&t->insert_doc, 0, 5 * sizeof t->insert_doc);
    sqlite3_close(t->db);
    t->db = NULL;
}

int tables_finish(tables *t, qp_error *err)
{
    if (t->db) {
        if (sqlite3_exec(t->db, indexes, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(t->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
            int rc = db_failed(t, "cannot finish", err);
            tables_abort(t);
            return rc;
        }
        close_db(t);
    }
    if (t->hits_open && qp_atomic_close(&t->hits, err) < 0) {
        t->hits_open = 0;
        tables_abort(t);
        return QP_ERR_IO;
    }
    return QP_OK;
}

int tables_publish(tables *t, qp_error *err)
{
    if (t->db_tmp && !t->db_in_place && rename(t->db_tmp, t->db_path) != 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", t->db_path,
                 write_error());
        tables_abort(t);
        return QP_ERR_IO;
    }
    free(t->db_tmp);
    free(t->db_path);
    t->db_tmp = t->db_path = NULL;
    if (t->hits_open) {
        t->hits_open = 0;
        if (qp_atomic_publish(&t->hits, err) < 0) {
            tables_abort(t);
            return QP_ERR_IO;
        }
    }
    return QP_OK;
}

void tables_abort(tables *t)
{
    if (t->db)
        close_db(t);
    if (t->db_tmp && !t->db_in_place)
        unlink(t->db_tmp);
    free(t->db_tmp);
    free(t->db_path);
    t->db_tmp = t->db_path = NULL;
    if (t->hits_open)
        qp_atomic_abort(&t->hits);
    t->hits_open = 0;
}
