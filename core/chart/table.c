/* Table blocks: the numbers behind a chart, set like a newspaper table: a bold
 * header over a rule, right-aligned figures, light banding, "Other" for the
 * rows that do not fit. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include "chart_int.h"

/* A rule across the table at y. */
static void hrule(cairo_t *cr, tl_rgb colour, double width, double x, double y, double w)
{
	set_rgb(cr, colour);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + w, y);
	cairo_stroke(cr);
}

/* Totals add counts: a table of percentages or changes has none unless asked. */
static int table_totals(const dctx *d, const tl_chart_data *data)
{
	int counts = 1;
	for (size_t j = 0; j < data->nseries; j++) {
		int f = data->series[j].format ? data->series[j].format : d->cfg->value_format;
		counts &= f == TL_FMT_AUTO || f == TL_FMT_NUMBER;
	}
	return d->cfg->totals < 0 ? counts : d->cfg->totals;
}

/* The base of a one-series table's shares: the items counted when the data
 * knows them (a list field's rows add up to more, rows with no value to less),
 * else the sum of the rows. */
static double share_base(const tl_chart_data *data, double total)
{
	return data->items > 0 ? data->items : total;
}

/* Shares of the rows, rounded so that parts making the whole add up to 100.0. */
static double *row_shares(const tl_chart_data *data, double total)
{
	size_t n = data->ncat;
	int64_t *v = malloc((n + 1) * sizeof *v);
	double *pct = malloc((n + 1) * sizeof *pct);
	if (!v || !pct) {
		free(v);
		free(pct);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (int64_t)llround(data_total(data, i));
	tl_round_shares(v, n, (int64_t)llround(share_base(data, total)), 1, pct);
	free(v);
	return pct;
}

/* Cell text of column k (0 = label) in row i; row == ncat is the total row, which
 * for a one-series count is all the items counted. pct: the rows' shares, or NULL. */
static void cell(const dctx *d, const tl_chart_data *data, size_t i, size_t k, size_t ncolv,
                 double total, const double *pct, char *b, size_t n)
{
	size_t ns = data->nseries;
	double v, base = share_base(data, total);
	if (ns == 1 && k == 2) {
		v = i < data->ncat ? data_total(data, i) : base;
		chart_format_value(i < data->ncat && pct ? pct[i] : base > 0 ? 100 * v / base : 0, TL_FMT_PERCENT, b, n);
		return;
	}
	if (i == data->ncat && ns == 1 && data->items > 0) {
		fmt_value(d, data, 0, data->items, b, n);
		return;
	}
	if (i == data->ncat) {        /* totals */
		v = 0;
		for (size_t r = 0; r < data->ncat; r++)
			v += k - 1 < ns ? (isfinite(data->series[k - 1].values[r]) ? data->series[k - 1].values[r] : 0)
			               : data_total(data, r);
	} else
		v = k - 1 < ns ? data->series[k - 1].values[i] : data_total(data, i);
	(void)ncolv;
	fmt_value(d, data, k - 1, v, b, n);
}

void table_draw(const dctx *d, const tl_chart_data *in, rect r)
{
	const tl_theme *th = d->th;
	cairo_t *cr = d->cr;
	const tl_chart_data *data = in;
	tl_chart_data *cut = NULL;
	size_t ns = in->nseries;
	int totals_on = table_totals(d, in);
	/* value columns: count and share, or the series and their total */
	size_t ncolv = ns == 1 ? (totals_on ? 2 : 1) : ns + (size_t)totals_on;
	double *colw = calloc(ncolv + 1, sizeof *colw), *pct = NULL;
	char b[128];
	if (!colw) {
		dctx_nomem(d);
		return;
	}

	/* The type size shrinks (to 6 points) until the figures fit the width. */
	double sz = th->label_size;
	double rowh = 0, total = 0;
	for (;;) {
		double need = 0;
		for (size_t k = 1; k <= ncolv; k++) {
			const char *h = ns == 1 ? (k == 1 ? (in->items > 0 ? tl_gettext("Items") : tl_gettext("Count")) : tl_gettext("Share"))
			                        : (k <= ns ? in->series[k - 1].name : tl_gettext("Total"));
			colw[k] = fmin(tx_width(d, h, sz, 1), 90);
			for (size_t i = 0; i < in->ncat + (size_t)totals_on; i++) {
				cell(d, in, i, k, ncolv, 0, NULL, b, sizeof b);
				colw[k] = fmax(colw[k], tx_width(d, b, sz, i == in->ncat));
			}
			colw[k] += sz * 1.6;
			need += colw[k];
		}
		if (need <= r.w * 0.75 || sz <= 6)
			break;
		sz = fmax(6, sz * fmax(0.5, r.w * 0.75 / need));
	}
	rowh = tx_line_height(d, sz) * 1.5;

	/* rows that fit under the header, with a total row when there is room */
	size_t fit = (size_t)fmax(1, floor(r.h / rowh) - 2);
	if (!(data = data_fit(in, d->cfg, fit, &cut))) {
		dctx_nomem(d);   /* data_fit fails only for memory */
		goto out;
	}
	size_t nrow = data->ncat;
	for (size_t i = 0; i < nrow; i++)
		total += data_total(data, i);
	int totals = totals_on && data->ncat > 1 && (nrow + 2) * rowh <= r.h;
	pct = ns == 1 ? row_shares(data, total) : NULL;
	if (ns == 1 && !pct)
		dctx_nomem(d);   /* the share column would be left out */

	double valw = 0;
	for (size_t k = 1; k <= ncolv; k++)
		valw += colw[k];
	double labw = 0;
	for (size_t i = 0; i < nrow; i++)
		labw = fmax(labw, tx_width(d, data->cats[i], sz, 0));
	labw = fmin(labw + sz, fmax(r.w - valw, r.w * 0.25));
	double tw = fmin(r.w, labw + valw), x0 = r.x, y = r.y;

	/* header */
	char lab0[128] = "";
	/* the label column is headed by the field counted; data with no field (a Lua
	 * list, whose one series is called "count") leaves it blank, not "Count" */
	if (ns == 1 && strcmp(in->series[0].name, "count") != 0)   /* a field's label, as a heading */
		tl_capitalize(tl_gettext(in->series[0].name), lab0, sizeof lab0);
	PangoLayout *l = tx_layout(d, lab0, sz, 1, 0);
	tx_fit(l, labw - 4, 1, TX_LEFT);
	tx_draw(d, l, x0, y + rowh / 2, TX_LEFT | TX_MIDDLE, th->text, 0);
	g_object_unref(l);
	/* figures stay flush right in a mirrored (right-to-left) table too, so
	 * that units line up under units: anchored at the cell's other side, which
	 * the mirror puts on the right */
	int rtl = tx_mirrored(cr);
	double x = x0 + labw;
	for (size_t k = 1; k <= ncolv; k++) {
		const char *h = ns == 1 ? (k == 1 ? tl_gettext("Count") : tl_gettext("Share"))
		                        : (k <= ns ? data->series[k - 1].name : tl_gettext("Total"));
		if (ns == 1 && k == 1 && data->items > 0)
			h = tl_gettext("Items");
		x += colw[k];
		tx_put(d, h, sz, 1, th->text, rtl ? x - colw[k] + sz * 0.4 : x - sz * 0.4, y + rowh / 2,
		       colw[k] - sz * 0.8, 1, (rtl ? TX_LEFT : TX_RIGHT) | TX_MIDDLE);
	}
	y += rowh;
	hrule(cr, th->axis, 1, x0, y, tw);

	for (size_t i = 0; i < nrow + (size_t)totals; i++) {
		int is_total = i == nrow;
		if (i % 2 == 1 && !is_total) {
			set_rgb(cr, mix_rgb(th->background, th->grid, 0.35));
			cairo_rectangle(cr, x0, y, tw, rowh);
			cairo_fill(cr);
		}
		if (is_total) {
			hrule(cr, th->axis, 0.6, x0, y, tw);
		}
		l = tx_layout(d, is_total ? (ns == 1 && data->items > 0 ? tl_gettext("All items") : tl_gettext("Total"))
		                          : data->cats[i], sz, is_total, 0);
		tx_fit(l, labw - sz * 0.6, 1, TX_LEFT);
		tx_draw(d, l, x0 + sz * 0.3, y + rowh / 2, TX_LEFT | TX_MIDDLE, th->text, 0);
		g_object_unref(l);
		x = x0 + labw;
		for (size_t k = 1; k <= ncolv; k++) {
			cell(d, data, i, k, ncolv, total, pct, b, sizeof b);
			x += colw[k];
			tx_put(d, b, sz, is_total, ns == 1 && k == 2 ? th->muted : th->text,
			       rtl ? x - colw[k] + sz * 0.4 : x - sz * 0.4, y + rowh / 2, 0, 0,
			       (rtl ? TX_LEFT : TX_RIGHT) | TX_MIDDLE);
		}
		y += rowh;
	}
	hrule(cr, th->axis, 1, x0, y, tw);
out:
	chart_data_free(cut);
	free(colw);
	free(pct);
}
