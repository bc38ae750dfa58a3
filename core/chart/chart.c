/* The chart object, the frame every chart shares (title, subtitle, legend, source
 * line) and output to PNG, PDF and SVG files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <math.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include "chart_int.h"

#ifndef TALLY_VERSION
#define TALLY_VERSION "dev"
#endif

/* ---- configuration -------------------------------------------------------------- */

static const char *const type_names[] = { "bar", "line", "donut", "heatmap", "table" };

int chart_type_from_name(const char *name)
{
	for (int i = 0; i < 5; i++)
		if (name && strcmp(name, type_names[i]) == 0)
			return i;
	return -1;
}

const char *chart_type_name(tl_chart_type t)
{
	return (unsigned)t < 5 ? type_names[t] : "?";
}

void chart_cfg_defaults(tl_chart_cfg *cfg, tl_chart_type type)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->type = type;
	cfg->orientation = TL_ORIENT_AUTO;
	cfg->sort = type == TL_CHART_DONUT ? TL_SORT_DESC : TL_SORT_NONE;   /* slices largest first */
	cfg->value_labels = 1;
	cfg->markers = -1;
	cfg->legend = -1;
	cfg->totals = -1;
	cfg->donut_hole = 0.58;
	cfg->width = 600;
	cfg->height = 337.5;
	cfg->scale = 1;
	chart_theme_defaults(&cfg->theme);
}

/* ---- the chart object ------------------------------------------------------------- */

/* The chart owns copies of the strings, so that a cfg built from Lua strings or
 * stack buffers can go away after chart_new. */
static int chart_adopt_cfg(tl_chart *c, const tl_chart_cfg *cfg)
{
	const char *in[5] = { cfg->title, cfg->subtitle, cfg->source, cfg->author, cfg->subject };
	char *cp[5] = { 0 };
	for (int i = 0; i < 5; i++)
		if (in[i] && !(cp[i] = strdup(in[i]))) {
			for (int k = 0; k < i; k++)
				free(cp[k]);
			return -1;
		}
	free(c->title); free(c->subtitle); free(c->source); free(c->author); free(c->subject);
	c->cfg = *cfg;
	c->cfg.title = c->title = cp[0];
	c->cfg.subtitle = c->subtitle = cp[1];
	c->cfg.source = c->source = cp[2];
	c->cfg.author = c->author = cp[3];
	c->cfg.subject = c->subject = cp[4];
	if (!(c->cfg.width > 0)) c->cfg.width = 600;
	if (!(c->cfg.height > 0)) c->cfg.height = 337.5;
	if (!(c->cfg.scale > 0)) c->cfg.scale = 1;
	return 0;
}

/* Data the drawing code cannot show honestly is refused here, once. */
static int data_check(const tl_chart_cfg *cfg, const tl_chart_data *d, tl_error *err)
{
	if ((unsigned)cfg->type > TL_CHART_TABLE)
		return tl_fail(err, NULL, 0, 0, "unknown chart type");
	if (d->nseries == 0)
		return tl_fail(err, NULL, 0, 0, "chart data has no series");
	if (cfg->type == TL_CHART_DONUT && d->multi)
		return tl_fail(err, NULL, 0, 0, "a donut shows the parts of a whole, and %s is a list field "
		               "(an item may name several, so the parts add up to more than the items): "
		               "use a bar chart", d->nseries ? d->series[0].name : "the field");
	for (size_t j = 0; j < d->nseries; j++)
		for (size_t i = 0; i < d->ncat; i++) {
			double v = d->series[j].values[i];
			if (isinf(v))
				return tl_fail(err, NULL, 0, 0, "chart values must be finite");
			/* past this, sums and angles (a donut's 2*pi*v) overflow and cairo
			 * loops on the infinite result; NaN is a gap and passes */
			if (fabs(v) > CHART_MAX_VALUE)
				return tl_fail(err, NULL, 0, 0, "value %g for \"%s\" is out of range (at most %g)",
				               v, d->cats[i], CHART_MAX_VALUE);
			if (v < 0 && cfg->type != TL_CHART_TABLE)
				return tl_fail(err, NULL, 0, 0,
				               "negative value %g for \"%s\": charts start at zero", v, d->cats[i]);
		}
	return 0;
}

tl_chart *chart_new(const tl_chart_cfg *cfg, tl_chart_data *data, tl_error *err)
{
	tl_chart *c = NULL;
	if (!data) {
		tl_fail(err, NULL, 0, 0, "no chart data");
		return NULL;
	}
	if (data_check(cfg, data, err))
		goto fail;
	if (!(c = calloc(1, sizeof *c)) || chart_adopt_cfg(c, cfg)) {
		tl_fail(err, NULL, 0, 0, "out of memory");
		goto fail;
	}
	c->refs = 1;
	c->data = data;
	return c;
fail:
	if (c)
		free(c);
	chart_data_free(data);
	return NULL;
}

tl_chart *chart_ref(tl_chart *c)
{
	if (c)
		c->refs++;
	return c;
}

void chart_free(tl_chart *c)
{
	if (!c || --c->refs > 0)
		return;
	free(c->title); free(c->subtitle); free(c->source); free(c->author); free(c->subject);
	chart_data_free(c->data);
	free(c);
}

const tl_chart_cfg *chart_cfg(const tl_chart *c) { return &c->cfg; }
const tl_chart_data *chart_data(const tl_chart *c) { return c->data; }

int chart_set_cfg(tl_chart *c, const tl_chart_cfg *cfg, tl_error *err)
{
	if (data_check(cfg, c->data, err))
		return -1;
	if (chart_adopt_cfg(c, cfg))
		return tl_fail(err, NULL, 0, 0, "out of memory");
	return 0;
}

/* ---- the frame ------------------------------------------------------------------- */

/* Legend entries flow left to right and wrap to a new row when the width runs
 * out; a name longer than a third of the width is ellipsized. A NULL name is no
 * entry (a series with nothing to show) but keeps its colour for the others. */
double frame_legend(const dctx *d, const char *const *names, size_t n, rect r, int draw)
{
	double sz = d->th->legend_size, lh = tx_line_height(d, sz);
	double sw = d->cfg->type == TL_CHART_LINE ? 16 : 9;
	double x = r.x, y = r.y, maxname = r.w / 3;
	cairo_t *cr = d->cr;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		PangoLayout *l = tx_layout(d, names[i], sz, 0, 0);
		double w;
		tx_fit(l, maxname, 1, TX_LEFT);
		tx_size(l, &w, NULL);
		double ew = sw + 4 + w;
		if (x > r.x && x + ew > r.x + r.w) {
			x = r.x;
			y += lh + 3;
		}
		if (draw) {
			tl_rgb c = palette_color(d->th, i);
			double cy = y + lh / 2;
			set_rgb(cr, c);
			if (d->cfg->type == TL_CHART_LINE) {
				cairo_set_line_width(cr, d->th->line_width);
				cairo_move_to(cr, x, cy);
				cairo_line_to(cr, x + sw, cy);
				cairo_stroke(cr);
				cairo_arc(cr, x + sw / 2, cy, d->th->marker_size, 0, 2 * M_PI);
				cairo_fill(cr);
			} else {
				cairo_rectangle(cr, x, cy - sw / 2, sw, sw);
				cairo_fill(cr);
			}
			tx_draw(d, l, x + sw + 4, cy, TX_LEFT | TX_MIDDLE, d->th->text, 0);
		}
		g_object_unref(l);
		x += ew + 14;
	}
	return n ? y + lh - r.y : 0;
}

static int wants_legend(const tl_chart_cfg *cfg, const tl_chart_data *data)
{
	if (cfg->type != TL_CHART_BAR && cfg->type != TL_CHART_LINE)
		return 0;
	return cfg->legend > 0 || (cfg->legend < 0 && data->nseries > 1);
}

static int chart_render(const tl_chart *c, cairo_t *cr, double w, double h, double gutter,
                        double *used);

double plot_left(const dctx *d, double natural)
{
	double x = fmax(natural, d->gutter);
	if (d->gutter_used)
		*d->gutter_used = natural;
	return x;
}

/* A title or subtitle in at most two balanced lines; returns its height. */
/* Muted text of at most `lines` lines set above `bottom` (the source, the
 * note), `gap` above it the new bottom; no text leaves bottom as it is. */
static double foot_line(const dctx *d, const char *text, int lines, double gap, double x0, double cw,
                        double bottom)
{
	if (!text || !*text)
		return bottom;
	PangoLayout *l = tx_layout(d, text, d->th->note_size, 0, 0);
	double sh;
	tx_fit(l, cw, lines, TX_LEFT);
	tx_size(l, NULL, &sh);
	tx_draw(d, l, x0, bottom - sh, TX_LEFT, d->th->muted, 0);
	g_object_unref(l);
	return bottom - sh - gap;
}

static double frame_title(const dctx *d, const char *s, double size, int bold, tl_rgb colour,
                          double x, double y, double w)
{
	PangoLayout *l = tx_layout(d, s, size, bold, 0);
	double h;
	tx_fit(l, w, 2, TX_LEFT);
	tx_balance(l);
	tx_size(l, NULL, &h);
	tx_draw(d, l, x, y, TX_LEFT, colour, 0);
	g_object_unref(l);
	return h;
}

int chart_draw(const tl_chart *c, cairo_t *cr, double w, double h)
{
	return chart_draw_aligned(c, cr, w, h, 0);
}

/* The edge comes from drawing once where nothing is kept: the chart types decide
 * orientation, cut rows and measure labels exactly as they will when drawn. */
double chart_gutter(const tl_chart *c, double w, double h)
{
	cairo_rectangle_t ext = { 0, 0, w, h };
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, &ext);
	cairo_t *cr = cairo_create(s);
	double used = 0;
	chart_render(c, cr, w, h, 0, &used);   /* a measure: drawing it again says whether memory ran out */
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return used;
}

/* A right-to-left language draws the chart mirrored (tx_mirror), unless the page
 * around it already is. */
int chart_draw_aligned(const tl_chart *c, cairo_t *cr, double w, double h, double gutter)
{
	int mirror = tl_lang_rtl() && !tx_mirrored(cr), rc;
	cairo_save(cr);
	if (mirror)
		tx_mirror(cr, 0, w);
	rc = chart_render(c, cr, w, h, gutter, NULL);
	cairo_restore(cr);
	return rc;
}

/* Title and subtitle on top, the source line at the foot, the legend under the
 * subtitle; what is left is the plot area handed to the chart type. In a PDF the
 * chart is a Figure (a table a Table) whose Caption is its title and subtitle:
 * cairo 1.16 drops an /Alt attribute, a caption a screen reader finds. */
static int chart_render(const tl_chart *c, cairo_t *cr, double w, double h, double gutter,
                        double *used)
{
	const tl_chart_cfg *cfg = &c->cfg;
	const tl_theme *th = &cfg->theme;
	const char *tag = cfg->type == TL_CHART_TABLE ? "Table" : "Figure";
	int nomem = 0;
	dctx d = { cr, NULL, cfg, th, gutter, used, &nomem };
	tl_chart_data *data = NULL;

	cairo_save(cr);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_clip(cr);
	set_rgb(cr, th->background);
	cairo_paint(cr);
	/* after the paint: cairo drops what a page recorded before an opaque paint
	 * over all of it, a tag's beginning included */
	cairo_tag_begin(cr, tag, "");
	if (!(d.pc = tx_context(cr)))
		goto out;

	double x0 = th->margin_left, cw = w - th->margin_left - th->margin_right;
	double y = th->margin_top, bottom = h - th->margin_bottom;
	if (cw < 20 || bottom - y < 20)
		goto out;
	int caption = (cfg->title && *cfg->title) || (cfg->subtitle && *cfg->subtitle);
	if (caption)
		cairo_tag_begin(cr, "Caption", "");
	if (cfg->title && *cfg->title)
		y += frame_title(&d, cfg->title, th->title_size, 1, th->text, x0, y, cw) + 2;
	if (cfg->subtitle && *cfg->subtitle)
		y += frame_title(&d, cfg->subtitle, th->subtitle_size, 0, th->muted, x0, y, cw);
	if (caption)
		cairo_tag_end(cr, "Caption");
	y += 10;
	bottom = foot_line(&d, cfg->source, 2, 8, x0, cw, bottom);
	/* what the numbers leave out or count twice, above the source */
	char note[1400];
	bottom = foot_line(&d, data_note(c->data, cfg->type == TL_CHART_DONUT, note, sizeof note), 3, 6, x0, cw, bottom);
	if (wants_legend(cfg, c->data)) {
		/* series named by dates ("2023-04") are shown as "Apr 2023" */
		size_t ns = c->data->nseries;
		char **names = calloc(ns, sizeof *names), **fmt = calloc(ns, sizeof *fmt);
		if (!names || !fmt)
			nomem = 1;
		if (names && fmt) {
			for (size_t j = 0; j < ns; j++)
				names[j] = c->data->series[j].name;
			int dates = chart_labels_are_dates(names, ns);
			for (size_t j = 0; j < ns; j++) {
				char b[256];
				int any = 0;
				for (size_t i = 0; i < c->data->ncat && !any; i++)
					any = isfinite(c->data->series[j].values[i]) && c->data->series[j].values[i] != 0;
				if (!any)
					continue;               /* an all-zero series draws nothing to name */
				fmt_cat(names[j], dates, 0, b, sizeof b);
				if (!(fmt[j] = strdup(b)))
					nomem = 1;
			}
			rect lr = { x0, y, cw, bottom - y };
			y += frame_legend(&d, (const char *const *)fmt, ns, lr, 1) + 10;
		}
		for (size_t j = 0; fmt && j < ns; j++)
			free(fmt[j]);
		free(fmt);
		free(names);
	}
	rect plot = { x0, y, cw, bottom - y };
	if (plot.h < 16)
		goto out;
	if (!(data = data_prepare(c->data, cfg, cfg->limit))) {
		nomem = 1;   /* data_prepare fails only for memory */
		goto out;
	}
	if (data->ncat == 0) {
		tx_put(&d, tl_gettext("No data"), th->label_size, 0, th->muted, plot.x + plot.w / 2,
		       plot.y + plot.h / 2, 0, 0, TX_CENTER | TX_MIDDLE);
		goto out;
	}
	switch (cfg->type) {
	case TL_CHART_BAR:     bar_draw(&d, data, plot); break;
	case TL_CHART_LINE:    line_draw(&d, data, plot); break;
	case TL_CHART_DONUT:   donut_draw(&d, data, plot); break;
	case TL_CHART_HEATMAP: heatmap_draw(&d, data, plot); break;
	case TL_CHART_TABLE:   table_draw(&d, data, plot); break;
	}
out:
	chart_data_free(data);
	tx_context_free(d.pc);
	cairo_tag_end(cr, tag);
	cairo_restore(cr);
	return nomem ? -1 : 0;
}

/* ---- output ------------------------------------------------------------------------ */

int out_format(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (!dot || strchr(dot, '/'))
		return 0;
	if (strcasecmp(dot, ".png") == 0) return 'p';
	if (strcasecmp(dot, ".pdf") == 0) return 'd';
	if (strcasecmp(dot, ".svg") == 0) return 's';
	return 0;
}

int out_format_name(const char *name)
{
	if (!name) return 0;
	if (strcasecmp(name, "png") == 0) return 'p';
	if (strcasecmp(name, "pdf") == 0) return 'd';
	if (strcasecmp(name, "svg") == 0) return 's';
	return 0;
}

/* A PDF says when it was written; SOURCE_DATE_EPOCH (reproducible builds) fixes
 * that date, and then the same input gives the same bytes. */
void out_pdf_metadata(cairo_surface_t *s, const char *title, const char *author,
                      const char *subject)
{
	char date[40] = "";
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t tt = time(NULL);
	struct tm tm;
	if (sde && *sde) {
		char *end;
		long long t = strtoll(sde, &end, 10);
		if (*end == 0 && t >= 0)
			tt = (time_t)t;
	}
	if (gmtime_r(&tt, &tm))
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (title && *title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	if (author && *author)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author);
	if (subject && *subject)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subject);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "tally " TALLY_VERSION);
	if (*date) {
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	}
}

/* cairo numbers SVG surfaces from a counter global to the process, so the same
 * chart saved second gets other ids: renumber "surfaceN" in order of appearance
 * while copying the document from memory to f. */
static int svg_normalize_ids(const char *in, size_t n, FILE *f)
{
	unsigned long seen[256];
	size_t nseen = 0, i = 0, from = 0;
	while (i < n) {
		if (n - i > 7 && memcmp(in + i, "surface", 7) == 0 && in[i + 7] >= '0' && in[i + 7] <= '9') {
			unsigned long id = 0;
			size_t j = i + 7, k = 0;
			while (j < n && in[j] >= '0' && in[j] <= '9' && id < 100000000)
				id = id * 10 + (unsigned long)(in[j++] - '0');
			while (k < nseen && seen[k] != id)
				k++;
			if (k == nseen && nseen < 256)
				seen[nseen++] = id;
			if (k < 256) {
				fwrite(in + from, 1, i - from, f);
				fprintf(f, "surface%zu", k + 1);
				i = from = j;
				continue;
			}
		}
		i++;
	}
	fwrite(in + from, 1, n - from, f);
	return ferror(f) ? -1 : 0;
}

/* cairo's write function: into the SVG buffer or the output file. */
static cairo_status_t out_write(void *closure, const unsigned char *data, unsigned int len)
{
	out_sink *k = closure;
	FILE *f = k->svg ? k->svg : outfile_stream(k->file);
	if (fwrite(data, 1, len, f) != len) {
		k->failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* PNG pixels, PDF and SVG points: what cairo and the image buffer can hold. A size
 * from a script must be refused here, before cairo sees a NaN or a surface of
 * gigabytes. */
int out_size_ok(int fmt, double w, double h, double px, tl_error *err, const char *path)
{
	if (!isfinite(w) || !isfinite(h) || !(w >= 1) || !(h >= 1) || w > OUT_MAX_POINTS || h > OUT_MAX_POINTS)
		return tl_fail(err, path, 0, 0, "chart size %gx%g is out of range (1 to %d points a side)",
		               w, h, OUT_MAX_POINTS);
	if (fmt == 'p' && (!isfinite(px) || w * px > OUT_MAX_PIXELS || h * px > OUT_MAX_PIXELS
	                   || w * px * h * px > OUT_MAX_AREA))
		return tl_fail(err, path, 0, 0, "PNG of %.0fx%.0f pixels is too large (at most %d a side, "
		               "%.0f million in all)", w * px, h * px, OUT_MAX_PIXELS, OUT_MAX_AREA / 1e6);
	return 0;
}

cairo_surface_t *out_surface(out_sink *k, int fmt, const char *path, double w, double h, double px,
                             tl_error *err)
{
	cairo_surface_t *s;
	memset(k, 0, sizeof *k);
	k->path = path;
	if (out_size_ok(fmt, w, h, px, err, path) < 0)
		return NULL;
	if (!(k->file = outfile_open(path, err)))
		return NULL;
	if (fmt == 'p') {
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w * px - 1e-6), (int)ceil(h * px - 1e-6));
	} else if (fmt == 'd') {
		s = cairo_pdf_surface_create_for_stream(out_write, k, w, h);
	} else {
		if (!(k->svg = open_memstream(&k->svgbuf, &k->svglen))) {
			outfile_abort(k->file);
			tl_fail(err, path, 0, 0, "out of memory");
			return NULL;
		}
		s = cairo_svg_surface_create_for_stream(out_write, k, w, h);
		cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
	}
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		tl_fail(err, path, 0, 0, "cannot make the %s surface: %s", fmt == 'p' ? "image" : "vector",
		        cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		out_abort(k);
		return NULL;
	}
	return s;
}

void out_abort(out_sink *k)
{
	if (k->svg)
		fclose(k->svg);
	free(k->svgbuf);
	outfile_abort(k->file);
	memset(k, 0, sizeof *k);
}

/* Finishes the surface (writing the PNG when it is an image), checks every status
 * and commits the file; on failure the final path is left untouched. */
int out_finish(out_sink *k, cairo_surface_t *s, cairo_t *cr, tl_error *err)
{
	cairo_status_t st = cr ? cairo_status(cr) : CAIRO_STATUS_SUCCESS;
	const char *path = k->path;
	if (cr)
		cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_IMAGE)
		st = png_write_fast(s, outfile_stream(k->file)) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	if (st == CAIRO_STATUS_SUCCESS && k->failed)
		st = CAIRO_STATUS_WRITE_ERROR;
	if (st == CAIRO_STATUS_SUCCESS && k->nomem)
		st = CAIRO_STATUS_NO_MEMORY;
	cairo_surface_destroy(s);
	if (st == CAIRO_STATUS_SUCCESS && k->svg) {
		if (fclose(k->svg) != 0)
			st = CAIRO_STATUS_NO_MEMORY;
		else if (svg_normalize_ids(k->svgbuf, k->svglen, outfile_stream(k->file)) != 0)
			st = CAIRO_STATUS_WRITE_ERROR;
		k->svg = NULL;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		int e = errno;
		out_abort(k);
		if (st == CAIRO_STATUS_WRITE_ERROR && e)
			return tl_fail(err, path, 0, 0, "cannot write: %s", strerror(e));
		return tl_fail(err, path, 0, 0, "cannot write: %s", cairo_status_to_string(st));
	}
	free(k->svgbuf);
	int rc = outfile_commit(k->file, err);
	memset(k, 0, sizeof *k);
	return rc;
}

int chart_save(const tl_chart *c, const char *path, tl_error *err)
{
	return chart_save_as(c, path, NULL, err);
}

int chart_save_as(const tl_chart *c, const char *path, const char *format, tl_error *err)
{
	const tl_chart_cfg *cfg = &c->cfg;
	int fmt = format ? out_format_name(format) : out_format(path);
	out_sink k;
	if (!fmt)
		return tl_fail(err, path, 0, 0, "unknown output format: use .png, .pdf or .svg");
	double px = 2 * cfg->scale;   /* PNG pixels per point */
	cairo_surface_t *s = out_surface(&k, fmt, path, cfg->width, cfg->height, px, err);
	if (!s)
		return -1;
	if (fmt == 'd')
		out_pdf_metadata(s, cfg->title, cfg->author, cfg->subject ? cfg->subject : cfg->subtitle);
	cairo_t *cr = cairo_create(s);
	if (fmt == 'p')
		cairo_scale(cr, px, px);
	if (chart_draw(c, cr, cfg->width, cfg->height) < 0)
		k.nomem = 1;   /* a chart missing a part is not saved as if whole */
	return out_finish(&k, s, cr, err);
}

int chart_size_named(const char *name, double *width, double *height)
{
	static const struct { const char *name; double w, h; } sizes[] = {
		{ "web", 600, 337.5 }, { "a4", 841.89, 595.28 }, { "a5", 595.28, 419.53 },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		if (strcmp(name, sizes[i].name) == 0) {
			*width = sizes[i].w;
			*height = sizes[i].h;
			return 0;
		}
	return -1;
}
