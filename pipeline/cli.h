/* cli.h - parsing a command line against several option tables (the host's and
 * each stage's), and printing them as help. */
#ifndef QP_CLI_H
#define QP_CLI_H

#include <stdio.h>

#include <qualpipe/plugin.h>

#define QP_MAX_TABLES 8

/* The options one table received, in command-line order. */
typedef struct qp_parsed {
    qp_option_value *values;
    size_t n;
} qp_parsed;

/* Parses argv[0..argc) (argv[0] is the command name) against `tables`; table i's
 * values land in out[i]. Operands go to the one table with a QP_OPT_OPERANDS entry.
 * Returns 0, or -1 with err saying what is wrong and how to get help. */
int qp_cli_parse(int argc, char **argv, const qp_option_spec *const *tables, size_t n_tables,
                 const char *command, qp_parsed *out, qp_error *err);

/* Frees what qp_cli_parse allocated in out[0..n_tables). */
void qp_cli_free(qp_parsed *out, size_t n_tables);

/* Returns the value of option `name` in p (the last one given), or NULL. */
const char *qp_cli_get(const qp_parsed *p, const char *name);

/* Prints a table's options, one per line, as help text. */
void qp_cli_print_options(FILE *out, const qp_option_spec *table);

/* Returns 1 when argv holds --help or -h before any "--", else 0. */
int qp_cli_wants_help(int argc, char **argv);

/* Collects every --plugin-dir value in argv (before option parsing, so modules can
 * be found before their options are known). Returns how many were stored. */
size_t qp_cli_plugin_dirs(int argc, char **argv, const char **dirs, size_t max);

#endif
