/* options.h - parsing one command line against several option tables (the
 * command's own and each stage's), checking every value against its type, and
 * printing the tables as help.
 *
 * A stage's option is given as --NAME, or always as --STAGE.NAME. When two stages
 * declare one name, --NAME is refused with both named; when the command itself
 * declares it, --NAME is the command's and the stage's is --STAGE.NAME. */
#ifndef QP_OPTIONS_H
#define QP_OPTIONS_H

#include <stdio.h>

#include <qualpipe/plugin.h>

/* One table of options and who declares it. */
typedef struct qp_option_table {
    const char *owner; /* a stage's name, or NULL for the command's own options */
    const qp_option_spec *specs;
} qp_option_table;

/* The options one table received: given ones in command-line order, then the
 * defaults of those not given. Strings point into argv or the specs. */
typedef struct qp_parsed {
    qp_option_value *values;
    size_t n;
} qp_parsed;

/* Parses argv[1..argc) against `tables`; table i's values land in out[i].
 * Operands go to the command's table when it takes them, else to the first stage
 * table that does. Returns 0, or -1 with err saying what is wrong and how to get
 * help (out is then freed). */
int qp_options_parse(int argc, char **argv, const qp_option_table *tables, size_t n_tables,
                     const char *command, qp_parsed *out, qp_error *err);

/* Frees what qp_options_parse allocated in out[0..n_tables). */
void qp_options_free(qp_parsed *out, size_t n_tables);

/* Returns the value of option `name` in p (the last one given, else its default),
 * or NULL. */
const char *qp_options_get(const qp_parsed *p, const char *name);

/* Appends a value to p as if given. Returns 0, or -1 when out of memory. */
int qp_options_add(qp_parsed *p, const char *name, const char *value);

/* Checks one value against its spec and parses it into *number. Returns 0, or -1
 * with err saying "--NAME VALUE: what to give". */
int qp_option_check(const qp_option_spec *spec, const char *value, int64_t *number, qp_error *err);

/* Prints table i of tables as help, one line per option; a stage's table under a
 * heading, with --STAGE.NAME where --NAME is taken. */
void qp_options_print(FILE *out, const qp_option_table *tables, size_t n_tables, size_t i);

/* Returns 1 when argv holds --help or -h before any "--", else 0. */
int qp_options_want_help(int argc, char **argv);

/* Returns the value of --NAME VALUE or --NAME=VALUE in argv before any "--" (the
 * last one), for options needed before the tables are known; NULL when absent. */
const char *qp_options_peek(int argc, char **argv, const char *name);

/* Collects every --plugin-dir value in argv, in order. Returns how many were
 * stored; *dirs is malloc'd (the caller frees it), NULL when there are none. */
size_t qp_options_plugin_dirs(int argc, char **argv, const char ***dirs);

#endif
