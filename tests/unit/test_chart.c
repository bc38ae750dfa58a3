/* checks: 133 */
/* Rendering tests for the chart engine: real properties of real files.
 *
 * Each chart of the table below is drawn to PNG, PDF and SVG; the tests check the
 * PNG's size and that ink falls inside the plot area, that pdftotext finds the
 * title, labels and values, that pdffonts shows every font embedded, that two
 * runs give identical bytes, and that the PNG matches tests/reference/NAME.png
 * within a small per-pixel tolerance.
 *
 *   test_chart                      run the tests (from the repository root)
 *   test_chart --reference DIR      write the reference images into DIR
 *   TALLY_CHART_KEEP=DIR test_chart keep the rendered files in DIR to look at */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairo.h>
#include "tally/report.h"
#include "chart/chart_int.h"   /* chart_text_markup */

static int npass, nfail;
static char outdir[512];

/* Hidden temporaries (".NAME.tally-PID-SEQ.tmp") in dir. */
static int count_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)) != NULL)
		n += e->d_name[0] == '.' && strstr(e->d_name, ".tally-") && strstr(e->d_name, ".tmp");
	if (d)
		closedir(d);
	return n;
}
static int keep;

static void check(int cond, const char *name, const char *detail)
{
	if (cond) {
		npass++;
		printf("ok - %s\n", name);
	} else {
		nfail++;
		printf("not ok - %s%s%s\n", name, detail && *detail ? ": " : "", detail ? detail : "");
	}
	fflush(stdout);
}

/* ---- data ---------------------------------------------------------------------- */

typedef struct pair { const char *label; double v; } pair;

static tl_chart_data *data_pairs(const pair *p, const char *series)
{
	size_t n = 0;
	while (p[n].label)
		n++;
	tl_chart_data *d = chart_data_new(n, 1);
	chart_data_set_series(d, 0, series);
	for (size_t i = 0; i < n; i++) {
		chart_data_set_cat(d, i, p[i].label);
		d->series[0].values[i] = p[i].v;
	}
	return d;
}

static const pair countries[] = {
	{ "Kazakhstan", 42 }, { "China", 17 }, { "Türkiye", 13 }, { "Russia", 11 },
	{ "India", 9 }, { "Azerbaijan", 7 }, { "Iran", 5 }, { "Uzbekistan", 3 }, { NULL, 0 }
};

static const pair long_labels[] = {
	{ "Economic dimension: trade, investment and business council", 31 },
	{ "Human dimension: youth, volunteering and culture", 24 },
	{ "New challenges and threats: terrorism, drug trafficking", 18 },
	{ "Environmental dimension", 12 },
	{ "Military-political dimension and confidence building measures", 6 },
	{ "Secretariat", 2 }, { NULL, 0 }
};

static const pair scripts[] = {
	{ "Қазақстан", 23 }, { "Россия", 15 }, { "中国", 12 }, { "الإمارات العربية المتحدة", 9 },
	{ "مصر", 7 }, { "Türkiye", 6 }, { "ایران", 4 }, { NULL, 0 }
};

static const char *const months[] = {
	"2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06",
	"2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12"
};

/* Several series over categories; values from a fixed formula. */
static tl_chart_data *data_multi(const char *const *cats, size_t nc, const char *const *names,
                                 size_t ns, int by_date)
{
	tl_chart_data *d = chart_data_new(nc, ns);
	d->by_date = by_date;
	for (size_t i = 0; i < nc; i++)
		chart_data_set_cat(d, i, cats[i]);
	for (size_t j = 0; j < ns; j++) {
		chart_data_set_series(d, j, names[j]);
		for (size_t i = 0; i < nc; i++)
			d->series[j].values[i] = (double)((i * 7 + j * 5 + (i * j) % 4 * 3) % 17 + (ns - j) * 2);
	}
	return d;
}

static const char *const dims[] = { "Economic", "Human", "Environmental", "Security" };
static const char *const quarters[] = { "2023-Q1", "2023-Q2", "2023-Q3" };
static const char *const hm_rows[] = { "Kazakhstan", "China", "Türkiye", "Russia", "India",
                                       "Azerbaijan", "Iran" };

/* ---- the charts under test ------------------------------------------------------------ */

typedef struct spec {
	const char *name;
	tl_chart_type type;
	tl_orient orient;
	int stacked;
	const char *title, *subtitle;
	const char *expect[6];     /* strings pdftotext must find (besides title) */
} spec;

static const spec specs[] = {
	{ "bar", TL_CHART_BAR, TL_ORIENT_AUTO, 0, "Activities by country",
	  "Number of digest items mentioning each member state, Q2 2023",
	  { "Kazakhstan", "Türkiye", "42", "17", NULL } },
	{ "bar-horizontal", TL_CHART_BAR, TL_ORIENT_AUTO, 0, "Activities by dimension",
	  "Long category names turn the bars horizontal",
	  { "Economic dimension", "Secretariat", "31", "24", NULL } },
	{ "bar-rtl", TL_CHART_BAR, TL_ORIENT_HORIZONTAL, 0, "Mentions by country, in their own scripts",
	  "Cyrillic, Chinese and Arabic labels",
	  { "Россия", "中国", "23", NULL } },
	{ "bar-grouped", TL_CHART_BAR, TL_ORIENT_AUTO, 0, "Activities by dimension and quarter",
	  "Grouped bars", { "Economic", "Q1 2023", NULL } },
	{ "bar-stacked", TL_CHART_BAR, TL_ORIENT_AUTO, 1, "Activities by dimension and quarter",
	  "Stacked bars", { "Security", "Q3 2023", NULL } },
	{ "line", TL_CHART_LINE, TL_ORIENT_AUTO, 0, "Activities per month",
	  "Three dimensions, 2023", { "Jan", "2023", "Economic", NULL } },
	{ "donut", TL_CHART_DONUT, TL_ORIENT_AUTO, 0, "Share of activities by country",
	  "Q2 2023", { "Kazakhstan", "42", "Total", NULL } },
	{ "heatmap", TL_CHART_HEATMAP, TL_ORIENT_AUTO, 0, "Activities by country and month",
	  "Count in each cell", { "Kazakhstan", "Jan", NULL } },
	{ "table", TL_CHART_TABLE, TL_ORIENT_AUTO, 0, "Activities by country",
	  "Top member states", { "Kazakhstan", "42", "Share", NULL } },
};

static tl_chart *make_chart(const spec *s, tl_error *err)
{
	tl_chart_cfg cfg;
	tl_chart_data *d;
	chart_cfg_defaults(&cfg, s->type);
	cfg.title = s->title;
	cfg.subtitle = s->subtitle;
	cfg.source = "Source: CICA Digest, Q2 2023";
	cfg.author = "tally tests";
	cfg.orientation = s->orient;
	cfg.stacked = s->stacked;
	if (strcmp(s->name, "bar-horizontal") == 0)
		d = data_pairs(long_labels, "count");
	else if (strcmp(s->name, "bar-rtl") == 0)
		d = data_pairs(scripts, "count");
	else if (strncmp(s->name, "bar-", 4) == 0)
		d = data_multi(dims, 4, quarters, 3, 0);
	else if (s->type == TL_CHART_LINE)
		d = data_multi(months, 12, dims, 3, 1);
	else if (s->type == TL_CHART_HEATMAP) {
		d = data_multi(hm_rows, 7, months, 12, 0);
		for (size_t j = 0; j < d->nseries; j++)     /* columns are months */
			for (size_t i = 0; i < d->ncat; i++)
				d->series[j].values[i] = (double)((i * 13 + j * 7) % 23);
		d->by_date = 0;
	} else
		d = data_pairs(countries, "count");
	return chart_new(&cfg, d, err);
}

/* ---- file checks -------------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long sz;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0
	    && (b = malloc((size_t)sz + 1)) && fread(b, 1, (size_t)sz, f) == (size_t)sz) {
		b[sz] = 0;
		*n = (size_t)sz;
	} else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

static int same_bytes(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	char *x = slurp(a, &na), *y = slurp(b, &nb);
	int same = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

/* Output of a shell command (for pdftotext and pdffonts). */
static char *run_cmd(const char *cmd)
{
	char path[600], line[1200];
	size_t n;
	snprintf(path, sizeof path, "%s/cmd.out", outdir);
	snprintf(line, sizeof line, "%s > '%s' 2>&1", cmd, path);
	if (system(line) != 0)
		return NULL;
	return slurp(path, &n);
}

/* Pixels that are not (nearly) the background, inside x0..x1, y0..y1. */
static long inked(cairo_surface_t *img, int x0, int y0, int x1, int y1)
{
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	int stride = cairo_image_surface_get_stride(img);
	unsigned char *p = cairo_image_surface_get_data(img);
	long n = 0;
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++) {
			uint32_t px = *(uint32_t *)(p + y * stride + 4 * x);
			int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
			if (r < 235 || g < 235 || b < 235)
				n++;
		}
	return n;
}

/* Pixels whose channels differ by more than tol; -1 when sizes differ. */
static long pixel_diff(cairo_surface_t *a, cairo_surface_t *b, int tol)
{
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
		return -1;
	int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
	unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
	long n = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 4; c++)
				if (abs(pa[y * sa + 4 * x + c] - pb[y * sb + 4 * x + c]) > tol) {
					n++;
					break;
				}
	return n;
}

static void test_chart_spec(const spec *s)
{
	char name[128], path[600], path2[600], msg[256];
	tl_error err;
	tl_error_clear(&err);
	tl_chart *c = make_chart(s, &err);
	snprintf(name, sizeof name, "%s: constructed", s->name);
	check(c != NULL, name, c ? "" : err.msg);
	if (!c)
		return;

	/* PNG: size, ink in the plot area and in the title band */
	snprintf(path, sizeof path, "%s/%s.png", outdir, s->name);
	snprintf(name, sizeof name, "%s: png saved", s->name);
	check(chart_save(c, path, &err) == 0, name, err.msg);
	cairo_surface_t *img = cairo_image_surface_create_from_png(path);
	int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
	snprintf(name, sizeof name, "%s: png is 1200x675", s->name);
	snprintf(msg, sizeof msg, "%dx%d", w, h);
	check(w == 1200 && h == 675, name, msg);
	long plot = inked(img, 32, 160, 1168, 600), title = inked(img, 32, 20, 1168, 70);
	long margin = inked(img, 0, 0, 1200, 20) + inked(img, 0, 0, 24, 675) + inked(img, 1176, 0, 1200, 675);
	snprintf(name, sizeof name, "%s: ink in plot area and title, none in margins", s->name);
	snprintf(msg, sizeof msg, "plot %ld title %ld margins %ld", plot, title, margin);
	check(plot > 5000 && title > 500 && margin == 0, name, msg);

	/* reference image */
	snprintf(path2, sizeof path2, "tests/reference/%s.png", s->name);
	cairo_surface_t *ref = cairo_image_surface_create_from_png(path2);
	snprintf(name, sizeof name, "%s: matches tests/reference/%s.png", s->name, s->name);
	if (cairo_surface_status(ref) != CAIRO_STATUS_SUCCESS)
		check(0, name, "missing reference (run make reference)");
	else {
		long bad = pixel_diff(img, ref, 40);
		snprintf(msg, sizeof msg, "%ld pixels differ", bad);
		check(bad >= 0 && bad <= (long)w * h / 500, name, msg);
	}
	cairo_surface_destroy(ref);
	cairo_surface_destroy(img);

	/* PDF: text and fonts */
	snprintf(path, sizeof path, "%s/%s.pdf", outdir, s->name);
	snprintf(name, sizeof name, "%s: pdf saved", s->name);
	check(chart_save(c, path, &err) == 0, name, err.msg);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "pdftotext -q '%s' -", path);
	char *text = run_cmd(cmd);
	int found = text && strstr(text, s->title) != NULL;
	const char *missing = found ? NULL : s->title;
	for (int i = 0; found && s->expect[i]; i++)
		if (!strstr(text, s->expect[i])) {
			found = 0;
			missing = s->expect[i];
		}
	snprintf(name, sizeof name, "%s: pdftotext finds title, labels, values", s->name);
	snprintf(msg, sizeof msg, "missing \"%s\"", missing ? missing : "");
	check(found, name, msg);
	free(text);
	snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
	char *fonts = run_cmd(cmd);
	int embedded = fonts != NULL, nfonts = 0;
	if (fonts) {
		/* lines after the two header lines: "name type encoding emb sub uni object ID" */
		char *line = strtok(fonts, "\n");
		for (int ln = 0; line; line = strtok(NULL, "\n"), ln++) {
			if (ln < 2)
				continue;
			nfonts++;
			char nm[256], ty[64], ty2[64], enc[64], emb[8];
			if (sscanf(line, "%255s %63s %63s %63s %7s", nm, ty, ty2, enc, emb) == 5
			    && strcmp(emb, "yes") != 0 && strcmp(enc, "yes") != 0)
				embedded = 0;
		}
	}
	snprintf(name, sizeof name, "%s: pdffonts shows every font embedded", s->name);
	snprintf(msg, sizeof msg, "%d fonts", nfonts);
	check(embedded && nfonts > 0, name, msg);
	free(fonts);

	/* determinism: two runs, identical bytes */
	static const char *const exts[] = { "png", "pdf", "svg" };
	for (int e = 0; e < 3; e++) {
		snprintf(path, sizeof path, "%s/%s.%s", outdir, s->name, exts[e]);
		snprintf(path2, sizeof path2, "%s/%s-again.%s", outdir, s->name, exts[e]);
		int ok = chart_save(c, path, &err) == 0 && chart_save(c, path2, &err) == 0
		      && same_bytes(path, path2);
		snprintf(name, sizeof name, "%s: %s byte-identical twice", s->name, exts[e]);
		check(ok, name, err.msg);
		if (!keep)
			unlink(path2);
	}
	chart_free(c);
}

/* ---- engine pieces --------------------------------------------------------------------------- */

static void test_errors(void)
{
	tl_error err;
	tl_chart_cfg cfg;
	chart_cfg_defaults(&cfg, TL_CHART_BAR);
	char path[600];
	tl_chart_data *d = data_pairs(countries, "n");
	d->series[0].values[2] = -4;
	check(chart_new(&cfg, d, &err) == NULL && strstr(err.msg, "negative"),
	      "negative values refused", err.msg);
	check(chart_new(&cfg, NULL, &err) == NULL, "no data refused", err.msg);
	/* a donut of 5e307 made 2*pi*v infinite and cairo never returned */
	chart_cfg_defaults(&cfg, TL_CHART_DONUT);
	d = data_pairs(countries, "n");
	d->series[0].values[1] = 5e307;
	check(chart_new(&cfg, d, &err) == NULL && strstr(err.msg, "out of range"),
	      "a donut value of 5e307 is refused", err.msg);
	d = data_pairs(countries, "n");
	d->series[0].values[0] = 1e15;
	tl_chart *huge = chart_new(&cfg, d, &err);
	check(huge != NULL, "a value of 1e15 is drawn", err.msg);
	chart_free(huge);
	chart_cfg_defaults(&cfg, TL_CHART_BAR);
	cfg.width = 5000;
	cfg.height = 5000;
	cfg.scale = 3.2;
	huge = chart_new(&cfg, data_pairs(countries, "n"), &err);
	snprintf(path, sizeof path, "%s/huge.png", outdir);
	check(huge && chart_save(huge, path, &err) == -1 && strstr(err.msg, "too large") && access(path, F_OK) != 0,
	      "a 32000x32000 PNG is refused before it is made", err.msg);
	chart_free(huge);
	cfg.scale = 1;
	cfg.width = INFINITY;
	huge = chart_new(&cfg, data_pairs(countries, "n"), &err);
	snprintf(path, sizeof path, "%s/nan.pdf", outdir);
	check(huge && chart_save(huge, path, &err) == -1 && strstr(err.msg, "out of range"),
	      "an infinite width is refused", err.msg);
	chart_free(huge);
	chart_cfg_defaults(&cfg, TL_CHART_BAR);
	chart_free(NULL);
	chart_data_free(NULL);

	tl_chart *c = chart_new(&cfg, data_pairs(countries, "n"), &err);
	snprintf(path, sizeof path, "%s/chart.gif", outdir);
	check(c && chart_save(c, path, &err) == -1 && strstr(err.msg, "format"),
	      "unknown extension refused", err.msg);
	check(c && chart_save(c, "/proc/nonexistent/x.png", &err) == -1, "unwritable path fails", err.msg);
	/* the chart is drawn and written, then the rename onto a directory fails */
	snprintf(path, sizeof path, "%s/isdir.png", outdir);
	mkdir(path, 0777);
	check(c && chart_save(c, path, &err) == -1 && strstr(err.msg, "Is a directory"),
	      "a failed rename is reported", err.msg);
	check(count_temps(outdir) == 0, "no temporary file left behind", outdir);

	/* empty data: a frame with "No data", not a crash */
	cfg.title = "Nothing";
	tl_chart *e = chart_new(&cfg, chart_data_new(0, 1), &err);
	snprintf(path, sizeof path, "%s/empty.png", outdir);
	check(e && chart_save(e, path, &err) == 0, "empty chart renders", err.msg);
	chart_free(e);

	/* the scale factor gives a 2x PNG */
	tl_chart_cfg big = *chart_cfg(c);
	big.scale = 2;
	chart_set_cfg(c, &big, &err);
	snprintf(path, sizeof path, "%s/bar@2x.png", outdir);
	cairo_surface_t *img = NULL;
	if (c && chart_save(c, path, &err) == 0)
		img = cairo_image_surface_create_from_png(path);
	check(img && cairo_image_surface_get_width(img) == 2400
	      && cairo_image_surface_get_height(img) == 1350, "scale 2 gives 2400x1350", "");
	cairo_surface_destroy(img);

	/* the same chart saved again at scale 1 (speed is measured by make bench, not here) */
	big.scale = 1;
	chart_set_cfg(c, &big, &err);
	snprintf(path, sizeof path, "%s/again.png", outdir);
	check(chart_save(c, path, &err) == 0, "a chart saves again after a change of scale", err.msg);
	chart_free(c);

	char *m = chart_text_markup("plain **bold** & <less> *it*");
	check(m && strcmp(m, "plain <b>bold</b> &amp; &lt;less&gt; <i>it</i>") == 0,
	      "markup: plain text with **bold**", m);
	free(m);
	m = chart_text_markup("<b>markup</b> and **bold**");
	check(m && strcmp(m, "<b>markup</b> and <b>bold</b>") == 0, "markup: pango markup kept", m);
	free(m);
}

/* A multi-page report: page count, footer, page numbers, metadata. */
static void test_report(void)
{
	tl_error err;
	tl_report_info info;
	report_info_defaults(&info);
	info.title = "CICA Digest: activities in Q2 2023";
	info.subtitle = "A quarterly report";
	info.author = "Secretariat";
	info.date = "July 2023";
	tl_report *r = report_new(&info, &err);
	check(r != NULL, "report: created", err.msg);
	if (!r)
		return;
	tl_page *p = report_page(r);
	tl_box auto_box = { -1, -1, -1, -1 };
	page_text(p, "This report counts the **activities** reported in the digest. "
	             "Figures are *provisional*.\n\nA second paragraph.", &auto_box);
	for (int i = 0; i < 2; i++) {
		tl_chart *c = make_chart(&specs[i], &err);
		page_chart(p, c, &auto_box);
		chart_free(c);
	}
	p = report_page(r);
	tl_chart *c = make_chart(&specs[5], &err);
	tl_box half = { 0, 0, -1, 300 };
	page_chart(p, c, &half);
	chart_free(c);
	c = make_chart(&specs[8], &err);
	page_chart(p, c, &auto_box);
	chart_free(c);
	check(report_npages(r) == 2, "report: two pages", "");

	char path[600], path2[600], cmd[700];
	snprintf(path, sizeof path, "%s/sub/report.pdf", outdir);
	check(report_save(r, path, &err) == 0, "report: saved (directory created)", err.msg);
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	char *info_txt = run_cmd(cmd);
	const char *pages = info_txt ? strstr(info_txt, "Pages:") : NULL;
	check(pages && atoi(pages + 6) == 2 && strstr(info_txt, "Secretariat")
	      && strstr(info_txt, "CICA Digest: activities"), "report: pdfinfo pages, title, author",
	      info_txt);
	free(info_txt);
	snprintf(cmd, sizeof cmd, "pdftotext -q '%s' -", path);
	char *text = run_cmd(cmd);
	check(text && strstr(text, "Page 1 of 2") && strstr(text, "Page 2 of 2"),
	      "report: page numbers", "");
	check(text && strstr(text, "activities") && strstr(text, "Activities per month")
	      && strstr(text, "A second paragraph"), "report: text and charts", "");
	free(text);
	snprintf(path2, sizeof path2, "%s/sub/report-again.pdf", outdir);
	check(report_save(r, path2, &err) == 0 && same_bytes(path, path2),
	      "report: byte-identical twice", err.msg);
	snprintf(path2, sizeof path2, "%s/sub/report.png", outdir);
	check(report_save(r, path2, &err) == -1, "report: only PDF", err.msg);
	report_free(r);
	report_free(NULL);
}

/* Writes the PNG of every spec into dir (make reference). */
static int write_references(const char *dir)
{
	char path[600];
	tl_error err;
	mkdir(dir, 0777);
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		tl_chart *c = make_chart(&specs[i], &err);
		snprintf(path, sizeof path, "%s/%s.png", dir, specs[i].name);
		if (!c || chart_save(c, path, &err) != 0) {
			fprintf(stderr, "%s: %s\n", specs[i].name, err.msg);
			chart_free(c);
			return 1;
		}
		printf("wrote %s\n", path);
		chart_free(c);
	}
	return 0;
}

/* Every colour the engine puts text in, against what it stands on: 4.5:1 (WCAG
 * AA) for the theme's text and muted text on the background and on a heatmap's
 * lightest cell, and for the labels inside fills (bar segments, donut slices,
 * "Other", every step of the heatmap ramp) in the colour the charts pick. */
static void test_contrast(void)
{
	tl_theme th;
	char why[160];
	chart_theme_defaults(&th);
	struct { const char *name; tl_rgb fg, bg; } pairs[] = {
		{ "text on the background", th.text, th.background },
		{ "muted text on the background", th.muted, th.background },
		{ "muted zeros on the heatmap's lightest cell", th.muted, th.heat_low },
		{ "axis labels on the background", th.axis, th.background },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		double c = chart_contrast(pairs[i].fg, pairs[i].bg);
		snprintf(why, sizeof why, "%.2f:1", c);
		char name[120];
		snprintf(name, sizeof name, "contrast: %s at least 4.5:1", pairs[i].name);
		check(c >= 4.5, name, why);
	}
	double worst = 21;
	for (size_t i = 0; i < th.npalette; i++)
		worst = fmin(worst, chart_contrast(chart_text_on(th.palette[i]), th.palette[i]));
	worst = fmin(worst, chart_contrast(chart_text_on(th.other), th.other));
	snprintf(why, sizeof why, "worst %.2f:1", worst);
	check(worst >= 4.5, "contrast: labels on every palette colour and on Other at least 4.5:1", why);
	worst = 21;
	for (int k = 0; k <= 100; k++) {
		tl_rgb c = { th.heat_low.r + (th.heat_high.r - th.heat_low.r) * k / 100.0,
		             th.heat_low.g + (th.heat_high.g - th.heat_low.g) * k / 100.0,
		             th.heat_low.b + (th.heat_high.b - th.heat_low.b) * k / 100.0 };
		worst = fmin(worst, chart_contrast(chart_text_on(c), c));
	}
	snprintf(why, sizeof why, "worst %.2f:1", worst);
	check(worst >= 4.5, "contrast: cell values over the whole heatmap ramp at least 4.5:1", why);
	tl_rgb sky = { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0 };
	check(chart_contrast(sky, th.background) < 3, "contrast: the measure fails sky blue text on white",
	      "sky blue is 2.3:1");
}

/* png_write_fast against libpng's reading (through cairo): every pixel back as it
 * was, for shapes where the two halves and the dictionary between them have edge
 * cases (one row, one column, a half shorter than the 32 KiB window, a tall image
 * whose window spans many rows), opaque and with alpha. */
static void test_png_roundtrip(void)
{
	static const struct { int w, h, alpha; } shape[] = {
		{ 1, 1, 0 }, { 1, 2, 0 }, { 7, 1, 1 }, { 1, 600, 0 }, { 33, 5, 1 },
		{ 640, 3, 0 }, { 300, 301, 0 }, { 129, 700, 1 }, { 1200, 675, 0 },
	};
	unsigned seed = 12345;
	for (size_t i = 0; i < sizeof shape / sizeof *shape; i++) {
		int w = shape[i].w, h = shape[i].h, alpha = shape[i].alpha;
		cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
		unsigned char *px = cairo_image_surface_get_data(s);
		int stride = cairo_image_surface_get_stride(s);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				/* runs of one colour with noise between, as charts are */
				seed = seed * 1103515245u + 12345u;
				uint32_t v = (x / 17 + y / 5) % 3 ? 0xffffffu : (seed >> 8) & 0xffffffu;
				unsigned a = alpha ? ((seed >> 3) % 4 == 0 ? 0 : (seed >> 3) % 4 == 1 ? 128 : 255) : 255;
				unsigned r = (v >> 16 & 255) * a / 255, g = (v >> 8 & 255) * a / 255, b = (v & 255) * a / 255;
				((uint32_t *)(void *)(px + (size_t)y * stride))[x] = (uint32_t)a << 24 | r << 16 | g << 8 | b;
			}
		cairo_surface_mark_dirty(s);
		char path[600], name[128], why[128] = "";
		snprintf(path, sizeof path, "%s/roundtrip-%zu.png", outdir, i);
		FILE *f = fopen(path, "wb");
		int rc = f ? png_write_fast(s, f) : -1;
		if (f)
			fclose(f);
		cairo_surface_t *back = rc == 0 ? cairo_image_surface_create_from_png(path) : NULL;
		long bad = -1;
		if (back && cairo_surface_status(back) == CAIRO_STATUS_SUCCESS
		    && cairo_image_surface_get_width(back) == w && cairo_image_surface_get_height(back) == h) {
			const unsigned char *q = cairo_image_surface_get_data(back);
			int qs = cairo_image_surface_get_stride(back);
			bad = 0;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					uint32_t p0 = ((const uint32_t *)(const void *)(px + (size_t)y * stride))[x];
					uint32_t p1 = ((const uint32_t *)(const void *)(q + (size_t)y * qs))[x];
					if (!alpha)
						p0 |= 0xff000000u, p1 |= 0xff000000u;
					/* premultiplied colour survives the trip within one step */
					for (int k = 0; k < 32; k += 8)
						if (abs((int)(p0 >> k & 255) - (int)(p1 >> k & 255)) > (alpha && k < 24 ? 1 : 0))
							bad++;
				}
		} else
			snprintf(why, sizeof why, "rc=%d, %s", rc, back ? cairo_status_to_string(cairo_surface_status(back)) : "not read");
		if (bad > 0)
			snprintf(why, sizeof why, "%ld channel values differ", bad);
		snprintf(name, sizeof name, "png: %dx%d%s reads back pixel for pixel", w, h, alpha ? " with alpha" : "");
		check(bad == 0, name, why);
		if (back)
			cairo_surface_destroy(back);
		cairo_surface_destroy(s);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--reference") == 0)
		return write_references(argv[2]);
	const char *k = getenv("TALLY_CHART_KEEP");
	if (k && *k) {
		snprintf(outdir, sizeof outdir, "%s", k);
		mkdir(outdir, 0777);
		keep = 1;
	} else {
		snprintf(outdir, sizeof outdir, "/tmp/tally-chart-XXXXXX");
		if (!mkdtemp(outdir)) {
			perror("mkdtemp");
			return 1;
		}
	}
	test_errors();
	test_png_roundtrip();
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		test_chart_spec(&specs[i]);
	test_report();
	test_contrast();
	if (!keep) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", outdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", outdir);
	}
	printf("# test_chart: %d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
