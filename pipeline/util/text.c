/* text.c - UTF-8 validity, tokens, folding and globs: the text rules of text.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "scan.h"
#include "spans.h"
#include "text.h"

/* Byte classes for the ASCII fast path. */
enum { C_SEP = 0, C_WORD = 1, C_JOIN = 2, C_HIGH = 3 };

static const unsigned char byte_class[256] = {
    ['0' ... '9'] = C_WORD, ['A' ... 'Z'] = C_WORD, ['a' ... 'z'] = C_WORD,
    ['\''] = C_JOIN,        ['-'] = C_JOIN,         [0x80 ... 0xff] = C_HIGH,
};

static inline unsigned char ascii_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Returns 0 when the text is UTF-8 without NUL, else -1 with the offset and reason. */
int qp_text_check(const char *text, size_t len, size_t *bad_offset, const char **why)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    static const unsigned char nul[1] = {0};
    while ((i = qp_scan_to(p, i, len, nul, 1, 0, 1)) < len) {
        if (p[i] == 0) {
            *bad_offset = i;
            *why = "NUL byte";
            return -1;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0) {
            *bad_offset = i;
            *why = "invalid UTF-8";
            return -1;
        }
        i += (size_t)n;
    }
    return 0;
}

/* Returns the 1-based line of byte `at`. */
size_t qp_text_line_of(const char *text, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += text[i] == '\n';
    return line;
}

size_t qp_text_lone_cr_to_lf(char *text, size_t len)
{
    static const unsigned char cr[1] = {'\r'};
    unsigned char *p = (unsigned char *)text;
    size_t turned = 0;
    for (size_t i = 0; (i = qp_scan_to(p, i, len, cr, 1, 0, 0)) < len; i++)
        if (i + 1 == len || p[i + 1] != '\n') {
            p[i] = '\n';
            turned++;
        }
    return turned;
}

/* Classifies the character at text[i]: C_WORD, C_JOIN or C_SEP, with its byte
 * length in *n. */
static int char_class(const unsigned char *p, size_t len, size_t i, size_t *n)
{
    unsigned char c = byte_class[p[i]];
    if (c != C_HIGH) {
        *n = 1;
        return c;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
    if (k < 0) {
        *n = 1;
        return C_SEP;
    }
    *n = (size_t)k;
    if (cp == 0x2019 || cp == 0x2010 || cp == 0x2011)
        return C_JOIN;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_WORD;
    default:
        return C_SEP;
    }
}

/* Returns 1 with the next token's span, or 0 at the end of the text. ASCII
 * letters, digits and separators are decided by the byte table alone; only
 * joiners and non-ASCII characters go through char_class. */
static inline int token_next(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = *pos, n = 1;
    for (;;) {
        while (i < len && byte_class[p[i]] != C_WORD && byte_class[p[i]] != C_HIGH)
            i++;
        if (i >= len) {
            *pos = len;
            return 0;
        }
        if (byte_class[p[i]] == C_WORD) {
            n = 1;
            break;
        }
        if (char_class(p, len, i, &n) == C_WORD)
            break;
        i += n;
    }
    *start = i;
    i += n;
    for (;;) {
        while (i < len && byte_class[p[i]] == C_WORD)
            i++;
        if (i >= len || byte_class[p[i]] == C_SEP)
            break;
        int c = char_class(p, len, i, &n);
        if (c == C_WORD) {
            i += n;
            continue;
        }
        if (c == C_JOIN && i + n < len) {
            size_t m;
            if (char_class(p, len, i + n, &m) == C_WORD) {
                i += n + m;
                continue;
            }
        }
        break;
    }
    *end = i;
    *pos = i;
    return 1;
}

int qp_token_next(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
    return token_next(text, len, pos, start, end);
}

#ifdef __SSE2__
#include <emmintrin.h>

/* Sets *word and *join to the masks of block p[0, 64) (ASCII): bit i of *word
 * when byte i is a letter or digit, of *join when it is ' or -. */
static void block_masks(const unsigned char *p, uint64_t *word, uint64_t *join)
{
    const __m128i case_bit = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a' - 1),
                  z = _mm_set1_epi8('z' + 1), d0 = _mm_set1_epi8('0' - 1),
                  d9 = _mm_set1_epi8('9' + 1), apos = _mm_set1_epi8('\''),
                  dash = _mm_set1_epi8('-');
    uint64_t w = 0, j = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i low = _mm_or_si128(v, case_bit);
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(low, a), _mm_cmplt_epi8(low, z));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmplt_epi8(v, d9));
        __m128i joiner = _mm_or_si128(_mm_cmpeq_epi8(v, apos), _mm_cmpeq_epi8(v, dash));
        w |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit)) << (16 * k);
        j |= (uint64_t)(unsigned)_mm_movemask_epi8(joiner) << (16 * k);
    }
    *word = w;
    *join = j;
}

/* Loads block b of text[0, len) (zero-padded past the end) and its masks. */
static void load_block(const unsigned char *p, size_t len, size_t b, uint64_t *word, uint64_t *join)
{
    size_t at = 64 * b;
    if (at >= len) {
        *word = *join = 0;
    } else if (at + 64 <= len) {
        block_masks(p + at, word, join);
    } else {
        unsigned char tail[64] = {0};
        memcpy(tail, p + at, len - at);
        block_masks(tail, word, join);
    }
}

/* Appends to *spans (holding *n) the tokens of ASCII text p[from, to), 64 bytes at
 * a time: a token is a run of letters and digits, with single ' or - between two
 * of them joining (the rule of token_next). p[to], when there, must not be part
 * of a token. Returns 0, or -1 when out of memory. */
static int tokens_ascii(const unsigned char *p, size_t from, size_t to, uint32_t **spans,
                        size_t *cap, size_t *n)
{
    const unsigned char *q = p + from;
    size_t len = to - from, blocks = (len + 63) / 64, pending = 0;
    int open = 0;
    uint64_t w, j, w1, j1, prev_w = 0, prev_t = 0;
    load_block(q, len, 0, &w, &j);
    for (size_t b = 0; b < blocks; b++) {
        load_block(q, len, b + 1, &w1, &j1);
        uint64_t t = w | (j & ((w << 1) | prev_w) & ((w >> 1) | (w1 & 1) << 63));
        uint64_t next_t0 = (w1 | (j1 & (w >> 63) & (w1 >> 1))) & 1;
        uint64_t starts = t & ~((t << 1) | prev_t), ends = t & ~((t >> 1) | next_t0 << 63);
        for (;;) {
            if (!open) {
                if (!starts)
                    break;
                pending = 64 * b + (size_t)__builtin_ctzll(starts);
                starts &= starts - 1;
                open = 1;
            }
            if (!ends)
                break;
            size_t end = 64 * b + (size_t)__builtin_ctzll(ends) + 1;
            ends &= ends - 1;
            if (qp_put_span(spans, cap, (*n)++, from + pending, from + end) < 0)
                return -1;
            open = 0;
        }
        prev_w = w >> 63;
        prev_t = t >> 63;
        w = w1;
        j = j1;
    }
    return 0;
}
#endif

/* Returns 1 when c is ASCII white space: no token goes across it. */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends to *spans (holding *n) the tokens of text[from, to) found by
 * token_next; text[to], when there, is white space. Returns 0, or -1. */
static int tokens_slow(const char *text, size_t from, size_t to, uint32_t **spans, size_t *cap,
                       size_t *n)
{
    size_t pos = from, start, end;
    while (token_next(text, to, &pos, &start, &end))
        if (qp_put_span(spans, cap, (*n)++, start, end) < 0)
            return -1;
    return 0;
}

long qp_tokens_all(const char *text, size_t len, uint32_t **spans, size_t *cap)
{
    size_t n = 0;
#ifdef __SSE2__
    /* Runs of ASCII go 64 bytes at a time; the stretch between the white space
     * before and after a non-ASCII byte goes through token_next. */
    const unsigned char *p = (const unsigned char *)text;
    size_t at = 0;
    while (at < len) {
        static const unsigned char none[1] = {0};
        size_t high = qp_scan_to(p, at, len, none, 0, 0, 1), cut = high;
        while (cut < len && cut > at && !is_blank(p[cut - 1]))
            cut--;
        if (cut > at && tokens_ascii(p, at, cut, spans, cap, &n) < 0)
            return -1;
        if (high == len)
            break;
        size_t resume = high;
        while (resume < len && !is_blank(p[resume]))
            resume++;
        if (tokens_slow(text, cut, resume, spans, cap, &n) < 0)
            return -1;
        at = resume;
    }
#else
    if (tokens_slow(text, 0, len, spans, cap, &n) < 0)
        return -1;
#endif
    return (long)n;
}

int qp_buf_append(qp_buf *b, const char *s, size_t n)
{
    if (qp_buf_reserve(b, n + 1) < 0)
        return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Returns 0 with room for `more` bytes, or -1 when out of memory. */
int qp_buf_reserve(qp_buf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

void qp_buf_free(qp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Returns 0 with the folded form appended, or -1 on invalid UTF-8 or no memory. */
int qp_fold_append(qp_buf *out, const char *s, size_t len, int case_sensitive)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && p[i] < 0x80)
        i++;
    if (i == len || case_sensitive) {
        if (qp_buf_reserve(out, len + 1) < 0)
            return -1;
        char *d = out->data + out->len;
        if (case_sensitive)
            memcpy(d, s, len);
        else
            for (size_t k = 0; k < len; k++)
                d[k] = (char)ascii_fold(p[k]);
        out->len += len;
        out->data[out->len] = '\0';
        return 0;
    }
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map(p, (utf8proc_ssize_t)len, &mapped,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0)
        return -1;
    if (qp_buf_reserve(out, (size_t)n + 1) < 0) {
        free(mapped);
        return -1;
    }
    /* A right single quote in a word is an apostrophe: "didn’t" matches "didn't". */
    size_t k = 0;
    for (utf8proc_ssize_t m = 0; m < n; m++) {
        if (m + 2 < n && mapped[m] == 0xE2 && mapped[m + 1] == 0x80 && mapped[m + 2] == 0x99) {
            out->data[out->len + k++] = '\'';
            m += 2;
        } else {
            out->data[out->len + k++] = (char)mapped[m];
        }
    }
    out->len += k;
    out->data[out->len] = '\0';
    free(mapped);
    return 0;
}

/* Returns the byte length of the UTF-8 character starting with byte c. */
static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Returns 1 when s matches glob g, else 0 (iterative, backtracking to the last `*`). */
int qp_glob_match(const char *g, size_t glen, const char *s, size_t len)
{
    size_t gi = 0, si = 0, star_g = (size_t)-1, star_s = 0;
    while (si < len) {
        if (gi < glen && g[gi] == '*') {
            star_g = ++gi;
            star_s = si;
        } else if (gi < glen && g[gi] == '?') {
            gi++;
            si += utf8_len((unsigned char)s[si]);
        } else if (gi < glen && g[gi] == s[si]) {
            gi++;
            si++;
        } else if (star_g != (size_t)-1) {
            gi = star_g;
            star_s += utf8_len((unsigned char)s[star_s]);
            si = star_s;
        } else {
            return 0;
        }
    }
    while (gi < glen && g[gi] == '*')
        gi++;
    return gi == glen && si == len;
}
