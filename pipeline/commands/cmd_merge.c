/* cmd_merge.c - `qualpipe merge`: the results of disjoint shards of a corpus,
 * combined into the result one run over all of them would give. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/options.h"
#include "commands.h"
#include "util/fileio.h"
#include "core/host.h"
#include "results/result.h"

static const qp_option_spec merge_options[] = {
    {.name = "output",
     .short_name = 'o',
     .arg_name = "FILE",
     .help = "write the merged result to FILE (whole or not at all); default: standard output"},
    {.name = "compact", .type = QP_TYPE_FLAG, .help = "write the result on one line"},
    {.name = "result",
     .flags = QP_OPT_OPERANDS | QP_OPT_REQUIRED,
     .arg_name = "RESULT",
     .help = "results of 'qualpipe run' or 'qualpipe stage aggregate'; - reads results one after "
             "another from standard input"},
    {.name = "help", .short_name = 'h', .type = QP_TYPE_FLAG, .help = "show this help"},
    {0},
};

/* Adds one result to the merge (the first becomes it). Returns 0, or -1 after
 * printing the error. */
static int take(json_t **merged, char *first_name, size_t size, json_t *r, const char *name)
{
    qp_error err;
    if (!*merged) {
        if (qp_result_check(r, name, &err) < 0) {
            qp_errorf("merge: %s", err.message);
            return -1;
        }
        *merged = json_deep_copy(r);
        snprintf(first_name, size, "%s", name);
        return *merged ? 0 : -1;
    }
    if (qp_result_merge(*merged, r, first_name, name, &err) < 0) {
        qp_errorf("merge: %s", err.message);
        return -1;
    }
    return 0;
}

/* Reads results one after another from a stream. Returns 0, or -1 after printing. */
static int take_stream(json_t **merged, char *first_name, size_t size, FILE *f, const char *name)
{
    for (size_t n = 1;; n++) {
        int c;
        while ((c = getc(f)) != EOF && strchr(" \t\r\n", c))
            ;
        if (c == EOF)
            return 0;
        ungetc(c, f);
        json_error_t jerr;
        json_t *r = json_loadf(f, JSON_DISABLE_EOF_CHECK, &jerr);
        char label[256];
        snprintf(label, sizeof label, "%s (result %zu)", name, n);
        if (!r) {
            qp_errorf("merge: %s:%d: %s", name, jerr.line, jerr.text);
            return -1;
        }
        int rc = take(merged, first_name, size, r, label);
        json_decref(r);
        if (rc < 0)
            return -1;
    }
}

int qp_cmd_merge(int argc, char **argv)
{
    if (qp_options_want_help(argc, argv)) {
        printf("Usage: qualpipe merge [-o RESULT.json] RESULT...\n\n"
               "Combines the results of disjoint shards of a corpus into the result one run\n"
               "over all of them gives, byte for byte: counts are summed, documents joined, and\n"
               "rates and absent codes worked out again. Results from different codebooks or\n"
               "options are refused, naming both. The order of the results does not matter.\n\n"
               "Example:\n"
               "  parallel qualpipe run -q -c edmondson -o part-{#}.json ::: shard-*/\n"
               "  qualpipe merge -o all.json part-*.json\n\nOptions:\n");
        qp_options_print(stdout, (qp_option_table[]){{NULL, merge_options}}, 1, 0);
        return QP_EXIT_OK;
    }
    qp_parsed parsed[1];
    const qp_option_table tables[1] = {{NULL, merge_options}};
    qp_error err;
    if (qp_options_parse(argc, argv, tables, 1, "merge", parsed, &err) < 0) {
        qp_errorf("%s", err.message);
        return QP_EXIT_USAGE;
    }
    json_t *merged = NULL;
    char first_name[512] = "";
    int status = QP_EXIT_USAGE;
    for (size_t i = 0; i < parsed[0].n; i++) {
        if (strcmp(parsed[0].values[i].name, "result") != 0)
            continue;
        const char *path = parsed[0].values[i].value;
        if (strcmp(path, "-") == 0) {
            if (take_stream(&merged, first_name, sizeof first_name, stdin, "<stdin>") < 0)
                goto done;
            continue;
        }
        FILE *f = fopen(path, "r");
        if (!f) {
            qp_errorf("merge: %s: %s", path, strerror(errno));
            goto done;
        }
        int rc = take_stream(&merged, first_name, sizeof first_name, f, path);
        fclose(f);
        if (rc < 0)
            goto done;
    }
    if (!merged) {
        qp_errorf("merge: no results were given");
        goto done;
    }
    qp_result_derive(merged);
    const char *out_path = qp_options_get(&parsed[0], "output");
    int compact = qp_options_get(&parsed[0], "compact") != NULL;
    if (out_path) {
        qp_atomic_file af;
        if (qp_atomic_open(&af, out_path, &err) < 0) {
            qp_errorf("%s", err.message);
            goto done;
        }
        if (qp_result_write(af.fp, merged, compact) < 0) {
            qp_atomic_abort(&af);
            qp_errorf("merge: cannot write %s", out_path);
            goto done;
        }
        if (qp_atomic_commit(&af, &err) < 0) {
            qp_errorf("%s", err.message);
            goto done;
        }
    } else if (qp_result_write(stdout, merged, compact) < 0 || fflush(stdout) != 0) {
        if (errno != EPIPE) {
            qp_errorf("merge: cannot write to standard output: %s", strerror(errno));
            goto done;
        }
    }
    status = json_integer_value(json_object_get(json_object_get(merged, "totals"), "skipped"))
                 ? QP_EXIT_SKIPPED
                 : QP_EXIT_OK;
done:
    json_decref(merged);
    qp_options_free(parsed, 1);
    return status;
}
