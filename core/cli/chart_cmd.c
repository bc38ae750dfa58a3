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
#include "tally/aggregate.h"
#include "tally/chart.h"
#include "cli/cli.h"

static const char usage_chart[] =
	"usage: tally chart TYPE --by FIELD[,FIELD2] [OPTIONS] FILE... -o OUT\n"
	"\n"
	"Draws counts per value of FIELD (two fields: a cross-tab) as a chart. TYPE is\n"
	"bar, line, donut, heatmap or table; the output format follows the extension of\n"
	"OUT: .png (1200x675), .pdf or .svg.\n"
	"\n"
	"  -o, --output OUT        the file to write (required)\n"
	"  --by FIELD[,FIELD2]     a field, or month, quarter, year of the date\n"
	"  --from DATE --to DATE   keep records whose whole date lies in the range\n"
	"  --quarter 2023Q2        keep one quarter\n"
	"  --title T, --subtitle S, --source S   the texts (defaults name the field and file)\n"
	"  --horizontal, --vertical   bar orientation (default: horizontal for long labels)\n"
	"  --stacked               stack the series of a two-field bar chart\n"
	"  --sort desc|asc|label|none   order of the categories\n"
	"  --top N                 the first N categories (bars, donut, table) or series\n"
	"                          (line), the rest summed into \"Other\"\n"
	"  --scale N               PNG pixel density (2 = 2400x1350)\n"
	"  --size WxH              chart size in points (default 600x337.5)\n"
	"  --font FAMILY           font family (default DejaVu Sans)\n"
	"  --no-values             no value labels\n";

typedef struct chart_args {
	tl_load_opts load;
	const char  *type, *by, *out, *title, *subtitle, *source, *font, *quarter;
	const char  *from_s, *to_s;
	tl_date      from, to;
	char       **files;
	int          nfiles;
	tl_orient    orient;
	int          stacked, novalues;
	tl_sort      sort;
	long         top;
	double       scale, width, height;
} chart_args;

static int usage_error(const char *fmt, const char *a)
{
	fprintf(stderr, "tally chart: ");
	fprintf(stderr, fmt, a);
	fprintf(stderr, "\n");
	return TL_EXIT_USAGE + 1;
}

/* Returns 0 to go on, or 1 + the exit status (help: 1 + OK). */
static int parse_chart_args(chart_args *a, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	tl_load_opts_init(&a->load);
	a->sort = TL_SORT_NONE;
	a->scale = 1;
	if (!(a->files = calloc((size_t)argc, sizeof *a->files)))
		return TL_EXIT_DATA + 1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int r = cli_load_option(&a->load, argc, argv, &i);
		if (r < 0)
			return TL_EXIT_USAGE + 1;
		if (r > 0)
			continue;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(usage_chart, stdout);
			return TL_EXIT_OK + 1;
		}
		if (!strcmp(o, "--horizontal")) { a->orient = TL_ORIENT_HORIZONTAL; continue; }
		if (!strcmp(o, "--vertical")) { a->orient = TL_ORIENT_VERTICAL; continue; }
		if (!strcmp(o, "--stacked")) { a->stacked = 1; continue; }
		if (!strcmp(o, "--no-values")) { a->novalues = 1; continue; }
		if (o[0] == '-' && o[1]) {
			const char **dst = NULL;
			if (!strcmp(o, "-o") || !strcmp(o, "--output")) dst = &a->out;
			else if (!strcmp(o, "--by")) dst = &a->by;
			else if (!strcmp(o, "--title")) dst = &a->title;
			else if (!strcmp(o, "--subtitle")) dst = &a->subtitle;
			else if (!strcmp(o, "--source")) dst = &a->source;
			else if (!strcmp(o, "--font")) dst = &a->font;
			else if (!strcmp(o, "--quarter")) dst = &a->quarter;
			else if (!strcmp(o, "--from")) dst = &a->from_s;
			else if (!strcmp(o, "--to")) dst = &a->to_s;
			else if (strcmp(o, "--sort") && strcmp(o, "--top") && strcmp(o, "--scale")
			         && strcmp(o, "--size"))
				return usage_error("unknown option '%s'; see tally chart --help", o);
			if (!v)
				return usage_error("%s needs a value", o);
			i++;
			if (dst) {
				*dst = v;
			} else if (!strcmp(o, "--sort")) {
				if (!strcmp(v, "desc")) a->sort = TL_SORT_DESC;
				else if (!strcmp(v, "asc")) a->sort = TL_SORT_ASC;
				else if (!strcmp(v, "label")) a->sort = TL_SORT_LABEL;
				else if (!strcmp(v, "none")) a->sort = TL_SORT_NONE;
				else return usage_error("--sort takes desc, asc, label or none, not '%s'", v);
			} else if (!strcmp(o, "--top")) {
				char *end;
				a->top = strtol(v, &end, 10);
				if (*end || a->top < 1)
					return usage_error("--top takes a positive number, not '%s'", v);
			} else if (!strcmp(o, "--scale")) {
				char *end;
				a->scale = strtod(v, &end);
				if (*end || !(a->scale >= 0.25 && a->scale <= 8))
					return usage_error("--scale takes a number from 0.25 to 8, not '%s'", v);
			} else {
				char *end;
				a->width = strtod(v, &end);
				if (*end == 'x')
					a->height = strtod(end + 1, &end);
				if (*end || !(a->width >= 100 && a->width <= 5000)
				    || !(a->height >= 100 && a->height <= 5000))
					return usage_error("--size takes WxH in points (100 to 5000), not '%s'", v);
			}
			continue;
		}
		if (!a->type)
			a->type = o;
		else
			a->files[a->nfiles++] = argv[i];
	}
	if (!a->type)
		return usage_error("%s", "a chart type is required: bar, line, donut, heatmap or table");
	if (chart_type_from_name(a->type) < 0)
		return usage_error("unknown chart type '%s' (bar, line, donut, heatmap, table)", a->type);
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
	int rc = parse_chart_args(&a, argc, argv);
	tl_error_clear(&err);
	if (rc) {
		free(a.files);
		return rc - 1;
	}
	tl_chart_type type = (tl_chart_type)chart_type_from_name(a.type);
	char *by = strdup(a.by), *by2 = by ? strchr(by, ',') : NULL;
	if (!by)
		goto out;
	if (by2)
		*by2++ = 0;
	if (!(s = cli_load_all(a.files, a.nfiles, &a.load)))
		goto out;

	if (by2) {
		tl_xtab *x = agg_crosstab(s, NULL, by, by2, a.from, a.to, &err);
		if (!x)
			goto agg_failed;
		data = type == TL_CHART_LINE ? line_data(x, a.top ? (size_t)a.top : 6)
		                             : chart_data_from_xtab(x);
		tl_xtab_free(x);
	} else {
		tl_counts *c = agg_count(s, NULL, by, a.from, a.to, &err);
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
	if (by2)
		snprintf(title, sizeof title, "Records by %s and %s", by, by2);
	else
		snprintf(title, sizeof title, type == TL_CHART_LINE ? "Records per %s" : "Records by %s", by);
	subtitle[0] = 0;
	if (a.quarter)
		snprintf(subtitle, sizeof subtitle, "%s", a.quarter);
	else if (a.from_s || a.to_s)
		snprintf(subtitle, sizeof subtitle, "%s to %s", a.from_s ? a.from_s : "start",
		         a.to_s ? a.to_s : "end");
	snprintf(source, sizeof source, "Source: %s", base_name(a.files[0]));
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
		cfg.limit = (size_t)a.top + 1;     /* N categories and "Other" */
	if (a.font)
		snprintf(cfg.theme.font, sizeof cfg.theme.font, "%s", a.font);
	if (!(chart = chart_new(&cfg, data, &err))) {
		fprintf(stderr, "tally chart: %s\n", tl_error_str(&err, buf, sizeof buf));
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
	status = TL_EXIT_USAGE;
out:
	chart_free(chart);
	store_free(s);
	free(by);
	free(a.files);
	return status;
}
