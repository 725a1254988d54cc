/* cmd_codebook_test.c - `qualpipe codebook test CODEBOOK...`: a codebook tested
 * like code. Every code's `examples` must be coded with it (or a code below it)
 * and none of its `near_misses` may be; each sentence goes through the read,
 * tokenise and code stages as a document of its own, so the test codes exactly
 * as a run does. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebook/codebook.h"
#include "codebook/import.h"
#include "commands.h"
#include "session.h"
#include "util/grow.h"

static const qp_option_spec test_options[] = {QP_SPEC_PLUGIN_DIR, {0}};

/* One sentence to code: the code it tests and whether it must be coded. */
typedef struct probe {
    size_t code;
    int want; /* 1: an example; 0: a near miss */
    const char *text;
} probe;

/* What the sink holds while the probes come back coded. */
typedef struct tester {
    const qp_codebook *cb;
    probe *probes;
    size_t n_probes, probes_cap;
    size_t *passed, *tried; /* per code */
    unsigned char *coded;   /* per code, scratch: coded in the current document */
    size_t failed;
} tester;

/* Adds the examples and near misses of every code as probes, and writes them to
 * out as JSON Lines documents "PROBE-INDEX". Returns 0, or -1 when out of
 * memory or the file cannot be written. */
static int write_probes(tester *t, FILE *out)
{
    for (size_t k = 0; k < t->cb->n_codes; k++) {
        json_t *o = qp_code_json(t->cb, k);
        const char *keys[] = {"near_misses", "examples"};
        for (int want = 0; want < 2 && o; want++) {
            size_t i;
            json_t *v;
            json_array_foreach(json_object_get(o, keys[want]), i, v)
            {
                if (!json_is_string(v))
                    continue;
                if (qp_grow(&t->probes, &t->probes_cap, t->n_probes + 1, sizeof *t->probes, 64) <
                    0) {
                    json_decref(o);
                    return -1;
                }
                char id[32];
                snprintf(id, sizeof id, "probe-%zu", t->n_probes);
                t->probes[t->n_probes++] = (probe){k, want, strdup(json_string_value(v))};
                json_t *doc = json_pack("{s:s, s:s}", "id", id, "text", json_string_value(v));
                int bad = !doc || !t->probes[t->n_probes - 1].text ||
                          json_dumpf(doc, out, JSON_COMPACT) < 0 || fputc('\n', out) == EOF;
                json_decref(doc);
                if (bad) {
                    json_decref(o);
                    return -1;
                }
            }
        }
        json_decref(o);
    }
    return fflush(out) == 0 ? 0 : -1;
}

/* Marks code k and every code above it as coded. */
static void mark_up(tester *t, long k)
{
    for (; k >= 0; k = t->cb->codes[k].parent)
        t->coded[k] = 1;
}

/* Returns 1 when code k is `code` or below it. */
static int is_under(const qp_codebook *cb, long k, size_t code)
{
    for (; k >= 0; k = cb->codes[k].parent)
        if ((size_t)k == code)
            return 1;
    return 0;
}

/* Prints why probe p failed in doc: the rule that coded a near miss, or what
 * fired instead of an example's code. */
static void print_failure(const tester *t, const probe *p, const qp_doc *doc)
{
    const qp_code *c = &t->cb->codes[p->code];
    if (!p->want) {
        for (size_t i = 0; i < doc->n_hits; i++) {
            const qp_hit *h = &doc->hits[i];
            if (is_under(t->cb, qp_codebook_find(t->cb, h->code), p->code)) {
                printf("FAIL %s: near miss coded by rule %s of %s (\"%.*s\"): %s\n", c->id, h->rule,
                       h->code, (int)(h->end - h->start), doc->text + h->start, p->text);
                return;
            }
        }
    }
    printf("FAIL %s: example not coded (", c->id);
    if (!doc->n_hits)
        printf("no rule fired");
    for (size_t i = 0; i < doc->n_hits; i++)
        printf("%s%s by rule %s", i ? ", " : "coded instead: ", doc->hits[i].code,
               doc->hits[i].rule);
    printf("): %s\n", p->text);
}

/* The sink: checks each coded probe against what it should be. */
static int check_probe(void *ctx, qp_doc *doc, qp_error *err)
{
    tester *t = ctx;
    size_t i = strtoul(doc->id + strlen("probe-"), NULL, 10);
    if (strncmp(doc->id, "probe-", 6) != 0 || i >= t->n_probes) {
        snprintf(err->message, sizeof err->message, "codebook test: a document it did not make");
        return QP_ERR_USAGE;
    }
    const probe *p = &t->probes[i];
    if (doc->skipped) {
        printf("FAIL %s: %s was skipped (%s): %s\n", t->cb->codes[p->code].id,
               p->want ? "example" : "near miss", doc->skipped, p->text);
        t->failed++;
        t->tried[p->code]++;
        return QP_OK;
    }
    memset(t->coded, 0, t->cb->n_codes);
    for (size_t h = 0; h < doc->n_hits; h++)
        mark_up(t, qp_codebook_find(t->cb, doc->hits[h].code));
    t->tried[p->code]++;
    if (t->coded[p->code] == p->want) {
        t->passed[p->code]++;
    } else {
        print_failure(t, p, doc);
        t->failed++;
    }
    return QP_OK;
}

int qp_code_documents(const char *spec, const char *encoding, const char *path, char **plugin_args,
                      int n_plugin_args, int (*sink)(void *ctx, qp_doc *doc, qp_error *err),
                      void *ctx)
{
    char **argv = calloc((size_t)n_plugin_args + 8, sizeof *argv);
    if (!argv) {
        qp_errorf("out of memory");
        return QP_EXIT_USAGE;
    }
    int argc = 0;
    argv[argc++] = "codebook test";
    for (int i = 0; i < n_plugin_args; i++)
        argv[argc++] = plugin_args[i];
    argv[argc++] = "-c";
    argv[argc++] = (char *)spec;
    if (encoding) {
        argv[argc++] = "--encoding";
        argv[argc++] = (char *)encoding;
    }
    argv[argc++] = (char *)path;
    qp_session s;
    int status = QP_EXIT_CODEBOOK;
    if (qp_session_start(&s, "codebook test", argc, argv) < 0) {
        free(argv);
        return status;
    }
    if (qp_session_load_chain(&s, argc, argv, "read,tokenise,code", QP_CHAIN_FOR_HOST_SINK,
                              test_options) == 0) {
        status = QP_EXIT_USAGE;
        if (qp_session_parse(&s, argc, argv) == 0) {
            qp_session_add_stages(&s);
            qp_runner_add_host_sink(&s.runner, "test", NULL, sink, ctx);
            int rc = qp_runner_run(&s.runner);
            if (rc != QP_OK)
                qp_errorf("%s", s.runner.error.message);
            status = rc == QP_OK ? QP_EXIT_OK : qp_exit_for(rc);
        }
    }
    qp_session_end(&s);
    free(argv);
    return status;
}

/* Prints each tested code's line and the codebook's total. */
static void print_summary(const tester *t)
{
    size_t tried = 0;
    for (size_t k = 0; k < t->cb->n_codes; k++) {
        if (!t->tried[k])
            continue;
        tried += t->tried[k];
        printf("%s %s: %zu of %zu sentences as expected\n",
               t->passed[k] == t->tried[k] ? "ok  " : "FAIL", t->cb->codes[k].id, t->passed[k],
               t->tried[k]);
    }
    printf("%s %s: %zu of %zu examples and near misses as expected", t->failed ? "FAIL" : "ok  ",
           t->cb->name, tried - t->failed, tried);
    if (!tried)
        printf(" (no code has examples or near_misses to test)");
    printf("\n");
}

int qp_codebook_test(const qp_host *host, const char *spec, const char *encoding,
                     char **plugin_args, int n_plugin_args)
{
    qp_error err;
    qp_codebook *cb = qp_codebook_open(host, spec, encoding, &err);
    if (!cb) {
        qp_errorf("%s", err.message);
        return QP_EXIT_CODEBOOK;
    }
    tester t = {.cb = cb};
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/qualpipe-test-XXXXXX.jsonl", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 6);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    t.passed = calloc(cb->n_codes + 1, sizeof *t.passed);
    t.tried = calloc(cb->n_codes + 1, sizeof *t.tried);
    t.coded = calloc(cb->n_codes + 1, 1);
    int status = QP_EXIT_USAGE;
    if (!f || !t.passed || !t.tried || !t.coded || write_probes(&t, f) < 0) {
        qp_errorf("codebook test: cannot write the sentences to test to %s", path);
    } else {
        fclose(f);
        f = NULL;
        status = t.n_probes ? qp_code_documents(spec, encoding, path, plugin_args, n_plugin_args,
                                                check_probe, &t)
                            : QP_EXIT_OK;
        if (status == QP_EXIT_OK) {
            print_summary(&t);
            status = t.failed ? QP_EXIT_SKIPPED : QP_EXIT_OK;
        }
    }
    if (f)
        fclose(f);
    if (fd >= 0)
        unlink(path);
    for (size_t i = 0; i < t.n_probes; i++)
        free((char *)t.probes[i].text);
    free(t.probes), free(t.passed), free(t.tried), free(t.coded);
    qp_codebook_free(cb);
    return status;
}
