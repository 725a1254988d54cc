/* cmd_run.c - `qualpipe run`: every stage of a chain in one process, the result
 * written by the sink. */
#include "config.h"

#include <signal.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/interrupt.h"
#include "session.h"

static const qp_option_spec run_options[] = {
    {.name = "stages",
     .arg_name = "LIST",
     .help = "the stages to chain, in order, separated by commas",
     .default_value = QP_DEFAULT_RUN_CHAIN},
    {.name = "output",
     .short_name = 'o',
     .flags = QP_OPT_OUTPUT_FILE,
     .arg_name = "FILE",
     .help = "write the result to FILE (it appears whole or not at all); default: standard "
             "output"},
    QP_SPEC_PLUGIN_DIR,
    QP_SPEC_JOBS,
    QP_SPEC_HELP,
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

static void run_help(const qp_session *s, int loaded)
{
    printf("Usage: qualpipe run -c CODEBOOK [--by FIELD]... [-o RESULT.json] INPUT...\n"
           "\n"
           "Code a corpus in one process: documents go through a chain of stages, by\n"
           "default read, segment (sentences), tokenise, code (against CODEBOOK) and\n"
           "aggregate (one JSON result). INPUT is any mix of text files, folders\n"
           "(read recursively, in sorted order: *.txt as documents, *.jsonl as records)\n"
           "and JSON Lines files; '-' reads JSON Lines from standard input.\n"
           "Each stage's options below are given on the same command line; --STAGE.OPTION\n"
           "names one stage's option where two stages share a name.\n"
           "\n"
           "Examples:\n"
           "  qualpipe run -c example --by Party -o results.json corpora/inaugural\n"
           "  qualpipe run -c edmondson -c iparihs --speakers-exclude Interviewer \\\n"
           "      --meta corpora/pln-interviews/metadata.csv --by role corpora/pln-interviews\n"
           "  qualpipe run --plugin-dir . --stages read,segment,tokenise,minlength,code,"
           "aggregate \\\n"
           "      --min-tokens 50 -c example corpora/inaugural\n"
           "\n"
           "Options:\n");
    if (loaded)
        qp_session_print_options(s);
    else
        qp_options_print(stdout, (qp_option_table[]){{NULL, run_options}}, 1, 0);
    printf("\nA skipped document is named on standard error and counted in the result;\n"
           "the run goes on and exits with status 1. See 'qualpipe --help' for all statuses.\n");
}

int qp_cmd_run(int argc, char **argv)
{
    qp_session s;
    if (qp_session_start(&s, "run", argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    int loaded = qp_session_load_chain(&s, argc, argv, QP_DEFAULT_RUN_CHAIN, QP_CHAIN_WITH_SINK,
                                       run_options) == 0;
    int status = QP_EXIT_CODEBOOK;
    if (qp_options_want_help(argc, argv)) {
        run_help(&s, loaded);
        status = QP_EXIT_OK;
        goto done;
    }
    if (!loaded)
        goto done;
    status = QP_EXIT_USAGE;
    if (qp_session_parse(&s, argc, argv) < 0)
        goto done;
    const qp_option_value *jobs = qp_option_find(s.parsed[0].values, s.parsed[0].n, "jobs");
    s.runner.jobs = jobs ? (size_t)jobs->number : qp_default_jobs();
    qp_session_add_stages(&s);
    /* Open the output first: a run should not end in an unwritable path. */
    if (qp_session_open_output(&s, qp_options_get(&s.parsed[0], "output")) < 0)
        goto done;
    qp_interrupt_catch();
    int rc = qp_runner_run(&s.runner);
    if (rc != QP_OK && qp_interrupted()) {
        int sig = qp_interrupted();
        qp_errorf("stopped by %s after %zu document%s; nothing was written (run it again to "
                  "code the corpus)",
                  sig == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM", s.runner.counts.docs_seen,
                  s.runner.counts.docs_seen == 1 ? "" : "s");
        status = 128 + sig;
        goto done;
    }
    if (rc != QP_OK) {
        qp_errorf("%s", s.runner.error.message);
        status = qp_exit_for(rc);
        goto done;
    }
    status = qp_session_write_result(&s);
    if (status == QP_EXIT_OK) {
        qp_session_report_skipped(&s);
        if (s.runner.counts.skipped_seen)
            status = QP_EXIT_SKIPPED;
    }
done:
    qp_session_end(&s);
    return status;
}
