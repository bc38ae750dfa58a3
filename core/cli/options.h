/* The command line's one option table and its parser: every command's options,
 * their help, and --help written from the table. */
#ifndef TALLY_CLI_OPTIONS_H
#define TALLY_CLI_OPTIONS_H

#include <stdio.h>
#include "tally/load.h"

/* The commands, as bits: an option names every command that takes it. */
enum {
	CMD_COUNT = 1 << 0, CMD_CHECK = 1 << 1, CMD_CHART = 1 << 2, CMD_RUN = 1 << 3,
	CMD_EVAL = 1 << 4, CMD_PLUGINS = 1 << 5, CMD_IMPORT = 1 << 6
};
#define CMD_LOADS (CMD_COUNT | CMD_CHECK | CMD_CHART | CMD_RUN | CMD_EVAL)  /* read CSV files */
#define CMD_LUA   (CMD_RUN | CMD_EVAL)

/* What a command's handler is told: which option (one per meaning, shared by the
 * commands that take it). The loading options are handled by the parser. */
typedef enum cli_key {
	OPT_HELP,
	/* loading */
	OPT_MAP, OPT_DATE_FORMAT, OPT_NA, OPT_COUNTRY_CODES, OPT_SKIP_BAD, OPT_NO_CACHE, OPT_THREADS,
	/* selecting and counting */
	OPT_BY, OPT_WHERE, OPT_FROM, OPT_TO, OPT_QUARTER, OPT_FORMAT, OPT_SORT, OPT_TOP, OPT_ALLOW_EMPTY,
	/* drawing */
	OPT_OUTPUT, OPT_TITLE, OPT_SUBTITLE, OPT_SOURCE, OPT_HORIZONTAL, OPT_VERTICAL, OPT_STACKED,
	OPT_SCALE, OPT_SIZE, OPT_FONT, OPT_NO_VALUES, OPT_LANG,
	/* running Lua */
	OPT_DATA, OPT_OUT, OPT_UNSAFE, OPT_TIMEOUT, OPT_MAX_MEMORY, OPT_ALLOW_READ
} cli_key;

enum { OPT_LOADING = 1, OPT_MANY = 2 };   /* cli_opt.flags */
#define CLI_PASS (-2)   /* a handler's answer to --help: not mine (run's script takes it) */

typedef struct cli_opt {
	const char *name;    /* "--by" */
	const char *alias;   /* "-o", or NULL */
	const char *arg;     /* the value's name in --help; NULL for a flag */
	unsigned    cmds;    /* the commands that take it */
	cli_key     key;
	int         flags;   /* OPT_LOADING: a loading option; OPT_MANY: values until the next option */
	const char *help;    /* lines separated by \n */
} cli_opt;

extern const cli_opt cli_options[];   /* ends with name == NULL */

/* A command: its help texts and what to do with what the parser finds. Each
 * handler returns 0, or an exit status after printing why. */
typedef struct cli_cmd {
	const char *name;
	unsigned    bit;
	const char *usage;   /* "usage: ..." lines */
	const char *about;   /* a paragraph; NULL for none */
	const char *more;    /* after the options; NULL for none */
	int         longonly;   /* only --x is an option ("-x" is a word), as for run */
	int (*option)(void *a, cli_key key, const char *name, const char *value);   /* OPT_HELP: 0 to
	                                                                              print help, or CLI_PASS */
	int (*word)(void *a, const char *word, int rest);   /* rest: it came after "--" */
	/* an option not in the table, at argv[*i]: consume it (advancing *i past its
	 * value) or NULL for "unknown option" */
	int (*other)(void *a, int argc, char **argv, int *i);
} cli_cmd;

/* Reads argv[1..] (argv[0] is the command's name) into a and load (which may be
 * NULL when the command loads nothing). Returns 0 to go on, -1 when --help was
 * printed, or an exit status after a message. Words after "--" are words. */
int  cli_parse(const cli_cmd *cmd, void *a, tl_load_opts *load, int argc, char **argv);
void cli_help(const cli_cmd *cmd, FILE *f);
/* Prints "tally CMD: " and the message to stderr; returns TL_EXIT_USAGE. */
int  cli_usage(const cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
