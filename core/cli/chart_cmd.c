/* tally chart: a quick chart from the command line, without writing Lua.
 *
 *   tally chart bar|line|donut|heatmap|table --by FIELD[,FIELD2] FILE... -o OUT
 *
 * One field gives one series (counts per value); two give a cross-tab: grouped
 * or stacked bars, one line per value of the second field, a heatmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <math.h>
#include "tally/count.h"
#include "tally/chart.h"
#include "tally/ctx.h"
#include "tally/date.h"
#include "tally/labels.h"
#include "tally/lang.h"
#include "cli/cli.h"
#include "tally/suggest.h"
#include "cli/options.h"

static const char usage_chart[] =
	"usage: tally chart TYPE --by FIELD[,FIELD2] [OPTIONS] FILE... -o OUT\n";
static const char about_chart[] =
	"Draws counts per value of FIELD (two fields: a cross-tab) as a chart. TYPE is\n"
	"bar, line, donut, heatmap or table; the output format follows the extension of\n"
	"OUT: .png (1200x675), .pdf or .svg.\n";

#define CHART_MAX_WHERE 32

typedef struct chart_args {
	tl_load_opts load;
	const char  *type, *by, *out, *title, *subtitle, *source, *font, *quarter;
	const char  *from_s, *to_s;
	tl_date      from, to;
	const char  *where[CHART_MAX_WHERE];   /* --where FIELD=VALUE, as count takes them */
	int          nwhere;
	char       **files;
	int          nfiles;
	tl_orient    orient;
	int          stacked, novalues, allow_empty;
	tl_sort      sort;
	long         top;
	double       scale, width, height;
} chart_args;

/* A value as the reader reads it: a country by iso-codes, a value of
 * data/labels.tsv by its label in the reader's language (capitalised to stand
 * alone on a bar or in a legend), anything else as it is. */
static const char *display_value(const tl_labels *labels, const char *field, const char *v, int alone,
                                 char *buf, size_t n)
{
	const char *l;
	if (strcmp(field, "countries") == 0 || strcmp(field, "country") == 0)
		return tl_country_name(v, NULL);
	if (!(l = labels_value(labels, field, v)))
		return v;
	l = tl_gettext(l);
	if (alone)
		return tl_capitalize(l, buf, n);
	snprintf(buf, n, "%s", l);
	return buf;
}

/* The bars' categories (and a cross-tab's series) in the reader's words; dates
 * and "Other" are already so. 0, or -1 when memory ran out. */
static int display_data(tl_chart_data *data, const tl_labels *labels, const char *by, const char *by2)
{
	char buf[256];
	for (size_t i = 0; !data->by_date && i < data->ncat; i++)
		if (i + 1 != data->other && chart_data_set_cat(data, i,
		                   display_value(labels, by, data->cats[i], 1, buf, sizeof buf)) < 0)
			return -1;
	for (size_t j = 0; by2 && j < data->nseries; j++)
		if (data->series[j].name && chart_data_set_series(data, j,
		                   display_value(labels, by2, data->series[j].name, 1, buf, sizeof buf)) < 0)
			return -1;
	return 0;
}

static int usage_error(const char *fmt, const char *a)
{
	fprintf(stderr, "tally chart: ");
	fprintf(stderr, fmt, a);
	fprintf(stderr, "\n");
	return TL_EXIT_USAGE + 1;
}

static int chart_option(void *p, cli_key key, const char *o, const char *v)
{
	chart_args *a = p;
	char *end;
	(void)o;
	switch (key) {
	case OPT_HORIZONTAL: a->orient = TL_ORIENT_HORIZONTAL; break;
	case OPT_VERTICAL: a->orient = TL_ORIENT_VERTICAL; break;
	case OPT_STACKED: a->stacked = 1; break;
	case OPT_NO_VALUES: a->novalues = 1; break;
	case OPT_ALLOW_EMPTY: a->allow_empty = 1; break;
	case OPT_OUTPUT: a->out = v; break;
	case OPT_BY: a->by = v; break;
	case OPT_TITLE: a->title = v; break;
	case OPT_SUBTITLE: a->subtitle = v; break;
	case OPT_SOURCE: a->source = v; break;
	case OPT_FONT: {
		char why[512];
		if (chart_font_check(v, why, sizeof why) < 0) {
			fprintf(stderr, "tally chart: --font: %s\n", why);
			return TL_EXIT_USAGE;
		}
		a->font = v;
		break;
	}
	case OPT_QUARTER: a->quarter = v; break;
	case OPT_WHERE:
		if (a->nwhere == CHART_MAX_WHERE || !strchr(v, '='))
			return usage_error("--where takes FIELD=VALUE, not '%s'", v) - 1;
		a->where[a->nwhere++] = v;
		break;
	case OPT_FROM: a->from_s = v; break;
	case OPT_TO: a->to_s = v; break;
	case OPT_SORT:
		if (!strcmp(v, "desc")) a->sort = TL_SORT_DESC;
		else if (!strcmp(v, "asc")) a->sort = TL_SORT_ASC;
		else if (!strcmp(v, "label")) a->sort = TL_SORT_LABEL;
		else if (!strcmp(v, "none")) a->sort = TL_SORT_NONE;
		else return usage_error("--sort takes desc, asc, label or none, not '%s'", v) - 1;
		break;
	case OPT_TOP:
		a->top = strtol(v, &end, 10);
		if (*end || a->top < 1)
			return usage_error("--top takes a positive number, not '%s'", v) - 1;
		break;
	case OPT_LANG:
		if (cli_lang(v) != 0)
			return TL_EXIT_USAGE;
		break;
	case OPT_SCALE:
		a->scale = strtod(v, &end);
		if (*end || !(a->scale >= 0.25 && a->scale <= 8))
			return usage_error("--scale takes a number from 0.25 to 8, not '%s'", v) - 1;
		break;
	case OPT_SIZE:
		if (chart_size_named(v, &a->width, &a->height) == 0)
			break;
		a->width = strtod(v, &end);
		if (*end == 'x')
			a->height = strtod(end + 1, &end);
		if (*end || !(a->width >= 100 && a->width <= 5000) || !(a->height >= 100 && a->height <= 5000))
			return usage_error("--size takes web, a4, a5 or WxH in points (100 to 5000), not '%s'", v) - 1;
		break;
	default: break;
	}
	return 0;
}

/* The type, then the files. */
static int chart_word(void *p, const char *w, int rest)
{
	(void)rest;
	chart_args *a = p;
	if (!a->type)
		a->type = w;
	else
		a->files[a->nfiles++] = (char *)w;
	return 0;
}

static const cli_cmd chart_cmd = {
	"chart", CMD_CHART, usage_chart, about_chart, NULL, 0, chart_option, chart_word, NULL
};

/* Returns 0 to go on, or 1 + the exit status (help: 1 + OK). */
static int parse_chart_args(chart_args *a, int argc, char **argv)
{
	int rc;
	memset(a, 0, sizeof *a);
	tl_load_opts_init(&a->load);
	a->sort = TL_SORT_NONE;
	a->scale = 1;
	if (!(a->files = calloc((size_t)argc, sizeof *a->files))) {
		fprintf(stderr, "tally: out of memory\n");
		return TL_EXIT_DATA + 1;
	}
	if ((rc = cli_parse(&chart_cmd, a, &a->load, argc, argv)) != 0)
		return rc < 0 ? TL_EXIT_OK + 1 : rc + 1;
	if (!a->type)
		return usage_error("%s", "a chart type is required: bar, line, donut, heatmap or table");
	if (chart_type_from_name(a->type) < 0) {
		static const char *const types[] = {"bar", "line", "donut", "heatmap", "table"};
		char hint[64];
		fprintf(stderr, "tally chart: unknown chart type '%s'%s (bar, line, donut, heatmap, table)\n", a->type,
		        tl_did_you_mean(hint, sizeof hint, a->type, types, 5));
		return TL_EXIT_USAGE + 1;
	}
	if (!a->by)
		return usage_error("%s", "--by FIELD is required; see tally chart --help");
	if (!a->out)
		return usage_error("%s", "-o OUT is required (a .png, .pdf or .svg file)");
	if (!a->nfiles)
		return usage_error("%s", "no input file");
	const char *dot = strrchr(a->out, '.');
	if (!dot || (strcasecmp(dot, ".png") && strcasecmp(dot, ".pdf") && strcasecmp(dot, ".svg")))
		return usage_error("cannot tell the format of '%s': use .png, .pdf or .svg", a->out);
	const char *why = NULL;
	if (a->quarter && tl_quarter_range(a->quarter, &a->from, &a->to) != 0)
		return usage_error("--quarter takes a quarter like 2023Q2, not '%s'", a->quarter);
	if (a->from_s && tl_date_parse(a->from_s, strlen(a->from_s), &a->from, &why) != 0)
		return usage_error("--from: bad date '%s'", a->from_s);
	if (a->to_s && tl_date_parse(a->to_s, strlen(a->to_s), &a->to, &why) != 0)
		return usage_error("--to: bad date '%s'", a->to_s);
	return 0;
}


/* Lines run along time: when only the second field is a date, the cross-tab is
 * turned so that dates are the categories and each value of the first field a
 * line; at most `top` lines (the largest), as more cannot be told apart. */
static tl_chart_data *line_data(const tl_xtab *x, size_t top)
{
	int turn = x->cols->by_date && !x->rows->by_date;
	const tl_counts *cats = turn ? x->cols : x->rows, *ser = turn ? x->rows : x->cols;
	size_t ns = ser->n < top ? ser->n : top;
	tl_chart_data *d = chart_data_new(cats->n, ns);
	if (!d)
		return NULL;
	d->by_date = cats->by_date;
	for (size_t i = 0; i < cats->n; i++)
		chart_data_set_cat(d, i, cats->keys[i]);
	for (size_t j = 0; j < ns; j++) {
		chart_data_set_series(d, j, ser->keys[j]);
		for (size_t i = 0; i < cats->n; i++)
			d->series[j].values[i] = (double)(turn ? x->cells[j * x->cols->n + i]
			                                       : x->cells[i * x->cols->n + j]);
	}
	return d;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int cmd_chart(int argc, char **argv)
{
	chart_args a;
	tl_store *s = NULL;
	tl_chart_data *data = NULL;
	tl_chart *chart = NULL;
	tl_error err;
	char buf[1400], title[512], subtitle[512], source[512];
	int status = TL_EXIT_DATA;
	tl_filter wf[CHART_MAX_WHERE + 1];
	const char *wvals[2 * CHART_MAX_WHERE + 2];
	size_t nwf = 0;
	tl_sel sel = {0};
	int rc = parse_chart_args(&a, argc, argv);
	tl_error_clear(&err);
	if (rc) {
		free(a.files);
		return rc - 1;
	}
	tl_chart_type type = (tl_chart_type)chart_type_from_name(a.type);
	char *by = strdup(a.by), *by2 = by ? strchr(by, ',') : NULL;
	if (!by) {
		fprintf(stderr, "tally chart: out of memory\n");
		goto out;
	}
	if (by2)
		*by2++ = 0;
	chart_fonts_begin();   /* fontconfig reads its configuration while the data loads */
	if (!(s = cli_load_all(a.files, a.nfiles, &a.load)))
		goto out;
	if (a.quarter) {   /* a quarter no record is in would draw an empty chart */
		const char *q[2] = {a.quarter, NULL};
		tl_filter f = {"quarter", q, 0, 0};
		if (agg_check_filter(s, &f, 1, a.allow_empty, "; --allow-empty draws it anyway", cli_ctx(), &err) < 0)
			goto agg_failed;
	}
	/* --where as count reads it: values checked (did you mean), then a selection */
	/* --from, --to and --quarter keep records as count keeps them: a filter, not only
	 * the range of a date axis */
	if (cli_filters(a.where, a.nwhere, a.from, a.to, wf, wvals, &nwf) < 0) {
		fprintf(stderr, "tally chart: out of memory\n");
		goto out;
	}
	if (nwf && (agg_check_filter(s, wf, nwf, a.allow_empty, "; --allow-empty draws it anyway", cli_ctx(), &err) < 0 ||
	            agg_filter(s, NULL, wf, nwf, cli_ctx(), &sel, &err) < 0))
		goto agg_failed;

	if (by2) {
		tl_xtab *x = agg_crosstab(s, nwf ? &sel : NULL, by, by2, a.from, a.to, &err);
		if (!x)
			goto agg_failed;
		data = type == TL_CHART_LINE ? line_data(x, a.top ? (size_t)a.top : 6)
		                             : chart_data_from_xtab(x);
		tl_xtab_free(x);
	} else {
		tl_counts *c = agg_count(s, nwf ? &sel : NULL, by, a.from, a.to, &err);
		if (!c)
			goto agg_failed;
		if (c->by_date)
			tl_counts_sort_key(c);
		data = chart_data_from_counts(c);
		tl_counts_free(c);
	}
	if (!data) {
		fprintf(stderr, "tally chart: out of memory\n");
		goto out;
	}

	tl_chart_cfg cfg;
	chart_cfg_defaults(&cfg, type);
	/* titles in the words of data/labels.tsv, periods as people write them */
	tl_error lerr;
	memset(&lerr, 0, sizeof lerr);
	const tl_labels *labels = tl_ctx_labels(cli_ctx(), &lerr);
	if (!labels && strcmp(lerr.msg, "out of memory") == 0) {   /* not a file to warn about */
		fprintf(stderr, "tally chart: out of memory\n");
		chart_data_free(data);   /* chart_new has not taken it */
		goto out;
	}
	if (!labels && lerr.msg[0])
		fprintf(stderr, "tally chart: warning: %s:%ld:%ld: %s (titles use field names)\n",
		        lerr.file, lerr.line, lerr.col, lerr.msg);
	char l1[128], l2[128], vb[256];
	if (display_data(data, labels, by, by2) < 0) {
		fprintf(stderr, "tally chart: out of memory\n");
		goto out;
	}
	labels_field(labels, by, 0, l1, sizeof l1);
	if (by2)
		snprintf(title, sizeof title, tl_gettext("Records by %s and %s"), tl_gettext(l1),
		         tl_gettext(labels_field(labels, by2, 0, l2, sizeof l2)));
	else
		snprintf(title, sizeof title, type == TL_CHART_LINE ? tl_gettext("Records per %s") : tl_gettext("Records by %s"),
		         tl_gettext(l1));
	subtitle[0] = 0;
	if (a.quarter) {
		tl_date q;
		const char *why;
		if (tl_date_parse(a.quarter, strlen(a.quarter), &q, &why) == 0)
			tl_date_words(q, subtitle, sizeof subtitle);
	} else if (a.from_s || a.to_s) {
		tl_date d;
		const char *why;
		char f[64], t[64];
		snprintf(f, sizeof f, "%s", tl_gettext("the start"));
		snprintf(t, sizeof t, "%s", tl_gettext("the end"));
		if (a.from_s && tl_date_parse(a.from_s, strlen(a.from_s), &d, &why) == 0) tl_date_words(d, f, sizeof f);
		if (a.to_s && tl_date_parse(a.to_s, strlen(a.to_s), &d, &why) == 0) tl_date_words(d, t, sizeof t);
		snprintf(subtitle, sizeof subtitle, tl_gettext("%s to %s"), f, t);
	}
	/* a filtered chart says what it keeps: "Q2 2023; country: Kazakhstan or China" */
	for (size_t i = 0; i < nwf; i++) {
		size_t k = strlen(subtitle);
		if (!wf[i].field) continue;
		snprintf(subtitle + k, sizeof subtitle - k, "%s%s: ", k ? tl_gettext("; ") : "",
		         tl_gettext(labels_field(labels, wf[i].field, 0, l2, sizeof l2)));
		for (size_t j = 0; wf[i].values[j]; j++) {
			k = strlen(subtitle);
			snprintf(subtitle + k, sizeof subtitle - k, "%s%s", j ? tl_gettext(" or ") : "",
			         display_value(labels, wf[i].field, wf[i].values[j], 0, vb, sizeof vb));
		}
	}
	snprintf(source, sizeof source, tl_gettext("Source: %s"), base_name(a.files[0]));
	cfg.title = a.title ? a.title : title;
	cfg.subtitle = a.subtitle ? a.subtitle : subtitle;
	cfg.source = a.source ? a.source : source;
	cfg.orientation = a.orient;
	cfg.stacked = a.stacked;
	cfg.sort = a.sort;
	cfg.value_labels = !a.novalues;
	cfg.scale = a.scale;
	if (a.width > 0) {
		cfg.width = a.width;
		cfg.height = a.height;
	}
	if (a.top && type != TL_CHART_LINE)
		cfg.limit = (size_t)a.top;     /* at most N named and "Other (k values)" */
	if (a.font)
		snprintf(cfg.theme.font, sizeof cfg.theme.font, "%s", a.font);
	if (!(chart = chart_new(&cfg, data, &err))) {
		fprintf(stderr, "tally chart: %s\n", tl_error_str(&err, buf, sizeof buf));
		/* the data, as asked, does not fit the chart type; memory running out is not the user's */
		status = strcmp(err.msg, "out of memory") ? TL_EXIT_USAGE : TL_EXIT_DATA;
		goto out;
	}
	if (chart_save(chart, a.out, &err) != 0) {
		fprintf(stderr, "tally chart: %s\n", tl_error_str(&err, buf, sizeof buf));
		goto out;
	}
	status = TL_EXIT_OK;
	goto out;
agg_failed:
	fprintf(stderr, "tally chart: %s\n", tl_error_str(&err, buf, sizeof buf));
	/* a field that is not there is the user's; memory running out is not */
	status = strcmp(err.msg, "out of memory") ? TL_EXIT_USAGE : TL_EXIT_DATA;
out:
	chart_free(chart);
	cli_filters_free(wf, nwf);
	tl_sel_free(&sel);
	store_free(s);
	free(by);
	free(a.files);
	return status;
}
