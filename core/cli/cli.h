/* Shared pieces of the command line: the context, loading files, the commands. */
#ifndef TALLY_CLI_H
#define TALLY_CLI_H

#include "tally/count.h"
#include "tally/load.h"
#include "lua/lua_status.h"
#include "tally/vocab.h"

/* The program's context, made on first use: its home is the directory holding
 * tally's data/ and plugins/ (TALLY_HOME, the source tree the binary was built in,
 * or $(PREFIX)/share/tally when installed); freed at exit. */
tl_ctx *cli_ctx(void);

/* Sets the reader's language (--lang CODE, or NULL for the environment's);
 * 0, or TL_EXIT_USAGE after saying why. */
int cli_lang(const char *code);

/* Loads one file with opts (with the program's context when opts has none); prints
 * the error and returns NULL on failure. */
tl_store *cli_load(const char *path, tl_load_opts *opts);
/* Loads every file into one store (their columns must agree); NULL after
 * printing the error. */
tl_store *cli_load_all(char **files, int n, tl_load_opts *opts);

/* The filters of --where FIELD=VALUE (nwhere of them) and --from/--to: one filter
 * per field holding every value given for it, in first-seen order; vals holds the
 * NULL-terminated value lists side by side (2 * nwhere + 2 slots), f nwhere + 1.
 * Field names are strdup'ed: cli_filters_free releases them. -1 when out of memory. */
int  cli_filters(const char *const *where, int nwhere, tl_date from, tl_date to,
                 tl_filter *f, const char **vals, size_t *nf);
void cli_filters_free(tl_filter *f, size_t nf);

/* Entry points of the subcommands (argv[0] is the subcommand name). */
int cmd_count(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);      /* core/lua_run.c */
int cli_run_importer(int argc, char **argv);   /* tally run for tally import: an importer only */
int cmd_eval(int argc, char **argv);     /* core/lua_run.c */
int cmd_plugins(int argc, char **argv);  /* core/lua_run.c */
int cmd_chart(int argc, char **argv);    /* core/chart_cmd.c */
int cmd_import(int argc, char **argv);   /* core/cli/import_cmd.c */

/* Runs run, eval, plugins, chart or import from the module that holds them and
 * the libraries they need (core/cli/ext.c): count and check do not load those. */
int cli_ext_run(const char *name, int argc, char **argv);

#endif
