/* Bar charts: vertical or horizontal, one series, grouped or stacked series.
 * Bars start at zero; values are printed where they fit without touching
 * anything; long category names turn the chart horizontal. */
#include <stdlib.h>
#include <math.h>
#include "chart_int.h"

static double val(const tl_chart_data *data, size_t j, size_t i)
{
	double v = data->series[j].values[i];
	return isfinite(v) && v > 0 ? v : 0;
}

static double bar_max(const tl_chart_data *data, int stacked)
{
	double m = 0;
	for (size_t i = 0; i < data->ncat; i++) {
		double v = 0;
		for (size_t j = 0; j < data->nseries; j++)
			v = stacked ? v + val(data, j, i) : fmax(v, val(data, j, i));
		m = fmax(m, v);
	}
	return m;
}

/* The value printed at the end of bar i: the bar's own value, or the stack total. */
static double end_value(const tl_chart_data *data, size_t j, size_t i, int stacked)
{
	return stacked ? data_total(data, i) : val(data, j, i);
}

/* Long labels read badly under narrow bars: they go horizontal when any label
 * would need more than two lines (or an ellipsis) under its bar, or when there
 * are too many bars to label. Time always runs left to right. */
static int want_horizontal(const dctx *d, const tl_chart_data *data, double plotw)
{
	if (d->cfg->orientation != TL_ORIENT_AUTO)
		return d->cfg->orientation == TL_ORIENT_HORIZONTAL;
	if (data->by_date)
		return 0;
	if (data->ncat > 14)
		return 1;
	double band = plotw / data->ncat;
	for (size_t i = 0; i < data->ncat; i++) {
		PangoLayout *l = tx_layout(d, data->cats[i], d->th->label_size, 0, 0);
		tx_fit(l, band - 4, 2, TX_CENTER);
		int bad = tx_ellipsized(l) || tx_lines(l) > 1 + (data->ncat <= 6);
		g_object_unref(l);
		if (bad)
			return 1;
	}
	return 0;
}

/* Stacked segment labels go inside their segment in a contrasting colour, only
 * when they fit with room to spare. */
static void segment_label(const dctx *d, const tl_chart_data *data, size_t j, double v,
                          tl_rgb fill, double cx, double cy, double w, double h)
{
	char b[64];
	fmt_value(d, data, j, v, b, sizeof b);
	double tw = tx_width(d, b, d->th->value_size, 0), th = tx_line_height(d, d->th->value_size);
	if (tw + 4 <= w && th + 2 <= h)
		tx_put(d, b, d->th->value_size, 0, text_on(fill), cx, cy, 0, 0, TX_CENTER | TX_MIDDLE);
}

/* Whether every end label fits across its bar (vertical bars) without touching
 * the next one: labels are all shown or none, never a misleading few. */
static int end_labels_fit(const dctx *d, const tl_chart_data *data, int stacked, double room)
{
	char b[64];
	for (size_t i = 0; i < data->ncat; i++)
		for (size_t j = 0; j < (stacked ? 1 : data->nseries); j++) {
			fmt_value(d, data, j, end_value(data, j, i, stacked), b, sizeof b);
			if (tx_width(d, b, d->th->value_size, 0) > room)
				return 0;
		}
	return 1;
}

static void bar_vertical(const dctx *d, const tl_chart_data *data, rect r, int stacked)
{
	const tl_theme *th = d->th;
	cairo_t *cr = d->cr;
	size_t nc = data->ncat, ns = data->nseries, nb = stacked ? 1 : ns;
	double vmax = bar_max(data, stacked);
	double tlh = tx_line_height(d, th->tick_size), vh = tx_line_height(d, th->value_size);
	ticks t = axis_ticks(vmax, (int)fmax(2, fmin(6, r.h / 50)));
	double tw = axis_tick_label_width(d, t);
	double px = plot_left(d, r.x + tw + 6), pw = r.x + r.w - px;
	double band = pw / nc, groupw = fmin(band * (1 - th->bar_gap), 44 * nb), bw = groupw / nb;
	double labh = cat_axis(d, data, px, band, 0, r.x, r.x + r.w, 0, 1);
	double base = r.y + r.h - labh - 5, top = r.y + tlh / 2;
	double avail = base - top;
	int labels = d->cfg->value_labels
	          && end_labels_fit(d, data, stacked, nb == 1 ? band - 3 : bw + 1);
	if (avail < 10 || pw < 10)
		return;
	/* Shrink the axis until the tallest labelled bar leaves room for its label. */
	double len = avail;
	if (labels)
		for (size_t i = 0; i < nc; i++)
			for (size_t j = 0; j < nb; j++) {
				double v = end_value(data, j, i, stacked);
				if (v > 0)
					len = fmin(len, (avail - vh - 2) * t.max / v);
			}
	rect g = { px, base - avail, pw, avail };
	axis_value_grid(d, g, t, len, 0);

	for (size_t i = 0; i < nc; i++) {
		double gx = px + i * band + (band - groupw) / 2, acc = 0;
		for (size_t j = 0; j < ns; j++) {
			double v = val(data, j, i), hgt = v / t.max * len;
			double x = gx + (stacked ? 0 : j * bw), y0 = base - (stacked ? acc / t.max * len : 0);
			tl_rgb c = fill_color(d, data, i, ns > 1 ? j : 0);
			if (hgt > 0) {
				set_rgb(cr, c);
				cairo_rectangle(cr, x, y0 - hgt, bw, hgt);
				cairo_fill(cr);
				if (stacked && d->cfg->value_labels)
					segment_label(d, data, j, v, c, x + bw / 2, y0 - hgt / 2, bw, hgt);
			}
			if (labels && !stacked) {
				char b[64];
				fmt_value(d, data, j, v, b, sizeof b);
				tx_put(d, b, th->value_size, 0, th->text, x + bw / 2, y0 - hgt - 2, 0, 0,
				       TX_CENTER | TX_BOTTOM);
			}
			acc += v;
		}
		if (labels && stacked) {
			char b[64];
			fmt_num(acc, b, sizeof b);
			tx_put(d, b, th->value_size, 1, th->text, gx + bw / 2,
			       base - acc / t.max * len - 2, 0, 0, TX_CENTER | TX_BOTTOM);
		}
	}
	set_rgb(cr, th->axis);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, px, base);
	cairo_line_to(cr, px + pw, base);
	cairo_stroke(cr);
	cat_axis(d, data, px, band, base + 5, r.x, r.x + r.w, 1, 1);
}

static void bar_horizontal(const dctx *d, const tl_chart_data *in, rect r, int stacked)
{
	const tl_theme *th = d->th;
	cairo_t *cr = d->cr;
	const tl_chart_data *data = in;
	tl_chart_data *cut = NULL;
	double lh = tx_line_height(d, th->label_size), tlh = tx_line_height(d, th->tick_size);
	double H = r.h - tlh - 4;
	char b[64];

	/* Too many bars for their labels: keep the first ones and sum the rest. */
	size_t fit = (size_t)fmax(2, floor(H / (lh * 1.15)));
	if (!(data = data_fit(in, d->cfg, fit, &cut))) {
		dctx_nomem(d);   /* data_fit fails only for memory */
		return;
	}
	size_t nc = data->ncat, ns = data->nseries, nb = stacked ? 1 : ns;
	/* a few bars stay bars, not slabs: the band has a ceiling, the rest stays blank */
	double band = fmin(H / nc, lh * (nb > 1 ? 1.6 * nb + 1 : 3.2));
	H = band * nc;
	int lines = (int)fmax(1, fmin(3, floor(band * 0.95 / lh)));

	/* The label column is as wide as the longest label, up to theme.label_max. */
	double lw = 0, lwmax = r.w * th->label_max;
	for (size_t i = 0; i < nc; i++)
		lw = fmax(lw, tx_width(d, data->cats[i], th->label_size, 0));
	lw = fmin(lw, lwmax);
	double px = plot_left(d, r.x + lw + 8), pw = r.x + r.w - px;
	lw = px - 8 - r.x;            /* labels hug the axis of an aligned plot */
	if (pw < 20)
		goto out;
	double vmax = bar_max(data, stacked);
	ticks t = axis_ticks(vmax, (int)fmax(2, fmin(6, pw / 80)));
	double groupw = band * (1 - th->bar_gap), bw = groupw / nb;
	double vh = tx_line_height(d, th->value_size);
	int labels = d->cfg->value_labels && (vh <= bw + 2 || nb == 1);

	/* Room at the right for the widest value label past its bar. */
	double len = pw - axis_tick_label_width(d, t) / 2 - 1;
	if (labels)
		for (size_t i = 0; i < nc; i++)
			for (size_t j = 0; j < nb; j++) {
				double v = end_value(data, j, i, stacked);
				fmt_value(d, data, j, v, b, sizeof b);
				double w = tx_width(d, b, th->value_size, stacked);
				if (v > 0)
					len = fmin(len, (pw - w - 4) * t.max / v);
			}
	rect g = { px, r.y, pw, H };
	axis_value_grid(d, g, t, len, 1);

	for (size_t i = 0; i < nc; i++) {
		double gy = r.y + i * band + (band - groupw) / 2, acc = 0;
		PangoLayout *l = tx_layout(d, data->cats[i], th->label_size, 0, 0);
		tx_fit(l, lw, lines, TX_RIGHT);
		tx_draw(d, l, r.x + lw, r.y + (i + 0.5) * band, TX_RIGHT | TX_MIDDLE, th->text, 0);
		g_object_unref(l);
		for (size_t j = 0; j < ns; j++) {
			double v = val(data, j, i), wdt = v / t.max * len;
			double y = gy + (stacked ? 0 : j * bw), x0 = px + (stacked ? acc / t.max * len : 0);
			tl_rgb c = fill_color(d, data, i, ns > 1 ? j : 0);
			if (wdt > 0) {
				set_rgb(cr, c);
				cairo_rectangle(cr, x0, y, wdt, bw);
				cairo_fill(cr);
				if (stacked && d->cfg->value_labels)
					segment_label(d, data, j, v, c, x0 + wdt / 2, y + bw / 2, wdt, bw);
			}
			if (labels && !stacked) {
				fmt_value(d, data, j, v, b, sizeof b);
				tx_put(d, b, th->value_size, 0, th->text, x0 + wdt + 3, y + bw / 2, 0, 0,
				       TX_LEFT | TX_MIDDLE);
			}
			acc += v;
		}
		if (labels && stacked) {
			fmt_num(acc, b, sizeof b);
			tx_put(d, b, th->value_size, 1, th->text, px + acc / t.max * len + 3,
			       gy + bw / 2, 0, 0, TX_LEFT | TX_MIDDLE);
		}
	}
	set_rgb(cr, th->axis);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, px, r.y);
	cairo_line_to(cr, px, r.y + H);
	cairo_stroke(cr);
out:
	chart_data_free(cut);
}

void bar_draw(const dctx *d, const tl_chart_data *data, rect r)
{
	int stacked = d->cfg->stacked && data->nseries > 1;
	double tw = axis_tick_label_width(d, axis_ticks(bar_max(data, stacked), 5));
	if (want_horizontal(d, data, r.w - tw - 6))
		bar_horizontal(d, data, r, stacked);
	else
		bar_vertical(d, data, r, stacked);
}
