/* test_options.c - the option parser: types and ranges checked in one place,
 * names two stages share, --STAGE.OPTION, defaults, and many options. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/options.h"

static const char *const colours[] = {"red", "green", NULL};

static const qp_option_spec own[] = {
    {.name = "output", .short_name = 'o', .arg_name = "FILE", .help = "where"},
    {.name = "jobs", .short_name = 'j', .type = QP_TYPE_INTEGER, .min = 1, .max = 64},
    {.name = "input", .flags = QP_OPT_OPERANDS},
    {0},
};

static const qp_option_spec alpha[] = {
    {.name = "unit", .type = QP_TYPE_ENUM, .choices = colours, .default_value = "green"},
    {.name = "quotes", .type = QP_TYPE_INTEGER, .min = 0, .max = 1000, .default_value = "5"},
    {.name = "limit", .type = QP_TYPE_SIZE, .min = 1, .max = (int64_t)1 << 40},
    {.name = "strict", .type = QP_TYPE_BOOLEAN},
    {.name = "pattern", .type = QP_TYPE_REGEX},
    {.name = "output", .help = "a stage option the command's -o shadows"},
    {0},
};

static const qp_option_spec beta[] = {
    {.name = "unit", .help = "beta's own unit"},
    {.name = "verbose", .short_name = 'v', .type = QP_TYPE_FLAG},
    {0},
};

static const qp_option_table tables[] = {{NULL, own}, {"alpha", alpha}, {"beta", beta}};

/* Parses the words of line against the three tables; returns what parse returns. */
static int parse(const char *line, qp_parsed *out, qp_error *err)
{
    static char buf[1024];
    static char *argv[64];
    snprintf(buf, sizeof buf, "cmd %s", line);
    int argc = 0;
    for (char *w = strtok(buf, " "); w && argc < 63; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    return qp_options_parse(argc, argv, tables, 3, "cmd", out, err);
}

static const qp_option_value *value(const qp_parsed *p, const char *name)
{
    for (size_t i = p->n; i-- > 0;)
        if (strcmp(p->values[i].name, name) == 0)
            return &p->values[i];
    return NULL;
}

Test(options, numbers_are_checked_and_parsed)
{
    qp_parsed out[3];
    qp_error err;
    cr_assert_eq(parse("--quotes 12 --limit 64M -j 4 a b", out, &err), 0, "%s", err.message);
    cr_assert_eq(value(&out[1], "quotes")->number, 12);
    cr_assert_eq(value(&out[1], "limit")->number, 64 << 20);
    cr_assert_eq(value(&out[0], "jobs")->number, 4);
    cr_assert_eq(out[0].n, 3, "jobs and two operands");
    qp_options_free(out, 3);
    const char *bad[] = {"--quotes abc", "--quotes -1", "--quotes 1x", "--quotes 1001",
                         "-j 0",         "--limit 0",   "--limit 5Q",  "--strict maybe",
                         "--unit blue",  "--pattern (", NULL};
    for (size_t i = 0; bad[i]; i++) {
        cr_assert_eq(parse(bad[i], out, &err), -1, "%s accepted", bad[i]);
        cr_assert(strstr(err.message, "cmd: --"), "one message shape: %s", err.message);
    }
    parse("--quotes abc", out, &err);
    cr_assert(strstr(err.message, "--quotes abc: give a whole number from 0 to 1000"), "%s",
              err.message);
}

Test(options, defaults_come_last_and_are_marked)
{
    qp_parsed out[3];
    qp_error err;
    cr_assert_eq(parse("--strict yes", out, &err), 0, "%s", err.message);
    const qp_option_value *unit = value(&out[1], "unit"), *strict = value(&out[1], "strict");
    cr_assert_str_eq(unit->value, "green");
    cr_assert_eq(unit->number, 1);
    cr_assert_eq(unit->given, 0);
    cr_assert_eq(strict->given, 1);
    cr_assert_eq(strict->number, 1);
    cr_assert_eq(value(&out[1], "quotes")->number, 5);
    cr_assert_null(value(&out[1], "limit"), "no default, none given");
    qp_options_free(out, 3);
}

Test(options, a_shared_name_is_refused_with_both_stages)
{
    qp_parsed out[3];
    qp_error err;
    cr_assert_eq(parse("--unit red", out, &err), -1);
    cr_assert(strstr(err.message, "alpha") && strstr(err.message, "beta"), "%s", err.message);
    cr_assert(strstr(err.message, "--alpha.unit"), "%s", err.message);
    cr_assert_eq(parse("--alpha.unit red --beta.unit words", out, &err), 0, "%s", err.message);
    cr_assert_str_eq(value(&out[1], "unit")->value, "red");
    cr_assert_str_eq(value(&out[2], "unit")->value, "words");
    qp_options_free(out, 3);
}

Test(options, the_command_keeps_its_names)
{
    qp_parsed out[3];
    qp_error err;
    cr_assert_eq(parse("-o result.json --alpha.output side.txt -v", out, &err), 0, "%s",
                 err.message);
    cr_assert_str_eq(value(&out[0], "output")->value, "result.json");
    cr_assert_str_eq(value(&out[1], "output")->value, "side.txt");
    cr_assert_not_null(value(&out[2], "verbose"));
    cr_assert_eq(parse("--beta.verbose --nonsense", out, &err), -1);
    cr_assert(strstr(err.message, "unknown option --nonsense"), "%s", err.message);
}

Test(options, no_limit_on_the_number_of_options)
{
    enum { N = 300 };
    static qp_option_spec many[N + 1];
    static char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "opt%d", i);
        many[i] = (qp_option_spec){.name = names[i], .type = QP_TYPE_FLAG};
    }
    qp_option_table t[] = {{NULL, many}};
    char *argv[] = {"cmd", "--opt299", "--opt0", NULL};
    qp_parsed out[1];
    qp_error err;
    cr_assert_eq(qp_options_parse(3, argv, t, 1, "cmd", out, &err), 0, "%s", err.message);
    cr_assert_eq(out[0].n, 2);
    qp_options_free(out, 1);
}

Test(options, plugin_dirs_are_all_kept)
{
    char *argv[82];
    argv[0] = "cmd";
    for (int i = 0; i < 40; i++) {
        argv[1 + 2 * i] = "--plugin-dir";
        argv[2 + 2 * i] = i == 39 ? "last" : "d";
    }
    argv[81] = NULL;
    const char **dirs;
    cr_assert_eq(qp_options_plugin_dirs(81, argv, &dirs), 40, "more than 32 are kept");
    cr_assert_str_eq(dirs[39], "last");
    free(dirs);
    char *two[] = {"cmd", "--plugin-dir=x", "--plugin-dir", "y", NULL};
    cr_assert_eq(qp_options_plugin_dirs(4, two, &dirs), 2);
    cr_assert_str_eq(dirs[0], "x");
    cr_assert_str_eq(dirs[1], "y");
    free(dirs);
}
