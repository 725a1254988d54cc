/* cmd_agree.c - `qualpipe agree`: compares two or more codings of the same
 * corpus unit by unit (Krippendorff's alpha, Cohen's kappa, precision, recall
 * and F1 against a reference) and quotes the units where they disagree. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "codebook/codebook.h"
#include "codebook/import.h"
#include "commands/commands.h"
#include "commands/session.h"

static const qp_option_spec agree_options[] = {
    {.name = "corpus",
     .flags = QP_OPT_REPEAT | QP_OPT_REQUIRED | QP_OPT_INPUT_FILE,
     .arg_name = "INPUT",
     .help = "the documents that were coded (files, folders, .jsonl), which supply the units"},
    {.name = "codebook",
     .short_name = 'c',
     .flags = QP_OPT_REPEAT,
     .arg_name = "CODEBOOK",
     .help = "compare these codebooks' codes (also unused ones; parents count their children)"},
    {.name = "encoding",
     .arg_name = "NAME",
     .help = "the encoding of the -c files when they are not UTF-8 (windows-1252, shift_jis...)"},
    {.name = "reference",
     .type = QP_TYPE_INTEGER,
     .min = 1,
     .max = 1000000,
     .default_value = "1",
     .arg_name = "N",
     .help = "the coding taken as right for precision and recall (1: the first)"},
    {.name = "quotes",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 1000,
     .default_value = "5",
     .arg_name = "K",
     .help = "quote up to K false positives and K false negatives per code (0: none)"},
    {.name = "chars",
     .type = QP_TYPE_FLAG,
     .help = "human codings give character offsets, not byte offsets"},
    {.name = "coder",
     .flags = QP_OPT_REPEAT,
     .arg_name = "NAME",
     .help = "report a CODING by NAME: the first --coder names the first CODING, and so on "
             "(default: its path as given)"},
    {.name = "nominal",
     .type = QP_TYPE_FLAG,
     .help = "the codes (those without children) are the values of one variable: each unit "
             "has at most one from each coder, and a unit a coder gave none is missing; "
             "reports alpha and kappa for the variable, beside each code's"},
    {.name = "suggest",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 100,
     .default_value = "0",
     .arg_name = "K",
     .help = "suggest up to K patterns per code from the words of the units it missed, each "
             "tried on the corpus: the misses it would recover, the false positives it would "
             "add"},
    {.name = "bootstrap",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 100000,
     .default_value = "0",
     .arg_name = "N",
     .help = "add 95% confidence intervals to alpha, kappa, precision, recall and F1 from N "
             "bootstrap replicates of the units (1000 is usual; 0: none)"},
    {.name = "seed",
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = 2147483647,
     .default_value = "1",
     .arg_name = "S",
     .help = "the seed of the bootstrap's draws: the same seed, the same intervals"},
    {.name = "stages",
     .arg_name = "LIST",
     .help = "the stages that make the units, separated by commas",
     .default_value = QP_DEFAULT_AGREE_CHAIN},
    {.name = "output",
     .short_name = 'o',
     .flags = QP_OPT_OUTPUT_FILE,
     .arg_name = "FILE",
     .help = "write the JSON report to FILE (whole or not at all); default: standard output"},
    QP_SPEC_PLUGIN_DIR,
    {.name = "quiet",
     .short_name = 'q',
     .type = QP_TYPE_FLAG,
     .help = "print no table on standard error"},
    {.name = "coding",
     .flags = QP_OPT_OPERANDS | QP_OPT_REQUIRED | QP_OPT_INPUT_FILE,
     .arg_name = "CODING",
     .help = "two or more codings: qualpipe streams from 'qualpipe stage code', JSON Lines / "
             "CSV of {doc, start, end, code}, or REFI-QDA projects (.qdpx: one coding per "
             "user)"},
    QP_SPEC_HELP,
    {0},
};

static void agree_help(const qp_session *s, int loaded)
{
    printf("Usage: qualpipe agree --corpus INPUT [--unit UNIT] [-c CODEBOOK]... CODING CODING...\n"
           "\n"
           "Compares two or more codings of the same documents, unit by unit: Krippendorff's\n"
           "alpha (nominal; any number of coders; missing documents allowed), and against the\n"
           "reference coding (the first, or --reference N) Cohen's kappa, observed agreement,\n"
           "precision, recall and F1 with the counts behind them, per code and overall, and\n"
           "the units where they disagree, quoted. A unit is coded with a code when a coded\n"
           "span overlaps it by at least one byte; units nobody coded agree on absence.\n"
           "\n"
           "A coding is the output of 'qualpipe stage code' (JSON Lines), or JSON Lines or CSV\n"
           "of {doc, start, end, code} with byte offsets (--chars: character offsets); a line\n"
           "{\"doc\": ID, \"missing\": true} marks a document that coder did not code (with\n"
           "\"start\" and \"end\", the units that span overlaps). Codings are named by their\n"
           "paths, or by --coder NAME, one per coding in order. With --nominal the codes are\n"
           "the values of one variable, and alpha and kappa are reported for it too.\n"
           "\n"
           "Example:\n"
           "  qualpipe stage read corpora/pln-interviews | qualpipe stage segment \\\n"
           "    --speakers-exclude Interviewer | qualpipe stage tokenise \\\n"
           "    | qualpipe stage code -c edmondson -c iparihs > qualpipe.jsonl\n"
           "  qualpipe agree --corpus corpora/pln-interviews --speakers-exclude Interviewer \\\n"
           "    -c edmondson -c iparihs corpora/reference/pln-interviews.jsonl qualpipe.jsonl\n"
           "\nOptions:\n");
    if (loaded)
        qp_session_print_options(s);
    else
        qp_options_print(stdout, (qp_option_table[]){{NULL, agree_options}}, 1, 0);
}

/* Frees everything the state holds. */
static void agree_free(agree_state *st)
{
    for (size_t d = 0; d < st->n_docs; d++) {
        free(st->docs[d].id);
        free(st->docs[d].text);
    }
    for (size_t u = 0; u < st->n_units; u++)
        free(st->units[u].speaker);
    for (size_t k = 0; k < st->n_codes; k++)
        free(st->codes[k]);
    for (size_t c = 0; c < st->n_coders; c++) {
        for (size_t i = 0; i < st->coders[c].n_spans; i++)
            free(st->coders[c].spans[i].rule);
        free(st->coders[c].spans);
        free(st->coders[c].missing);
        free(st->coders[c].unit_missing);
        free(st->coders[c].own_name);
    }
    free(st->coders);
    free(st->docs);
    free(st->units);
    free(st->codes);
    free(st->parent);
    free(st->unit_name);
    json_decref(st->labels);
    json_decref(st->patterns);
    projects_free(st);
}

/* Files code id under its label folded to lower case, for projects whose codes
 * are named by label. Returns 0, or -1 when out of memory. */
static int remember_label(agree_state *st, const char *label, const char *id)
{
    if (!st->labels && !(st->labels = json_object()))
        return -1;
    char folded[FOLDED_LABEL];
    fold_label(label, folded);
    return json_object_get(st->labels, folded)
               ? 0
               : json_object_set_new(st->labels, folded, json_string(id));
}

/* Files code k's patterns as written under its id, so agree can name the rules
 * that never fired. Returns 0, or -1 when out of memory. */
static int remember_patterns(agree_state *st, const qp_codebook *cb, size_t k)
{
    if (!st->patterns && !(st->patterns = json_object()))
        return -1;
    json_t *o = qp_code_json(cb, k);
    json_t *p = o ? json_object_get(o, "patterns") : NULL;
    int rc =
        !o ? -1
           : json_object_set_new(st->patterns, cb->codes[k].id, p ? json_incref(p) : json_array());
    json_decref(o);
    return rc;
}

/* Adds every code of the codebooks named by -c, in codebook order, with parents. */
static int add_codebook_codes(agree_state *st, const qp_parsed *p, const qp_host *host)
{
    const char *encoding = NULL;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->values[i].name, "encoding") == 0)
            encoding = p->values[i].value;
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->values[i].name, "codebook") != 0)
            continue;
        qp_error err;
        qp_codebook *cb = qp_codebook_open(host, p->values[i].value, encoding, &err);
        if (!cb) {
            qp_errorf("%s", err.message);
            return QP_EXIT_CODEBOOK;
        }
        st->have_codebook = 1;
        for (size_t k = 0; k < cb->n_codes; k++) {
            long x = code_index(st, cb->codes[k].id);
            if (x >= 0 && (remember_label(st, cb->codes[k].label, cb->codes[k].id) < 0 ||
                           remember_patterns(st, cb, k) < 0))
                x = -1;
            if (x >= 0 && cb->codes[k].parent >= 0)
                st->parent[x] = code_index(st, cb->codes[cb->codes[k].parent].id);
        }
        qp_codebook_free(cb);
    }
    return QP_EXIT_OK;
}

/* The agreement's sink begins: the stream header says what a unit is. */
static int agree_begin(void *ctx, json_t *header, qp_error *err)
{
    agree_state *st = ctx;
    const char *units = json_string_value(json_object_get(header, "units"));
    if (!(st->unit_name = strdup(units ? units : "document"))) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    return QP_OK;
}

/* Hands every --corpus value to the source stage as its operands. Returns 0, or
 * -1 after printing the error. */
static int corpus_to_source(qp_session *s)
{
    const qp_option_spec *in = s->stages[0]->options;
    while (in && in->name && !(in->flags & QP_OPT_OPERANDS))
        in++;
    if (!in || !in->name) {
        qp_errorf("agree: stage %s takes no inputs, so --corpus cannot reach it",
                  s->stages[0]->name);
        return -1;
    }
    for (size_t i = 0; i < s->parsed[0].n; i++)
        if (strcmp(s->parsed[0].values[i].name, "corpus") == 0 &&
            qp_options_add(&s->parsed[1], in->name, s->parsed[0].values[i].value) < 0) {
            qp_errorf("out of memory");
            return -1;
        }
    return 0;
}

/* Reads every coding and marks the units each coded. Returns 0, or -1 after
 * printing the error. */
static int read_codings(agree_state *st, unsigned char **marks)
{
    qp_error err;
    for (size_t c = 0; c < st->n_coders; c++) {
        coder *cd = &st->coders[c];
        cd->missing = calloc(st->n_docs + 1, 1);
        cd->unit_missing = calloc(st->n_units + 1, 1);
        size_t n = strlen(cd->path);
        int is_csv = n > 4 && strcmp(cd->path + n - 4, ".csv") == 0;
        if (!cd->missing || !cd->unit_missing) {
            qp_errorf("out of memory");
            return -1;
        }
        int rc = cd->project >= 0 ? read_project_coding(st, cd, &err)
                 : is_csv         ? read_csv(st, cd, &err)
                                  : read_jsonl(st, cd, &err);
        if (rc < 0) {
            qp_errorf("%s", err.message);
            return -1;
        }
    }
    for (size_t c = 0; c < st->n_coders; c++)
        if (!(marks[c] = mark_units(st, &st->coders[c]))) {
            qp_errorf("out of memory");
            return -1;
        }
    if (st->nominal && nominal_prepare(st, marks, &err) < 0) {
        qp_errorf("%s", err.message);
        return -1;
    }
    return 0;
}

/* Adds to r, for each coding but the reference, `want` suggested patterns per
 * code (under compared_with_reference, "suggestions"). Returns 0, or -1 after
 * printing why. */
static int add_suggestions(const agree_state *st, const qp_parsed *own, unsigned char **marks,
                           size_t ref, size_t want, json_t *r)
{
    char **dirs = calloc(2 * own->n + 1, sizeof *dirs);
    int n_dirs = 0;
    for (size_t i = 0; dirs && i < own->n; i++)
        if (strcmp(own->values[i].name, "plugin-dir") == 0) {
            dirs[n_dirs++] = "--plugin-dir";
            dirs[n_dirs++] = (char *)own->values[i].value;
        }
    int rc = dirs ? 0 : -1;
    for (size_t c = 0; c < st->n_coders && rc == 0; c++) {
        if (c == ref)
            continue;
        json_t *by_code = suggest(st, marks[ref], marks[c], ref, c, want, dirs, n_dirs);
        const char *id;
        json_t *list;
        json_object_foreach(by_code, id, list)
        {
            json_t *cmp =
                json_object_get(json_object_get(json_object_get(json_object_get(r, "codes"), id),
                                                "compared_with_reference"),
                                st->coders[c].name);
            if (cmp)
                json_object_set(cmp, "suggestions", list);
        }
        rc = by_code ? 0 : -1;
        json_decref(by_code);
    }
    free(dirs);
    return rc;
}

/* Compares the codings once the corpus is in: writes the report and the table.
 * Returns the exit status. */
static int compare(qp_session *s, agree_state *st)
{
    unsigned char **marks = calloc(st->n_coders, sizeof *marks);
    const qp_parsed *own = &s->parsed[0];
    size_t ref = (size_t)qp_option_find(own->values, own->n, "reference")->number;
    size_t max_quotes = (size_t)qp_option_find(own->values, own->n, "quotes")->number;
    int status = QP_EXIT_USAGE;
    if (!marks) {
        qp_errorf("out of memory");
        return QP_EXIT_USAGE;
    }
    if (ref > st->n_coders) {
        qp_errorf("agree: --reference %zu: give a coding's position, 1 to %zu", ref, st->n_coders);
    } else if (read_codings(st, marks) == 0 &&
               qp_session_open_output(s, qp_options_get(own, "output")) == 0) {
        json_t *r = report(st, marks, ref - 1, max_quotes, st->unit_name);
        size_t want = (size_t)qp_option_find(own->values, own->n, "suggest")->number;
        if (r && want && add_suggestions(st, own, marks, ref - 1, want, r) < 0) {
            json_decref(r);
            r = NULL;
        }
        FILE *out = s->host.output.stream;
        int bad =
            !r ||
            json_dumpf(r, out, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(10)) < 0 ||
            fputc('\n', out) == EOF;
        status = qp_session_close_output(s, bad);
        if (status == QP_EXIT_OK && !qp_options_get(own, "quiet")) {
            print_table(stderr, st, r, ref - 1);
            if (st->nominal)
                nominal_print(stderr, st, json_object_get(r, "variable"), ref - 1);
        }
        json_decref(r);
    }
    for (size_t c = 0; c < st->n_coders; c++)
        free(marks[c]);
    free(marks);
    return status;
}

int qp_cmd_agree(int argc, char **argv)
{
    qp_session s;
    if (qp_session_start(&s, "agree", argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    agree_state st = {0};
    int loaded = qp_session_load_chain(&s, argc, argv, QP_DEFAULT_AGREE_CHAIN,
                                       QP_CHAIN_FOR_HOST_SINK, agree_options) == 0;
    int status = QP_EXIT_CODEBOOK;
    if (qp_options_want_help(argc, argv)) {
        agree_help(&s, loaded);
        status = QP_EXIT_OK;
        goto done;
    }
    status = QP_EXIT_USAGE;
    if (!loaded || qp_session_parse(&s, argc, argv) < 0 || corpus_to_source(&s) < 0 ||
        name_coders(&st, &s.parsed[0]) < 0)
        goto done;
    st.chars = qp_options_get(&s.parsed[0], "chars") != NULL;
    st.nominal = qp_options_get(&s.parsed[0], "nominal") != NULL;
    st.bootstrap = (size_t)qp_option_find(s.parsed[0].values, s.parsed[0].n, "bootstrap")->number;
    st.seed = (uint64_t)qp_option_find(s.parsed[0].values, s.parsed[0].n, "seed")->number;
    qp_session_add_stages(&s);
    qp_runner_add_host_sink(&s.runner, "agree", agree_begin, collect_process, &st);
    int rc = qp_runner_run(&s.runner);
    if (rc != QP_OK) {
        qp_errorf("%s", s.runner.error.message);
        status = qp_exit_for(rc);
        goto done;
    }
    sort_docs(&st);
    if ((status = add_codebook_codes(&st, &s.parsed[0], &s.host.pub)) == QP_EXIT_OK)
        status = compare(&s, &st);
done:
    qp_session_end(&s);
    agree_free(&st);
    return status;
}
