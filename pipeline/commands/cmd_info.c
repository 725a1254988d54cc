/* cmd_info.c - `qualpipe plugins` and `qualpipe codebook check`: what is installed
 * and whether a codebook is sound. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/options.h"
#include "codebook/codebook.h"
#include "commands.h"
#include "session.h"
#include "codebook/import.h"
#include "paths.h"

static const qp_option_spec plugins_options[] = {
    QP_SPEC_PLUGIN_DIR,
    QP_SPEC_HELP,
    {0},
};

/* Prints one module line: kind, name, version, path, and description or problem. */
static void print_module(void *ud, const qp_module_info *m)
{
    int *problems = ud;
    printf("  %-8s %-12s %-8s %s\n", m->kind, m->name, m->version ? m->version : "-", m->path);
    if (m->problem) {
        printf("           unusable: %s\n", m->problem);
        ++*problems;
    } else if (m->shadowed_by) {
        printf("           not used: %s comes first in the search path\n", m->shadowed_by);
    } else if (m->description) {
        printf("           %s\n", m->description);
    }
}

int qp_cmd_plugins(int argc, char **argv)
{
    if (qp_options_want_help(argc, argv)) {
        printf("Usage: qualpipe plugins [--plugin-dir DIR]...\n\n"
               "Lists the stage and codebook plugin modules qualpipe finds, with their\n"
               "versions and files, folder by folder in the order they are searched:\n"
               "--plugin-dir, then $QUALPIPE_PLUGIN_PATH, then the build tree (when run\n"
               "uninstalled), then %s.\n\n"
               "Example:\n"
               "  qualpipe plugins --plugin-dir ~/my-codebooks\n\nOptions:\n",
               QP_PKGLIBDIR);
        qp_options_print(stdout, (qp_option_table[]){{NULL, plugins_options}}, 1, 0);
        return QP_EXIT_OK;
    }
    qp_parsed parsed[1];
    const qp_option_table tables[1] = {{NULL, plugins_options}};
    qp_error err;
    if (qp_options_parse(argc, argv, tables, 1, "plugins", parsed, &err) < 0) {
        qp_errorf("%s", err.message);
        return QP_EXIT_USAGE;
    }
    const char **dirs = calloc(parsed[0].n + 1, sizeof *dirs);
    size_t n = 0;
    for (size_t i = 0; dirs && i < parsed[0].n; i++)
        if (strcmp(parsed[0].values[i].name, "plugin-dir") == 0)
            dirs[n++] = parsed[0].values[i].value;
    qp_loader *loader = dirs ? qp_loader_new(dirs, n, &err) : NULL;
    free(dirs);
    if (!dirs)
        snprintf(err.message, sizeof err.message, "out of memory");
    qp_options_free(parsed, 1);
    if (!loader) {
        qp_errorf("%s", err.message);
        return QP_EXIT_CODEBOOK;
    }
    printf("Plugin folders, searched in this order:\n");
    const char *const *d = qp_loader_dirs(loader);
    for (size_t i = 0; d[i]; i++)
        printf("  %zu. %s\n", i + 1, d[i]);
    printf("\nModules:\n");
    int problems = 0;
    size_t found = qp_loader_list(loader, print_module, &problems);
    if (!found)
        printf("  none found: install qualpipe, or pass --plugin-dir\n");
    qp_loader_free(loader);
    return problems ? QP_EXIT_CODEBOOK : QP_EXIT_OK;
}

/* The codes of a codebook as a tree: each code's first child and next sibling
 * (-1: none), and the top codes' first, in codebook order. */
typedef struct code_tree {
    long top;
    long *first_child, *next_sibling;
} code_tree;

/* Fills t from cb's parents, in one pass. Returns 0, or -1 when out of memory. */
static int tree_of(const qp_codebook *cb, code_tree *t)
{
    size_t n = cb->n_codes ? cb->n_codes : 1;
    t->top = -1;
    t->first_child = malloc(n * sizeof *t->first_child);
    t->next_sibling = malloc(n * sizeof *t->next_sibling);
    long *last_child = malloc(n * sizeof *last_child), last_top = -1;
    if (!t->first_child || !t->next_sibling || !last_child) {
        free(last_child);
        return -1;
    }
    for (size_t i = 0; i < cb->n_codes; i++)
        t->first_child[i] = t->next_sibling[i] = last_child[i] = -1;
    for (size_t i = 0; i < cb->n_codes; i++) { /* a parent always comes before its children */
        long p = cb->codes[i].parent, *last = p < 0 ? &last_top : &last_child[p];
        if (*last < 0)
            *(p < 0 ? &t->top : &t->first_child[p]) = (long)i;
        else
            t->next_sibling[*last] = (long)i;
        *last = (long)i;
    }
    free(last_child);
    return 0;
}

/* Prints the codes from `first` on, and their children, as an indented tree. */
static void print_tree(const qp_codebook *cb, const code_tree *t, long first, const char *indent)
{
    for (long i = first; i >= 0; i = t->next_sibling[i]) {
        const qp_code *c = &cb->codes[i];
        int is_last = t->next_sibling[i] < 0;
        printf("%s%s %s", indent, is_last ? "└─" : "├─", c->id);
        if (strcmp(c->label, c->id) != 0)
            printf(" \"%s\"", c->label);
        printf("  (%zu pattern%s", c->n_patterns, c->n_patterns == 1 ? "" : "s");
        if (c->n_exclusions)
            printf(", %zu exclusion%s", c->n_exclusions, c->n_exclusions == 1 ? "" : "s");
        printf(")\n");
        char deeper[512];
        snprintf(deeper, sizeof deeper, "%s%s", indent, is_last ? "   " : "│  ");
        print_tree(cb, t, t->first_child[i], deeper);
    }
}

static void codebook_help(void)
{
    printf("Usage: qualpipe codebook check [--encoding NAME] CODEBOOK...\n"
           "       qualpipe codebook test CODEBOOK...\n"
           "       qualpipe codebook import [--encoding NAME] DICTIONARY > codebook.json\n"
           "       qualpipe codebook export CODEBOOK > codebook.qdc\n\n"
           "check   validates each codebook (a .json file, a shipped codebook's name, a\n"
           "        dictionary, or a codebook plugin) and prints its codes as a tree with\n"
           "        their pattern counts. A bad codebook is reported with its file, line\n"
           "        and the reason, and the status is 3.\n"
           "test    codes every code's examples and near_misses as a run would: each\n"
           "        example must be coded with its code (or one below it), no near miss\n"
           "        may be. Prints each failure with the rule that fired (or that none\n"
           "        did), a line per code, and exits 1 when any failed.\n"
           "import  converts a LIWC .dic, LIWC-22 .dicx, WordStat .cat, Lexicoder .lc3,\n"
           "        Yoshikoder .ykd, quanteda YAML .yml, category<TAB>pattern .tsv or\n"
           "        REFI-QDA .qdc file, or a .qdpx project's code tree, into a qualpipe\n"
           "        JSON codebook on standard output.\n"
           "        Entries qualpipe cannot use are named on standard error and left out.\n"
           "        (-c also takes these files directly.)\n"
           "export  writes a codebook's code tree as a REFI-QDA codebook (.qdc) for NVivo,\n"
           "        ATLAS.ti, MAXQDA or QualCoder; patterns stay in qualpipe's format.\n\n"
           "--encoding NAME  the files are in this encoding, not UTF-8 (windows-1252,\n"
           "        iso-8859-1, shift_jis, euc-jp, utf-16: any name `iconv --list` shows).\n\n"
           "Examples:\n  qualpipe codebook check edmondson\n"
           "  qualpipe codebook test my-codebook.json\n"
           "  qualpipe codebook import liwc2015.dic > liwc.json\n"
           "  qualpipe codebook import --encoding windows-1252 old.cat > old.json\n"
           "  qualpipe codebook export iparihs > iparihs.qdc\n");
}

/* `codebook import FILE` and `codebook export CODEBOOK`: one codebook to stdout.
 * Returns the exit status. */
static int convert(const char *how, const char *spec, const char *encoding, qp_host_impl *host)
{
    qp_error err;
    qp_codebook *cb = strcmp(how, "import") == 0
                          ? qp_import(spec, encoding, qp_warn, &err)
                          : qp_codebook_open(&host->pub, spec, encoding, &err);
    if (!cb) {
        qp_errorf("%s", err.message);
        return QP_EXIT_CODEBOOK;
    }
    int rc = strcmp(how, "import") == 0 ? qp_codebook_write_json(cb, stdout)
                                        : qp_codebook_write_qdc(cb, stdout, &err);
    qp_codebook_free(cb);
    if (rc < 0 || fflush(stdout) != 0) {
        qp_errorf("codebook %s: cannot write to standard output", how);
        return QP_EXIT_USAGE;
    }
    return QP_EXIT_OK;
}

/* Prints one codebook's summary and code tree. */
static void print_codebook(const qp_codebook *cb)
{
    size_t n_patterns = 0, n_exclusions = 0;
    for (size_t k = 0; k < cb->n_codes; k++) {
        n_patterns += cb->codes[k].n_patterns;
        n_exclusions += cb->codes[k].n_exclusions;
    }
    printf("%s %s: %zu codes, %zu patterns, %zu exclusion%s%s\n", cb->name, cb->version,
           cb->n_codes, n_patterns, n_exclusions, n_exclusions == 1 ? "" : "s",
           cb->plugin && cb->plugin->match ? ", and a matcher of its own" : "");
    printf("  source %s\n  sha256 %s\n", cb->source, cb->sha256);
    if (cb->citation && *cb->citation)
        printf("  cite   %s\n", cb->citation);
    code_tree tree;
    if (tree_of(cb, &tree) == 0)
        print_tree(cb, &tree, tree.top, "  ");
    else
        qp_errorf("out of memory");
    free(tree.first_child);
    free(tree.next_sibling);
}

/* Splits codebook's arguments: --plugin-dir (the session's) is skipped,
 * --encoding NAME kept in *encoding, the rest collected in order. Returns the
 * number of the rest, or -1 when an option lacks its value. */
static int codebook_arguments(int argc, char **argv, const char **encoding, char **rest)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        int takes_next = strcmp(argv[i], "--plugin-dir") == 0 || strcmp(argv[i], "--encoding") == 0;
        if (takes_next && i + 1 == argc)
            return -1;
        if (strcmp(argv[i], "--encoding") == 0)
            *encoding = argv[i + 1];
        else if (strncmp(argv[i], "--encoding=", 11) == 0)
            *encoding = argv[i] + 11;
        else if (!takes_next && strncmp(argv[i], "--plugin-dir=", 13) != 0)
            rest[n++] = argv[i];
        i += takes_next;
    }
    return n;
}

int qp_cmd_codebook(int argc, char **argv)
{
    if (qp_options_want_help(argc, argv)) {
        codebook_help();
        return QP_EXIT_OK;
    }
    const char *encoding = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int n = rest ? codebook_arguments(argc, argv, &encoding, rest) : -1;
    int is_check = n >= 2 && strcmp(rest[0], "check") == 0;
    int is_test = n >= 2 && strcmp(rest[0], "test") == 0;
    int is_convert = n == 2 && (strcmp(rest[0], "import") == 0 || strcmp(rest[0], "export") == 0);
    if (!is_check && !is_convert && !is_test) {
        free(rest);
        qp_errorf("codebook: usage: qualpipe codebook check CODEBOOK..., codebook test "
                  "CODEBOOK..., codebook import FILE or codebook export CODEBOOK (try 'qualpipe "
                  "codebook --help')");
        return QP_EXIT_USAGE;
    }
    qp_session session;
    if (qp_session_start(&session, "codebook", argc, argv) < 0) {
        free(rest);
        return QP_EXIT_CODEBOOK;
    }
    qp_host_impl *host = &session.host;
    int status = QP_EXIT_OK;
    if (is_convert)
        status = convert(rest[0], rest[1], encoding, host);
    char **plugin_args = calloc((size_t)argc + 1, sizeof *plugin_args);
    int n_plugin_args = 0;
    for (int i = 1; plugin_args && i < argc; i++)
        if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc) {
            plugin_args[n_plugin_args++] = argv[i];
            plugin_args[n_plugin_args++] = argv[++i];
        } else if (strncmp(argv[i], "--plugin-dir=", 13) == 0) {
            plugin_args[n_plugin_args++] = argv[i];
        }
    for (int i = 1; is_test && i < n; i++) {
        int rc = plugin_args
                     ? qp_codebook_test(&host->pub, rest[i], encoding, plugin_args, n_plugin_args)
                     : QP_EXIT_USAGE;
        if (rc > status)
            status = rc;
    }
    free(plugin_args);
    for (int i = 1; is_check && i < n; i++) {
        qp_error err;
        qp_codebook *cb = qp_codebook_open(&host->pub, rest[i], encoding, &err);
        if (!cb) {
            qp_errorf("%s", err.message);
            status = QP_EXIT_CODEBOOK;
            continue;
        }
        print_codebook(cb);
        qp_codebook_free(cb);
    }
    qp_session_end(&session);
    free(rest);
    return status;
}
