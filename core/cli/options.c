/* The option table of every command, the one parser that reads it, and --help
 * written from it: an option is added once, with its help, and every command that
 * names it in cmds takes it (the man page is kept in step by a test). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/options.h"
#include "tally/mem.h"
#include "tally/suggest.h"

#define L OPT_LOADING

const cli_opt cli_options[] = {
	{"--by", NULL, "FIELD[,FIELD2]", CMD_COUNT, OPT_BY, 0,
	 "a field, or month, quarter, year; two make a cross-tab"},
	{"--by", NULL, "FIELD[,FIELD2]", CMD_CHART, OPT_BY, 0,
	 "a field, or month, quarter, year of the date; two:\na cross-tab"},
	{"--where", NULL, "FIELD=VALUE", CMD_COUNT | CMD_CHART, OPT_WHERE, 0,
	 "keep records with that value (repeatable; the same field\nrepeated means any of the values)"},
	{"--from", NULL, "DATE", CMD_COUNT | CMD_CHART, OPT_FROM, 0,
	 "keep records whose whole date lies on or after DATE (the\nnote says how many dates only overlap the range)"},
	{"--to", NULL, "DATE", CMD_COUNT | CMD_CHART, OPT_TO, 0,
	 "keep records whose whole date lies on or before DATE (the\nnote says how many dates only overlap the range)"},
	{"--quarter", NULL, "2023Q2", CMD_COUNT | CMD_CHART, OPT_QUARTER, 0,
	 "keep one quarter (also 2023-Q2)"},
	/* run and eval: the same filters, on what tally.data() gives the script */
	{"--where", NULL, "FIELD=VALUE", CMD_LUA, OPT_WHERE, 0,
	 "tally.data() keeps records with that value, as count's\n--where (repeatable); tally.where() is the filter"},
	{"--from", NULL, "DATE", CMD_LUA, OPT_FROM, 0,
	 "tally.data() keeps records whose whole date lies on or\nafter DATE, unless the script declares --from itself"},
	{"--to", NULL, "DATE", CMD_LUA, OPT_TO, 0,
	 "tally.data() keeps records whose whole date lies on or\nbefore DATE, unless the script declares --to itself"},
	{"--quarter", NULL, "2023Q2", CMD_LUA, OPT_QUARTER, 0,
	 "tally.data() keeps one quarter, unless the script declares\n--quarter itself (then it is the script's, in tally.args)"},
	{"--allow-empty", NULL, NULL, CMD_COUNT, OPT_ALLOW_EMPTY, 0,
	 "a --where or --quarter value no record holds counts 0\n(without it: an error naming the values held)"},
	{"--allow-empty", NULL, NULL, CMD_CHART, OPT_ALLOW_EMPTY, 0,
	 "draw a --quarter no record is in (without it: an error)"},
	{"--allow-empty", NULL, NULL, CMD_LUA, OPT_ALLOW_EMPTY, 0,
	 "ds:where with a value no record holds gives an empty view\n(without it: an error naming the values held)"},
	{"--format", NULL, "FMT", CMD_COUNT, OPT_FORMAT, 0, "table (default), csv or json"},
	{"--sort", NULL, "count|key", CMD_COUNT, OPT_SORT, 0,
	 "by count descending, or by key; month, quarter and\nyear are in time order unless --top is given"},
	{"--sort", NULL, "desc|asc|label|none", CMD_CHART, OPT_SORT, 0, "order of the categories"},
	{"--top", NULL, "N", CMD_COUNT | CMD_CHART, OPT_TOP, 0,
	 "at most N named rows, largest first, never cutting a tie;\nthe rest as \"Other (k values)\" (a single leftover keeps\nits name), counting each item once"},

	{"--output", "-o", "OUT", CMD_CHART, OPT_OUTPUT, 0,
	 "the file to write (required): .png (1200x675), .pdf or .svg"},
	{"--title", NULL, "T", CMD_CHART, OPT_TITLE, 0, "the title (default names the field)"},
	{"--subtitle", NULL, "S", CMD_CHART, OPT_SUBTITLE, 0, "the subtitle (default: the quarter or date range)"},
	{"--source", NULL, "S", CMD_CHART, OPT_SOURCE, 0, "the source line (default names the file)"},
	{"--horizontal", NULL, NULL, CMD_CHART, OPT_HORIZONTAL, 0, "horizontal bars"},
	{"--vertical", NULL, NULL, CMD_CHART, OPT_VERTICAL, 0,
	 "vertical bars (default: horizontal for long labels)"},
	{"--stacked", NULL, NULL, CMD_CHART, OPT_STACKED, 0, "stack the series of a two-field bar chart"},
	{"--scale", NULL, "N", CMD_CHART, OPT_SCALE, 0, "PNG pixel density (2 = 2400x1350)"},
	{"--size", NULL, "WxH", CMD_CHART, OPT_SIZE, 0, "web (600x337.5, the default), a4, a5 (landscape),\nor WxH in points"},
	{"--font", NULL, "FAMILY", CMD_CHART, OPT_FONT, 0, "font family (default DejaVu Sans)"},
	{"--no-values", NULL, NULL, CMD_CHART, OPT_NO_VALUES, 0, "no value labels"},
	{"--lang", NULL, "en|ru|zh|ar|fr|es", CMD_CHART | CMD_LUA, OPT_LANG, 0,
	 "the reader's language: words, month names, decimal sign\n(default: LC_MESSAGES, else English)"},

	{"--data", NULL, "FILE...", CMD_LUA, OPT_DATA, OPT_MANY,
	 "data files; tally.data() is the first, loaded with the loading options"},
	{"--out", NULL, "DIR", CMD_LUA, OPT_OUT, 0,
	 "where the script may write (outputs appear only if it succeeds)"},
	{"--unsafe", NULL, NULL, CMD_LUA, OPT_UNSAFE, 0, "lift the sandbox (all libraries, any path)"},
	{"--timeout", NULL, "SECONDS", CMD_LUA, OPT_TIMEOUT, 0, "stop a script that runs longer"},
	{"--max-memory", NULL, "SIZE", CMD_LUA, OPT_MAX_MEMORY, 0,
	 "memory cap with K, M or G suffix (default 1G; 0 = none)"},
	{"--allow-read", NULL, "DIR", CMD_LUA, OPT_ALLOW_READ, 0, "let a sandboxed script read under DIR too"},

	{"--map", NULL, "ROLE=COL[,ROLE=COL]", CMD_LOADS, OPT_MAP, L,
	 "the column that holds a role: date, country, dimension,\nor a split date: year, month, day"},
	{"--date-format", NULL, "FMT", CMD_LOADS, OPT_DATE_FORMAT, L,
	 "strptime format of the date column, e.g. %Y%m%d"},
	{"--na", NULL, "TOKEN", CMD_LOADS, OPT_NA, L, "read TOKEN as a missing value (repeatable)"},
	{"--country-codes", NULL, "MODE", CMD_LOADS, OPT_COUNTRY_CODES, L,
	 "name (default: names, aliases, alpha-3), iso2, iso3,\nfips (FIPS 10-4, as GDELT writes), raw"},
	{"--skip-bad", NULL, NULL, CMD_LOADS, OPT_SKIP_BAD, L,
	 "skip bad rows (reported on stderr) instead of stopping"},
	{"--no-cache", NULL, NULL, CMD_LOADS, OPT_NO_CACHE, L,
	 "always parse the file; do not read or write the cache"},
	{"--threads", NULL, "N", CMD_LOADS, OPT_THREADS, L, "parse with N threads (1 or 2; default: the cores)"},
	{"--max-memory", NULL, "SIZE", CMD_COUNT | CMD_CHECK | CMD_CHART, OPT_MAX_MEMORY, L,
	 "cap what the load holds, with K, M or G suffix (default: none)"},

	{"--output", "-o", "DRAFT.csv", CMD_IMPORT, OPT_OUTPUT, 0,
	 "the draft (required); DRAFT.review.csv is written beside it"},
	{"--as", NULL, "digest|release", CMD_IMPORT, OPT_AS, 0,
	 "a whole issue, or one item per file (default: told from the text)"},
	{"--issue", NULL, "2023Q2", CMD_IMPORT, OPT_ISSUE, 0,
	 "the issue's quarter: ids, and the year of dates given without one"},
	{"--merge", NULL, "REVIEWED.csv", CMD_IMPORT, OPT_MERGE, 0,
	 "keep every cell a person changed in a reviewed draft: a cell is\na person's when it differs from what REVIEWED.review.csv recorded"},
	{"--threshold", NULL, "X", CMD_IMPORT, OPT_THRESHOLD, 0,
	 "confidence below which a cell is to review (default 0.6)"},
	{"--plugin", NULL, "NAME", CMD_IMPORT, OPT_PLUGIN, 0, "the importer plugin (default digest-import)"},

	{"--help", "-h", NULL, ~0u, OPT_HELP, 0, "this help"},
	{NULL, NULL, NULL, 0, OPT_HELP, 0, NULL}
};

#undef L

int cli_usage(const cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "tally %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return TL_EXIT_USAGE;
}

/* ------------------------------------------------------------------ parsing */

static const cli_opt *find_opt(const cli_cmd *cmd, const char *s)
{
	for (const cli_opt *o = cli_options; o->name; o++)
		if ((o->cmds & cmd->bit) && (!strcmp(s, o->name) || (o->alias && !strcmp(s, o->alias))))
			return o;
	return NULL;
}

/* A loading option's value into load; 0 or an exit status. */
static int load_option(const cli_cmd *cmd, tl_load_opts *o, const cli_opt *opt, char *v)
{
	tl_error err;
	switch (opt->key) {
	case OPT_MAP:
		if (tl_load_mapspec(o, v, &err) < 0) return cli_usage(cmd, "--map %s", err.msg);
		break;
	case OPT_DATE_FORMAT: o->date_format = v; break;
	case OPT_NA:
		if (o->nna == TL_MAX_NA) return cli_usage(cmd, "too many --na tokens (at most %d)", TL_MAX_NA);
		o->na[o->nna++] = v;
		break;
	case OPT_COUNTRY_CODES: {
		int m = vocab_ccmode(v);
		if (m < 0) return cli_usage(cmd, "--country-codes takes iso2, iso3, fips, name or raw, not '%s'", v);
		o->country_codes = (tl_ccmode)m;
		break;
	}
	case OPT_SKIP_BAD: o->skip_bad = 1; break;
	case OPT_NO_CACHE: o->no_cache = 1; break;
	case OPT_THREADS:
		o->threads = atoi(v);
		if (o->threads < 1) return cli_usage(cmd, "--threads takes a positive number, not '%s'", v);
		break;
	case OPT_MAX_MEMORY: {   /* the context's allocator refuses what would pass it */
		tl_mem *m = &cli_ctx()->mem;
		m->cap = tl_parse_size(v);
		if (m->cap == 0 && strcmp(v, "0") != 0)
			return cli_usage(cmd, "--max-memory wants a size such as 512M or 1G, not '%s'", v);
		snprintf(m->limit, sizeof m->limit, "--max-memory %s", v);
		break;
	}
	default: break;
	}
	return 0;
}

static int isopt(const cli_cmd *cmd, const char *s)
{
	if (s[0] != '-' || !s[1] || !strcmp(s, "--")) return 0;
	return !cmd->longonly || (s[1] == '-' && s[2]) || !strcmp(s, "-h");
}

/* " (did you mean '--x'?)" for an option cmd does not take, from those it does. */
static const char *near_option(const cli_cmd *cmd, const char *s, char *hint, size_t n)
{
	const char *names[128];
	size_t k = 0;
	for (const cli_opt *o = cli_options; o->name && k < 128; o++)
		if (o->cmds & cmd->bit)
			names[k++] = o->name;
	return tl_did_you_mean(hint, n, s, names, k);
}

int cli_parse(const cli_cmd *cmd, void *a, tl_load_opts *load, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *s = argv[i];
		const cli_opt *o;
		int rc;
		if (!strcmp(s, "--")) {   /* the rest are words, even those that look like options */
			for (i++; i < argc; i++)
				if ((rc = cmd->word(a, argv[i], 1)) != 0) return rc;
			break;
		}
		if (!isopt(cmd, s)) {
			if ((rc = cmd->word(a, s, 0)) != 0) return rc;
			continue;
		}
		if (!(o = find_opt(cmd, s))) {
			if (!cmd->other) {
				char hint[TL_SUGGEST_MAX + 32];
				return cli_usage(cmd, "unknown option '%s'%s; see tally %s --help", s, near_option(cmd, s, hint, sizeof hint),
				                 cmd->name);
			}
			if ((rc = cmd->other(a, argc, argv, &i)) != 0) return rc;
			continue;
		}
		if (o->key == OPT_HELP && cmd->option && cmd->option(a, OPT_HELP, s, NULL) == CLI_PASS) {
			/* the command leaves it to what it runs: a word, or another option */
			rc = s[1] == '-' && cmd->other ? cmd->other(a, argc, argv, &i) : cmd->word(a, s, 0);
			if (rc != 0) return rc;
			continue;
		}
		if (o->key == OPT_HELP) {
			cli_help(cmd, stdout);
			return -1;
		}
		if (o->flags & OPT_MANY) {   /* values up to the next option */
			if (i + 1 >= argc || isopt(cmd, argv[i + 1]) || !strcmp(argv[i + 1], "--"))
				return cli_usage(cmd, "%s needs a value; see tally %s --help", s, cmd->name);
			for (i++; i < argc && !isopt(cmd, argv[i]) && strcmp(argv[i], "--"); i++)
				if ((rc = cmd->option(a, o->key, s, argv[i])) != 0) return rc;
			i--;
			continue;
		}
		char *v = NULL;
		if (o->arg) {
			if (i + 1 >= argc)
				return cli_usage(cmd, "%s needs a value; see tally %s --help", s, cmd->name);
			v = argv[++i];
		}
		rc = o->flags & OPT_LOADING ? load_option(cmd, load, o, v) : cmd->option(a, o->key, s, v);
		if (rc != 0) return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ --help */

/* "  --name, -a ARG" as --help shows it. */
static int opt_label(const cli_opt *o, char *buf, size_t n)
{
	return snprintf(buf, n, "  %s%s%s%s%s", o->name, o->alias ? ", " : "", o->alias ? o->alias : "",
	                o->arg ? " " : "", o->arg ? o->arg : "");
}

static void help_section(const cli_cmd *cmd, FILE *f, const char *title, int loading)
{
	char label[128];
	int width = 0, any = 0;
	for (const cli_opt *o = cli_options; o->name; o++) {
		if (!(o->cmds & cmd->bit) || !!(o->flags & OPT_LOADING) != loading) continue;
		int w = opt_label(o, label, sizeof label);
		if (w <= 30 && w > width) width = w;
		any = 1;
	}
	if (!any) return;
	fprintf(f, "\n%s:\n", title);
	for (const cli_opt *o = cli_options; o->name; o++) {
		if (!(o->cmds & cmd->bit) || !!(o->flags & OPT_LOADING) != loading) continue;
		int w = opt_label(o, label, sizeof label);
		fputs(label, f);
		if (w > width) fprintf(f, "\n%*s", width, "");
		else fprintf(f, "%*s", width - w, "");
		for (const char *h = o->help; *h; ) {   /* continuation lines under the first */
			size_t k = strcspn(h, "\n");
			fprintf(f, "  %.*s\n", (int)k, h);
			h += k;
			if (*h) {
				h++;
				fprintf(f, "%*s", width, "");
			}
		}
	}
}

void cli_help(const cli_cmd *cmd, FILE *f)
{
	fputs(cmd->usage, f);
	if (cmd->about) fprintf(f, "\n%s", cmd->about);
	help_section(cmd, f, "options", 0);
	help_section(cmd, f, "loading options", 1);
	if (cmd->more) fprintf(f, "\n%s", cmd->more);
}
