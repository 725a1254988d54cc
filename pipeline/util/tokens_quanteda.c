/* tokens_quanteda.c - tokens in the quanteda style (see qp_token_next_quanteda in
 * text.h). */
#include "config.h"

#include <stdint.h>
#include <utf8proc.h>

#include "spans.h"
#include "text.h"

/* Character kinds for the quanteda style. */
enum { Q_OTHER, Q_LETTER, Q_DIGIT, Q_SYMBOL, Q_JOIN };

/* Classifies the character at p[i] for the quanteda style, with its length. */
static int quanteda_class(const unsigned char *p, size_t len, size_t i, size_t *n, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
    if (k < 0) {
        *n = 1;
        *cp = -1;
        return Q_OTHER;
    }
    *n = (size_t)k;
    *cp = c;
    if (c == '_' || c == '\'' || c == 0x2019 || c == '-' || c == 0x2010 || c == 0x2011)
        return Q_JOIN;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return Q_LETTER;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return Q_DIGIT;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        return Q_SYMBOL;
    default:
        return Q_OTHER;
    }
}

/* Returns 1 when the character `c` between a character of kind `before` and one of
 * kind `after` keeps them in one token, as quanteda (ICU) does. */
static int quanteda_joins(int32_t c, int before, int after)
{
    int word_after = after == Q_LETTER || after == Q_DIGIT;
    if (c == '_')
        return 1;
    if (c == '\'' || c == 0x2019 || c == '-' || c == 0x2010 || c == 0x2011)
        return word_after;
    if (c == '.')
        return (before == Q_LETTER && after == Q_LETTER) || (before == Q_DIGIT && after == Q_DIGIT);
    if (c == ',' || c == ';')
        return before == Q_DIGIT && after == Q_DIGIT;
    if (c == ':')
        return before == Q_LETTER && after == Q_LETTER;
    return 0;
}

int qp_token_next_quanteda(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = *pos, n;
    int32_t cp;
    int kind = Q_OTHER;
    while (i < len) {
        kind = quanteda_class(p, len, i, &n, &cp);
        if (kind == Q_LETTER || kind == Q_DIGIT || kind == Q_SYMBOL || cp == '_')
            break;
        i += n;
    }
    if (i >= len) {
        *pos = len;
        return 0;
    }
    *start = i;
    i += n;
    if (kind == Q_SYMBOL) {
        *end = *pos = i;
        return 1;
    }
    int last = kind == Q_JOIN ? Q_LETTER : kind;
    while (i < len) {
        size_t m;
        int32_t c;
        int k = quanteda_class(p, len, i, &m, &c);
        if (k == Q_LETTER || k == Q_DIGIT) {
            last = k;
            i += m;
            continue;
        }
        if (i + m < len && (k == Q_JOIN || c == '.' || c == ',' || c == ';' || c == ':')) {
            size_t m2;
            int32_t c2;
            int k2 = quanteda_class(p, len, i + m, &m2, &c2);
            if (quanteda_joins(c, last, k2) || (c == '_' && k2 == Q_JOIN)) {
                i += m;
                continue;
            }
        }
        if (c == '_') {
            i += m;
            continue;
        }
        break;
    }
    *end = *pos = i;
    return 1;
}

long qp_tokens_all_quanteda(const char *text, size_t len, uint32_t **spans, size_t *cap)
{
    size_t pos = 0, start, end, n = 0;
    while (qp_token_next_quanteda(text, len, &pos, &start, &end))
        if (qp_put_span(spans, cap, n++, start, end) < 0)
            return -1;
    return (long)n;
}
