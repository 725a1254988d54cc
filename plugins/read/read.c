/* read.c - the read stage: turns text files, folders and JSON Lines files into
 * document records, with metadata from a CSV sidecar. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qualpipe/stage.h>

#include "util/encoding.h"
#include "util/fileio.h"
#include "util/grow.h"
#include "util/lines.h"
#include "read.h"
#include "util/text.h"

int read_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0; /* P07.TXT is a text file too */
}

int read_is_jsonl(const char *path)
{
    return read_ends_with(path, ".jsonl") || read_ends_with(path, ".ndjson");
}

void read_attach_meta(read_ctx *r, qp_doc *doc, const char *path)
{
    if (!r->meta)
        return;
    const char *base = path ? strrchr(path, '/') : NULL;
    base = base ? base + 1 : path;
    const char *keys[3] = {doc->id, base, path};
    json_t *fields = meta_table_find(r->meta, keys, path ? 3 : 1);
    if (!fields) {
        if (r->without_meta++ == 0)
            snprintf(r->first_without_meta, sizeof r->first_without_meta, "%s", doc->id);
        return;
    }
    const char *key;
    json_t *value;
    json_object_foreach(fields, key, value) if (!json_object_get(doc->meta, key))
        r->host->doc_set_meta(doc, key, json_incref(value));
}

/* Hands doc on. Returns 0 to go on, -1 to stop reading. */
static int emit(read_ctx *r, qp_doc *doc)
{
    r->emitted++;
    int rc = r->host->emit(r->out, doc);
    if (rc == QP_OK)
        return 0;
    r->stop = 1;
    if (rc < 0)
        r->status = rc;
    return -1;
}

int read_emit_skipped(read_ctx *r, const char *origin, const char *id, const char *reason)
{
    qp_doc *doc = r->host->doc_new(origin);
    if (!doc || r->host->doc_set_id(doc, id) != QP_OK) {
        r->host->doc_free(doc);
        r->status = QP_ERR_NOMEM;
        r->stop = 1;
        return -1;
    }
    r->host->doc_skip(doc, STAGE, "%s", reason);
    return emit(r, doc);
}

int read_fill_text(read_ctx *r, qp_doc *doc, char *text, size_t len, int checked)
{
    size_t bad = 0;
    const char *why = NULL;
    if (len > r->max_doc_bytes) {
        free(text);
        r->host->doc_skip(doc, STAGE, "%zu bytes, more than --max-doc-bytes %zu", len,
                          r->max_doc_bytes);
        return 0;
    }
    if (!checked && qp_text_check(text, len, &bad, &why) < 0) {
        size_t line = qp_text_line_of(text, bad);
        free(text);
        r->host->doc_skip(doc, STAGE, "%s at line %zu (byte %zu)", why, line, bad);
        return 0;
    }
    /* Line ends of old Mac files: lines, paragraphs and speaker turns are found
     * by line feeds. */
    qp_text_lone_cr_to_lf(text, len);
    size_t i = 0;
    while (i < len && strchr(" \t\r\n\f\v", text[i]))
        i++;
    if (i == len) {
        free(text);
        r->host->doc_skip(doc, STAGE, "empty document (no text)");
        return 0;
    }
    return r->host->doc_take_text(doc, text, len) == QP_OK ? 0 : -1;
}

/* Gives the document of a text file (its origin is the file's path) its text, or
 * marks it skipped with the reason it cannot be read; `regular_only`: refuse a
 * FIFO, device or socket. Returns 0, or -1 when out of memory. */
static int fill_from_file(read_ctx *r, qp_doc *doc, int regular_only)
{
    const char *path = doc->origin;
    char *text;
    size_t len;
    qp_error err;
    if (qp_read_file_as(path, r->max_doc_bytes, regular_only, &text, &len, &err) < 0) {
        const char *reason = strncmp(err.message, path, strlen(path)) == 0
                                 ? err.message + strlen(path) + 2
                                 : err.message;
        r->host->doc_skip(doc, STAGE, "%s", reason);
        return 0;
    }
    /* --input-encoding, or UTF-16 with its byte order mark, to UTF-8; a UTF-8 mark
     * dropped. */
    if (qp_text_to_utf8(path, r->encoding, &text, &len, &err) < 0) {
        /* "PATH:LINE: byte N is not ..." says "line LINE: byte N is not ..." here. */
        const char *rest = strncmp(err.message, path, strlen(path)) == 0
                               ? err.message + strlen(path) + 1
                               : err.message;
        const char *colon = strchr(rest, ':');
        if (rest != err.message && colon && rest[0] >= '0' && rest[0] <= '9')
            r->host->doc_skip(doc, STAGE, "line %.*s:%s", (int)(colon - rest), rest, colon + 1);
        else
            r->host->doc_skip(doc, STAGE, "%s", rest);
        return 0;
    }
    size_t bad = 0;
    const char *why = NULL;
    if (len <= r->max_doc_bytes && qp_text_check(text, len, &bad, &why) < 0) {
        size_t line = qp_text_line_of(text, bad);
        int other = strcmp(why, "invalid UTF-8") == 0 && !r->encoding;
        free(text);
        r->host->doc_skip(doc, STAGE, "%s at line %zu (byte %zu)%s", why, line, bad,
                          other ? "; if the file is in another encoding, name it with "
                                  "--input-encoding (for example --input-encoding windows-1252)"
                                : "");
        return 0;
    }
    return read_fill_text(r, doc, text, len, 1);
}

int read_text_file(read_ctx *r, const char *path, const char *id, int in_folder)
{
    qp_doc *doc = r->host->doc_new(path);
    if (!doc || r->host->doc_set_id(doc, id) != QP_OK) {
        r->host->doc_free(doc);
        r->status = QP_ERR_NOMEM;
        r->stop = 1;
        return -1;
    }
    read_attach_meta(r, doc, path);
    if (in_folder)
        r->host->doc_defer(doc);
    else if (fill_from_file(r, doc, 0) < 0) {
        r->host->doc_free(doc);
        r->status = QP_ERR_NOMEM;
        r->stop = 1;
        return -1;
    }
    return emit(r, doc);
}

/* Turns one JSON Lines record line[0, len) (NUL after it, in `block`) into a
 * document and hands it on. Without --meta, the record is parsed later by
 * read_prepare, on the thread that codes it, so the reader only splits lines
 * and the document points into the block. Returns 0 or -1 (stop). */
static int read_json_record(read_ctx *r, char *line, size_t len, line_block *block,
                            const char *origin)
{
    qp_doc *doc = r->host->doc_new(origin);
    int ok = doc && r->host->doc_set_id(doc, origin) == QP_OK;
    if (ok && !r->meta) {
        line_block_hold(block);
        ok = r->host->doc_share_text(doc, line, len, line_block_release, block) == QP_OK &&
             r->host->doc_defer(doc) == QP_OK;
    } else if (ok) {
        ok = read_fill_record(r, doc, line, len) == 0;
    }
    if (!ok) {
        r->host->doc_free(doc);
        r->status = QP_ERR_NOMEM;
        r->stop = 1;
        return -1;
    }
    return emit(r, doc);
}

/* Finishes a document the reader left for later: a text file's (no text yet:
 * see read_text_file) is read, a JSON Lines record's parsed (see
 * read_json_record). Returns QP_OK, or QP_ERR_NOMEM. */
static int read_prepare(void *ctx, qp_doc *doc, qp_error *err)
{
    read_ctx *r = ctx;
    int rc = doc->text_len == 0 ? fill_from_file(r, doc, 1)
                                : read_fill_record(r, doc, doc->text, doc->text_len);
    if (rc == 0)
        return QP_OK;
    snprintf(err->message, sizeof err->message, "out of memory");
    return QP_ERR_NOMEM;
}

/* Reads every record of the JSON Lines stream on fd (`name` in messages). A line
 * longer than --max-doc-bytes is skipped without being held, and reading goes
 * on. Returns 0, or -1 to stop. */
static int read_jsonl(read_ctx *r, int fd, const char *name)
{
    line_reader lr;
    line_reader_init(&lr, fd, r->max_doc_bytes);
    lr.stopped = r->host->abi_minor >= 2 ? r->host->interrupted : NULL;
    char *line;
    size_t len;
    line_block *block;
    int rc = 0, got;
    while (rc == 0 && (got = line_next(&lr, &line, &len, &block)) > 0) {
        char origin[1024];
        snprintf(origin, sizeof origin, "%s:%zu", name, lr.lineno);
        if (got == 3) {
            rc = read_emit_skipped(r, origin, origin,
                                   "a NUL byte: binary data, not JSON Lines; the rest of it is "
                                   "not read");
            break;
        }
        if (got == 2) {
            char why[128];
            snprintf(why, sizeof why, "a line of %zu bytes, longer than --max-doc-bytes %zu", len,
                     r->max_doc_bytes);
            rc = read_emit_skipped(r, origin, origin, why);
            continue;
        }
        while (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (memchr(line, '\0', len))
            rc = read_emit_skipped(r, origin, origin, "NUL byte in the line");
        else
            rc = read_json_record(r, line, len, block, origin);
    }
    if (rc == 0 && got < 0)
        rc = read_emit_skipped(r, name, name, strerror(errno));
    line_reader_done(&lr);
    return rc;
}

int read_jsonl_file(read_ctx *r, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return read_emit_skipped(r, path, path, strerror(errno));
    int rc = read_jsonl(r, fd, path);
    close(fd);
    return rc;
}

/* Reads one command-line input. Returns 0 or -1 (stop). */
static int read_input(read_ctx *r, const char *input)
{
    if (strcmp(input, "-") == 0)
        return read_jsonl(r, STDIN_FILENO, "<stdin>");
    struct stat st;
    if (stat(input, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t len = strlen(input);
        while (len > 1 && input[len - 1] == '/')
            len--;
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", (int)len, input);
        return walk_folder(r, dir);
    }
    if (read_is_jsonl(input))
        return read_jsonl_file(r, input);
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    char id[4096];
    size_t n = strlen(base);
    snprintf(id, sizeof id, "%.*s", (int)(read_ends_with(base, ".txt") ? n - 4 : n), base);
    return read_text_file(r, input, id, 0);
}

static const qp_option_spec read_options[] = {
    {.name = "input",
     .flags = QP_OPT_OPERANDS | QP_OPT_REQUIRED | QP_OPT_INPUT_FILE,
     .arg_name = "INPUT",
     .help = "text files, folders, or .jsonl files to read; - reads JSON Lines from stdin"},
    {.name = "meta",
     .flags = QP_OPT_INPUT_FILE,
     .arg_name = "FILE.csv",
     .help = "metadata: a CSV with a header row, first column the document id or file name"},
    {.name = "follow-links",
     .type = QP_TYPE_FLAG,
     .help = "in folders, follow symbolic links (each folder and file is still read once)"},
    {.name = "input-encoding",
     .arg_name = "NAME",
     .help = "read text files in encoding NAME (windows-1252, iso-8859-1, shift_jis... any "
             "`iconv --list` knows) instead of UTF-8; UTF-16 with a byte order mark is read "
             "without it"},
    {.name = "max-doc-bytes",
     .type = QP_TYPE_SIZE,
     .min = 1,
     .max = UINT32_MAX - 1,
     .default_value = "64M",
     .arg_name = "N",
     .help = "skip documents larger than N bytes"},
    {0},
};

static void read_destroy(void *ctx)
{
    read_ctx *r = ctx;
    if (!r)
        return;
    /* Said once at the end (the records are parsed on the worker threads). */
    size_t without_id = __atomic_load_n(&r->without_id, __ATOMIC_RELAXED);
    if (without_id)
        r->host->warn(STAGE,
                      "%zu JSON Lines record%s had no \"id\": each is named by its file and "
                      "line (FILE:LINE) instead",
                      without_id, without_id == 1 ? "" : "s");
    meta_table_free(r->meta);
    walk_free(&r->walk);
    free(r->inputs);
    free(r);
}

/* Returns QP_OK with the instance, or QP_ERR_USAGE/QP_ERR_IO with err filled for a
 * missing input, a bad number or an unreadable metadata CSV. */
static int read_create(const qp_host *host, const qp_option_value *opts, size_t n_opts, void **ctx,
                       qp_error *err)
{
    read_ctx *r = calloc(1, sizeof *r);
    if (!r || !(r->inputs = calloc(n_opts ? n_opts : 1, sizeof *r->inputs))) {
        free(r);
        return QP_ERR_NOMEM;
    }
    r->host = host;
    int rc = QP_OK;
    int stdin_used = 0;
    for (size_t i = 0; i < n_opts && rc == QP_OK; i++) {
        const char *name = opts[i].name, *value = opts[i].value;
        if (strcmp(name, "input") == 0) {
            struct stat st;
            if (strcmp(value, "-") == 0 && stdin_used++) {
                snprintf(err->message, sizeof err->message, "- (stdin) given twice");
                rc = QP_ERR_USAGE;
            } else if (strcmp(value, "-") && stat(value, &st) < 0) {
                snprintf(err->message, sizeof err->message, "%s: %s", value, strerror(errno));
                rc = QP_ERR_USAGE;
            }
            r->inputs[r->n_inputs++] = value;
        } else if (strcmp(name, "meta") == 0) {
            r->meta_path = value;
            walk_note_meta(&r->walk, value);
            if (!(r->meta = meta_table_load(value, err)))
                rc = QP_ERR_IO;
        } else if (strcmp(name, "follow-links") == 0) {
            r->follow_links = 1;
        } else if (strcmp(name, "input-encoding") == 0) {
            r->encoding = value;
            if (qp_encoding_check("--input-encoding", value, err) < 0)
                rc = QP_ERR_USAGE;
        } else if (strcmp(name, "max-doc-bytes") == 0) {
            r->max_doc_bytes = (size_t)opts[i].number;
        }
    }
    if (rc != QP_OK) {
        read_destroy(r);
        return rc;
    }
    *ctx = r;
    return QP_OK;
}

/* Emits every document of every input. Returns QP_OK, or the error that stopped it. */
static int read_produce(void *ctx, qp_emitter *out, qp_error *err)
{
    read_ctx *r = ctx;
    r->out = out;
    for (size_t i = 0; i < r->n_inputs && !r->stop; i++)
        read_input(r, r->inputs[i]);
    walk_report(r);
    if (r->status == QP_OK && r->meta) {
        if (r->without_meta)
            r->host->warn(STAGE, "%s has no row for %zu document%s (the first: %s)", r->meta_path,
                          r->without_meta, r->without_meta == 1 ? "" : "s", r->first_without_meta);
        const char *first;
        size_t unused = meta_table_unused(r->meta, &first);
        if (unused)
            r->host->warn(STAGE, "%s: %zu row%s matched no document (the first: %s)", r->meta_path,
                          unused, unused == 1 ? "" : "s", first);
    }
    if (r->status == QP_ERR_NOMEM)
        snprintf(err->message, sizeof err->message, "out of memory");
    return r->status;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_SOURCE,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "reads text files, folders and JSON Lines into document records",
    .options = read_options,
    .create = read_create,
    .produce = read_produce,
    .prepare = read_prepare,
    .destroy = read_destroy,
};
