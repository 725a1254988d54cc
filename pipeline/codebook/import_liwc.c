/* import_liwc.c - LIWC dictionaries: the classic .dic and LIWC-22's .dicx. */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* A category of the legend: its number, the code made for it, its line. */
typedef struct category {
    long number;
    long code;
    size_t line_no;
} category;

/* Returns the code for LIWC category number n, or -1. */
static long code_of(const category *cats, size_t n_cats, long n)
{
    for (size_t i = 0; i < n_cats; i++)
        if (cats[i].number == n)
            return cats[i].code;
    return -1;
}

/* What the .dic reader keeps between lines. */
typedef struct liwc_state {
    const char *path;
    size_t line_no;
    qp_codebook *cb;
    category *cats;
    size_t n_cats;
    qp_warn_fn warn;
    qp_error *err;
} liwc_state;

/* Reads one legend line, "<number><TAB><name>", as a code. Returns 0, or -1 with
 * the error filled. */
static int legend_line(liwc_state *st, char *p)
{
    char *end;
    long number = strtol(p, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == p || !*end) {
        snprintf(st->err->message, sizeof st->err->message,
                 "%s:%zu: a category line is \"<number><TAB><name>\"", st->path, st->line_no);
        return -1;
    }
    for (size_t i = 0; i < st->n_cats; i++)
        if (st->cats[i].number == number) {
            snprintf(st->err->message, sizeof st->err->message,
                     "%.300s:%zu: category number %ld is given twice (\"%.200s\" on line %zu, and "
                     "here), so entries cannot say which they mean: number them apart",
                     st->path, st->line_no, number, st->cb->codes[st->cats[i].code].id,
                     st->cats[i].line_no);
            return -1;
        }
    char id[256];
    long code = qp_codebook_add_code(st->cb, NULL, qp_import_code_id(end, id, sizeof id), end, "");
    category *c = code < 0 ? NULL : realloc(st->cats, (st->n_cats + 1) * sizeof *c);
    if (!c) {
        snprintf(st->err->message, sizeof st->err->message, "%.300s:%zu: %.600s", st->path,
                 st->line_no, code < 0 ? st->cb->error : "out of memory");
        return -1;
    }
    st->cats = c;
    st->cats[st->n_cats++] = (category){number, code, st->line_no};
    return 0;
}

/* Reads one entry line: the word or phrase up to the first tab (or else up to
 * the first number), then its category numbers. Returns 0, or -1 when out of
 * memory. */
static int entry_line(liwc_state *st, char *p)
{
    char *tab = strchr(p, '\t'), *ids;
    if (tab) {
        *tab = '\0';
        ids = tab + 1;
    } else {
        ids = p;
        while (*ids && !(ids > p && ids[-1] == ' ' && *ids >= '0' && *ids <= '9'))
            ids++;
        if (*ids)
            ids[-1] = '\0';
    }
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        p[--n] = '\0';
    int any = 0;
    for (char *q = ids; *q;) {
        while (*q == ' ' || *q == '\t')
            q++;
        if (!*q)
            break;
        char *end;
        long number = strtol(q, &end, 10);
        long code = end > q ? code_of(st->cats, st->n_cats, number) : -1;
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
        any = 1;
        q = end;
    }
    if (!any && !*ids)
        st->warn("codebook", "%s:%zu: entry \"%s\" has no category; left out", st->path,
                 st->line_no, p);
    return 0;
}

/* Returns the codebook of a LIWC .dic file: a legend between two % lines, then
 * one entry a line. NULL with err naming the file and line when it is not one. */
qp_codebook *qp_import_liwc_dic(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                qp_error *err)
{
    char *text;
    liwc_state st = {.path = path, .warn = warn, .err = err};
    if (qp_import_lines(path, "LIWC dictionary", data, len, &text, &st.cb, err) < 0)
        return NULL;
    int section = 0, bad = 0; /* section: 0 before the legend, 1 in it, 2 entries */
    for (char *line = text, *next; !bad && line && *line; line = next) {
        st.line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            continue;
        if (*p == '%' && section < 2)
            section++;
        else if (section == 0)
            bad = snprintf(err->message, sizeof err->message,
                           "%s:%zu: a LIWC dictionary starts with a line holding %%", path,
                           st.line_no) > 0;
        else
            bad = (section == 1 ? legend_line(&st, p) : entry_line(&st, p)) < 0;
    }
    if (!bad && section < 2)
        bad = snprintf(err->message, sizeof err->message,
                       "%s: the category legend is not closed by a second %% line", path) > 0;
    free(st.cats);
    free(text);
    if (bad) {
        qp_codebook_free(st.cb);
        return NULL;
    }
    return st.cb;
}

/* Parser state for a .dicx. */
typedef struct dicx_state {
    qp_codebook *cb;
    const char *path;
    qp_warn_fn warn;
    size_t row, col;
    long *codes; /* column -> code */
    size_t n_cols;
    char *entry;
    int failed;
    char error[512];
} dicx_state;

static void dicx_field(void *data, size_t len, void *ud)
{
    dicx_state *st = ud;
    const char *s = data ? data : "";
    if (st->failed)
        return;
    if (st->row == 0) {
        if (st->col > 0) {
            char id[256], name[256];
            snprintf(name, sizeof name, "%.*s", (int)len, s);
            long code = qp_codebook_add_code(st->cb, NULL, qp_import_code_id(name, id, sizeof id),
                                             name, "");
            long *c = realloc(st->codes, (st->col + 1) * sizeof *c);
            if (c)
                st->codes = c; /* freed by the caller, whatever happens next */
            if (code < 0 || !c) {
                snprintf(st->error, sizeof st->error, "row 1: %.480s",
                         code < 0 ? st->cb->error : "out of memory");
                st->failed = 1;
                return;
            }
            st->codes[st->col] = code;
            st->n_cols = st->col + 1;
        }
    } else if (st->col == 0) {
        free(st->entry);
        st->entry = strndup(s, len);
    } else if (len && (s[0] == 'X' || s[0] == 'x') && st->entry && *st->entry) {
        if (st->col >= st->n_cols) {
            st->warn("codebook", "%s: row %zu: a mark outside the categories; left out", st->path,
                     st->row + 1);
        } else if (qp_import_pattern(st->cb, (size_t)st->codes[st->col], st->entry, st->path,
                                     st->row + 1, st->warn) < 0) {
            snprintf(st->error, sizeof st->error, "out of memory");
            st->failed = 1;
        }
    }
    st->col++;
}

static void dicx_row(int c, void *ud)
{
    (void)c;
    dicx_state *st = ud;
    st->row++;
    st->col = 0;
}

/* Reads a LIWC-22 .dicx (CSV): a header row of category names after the entry
 * column, then one row per entry with an X under each category it belongs to.
 * Returns the codebook, or NULL with err. */
qp_codebook *qp_import_liwc_dicx(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                 qp_error *err)
{
    dicx_state st = {.path = path, .warn = warn};
    if (!(st.cb = qp_import_start(path, "LIWC-22 dictionary", err)))
        return NULL;
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        qp_codebook_free(st.cb);
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return NULL;
    }
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (csv_parse(&p, data + skip, len - skip, dicx_field, dicx_row, &st) != len - skip ||
        csv_fini(&p, dicx_field, dicx_row, &st) != 0) {
        if (!st.failed)
            snprintf(st.error, sizeof st.error, "row %zu: %s", st.row + 1,
                     csv_strerror(csv_error(&p)));
        st.failed = 1;
    }
    csv_free(&p);
    free(st.codes);
    free(st.entry);
    if (st.failed) {
        snprintf(err->message, sizeof err->message, "%s: %s", path, st.error);
        qp_codebook_free(st.cb);
        return NULL;
    }
    return st.cb;
}
