/* options_help.c - option tables as help text, and the few options read before
 * the tables are known (--help, --plugin-dir, --stages). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "options.h"

/* Returns 1 when a table other than `self` declares `name` (a command's table
 * counts too), else 0. */
static int name_taken(const qp_option_table *tables, size_t n_tables, size_t self, const char *name)
{
    for (size_t t = 0; t < n_tables; t++)
        for (const qp_option_spec *s = tables[t].specs; t != self && s && s->name; s++)
            if (!(s->flags & QP_OPT_OPERANDS) && strcmp(s->name, name) == 0)
                return 1;
    return 0;
}

/* Writes the left column of one option's help line into buf. */
static void left_column(const qp_option_spec *s, const char *prefix, char *buf, size_t size)
{
    const char *arg = s->type == QP_TYPE_FLAG ? NULL : s->arg_name ? s->arg_name : "VALUE";
    if (s->flags & QP_OPT_OPERANDS)
        snprintf(buf, size, "%s...", s->arg_name ? s->arg_name : s->name);
    else if (s->short_name && !*prefix)
        snprintf(buf, size, "-%c, --%s%s%s", s->short_name, s->name, arg ? " " : "",
                 arg ? arg : "");
    else
        snprintf(buf, size, "    --%s%s%s%s", prefix, s->name, arg ? " " : "", arg ? arg : "");
}

#define HELP_COLUMN 31
#define HELP_WIDTH 79

/* Prints text from column `col` on, wrapped at HELP_WIDTH with continuation
 * lines indented to HELP_COLUMN. */
static void wrapped(FILE *out, const char *text, size_t col)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t room = HELP_WIDTH > col ? HELP_WIDTH - col : 20, n = strlen(p);
        if (n > room) {
            n = room;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = strcspn(p, " ");
        }
        fprintf(out, "%.*s", (int)n, p);
        p += n;
        if (*p) {
            fprintf(out, "\n%*s", HELP_COLUMN, "");
            col = HELP_COLUMN;
        }
    }
    fputc('\n', out);
}

void qp_options_print(FILE *out, const qp_option_table *tables, size_t n_tables, size_t i)
{
    const qp_option_table *t = &tables[i];
    if (t->owner && t->specs && t->specs->name)
        fprintf(out, "\n Stage %s:\n", t->owner);
    for (const qp_option_spec *s = t->specs; s && s->name; s++) {
        char prefix[80] = "", left[128];
        if (t->owner && name_taken(tables, n_tables, i, s->name))
            snprintf(prefix, sizeof prefix, "%s.", t->owner);
        left_column(s, prefix, left, sizeof left);
        char text[1536];
        snprintf(text, sizeof text, "%s%s%s%s%s", s->help ? s->help : "",
                 s->default_value ? " (default: " : "", s->default_value ? s->default_value : "",
                 s->default_value ? ")" : "", (s->flags & QP_OPT_REPEAT) ? " (repeatable)" : "");
        int w = fprintf(out, "  %-28s ", left);
        if (w > HELP_COLUMN) {
            fprintf(out, "\n%*s", HELP_COLUMN, "");
            w = HELP_COLUMN;
        }
        wrapped(out, text, (size_t)w);
    }
}

int qp_options_want_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

const char *qp_options_peek(int argc, char **argv, const char *name)
{
    const char *found = NULL;
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (strncmp(a, "--", 2) || strncmp(a + 2, name, n))
            continue;
        if (a[2 + n] == '=')
            found = a + 3 + n;
        else if (!a[2 + n] && i + 1 < argc)
            found = argv[++i];
    }
    return found;
}

size_t qp_options_plugin_dirs(int argc, char **argv, const char ***dirs)
{
    size_t n = 0;
    *dirs = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *dir = NULL;
        if (strcmp(a, "--") == 0)
            break;
        if (strcmp(a, "--plugin-dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strncmp(a, "--plugin-dir=", 13) == 0)
            dir = a + 13;
        if (!dir)
            continue;
        const char **grown = realloc(*dirs, (n + 1) * sizeof *grown);
        if (!grown)
            break;
        *dirs = grown;
        (*dirs)[n++] = dir;
    }
    return n;
}
