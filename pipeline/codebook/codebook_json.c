/* codebook_json.c - reading qualpipe's JSON codebook format, version 1, with errors
 * that name the file, the line and the reason. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "util/encoding.h"

typedef struct parse_state {
    const char *path;
    const char *text;
    size_t len;
    size_t cursor; /* offset of the code being read, to place later errors */
    qp_codebook *cb;
    qp_error *err;
} parse_state;

/* Returns the offset just after the first JSON encoding of `value` at or after
 * `from` in the file, or (size_t)-1 when it is not found verbatim. */
static size_t find_value(const parse_state *st, const char *value, size_t from)
{
    json_t *s = json_string(value);
    char *needle = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    json_decref(s);
    if (!needle)
        return (size_t)-1;
    size_t n = strlen(needle), found = (size_t)-1;
    for (size_t i = from; n <= st->len && i <= st->len - n; i++)
        if (memcmp(st->text + i, needle, n) == 0) {
            found = i;
            break;
        }
    free(needle);
    return found;
}

/* Returns the 1-based line of offset `at`. */
static size_t line_at(const parse_state *st, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at && i < st->len; i++)
        line += st->text[i] == '\n';
    return line;
}

/* Fills err with "PATH:LINE: message", placing the line at the first occurrence of
 * `near` after the cursor (or at the cursor's code when `near` is NULL). Returns -1. */
__attribute__((format(printf, 3, 4))) static int fail_at(parse_state *st, const char *near,
                                                         const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t at = near ? find_value(st, near, st->cursor) : st->cursor;
    if (near && at == (size_t)-1)
        at = find_value(st, near, 0);
    if (at == (size_t)-1)
        snprintf(st->err->message, sizeof st->err->message, "%s: %s", st->path, msg);
    else
        snprintf(st->err->message, sizeof st->err->message, "%s:%zu: %s", st->path, line_at(st, at),
                 msg);
    return -1;
}

/* Returns the string member `key` of obj, NULL when absent; -1 result via *bad when
 * present but not a string. */
static const char *get_string(parse_state *st, json_t *obj, const char *key, const char *where,
                              int *bad)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        *bad = fail_at(st, NULL, "%s: \"%s\" must be a string", where, key);
        return NULL;
    }
    return json_string_value(v);
}

/* Checks every key of obj is in the NULL-terminated list. Returns 0, or -1 with err. */
static int check_keys(parse_state *st, json_t *obj, const char *const *allowed, const char *where)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            char list[256] = "";
            for (const char *const *a = allowed; *a; a++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         a == allowed ? "" : ", ", *a);
            return fail_at(st, key, "%s: unknown field \"%s\" (known fields: %s)", where, key,
                           list);
        }
    }
    return 0;
}

/* Returns 0 when `key` of obj is absent or an array of strings, else -1 with err. */
static int check_string_array(parse_state *st, json_t *obj, const char *key, const char *where)
{
    json_t *a = json_object_get(obj, key);
    if (!a)
        return 0;
    size_t i;
    json_t *v;
    if (!json_is_array(a))
        return fail_at(st, NULL, "%s: \"%s\" must be an array of strings", where, key);
    json_array_foreach(a, i, v) if (!json_is_string(v)) return fail_at(
        st, NULL, "%s: \"%s\"[%zu] must be a string", where, key, i);
    return 0;
}

static int read_codes(parse_state *st, json_t *codes, const char *parent, const char *where);

/* Reads a code's matching options: case_sensitive and stem (inherited by its
 * children unless they set their own) and negation. Returns 0, or -1 with err. */
static int read_code_options(parse_state *st, json_t *obj, size_t code, const char *where)
{
    qp_code *c = &st->cb->codes[code];
    json_t *cs = json_object_get(obj, "case_sensitive"), *stem = json_object_get(obj, "stem");
    if ((cs && !json_is_boolean(cs)) || (stem && !json_is_boolean(stem)))
        return fail_at(st, NULL, "%s: \"case_sensitive\" and \"stem\" must be true or false",
                       where);
    if (cs)
        c->case_sensitive = json_is_true(cs);
    if (stem)
        c->stem = json_is_true(stem);
    json_t *neg = json_object_get(obj, "negation");
    if (!neg)
        return 0;
    const char *mode = json_string_value(json_object_get(neg, "mode"));
    json_t *window = json_object_get(neg, "window");
    if (!json_is_object(neg) || !mode || (strcmp(mode, "drop") && strcmp(mode, "separate")) ||
        (window && (!json_is_integer(window) || json_integer_value(window) < 1 ||
                    json_integer_value(window) > 20)) ||
        json_object_size(neg) > (size_t)(1 + (window != NULL)))
        return fail_at(st, "negation",
                       "%s: \"negation\" is {\"mode\": \"drop\" or \"separate\", \"window\": 1 "
                       "to 20 tokens (default 3)}",
                       where);
    if (qp_codebook_set_negation(
            st->cb, code, strcmp(mode, "drop") == 0 ? QP_NEGATION_DROP : QP_NEGATION_SEPARATE,
            window ? (unsigned)json_integer_value(window) : 3) < 0)
        return fail_at(st, NULL, "%s: %s", where, st->cb->error);
    return 0;
}

/* Reads one code object and its children. Returns 0, or -1 with err filled. */
static int read_code(parse_state *st, json_t *obj, const char *parent, const char *where)
{
    static const char *const keys[] = {
        "id",          "label",           "definition", "patterns",    "exclude",        "codes",
        "when_to_use", "when_not_to_use", "examples",   "near_misses", "case_sensitive", "stem",
        "negation",    "color",           NULL};
    if (!json_is_object(obj))
        return fail_at(st, NULL, "%s: a code must be an object with at least an \"id\"", where);
    int bad = 0;
    const char *id = get_string(st, obj, "id", where, &bad);
    if (bad)
        return -1;
    if (!id)
        return fail_at(st, NULL, "%s: code has no \"id\"", where);
    size_t at = find_value(st, id, st->cursor);
    if (at != (size_t)-1)
        st->cursor = at;
    char here[512];
    snprintf(here, sizeof here, "code \"%s\"", id);
    const char *label = get_string(st, obj, "label", here, &bad);
    const char *definition = get_string(st, obj, "definition", here, &bad);
    if (bad || check_keys(st, obj, keys, here) < 0)
        return -1;
    static const char *const arrays[] = {
        "patterns", "exclude", "examples", "near_misses", "when_to_use", "when_not_to_use", NULL};
    for (const char *const *k = arrays; *k; k++) {
        json_t *v = json_object_get(obj, *k);
        /* Notes may be one string or a list of them. */
        if (v && json_is_string(v) && strncmp(*k, "when_", 5) == 0)
            continue;
        if (check_string_array(st, obj, *k, here) < 0)
            return -1;
    }
    long code = qp_codebook_add_code(st->cb, parent, id, label, definition);
    if (code < 0)
        return fail_at(st, NULL, "%s", st->cb->error);
    st->cb->codes[code].own = json_incref(obj); /* read-only from here on */
    const char *color = get_string(st, obj, "color", here, &bad);
    if (bad || (color && qp_codebook_set_color(st->cb, (size_t)code, color) < 0))
        return bad ? -1 : fail_at(st, color, "%s", st->cb->error);
    if (read_code_options(st, obj, (size_t)code, here) < 0)
        return -1;
    static const char *const pattern_keys[] = {"patterns", "exclude"};
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(obj, pattern_keys[k]), i, v)
        {
            const char *text = json_string_value(v);
            if (qp_codebook_add_pattern(st->cb, (size_t)code, text, k == 1) < 0)
                return fail_at(st, text, "%s: %s", here, st->cb->error);
        }
    }
    json_t *children = json_object_get(obj, "codes");
    if (children)
        return read_codes(st, children, id, here);
    return 0;
}

/* Reads an array of codes under `parent`. Returns 0, or -1 with err filled. */
static int read_codes(parse_state *st, json_t *codes, const char *parent, const char *where)
{
    if (!json_is_array(codes))
        return fail_at(st, NULL, "%s: \"codes\" must be an array of code objects", where);
    size_t i;
    json_t *v;
    json_array_foreach(codes, i, v)
    {
        char here[512];
        snprintf(here, sizeof here, "%s: codes[%zu]", where, i);
        if (read_code(st, v, parent, here) < 0)
            return -1;
    }
    return 0;
}

/* Reads the codebook-wide settings: case_sensitive, stem, language and negators.
 * Returns 0, or -1 with the error set. */
static int read_settings(parse_state *st, json_t *root)
{
    qp_codebook *cb = st->cb;
    int bad = 0;
    json_t *cs = json_object_get(root, "case_sensitive");
    if (cs && !json_is_boolean(cs))
        return fail_at(st, "case_sensitive", "codebook: \"case_sensitive\" must be true or false");
    json_t *stem = json_object_get(root, "stem"), *negators = json_object_get(root, "negators");
    if (stem && !json_is_boolean(stem))
        return fail_at(st, "stem", "codebook: \"stem\" must be true or false");
    const char *language = get_string(st, root, "language", "codebook", &bad);
    if (!bad && language && qp_codebook_set_language(cb, language) < 0)
        bad = fail_at(st, "language", "codebook: %s", cb->error);
    if (bad || !negators)
        return bad;
    size_t n = json_array_size(negators);
    const char **words = calloc(n ? n : 1, sizeof *words);
    int ok = words && json_is_array(negators);
    for (size_t i = 0; ok && i < n; i++)
        ok = (words[i] = json_string_value(json_array_get(negators, i))) != NULL;
    if (!ok)
        bad = fail_at(st, "negators", "codebook: \"negators\" must be a list of words");
    else if (qp_codebook_set_negators(cb, words, n) < 0)
        bad = fail_at(st, "negators", "codebook: %s", cb->error);
    free(words);
    return bad;
}

/* Returns a new codebook parsed from text, or NULL with err filled. */
qp_codebook *qp_codebook_parse_json(const char *path, const char *text, size_t len, qp_error *err)
{
    static const char *const keys[] = {"qualpipe_codebook", "name",           "version", "citation",
                                       "description",       "case_sensitive", "stem",    "language",
                                       "negators",          "codes",          NULL};
    parse_state st = {.path = path, .text = text, .len = len, .err = err};
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err->message, sizeof err->message, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                 jerr.text);
        return NULL;
    }
    qp_codebook *cb = qp_codebook_new();
    st.cb = cb;
    int bad = 0;
    json_t *format = json_object_get(root, "qualpipe_codebook");
    if (!cb) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        bad = -1;
    } else if (!json_is_object(root) || !format) {
        bad = fail_at(&st, NULL,
                      "not a qualpipe codebook: the top-level object needs "
                      "\"qualpipe_codebook\": 1 (see codebooks/README.md for the format)");
    } else if (!json_is_integer(format) || json_integer_value(format) != 1) {
        bad = fail_at(&st, "qualpipe_codebook",
                      "codebook format %s is not one this qualpipe reads (it reads format 1)",
                      json_is_integer(format) ? "given" : "(not a number)");
    } else if (check_keys(&st, root, keys, "codebook") < 0) {
        bad = -1;
    }
    const char *name = NULL, *version = NULL, *citation = NULL;
    if (!bad) {
        name = get_string(&st, root, "name", "codebook", &bad);
        version = get_string(&st, root, "version", "codebook", &bad);
        citation = get_string(&st, root, "citation", "codebook", &bad);
        get_string(&st, root, "description", "codebook", &bad);
    }
    if (!bad && (!name || !*name))
        bad = fail_at(&st, NULL, "codebook: \"name\" is missing or empty");
    if (!bad && (!version || !*version))
        bad = fail_at(&st, NULL, "codebook: \"version\" is missing or empty");
    json_t *cs = json_object_get(root, "case_sensitive"), *stem = json_object_get(root, "stem");
    if (!bad)
        bad = read_settings(&st, root);
    if (!bad)
        cb->stem = json_is_true(stem);
    json_t *codes = json_object_get(root, "codes");
    if (!bad && (!json_is_array(codes) || json_array_size(codes) == 0))
        bad = fail_at(&st, NULL, "codebook: \"codes\" must be a non-empty array of codes");
    if (!bad) {
        cb->case_sensitive = json_is_true(cs);
        cb->name = strdup(name);
        cb->version = strdup(version);
        cb->citation = strdup(citation ? citation : "");
        cb->source = strdup(path);
        if (!cb->name || !cb->version || !cb->citation || !cb->source) {
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
            bad = -1;
        }
    }
    if (!bad)
        bad = read_codes(&st, codes, NULL, "codebook");
    if (!bad)
        cb->own = json_incref(root);
    json_decref(root);
    if (bad) {
        qp_codebook_free(cb);
        return NULL;
    }
    qp_codebook_hash(cb, text, len);
    return cb;
}

/* Returns the parsed codebook file, or NULL with err filled. */
qp_codebook *qp_codebook_load_file(const char *path, const char *encoding, qp_error *err)
{
    char *text;
    size_t len;
    if (qp_read_text_file(path, (size_t)64 << 20, encoding, &text, &len, err) < 0)
        return NULL;
    qp_codebook *cb = qp_codebook_parse_json(path, text, len, err);
    free(text);
    return cb;
}
