/* import_liwc_conditions.c - LIWC 2007's conditional entries. In
 *
 *     like    (02 134)125/464    (02 134)126    253
 *
 * "(02 134)125/464" files "like" under category 125 when the word before it is
 * in category 02 or 134 ("I like", "would like"), and under 464 otherwise; with
 * no "/464", nowhere otherwise. The numbers inside the parentheses are the
 * condition, never categories of the word. "kind  <of>135/126" is a condition on
 * the next word: 135 in "kind of", 126 for "kind" otherwise. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "import_liwc.h"

/* Reads a category number at *q, moving *q past it. Returns its code, or -1
 * (*q unmoved past a non-number) when it is not a category of the legend. */
static long read_category(const liwc_state *st, char **q)
{
    char *end;
    long number = strtol(*q, &end, 10);
    if (end == *q)
        return -1;
    *q = end;
    return liwc_code_of(st, number);
}

/* Reads "T" or "T/O" at *p into c: the categories when the condition holds and
 * when it does not. Returns 1 when both are in the legend, else 0; *p is moved
 * past them. */
static int parse_branches(const liwc_state *st, char **p, liwc_condition *c)
{
    c->then = read_category(st, p);
    c->otherwise = -1;
    int ok = c->then >= 0;
    if (**p == '/') {
        (*p)++;
        c->otherwise = read_category(st, p);
        ok = ok && c->otherwise >= 0;
    }
    ok = ok && (!**p || **p == ' ' || **p == '\t');
    while (**p && **p != ' ' && **p != '\t')
        (*p)++;
    return ok;
}

/* Parses "(a b ...)T[/O]" at *q into c. Returns 1 when it reads as one with
 * every number in the legend, else 0; *q is moved past it. */
static int parse_previous(const liwc_state *st, char **q, liwc_condition *c)
{
    char *p = *q + 1;
    int ok = 1;
    while (*p && *p != ')') {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == ')')
            break;
        long code = read_category(st, &p);
        if (code < 0 || c->n_if == LIWC_MAX_CONDITION) {
            ok = 0;
            while (*p && *p != ')' && *p != ' ' && *p != '\t')
                p++;
            continue;
        }
        c->if_codes[c->n_if++] = code;
    }
    ok = ok && *p == ')' && c->n_if > 0;
    if (*p == ')')
        p++;
    ok = parse_branches(st, &p, c) && ok;
    *q = p;
    return ok;
}

/* Parses "<w1 w2 ...>T[/O]" at *q into c. Returns 1 when it reads as one,
 * else 0 (or -1 when out of memory); *q is moved past it. */
static int parse_next(const liwc_state *st, char **q, liwc_condition *c)
{
    char *p = *q + 1, *close = strchr(p, '>');
    int ok = close != NULL;
    while (ok && p < close) {
        while (p < close && (*p == ' ' || *p == '\t'))
            p++;
        size_t n = 0;
        while (p + n < close && p[n] != ' ' && p[n] != '\t')
            n++;
        if (!n)
            break;
        if (c->n_next == LIWC_MAX_CONDITION)
            ok = 0;
        else if (!(c->next[c->n_next++] = strndup(p, n)))
            return -1;
        p += n;
    }
    ok = ok && c->n_next > 0;
    p = close ? close + 1 : p + strlen(p);
    ok = parse_branches(st, &p, c) && ok;
    *q = p;
    return ok;
}

/* Frees what condition c holds. */
static void free_condition(liwc_condition *c)
{
    free(c->word);
    for (size_t i = 0; i < c->n_next; i++)
        free(c->next[i]);
}

int liwc_read_condition(liwc_state *st, const char *word, char **q)
{
    char *start = *q;
    liwc_condition c = {.line_no = st->line_no};
    int ok = **q == '(' ? parse_previous(st, q, &c) : parse_next(st, q, &c);
    if (ok < 0 || (ok && !(c.word = strdup(word)))) {
        free_condition(&c);
        snprintf(st->err->message, sizeof st->err->message, "%s: out of memory", st->path);
        return -1;
    }
    if (!ok) {
        free_condition(&c);
        st->warn("codebook",
                 "%s:%zu: entry \"%s\": the condition \"%.*s\" is not "
                 "\"(categories)category[/category]\" or \"<words>category[/category]\" with "
                 "numbers of the legend; that part of the entry is left out",
                 st->path, st->line_no, word, (int)(*q - start), start);
        return 0;
    }
    liwc_condition *grown = realloc(st->conds, (st->n_conds + 1) * sizeof *grown);
    if (!grown) {
        free_condition(&c);
        snprintf(st->err->message, sizeof st->err->message, "%s: out of memory", st->path);
        return -1;
    }
    st->conds = grown;
    st->conds[st->n_conds++] = c;
    return 0;
}

/* Returns 1 when code is among codes[0, n). */
static int among(long code, const long *codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (codes[i] == code)
            return 1;
    return 0;
}

void liwc_drop_covered_branches(liwc_state *st, size_t first, const long *codes, size_t n)
{
    for (size_t i = first; i < st->n_conds; i++) {
        if (among(st->conds[i].then, codes, n))
            st->conds[i].then = -1;
        if (among(st->conds[i].otherwise, codes, n))
            st->conds[i].otherwise = -1;
    }
}

/* Adds pattern (or exclusion) text to code, naming the entry's line when
 * qualpipe cannot use it. Returns 0, or -1 when out of memory. */
static int add(liwc_state *st, long code, const char *text, int exclusion, size_t line_no)
{
    if (qp_codebook_add_pattern(st->cb, (size_t)code, text, exclusion) == 0)
        return 0;
    if (strcmp(st->cb->error, "out of memory") == 0) {
        snprintf(st->err->message, sizeof st->err->message, "%s: out of memory", st->path);
        return -1;
    }
    st->warn("codebook", "%s:%zu: entry \"%s\" left out: %s", st->path, line_no, text,
             st->cb->error);
    return 0;
}

/* Adds the phrase of one side of condition c: in `then` as a pattern, in
 * `otherwise` as an exclusion. Returns 0, or -1 when out of memory. */
static int add_side(liwc_state *st, const liwc_condition *c, const char *first, const char *second)
{
    char phrase[1024];
    if ((size_t)snprintf(phrase, sizeof phrase, "%s %s", first, second) >= sizeof phrase)
        return 0;
    return (c->then >= 0 && add(st, c->then, phrase, 0, c->line_no) < 0) ||
                   (c->otherwise >= 0 && add(st, c->otherwise, phrase, 1, c->line_no) < 0)
               ? -1
               : 0;
}

/* Expands one condition over the patterns the codebook had before any
 * condition was expanded (n_before). Returns 0, or -1 when out of memory. */
static int expand(liwc_state *st, const liwc_condition *c, size_t n_before)
{
    if (c->otherwise >= 0 && add(st, c->otherwise, c->word, 0, c->line_no) < 0)
        return -1;
    for (size_t i = 0; i < c->n_next; i++)
        if (add_side(st, c, c->word, c->next[i]) < 0)
            return -1;
    for (size_t i = 0; i < n_before; i++) {
        const qp_pattern *p = &st->cb->patterns[i];
        if (p->exclusion || p->kind > QP_PAT_PHRASE || !among((long)p->code, c->if_codes, c->n_if))
            continue;
        char before[1024];
        snprintf(before, sizeof before, "%s", p->text); /* p moves as patterns are added */
        if (add_side(st, c, before, c->word) < 0)
            return -1;
    }
    return 0;
}

int liwc_expand_conditions(liwc_state *st)
{
    size_t n_before = st->cb->n_patterns;
    for (size_t i = 0; i < st->n_conds; i++)
        if (expand(st, &st->conds[i], n_before) < 0)
            return -1;
    return 0;
}

void liwc_free_conditions(liwc_state *st)
{
    for (size_t i = 0; i < st->n_conds; i++)
        free_condition(&st->conds[i]);
    free(st->conds);
    st->conds = NULL;
    st->n_conds = 0;
}
