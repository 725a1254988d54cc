/* codebook.c - the codebook model: codes, pattern classification and compilation. */
#include "config.h"

#include <ctype.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebook.h"
#include "grow.h"
#include "text.h"

/* Sets cb->error from a printf format; returns -1 for the caller to return. */
__attribute__((format(printf, 2, 3))) static int fail(qp_codebook *cb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cb->error, sizeof cb->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Returns a new empty codebook, or NULL when out of memory. */
qp_codebook *qp_codebook_new(void)
{
    return calloc(1, sizeof(qp_codebook));
}

static void free_pattern(qp_pattern *p)
{
    free(p->text);
    for (size_t i = 0; i < p->n_parts; i++)
        free(p->parts[i].folded);
    free(p->parts);
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
    }
    for (size_t i = 0; i < cb->n_patterns; i++)
        free_pattern(&cb->patterns[i]);
    free(cb->codes);
    free(cb->patterns);
    free(cb->name);
    free(cb->version);
    free(cb->citation);
    free(cb->source);
    free(cb);
}

/* Returns the code's index, or -1. Linear: codebooks hold hundreds of codes and
 * this runs only while building. */
long qp_codebook_find(const qp_codebook *cb, const char *id)
{
    for (size_t i = 0; i < cb->n_codes; i++)
        if (strcmp(cb->codes[i].id, id) == 0)
            return (long)i;
    return -1;
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
    qp_code *c = &cb->codes[cb->n_codes];
    memset(c, 0, sizeof *c);
    c->id = strdup(id);
    c->label = strdup(label ? label : id);
    c->definition = strdup(definition ? definition : "");
    c->parent = parent;
    c->depth = parent < 0 ? 0 : cb->codes[parent].depth + 1;
    if (!c->id || !c->label || !c->definition) {
        free(c->id);
        free(c->label);
        free(c->definition);
        return fail(cb, "out of memory");
    }
    return (long)cb->n_codes++;
}

/* Splits a word or glob into its folded part. Returns 0, or -1 with cb->error set
 * when the text is not exactly one token (it could then never match). */
static int make_part(qp_codebook *cb, const char *pattern, const char *s, size_t len,
                     qp_pattern_part *part)
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
    if (qp_fold_append(&folded, s, len, cb->case_sensitive) < 0)
        return fail(cb, "pattern \"%s\": not valid UTF-8", pattern);
    part->folded = folded.data;
    part->len = folded.len;
    part->is_glob = is_glob;
    return 0;
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
    uint32_t options = PCRE2_UTF | PCRE2_UCP | (cb->case_sensitive ? 0 : PCRE2_CASELESS);
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
        /* Count the space-separated parts, then make each. */
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            while (i < len && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (i < len)
                n++;
            while (i < len && s[i] != ' ' && s[i] != '\t')
                i++;
        }
        p->parts = calloc(n, sizeof *p->parts);
        if (!p->parts)
            rc = fail(cb, "out of memory");
        for (size_t i = 0; rc == 0 && i < len;) {
            while (i < len && (s[i] == ' ' || s[i] == '\t'))
                i++;
            size_t j = i;
            while (j < len && s[j] != ' ' && s[j] != '\t')
                j++;
            if (j > i)
                rc = make_part(cb, text, s + i, j - i, &p->parts[p->n_parts++]);
            i = j;
        }
        if (rc == 0)
            p->kind = n > 1 ? QP_PAT_PHRASE : p->parts[0].is_glob ? QP_PAT_GLOB : QP_PAT_WORD;
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
    static const char *const names[] = {"word", "glob", "phrase", "regex"};
    return names[kind];
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
