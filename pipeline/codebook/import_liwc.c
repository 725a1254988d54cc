/* import_liwc.c - LIWC .dic dictionaries: the legend (nested by tabs in
 * LIWC 2015), then the entries; conditional entries are read by
 * import_liwc_conditions.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "import_liwc.h"

long liwc_code_of(const liwc_state *st, long n)
{
    for (size_t i = 0; i < st->n_cats; i++)
        if (st->cats[i].number == n && n != NO_NUMBER)
            return st->cats[i].code;
    return -1;
}

/* Returns 0 when no other category has `number`, or -1 with the error filled. */
static int number_unused(liwc_state *st, long number)
{
    for (size_t i = 0; i < st->n_cats; i++)
        if (number != NO_NUMBER && st->cats[i].number == number) {
            snprintf(st->err->message, sizeof st->err->message,
                     "%.300s:%zu: category number %ld is given twice (\"%.200s\" on line %zu, and "
                     "here), so entries cannot say which they mean: number them apart",
                     st->path, st->line_no, number, st->cb->codes[st->cats[i].code].label,
                     st->cats[i].line_no);
            return -1;
        }
    return 0;
}

/* Reads one legend line, "<number><TAB><name>" indented by `depth` tabs under
 * the category above it (LIWC 2015), as a code. A line with a name and no
 * number is a parent no entry can name, kept with a warning as quanteda keeps
 * it. Returns 0, or -1 with the error filled. */
static int legend_line(liwc_state *st, char *p, size_t depth)
{
    char *end;
    long number = strtol(p, &end, 10);
    if (end == p)
        number = NO_NUMBER;
    while (*end == ' ' || *end == '\t')
        end++;
    if (!*end) {
        snprintf(st->err->message, sizeof st->err->message,
                 "%s:%zu: a category line is \"<number><TAB><name>\"", st->path, st->line_no);
        return -1;
    }
    if (depth >= LIWC_MAX_DEPTH || (depth > 0 && st->at_depth[depth - 1] < 0)) {
        snprintf(st->err->message, sizeof st->err->message,
                 "%s:%zu: category \"%.200s\" is indented deeper than the one above it", st->path,
                 st->line_no, end);
        return -1;
    }
    if (number_unused(st, number) < 0)
        return -1;
    if (number == NO_NUMBER)
        st->warn("codebook",
                 "%s:%zu: category \"%s\" has no number, so no entry can name it; kept as a "
                 "parent of the categories under it",
                 st->path, st->line_no, end);
    long code = qp_import_category(st->cb, &st->ids, depth ? st->at_depth[depth - 1] : -1, end, "");
    liwc_category *c = code < 0 ? NULL : realloc(st->cats, (st->n_cats + 1) * sizeof *c);
    if (!c) {
        snprintf(st->err->message, sizeof st->err->message, "%.300s:%zu: %.600s", st->path,
                 st->line_no, code < 0 ? st->cb->error : "out of memory");
        return -1;
    }
    st->cats = c;
    st->cats[st->n_cats++] = (liwc_category){number, code, st->line_no};
    st->at_depth[depth] = code;
    for (size_t d = depth + 1; d < LIWC_MAX_DEPTH; d++)
        st->at_depth[d] = -1;
    return 0;
}

/* Splits an entry line into the word or phrase and its categories: the word
 * ends at the first tab, or else before the first space followed by a digit or
 * a condition's '(' or '<'. Returns the categories part. */
static char *split_entry(char *p)
{
    char *tab = strchr(p, '\t'), *ids;
    if (tab) {
        *tab = '\0';
        ids = tab + 1;
    } else {
        ids = p;
        while (*ids && !(ids > p && ids[-1] == ' ' && strchr("0123456789(<", *ids)))
            ids++;
        if (*ids)
            ids[-1] = '\0';
    }
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        p[--n] = '\0';
    return ids;
}

/* Reads one entry line: the word or phrase, then its category numbers and
 * conditions. Returns 0, or -1 when out of memory. */
static int entry_line(liwc_state *st, char *p)
{
    char *ids = split_entry(p);
    long plain[64];
    size_t n_plain = 0, first_cond = st->n_conds;
    for (char *q = ids; *q;) {
        while (*q == ' ' || *q == '\t')
            q++;
        if (!*q)
            break;
        if (*q == '(' || *q == '<') {
            if (liwc_read_condition(st, p, &q) < 0)
                return -1;
            continue;
        }
        char *end;
        long number = strtol(q, &end, 10);
        long code = end > q && strchr(" \t", *end) ? liwc_code_of(st, number) : -1;
        if (code < 0) {
            st->warn("codebook",
                     "%s:%zu: entry \"%s\": \"%.20s\" is not a category number of the legend; "
                     "left out",
                     st->path, st->line_no, p, q);
            while (*q && *q != ' ' && *q != '\t')
                q++;
            continue;
        }
        if (qp_import_pattern(st->cb, (size_t)code, p, st->path, st->line_no, st->warn) < 0) {
            snprintf(st->err->message, sizeof st->err->message, "%s: out of memory", st->path);
            return -1;
        }
        if (n_plain < sizeof plain / sizeof plain[0])
            plain[n_plain++] = code;
        q = end;
    }
    liwc_drop_covered_branches(st, first_cond, plain, n_plain);
    if (!n_plain && st->n_conds == first_cond && !*ids)
        st->warn("codebook", "%s:%zu: entry \"%s\" has no category; left out", st->path,
                 st->line_no, p);
    return 0;
}

/* Reads the lines of a .dic in text: a legend between two % lines, then one
 * entry a line. Returns 0, or -1 with the error filled. */
static int read_lines(liwc_state *st, char *text)
{
    int section = 0; /* 0 before the legend, 1 in it, 2 entries */
    for (char *line = text, *next; line && *line; line = next) {
        st->line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t tabs = strspn(line, "\t");
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            continue;
        int rc = 0;
        if (*p == '%' && section < 2)
            section++;
        else if (section == 0)
            rc = snprintf(st->err->message, sizeof st->err->message,
                          "%s:%zu: a LIWC dictionary starts with a line holding %%", st->path,
                          st->line_no) > 0
                     ? -1
                     : 0;
        else
            rc = section == 1 ? legend_line(st, p, tabs) : entry_line(st, p);
        if (rc < 0)
            return -1;
    }
    if (section < 2) {
        snprintf(st->err->message, sizeof st->err->message,
                 "%s: the category legend is not closed by a second %% line", st->path);
        return -1;
    }
    return liwc_expand_conditions(st);
}

/* Returns the codebook of a LIWC .dic file, or NULL with err naming the file
 * and line when it is not one. */
qp_codebook *qp_import_liwc_dic(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                qp_error *err)
{
    char *text;
    liwc_state st = {.path = path, .warn = warn, .err = err};
    for (size_t d = 0; d < LIWC_MAX_DEPTH; d++)
        st.at_depth[d] = -1;
    if (qp_import_lines(path, "LIWC dictionary", data, len, &text, &st.cb, err) < 0)
        return NULL;
    int bad = qp_id_maker_init(&st.ids, 1, 0) < 0;
    if (bad)
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
    if (!bad)
        bad = read_lines(&st, text) < 0;
    qp_id_maker_free(&st.ids);
    liwc_free_conditions(&st);
    free(st.cats);
    free(text);
    if (bad) {
        qp_codebook_free(st.cb);
        return NULL;
    }
    return st.cb;
}
