/* Line charts: monthly (or any ordered) series, one line per series, markers,
 * gaps where a value is missing, direct value labels at the ends. */
#include <stdlib.h>
#include <math.h>
#include "chart_int.h"

typedef struct endlab { double y; size_t j; } endlab;

static int cmp_endlab(const void *a, const void *b)
{
	const endlab *x = a, *y = b;
	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* The index of the last finite value of series j, or ncat when there is none. */
static size_t last_point(const tl_chart_data *data, size_t j)
{
	for (size_t i = data->ncat; i > 0; i--)
		if (isfinite(data->series[j].values[i - 1]))
			return i - 1;
	return data->ncat;
}

/* With one series every point gets its value when the labels fit side by side;
 * with several, each line is labelled at its end only, the labels pushed apart
 * vertically so that they never overlap. */
void line_draw(const dctx *d, const tl_chart_data *data, rect r)
{
	const tl_theme *th = d->th;
	cairo_t *cr = d->cr;
	size_t nc = data->ncat, ns = data->nseries;
	char b[64];
	double vmax = 0, ewidth = 0;
	for (size_t j = 0; j < ns; j++)
		for (size_t i = 0; i < nc; i++)
			if (isfinite(data->series[j].values[i]))
				vmax = fmax(vmax, data->series[j].values[i]);
	double tlh = tx_line_height(d, th->tick_size), vh = tx_line_height(d, th->value_size);
	ticks t = axis_ticks(vmax, (int)fmax(2, fmin(6, r.h / 50)));
	double tw = axis_tick_label_width(d, t);
	double px = plot_left(d, r.x + tw + 6);

	/* Point labels (one series) or end labels (several): which, and their room. */
	int points = 0, ends = 0;
	if (d->cfg->value_labels) {
		double band = (r.x + r.w - px) / nc, wmax = 0;
		for (size_t j = 0; j < ns; j++)
			for (size_t i = 0; i < nc; i++) {
				fmt_value(d, data, j, data->series[j].values[i], b, sizeof b);
				wmax = fmax(wmax, tx_width(d, b, th->value_size, 0));
			}
		if (ns == 1 && wmax + 4 <= band)
			points = 1;
		else {
			ends = 1;
			ewidth = wmax + th->marker_size + 6;
		}
	}
	double pw = r.x + r.w - px - ewidth;
	if (pw < 20)
		return;
	double band = pw / nc;
	double labh = cat_axis(d, data, px, band, 0, r.x, r.x + r.w, 0, 0);
	double base = r.y + r.h - labh - 5, top = r.y + tlh / 2, avail = base - top;
	if (avail < 10)
		return;
	double len = avail;
	if (points && vmax > 0)
		len = fmin(len, (avail - vh - th->marker_size - 2) * t.max / vmax);
	rect g = { px, base - avail, pw, avail };
	axis_value_grid(d, g, t, len, 0);
	set_rgb(cr, th->axis);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, px, base);
	cairo_line_to(cr, px + pw, base);
	cairo_stroke(cr);

	int markers = d->cfg->markers > 0 || (d->cfg->markers < 0 && band >= 4 * th->marker_size);
	for (size_t j = 0; j < ns; j++) {
		tl_rgb c = palette_color(th, j);
		const double *v = data->series[j].values;
		int pen = 0;
		cairo_new_path(cr);
		for (size_t i = 0; i < nc; i++) {
			if (!isfinite(v[i])) {
				pen = 0;
				continue;
			}
			double x = px + (i + 0.5) * band, y = base - v[i] / t.max * len;
			if (pen)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
			pen = 1;
		}
		set_rgb(cr, c);
		cairo_set_line_width(cr, th->line_width);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		cairo_stroke(cr);
		for (size_t i = 0; i < nc; i++) {
			if (!isfinite(v[i]))
				continue;
			double x = px + (i + 0.5) * band, y = base - v[i] / t.max * len;
			/* a lone point between gaps would be invisible without its marker */
			int lone = (i == 0 || !isfinite(v[i - 1])) && (i + 1 == nc || !isfinite(v[i + 1]));
			if (markers || lone) {
				cairo_arc(cr, x, y, th->marker_size + 1, 0, 2 * M_PI);
				set_rgb(cr, th->background);
				cairo_fill(cr);
				cairo_arc(cr, x, y, th->marker_size, 0, 2 * M_PI);
				set_rgb(cr, c);
				cairo_fill(cr);
			}
			if (points) {
				fmt_value(d, data, 0, v[i], b, sizeof b);
				tx_put(d, b, th->value_size, 0, th->text, x, y - th->marker_size - 2, 0, 0,
				       TX_CENTER | TX_BOTTOM);
			}
		}
	}
	if (ends) {
		endlab *e = calloc(ns, sizeof *e);
		size_t ne = 0;
		if (!e)
			dctx_nomem(d);
		for (size_t j = 0; e && j < ns; j++) {
			size_t i = last_point(data, j);
			if (i == nc)
				continue;
			e[ne].y = base - data->series[j].values[i] / t.max * len;
			e[ne++].j = j;
		}
		if (e) {
			qsort(e, ne, sizeof *e, cmp_endlab);
			/* push down from the top, then back up from the bottom */
			for (size_t k = 1; k < ne; k++)
				if (e[k].y < e[k - 1].y + vh)
					e[k].y = e[k - 1].y + vh;
			if (ne && e[ne - 1].y > base - vh / 2)
				e[ne - 1].y = base - vh / 2;
			for (size_t k = ne; k-- > 1; )
				if (e[k - 1].y > e[k].y - vh)
					e[k - 1].y = e[k].y - vh;
			for (size_t k = 0; k < ne; k++) {
				size_t j = e[k].j, i = last_point(data, j);
				fmt_value(d, data, j, data->series[j].values[i], b, sizeof b);
				tl_rgb c = mix_rgb(palette_color(th, j), th->text, 0.35);
				tx_put(d, b, th->value_size, 1, c, px + (i + 0.5) * band + th->marker_size + 4,
				       e[k].y, 0, 0, TX_LEFT | TX_MIDDLE);
			}
		}
		free(e);
	}
	cat_axis(d, data, px, band, base + 5, r.x, r.x + r.w, 1, 0);
}
