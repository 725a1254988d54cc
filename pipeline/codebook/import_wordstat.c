/* import_wordstat.c - WordStat categorisation dictionaries (.cat) and plain
 * category<TAB>pattern lists (.tsv). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"

#define MAX_DEPTH 32

/* Reads a .cat: each line is indented by tabs to its depth (spaces before or
 * among the tabs ignored); a line ending in
 * "(weight)" is an entry of the category above it, any other line a category,
 * whose id is its path ("ECONOMY.plus_STATE_plus"), so one name under two
 * parents is two codes. Underscores in entries stand for spaces. Returns the
 * codebook, or NULL. */
qp_codebook *qp_import_wordstat(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                qp_error *err)
{
    char *text;
    qp_codebook *cb;
    if (qp_import_lines(path, "WordStat dictionary", data, len, &text, &cb, err) < 0)
        return NULL;
    qp_id_maker ids;
    if (qp_id_maker_init(&ids, 1, 1) < 0)
        goto nomem;
    long at_depth[MAX_DEPTH]; /* the category open at each depth */
    size_t depth_open = 0, line_no = 0;
    for (char *line = text, *next; line && *line; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        /* The depth is the number of tabs before the text; spaces among them
         * (files saved by some editors: "   \tBW") do not count. */
        size_t depth = 0;
        char *p = line;
        for (; *p == '\t' || *p == ' '; p++)
            depth += *p == '\t';
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (n == 0)
            continue;
        char *paren = n > 2 && p[n - 1] == ')' ? strrchr(p, '(') : NULL;
        if (paren) {
            /* An entry: "WORD* (1)". */
            if (depth == 0 || depth > depth_open) {
                warn("codebook", "%s:%zu: entry \"%s\" is not under a category; left out", path,
                     line_no, p);
                continue;
            }
            *paren = '\0';
            for (char *q = p; *q; q++)
                if (*q == '_')
                    *q = ' ';
            size_t m = strlen(p);
            while (m && p[m - 1] == ' ')
                p[--m] = '\0';
            if (m && qp_import_pattern(cb, (size_t)at_depth[depth - 1], p, path, line_no, warn) < 0)
                goto nomem;
            continue;
        }
        if (depth > depth_open || depth >= MAX_DEPTH) {
            snprintf(err->message, sizeof err->message,
                     "%s:%zu: category \"%s\" is indented deeper than the one above it", path,
                     line_no, p);
            goto fail;
        }
        long code = qp_import_category(cb, &ids, depth ? at_depth[depth - 1] : -1, p, "");
        if (code < 0) {
            snprintf(err->message, sizeof err->message, "%.300s:%zu: %.600s", path, line_no,
                     cb->error);
            goto fail;
        }
        at_depth[depth] = code;
        depth_open = depth + 1;
    }
    return qp_import_finish(cb, &ids, text, 0);
nomem:
    snprintf(err->message, sizeof err->message, "%s: out of memory", path);
fail:
    return qp_import_finish(cb, &ids, text, 1);
}

/* Returns the code for a "parent/child" category path, making codes as needed;
 * -1 with err filled when out of memory. */
static long code_for_path(qp_codebook *cb, qp_id_maker *ids, const char *category, const char *path,
                          size_t line_no, qp_error *err)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", category);
    long parent = -1;
    for (char *part = buf, *slash; part; part = slash) {
        slash = strchr(part, '/');
        if (slash)
            *slash++ = '\0';
        if ((parent = qp_import_category(cb, ids, parent, part, "")) < 0) {
            snprintf(err->message, sizeof err->message, "%.300s:%zu: %.600s", path, line_no,
                     cb->error);
            return -1;
        }
    }
    return parent;
}

/* Reads "category<TAB>pattern" lines; '#' starts a comment line, and a first line
 * "category<TAB>pattern" is taken as a header. Returns the codebook, or NULL. */
qp_codebook *qp_import_tsv(const char *path, const char *data, size_t len, qp_warn_fn warn,
                           qp_error *err)
{
    char *text;
    qp_codebook *cb;
    if (qp_import_lines(path, "category-pattern list", data, len, &text, &cb, err) < 0)
        return NULL;
    qp_id_maker ids;
    if (qp_id_maker_init(&ids, 1, 1) < 0) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        free(text);
        qp_codebook_free(cb);
        return NULL;
    }
    size_t line_no = 0;
    int failed = 0;
    for (char *line = text, *next; !failed && line && *line; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (*line == '#' || *line == '\0' ||
            (line_no == 1 && strncasecmp(line, "category\tpattern", 16) == 0))
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab == line || !tab[1]) {
            snprintf(err->message, sizeof err->message,
                     "%s:%zu: a line is \"category<TAB>pattern\"", path, line_no);
            failed = 1;
            break;
        }
        *tab = '\0';
        long code = code_for_path(cb, &ids, line, path, line_no, err);
        failed = code < 0;
        if (!failed && qp_import_pattern(cb, (size_t)code, tab + 1, path, line_no, warn) < 0) {
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
            failed = 1;
        }
    }
    return qp_import_finish(cb, &ids, text, failed);
}
