/* Donut charts: shares of a whole, largest first from twelve o'clock, with the
 * total in the hole and a legend table (name, value, share) beside the ring. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include "chart_int.h"

/* More slices than colours cannot be told apart: the tail becomes "Other". The
 * values of all series are summed per category. */
void donut_draw(const dctx *d, const tl_chart_data *in, rect r)
{
	const tl_theme *th = d->th;
	cairo_t *cr = d->cr;
	tl_chart_data *cut = NULL;
	const tl_chart_data *data = in;
	size_t maxslices = th->npalette ? th->npalette : 8;
	if (maxslices > 8)
		maxslices = 8;
	if (!(data = data_fit(in, d->cfg, maxslices, &cut))) {
		dctx_nomem(d);   /* data_fit fails only for memory */
		return;
	}
	size_t n = data->ncat;
	double total = 0;
	char b[64], pct[32];
	for (size_t i = 0; i < n; i++)
		total += data_total(data, i);
	/* the shares shown add up to 100% (largest remainder), whole percents */
	int64_t *iv = malloc((n + 1) * sizeof *iv);
	double *share = malloc((n + 1) * sizeof *share);
	if (!iv || !share) {
		dctx_nomem(d);
		free(iv);
		free(share);
		chart_data_free(cut);
		return;
	}
	for (size_t i = 0; i < n; i++)
		iv[i] = (int64_t)llround(data_total(data, i));
	tl_round_shares(iv, n, (int64_t)llround(total), 0, share);
	free(iv);

	/* The legend goes beside the ring when there is width for it, else below. */
	double rowh = tx_line_height(d, th->legend_size) * 1.55;
	double vw = 0, pw = tx_width(d, "100%", th->legend_size, 0), namemax = 0;
	for (size_t i = 0; i < n; i++) {
		fmt_num(data_total(data, i), b, sizeof b);
		vw = fmax(vw, tx_width(d, b, th->legend_size, 1));
		namemax = fmax(namemax, tx_width(d, data->cats[i], th->legend_size, 0));
	}
	double fixed = 14 + 12 + vw + 12 + pw;       /* swatch, gaps, value, share */
	double R = fmin(r.h / 2, r.w * 0.22);
	/* beside only when the names get the width the legend below would draw them in
	 * (the same sum as lw and namew there: a name column under 20 points is dropped) */
	int below = r.w - 2 * R - 28 - fixed < fmax(20, fmin(namemax + 4, 60));
	double lx, lw, ly;
	if (below) {
		if (rowh * n > r.h * 0.6)
			rowh = r.h * 0.6 / n;
		R = fmin(r.w / 2, (r.h - rowh * n - 8) / 2);
		lx = r.x;
		lw = r.w;
		ly = r.y + r.h - rowh * n;
	} else {
		if (rowh * n > r.h)
			rowh = r.h / n;
		lx = r.x + 2 * R + 28;
		lw = r.x + r.w - lx;
		ly = r.y + r.h / 2 - rowh * n / 2;
	}
	double hole = R * fmin(0.9, fmax(0, d->cfg->donut_hole));
	double cx = below ? r.x + r.w / 2 : r.x + R + 4, cy = below ? r.y + R : r.y + r.h / 2;

	/* the ring */
	double a = -M_PI / 2;
	for (size_t i = 0; i < n && total > 0 && R >= 10; i++) {
		double v = data_total(data, i), a1 = a + 2 * M_PI * v / total;
		if (v <= 0)
			continue;
		cairo_new_path(cr);
		cairo_arc(cr, cx, cy, R, a, a1);
		cairo_arc_negative(cr, cx, cy, hole, a1, a);
		cairo_close_path(cr);
		tl_rgb fill = data->other == i + 1 ? th->other : palette_color(th, i);
		set_rgb(cr, fill);
		cairo_fill_preserve(cr);
		set_rgb(cr, th->background);
		cairo_set_line_width(cr, n > 1 ? 1.2 : 0);
		if (n > 1)
			cairo_stroke(cr);
		cairo_new_path(cr);
		/* the share inside the ring when the arc has room for it */
		if (d->cfg->value_labels) {
			double mid = (a + a1) / 2, rm = (R + hole) / 2;
			snprintf(pct, sizeof pct, "%.0f%%", share[i]);
			double tw = tx_width(d, pct, th->value_size, 1), vh = tx_line_height(d, th->value_size);
			if ((a1 - a) * rm > tw + 6 && R - hole > fmax(tw, vh) + 4)
				tx_put(d, pct, th->value_size, 1, text_on(fill),
				       cx + rm * cos(mid), cy + rm * sin(mid), 0, 0, TX_CENTER | TX_MIDDLE);
		}
		a = a1;
	}
	if (total <= 0 && R >= 10) {
		cairo_arc(cr, cx, cy, R, 0, 2 * M_PI);
		cairo_arc_negative(cr, cx, cy, hole, 2 * M_PI, 0);
		set_rgb(cr, th->grid);
		cairo_fill(cr);
	}
	/* the total in the hole, shrunk until it fits */
	fmt_num(total, b, sizeof b);
	double ts = th->title_size * 1.2;
	while (ts > 6 && tx_width(d, b, ts, 1) > hole * 1.6)
		ts -= 1;
	double lh = tx_line_height(d, ts), sh = tx_line_height(d, th->note_size);
	if (hole > 12 && R >= 10) {
		tx_put(d, b, ts, 1, th->text, cx, cy - (lh + sh) / 2, 0, 0, TX_CENTER | TX_TOP);
		tx_put(d, tl_gettext("Total"), th->note_size, 0, th->muted, cx, cy - (lh + sh) / 2 + lh, hole * 1.6, 1,
		       TX_CENTER | TX_TOP);
	}

	/* the legend table: swatch, name, value, share */
	double namew = fmin(lw - fixed, fmax(namemax + 4, 60));
	if (namew < 20)
		goto out;
	double y0 = ly;
	for (size_t i = 0; i < n; i++) {
		double y = y0 + (i + 0.5) * rowh, v = data_total(data, i);
		set_rgb(cr, data->other == i + 1 ? th->other : palette_color(th, i));
		cairo_rectangle(cr, lx, y - 5, 10, 10);
		cairo_fill(cr);
		tx_put(d, data->cats[i], th->legend_size, 0, th->text, lx + 14, y, namew, 1,
		       TX_LEFT | TX_MIDDLE);
		fmt_num(v, b, sizeof b);
		double xv = lx + 14 + namew + 12 + vw;
		tx_put(d, b, th->legend_size, 1, th->text, xv, y, 0, 0, TX_RIGHT | TX_MIDDLE);
		snprintf(pct, sizeof pct, "%.0f%%", share[i]);
		if (total > 0 && v > 0 && share[i] < 0.5)
			snprintf(pct, sizeof pct, "<1%%");
		tx_put(d, pct, th->legend_size, 0, th->muted, xv + 12 + pw, y, 0, 0, TX_RIGHT | TX_MIDDLE);
	}
out:
	free(share);
	chart_data_free(cut);
}
