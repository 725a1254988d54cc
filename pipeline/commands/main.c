/* main.c - the qualpipe command: dispatch to subcommands, top-level help. */
#include "config.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/host.h"

static void usage(FILE *out)
{
    fputs("Usage: qualpipe COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "Code text deductively against a codebook: documents stream through a chain of\n"
          "stages (read, segment, tokenise, code, aggregate, or any --stages you name)\n"
          "into a JSON result.\n"
          "\n"
          "Commands:\n"
          "  run -c CODEBOOK [--by FIELD]... [-o RESULT.json] INPUT...\n"
          "                        code a corpus in one process\n"
          "  stage NAME [OPTIONS]  run one stage between JSON Lines on stdin and stdout\n"
          "  plugins               list the stage and codebook plugins found\n"
          "  codebook check FILE   validate a codebook and print its codes as a tree\n"
          "  codebook import|export  convert dictionaries and REFI-QDA codebooks\n"
          "  kwic -c CODEBOOK --code ID INPUT...\n"
          "                        print each hit of a code in its context\n"
          "  export --qdpx PROJECT.qdpx -c CODEBOOK INPUT...\n"
          "                        code a corpus into a REFI-QDA project for NVivo,\n"
          "                        MAXQDA, ATLAS.ti or QualCoder\n"
          "  merge RESULT...       combine the results of shards of a corpus\n"
          "  agree --corpus INPUT CODING CODING...\n"
          "                        compare codings: alpha, kappa, precision, recall, F1\n"
          "  help [COMMAND]        show help for a command\n"
          "\n"
          "Examples:\n"
          "  qualpipe run -c example --by Party -o results.json corpora/inaugural\n"
          "  qualpipe stage read corpora/inaugural | qualpipe stage tokenise \\\n"
          "    | qualpipe stage code -c example | qualpipe stage aggregate\n"
          "\n"
          "Exit status: 0 all documents coded; 1 some documents skipped (each is named on\n"
          "stderr and counted in the result); 2 usage error or unreadable/unwritable file;\n"
          "3 unusable codebook or plugin; 130 or 143 stopped by Ctrl-C or SIGTERM (nothing\n"
          "written).\n"
          "\n"
          "'qualpipe COMMAND --help' tells more; see also qualpipe(1).\n",
          out);
}

int main(int argc, char **argv)
{
    char *help_argv[3] = {NULL, "--help", NULL};
    /* A closed stdout shows up as EPIPE on write and ends the run quietly. */
    signal(SIGPIPE, SIG_IGN);
    /* Documents come and go by the thousand: keep freed memory for the next one
     * instead of giving it back to the system and faulting it in again. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    if (argc < 2) {
        usage(stderr);
        return QP_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        (strcmp(cmd, "help") == 0 && argc == 2)) {
        usage(stdout);
        return QP_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("qualpipe %s\n", PACKAGE_VERSION);
        return QP_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        help_argv[0] = argv[2];
        argc = 2;
        argv = help_argv;
    } else {
        argc--;
        argv++;
    }
    if (strcmp(argv[0], "run") == 0)
        return qp_cmd_run(argc, argv);
    if (strcmp(argv[0], "stage") == 0)
        return qp_cmd_stage(argc, argv);
    if (strcmp(argv[0], "plugins") == 0)
        return qp_cmd_plugins(argc, argv);
    if (strcmp(argv[0], "codebook") == 0)
        return qp_cmd_codebook(argc, argv);
    if (strcmp(argv[0], "agree") == 0)
        return qp_cmd_agree(argc, argv);
    if (strcmp(argv[0], "merge") == 0)
        return qp_cmd_merge(argc, argv);
    if (strcmp(argv[0], "kwic") == 0)
        return qp_cmd_kwic(argc, argv);
    if (strcmp(argv[0], "export") == 0)
        return qp_cmd_export(argc, argv);
    qp_errorf("unknown command '%s' (try 'qualpipe --help')", argv[0]);
    return QP_EXIT_USAGE;
}
