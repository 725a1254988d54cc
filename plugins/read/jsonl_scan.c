/* jsonl_scan.c - the fast path of the JSON Lines reader (see jsonl_scan.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl_scan.h"
#include "util/scan.h"
#include "util/text.h"

#define FALLBACK 1

/* Bytes that end a run of plain string characters: the quote, the backslash and
 * (below 0x20) the control characters JSON forbids inside strings. */
static const unsigned char string_stop[] = {'"', '\\'};

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_space(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

/* Returns the value of hex digit ch, or -1. */
static int hex(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Reads four hex digits at p. Returns the code unit, or -1. */
static long hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Writes code point cp as UTF-8 at out. Returns the bytes written. */
static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Decodes the escape at c->p (just after the backslash) into out. Returns the
 * bytes written, or 0 when it is one jansson must judge (\u0000, a lone
 * surrogate, a bad escape). */
static size_t unescape(cursor *c, char *out)
{
    static const char plain[256] = {['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
                                    ['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t'};
    if (c->p >= c->end)
        return 0;
    unsigned char e = (unsigned char)*c->p++;
    if (e != 'u') {
        if (!plain[e])
            return 0;
        *out = plain[e];
        return 1;
    }
    long u = hex4(c->p, c->end);
    if (u <= 0)
        return 0;
    c->p += 4;
    if (u >= 0xdc00 && u <= 0xdfff)
        return 0;
    if (u >= 0xd800 && u <= 0xdbff) {
        long lo =
            c->end - c->p >= 6 && c->p[0] == '\\' && c->p[1] == 'u' ? hex4(c->p + 2, c->end) : -1;
        if (lo < 0xdc00 || lo > 0xdfff)
            return 0;
        c->p += 6;
        return put_utf8(out, 0x10000 + (((unsigned long)u - 0xd800) << 10) +
                                 ((unsigned long)lo - 0xdc00));
    }
    return put_utf8(out, (unsigned long)u);
}

/* Reads the string at c->p (at its opening quote). With `out` (room for as many
 * bytes as the string has), decodes it there and sets *out_len; without, only
 * checks that it has no escape. Returns 0, or FALLBACK. */
static int string(cursor *c, jsonl_span *raw, char *out, size_t *out_len)
{
    if (c->p >= c->end || *c->p != '"')
        return FALLBACK;
    const char *start = ++c->p;
    size_t n = 0;
    for (;;) {
        const char *run = c->p;
        const unsigned char *base = (const unsigned char *)c->p;
        c->p += qp_scan_to(base, 0, (size_t)(c->end - c->p), string_stop, 2, 0x20, 0);
        size_t k = (size_t)(c->p - run);
        if (out && k) {
            memcpy(out + n, run, k);
            n += k;
        }
        if (c->p >= c->end || (unsigned char)*c->p < 0x20)
            return FALLBACK;
        if (*c->p == '"')
            break;
        if (!out)
            return FALLBACK; /* an escape in a key or an id: jansson decodes those */
        c->p++;
        size_t w = unescape(c, out + n);
        if (!w)
            return FALLBACK;
        n += w;
    }
    raw->s = start;
    raw->len = (size_t)(c->p - start);
    c->p++;
    if (out_len)
        *out_len = n;
    size_t bad;
    const char *why;
    return qp_text_check(out ? out : raw->s, out ? n : raw->len, &bad, &why) == 0 ? 0 : FALLBACK;
}

/* Skips any JSON value at c->p, setting *raw to its span; jansson checks it
 * later. Returns 0, or FALLBACK when its end cannot be found. */
static int skip_value(cursor *c, jsonl_span *raw)
{
    const char *start = c->p;
    int depth = 0;
    while (c->p < c->end) {
        char ch = *c->p;
        if (ch == '"') {
            c->p++;
            while (c->p < c->end && *c->p != '"') {
                if (*c->p == '\\' && c->end - c->p < 2)
                    return FALLBACK;
                c->p += *c->p == '\\' ? 2 : 1;
            }
            if (c->p >= c->end)
                return FALLBACK;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0)
                break;
            depth--;
        } else if (ch == ',' && depth == 0) {
            break;
        }
        c->p++;
    }
    if (depth || c->p == start)
        return FALLBACK;
    raw->s = start;
    raw->len = (size_t)(c->p - start);
    while (raw->len && strchr(" \t\r\n", raw->s[raw->len - 1]))
        raw->len--;
    return 0;
}

/* Reads an integer id as jansson would print it back: no sign but '-', no
 * leading zero, no fraction or exponent, no overflow. Returns 0, or FALLBACK. */
static int integer(cursor *c, jsonl_span *raw)
{
    const char *start = c->p;
    if (c->p < c->end && *c->p == '-')
        c->p++;
    const char *digits = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    size_t n = (size_t)(c->p - digits);
    if (n == 0 || n > 18 || (*digits == '0' && (n > 1 || digits > start)) ||
        (c->p < c->end && strchr(".eE", *c->p)))
        return FALLBACK;
    raw->s = start;
    raw->len = (size_t)(c->p - start);
    return 0;
}

/* Reads one "key": value member into rec. Returns 0, FALLBACK, or -1 (memory). */
static int member(cursor *c, jsonl_record *rec)
{
    jsonl_span key;
    if (string(c, &key, NULL, NULL))
        return FALLBACK;
    for (size_t i = 0; i < rec->n_fields; i++)
        if (rec->keys[i].len == key.len && memcmp(rec->keys[i].s, key.s, key.len) == 0)
            return FALLBACK; /* a duplicate key: jansson refuses the line */
    skip_space(c);
    if (c->p >= c->end || *c->p++ != ':')
        return FALLBACK;
    skip_space(c);
    if (key.len == 4 && memcmp(key.s, "text", 4) == 0) {
        if (rec->text || c->p >= c->end || *c->p != '"')
            return FALLBACK;
        if (!(rec->text = malloc((size_t)(c->end - c->p) + 1)))
            return -1;
        jsonl_span raw;
        if (string(c, &raw, rec->text, &rec->text_len))
            return FALLBACK;
        rec->text[rec->text_len] = '\0';
    } else if (key.len == 2 && memcmp(key.s, "id", 2) == 0) {
        if (rec->has_id)
            return FALLBACK;
        rec->has_id = 1;
        rec->id_is_string = c->p < c->end && *c->p == '"';
        if (rec->id_is_string ? string(c, &rec->id, NULL, NULL) : integer(c, &rec->id))
            return FALLBACK;
    } else {
        if (rec->n_fields == JSONL_MAX_FIELDS)
            return FALLBACK;
        jsonl_span value;
        if (skip_value(c, &value))
            return FALLBACK;
        if (key.len == 4 && memcmp(key.s, "meta", 4) == 0)
            rec->meta = value;
        rec->keys[rec->n_fields] = key;
        rec->values[rec->n_fields++] = value;
    }
    return 0;
}

int jsonl_scan(const char *line, size_t len, jsonl_record *rec)
{
    memset(rec, 0, sizeof *rec);
    cursor c = {line, line + len};
    int rc = FALLBACK;
    skip_space(&c);
    if (c.p < c.end && *c.p == '{') {
        c.p++;
        skip_space(&c);
        rc = c.p < c.end && *c.p == '}' ? 0 : member(&c, rec);
        while (rc == 0) {
            skip_space(&c);
            if (c.p < c.end && *c.p == '}')
                break;
            if (c.p >= c.end || *c.p++ != ',') {
                rc = FALLBACK;
                break;
            }
            skip_space(&c);
            rc = member(&c, rec);
        }
        if (rc == 0 && c.p < c.end && *c.p == '}') {
            c.p++;
            skip_space(&c);
            rc = c.p == c.end ? 0 : FALLBACK;
        } else if (rc == 0) {
            rc = FALLBACK;
        }
    }
    if (rc != 0) {
        free(rec->text);
        rec->text = NULL;
    }
    return rc;
}
