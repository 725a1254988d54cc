/* cmd_run.c - `qualpipe run` (every stage in one process) and `qualpipe stage`
 * (one stage between JSON Lines), which share the runner and the output rules. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fileio.h"
#include "parallel.h"
#include "result.h"
#include "runner.h"

/* The stages `qualpipe run` chains, in order. */
static const char *const run_chain[] = {"read", "segment", "tokenise", "code", "aggregate"};
#define RUN_CHAIN_LEN (sizeof run_chain / sizeof run_chain[0])

static const qp_option_spec run_host_options[] = {
    {"output", 'o', QP_OPT_ARG, "FILE",
     "write the result to FILE (it appears whole or not at all); default: standard output"},
    {"plugin-dir", 0, QP_OPT_ARG | QP_OPT_REPEAT, "DIR", "look for plugin modules in DIR first"},
    {"jobs", 'j', QP_OPT_ARG, "N",
     "code on N threads (default: the number of processors); the result is the same"},
    {"summary", 0, 0, NULL,
     "print a summary table on standard error (the default when standard output is a "
     "terminal)"},
    {"quiet", 'q', 0, NULL, "print no summary, even on a terminal"},
    {"compact", 0, 0, NULL, "write the result on one line"},
    {"format", 0, QP_OPT_ARG, "FORMAT",
     "json (default); csv: one row per document, a column per code; sqlite: a database "
     "(with -o FILE.db)"},
    {"help", 'h', 0, NULL, "show this help"},
    {0},
};

static const qp_option_spec stage_host_options[] = {
    {"output", 'o', QP_OPT_ARG, "FILE",
     "write the output to FILE (whole or not at all); default: standard output"},
    {"plugin-dir", 0, QP_OPT_ARG | QP_OPT_REPEAT, "DIR", "look for plugin modules in DIR first"},
    {"compact", 0, 0, NULL,
     "with the aggregate stage: write the result on one line (as a "
     "Hadoop Streaming mapper must)"},
    {"format", 0, QP_OPT_ARG, "FORMAT",
     "with the aggregate stage: json (default), csv (one row per document) or sqlite (with "
     "-o FILE.db)"},
    {"summary", 0, 0, NULL,
     "with the aggregate stage: print a summary table on standard error (the default when "
     "standard output is a terminal)"},
    {"help", 'h', 0, NULL, "show this help"},
    {0},
};

int qp_exit_for(int status)
{
    switch (status) {
    case QP_OK:
    case QP_STOP:
        return QP_EXIT_OK;
    case QP_ERR_CODEBOOK:
    case QP_ERR_PLUGIN:
        return QP_EXIT_CODEBOOK;
    default:
        return QP_EXIT_USAGE;
    }
}

/* Everything a run or stage command holds, freed in one place. */
typedef struct session {
    qp_loader *loader;
    qp_host_impl host;
    qp_runner runner;
    qp_parsed parsed[QP_MAX_TABLES];
    size_t n_tables;
    qp_atomic_file out_file;
    int out_file_open;
} session;

static void session_end(session *s)
{
    qp_runner_free(&s->runner);
    qp_cli_free(s->parsed, s->n_tables);
    if (s->out_file_open)
        qp_atomic_abort(&s->out_file);
    qp_loader_free(s->loader);
}

/* Starts the loader and host for argv's --plugin-dir folders. Returns 0, or -1
 * after printing the error. */
static int session_start(session *s, int argc, char **argv)
{
    memset(s, 0, sizeof *s);
    if (!(s->loader = qp_host_start(&s->host, argc, argv)))
        return -1;
    s->runner.host = &s->host;
    return 0;
}

/* Writes the result JSON to f, on one line with --compact. Returns 0, or -1 with
 * errno set. */
static int write_result(FILE *f, const json_t *result, const qp_parsed *host_options)
{
    const char *format = qp_cli_get(host_options, "format");
    if (format && strcmp(format, "csv") == 0)
        return qp_result_write_csv(f, result);
    return qp_result_write(f, result, qp_cli_get(host_options, "compact") != NULL);
}

/* Returns 1 when --format sqlite asks for a database instead of the JSON. */
static int is_sqlite(const qp_parsed *host_options)
{
    const char *format = qp_cli_get(host_options, "format");
    return format && strcmp(format, "sqlite") == 0;
}

/* Checks --format; with sqlite, hands -o FILE to the aggregate stage as its
 * --sqlite option (added to aggregate_options). Returns 0, or -1 after saying
 * what is wrong. */
static int check_format(const qp_parsed *host_options, qp_parsed *aggregate_options)
{
    const char *format = qp_cli_get(host_options, "format");
    if (!format || strcmp(format, "json") == 0 || strcmp(format, "csv") == 0)
        return 0;
    if (!is_sqlite(host_options)) {
        qp_errorf("--format %s: use json, csv or sqlite (every hit as CSV: --hits FILE.csv)",
                  format);
        return -1;
    }
    const char *path = qp_cli_get(host_options, "output");
    if (!path || strcmp(path, "-") == 0) {
        qp_errorf("--format sqlite: a database is a file; name it with -o FILE.db");
        return -1;
    }
    if (!aggregate_options || qp_cli_get(aggregate_options, "sqlite")) {
        qp_errorf("--format sqlite: %s", aggregate_options
                                             ? "give either it or --sqlite FILE.db, not both"
                                             : "only the aggregate stage writes a database");
        return -1;
    }
    size_t n = aggregate_options->n;
    qp_option_value *v = realloc(aggregate_options->values, (n + 1) * sizeof *v);
    if (!v) {
        qp_errorf("out of memory");
        return -1;
    }
    v[n] = (qp_option_value){"sqlite", path};
    aggregate_options->values = v;
    aggregate_options->n = n + 1;
    return 0;
}

/* Returns 1 when the summary is wanted: --summary, or standard output is a
 * terminal and -q was not given. */
static int wants_summary(const qp_parsed *host_options)
{
    if (qp_cli_get(host_options, "summary"))
        return 1;
    return !qp_cli_get(host_options, "quiet") && isatty(STDOUT_FILENO);
}

/* Returns how the summary names where the result went. */
static const char *where_written(const char *out_path)
{
    return out_path && strcmp(out_path, "-") ? out_path : "standard output";
}

/* Opens -o FILE when given, else uses stdout. Returns the stream, or NULL after
 * printing the error. */
static FILE *open_output(session *s, const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    qp_error err;
    if (qp_atomic_open(&s->out_file, path, &err) < 0) {
        qp_errorf("%s", err.message);
        return NULL;
    }
    s->out_file_open = 1;
    return s->out_file.fp;
}

/* Publishes -o FILE, or flushes stdout. Returns an exit status: QP_EXIT_OK when all
 * went out or the reader of stdout left early, QP_EXIT_USAGE on a write error. */
static int close_output(session *s, int failed_write)
{
    if (s->out_file_open) {
        qp_error err;
        s->out_file_open = 0;
        if (failed_write) {
            qp_errorf("%s: cannot write: %s", s->out_file.final_path, strerror(errno));
            qp_atomic_abort(&s->out_file);
            return QP_EXIT_USAGE;
        }
        if (qp_atomic_commit(&s->out_file, &err) < 0) {
            qp_errorf("%s", err.message);
            return QP_EXIT_USAGE;
        }
        return QP_EXIT_OK;
    }
    if ((fflush(stdout) != 0 || ferror(stdout) || failed_write) && errno != EPIPE) {
        qp_errorf("cannot write to standard output: %s", strerror(errno));
        return QP_EXIT_USAGE;
    }
    return QP_EXIT_OK;
}

/* Loads stage `name` and adds its option table. Returns its descriptor, or NULL
 * after printing the error. */
static const qp_stage_descriptor *load_stage(session *s, const char *name, const char **path)
{
    qp_error err;
    const qp_stage_descriptor *d = qp_loader_stage(s->loader, name, path, &err);
    if (!d)
        qp_errorf("%s", err.message);
    return d;
}

int qp_parse_jobs(const char *value, size_t *jobs)
{
    if (!value) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        *jobs = n < 1 ? 1 : n > QP_MAX_JOBS ? QP_MAX_JOBS : (size_t)n;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (errno || *end || end == value || n < 1 || n > QP_MAX_JOBS) {
        qp_errorf("-j %s: give a number of threads from 1 to %d", value, QP_MAX_JOBS);
        return -1;
    }
    *jobs = (size_t)n;
    return 0;
}

static void run_help(const qp_stage_descriptor *const *stages)
{
    printf("Usage: qualpipe run -c CODEBOOK [--by FIELD]... [-o RESULT.json] INPUT...\n"
           "\n"
           "Code a corpus in one process: read, split into sentences (or other units),\n"
           "tokenise, code against CODEBOOK, and aggregate into one JSON result.\n"
           "INPUT is any mix of text files, folders\n"
           "(read recursively, in sorted order: *.txt as documents, *.jsonl as records)\n"
           "and JSON Lines files; '-' reads JSON Lines from standard input.\n"
           "\n"
           "Examples:\n"
           "  qualpipe run -c example --by Party -o results.json corpora/inaugural\n"
           "  qualpipe run -c edmondson -c iparihs --speakers-exclude Interviewer \\\n"
           "      --meta corpora/pln-interviews/metadata.csv --by role corpora/pln-interviews\n"
           "\n"
           "Options:\n");
    qp_cli_print_options(stdout, run_host_options);
    for (size_t i = 0; i < RUN_CHAIN_LEN; i++)
        qp_cli_print_options(stdout, stages[i]->options);
    printf("\nA skipped document is named on standard error and counted in the result;\n"
           "the run goes on and exits with status 1. See 'qualpipe --help' for all statuses.\n");
}

int qp_cmd_run(int argc, char **argv)
{
    session s;
    if (session_start(&s, argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    const qp_stage_descriptor *stages[RUN_CHAIN_LEN];
    const char *paths[RUN_CHAIN_LEN];
    int status = QP_EXIT_CODEBOOK;
    for (size_t i = 0; i < RUN_CHAIN_LEN; i++)
        if (!(stages[i] = load_stage(&s, run_chain[i], &paths[i])))
            goto done;
    if (qp_cli_wants_help(argc, argv)) {
        run_help(stages);
        status = QP_EXIT_OK;
        goto done;
    }
    const qp_option_spec *tables[RUN_CHAIN_LEN + 1] = {run_host_options};
    for (size_t i = 0; i < RUN_CHAIN_LEN; i++)
        tables[i + 1] = stages[i]->options;
    s.n_tables = RUN_CHAIN_LEN + 1;
    qp_error err;
    if (qp_cli_parse(argc, argv, tables, s.n_tables, "run", s.parsed, &err) < 0) {
        qp_errorf("%s", err.message);
        status = QP_EXIT_USAGE;
        goto done;
    }
    if (check_format(&s.parsed[0], &s.parsed[RUN_CHAIN_LEN]) < 0 ||
        qp_parse_jobs(qp_cli_get(&s.parsed[0], "jobs"), &s.runner.jobs) < 0) {
        status = QP_EXIT_USAGE;
        goto done;
    }
    for (size_t i = 0; i < RUN_CHAIN_LEN; i++)
        qp_runner_add(&s.runner, stages[i], paths[i], s.parsed[i + 1].values, s.parsed[i + 1].n);
    /* Open the output first: a run should not end in an unwritable path. */
    const char *out_path = qp_cli_get(&s.parsed[0], "output");
    int sqlite = is_sqlite(&s.parsed[0]);
    FILE *out = sqlite ? stdout : open_output(&s, out_path);
    if (!out) {
        status = QP_EXIT_USAGE;
        goto done;
    }
    int rc = qp_runner_run(&s.runner);
    if (rc != QP_OK) {
        qp_errorf("%s", s.runner.error.message);
        status = qp_exit_for(rc);
        goto done;
    }
    status = sqlite ? QP_EXIT_OK
                    : close_output(&s, write_result(out, s.runner.result, &s.parsed[0]) < 0);
    if (status == QP_EXIT_OK && wants_summary(&s.parsed[0]))
        qp_print_summary(stderr, s.runner.result, where_written(out_path));
    else if (status == QP_EXIT_OK && s.runner.skipped_seen)
        qp_errorf("%zu document%s skipped (named above, and listed under \"skipped\" in the "
                  "result)",
                  s.runner.skipped_seen, s.runner.skipped_seen == 1 ? " was" : "s were");
    if (status == QP_EXIT_OK && s.runner.skipped_seen)
        status = QP_EXIT_SKIPPED;
done:
    session_end(&s);
    return status;
}

static void stage_help(const qp_stage_descriptor *d)
{
    static const char *const io[] = {
        [QP_STAGE_SOURCE] = "writes documents as JSON Lines on standard output",
        [QP_STAGE_FILTER] = "reads JSON Lines on standard input, writes them on standard output",
        [QP_STAGE_SINK] = "reads JSON Lines on standard input, writes the JSON result",
    };
    printf("Usage: qualpipe stage %s [OPTIONS]\n\n%s\nThis stage %s.\n\nOptions:\n", d->name,
           d->description ? d->description : "", io[d->kind]);
    qp_cli_print_options(stdout, stage_host_options);
    qp_cli_print_options(stdout, d->options);
    printf("\nExample:\n  qualpipe stage read corpora/inaugural | qualpipe stage tokenise \\\n"
           "    | qualpipe stage code -c codebooks/example/example.json | qualpipe stage aggregate "
           "--by Party\n");
}

int qp_cmd_stage(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (qp_cli_wants_help(argc, argv)) {
            printf("Usage: qualpipe stage NAME [OPTIONS]\n\nRuns one stage: read, tokenise, "
                   "code or aggregate, or any stage plugin\n('qualpipe plugins' lists them). "
                   "'qualpipe stage NAME --help' shows its options.\n");
            return QP_EXIT_OK;
        }
        qp_errorf("stage: which stage? (try 'qualpipe plugins' for the list)");
        return QP_EXIT_USAGE;
    }
    session s;
    if (session_start(&s, argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    int status = QP_EXIT_CODEBOOK;
    const char *path;
    const qp_stage_descriptor *d = load_stage(&s, argv[1], &path);
    if (!d)
        goto done;
    if (qp_cli_wants_help(argc, argv)) {
        stage_help(d);
        status = QP_EXIT_OK;
        goto done;
    }
    const qp_option_spec *tables[2] = {stage_host_options, d->options};
    s.n_tables = 2;
    qp_error err;
    char command[128];
    snprintf(command, sizeof command, "stage %s", d->name);
    if (qp_cli_parse(argc - 1, argv + 1, tables, 2, command, s.parsed, &err) < 0) {
        qp_errorf("%s", err.message);
        status = QP_EXIT_USAGE;
        goto done;
    }
    if (check_format(&s.parsed[0], d->kind == QP_STAGE_SINK ? &s.parsed[1] : NULL) < 0) {
        status = QP_EXIT_USAGE;
        goto done;
    }
    if ((qp_cli_get(&s.parsed[0], "compact") || qp_cli_get(&s.parsed[0], "format") ||
         qp_cli_get(&s.parsed[0], "summary")) &&
        d->kind != QP_STAGE_SINK) {
        qp_errorf("stage %s: --compact, --format and --summary are for the aggregate stage's "
                  "result; "
                  "records are always JSON, one a line",
                  d->name);
        status = QP_EXIT_USAGE;
        goto done;
    }
    qp_runner_add(&s.runner, d, path, s.parsed[1].values, s.parsed[1].n);
    int sqlite = is_sqlite(&s.parsed[0]);
    FILE *out = sqlite ? stdout : open_output(&s, qp_cli_get(&s.parsed[0], "output"));
    if (!out) {
        status = QP_EXIT_USAGE;
        goto done;
    }
    s.runner.out = out;
    s.runner.in = stdin;
    s.runner.in_name = "<stdin>";
    int rc = qp_runner_run(&s.runner);
    if (rc != QP_OK) {
        qp_errorf("%s", s.runner.error.message);
        status = qp_exit_for(rc);
        goto done;
    }
    int bad_write = 0;
    if (d->kind == QP_STAGE_SINK && !sqlite)
        bad_write = write_result(out, s.runner.result, &s.parsed[0]) < 0;
    status = close_output(&s, bad_write && errno != EPIPE);
    if (status == QP_EXIT_OK && d->kind == QP_STAGE_SINK && wants_summary(&s.parsed[0]))
        qp_print_summary(stderr, s.runner.result,
                         where_written(qp_cli_get(&s.parsed[0], "output")));
    if (status == QP_EXIT_OK) {
        size_t skipped = d->kind == QP_STAGE_SINK ? s.runner.skipped_seen : s.runner.skipped_here;
        if (skipped && !s.runner.output_closed)
            status = QP_EXIT_SKIPPED;
    }
done:
    session_end(&s);
    return status;
}
