/* Heatmaps: categories down the side (e.g. countries), series across the top
 * (e.g. months), the count printed in each cell over a single-hue ramp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "chart_int.h"

static tl_rgb heat(const tl_theme *th, double v, double vmax)
{
	double t = vmax > 0 && isfinite(v) ? v / vmax : 0;
	return mix_rgb(th->heat_low, th->heat_high, fmin(1, fmax(0, t)));
}

/* The colour key: a ramp from 0 to the maximum, drawn at (x, y), width w. */
static double heat_key(const dctx *d, double x, double y, double w, double vmax, int draw)
{
	const tl_theme *th = d->th;
	double kh = 7, lh = tx_line_height(d, th->tick_size);
	char b[64];
	if (draw) {
		cairo_pattern_t *p = cairo_pattern_create_linear(x, 0, x + w, 0);
		cairo_pattern_add_color_stop_rgb(p, 0, th->heat_low.r, th->heat_low.g, th->heat_low.b);
		cairo_pattern_add_color_stop_rgb(p, 1, th->heat_high.r, th->heat_high.g, th->heat_high.b);
		cairo_rectangle(d->cr, x, y, w, kh);
		cairo_set_source(d->cr, p);
		cairo_fill(d->cr);
		cairo_pattern_destroy(p);
		tx_put(d, "0", th->tick_size, 0, th->muted, x, y + kh + 2, 0, 0, TX_LEFT);
		fmt_num(vmax, b, sizeof b);
		tx_put(d, b, th->tick_size, 0, th->muted, x + w, y + kh + 2, 0, 0, TX_RIGHT);
	}
	return kh + 2 + lh;
}

void heatmap_draw(const dctx *d, const tl_chart_data *in, rect r)
{
	const tl_theme *th = d->th;
	cairo_t *cr = d->cr;
	const tl_chart_data *data = in;
	tl_chart_data *cut = NULL;
	char b[64];
	double lh = tx_line_height(d, th->label_size), vh = tx_line_height(d, th->value_size);

	/* The column labels reuse the category axis, over a view whose categories are
	 * the series names. */
	size_t ncol = in->nseries;
	char **colnames = calloc(ncol, sizeof *colnames);
	if (!colnames) {
		dctx_nomem(d);
		return;
	}
	for (size_t j = 0; j < ncol; j++)
		colnames[j] = in->series[j].name;
	tl_chart_data cols = { .ncat = ncol, .cats = colnames, .by_date = chart_labels_are_dates(colnames, ncol) };

	double rw = 0;
	for (size_t i = 0; i < in->ncat; i++)
		rw = fmax(rw, tx_width(d, in->cats[i], th->label_size, 0));
	rw = fmin(rw, r.w * th->label_max);
	double gx = plot_left(d, r.x + rw + 8), gw = r.x + r.w - gx, cw = gw / ncol;
	rw = gx - 8 - r.x;
	double colh = cat_axis(d, &cols, gx, cw, 0, gx - cw / 2, r.x + r.w, 0, 1);
	double keyh = heat_key(d, 0, 0, 0, 0, 0) + 8;
	double gh = r.h - colh - 4 - keyh;
	if (gw < 20 || gh < 10)
		goto out;
	/* rows at least one label line high: the tail merges into "Other" */
	size_t fit = (size_t)fmax(1, floor(gh / (lh * 1.1)));
	if (!(data = data_fit(in, d->cfg, fit, &cut))) {
		dctx_nomem(d);   /* data_fit fails only for memory */
		goto out;
	}
	size_t nrow = data->ncat;
	double ch = fmin(gh / nrow, lh * 2.6);
	double gy = r.y + colh + 4, vmax = 0;
	for (size_t j = 0; j < ncol; j++)
		for (size_t i = 0; i < nrow; i++)
			if (isfinite(data->series[j].values[i]))
				vmax = fmax(vmax, data->series[j].values[i]);

	/* values are printed in every cell or in none */
	int values = d->cfg->value_labels && vh <= ch - 1;
	for (size_t j = 0; values && j < ncol; j++)
		for (size_t i = 0; i < nrow; i++) {
			fmt_value(d, data, j, data->series[j].values[i], b, sizeof b);
			if (tx_width(d, b, th->value_size, 0) > cw - 3)
				values = 0;
		}
	cat_axis(d, &cols, gx, cw, r.y, gx - cw / 2, r.x + r.w, 1, 1);
	int lines = (int)fmax(1, fmin(2, floor(ch / lh)));
	for (size_t i = 0; i < nrow; i++) {
		double y = gy + i * ch;
		PangoLayout *l = tx_layout(d, data->cats[i], th->label_size, 0, 0);
		tx_fit(l, rw, lines, TX_RIGHT);
		tx_draw(d, l, r.x + rw, y + ch / 2, TX_RIGHT | TX_MIDDLE, th->text, 0);
		g_object_unref(l);
		for (size_t j = 0; j < ncol; j++) {
			double v = data->series[j].values[i];
			tl_rgb c = heat(th, v, vmax);
			set_rgb(cr, c);
			cairo_rectangle(cr, gx + j * cw + 0.5, y + 0.5, cw - 1, ch - 1);
			cairo_fill(cr);
			if (values && isfinite(v)) {
				fmt_value(d, data, j, v, b, sizeof b);
				tx_put(d, b, th->value_size, 0, v == 0 ? th->muted : text_on(c),
				       gx + (j + 0.5) * cw, y + ch / 2, 0, 0, TX_CENTER | TX_MIDDLE);
			}
		}
	}
	double kw = fmin(160, gw / 2);
	heat_key(d, gx + gw - kw, gy + nrow * ch + 8, kw, vmax, 1);
out:
	chart_data_free(cut);
	free(colnames);
}
