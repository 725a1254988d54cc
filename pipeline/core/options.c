/* options.c - option parsing with getopt_long over tables gathered from the
 * command and its stages, typed values checked in one place. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "options.h"
#include "util/grow.h"

/* One name getopt knows: an option of one table, or a bare name two stages share. */
typedef struct entry {
    const qp_option_spec *spec;
    size_t table;
    size_t rival; /* with conflict: the other table declaring the name */
    int conflict;
} entry;

/* What the parser builds from the tables. */
typedef struct parser {
    entry *entries;
    struct option *longopts;
    char **owned; /* qualified names, freed at the end */
    size_t n, cap, long_cap, n_owned, owned_cap;
    char shortopts[1 + 2 * 256 + 1]; /* ':', then at most 2 bytes for each short option */
    int short_entry[256];            /* entry index + 1 of each short option, 0 for none */
} parser;

/* Returns the index of the new entry, or -1 when out of memory. */
static long add_entry(parser *p, const char *name, const qp_option_spec *spec, size_t table)
{
    if (qp_grow(&p->entries, &p->cap, p->n + 1, sizeof *p->entries, 32) < 0 ||
        qp_grow(&p->longopts, &p->long_cap, p->n + 2, sizeof *p->longopts, 32) < 0)
        return -1;
    p->entries[p->n] = (entry){spec, table, 0, 0};
    p->longopts[p->n] = (struct option){
        name, spec->type == QP_TYPE_FLAG ? no_argument : required_argument, NULL, 256 + (int)p->n};
    return (long)p->n++;
}

/* Returns the entry whose long name is `name`, or NULL. */
static entry *find_long(parser *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->longopts[i].name, name) == 0)
            return &p->entries[i];
    return NULL;
}

/* Registers the short option of entry e unless a table before it has one. */
static void add_short(parser *p, const qp_option_spec *s, size_t e, const qp_option_table *tables)
{
    unsigned char c = (unsigned char)s->short_name;
    if (!c)
        return;
    if (p->short_entry[c]) {
        entry *old = &p->entries[p->short_entry[c] - 1];
        if (tables[old->table].owner && tables[p->entries[e].table].owner && !old->conflict) {
            old->conflict = 1;
            old->rival = p->entries[e].table;
        }
        return;
    }
    p->short_entry[c] = (int)e + 1;
    size_t k = strlen(p->shortopts); /* each byte c comes once, so it always fits */
    p->shortopts[k++] = (char)c;
    if (s->type != QP_TYPE_FLAG)
        p->shortopts[k++] = ':';
    p->shortopts[k] = '\0';
}

/* Fills p from the tables. Returns 0, or -1 when out of memory. */
static int build(parser *p, const qp_option_table *tables, size_t n_tables)
{
    memset(p, 0, sizeof *p);
    strcpy(p->shortopts, ":"); /* leading colon: report missing values */
    for (size_t t = 0; t < n_tables; t++) {
        for (const qp_option_spec *s = tables[t].specs; s && s->name; s++) {
            if (s->flags & QP_OPT_OPERANDS)
                continue;
            entry *bare = find_long(p, s->name);
            long e;
            if (!bare) {
                if ((e = add_entry(p, s->name, s, t)) < 0)
                    return -1;
                add_short(p, s, (size_t)e, tables);
            } else if (tables[bare->table].owner && tables[t].owner && !bare->conflict) {
                bare->conflict = 1;
                bare->rival = t;
            }
            if (!tables[t].owner)
                continue;
            char *q = malloc(strlen(tables[t].owner) + strlen(s->name) + 2);
            if (!q || qp_grow(&p->owned, &p->owned_cap, p->n_owned + 1, sizeof *p->owned, 32) < 0) {
                free(q);
                return -1;
            }
            sprintf(q, "%s.%s", tables[t].owner, s->name);
            p->owned[p->n_owned++] = q;
            if (!find_long(p, q) && add_entry(p, q, s, t) < 0)
                return -1;
        }
    }
    if (!p->longopts && qp_grow(&p->longopts, &p->long_cap, 1, sizeof *p->longopts, 1) < 0)
        return -1;
    memset(&p->longopts[p->n], 0, sizeof p->longopts[p->n]);
    return 0;
}

static void parser_free(parser *p)
{
    for (size_t i = 0; i < p->n_owned; i++)
        free(p->owned[i]);
    free(p->owned);
    free(p->entries);
    free(p->longopts);
}

int qp_options_add(qp_parsed *p, const char *name, const char *value)
{
    qp_option_value *v = realloc(p->values, (p->n + 1) * sizeof *v);
    if (!v)
        return -1;
    p->values = v;
    v[p->n++] = (qp_option_value){.name = name, .value = value, .given = 1};
    return 0;
}

/* Parses a size: digits with an optional K, M or G. Returns 0, or -1. */
static int parse_size(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (*end && !end[1]) {
        const char *units = "KMG", *u = strchr(units, *end == 'k' ? 'K' : *end);
        if (!u || !*u)
            return -1;
        shift = 10 * (unsigned)(u - units + 1);
        end++;
    }
    if (errno || *end || v > (unsigned long long)INT64_MAX >> shift)
        return -1;
    *out = (int64_t)(v << shift);
    return 0;
}

/* Parses a boolean word. Returns 0 or 1, or -1 for anything else. */
static int parse_boolean(const char *s)
{
    static const char *const yes[] = {"yes", "true", "on", "1", NULL};
    static const char *const no[] = {"no", "false", "off", "0", NULL};
    for (size_t i = 0; yes[i]; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* Checks a regex by compiling it. Returns 0, or -1 with PCRE2's reason in err. */
static int check_regex(const qp_option_spec *spec, const char *value, qp_error *err)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)value, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                                   &code, &offset, NULL);
    if (re) {
        pcre2_code_free(re);
        return 0;
    }
    PCRE2_UCHAR why[256];
    pcre2_get_error_message(code, why, sizeof why);
    snprintf(err->message, sizeof err->message,
             "--%s %s: not a regular expression: %s at character %zu", spec->name, value,
             (const char *)why, (size_t)offset + 1);
    return -1;
}

/* Checks an enumeration. Returns 0 with the index in *number, or -1 with err. */
static int check_enum(const qp_option_spec *spec, const char *value, int64_t *number, qp_error *err)
{
    char list[512] = "";
    for (size_t i = 0; spec->choices && spec->choices[i]; i++) {
        if (strcmp(spec->choices[i], value) == 0) {
            *number = (int64_t)i;
            return 0;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 i == 0                 ? ""
                 : spec->choices[i + 1] ? ", "
                                        : " or ",
                 spec->choices[i]);
    }
    snprintf(err->message, sizeof err->message, "--%s %s: give %s", spec->name, value, list);
    return -1;
}

int qp_option_check(const qp_option_spec *spec, const char *value, int64_t *number, qp_error *err)
{
    *number = 0;
    switch (spec->type) {
    case QP_TYPE_FLAG:
        *number = 1;
        return 0;
    case QP_TYPE_INTEGER: {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end || v < spec->min || v > spec->max) {
            snprintf(err->message, sizeof err->message,
                     "--%s %s: give a whole number from %" PRId64 " to %" PRId64, spec->name, value,
                     spec->min, spec->max);
            return -1;
        }
        *number = v;
        return 0;
    }
    case QP_TYPE_SIZE:
        if (parse_size(value, number) < 0 || *number < spec->min || *number > spec->max) {
            snprintf(err->message, sizeof err->message,
                     "--%s %s: give a size in bytes from %" PRId64 " to %" PRId64
                     ", optionally with K, M or G (as 64M)",
                     spec->name, value, spec->min, spec->max);
            return -1;
        }
        return 0;
    case QP_TYPE_BOOLEAN:
        if ((*number = parse_boolean(value)) < 0) {
            snprintf(err->message, sizeof err->message, "--%s %s: give yes or no", spec->name,
                     value);
            return -1;
        }
        return 0;
    case QP_TYPE_REGEX:
        return check_regex(spec, value, err);
    case QP_TYPE_ENUM:
        return check_enum(spec, value, number, err);
    default:
        return 0;
    }
}

/* Fills err with the message for a bad option at argv[optind - 1]. */
static void unknown_option(int c, char **argv, const char *command, qp_error *err)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        snprintf(err->message, sizeof err->message,
                 "%s: option %s needs a value (try 'qualpipe %s --help')", command, arg, command);
    else
        snprintf(err->message, sizeof err->message,
                 "%s: unknown option %s (try 'qualpipe %s --help')", command,
                 optopt ? (char[]){'-', (char)optopt, 0} : arg, command);
}

/* Returns the entry getopt's answer c stands for, or NULL. */
static entry *entry_for(parser *p, int c)
{
    if (c >= 256 && (size_t)(c - 256) < p->n)
        return &p->entries[c - 256];
    if (c > 0 && c < 256 && p->short_entry[c])
        return &p->entries[p->short_entry[c] - 1];
    return NULL;
}

/* Stores one option getopt found. Returns 0, or -1 with err. */
static int take_option(const entry *e, const qp_option_table *tables, const char *command,
                       qp_parsed *out, qp_error *err)
{
    const qp_option_spec *s = e->spec;
    if (e->conflict) {
        snprintf(err->message, sizeof err->message,
                 "%s: --%s is an option of both stage %s and stage %s: say --%s.%s or --%s.%s",
                 command, s->name, tables[e->table].owner, tables[e->rival].owner,
                 tables[e->table].owner, s->name, tables[e->rival].owner, s->name);
        return -1;
    }
    qp_parsed *p = &out[e->table];
    if (!(s->flags & QP_OPT_REPEAT) && qp_options_get(p, s->name)) {
        snprintf(err->message, sizeof err->message, "%s: --%s given twice; it takes one value",
                 command, s->name);
        return -1;
    }
    const char *value = s->type == QP_TYPE_FLAG ? "" : optarg;
    int64_t number;
    qp_error why;
    if (qp_option_check(s, value, &number, &why) < 0) {
        snprintf(err->message, sizeof err->message, "%.64s: %.800s (try 'qualpipe %s --help')",
                 command, why.message, command);
        return -1;
    }
    if (qp_options_add(p, s->name, value) < 0) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", command);
        return -1;
    }
    p->values[p->n - 1].number = number;
    return 0;
}

/* Returns the table that receives operands, or (size_t)-1 when none does. */
static size_t operands_table(const qp_option_table *tables, size_t n_tables)
{
    size_t found = (size_t)-1;
    for (size_t t = 0; t < n_tables; t++)
        for (const qp_option_spec *s = tables[t].specs; s && s->name; s++)
            if ((s->flags & QP_OPT_OPERANDS) && (found == (size_t)-1 || !tables[t].owner))
                found = t;
    return found;
}

/* Stores the operands argv[optind..argc). Returns 0, or -1 with err. */
static int take_operands(int argc, char **argv, const qp_option_table *tables, size_t n_tables,
                         const char *command, qp_parsed *out, qp_error *err)
{
    size_t t = operands_table(tables, n_tables);
    for (int i = optind; i < argc; i++) {
        if (t == (size_t)-1) {
            snprintf(err->message, sizeof err->message,
                     "%s: unexpected argument '%s' (try 'qualpipe %s --help')", command, argv[i],
                     command);
            return -1;
        }
        const qp_option_spec *s = tables[t].specs;
        while (!(s->flags & QP_OPT_OPERANDS))
            s++;
        if (qp_options_add(&out[t], s->name, argv[i]) < 0) {
            snprintf(err->message, sizeof err->message, "%s: out of memory", command);
            return -1;
        }
    }
    return 0;
}

/* Fills err with the message for a required option or operand not given. */
static void missing(const qp_option_spec *s, const char *command, qp_error *err)
{
    char label[96];
    if (s->flags & QP_OPT_OPERANDS) {
        snprintf(err->message, sizeof err->message, "%s: no %s given (try 'qualpipe %s --help')",
                 command, s->arg_name ? s->arg_name : s->name, command);
        return;
    }
    if (s->short_name)
        snprintf(label, sizeof label, "-%c/--%s", s->short_name, s->name);
    else
        snprintf(label, sizeof label, "--%s", s->name);
    snprintf(err->message, sizeof err->message,
             "%s: %s %s is required: %s (try 'qualpipe %s --help')", command, label,
             s->arg_name ? s->arg_name : "", s->help ? s->help : "", command);
}

/* Checks required options and appends defaults. Returns 0, or -1 with err. */
static int finish_tables(const qp_option_table *tables, size_t n_tables, const char *command,
                         qp_parsed *out, qp_error *err)
{
    size_t operands = operands_table(tables, n_tables);
    for (size_t t = 0; t < n_tables; t++)
        for (const qp_option_spec *s = tables[t].specs; s && s->name; s++) {
            int given = qp_options_get(&out[t], s->name) != NULL;
            if ((s->flags & QP_OPT_OPERANDS) && t != operands)
                continue; /* the command supplies these itself */
            if ((s->flags & QP_OPT_REQUIRED) && !given) {
                missing(s, command, err);
                return -1;
            }
            if (given || !s->default_value || (s->flags & QP_OPT_REPEAT))
                continue;
            qp_error why;
            int64_t number;
            if (qp_option_check(s, s->default_value, &number, &why) < 0 ||
                qp_options_add(&out[t], s->name, s->default_value) < 0) {
                snprintf(err->message, sizeof err->message, "%.64s: default of %.900s", command,
                         why.message);
                return -1;
            }
            out[t].values[out[t].n - 1].given = 0;
            out[t].values[out[t].n - 1].number = number;
        }
    return 0;
}

int qp_options_parse(int argc, char **argv, const qp_option_table *tables, size_t n_tables,
                     const char *command, qp_parsed *out, qp_error *err)
{
    parser p;
    memset(out, 0, n_tables * sizeof *out);
    int rc = build(&p, tables, n_tables);
    if (rc < 0)
        snprintf(err->message, sizeof err->message, "%s: out of memory", command);
    optind = 0; /* GNU: start afresh */
    opterr = 0;
    int c;
    while (rc == 0 && (c = getopt_long(argc, argv, p.shortopts, p.longopts, NULL)) != -1) {
        entry *e = c == '?' || c == ':' ? NULL : entry_for(&p, c);
        if (!e) {
            unknown_option(c, argv, command, err);
            rc = -1;
        } else {
            rc = take_option(e, tables, command, out, err);
        }
    }
    if (rc == 0)
        rc = take_operands(argc, argv, tables, n_tables, command, out, err);
    if (rc == 0)
        rc = finish_tables(tables, n_tables, command, out, err);
    parser_free(&p);
    if (rc < 0)
        qp_options_free(out, n_tables);
    return rc;
}

void qp_options_free(qp_parsed *out, size_t n_tables)
{
    for (size_t t = 0; t < n_tables; t++) {
        free(out[t].values);
        out[t].values = NULL;
        out[t].n = 0;
    }
}

const char *qp_options_get(const qp_parsed *p, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->values[i].name, name) == 0)
            v = p->values[i].value;
    return v;
}
