/* codebook.c - the codebook model: codes, pattern classification and compilation. */
#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <libstemmer.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "util/grow.h"
#include "util/text.h"

/* Sets cb->error from a printf format; returns -1 for the caller to return. */
__attribute__((format(printf, 2, 3))) static int fail(qp_codebook *cb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cb->error, sizeof cb->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Words that negate a hit shortly after them, unless a codebook sets its own. */
static const char *const default_negators[] = {
    "not",     "no",     "never",  "none",     "nobody",   "nothing",   "neither", "nor",
    "without", "cannot", "can't",  "don't",    "didn't",   "doesn't",   "isn't",   "wasn't",
    "weren't", "aren't", "won't",  "wouldn't", "couldn't", "shouldn't", "haven't", "hasn't",
    "hadn't",  "hardly", "barely", "lack",     "lacked",   "lacking"};

/* Returns a new empty codebook with the default negators and language, or NULL
 * when out of memory. */
qp_codebook *qp_codebook_new(void)
{
    qp_codebook *cb = calloc(1, sizeof(qp_codebook));
    if (!cb)
        return NULL;
    if (!(cb->language = strdup("english")) || !(cb->code_ids = json_object()) ||
        qp_codebook_set_negators(cb, NULL, 0) < 0) {
        qp_codebook_free(cb);
        return NULL;
    }
    return cb;
}

/* Frees a list of parts. */
static void free_parts(qp_pattern_part *parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i].folded);
    free(parts);
}

static void free_negators(qp_codebook *cb)
{
    for (size_t i = 0; i < cb->n_negators; i++)
        free(cb->negators[i]);
    free(cb->negators);
    cb->negators = NULL;
    cb->n_negators = 0;
}

/* Returns 0 with the negators set (folded), or -1 with cb->error. */
int qp_codebook_set_negators(qp_codebook *cb, const char *const *words, size_t n)
{
    if (!words) {
        words = default_negators;
        n = sizeof default_negators / sizeof default_negators[0];
    }
    free_negators(cb);
    if (!(cb->negators = calloc(n ? n : 1, sizeof *cb->negators)))
        return fail(cb, "out of memory");
    for (size_t i = 0; i < n; i++) {
        qp_buf b = {0};
        if (qp_fold_append(&b, words[i], strlen(words[i]), 0) < 0)
            return fail(cb, "negator \"%s\" is not valid UTF-8", words[i]);
        cb->negators[cb->n_negators++] = b.data;
    }
    return 0;
}

/* Returns 0 with the language set, or -1 with cb->error naming the languages. */
int qp_codebook_set_language(qp_codebook *cb, const char *language)
{
    struct sb_stemmer *probe = sb_stemmer_new(language, "UTF_8");
    if (!probe) {
        char list[512] = "";
        for (const char **l = sb_stemmer_list(); *l; l++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     l == sb_stemmer_list() ? "" : ", ", *l);
        return fail(cb, "no stemmer for language \"%s\" (there are: %s)", language, list);
    }
    sb_stemmer_delete(probe);
    char *copy = strdup(language);
    if (!copy)
        return fail(cb, "out of memory");
    free(cb->language);
    cb->language = copy;
    return 0;
}

/* Returns 0 with the stem of folded s[0, len) in *out (malloc'd), or -1. */
int qp_stem(void *stemmer, const char *s, size_t len, char **out, size_t *out_len)
{
    const sb_symbol *stem = sb_stemmer_stem(stemmer, (const sb_symbol *)s, (int)len);
    if (!stem)
        return -1;
    *out_len = (size_t)sb_stemmer_length(stemmer);
    if (!(*out = malloc(*out_len + 1)))
        return -1;
    memcpy(*out, stem, *out_len);
    (*out)[*out_len] = '\0';
    return 0;
}

static void free_pattern(qp_pattern *p)
{
    free(p->text);
    free_parts(p->parts, p->n_parts);
    free_parts(p->b_parts, p->n_b_parts);
    pcre2_code_free(p->regex);
}

void qp_codebook_free(qp_codebook *cb)
{
    if (!cb)
        return;
    for (size_t i = 0; i < cb->n_codes; i++) {
        free(cb->codes[i].id);
        free(cb->codes[i].label);
        free(cb->codes[i].definition);
        free(cb->codes[i].color);
        json_decref(cb->codes[i].own);
    }
    for (size_t i = 0; i < cb->n_patterns; i++)
        free_pattern(&cb->patterns[i]);
    free(cb->codes);
    json_decref(cb->code_ids);
    json_decref(cb->own);
    free(cb->patterns);
    free(cb->name);
    free(cb->version);
    free(cb->citation);
    free(cb->source);
    free(cb->language);
    free_negators(cb);
    if (cb->stemmer)
        sb_stemmer_delete(cb->stemmer);
    free(cb);
}

/* Returns the code's index, or -1. Linear: codebooks hold hundreds of codes and
 * this runs only while building. */
long qp_codebook_find(const qp_codebook *cb, const char *id)
{
    /* Looked up in a hash (a codebook may have 100,000 codes and imports look
     * every one up as it is added). */
    const json_t *i = json_object_get(cb->code_ids, id);
    return i ? (long)json_integer_value(i) : -1;
}

/* Returns 1 when id is usable as a code id: letters, digits, '_', '-', '.', ':'. */
static int valid_id(const char *id)
{
    if (!*id)
        return 0;
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("_-.:", *p))
            return 0;
    return 1;
}

/* Returns the new code's index, or -1 with cb->error set. */
long qp_codebook_add_code(qp_codebook *cb, const char *parent_id, const char *id, const char *label,
                          const char *definition)
{
    if (!id || !valid_id(id))
        return fail(cb, "code id \"%s\" is not usable: use letters, digits, '_', '-', '.' or ':'",
                    id ? id : "");
    if (qp_codebook_find(cb, id) >= 0)
        return fail(cb, "code id \"%s\" is used twice: every code needs its own id", id);
    long parent = -1;
    if (parent_id && (parent = qp_codebook_find(cb, parent_id)) < 0)
        return fail(cb, "code \"%s\": parent \"%s\" is not defined before it", id, parent_id);
    if (qp_grow(&cb->codes, &cb->codes_cap, cb->n_codes + 1, sizeof *cb->codes, 16) < 0)
        return fail(cb, "out of memory");
    if (json_object_set_new(cb->code_ids, id, json_integer((json_int_t)cb->n_codes)) < 0)
        return fail(cb, "out of memory");
    qp_code *c = &cb->codes[cb->n_codes];
    memset(c, 0, sizeof *c);
    c->id = strdup(id);
    c->label = strdup(label ? label : id);
    c->definition = strdup(definition ? definition : "");
    c->parent = parent;
    c->depth = parent < 0 ? 0 : cb->codes[parent].depth + 1;
    c->case_sensitive = parent < 0 ? cb->case_sensitive : cb->codes[parent].case_sensitive;
    c->stem = parent < 0 ? cb->stem : cb->codes[parent].stem;
    c->negated_code = -1;
    if (!c->id || !c->label || !c->definition) {
        free(c->id);
        free(c->label);
        free(c->definition);
        json_object_del(cb->code_ids, id);
        return fail(cb, "out of memory");
    }
    return (long)cb->n_codes++;
}

int qp_codebook_set_color(qp_codebook *cb, size_t code, const char *color)
{
    size_t n = strlen(color), hex = strspn(color + (n ? 1 : 0), "0123456789abcdefABCDEF");
    if (color[0] != '#' || (n != 7 && n != 4) || hex != n - 1)
        return fail(cb, "code \"%s\": colour \"%.40s\" is not #RRGGBB (for example #3366CC)",
                    cb->codes[code].id, color);
    char *copy = strdup(color);
    if (!copy)
        return fail(cb, "out of memory");
    free(cb->codes[code].color);
    cb->codes[code].color = copy;
    return 0;
}

/* Makes a word or glob part in the form its code compares: as written
 * (case-sensitive), stemmed (stemmed codes; globs then match the folded form), or
 * folded. Returns 0, or -1 with cb->error set when the text is not exactly one
 * token (it could then never match). */
static int make_part(qp_codebook *cb, const qp_code *code, const char *pattern, const char *s,
                     size_t len, qp_pattern_part *part)
{
    int is_glob = memchr(s, '*', len) || memchr(s, '?', len);
    /* Check the literal characters form one token: replace wildcards by a letter. */
    char *probe = malloc(len + 1);
    if (!probe)
        return fail(cb, "out of memory");
    for (size_t i = 0; i < len; i++)
        probe[i] = (s[i] == '*' || s[i] == '?') ? 'x' : s[i];
    probe[len] = '\0';
    size_t pos = 0, start, end;
    int one = qp_token_next(probe, len, &pos, &start, &end) && start == 0 && end == len;
    free(probe);
    if (!one)
        return fail(cb,
                    "pattern \"%s\": \"%.*s\" is not one word, so it can never match (a word "
                    "is letters and digits, joined only by ' or -; write phrases with spaces, "
                    "anything else as a /regex/)",
                    pattern, (int)len, s);
    if (is_glob && strspn(s, "*?") == len)
        return fail(cb, "pattern \"%s\": a glob of wildcards alone matches every word", pattern);
    qp_buf folded = {0};
    if (qp_fold_append(&folded, s, len, code->case_sensitive) < 0)
        return fail(cb, "pattern \"%s\": not valid UTF-8", pattern);
    char *fitted = realloc(folded.data, folded.len + 1); /* a large codebook has many */
    part->folded = fitted ? fitted : folded.data;
    part->len = folded.len;
    part->is_glob = is_glob;
    part->prefix_only = is_glob && part->len > 1 && part->folded[part->len - 1] == '*' &&
                        strcspn(part->folded, "*?") == part->len - 1;
    part->form = code->case_sensitive ? QP_FORM_RAW : QP_FORM_FOLD;
    if (code->stem && !code->case_sensitive && !is_glob) {
        if (!cb->stemmer && !(cb->stemmer = sb_stemmer_new(cb->language, "UTF_8")))
            return fail(cb, "no stemmer for language \"%s\"", cb->language);
        char *stem;
        size_t n;
        if (qp_stem(cb->stemmer, part->folded, part->len, &stem, &n) < 0)
            return fail(cb, "out of memory");
        free(part->folded);
        part->folded = stem;
        part->len = n;
        part->form = QP_FORM_STEM;
    }
    return 0;
}

/* Splits s[0, len) at spaces into word and glob parts. Returns 0 with *parts and
 * *n set, or -1 with cb->error. */
static int make_parts(qp_codebook *cb, const qp_code *code, const char *pattern, const char *s,
                      size_t len, qp_pattern_part **parts, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < len)
            count++;
        while (i < len && s[i] != ' ' && s[i] != '\t')
            i++;
    }
    if (count == 0)
        return fail(cb, "pattern \"%s\": an operand is empty", pattern);
    if (!(*parts = calloc(count, sizeof **parts)))
        return fail(cb, "out of memory");
    *n = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t j = i;
        while (j < len && s[j] != ' ' && s[j] != '\t')
            j++;
        if (j > i && make_part(cb, code, pattern, s + i, j - i, &(*parts)[(*n)++]) < 0)
            return -1;
        i = j;
    }
    return 0;
}

/* Finds a proximity operator (NEAR/n, BEFORE/n, WITH, in capitals, between
 * spaces) in s[0, len). Returns its kind with [*op, *op_end) its span and
 * *distance set, or QP_PAT_WORD when there is none. */
static qp_pattern_kind find_operator(const char *s, size_t len, size_t *op, size_t *op_end,
                                     unsigned *distance)
{
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i - 1] != ' ')
            continue;
        qp_pattern_kind kind = QP_PAT_WORD;
        size_t k = i;
        if (strncmp(s + i, "NEAR/", 5) == 0)
            kind = QP_PAT_NEAR, k += 5;
        else if (strncmp(s + i, "BEFORE/", 7) == 0)
            kind = QP_PAT_BEFORE, k += 7;
        else if (strncmp(s + i, "WITH ", 5) == 0)
            kind = QP_PAT_WITH, k += 4;
        if (kind == QP_PAT_WORD)
            continue;
        unsigned n = 0;
        size_t digits = k;
        while (kind != QP_PAT_WITH && k < len && s[k] >= '0' && s[k] <= '9' && n < 100000)
            n = n * 10 + (unsigned)(s[k++] - '0');
        if ((kind != QP_PAT_WITH && (k == digits || n == 0)) || k >= len || s[k] != ' ')
            continue;
        *op = i;
        *op_end = k;
        *distance = n;
        return kind;
    }
    return QP_PAT_WORD;
}

/* Compiles a /regex/ pattern with JIT. Returns 0, or -1 with PCRE2's message and
 * offset in cb->error. */
static int compile_regex(qp_codebook *cb, qp_pattern *p)
{
    size_t len = strlen(p->text);
    if (len < 3 || p->text[len - 1] != '/')
        return fail(cb,
                    "pattern \"%s\": a regex is written /like this/, with nothing after "
                    "the closing /",
                    p->text);
    uint32_t options = PCRE2_UTF | PCRE2_UCP |
                       PCRE2_USE_OFFSET_LIMIT | /* the matcher searches in stretches */
                       (cb->codes[p->code].case_sensitive ? 0 : PCRE2_CASELESS);
    int code;
    PCRE2_SIZE offset;
    p->regex = pcre2_compile((PCRE2_SPTR)p->text + 1, len - 2, options, &code, &offset, NULL);
    if (!p->regex) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        return fail(cb, "pattern \"%s\": regex error at offset %zu: %s", p->text, (size_t)offset,
                    (char *)msg);
    }
    /* Without JIT support PCRE2 interprets; the limits still apply. */
    pcre2_jit_compile(p->regex, PCRE2_JIT_COMPLETE);
    return 0;
}

/* Classifies, normalises and compiles one pattern. Returns 0, or -1 with cb->error. */
int qp_codebook_add_pattern(qp_codebook *cb, size_t code, const char *text, int exclusion)
{
    if (code >= cb->n_codes)
        return fail(cb, "pattern \"%s\" names no code", text);
    if (qp_grow(&cb->patterns, &cb->patterns_cap, cb->n_patterns + 1, sizeof *cb->patterns, 64) < 0)
        return fail(cb, "out of memory");
    qp_pattern *p = &cb->patterns[cb->n_patterns];
    memset(p, 0, sizeof *p);
    p->code = code;
    p->exclusion = exclusion;
    if (!(p->text = strdup(text)))
        return fail(cb, "out of memory");
    int rc = 0;
    const char *s = text;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0) {
        rc = fail(cb, "code \"%s\": an empty pattern", cb->codes[code].id);
    } else if (text[0] == '/') {
        p->kind = QP_PAT_REGEX;
        rc = compile_regex(cb, p);
    } else {
        const qp_code *c = &cb->codes[code];
        size_t op, op_end;
        qp_pattern_kind kind = find_operator(s, len, &op, &op_end, &p->distance);
        if (kind != QP_PAT_WORD) {
            p->kind = kind;
            rc = make_parts(cb, c, text, s, op, &p->parts, &p->n_parts);
            if (rc == 0)
                rc = make_parts(cb, c, text, s + op_end, len - op_end, &p->b_parts, &p->n_b_parts);
        } else {
            rc = make_parts(cb, c, text, s, len, &p->parts, &p->n_parts);
            if (rc == 0)
                p->kind = p->n_parts > 1        ? QP_PAT_PHRASE
                          : p->parts[0].is_glob ? QP_PAT_GLOB
                                                : QP_PAT_WORD;
        }
    }
    if (rc < 0) {
        free_pattern(p);
        return -1;
    }
    if (exclusion)
        cb->codes[code].n_exclusions++;
    else
        cb->codes[code].n_patterns++;
    cb->n_patterns++;
    return 0;
}

void qp_codebook_hash(qp_codebook *cb, const void *data, size_t len)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(cb->sha256 + 2 * i, 3, "%02x", digest[i]);
}

const char *qp_pattern_kind_name(qp_pattern_kind kind)
{
    static const char *const names[] = {"word", "glob",   "phrase", "regex",
                                        "near", "before", "with"};
    return names[kind];
}

/* Returns 0 with the rule set (and the sibling made), or -1 with cb->error. */
int qp_codebook_set_negation(qp_codebook *cb, size_t code, qp_negation mode, unsigned window)
{
    cb->codes[code].negation = mode;
    cb->codes[code].negation_window = window;
    if (mode != QP_NEGATION_SEPARATE || cb->codes[code].negated_code >= 0)
        return 0;
    char id[512], label[512];
    snprintf(id, sizeof id, "%s_negated", cb->codes[code].id);
    snprintf(label, sizeof label, "%s (negated)", cb->codes[code].label);
    long parent = cb->codes[code].parent;
    long n = qp_codebook_add_code(cb, parent < 0 ? NULL : cb->codes[parent].id, id, label,
                                  "Hits of the code with a negator shortly before them.");
    if (n < 0)
        return -1;
    cb->codes[code].negated_code = n;
    return 0;
}

/* Returns the codebook's description for the stream header, or NULL (no memory). */
json_t *qp_codebook_describe(const qp_codebook *cb)
{
    json_t *codes = json_array();
    for (size_t i = 0; codes && i < cb->n_codes; i++) {
        const qp_code *c = &cb->codes[i];
        json_t *o = json_pack("{s:s, s:s, s:o}", "id", c->id, "label", c->label, "parent",
                              c->parent < 0 ? json_null() : json_string(cb->codes[c->parent].id));
        if (!o || json_array_append_new(codes, o) < 0) {
            json_decref(codes);
            return NULL;
        }
    }
    if (!codes)
        return NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "name", cb->name ? cb->name : "", "version",
                     cb->version ? cb->version : "", "citation", cb->citation ? cb->citation : "",
                     "sha256", cb->sha256, "source", cb->source ? cb->source : "", "codes", codes);
}
