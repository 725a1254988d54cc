/* import_liwc_conditions.c - LIWC 2007's conditional entries. In
 *
 *     like    (02 134)125/464    (02 134)126    253
 *
 * "(02 134)125/464" files "like" under category 125 when the word before it is
 * in category 02 or 134 ("I like", "would like"), and under 464 otherwise; with
 * no "/464", nowhere otherwise. The numbers inside the parentheses are the
 * condition, never categories of the word. A condition on the next word
 * ("<of>131/125") is not supported: it is named and left out. */
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

/* Parses "(a b ...)T" or "(a b ...)T/O" at *q into c. Returns 1 when it reads
 * as one with every number in the legend, else 0; *q is moved past it. */
static int parse_condition(const liwc_state *st, char **q, liwc_condition *c)
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
    c->then = read_category(st, &p);
    c->otherwise = -1;
    if (*p == '/') {
        p++;
        c->otherwise = read_category(st, &p);
        ok = ok && c->otherwise >= 0;
    }
    ok = ok && c->then >= 0 && (!*p || *p == ' ' || *p == '\t');
    while (*p && *p != ' ' && *p != '\t')
        p++;
    *q = p;
    return ok;
}

int liwc_read_condition(liwc_state *st, const char *word, char **q)
{
    char *start = *q;
    liwc_condition c = {.line_no = st->line_no};
    int ok = **q == '(' && parse_condition(st, q, &c);
    if (*start == '<')
        while (**q && **q != ' ' && **q != '\t')
            (*q)++;
    if (!ok) {
        st->warn("codebook",
                 "%s:%zu: entry \"%s\": the condition \"%.*s\" %s; that part of the entry is "
                 "left out",
                 st->path, st->line_no, word, (int)(*q - start), start,
                 *start == '<' ? "depends on the next word, which qualpipe does not support"
                               : "is not \"(categories)category\" or \"(categories)category/"
                                 "category\" with numbers of the legend");
        return 0;
    }
    liwc_condition *grown = realloc(st->conds, (st->n_conds + 1) * sizeof *grown);
    if (grown)
        st->conds = grown;
    if (!grown || !(c.word = strdup(word))) {
        snprintf(st->err->message, sizeof st->err->message, "%s: out of memory", st->path);
        return -1;
    }
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

/* Expands one condition over the patterns the codebook had before any
 * condition was expanded (n_before). Returns 0, or -1 when out of memory. */
static int expand(liwc_state *st, const liwc_condition *c, size_t n_before)
{
    if (c->otherwise >= 0 && add(st, c->otherwise, c->word, 0, c->line_no) < 0)
        return -1;
    for (size_t i = 0; i < n_before; i++) {
        const qp_pattern *p = &st->cb->patterns[i];
        if (p->exclusion || p->kind > QP_PAT_PHRASE || !among((long)p->code, c->if_codes, c->n_if))
            continue;
        char phrase[1024];
        if ((size_t)snprintf(phrase, sizeof phrase, "%s %s", p->text, c->word) >= sizeof phrase)
            continue;
        if ((c->then >= 0 && add(st, c->then, phrase, 0, c->line_no) < 0) ||
            (c->otherwise >= 0 && add(st, c->otherwise, phrase, 1, c->line_no) < 0))
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
        free(st->conds[i].word);
    free(st->conds);
    st->conds = NULL;
    st->n_conds = 0;
}
