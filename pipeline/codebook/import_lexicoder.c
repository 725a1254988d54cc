/* import_lexicoder.c - Lexicoder dictionaries (.lc3, the format LSD2015 ships
 * in): a line "+name" (or "+name#RRGGBB", with the colour Lexicoder shows it
 * in) starts a category, every other line is an entry of it. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* Cuts a trailing colour ("#AA0000", "#A00") off a category name, in place. */
static void drop_colour(char *name)
{
    char *hash = strrchr(name, '#');
    if (!hash || hash == name)
        return;
    size_t n = strlen(hash + 1);
    for (size_t i = 1; i <= n; i++)
        if (!isxdigit((unsigned char)hash[i]))
            return;
    if (n == 6 || n == 3)
        *hash = '\0';
}

/* Returns the codebook of a .lc3 file, or NULL with err naming the file and line. */
qp_codebook *qp_import_lexicoder(const char *path, const char *data, size_t len, qp_warn_fn warn,
                                 qp_error *err)
{
    char *text;
    qp_codebook *cb;
    if (qp_import_lines(path, "Lexicoder dictionary", data, len, &text, &cb, err) < 0)
        return NULL;
    qp_id_maker ids;
    int failed = qp_id_maker_init(&ids, 1, 1) < 0;
    long category = -1;
    size_t line_no = 0;
    for (char *line = text, *next; !failed && line && *line; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *p = line + strspn(line, " \t");
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (n == 0)
            continue;
        if (*p == '+') {
            p += 1 + strspn(p + 1, " \t");
            drop_colour(p);
            failed = *p == '\0' || (category = qp_import_category(cb, &ids, -1, p, "")) < 0;
            if (failed)
                snprintf(err->message, sizeof err->message, "%.300s:%zu: %.600s", path, line_no,
                         *p ? cb->error : "a category line is \"+name\"");
        } else if (category < 0) {
            warn("codebook", "%s:%zu: entry \"%s\" comes before any \"+category\" line; left out",
                 path, line_no, p);
        } else if (qp_import_pattern(cb, (size_t)category, p, path, line_no, warn) < 0) {
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
            failed = 1;
        }
    }
    return qp_import_finish(cb, &ids, text, failed);
}
