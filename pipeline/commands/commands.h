/* commands.h - the qualpipe subcommands and the exit statuses they share. */
#ifndef QP_COMMANDS_H
#define QP_COMMANDS_H

#include <stdio.h>

#include <jansson.h>

#include <qualpipe/plugin.h>

/* Exit statuses, documented in qualpipe(1) and the README. */
enum qp_exit {
    QP_EXIT_OK = 0,      /* every document coded */
    QP_EXIT_SKIPPED = 1, /* finished, but some documents were skipped */
    QP_EXIT_USAGE = 2,   /* bad command line, or a file could not be read or written */
    QP_EXIT_CODEBOOK = 3 /* the codebook or a plugin is unusable */
};

/* Each returns the process exit status. argv[0] is the subcommand's name. */
int qp_cmd_run(int argc, char **argv);
int qp_cmd_stage(int argc, char **argv);
int qp_cmd_plugins(int argc, char **argv);
int qp_cmd_codebook(int argc, char **argv);
int qp_cmd_agree(int argc, char **argv);
int qp_cmd_merge(int argc, char **argv);
int qp_cmd_kwic(int argc, char **argv);
int qp_cmd_export(int argc, char **argv);
/* `codebook test`: codes each example and near miss of codebook spec. Returns 0
 * when all are as expected, 1 when some are not (each printed), 3 when the
 * codebook cannot be used. */
int qp_codebook_test(const qp_host *host, const char *spec, const char *encoding,
                     char **plugin_args, int n_plugin_args);
/* Codes the documents of JSON Lines file `path` with codebook spec through the
 * read, tokenise and code stages (plugin_args: "--plugin-dir DIR" pairs), each
 * coded document handed to sink(ctx, ...) in file order. Returns the exit
 * status, after printing any error. */
int qp_code_documents(const char *spec, const char *encoding, const char *path, char **plugin_args,
                      int n_plugin_args, int (*sink)(void *ctx, qp_doc *doc, qp_error *err),
                      void *ctx);

/* Returns the number of threads -j defaults to: the online processors. */
size_t qp_default_jobs(void);

/* Returns the exit status for a qp_status error code. */
int qp_exit_for(int status);

#endif
