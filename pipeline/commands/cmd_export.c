/* cmd_export.c - `qualpipe export --qdpx PROJECT.qdpx`: the corpus coded as by
 * `qualpipe run`, written as a REFI-QDA project that NVivo, MAXQDA, ATLAS.ti
 * and QualCoder open for review: the documents as sources, the codebook as
 * codes, every hit (or the unit it fired in) as a coding by the user "qualpipe
 * VERSION", the rule that fired in the coding's note, each document's metadata
 * as a case's variables. A sink of the host's own receives the documents in
 * corpus order. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "codebook/codebook.h"
#include "codebook/import.h"
#include "commands.h"
#include "refi/qdpx.h"
#include "core/progress.h"
#include "session.h"

static const char *const scopes[] = {"hit", "unit", NULL};

static const qp_option_spec export_options[] = {
    {.name = "qdpx",
     .flags = QP_OPT_REQUIRED | QP_OPT_OUTPUT_FILE,
     .arg_name = "FILE",
     .help = "write the REFI-QDA project to FILE (.qdpx; whole or not at all)"},
    {.name = "scope",
     .type = QP_TYPE_ENUM,
     .choices = scopes,
     .default_value = "hit",
     .arg_name = "hit|unit",
     .help = "what a coding covers: the words that matched (hit), or the whole sentence, "
             "paragraph or turn they are in (unit)"},
    {.name = "stages",
     .arg_name = "LIST",
     .help = "the stages to chain before the project is written, separated by commas",
     .default_value = QP_DEFAULT_KWIC_CHAIN},
    QP_SPEC_PLUGIN_DIR,
    QP_SPEC_JOBS,
    QP_SPEC_HELP,
    {0},
};

static void export_help(const qp_session *s, int loaded)
{
    printf("Usage: qualpipe export --qdpx PROJECT.qdpx -c CODEBOOK [--scope hit|unit] INPUT...\n"
           "\n"
           "Code a corpus as 'qualpipe run' does and write it as a REFI-QDA project, to\n"
           "open in NVivo, MAXQDA, ATLAS.ti or QualCoder and review the coding there:\n"
           "every document is a source and a case (its metadata the case's variables),\n"
           "the codebook is the code tree (definitions and guidance in each code's\n"
           "description), and every hit is a coding by the user \"qualpipe " PACKAGE_VERSION "\",\n"
           "with the rule that fired in the coding's note. With --scope unit a coding\n"
           "covers the whole sentence (or paragraph, or turn) the code fired in.\n"
           "\n"
           "Bring the reviewed project back with 'qualpipe agree': each user's coding\n"
           "in it is one coding to compare.\n"
           "\n"
           "Examples:\n"
           "  qualpipe export --qdpx review.qdpx -c iparihs corpora/pln-interviews\n"
           "  qualpipe export --qdpx review.qdpx --scope unit -c edmondson \\\n"
           "      --meta corpora/pln-interviews/metadata.csv corpora/pln-interviews\n"
           "\n"
           "Options:\n");
    if (loaded)
        qp_session_print_options(s);
    else
        qp_options_print(stdout, (qp_option_table[]){{NULL, export_options}}, 1, 0);
}

/* Opens the codebooks the code stage was given, writes their codes into the
 * project and declares their GUIDs. Returns 0, or -1 after printing why. */
static int write_codebooks(const qp_session *s, qdpx_writer *w)
{
    const qp_parsed *code = NULL;
    for (size_t i = 0; i < s->n_stages; i++)
        if (strcmp(s->stages[i]->name, "code") == 0)
            code = &s->parsed[i + 1];
    if (!code) {
        qp_errorf("export: the chain has no code stage, so there is nothing to export (keep "
                  "'code' in --stages)");
        return -1;
    }
    const char *encoding = qp_options_get(code, "encoding");
    xmlTextWriter *x = qdpx_writer_xml(w), *sets = qdpx_writer_tail_xml(w);
    int bad = xmlTextWriterStartElement(x, (const xmlChar *)"CodeBook") < 0 ||
              xmlTextWriterStartElement(x, (const xmlChar *)"Codes") < 0 ||
              xmlTextWriterStartElement(sets, (const xmlChar *)"Sets") < 0;
    for (size_t i = 0; i < code->n && !bad; i++) {
        if (strcmp(code->values[i].name, "codebook") != 0)
            continue;
        qp_error err;
        qp_codebook *cb = qp_codebook_open(&s->host.pub, code->values[i].value, encoding, &err);
        if (!cb) {
            qp_errorf("%s", err.message);
            return -1;
        }
        bad = qp_refi_write_codes(cb, x, 1) < 0 || qp_refi_write_settings(cb, sets) < 0;
        for (size_t k = 0; k < cb->n_codes && !bad; k++) {
            char guid[37];
            qp_refi_code_guid(cb, cb->codes[k].id, guid);
            bad = qdpx_writer_code(w, cb->codes[k].id, guid) < 0;
        }
        qp_codebook_free(cb);
    }
    bad = bad || xmlTextWriterEndElement(x) < 0 || xmlTextWriterEndElement(x) < 0 ||
          xmlTextWriterEndElement(sets) < 0;
    if (bad)
        qp_errorf("export: cannot write the codebook into the project: out of memory");
    return bad ? -1 : 0;
}

/* The sink: every document into the project. */
static int export_process(void *ctx, qp_doc *doc, qp_error *err)
{
    return qdpx_writer_add(ctx, doc, err);
}

/* Returns the time to write on the archive's entries: SOURCE_DATE_EPOCH when
 * set (reproducible builds' convention), else -1 (a fixed date). */
static long long entry_time(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long t = e && *e ? strtoll(e, &end, 10) : -1;
    return end && *end ? -1 : t;
}

/* Codes the corpus into an open project and writes it out. Returns the exit
 * status, after printing any error. */
static int export_run(qp_session *s, qdpx_writer *w)
{
    qp_session_add_stages(s);
    qp_runner_add_host_sink(&s->runner, "export", NULL, export_process, w);
    qp_session_progress_start(s);
    int rc = qp_runner_run(&s->runner);
    qp_progress_stop();
    if (rc != QP_OK) {
        qp_errorf("%s; nothing was written", s->runner.error.message);
        qdpx_writer_abort(w);
        return qp_exit_for(rc);
    }
    qp_error err;
    if (qdpx_writer_finish(w, &err) != QP_OK) {
        qp_errorf("%s", err.message);
        return QP_EXIT_USAGE;
    }
    qp_session_report_skipped(s);
    return s->runner.counts.skipped_seen ? QP_EXIT_SKIPPED : QP_EXIT_OK;
}

int qp_cmd_export(int argc, char **argv)
{
    qp_session s;
    if (qp_session_start(&s, "export", argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    int loaded = qp_session_load_chain(&s, argc, argv, QP_DEFAULT_KWIC_CHAIN,
                                       QP_CHAIN_FOR_HOST_SINK, export_options) == 0;
    int status = QP_EXIT_CODEBOOK;
    if (qp_options_want_help(argc, argv)) {
        export_help(&s, loaded);
        status = QP_EXIT_OK;
    } else if (loaded && qp_session_parse(&s, argc, argv) < 0) {
        status = QP_EXIT_USAGE;
    } else if (loaded) {
        const qp_parsed *own = &s.parsed[0];
        const qp_option_value *jobs = qp_option_find(own->values, own->n, "jobs");
        s.runner.jobs = jobs ? (size_t)jobs->number : qp_default_jobs();
        qdpx_options o = {
            .path = qp_options_get(own, "qdpx"),
            .user_name = "qualpipe " PACKAGE_VERSION,
            .unit_scope = qp_option_find(own->values, own->n, "scope")->number == 1,
            .epoch = entry_time(),
        };
        qp_error err;
        qdpx_writer *w = qdpx_writer_open(&o, &err);
        if (!w) {
            qp_errorf("%s", err.message);
            status = QP_EXIT_USAGE;
        } else if (write_codebooks(&s, w) < 0) {
            qdpx_writer_abort(w);
            status = QP_EXIT_CODEBOOK;
        } else {
            status = export_run(&s, w);
        }
    }
    qp_session_end(&s);
    return status;
}
