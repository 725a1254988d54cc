/* cmd_run.c - `qualpipe run`: every stage of a chain in one process, the result
 * written by the sink. */
#include "config.h"

#include <signal.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint/checkpoint.h"
#include "commands.h"
#include "core/interrupt.h"
#include "core/progress.h"
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
    {.name = "checkpoint",
     .arg_name = "DIR",
     .help = "keep partial results in folder DIR as the run goes; if the run is stopped (even "
             "by a crash or a power cut), the same command goes on from where it was and gives "
             "the same result; DIR is removed when the run ends well"},
    {.name = "checkpoint-every",
     .type = QP_TYPE_INTEGER,
     .min = 1,
     .max = 100000000,
     .default_value = "1000",
     .arg_name = "N",
     .help = "with --checkpoint: write a partial result every N documents (at most N "
             "documents are coded again after a crash)"},
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

/* Says how far a run stopped by a signal got. Returns the exit status a shell
 * expects: 128 + the signal. */
static int report_interrupted(const qp_session *s, const qp_checkpoint *ck)
{
    int sig = qp_interrupted();
    const char *by = sig == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM";
    size_t seen = s->runner.counts.docs_seen;
    if (ck)
        qp_errorf("stopped by %s after %zu more document%s; the parts written are kept in %s: "
                  "run the same command again to go on",
                  by, seen, seen == 1 ? "" : "s", qp_checkpoint_dir(ck));
    else
        qp_errorf("stopped by %s after %zu document%s; nothing was written (run it again to "
                  "code the corpus)",
                  by, seen, seen == 1 ? "" : "s");
    return 128 + sig;
}

int qp_cmd_run(int argc, char **argv)
{
    qp_checkpoint *ck = NULL;
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
    const char *dir = qp_options_get(&s.parsed[0], "checkpoint");
    if (dir) {
        const qp_option_value *every =
            qp_option_find(s.parsed[0].values, s.parsed[0].n, "checkpoint-every");
        if (!(ck = qp_checkpoint_start(&s, dir, (size_t)every->number)))
            goto done;
    }
    qp_interrupt_catch();
    qp_session_progress_start(&s);
    int rc = qp_runner_run(&s.runner);
    qp_progress_stop();
    if (rc != QP_OK && qp_interrupted()) {
        status = report_interrupted(&s, ck);
        goto done;
    }
    if (rc != QP_OK) {
        qp_errorf("%s", s.runner.error.message);
        status = qp_exit_for(rc);
        goto done;
    }
    status = qp_session_write_result(&s);
    if (status == QP_EXIT_OK) {
        size_t skipped = ck ? (size_t)json_integer_value(json_object_get(
                                  json_object_get(s.runner.result, "totals"), "skipped"))
                            : s.runner.counts.skipped_seen;
        s.runner.counts.skipped_seen = skipped;
        qp_session_report_skipped(&s);
        if (skipped)
            status = QP_EXIT_SKIPPED;
        if (ck)
            qp_checkpoint_clear(ck);
    }
done:
    qp_checkpoint_free(ck); /* before the session unloads the sink's module */
    qp_session_end(&s);
    return status;
}
