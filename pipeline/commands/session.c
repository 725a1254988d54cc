/* session.c - loading a chain of stages by name, parsing its options, and the
 * output every command that runs stages shares. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "core/progress.h"
#include "session.h"

size_t qp_default_jobs(void)
{
    /* QUALPIPE_JOBS, else the processors this process may run on (under Slurm,
     * taskset or a container, fewer than the machine has). */
    const char *env = getenv("QUALPIPE_JOBS");
    char *end;
    long n = env && *env ? strtol(env, &end, 10) : 0;
    if (!env || !*env || *end || n < 1) {
        cpu_set_t cpus;
        n = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus)
                                                          : sysconf(_SC_NPROCESSORS_ONLN);
    }
    return n < 1 ? 1 : n > QP_MAX_JOBS ? QP_MAX_JOBS : (size_t)n;
}

int qp_session_start(qp_session *s, const char *command, int argc, char **argv)
{
    memset(s, 0, sizeof *s);
    s->command = command;
    size_t n = qp_options_plugin_dirs(argc, argv, &s->plugin_dirs);
    qp_error err;
    if (!(s->loader = qp_loader_new(s->plugin_dirs, n, &err))) {
        qp_errorf("%s", err.message);
        return -1;
    }
    qp_host_init(&s->host, s->loader, qp_runner_emit);
    s->runner.host = &s->host.pub;
    return 0;
}

/* Returns what a stage of `kind` may not be at position i of n, or NULL when it
 * fits there. */
static const char *misplaced(uint32_t kind, size_t i, size_t n, enum qp_chain_shape shape)
{
    int last = i + 1 == n && shape == QP_CHAIN_WITH_SINK;
    if (i == 0)
        return kind == QP_STAGE_SOURCE ? NULL : "the first stage must be a source (as read)";
    if (last)
        return kind == QP_STAGE_SINK ? NULL : "the last stage must be a sink (as aggregate)";
    if (kind == QP_STAGE_SOURCE)
        return "a source can only come first";
    if (kind == QP_STAGE_SINK)
        return shape == QP_CHAIN_WITH_SINK ? "a sink can only come last"
                                           : "this command brings its own sink";
    return NULL;
}

/* Splits the chain text at commas into s->stages by name. Returns 0, or -1 after
 * printing the error. */
static int load_names(qp_session *s, enum qp_chain_shape shape)
{
    char *save = NULL;
    for (char *name = strtok_r(s->chain_text, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        if (s->n_stages == QP_MAX_STAGES - 1) {
            qp_errorf("%s: --stages: at most %d stages", s->command, QP_MAX_STAGES - 1);
            return -1;
        }
        for (size_t i = 0; i < s->n_stages; i++)
            if (strcmp(s->stages[i]->name, name) == 0) {
                qp_errorf("%s: --stages: %s is named twice; a stage runs once in a chain",
                          s->command, name);
                return -1;
            }
        qp_error err;
        size_t i = s->n_stages;
        if (!(s->stages[i] = qp_loader_stage(s->loader, name, &s->paths[i], &err))) {
            qp_errorf("%s", err.message);
            return -1;
        }
        s->n_stages++;
    }
    for (size_t i = 0; i < s->n_stages; i++) {
        const char *why = misplaced(s->stages[i]->kind, i, s->n_stages, shape);
        if (why) {
            qp_errorf("%s: --stages: %s: %s", s->command, s->stages[i]->name, why);
            return -1;
        }
    }
    if (s->n_stages < (shape == QP_CHAIN_WITH_SINK ? 2u : 1u)) {
        qp_errorf("%s: --stages: name a source%s", s->command,
                  shape == QP_CHAIN_WITH_SINK ? ", the filters and a sink" : " and the filters");
        return -1;
    }
    return 0;
}

int qp_session_load_chain(qp_session *s, int argc, char **argv, const char *default_chain,
                          enum qp_chain_shape shape, const qp_option_spec *own)
{
    const char *list = qp_options_peek(argc, argv, "stages");
    if (!(s->chain_text = strdup(list ? list : default_chain))) {
        qp_errorf("out of memory");
        return -1;
    }
    s->tables[0] = (qp_option_table){NULL, own};
    s->n_tables = 1;
    if (load_names(s, shape) < 0)
        return -1;
    for (size_t i = 0; i < s->n_stages; i++)
        s->tables[s->n_tables++] = (qp_option_table){s->stages[i]->name, s->stages[i]->options};
    return 0;
}

int qp_session_parse(qp_session *s, int argc, char **argv)
{
    qp_error err;
    if (qp_options_parse(argc, argv, s->tables, s->n_tables, s->command, s->parsed, &err) < 0) {
        qp_errorf("%s", err.message);
        return -1;
    }
    return qp_session_check_files(s);
}

void qp_session_add_stages(qp_session *s)
{
    for (size_t i = 0; i < s->n_stages; i++)
        qp_runner_add(&s->runner, s->stages[i], s->paths[i], s->parsed[i + 1].values,
                      s->parsed[i + 1].n);
}

void qp_session_print_options(const qp_session *s)
{
    for (size_t i = 0; i < s->n_tables; i++)
        qp_options_print(stdout, s->tables, s->n_tables, i);
}

int qp_session_open_output(qp_session *s, const char *path)
{
    if (!path || strcmp(path, "-") == 0) {
        qp_host_set_output(&s->host, stdout, NULL, "standard output");
        return 0;
    }
    qp_error err;
    if (qp_atomic_open(&s->out_file, path, &err) < 0) {
        qp_errorf("%s", err.message);
        return -1;
    }
    s->out_file_open = 1;
    qp_host_set_output(&s->host, s->out_file.fp, s->out_file.tmp_path, path);
    return 0;
}

/* Publishes the sink's own files (its publish callback, ABI 2.2). Returns 0, or
 * -1 with the error printed. */
static int publish_sink_files(qp_session *s)
{
    const qp_stage_inst *sink =
        s->runner.n_stages ? &s->runner.stages[s->runner.n_stages - 1] : NULL;
    if (!sink || sink->desc->kind != QP_STAGE_SINK || sink->desc->abi_minor < 2 ||
        !sink->desc->publish || !sink->ctx)
        return 0;
    qp_error err = {{0}};
    if (sink->desc->publish(sink->ctx, &err) == QP_OK)
        return 0;
    qp_errorf("%s: %s", sink->desc->name, err.message[0] ? err.message : "cannot publish");
    return -1;
}

int qp_session_close_output(qp_session *s, int failed_write)
{
    /* Every output is written out in full before any is moved into place. */
    if (s->out_file_open) {
        qp_error err;
        s->out_file_open = 0;
        if (failed_write) {
            qp_errorf("%s: cannot write: %s", s->out_file.final_path, strerror(errno));
            qp_atomic_abort(&s->out_file);
            return QP_EXIT_USAGE;
        }
        if (qp_atomic_close(&s->out_file, &err) < 0) {
            qp_errorf("%s", err.message);
            return QP_EXIT_USAGE;
        }
        if (publish_sink_files(s) < 0) {
            qp_atomic_abort(&s->out_file);
            return QP_EXIT_USAGE;
        }
        if (qp_atomic_publish(&s->out_file, &err) < 0) {
            qp_errorf("%s", err.message);
            return QP_EXIT_USAGE;
        }
        return QP_EXIT_OK;
    }
    if ((fflush(stdout) != 0 || ferror(stdout) || failed_write) && errno != EPIPE) {
        qp_errorf("cannot write to standard output: %s", strerror(errno));
        return QP_EXIT_USAGE;
    }
    return publish_sink_files(s) < 0 ? QP_EXIT_USAGE : QP_EXIT_OK;
}

int qp_session_write_result(qp_session *s)
{
    const qp_stage_inst *sink = &s->runner.stages[s->runner.n_stages - 1];
    qp_error err = {{0}};
    int st;
    errno = 0;
    if (sink->desc->write) {
        st = sink->desc->write(sink->ctx, s->runner.result, &err);
    } else {
        size_t flags = JSON_SORT_KEYS | JSON_REAL_PRECISION(10) | JSON_INDENT(2);
        st = json_dumpf(s->runner.result, s->host.output.stream, flags) < 0 ||
                     fputc('\n', s->host.output.stream) == EOF
                 ? QP_ERR_IO
                 : QP_OK;
    }
    if (st == QP_ERR_IO || st == QP_OK)
        return qp_session_close_output(s, st != QP_OK);
    qp_errorf("%s: %s", sink->desc->name, err.message);
    qp_session_close_output(s, 1);
    return qp_exit_for(st);
}

void qp_session_report_skipped(const qp_session *s)
{
    const qp_runner *r = &s->runner;
    if (r->counts.skipped_seen)
        qp_errorf("%zu document%s skipped (named above, and listed under \"skipped\" in the "
                  "result)",
                  r->counts.skipped_seen, r->counts.skipped_seen == 1 ? " was" : "s were");
}

void qp_session_end(qp_session *s)
{
    qp_runner_free(&s->runner);
    qp_options_free(s->parsed, s->n_tables);
    if (s->out_file_open)
        qp_atomic_abort(&s->out_file);
    qp_loader_free(s->loader);
    free(s->chain_text);
    free(s->plugin_dirs);
}

void qp_session_progress_start(const qp_session *s)
{
    /* The sink's -q says no line at all; the inputs are the source's operands. */
    size_t sink = s->n_stages;
    const qp_option_value *quiet =
        sink ? qp_option_find(s->parsed[sink].values, s->parsed[sink].n, "quiet") : NULL;
    if (quiet && quiet->number)
        return;
    const char *inputs[256];
    size_t n = 0;
    const qp_option_spec *specs = s->n_tables > 1 ? s->tables[1].specs : NULL;
    for (size_t i = 0; specs && i < s->parsed[1].n && n < 256; i++)
        for (const qp_option_spec *o = specs; o->name; o++)
            if ((o->flags & QP_OPT_OPERANDS) && strcmp(o->name, s->parsed[1].values[i].name) == 0)
                inputs[n++] = s->parsed[1].values[i].value;
    qp_progress_start(n < 256 ? qp_progress_input_bytes(inputs, n) : 0);
}
