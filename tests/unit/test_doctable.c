/* test_doctable.c - the per-document rows kept out of memory: built here with a
 * 4 KiB buffer, so a few hundred rows make many sorted runs on the temporary
 * file, merged back in id order; ids seen before are found exactly. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctable.h"

typedef struct collected {
    char ids[4000][16];
    char rows[4000][32];
    size_t n;
} collected;

static int collect(void *ctx, const char *id, const char *row, size_t len)
{
    collected *c = ctx;
    cr_assert_lt(c->n, 4000);
    snprintf(c->ids[c->n], sizeof c->ids[c->n], "%s", id);
    snprintf(c->rows[c->n], sizeof c->rows[c->n], "%.*s", (int)len, row);
    c->n++;
    return QP_OK;
}

/* The i-th id of a fixed shuffle, so rows arrive out of order. */
static void id_of(size_t i, char *buf, size_t size)
{
    snprintf(buf, size, "d%05zu", (i * 7919) % 3001);
}

Test(doctable, rows_come_back_in_id_order_across_runs)
{
    doctable *t = doctable_new();
    cr_assert_not_null(t);
    qp_error err;
    char id[16], row[32];
    for (size_t i = 0; i < 3001; i++) {
        id_of(i, id, sizeof id);
        snprintf(row, sizeof row, "{\"n\":%zu}", i);
        cr_assert_eq(doctable_add(t, id, row, strlen(row), &err), QP_OK, "%s", err.message);
    }
    cr_assert_eq(doctable_count(t), 3001);
    static collected c;
    for (int pass = 0; pass < 2; pass++) { /* it may be read more than once */
        c.n = 0;
        cr_assert_eq(doctable_each(t, collect, &c, &err), QP_OK, "%s", err.message);
        cr_assert_eq(c.n, 3001);
        for (size_t k = 1; k < c.n; k++)
            cr_assert_lt(strcmp(c.ids[k - 1], c.ids[k]), 0, "%s before %s", c.ids[k - 1], c.ids[k]);
    }
    /* Each id keeps its own row. */
    for (size_t k = 0; k < c.n; k++) {
        size_t i = strtoul(strchr(c.rows[k], ':') + 1, NULL, 10);
        id_of(i, id, sizeof id);
        cr_assert_str_eq(c.ids[k], id);
    }
    doctable_free(t);
}

Test(doctable, seen_ids_are_found_exactly)
{
    doctable *t = doctable_new();
    qp_error err;
    char id[16];
    for (size_t i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "doc-%zu", i * 2);
        cr_assert_eq(doctable_add(t, id, "{}", 2, &err), QP_OK);
    }
    for (size_t i = 0; i < 4000; i++) {
        snprintf(id, sizeof id, "doc-%zu", i);
        cr_assert_eq(doctable_has(t, id), i % 2 == 0, "%s", id);
    }
    cr_assert_eq(doctable_has(t, "doc-"), 0);
    cr_assert_eq(doctable_has(t, ""), 0);
    doctable_free(t);
}

Test(doctable, an_empty_table_visits_nothing)
{
    doctable *t = doctable_new();
    qp_error err;
    static collected c;
    c.n = 0;
    cr_assert_eq(doctable_each(t, collect, &c, &err), QP_OK);
    cr_assert_eq(c.n, 0);
    cr_assert_eq(doctable_has(t, "x"), 0);
    doctable_free(t);
}
