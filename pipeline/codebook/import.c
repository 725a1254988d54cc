/* import.c - choosing an importer by extension, and what importers share. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/encoding.h"
#include "import.h"

typedef qp_codebook *(*importer)(const char *, const char *, size_t, qp_warn_fn, qp_error *);

static const struct {
    const char *extension;
    importer fn;
} formats[] = {
    {".dic", qp_import_liwc_dic},   {".dicx", qp_import_liwc_dicx}, {".cat", qp_import_wordstat},
    {".tsv", qp_import_tsv},        {".qdc", qp_import_qdc},        {".lc3", qp_import_lexicoder},
    {".ykd", qp_import_yoshikoder}, {".yml", qp_import_yaml},       {".yaml", qp_import_yaml},
};

const char *qp_import_formats(char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof formats / sizeof formats[0] && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", formats[i].extension);
    return buf;
}

int qp_import_is_qdpx(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".qdpx") == 0;
}

/* Returns the importer for path's extension, or NULL. */
static importer importer_for(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t m = strlen(formats[i].extension);
        if (n > m && strcasecmp(path + n - m, formats[i].extension) == 0)
            return formats[i].fn;
    }
    return NULL;
}

int qp_import_format_known(const char *path)
{
    return importer_for(path) != NULL || qp_import_is_qdpx(path);
}

qp_codebook *qp_import(const char *path, const char *encoding, qp_warn_fn warn, qp_error *err)
{
    if (qp_import_is_qdpx(path))
        return qp_import_qdpx(path, err);
    if (!importer_for(path)) {
        char known[256];
        snprintf(err->message, sizeof err->message,
                 "%s: format not supported: qualpipe imports %s dictionaries and .qdpx projects",
                 path, qp_import_formats(known, sizeof known));
        return NULL;
    }
    char *text;
    size_t len;
    if (qp_read_text_file(path, (size_t)256 << 20, encoding, &text, &len, err) < 0)
        return NULL;
    qp_codebook *cb = qp_import_text(path, text, len, warn, err);
    free(text);
    return cb;
}

qp_codebook *qp_import_text(const char *path, const char *text, size_t len, qp_warn_fn warn,
                            qp_error *err)
{
    importer fn = importer_for(path);
    if (!fn) {
        snprintf(err->message, sizeof err->message, "%s: format not supported", path);
        return NULL;
    }
    /* Every format read here is text: the importers would stop at a NUL byte,
     * and what follows it would be lost without a word. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        size_t line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        snprintf(err->message, sizeof err->message,
                 "%s:%zu: a NUL byte (byte %zu of the file): not a text file; if it is UTF-16, "
                 "give --encoding utf-16, or save it again as UTF-8",
                 path, line, (size_t)(nul - text) + 1);
        return NULL;
    }
    qp_codebook *cb = fn(path, text, len, warn, err);
    if (cb)
        qp_codebook_hash(cb, text, len);
    if (cb && cb->n_codes == 0) {
        snprintf(err->message, sizeof err->message, "%s: no categories found", path);
        qp_codebook_free(cb);
        return NULL;
    }
    return cb;
}

size_t qp_import_unix_lines(char *text, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r') {
            text[k++] = '\n';
            if (i + 1 < len && text[i + 1] == '\n')
                i++;
        } else {
            text[k++] = text[i];
        }
    }
    text[k] = '\0';
    return k;
}

/* Appends byte c, or for a byte ids cannot hold, a word for it or '_', to
 * buf[*k, size); never two '_' in a row. */
static void id_char(char c, char *buf, size_t *k, size_t size)
{
    static const struct {
        char c;
        const char *word;
    } named[] = {{'+', "plus"}, {'=', "eq"}, {'&', "and"}, {'%', "pct"}, {'#', "num"}, {'@', "at"}};
    const char *word = NULL;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].c == c)
            word = named[i].word;
    if (isalnum((unsigned char)c) || c == '-' || c == ':') {
        if (*k + 1 < size)
            buf[(*k)++] = c;
        return;
    }
    if (*k > 0 && buf[*k - 1] != '_' && *k + 1 < size)
        buf[(*k)++] = '_';
    for (const char *w = word; w && *w && *k + 1 < size; w++)
        buf[(*k)++] = *w;
    if (word && *k + 1 < size)
        buf[(*k)++] = '_';
}

const char *qp_import_code_id(const char *name, char *buf, size_t size)
{
    size_t k = 0;
    for (const char *p = name; *p; p++)
        id_char(*p, buf, &k, size);
    while (k > 0 && buf[k - 1] == '_')
        k--;
    buf[k] = '\0';
    if (k == 0)
        snprintf(buf, size, "code");
    return buf;
}

int qp_id_maker_init(qp_id_maker *ids, int from_path, int reuse)
{
    *ids = (qp_id_maker){json_object(), from_path, reuse};
    return ids->numbered ? 0 : -1;
}

void qp_id_maker_free(qp_id_maker *ids)
{
    json_decref(ids->numbered);
    ids->numbered = NULL;
}

/* Returns 1 when code i is the category `name` under `parent`. */
static int same_category(const qp_codebook *cb, long i, long parent, const char *name)
{
    return i >= 0 && cb->codes[i].parent == parent && strcmp(cb->codes[i].label, name) == 0;
}

long qp_import_category(qp_codebook *cb, qp_id_maker *ids, long parent, const char *name,
                        const char *definition)
{
    char made[256], base[512], id[540];
    qp_import_code_id(name, made, sizeof made);
    if (ids->from_path && parent >= 0)
        snprintf(base, sizeof base, "%s.%s", cb->codes[parent].id, made);
    else
        snprintf(base, sizeof base, "%s", made);
    json_int_t last = json_integer_value(json_object_get(ids->numbered, base));
    if (ids->reuse) { /* the same path again is the same category */
        if (same_category(cb, qp_codebook_find(cb, base), parent, name))
            return qp_codebook_find(cb, base);
        for (json_int_t k = 2; k <= last; k++) {
            snprintf(id, sizeof id, "%s_%lld", base, (long long)k);
            if (same_category(cb, qp_codebook_find(cb, id), parent, name))
                return qp_codebook_find(cb, id);
        }
    }
    /* Another category made the same id: number this one, on from the last
     * number given (so 5,000 repeats of one name stay linear). */
    snprintf(id, sizeof id, "%s", base);
    if (last == 0 && qp_codebook_find(cb, id) >= 0)
        last = 1;
    if (last > 0) {
        do
            snprintf(id, sizeof id, "%s_%lld", base, (long long)++last);
        while (qp_codebook_find(cb, id) >= 0);
        if (json_object_set_new(ids->numbered, base, json_integer(last)) < 0) {
            snprintf(cb->error, sizeof cb->error, "out of memory");
            return -1;
        }
    }
    return qp_codebook_add_code(cb, parent < 0 ? NULL : cb->codes[parent].id, id, name, definition);
}

qp_codebook *qp_import_start(const char *path, const char *format, qp_error *err)
{
    qp_codebook *cb = qp_codebook_new();
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char citation[600];
    snprintf(citation, sizeof citation, "Imported from %.400s (%s).", base, format);
    if (cb) {
        cb->name = strdup(base);
        cb->version = strdup("imported");
        cb->citation = strdup(citation);
        cb->source = strdup(path);
    }
    if (!cb || !cb->name || !cb->version || !cb->citation || !cb->source) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        qp_codebook_free(cb);
        return NULL;
    }
    return cb;
}

int qp_import_lines(const char *path, const char *format, const char *data, size_t len, char **text,
                    qp_codebook **cb, qp_error *err)
{
    *text = malloc(len + 1);
    *cb = *text ? qp_import_start(path, format, err) : NULL;
    if (!*text || !*cb) {
        if (!*text)
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        free(*text);
        qp_codebook_free(*cb);
        return -1;
    }
    memcpy(*text, data, len);
    qp_import_unix_lines(*text, len);
    return 0;
}

int qp_import_pattern(qp_codebook *cb, size_t code, const char *text, const char *path, size_t line,
                      qp_warn_fn warn)
{
    if (qp_codebook_add_pattern(cb, code, text, 0) == 0)
        return 0;
    if (strcmp(cb->error, "out of memory") == 0)
        return -1;
    warn("codebook", "%s:%zu: entry \"%s\" left out: %s", path, line, text, cb->error);
    return 0;
}

qp_codebook *qp_import_finish(qp_codebook *cb, qp_id_maker *ids, char *text, int failed)
{
    qp_id_maker_free(ids);
    free(text);
    if (failed) {
        qp_codebook_free(cb);
        return NULL;
    }
    return cb;
}
