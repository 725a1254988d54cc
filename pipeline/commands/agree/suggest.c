/* suggest.c - what to add to a code: the words and two-word phrases most
 * over-represented in its false-negative units (the reference coded the unit,
 * qualpipe did not) against the units nobody coded, by log-likelihood G2 as
 * WordStat's keyword extraction ranks them (Dunning 1993; Rayson & Garside 2000),
 * each then tried as a pattern: the code stage codes every unit with all the
 * candidates at once, and each candidate's hits say how many false negatives it
 * would recover and how many false positives it would bring. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agree.h"
#include "commands/commands.h"
#include "core/host.h"
#include "util/grow.h"
#include "util/text.h"

/* Adds the words and adjacent pairs of unit u, folded, to counts (term ->
 * integer); adds their number to *total. Returns 0, or -1 when out of memory. */
static int count_terms(const agree_state *st, size_t u, json_t *counts, size_t *total)
{
    const unit *x = &st->units[u];
    const char *text = st->docs[x->doc].text + x->start;
    size_t len = x->end - x->start, pos = 0, a, b;
    qp_buf prev = {0}, cur = {0}, pair = {0};
    int rc = 0;
    while (rc == 0 && qp_token_next(text, len, &pos, &a, &b)) {
        cur.len = 0;
        if (qp_fold_append(&cur, text + a, b - a, 0) < 0)
            break; /* not UTF-8: the reader let none through */
        const char *terms[2] = {cur.data, NULL};
        if (prev.len) {
            pair.len = 0;
            if (qp_buf_append(&pair, prev.data, prev.len) < 0 || qp_buf_append(&pair, " ", 1) < 0 ||
                qp_buf_append(&pair, cur.data, cur.len) < 0)
                rc = -1;
            terms[1] = pair.data;
        }
        for (int i = 0; i < 2 && rc == 0 && terms[i]; i++) {
            json_t *v = json_object_get(counts, terms[i]);
            rc = json_object_set_new(counts, terms[i],
                                     json_integer(v ? json_integer_value(v) + 1 : 1));
        }
        (*total)++;
        prev.len = 0;
        rc = rc || qp_buf_append(&prev, cur.data, cur.len) < 0 ? -1 : 0;
    }
    qp_buf_free(&prev), qp_buf_free(&cur), qp_buf_free(&pair);
    return rc;
}

/* The G2 a term needs to be suggested: chi-square's 5% point with one degree of
 * freedom. */
#define G2_MIN 3.84

/* Returns G2 for a term seen a times in c tokens of false negatives and b times
 * in d tokens of uncoded units; 0 when it is not over-represented there. */
static double g2(double a, double b, double c, double d)
{
    if (a / c <= b / (d > 0 ? d : 1))
        return 0;
    double e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
    return 2 * (a * log(a / e1) + (b > 0 ? b * log(b / e2) : 0));
}

/* Returns 1 when term can be written as a pattern as it is: nothing a glob or
 * regex would read (the terms are folded, so no NEAR/BEFORE/WITH either). */
static int plain_term(const char *term)
{
    return *term && !strpbrk(term, "*?/\"\\[]{}()|^$+");
}

/* One suggestion: a term for a code, how telling it is, and what it would do. */
typedef struct candidate {
    size_t code;
    char *term;
    double g2;
    long in_fn, in_uncoded; /* occurrences in false-negative and in uncoded units */
    size_t recover, new_fp;
    size_t last_unit; /* the unit last counted + 1, so a unit counts once */
} candidate;

typedef struct suggester {
    const agree_state *st;
    const unsigned char *ref_marks, *marks;
    const coder *ref, *c;
    candidate *cands;
    size_t n_cands;
} suggester;

/* Returns 1 when both codings coded unit u (neither left it missing). */
static int both_coded(const suggester *g, size_t u)
{
    return !unit_is_missing(g->st, g->ref, u) && !unit_is_missing(g->st, g->c, u);
}

/* Returns 1 when unit u is a false negative of code k: the reference coded it,
 * the coding did not. */
static int false_negative(const suggester *g, size_t u, size_t k)
{
    size_t i = u * g->st->n_codes + k;
    return both_coded(g, u) && g->ref_marks[i] && !g->marks[i];
}

/* Returns 1 when neither coding gave unit u any code. */
static int uncoded(const suggester *g, size_t u)
{
    if (!both_coded(g, u))
        return 0;
    for (size_t k = 0; k < g->st->n_codes; k++)
        if (g->ref_marks[u * g->st->n_codes + k] || g->marks[u * g->st->n_codes + k])
            return 0;
    return 1;
}

/* The sink of the re-run: each unit's hits of each candidate. */
static int tally(void *ctx, qp_doc *doc, qp_error *err)
{
    suggester *g = ctx;
    size_t u = strtoul(doc->id + 1, NULL, 10), n = g->st->n_codes;
    if (doc->id[0] != 'u' || u >= g->st->n_units) {
        snprintf(err->message, sizeof err->message, "agree --suggest: a unit it did not make");
        return QP_ERR_USAGE;
    }
    for (size_t h = 0; h < doc->n_hits; h++) {
        size_t i = strtoul(doc->hits[h].code + 1, NULL, 10);
        if (i >= g->n_cands || g->cands[i].last_unit == u + 1)
            continue;
        candidate *cd = &g->cands[i];
        cd->last_unit = u + 1;
        if (false_negative(g, u, cd->code))
            cd->recover++;
        else if (both_coded(g, u) && !g->ref_marks[u * n + cd->code] && !g->marks[u * n + cd->code])
            cd->new_fp++;
    }
    return QP_OK;
}

/* Orders candidates: the highest G2 first, then by term. */
static int better(const candidate *x, const candidate *y)
{
    return x->g2 > y->g2 || (x->g2 == y->g2 && strcmp(x->term, y->term) < 0);
}

/* Adds code k's `want` most over-represented terms to g->cands. Returns 0, or
 * -1 when out of memory. */
static int pick(suggester *g, size_t k, size_t want, const json_t *plain, size_t plain_total,
                size_t *cap)
{
    json_t *fn = json_object();
    size_t fn_total = 0;
    int rc = fn ? 0 : -1;
    for (size_t u = 0; u < g->st->n_units && rc == 0; u++)
        if (false_negative(g, u, k))
            rc = count_terms(g->st, u, fn, &fn_total);
    candidate *best = calloc(want + 1, sizeof *best);
    size_t n = 0;
    const char *term;
    json_t *v;
    if (!best)
        rc = -1;
    json_object_foreach(rc == 0 ? fn : NULL, term, v)
    {
        long a = (long)json_integer_value(v);
        long b = (long)json_integer_value(json_object_get(plain, term));
        candidate c = {.code = k, .term = (char *)term, .in_fn = a, .in_uncoded = b};
        c.g2 = a >= 2 && plain_term(term)
                   ? g2((double)a, (double)b, (double)fn_total, (double)plain_total)
                   : 0;
        if (c.g2 < G2_MIN || (n == want && !better(&c, &best[n - 1])))
            continue;
        size_t at = n < want ? n++ : n - 1;
        while (at > 0 && better(&c, &best[at - 1])) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = c;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (qp_grow(&g->cands, cap, g->n_cands + 1, sizeof *g->cands, 32) < 0 ||
            !(best[i].term = strdup(best[i].term)))
            rc = -1;
        else
            g->cands[g->n_cands++] = best[i];
    }
    free(best);
    json_decref(fn);
    return rc;
}

/* Writes the candidates as a codebook (code sN: candidate N's pattern) and the
 * units as documents (uN), to files named in paths. Returns 0, or -1. */
static int write_inputs(const suggester *g, char paths[2][4096], int fds[2])
{
    const char *dir = getenv("TMPDIR");
    for (int i = 0; i < 2; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/qualpipe-suggest-XXXXXX%s",
                 dir && *dir ? dir : "/tmp", i ? ".jsonl" : ".json");
        if ((fds[i] = mkstemps(paths[i], i ? 6 : 5)) < 0)
            return -1;
    }
    json_t *codes = json_array();
    for (size_t i = 0; codes && i < g->n_cands; i++) {
        char id[32];
        snprintf(id, sizeof id, "s%zu", i);
        json_array_append_new(codes,
                              json_pack("{s:s, s:[s]}", "id", id, "patterns", g->cands[i].term));
    }
    json_t *cb = codes ? json_pack("{s:i, s:s, s:s, s:o}", "qualpipe_codebook", 1, "name",
                                   "suggestions", "version", "1", "codes", codes)
                       : NULL;
    FILE *f = fdopen(fds[0], "w");
    int bad = !cb || !f || json_dumpf(cb, f, JSON_COMPACT) < 0;
    json_decref(cb);
    bad = (f ? fclose(f) != 0 : 1) || bad;
    fds[0] = -1;
    FILE *d = fdopen(fds[1], "w");
    for (size_t u = 0; d && !bad && u < g->st->n_units; u++) {
        const unit *x = &g->st->units[u];
        char id[32];
        snprintf(id, sizeof id, "u%zu", u);
        json_t *doc = json_pack("{s:s, s:s%}", "id", id, "text",
                                g->st->docs[x->doc].text + x->start, (size_t)(x->end - x->start));
        bad = !doc || json_dumpf(doc, d, JSON_COMPACT) < 0 || fputc('\n', d) == EOF;
        json_decref(doc);
    }
    bad = (d ? fclose(d) != 0 : 1) || bad;
    fds[1] = -1;
    return bad ? -1 : 0;
}

/* Returns the suggestions as JSON: code id -> [{pattern, g2, ...}]. */
static json_t *suggestions_json(const suggester *g)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < g->n_cands; i++) {
        const candidate *c = &g->cands[i];
        const char *id = g->st->codes[c->code];
        json_t *a = json_object_get(o, id);
        if (!a)
            json_object_set_new(o, id, a = json_array());
        json_array_append_new(a, json_pack("{s:s, s:o, s:I, s:I, s:I, s:I}", "pattern", c->term,
                                           "g2", agree_stat(c->g2, 1, NULL, NULL, NULL),
                                           "in_false_negatives", (json_int_t)c->in_fn,
                                           "in_uncoded_units", (json_int_t)c->in_uncoded,
                                           "would_recover", (json_int_t)c->recover,
                                           "would_add_false_positives", (json_int_t)c->new_fp));
    }
    return o;
}

json_t *suggest(const agree_state *st, const unsigned char *ref_marks, const unsigned char *marks,
                size_t ref, size_t c, size_t want, char **plugin_args, int n_plugin_args)
{
    suggester g = {st, ref_marks, marks, &st->coders[ref], &st->coders[c], NULL, 0};
    json_t *plain = json_object(), *out = NULL;
    size_t plain_total = 0, cap = 0;
    int rc = plain ? 0 : -1;
    for (size_t u = 0; u < st->n_units && rc == 0; u++)
        if (uncoded(&g, u))
            rc = count_terms(st, u, plain, &plain_total);
    for (size_t k = 0; k < st->n_codes && rc == 0; k++)
        rc = pick(&g, k, want, plain, plain_total, &cap);
    json_decref(plain);
    char paths[2][4096] = {"", ""};
    int fds[2] = {-1, -1};
    if (rc == 0 && g.n_cands) {
        rc = write_inputs(&g, paths, fds);
        if (rc < 0)
            qp_errorf("agree --suggest: cannot write the candidates to %s", paths[0]);
        else if (qp_code_documents(paths[0], NULL, paths[1], plugin_args, n_plugin_args, tally,
                                   &g) != QP_EXIT_OK)
            rc = -1;
    } else if (rc < 0) {
        qp_errorf("out of memory");
    }
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        if (*paths[i])
            unlink(paths[i]);
    }
    if (rc == 0)
        out = suggestions_json(&g);
    for (size_t i = 0; i < g.n_cands; i++)
        free(g.cands[i].term);
    free(g.cands);
    return out;
}
