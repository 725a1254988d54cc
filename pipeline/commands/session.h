/* session.h - what a command that runs stages holds: the loader, the host table,
 * the chain of stages named by --stages (or the command's default), their
 * options as parsed from one command line, and the output. */
#ifndef QP_SESSION_H
#define QP_SESSION_H

#include "core/host.h"
#include "core/options.h"
#include "core/runner.h"
#include "util/fileio.h"

/* What the chain must look like: a source first, then filters, and a sink last
 * unless the command brings its own. */
enum qp_chain_shape { QP_CHAIN_WITH_SINK, QP_CHAIN_FOR_HOST_SINK };

typedef struct qp_session {
    const char *command; /* "run", "kwic": for messages */
    qp_loader *loader;
    qp_host_impl host;
    qp_runner runner;
    /* Table 0 is the command's own; table i + 1 is stage i's. */
    qp_option_table tables[QP_MAX_STAGES + 1];
    qp_parsed parsed[QP_MAX_STAGES + 1];
    size_t n_tables;
    const qp_stage_descriptor *stages[QP_MAX_STAGES];
    const char *paths[QP_MAX_STAGES];
    size_t n_stages;
    char *chain_text; /* the --stages list, split in place */
    const char **plugin_dirs;
    qp_atomic_file out_file;
    int out_file_open;
} qp_session;

/* Starts the loader and the host for argv's --plugin-dir folders. Returns 0, or
 * -1 after printing why plugins cannot be loaded. */
int qp_session_start(qp_session *s, const char *command, int argc, char **argv);

/* Loads the stages named by --stages in argv, or by `default_chain` (names
 * separated by commas), checks the chain's shape, and sets up the option tables
 * with `own` as the command's. Returns 0, or -1 after printing the error. */
int qp_session_load_chain(qp_session *s, int argc, char **argv, const char *default_chain,
                          enum qp_chain_shape shape, const qp_option_spec *own);

/* Parses argv against the tables. Returns 0, or -1 after printing the error. */
int qp_session_parse(qp_session *s, int argc, char **argv);

/* Refuses a command line where a file written (an option flagged
 * QP_OPT_OUTPUT_FILE) is also read (QP_OPT_INPUT_FILE) or written twice. Returns 0,
 * or -1 after printing which options name the file. */
int qp_session_check_files(const qp_session *s);

/* Adds every loaded stage to the runner with its parsed options. */
void qp_session_add_stages(qp_session *s);

/* Prints the options of every table as help, the command's first. */
void qp_session_print_options(const qp_session *s);

/* Starts the progress line on a terminal (core/progress.h) with the size of the
 * source's inputs, unless the sink was given -q. */
void qp_session_progress_start(const qp_session *s);

/* Opens -o PATH (NULL or "-": standard output) and lends it to the stages as
 * host->output. Returns 0, or -1 after printing the error. */
int qp_session_open_output(qp_session *s, const char *path);

/* Publishes -o FILE, or flushes standard output. Returns an exit status:
 * QP_EXIT_OK when all went out (or the reader of standard output left early),
 * QP_EXIT_USAGE on a write error (after printing it; nothing is published). */
int qp_session_close_output(qp_session *s, int failed_write);

/* Writes the sink's result: through its write callback, or as indented JSON,
 * then publishes the output. Returns an exit status, after printing any error. */
int qp_session_write_result(qp_session *s);

/* Prints the one line that says how many documents were skipped, when any were. */
void qp_session_report_skipped(const qp_session *s);

/* Frees everything the session holds; an unpublished output is removed. */
void qp_session_end(qp_session *s);

/* Option specs several commands share. */
#define QP_SPEC_PLUGIN_DIR                                                                         \
    {                                                                                              \
        .name = "plugin-dir", .flags = QP_OPT_REPEAT, .arg_name = "DIR",                           \
        .help = "look for plugin modules in DIR first"                                             \
    }
#define QP_SPEC_JOBS                                                                               \
    {                                                                                              \
        .name = "jobs", .short_name = 'j', .type = QP_TYPE_INTEGER, .min = 1, .max = QP_MAX_JOBS,  \
        .arg_name = "N",                                                                           \
        .help =                                                                                    \
            "code on N threads (default: $QUALPIPE_JOBS, or the processors qualpipe may use); "    \
            "the result is the same"                                                               \
    }
#define QP_SPEC_HELP                                                                               \
    {                                                                                              \
        .name = "help", .short_name = 'h', .type = QP_TYPE_FLAG, .help = "show this help"          \
    }

/* The chains the commands use without --stages: the only place the host names
 * stages. kwic and agree end the chain with a sink of their own. */
#define QP_DEFAULT_RUN_CHAIN "read,segment,tokenise,code,aggregate"
#define QP_DEFAULT_KWIC_CHAIN "read,segment,tokenise,code"
#define QP_DEFAULT_AGREE_CHAIN "read,segment"

#endif
