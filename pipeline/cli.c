/* cli.c - option parsing with getopt_long over tables gathered from the host and
 * the stages, so `qualpipe run` accepts every stage's options. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_OPTIONS 128

/* Returns 0 with the value appended to p, or -1 when out of memory. */
static int push(qp_parsed *p, const char *name, const char *value)
{
    qp_option_value *v = realloc(p->values, (p->n + 1) * sizeof *v);
    if (!v)
        return -1;
    p->values = v;
    v[p->n].name = name;
    v[p->n].value = value;
    p->n++;
    return 0;
}

/* Returns "-c/--codebook" style text for messages, in buf. */
static const char *option_label(const qp_option_spec *s, char *buf, size_t size)
{
    if (s->short_name)
        snprintf(buf, size, "-%c/--%s", s->short_name, s->name);
    else
        snprintf(buf, size, "--%s", s->name);
    return buf;
}

/* Returns 0 with every option and operand sorted into out, or -1 with err. */
int qp_cli_parse(int argc, char **argv, const qp_option_spec *const *tables, size_t n_tables,
                 const char *command, qp_parsed *out, qp_error *err)
{
    struct option longopts[MAX_OPTIONS + 1];
    const qp_option_spec *specs[MAX_OPTIONS];
    size_t owner[MAX_OPTIONS], n = 0;
    char shortopts[2 * MAX_OPTIONS + 2] = ":"; /* leading colon: report missing values */
    size_t operands_table = (size_t)-1;
    memset(out, 0, n_tables * sizeof *out);
    for (size_t t = 0; t < n_tables; t++) {
        for (const qp_option_spec *s = tables[t]; s && s->name; s++) {
            if (s->flags & QP_OPT_OPERANDS) {
                operands_table = t;
                continue;
            }
            if (n == MAX_OPTIONS)
                break;
            specs[n] = s;
            owner[n] = t;
            longopts[n].name = s->name;
            longopts[n].has_arg = (s->flags & QP_OPT_ARG) ? required_argument : no_argument;
            longopts[n].flag = NULL;
            longopts[n].val = 256 + (int)n;
            if (s->short_name) {
                size_t k = strlen(shortopts);
                shortopts[k] = (char)s->short_name;
                shortopts[k + 1] = '\0';
                if (s->flags & QP_OPT_ARG)
                    strcat(shortopts, ":");
            }
            n++;
        }
    }
    memset(&longopts[n], 0, sizeof longopts[n]);
    optind = 0; /* GNU: start afresh */
    opterr = 0;
    int c;
    char label[128];
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        size_t idx = (size_t)-1;
        if (c >= 256)
            idx = (size_t)(c - 256);
        else
            for (size_t i = 0; i < n && idx == (size_t)-1; i++)
                if (specs[i]->short_name == c)
                    idx = i;
        if (c == '?' || c == ':' || idx == (size_t)-1) {
            const char *arg = argv[optind - 1];
            if (c == ':')
                snprintf(err->message, sizeof err->message,
                         "%s: option %s needs a value (try 'qualpipe %s --help')", command, arg,
                         command);
            else
                snprintf(err->message, sizeof err->message,
                         "%s: unknown option %s (try 'qualpipe %s --help')", command,
                         optopt ? (char[]){'-', (char)optopt, 0} : arg, command);
            qp_cli_free(out, n_tables);
            return -1;
        }
        const qp_option_spec *s = specs[idx];
        if (!(s->flags & QP_OPT_REPEAT) && qp_cli_get(&out[owner[idx]], s->name)) {
            snprintf(err->message, sizeof err->message, "%s: %s given twice; it takes one value",
                     command, option_label(s, label, sizeof label));
            qp_cli_free(out, n_tables);
            return -1;
        }
        if (push(&out[owner[idx]], s->name, (s->flags & QP_OPT_ARG) ? optarg : "") < 0)
            goto nomem;
    }
    for (int i = optind; i < argc; i++) {
        if (operands_table == (size_t)-1) {
            snprintf(err->message, sizeof err->message,
                     "%s: unexpected argument '%s' (try 'qualpipe %s --help')", command, argv[i],
                     command);
            qp_cli_free(out, n_tables);
            return -1;
        }
        const qp_option_spec *s = tables[operands_table];
        while (!(s->flags & QP_OPT_OPERANDS))
            s++;
        if (push(&out[operands_table], s->name, argv[i]) < 0)
            goto nomem;
    }
    for (size_t t = 0; t < n_tables; t++)
        for (const qp_option_spec *s = tables[t]; s && s->name; s++)
            if ((s->flags & QP_OPT_REQUIRED) && !qp_cli_get(&out[t], s->name)) {
                if (s->flags & QP_OPT_OPERANDS)
                    snprintf(err->message, sizeof err->message,
                             "%s: no %s given (try 'qualpipe %s --help')", command,
                             s->arg_name ? s->arg_name : s->name, command);
                else
                    snprintf(err->message, sizeof err->message,
                             "%s: %s %s is required: %s (try 'qualpipe %s --help')", command,
                             option_label(s, label, sizeof label), s->arg_name ? s->arg_name : "",
                             s->help, command);
                qp_cli_free(out, n_tables);
                return -1;
            }
    return 0;
nomem:
    snprintf(err->message, sizeof err->message, "%s: out of memory", command);
    qp_cli_free(out, n_tables);
    return -1;
}

void qp_cli_free(qp_parsed *out, size_t n_tables)
{
    for (size_t t = 0; t < n_tables; t++) {
        free(out[t].values);
        out[t].values = NULL;
        out[t].n = 0;
    }
}

/* Returns the last value given for name, or NULL. */
const char *qp_cli_get(const qp_parsed *p, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->values[i].name, name) == 0)
            v = p->values[i].value;
    return v;
}

void qp_cli_print_options(FILE *out, const qp_option_spec *table)
{
    for (const qp_option_spec *s = table; s && s->name; s++) {
        char left[96];
        if (s->flags & QP_OPT_OPERANDS)
            snprintf(left, sizeof left, "%s...", s->arg_name ? s->arg_name : s->name);
        else if (s->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", s->short_name, s->name,
                     s->arg_name ? " " : "", s->arg_name ? s->arg_name : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", s->name, s->arg_name ? " " : "",
                     s->arg_name ? s->arg_name : "");
        fprintf(out, "  %-28s %s%s\n", left, s->help ? s->help : "",
                (s->flags & QP_OPT_REPEAT) ? " (repeatable)" : "");
    }
}

int qp_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

size_t qp_cli_plugin_dirs(int argc, char **argv, const char **dirs, size_t max)
{
    size_t n = 0;
    for (int i = 1; i < argc && n < max; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc)
            dirs[n++] = argv[++i];
        else if (strncmp(argv[i], "--plugin-dir=", 13) == 0)
            dirs[n++] = argv[i] + 13;
    }
    return n;
}
