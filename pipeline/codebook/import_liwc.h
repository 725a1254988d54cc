/* import_liwc.h - what the LIWC .dic reader's files share: import_liwc.c reads
 * the legend and the entries, import_liwc_conditions.c the conditional entries
 * of LIWC 2007 ("like  (02 134)125/464"). Not part of any interface. */
#ifndef QP_IMPORT_LIWC_H
#define QP_IMPORT_LIWC_H

#include "import.h"

#define LIWC_MAX_DEPTH 32
#define LIWC_MAX_CONDITION 16 /* category numbers in one condition */
#define NO_NUMBER (-1L)

/* A category of the legend: its number (NO_NUMBER for a parent without one),
 * the code made for it, its line. */
typedef struct liwc_category {
    long number;
    long code;
    size_t line_no;
} liwc_category;

/* An entry whose category depends on a neighbouring word: `word` goes to code
 * `then` when the word before it is in one of the `n_if` codes `if_codes`, or
 * (a condition on the next word) when the word after it is one of the `n_next`
 * words `next`; and to code `otherwise` when not (-1: nowhere). */
typedef struct liwc_condition {
    char *word;
    long if_codes[LIWC_MAX_CONDITION];
    size_t n_if;
    char *next[LIWC_MAX_CONDITION];
    size_t n_next;
    long then, otherwise;
    size_t line_no;
} liwc_condition;

/* What the .dic reader keeps between lines. */
typedef struct liwc_state {
    const char *path;
    size_t line_no;
    qp_codebook *cb;
    qp_id_maker ids;
    liwc_category *cats;
    size_t n_cats;
    long at_depth[LIWC_MAX_DEPTH]; /* the legend's category open at each depth */
    liwc_condition *conds;
    size_t n_conds;
    qp_warn_fn warn;
    qp_error *err;
} liwc_state;

/* Returns the code for LIWC category number n, or -1. */
long liwc_code_of(const liwc_state *st, long n);

/* Reads the conditional category written at *q, "(02 134)125/464" (on the
 * word before) or "<of>131/125" (on the word after), for entry `word`, moving
 * *q past it. Returns 0, or -1 when out of memory (err filled);
 * a condition that cannot be read is named through warn and skipped. */
int liwc_read_condition(liwc_state *st, const char *word, char **q);

/* Drops the branches of this line's conditions (from index `first`) that send
 * the word to a category it is in anyway, listed in codes[0, n). */
void liwc_drop_covered_branches(liwc_state *st, size_t first, const long *codes, size_t n);

/* Turns every condition read into patterns, once all entries are in: for each
 * pattern P of the condition's categories, the phrase "P word" in `then` (for
 * each next word N, "word N"), and in `otherwise` the word with those phrases
 * as exclusions. Returns 0, or -1 when out
 * of memory (err filled). */
int liwc_expand_conditions(liwc_state *st);

/* Frees the conditions. */
void liwc_free_conditions(liwc_state *st);

#endif
