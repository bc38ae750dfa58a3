/* The tally command: count, check, chart, run, eval, plugins. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/count.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "count/format.h"
#include "tally/suggest.h"

static const char usage_main[] =
	"usage: tally COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Counts and charts of event records (CICA Digest records, or any CSV).\n"
	"\n"
	"commands:\n"
	"  count     counts per field, per month/quarter/year, or a cross-tab\n"
	"  check     validates a file and summarises its fields\n"
	"  chart     draws a quick chart (bar, line, donut, heatmap) to PNG, PDF or SVG\n"
	"  run       runs a Lua report script or a plugin\n"
	"  eval      evaluates a Lua expression on loaded data\n"
	"  plugins   lists the plugins\n"
	"  import    proposes records from a Digest issue (PDF, text) or press releases\n"
	"\n"
	"tally COMMAND --help for a command's options; tally --version.\n"
	"Exit status: 0 ok, 1 usage, 2 data error, 3 script error.\n";

static const char usage_count[] =
	"usage: tally count --by FIELD[,FIELD2] [OPTIONS] FILE...\n";
static const char about_count[] =
	"Counts records per value of FIELD (a list field counts each value), per month,\n"
	"quarter or year of the date, or cross-tabulates two fields.\n"
	"\n"
	"A list field's row counts the items naming the value; an item naming several\n"
	"values counts under each, so the rows add up to the mentions. Shares are of the\n"
	"items counted. Items dated only to the quarter (or year) are in no month: the\n"
	"table says how many; with csv or json it is said on stderr.\n";
static const char usage_check[] =
	"usage: tally check [OPTIONS] FILE...\n";
static const char about_check[] =
	"Validates the files and prints a summary: records, fields and their types, the\n"
	"date span, distinct values per field, rows rejected.\n";

/* ------------------------------------------------------------ the commands */

#define MAX_WHERE 32

typedef struct count_args {
	tl_load_opts load;
	const char  *by;
	char        *by2;
	const char  *where[MAX_WHERE];
	int          nwhere;
	tl_date      from, to;
	int          fmt, sort_key;   /* sort_key: 1 key, 0 count, -1 not said */
	int          allow_empty;
	const char  *quarter;
	size_t       top;
	char       **files;
	int          nfiles;
} count_args;

static int parse_date_arg(const char *opt, const char *v, tl_date *d)
{
	const char *why;
	if (tl_date_parse(v, strlen(v), d, &why) < 0) {
		fprintf(stderr, "tally: %s %s: %s\n", opt, v, why);
		return TL_EXIT_USAGE;
	}
	return 0;
}

static int count_option(void *p, cli_key key, const char *o, const char *v)
{
	count_args *a = p;
	switch (key) {
	case OPT_BY: a->by = v; break;
	case OPT_WHERE:
		if (a->nwhere == MAX_WHERE || !strchr(v, '=')) {
			fprintf(stderr, "tally: --where takes FIELD=VALUE, not '%s'\n", v);
			return TL_EXIT_USAGE;
		}
		a->where[a->nwhere++] = v;
		break;
	case OPT_FROM: return parse_date_arg(o, v, &a->from);
	case OPT_TO: return parse_date_arg(o, v, &a->to);
	case OPT_ALLOW_EMPTY: a->allow_empty = 1; break;
	case OPT_QUARTER:
		a->quarter = v;
		if (tl_quarter_range(v, &a->from, &a->to) < 0) {
			fprintf(stderr, "tally: --quarter takes YYYYQn or YYYY-Qn, not '%s'\n", v);
			return TL_EXIT_USAGE;
		}
		break;
	case OPT_FORMAT:
		if (!strcmp(v, "table")) a->fmt = FMT_TABLE;
		else if (!strcmp(v, "csv")) a->fmt = FMT_CSV;
		else if (!strcmp(v, "json")) a->fmt = FMT_JSON;
		else { fprintf(stderr, "tally: --format takes table, csv or json, not '%s'\n", v); return TL_EXIT_USAGE; }
		break;
	case OPT_SORT:
		if (!strcmp(v, "key")) a->sort_key = 1;
		else if (!strcmp(v, "count")) a->sort_key = 0;
		else { fprintf(stderr, "tally: --sort takes count or key, not '%s'\n", v); return TL_EXIT_USAGE; }
		break;
	case OPT_TOP: {
		char *end;
		long t = strtol(v, &end, 10);
		if (*end || end == v || t < 1) {
			fprintf(stderr, "tally: --top takes a whole number of rows (1 or more), not '%s'\n", v);
			return TL_EXIT_USAGE;
		}
		a->top = (size_t)t;
		break;
	}
	default: break;
	}
	return 0;
}

static int count_word(void *p, const char *w, int rest)
{
	(void)rest;
	count_args *a = p;
	a->files[a->nfiles++] = (char *)w;
	return 0;
}

static const cli_cmd count_cmd = {
	"count", CMD_COUNT, usage_count, about_count, NULL, 0, count_option, count_word, NULL
};
static const cli_cmd check_cmd = {
	"check", CMD_CHECK, usage_check, about_check, NULL, 0, count_option, count_word, NULL
};

/* Parses the options of count or check; returns 0, or an exit status + 1. */
static int parse_args(count_args *a, int argc, char **argv, const cli_cmd *cmd)
{
	int rc;
	memset(a, 0, sizeof *a);
	a->sort_key = -1;
	tl_load_opts_init(&a->load);
	if (!(a->files = calloc((size_t)argc, sizeof *a->files))) {
		fprintf(stderr, "tally: out of memory\n");
		return TL_EXIT_DATA + 1;
	}
	if ((rc = cli_parse(cmd, a, &a->load, argc, argv)) != 0)
		return rc < 0 ? 1 : rc + 1;
	if (!a->nfiles) {
		fprintf(stderr, "tally %s: no input file; see tally %s --help\n", argv[0], argv[0]);
		return 2;
	}
	return 0;
}


/* Fields a count needs, so the loader keeps only those. */
static const char **needed_fields(count_args *a, const char *by, const char *by2, const tl_filter *f, size_t nf)
{
	const char **only = calloc(nf + 4, sizeof *only);
	size_t n = 0;
	if (!only) return NULL;
	only[n++] = by;
	if (by2) only[n++] = by2;
	for (size_t i = 0; i < nf; i++) if (f[i].field) only[n++] = f[i].field;
	if (a->from || a->to) only[n++] = "date";
	return only;
}

/* The values of --where and --quarter, checked before they filter: a value
 * outside a vocabulary or (without --allow-empty) one no record holds is an
 * error, not "0 records". */
static int check_filters(const count_args *a, const tl_store *s, const tl_filter *f, size_t nf, tl_error *err)
{
	const char *q[2] = {a->quarter, NULL};
	tl_filter quarter = {"quarter", q, 0, 0};
	const char *hint = "; --allow-empty counts it anyway";
	if (agg_check_filter(s, f, nf, a->allow_empty, hint, cli_ctx(), err) < 0) return -1;
	return a->quarter ? agg_check_filter(s, &quarter, 1, a->allow_empty, hint, cli_ctx(), err) : 0;
}

int cmd_count(int argc, char **argv)
{
	count_args a;
	tl_filter f[MAX_WHERE + 1];
	const char *vals[2 * MAX_WHERE + 2];
	size_t nf = 0;
	tl_store *s = NULL;
	tl_sel sel = {0};
	tl_error err;
	char buf[1400];
	const char **only = NULL;
	int rc = parse_args(&a, argc, argv, &count_cmd), status = TL_EXIT_DATA;

	memset(f, 0, sizeof f);
	memset(vals, 0, sizeof vals);
	tl_error_clear(&err);
	if (rc) { free(a.files); return rc - 1; }
	if (!a.by) {
		fprintf(stderr, "tally count: --by FIELD is required; see tally count --help\n");
		free(a.files);
		return TL_EXIT_USAGE;
	}
	char *by = strdup(a.by), *by2 = by ? strchr(by, ',') : NULL;
	if (!by) goto nomem;
	if (by2) *by2++ = 0;
	if (cli_filters(a.where, a.nwhere, a.from, a.to, f, vals, &nf) < 0) goto nomem;
	if (!(only = needed_fields(&a, by, by2, f, nf))) goto nomem;
	a.load.only = only;
	if (!(s = cli_load_all(a.files, a.nfiles, &a.load))) goto out;
	if (check_filters(&a, s, f, nf, &err) < 0 || (nf && agg_filter(s, NULL, f, nf, cli_ctx(), &sel, &err) < 0)) {
		fprintf(stderr, "tally count: %s\n", tl_error_str(&err, buf, sizeof buf));
		status = TL_EXIT_USAGE;
		goto out;
	}
	if (by2) {
		tl_xtab *x = agg_crosstab(s, nf ? &sel : NULL, by, by2, a.from, a.to, &err);
		if (!x) goto agg_failed;
		if (a.top) {   /* the rows cut as c:top and the chart's --top cut them */
			tl_xtab *t = tl_xtab_top(x, a.top, NULL);
			tl_xtab_free(x);
			if (!(x = t)) goto nomem;
		}
		if ((a.sort_key > 0 || (a.sort_key < 0 && x->rows->by_date && !a.top)) && tl_xtab_sort_key(x) < 0) {
			tl_xtab_free(x);
			fprintf(stderr, "tally count: out of memory\n");
			goto out;
		}
		fmt_xtab(stdout, x, a.fmt);
		if (a.fmt != FMT_TABLE && (x->rows->coarse_quarter || x->rows->coarse_year || x->cols->coarse_quarter ||
		                           x->cols->coarse_year || x->rows->edge))
			fprintf(stderr, "tally count: note: %s\n", tl_xtab_note(x, buf, sizeof buf));
		tl_xtab_free(x);
	} else {
		tl_counts *c = agg_count(s, nf ? &sel : NULL, by, a.from, a.to, &err);
		if (!c) goto agg_failed;
		/* months, quarters and years in time order, as Lua and the report tables have
		 * them; --top N alone still means the N largest */
		if (a.sort_key > 0 || (a.sort_key < 0 && c->by_date && !a.top)) tl_counts_sort_key(c);
		if (fmt_counts(stdout, c, a.fmt, a.top) < 0) {
			tl_counts_free(c);
			goto nomem;
		}
		/* csv and json stay plain data: what a date grid leaves out is said beside it */
		if (a.fmt != FMT_TABLE && (c->coarse_quarter || c->coarse_year || c->edge))
			fprintf(stderr, "tally count: note: %s\n", tl_counts_note(c, buf, sizeof buf));
		tl_counts_free(c);
	}
	status = TL_EXIT_OK;   /* a failed write to stdout is main's to report */
	goto out;
nomem:   /* before the load: nothing else would say why the run stopped */
	fprintf(stderr, "tally count: out of memory\n");
	goto out;
agg_failed:
	fprintf(stderr, "tally count: %s\n", tl_error_str(&err, buf, sizeof buf));
	/* a field that is not there is the user's; memory running out is not */
	status = strcmp(err.msg, "out of memory") ? TL_EXIT_USAGE : TL_EXIT_DATA;
out:
	cli_filters_free(f, nf);
	tl_sel_free(&sel);
	store_free(s);
	free(only);
	free(by);
	free(a.files);
	return status;
}

/* The first and last day a date may stand for: 2023-Q2 runs from 2023-04-01 to
 * 2023-06-30. */
static void date_days(tl_date d, int *y0, int *m0, int *d0, int *y1, int *m1, int *d1)
{
	int y = tl_date_year(d), m = tl_date_month(d), last = m;

	switch (tl_date_prec(d)) {
	case TL_PREC_YEAR: m = 1; last = 12; break;
	case TL_PREC_QUARTER: m = (tl_date_quarter(d) - 1) * 3 + 1; last = m + 2; break;
	default: break;
	}
	*y0 = *y1 = y; *m0 = m; *m1 = last;
	*d0 = tl_date_prec(d) == TL_PREC_DAY ? tl_date_day(d) : 1;
	*d1 = tl_date_prec(d) == TL_PREC_DAY ? tl_date_day(d) : tl_days_in_month(y, last);
}

/* The span of a date column in one precision, days, whatever precisions its cells
 * have ("2023-Q2 .. 2023-06" mixed two), and how many cells have each precision. */
static void check_span(const tl_column *c, size_t nrows)
{
	static const char *prec[] = {"year", "quarter", "month", "day"};
	long lo = 0, hi = 0, nprec[4] = {0};
	int y0, m0, d0, y1, m1, d1;

	for (size_t r = 0; r < nrows; r++) {
		tl_date d = c->dates[r];
		if (!d) continue;
		nprec[tl_date_prec(d)]++;
		date_days(d, &y0, &m0, &d0, &y1, &m1, &d1);
		long a = (long)y0 * 10000 + m0 * 100 + d0, b = (long)y1 * 10000 + m1 * 100 + d1;
		if (!lo || a < lo) lo = a;
		if (!hi || b > hi) hi = b;
	}
	if (!lo) {
		printf("dates     none (%s)\n", c->name);
		return;
	}
	printf("dates     %04ld-%02ld-%02ld .. %04ld-%02ld-%02ld (%s:", lo / 10000, lo / 100 % 100, lo % 100,
	       hi / 10000, hi / 100 % 100, hi % 100, c->name);
	for (int p = TL_PREC_DAY, first = 1; p >= TL_PREC_YEAR; p--)
		if (nprec[p]) {
			printf("%s %ld to the %s", first ? "" : ",", nprec[p], prec[p]);
			first = 0;
		}
	printf(")\n");
}

int cmd_check(int argc, char **argv)
{
	count_args a;
	int rc = parse_args(&a, argc, argv, &check_cmd);
	if (rc) { free(a.files); return rc - 1; }
	tl_store *s = cli_load_all(a.files, a.nfiles, &a.load);
	free(a.files);
	if (!s) return TL_EXIT_DATA;
	printf("records   %zu\n", s->nrows);
	printf("rejected  %zu\n", s->rejected);
	double mb = (double)store_bytes(s) / 1e6;   /* a small file's store is not "0.0 MB" */
	printf("memory    %.*f MB\n", mb < 1 ? 3 : 1, mb);
	if (s->role[TL_ROLE_DATE] >= 0)
		check_span(&s->cols[s->role[TL_ROLE_DATE]], s->nrows);
	printf("\n%-24s %-9s %-10s %9s %9s\n", "field", "type", "role", "distinct", "missing");
	for (size_t i = 0; i < s->ncols; i++) {
		const tl_column *c = &s->cols[i];
		const char *role = "";
		for (int r = 0; r < TL_NROLES; r++)
			if (s->role[r] == (int)i) role = r == TL_ROLE_DATE ? "date" : r == TL_ROLE_COUNTRY ? "country" : "dimension";
		int64_t missing = 0, distinct = agg_distinct(s, (int)i, &missing);
		if (distinct < 0) {   /* -1: no memory to count with; a wrong number is worse */
			fprintf(stderr, "tally check: %s: out of memory\n", c->name);
			store_free(s);
			return TL_EXIT_DATA;
		}
		printf("%-24s %-9s %-10s %9lld %9lld\n", c->name, tl_coltype_name(c->type), role,
		       (long long)distinct, (long long)missing);
	}
	store_free(s);
	return TL_EXIT_OK;
}

/* Output to a full disk or a closed pipe fails at some write or at the last
 * flush; a command whose stdout was lost has not done its job. A command that
 * failed already said why (run and eval report a lost stdout themselves). */
static int close_stdout(int status)
{
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && status == TL_EXIT_OK) {
		fprintf(stderr, "tally: cannot write to standard output: %s\n",
		        strerror(errno ? errno : EIO));
		return TL_EXIT_DATA;
	}
	return status;
}

int main(int argc, char **argv)
{
	/* a command without a function here is in the module (cli_ext_run) */
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{"count", cmd_count}, {"check", cmd_check}, {"chart", NULL},
		{"run", NULL}, {"eval", NULL}, {"plugins", NULL},
		{"import", NULL},
	};
	if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "");
	cli_lang(NULL);     /* the environment's language; --lang may change it */
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_main, argc < 2 ? stderr : stdout);
		return close_stdout(argc < 2 ? TL_EXIT_USAGE : TL_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("tally %s\n", TALLY_VERSION);
		return close_stdout(TL_EXIT_OK);
	}
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return close_stdout(cmds[i].fn ? cmds[i].fn(argc - 1, argv + 1) : cli_ext_run(cmds[i].name, argc - 1, argv + 1));
	const char *names[sizeof cmds / sizeof *cmds];
	char hint[64];
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) names[i] = cmds[i].name;
	fprintf(stderr, "tally: unknown command '%s'%s\n%s", argv[1],
	        tl_did_you_mean(hint, sizeof hint, argv[1], names, sizeof cmds / sizeof *cmds), usage_main);
	return TL_EXIT_USAGE;
}
