/* cmd_stage.c - `qualpipe stage NAME`: one stage between JSON Lines on standard
 * input and standard output, so stages chain in a shell pipeline. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "session.h"

static const qp_option_spec stage_options[] = {
    {.name = "output",
     .short_name = 'o',
     .flags = QP_OPT_OUTPUT_FILE,
     .arg_name = "FILE",
     .help = "write the output to FILE (whole or not at all); default: standard output"},
    QP_SPEC_PLUGIN_DIR,
    QP_SPEC_HELP,
    {0},
};

static void stage_help(const qp_session *s)
{
    static const char *const io[] = {
        [QP_STAGE_SOURCE] = "writes documents as JSON Lines on standard output",
        [QP_STAGE_FILTER] = "reads JSON Lines on standard input, writes them on standard output",
        [QP_STAGE_SINK] = "reads JSON Lines on standard input, writes the result",
    };
    const qp_stage_descriptor *d = s->stages[0];
    printf("Usage: qualpipe stage %s [OPTIONS]\n\n%s\nThis stage %s.\n\nOptions:\n", d->name,
           d->description ? d->description : "", io[d->kind]);
    qp_session_print_options(s);
    printf("\nExample (the chain 'qualpipe run' runs, byte for byte):\n"
           "  qualpipe stage read corpora/inaugural | qualpipe stage segment \\\n"
           "    | qualpipe stage tokenise | qualpipe stage code -c example \\\n"
           "    | qualpipe stage aggregate --by Party\n");
}

/* Loads stage argv[1] as a chain of one. Returns 0, or -1 after printing why. */
static int load_one(qp_session *s, char **argv)
{
    qp_error err;
    if (!(s->stages[0] = qp_loader_stage(s->loader, argv[1], &s->paths[0], &err))) {
        qp_errorf("%s", err.message);
        return -1;
    }
    s->n_stages = 1;
    s->tables[0] = (qp_option_table){NULL, stage_options};
    s->tables[1] = (qp_option_table){s->stages[0]->name, s->stages[0]->options};
    s->n_tables = 2;
    return 0;
}

/* Runs the one stage. Returns the exit status. */
static int run_one(qp_session *s)
{
    const qp_stage_descriptor *d = s->stages[0];
    qp_session_add_stages(s);
    if (qp_session_open_output(s, qp_options_get(&s->parsed[0], "output")) < 0)
        return QP_EXIT_USAGE;
    s->runner.out = s->host.output.stream;
    if (d->kind != QP_STAGE_SINK)
        s->host.pub.output = NULL; /* records, not a result */
    s->runner.in = stdin;
    s->runner.in_name = "<stdin>";
    int rc = qp_runner_run(&s->runner);
    if (rc != QP_OK) {
        qp_errorf("%s", s->runner.error.message);
        return qp_exit_for(rc);
    }
    int status =
        d->kind == QP_STAGE_SINK ? qp_session_write_result(s) : qp_session_close_output(s, 0);
    if (status != QP_EXIT_OK)
        return status;
    size_t skipped =
        d->kind == QP_STAGE_SINK ? s->runner.counts.skipped_seen : s->runner.counts.skipped_here;
    return skipped && !s->runner.output_closed ? QP_EXIT_SKIPPED : QP_EXIT_OK;
}

int qp_cmd_stage(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (qp_options_want_help(argc, argv)) {
            printf("Usage: qualpipe stage NAME [OPTIONS]\n\nRuns one stage between JSON Lines "
                   "on standard input and standard output:\nread, segment, tokenise, code or "
                   "aggregate, or any stage plugin ('qualpipe plugins'\nlists them). "
                   "'qualpipe stage NAME --help' shows its options.\n");
            return QP_EXIT_OK;
        }
        qp_errorf("stage: which stage? (try 'qualpipe plugins' for the list)");
        return QP_EXIT_USAGE;
    }
    qp_session s;
    if (qp_session_start(&s, "stage", argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    int status = QP_EXIT_CODEBOOK;
    if (load_one(&s, argv) < 0)
        goto done;
    char command[128];
    snprintf(command, sizeof command, "stage %s", s.stages[0]->name);
    s.command = command;
    if (qp_options_want_help(argc, argv)) {
        stage_help(&s);
        status = QP_EXIT_OK;
    } else if (qp_session_parse(&s, argc - 1, argv + 1) < 0) {
        status = QP_EXIT_USAGE;
    } else {
        status = run_one(&s);
    }
    s.command = "stage";
done:
    qp_session_end(&s);
    return status;
}
