/* Value axes: round ticks from zero, numbers formatted for print, gridlines. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include "chart_int.h"

/* Steps of 1, 2, 2.5 and 5 times a power of ten read as round numbers; the axis
 * always starts at zero (bars must) and ends on the first tick at or above vmax.
 * Of the steps giving at most target + 1 intervals, the one ending closest above
 * vmax wins, so the bars use the height. Counts never get fractional ticks. */
ticks axis_ticks(double vmax, int target)
{
	static const double mult[] = { 1, 2, 2.5, 5 };
	ticks best = { 0, 0, 0 };
	if (target < 1)
		target = 1;
	if (!(vmax > 0) || !isfinite(vmax))
		vmax = 1;
	double mag = pow(10, floor(log10(vmax / (target + 1))) - 1);
	for (int e = 0; e < 4; e++, mag *= 10)
		for (int k = 0; k < 4; k++) {
			double step = mult[k] * mag;
			if (vmax >= 1 && step != floor(step))   /* counts: no 2.5 or 0.5 ticks */
				continue;
			int n = (int)ceil(vmax / step - 1e-9);
			if (n < 1)
				n = 1;
			if (n > target + 1 || (n < 2 && vmax >= 1 && step > 1))
				continue;
			if (best.n == 0 || n * step < best.max - 1e-9) {
				best.step = step;
				best.n = n;
				best.max = n * step;
			}
		}
	if (best.n == 0) {        /* cannot happen for finite vmax, but stay safe */
		best.step = vmax;
		best.n = 1;
		best.max = vmax;
	}
	return best;
}

/* Print's conventions on C's digits: a true minus sign (U+2212, as wide as the
 * plus) and thin spaces (U+2009) between thousands, which read in every language
 * where a comma or a point would mean a decimal to some readers. */
static void group_digits(char *s, size_t cap)
{
	char tmp[128];
	const char *p = s;
	size_t o = 0, nd;
	if (*p == '-') {
		memcpy(tmp, "\xe2\x88\x92", 3);
		o = 3;
		p++;
	}
	nd = strspn(p, "0123456789");
	for (size_t i = 0; i < nd && o < 80; i++) {
		if (i && (nd - i) % 3 == 0 && nd > 4) {   /* 1234 stays whole, 12 345 groups */
			memcpy(tmp + o, "\xe2\x80\x89", 3);
			o += 3;
		}
		tmp[o++] = p[i];
	}
	if (p[nd] == '.')          /* the reader's decimal sign */
		snprintf(tmp + o, sizeof tmp - o, "%s%s", tl_decimal_sign(), p + nd + 1);
	else
		snprintf(tmp + o, sizeof tmp - o, "%s", p + nd);
	snprintf(s, cap, "%s", tmp);
}

void fmt_num(double v, char *buf, size_t n)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "–");
		return;
	}
	double a = fabs(v);
	if (a >= 1e6) {
		snprintf(buf, n, "%.1fM", v / 1e6);
		char *dot = strstr(buf, ".0M");
		if (dot)
			memmove(dot, dot + 2, strlen(dot + 2) + 1);
		group_digits(buf, n);
		return;
	}
	if (fabs(v - round(v)) < 1e-9)
		snprintf(buf, n, "%.0f", v);
	else if (a < 10)
		snprintf(buf, n, "%.2g", v);
	else
		snprintf(buf, n, "%.1f", v);
	group_digits(buf, n);
}

void fmt_value(const dctx *d, const tl_chart_data *data, size_t j, double v, char *buf, size_t n)
{
	int f = j < data->nseries && data->series[j].format ? data->series[j].format
	                                                    : d->cfg->value_format;
	chart_format_value(v, f, buf, n);
}

void chart_format_value(double v, int f, char *buf, size_t n)
{
	fmt_num(v, buf, n);
	if (!isfinite(v))
		return;
	size_t len = strlen(buf);
	if ((f == TL_FMT_PERCENT || f == TL_FMT_CHANGE) && len + 2 < n)
		memcpy(buf + len++, "%", 2);
	if ((f == TL_FMT_SIGNED || f == TL_FMT_CHANGE) && v > 0 && len + 2 < n) {
		memmove(buf + 1, buf, len + 1);
		buf[0] = '+';
		len++;
	}
	/* In a right-to-left line the bidi algorithm puts a figure's sign and percent
	 * on the wrong side ("3+", "100%−"): a left-to-right isolate (U+2066 ... U+2069)
	 * keeps "+3" and "−100%" together as written. */
	if (tl_lang_rtl() && (f == TL_FMT_PERCENT || f == TL_FMT_SIGNED || f == TL_FMT_CHANGE || v < 0) && len + 7 < n) {
		memmove(buf + 3, buf, len + 1);
		memcpy(buf, "\xe2\x81\xa6", 3);
		memcpy(buf + len + 3, "\xe2\x81\xa9", 4);
	}
}

/* Colour tells series apart; with one series, "Other" is the one bar in grey. */
tl_rgb fill_color(const dctx *d, const tl_chart_data *data, size_t i, size_t j)
{
	if (data->other == i + 1 && data->nseries == 1)
		return d->th->other;
	return palette_color(d->th, j);
}

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* Date keys from the store are ISO ("2023-04", "2023-Q2"); readers expect "Apr 2023". */
void fmt_cat(const char *s, int by_date, int shortform, char *buf, size_t n)
{
	int y, m;
	char c;
	if (!s)
		s = "";
	/* another language: the C library's month names and the catalogs' formats
	 * (tl_date_words), capitalised to stand alone under a bar */
	if (by_date && strcmp(tl_lang(), "en") != 0 && strlen(s) == 7
	    && (sscanf(s, "%4d-%2d%c", &y, &m, &c) == 2 || sscanf(s, "%4d-Q%1d%c", &y, &m, &c) == 2)) {
		char w[128];
		int quarter = s[5] == 'Q';
		if (quarter ? m < 1 || m > 4 : m < 1 || m > 12) {
			snprintf(buf, n, "%s", s);
			return;
		}
		tl_date dt = quarter ? tl_date_make(y, (m - 1) * 3 + 1, 0, TL_PREC_QUARTER) : tl_date_make(y, m, 0, TL_PREC_MONTH);
		if (shortform && !quarter) {
			struct tm tm;
			memset(&tm, 0, sizeof tm);
			tm.tm_year = y - 1900;
			tm.tm_mon = m - 1;
			tm.tm_mday = 1;
			if (strftime(w, sizeof w, tl_gettext("%b"), &tm) == 0)
				snprintf(w, sizeof w, "%s", months[m - 1]);
		} else
			tl_date_words(dt, w, sizeof w);
		tl_capitalize(w, buf, n);
		return;
	}
	if (by_date && strlen(s) == 7 && sscanf(s, "%4d-%2d%c", &y, &m, &c) == 2 && m >= 1 && m <= 12) {
		if (shortform)
			snprintf(buf, n, "%s", months[m - 1]);
		else
			snprintf(buf, n, "%s %d", months[m - 1], y);
		return;
	}
	if (by_date && strlen(s) == 7 && sscanf(s, "%4d-Q%1d%c", &y, &m, &c) == 2) {
		if (shortform)
			snprintf(buf, n, "Q%d", m);
		else
			snprintf(buf, n, "Q%d %d", m, y);
		return;
	}
	snprintf(buf, n, "%s", s);
}

/* Ticks of a chart of percentages carry the sign too. */
static void fmt_tick(const dctx *d, double v, char *b, size_t n)
{
	fmt_num(v, b, n);
	if (d->cfg->value_format == TL_FMT_PERCENT && strlen(b) + 2 < n)
		strcat(b, "%");
}

double axis_tick_label_width(const dctx *d, ticks t)
{
	char b[64];
	double w = 0;
	for (int k = 0; k <= t.n; k++) {
		fmt_tick(d, k * t.step, b, sizeof b);
		double x = tx_width(d, b, d->th->tick_size, 0);
		if (x > w)
			w = x;
	}
	return w;
}

/* r's bottom edge (vertical axis) or left edge (horizontal axis) is the zero line;
 * gridlines span r across, and the tick labels sit outside r. */
void axis_value_grid(const dctx *d, rect r, ticks t, double axis_len, int horizontal)
{
	cairo_t *cr = d->cr;
	char b[64];
	cairo_save(cr);
	cairo_set_line_width(cr, 0.6);
	for (int k = 0; k <= t.n; k++) {
		double f = t.max > 0 ? k * t.step / t.max : 0;
		fmt_tick(d, k * t.step, b, sizeof b);
		if (horizontal) {
			double x = r.x + f * axis_len;
			set_rgb(cr, k == 0 ? d->th->axis : d->th->grid);
			cairo_move_to(cr, x, r.y);
			cairo_line_to(cr, x, r.y + r.h);
			cairo_stroke(cr);
			tx_put(d, b, d->th->tick_size, 0, d->th->muted, x, r.y + r.h + 3, 0, 0,
			       TX_CENTER | TX_TOP);
		} else {
			double y = r.y + r.h - f * axis_len;
			if (k > 0) {
				set_rgb(cr, d->th->grid);
				cairo_move_to(cr, r.x, y);
				cairo_line_to(cr, r.x + r.w, y);
				cairo_stroke(cr);
			}
			tx_put(d, b, d->th->tick_size, 0, d->th->muted, r.x - 5, y, 0, 0,
			       TX_RIGHT | TX_MIDDLE);
		}
	}
	cairo_restore(cr);
}

/* The year of an ISO date key, or 0. */
static int key_year(const char *s)
{
	int y;
	return s && sscanf(s, "%4d", &y) == 1 ? y : 0;
}

/* Category labels along a horizontal axis, centred under x0 + (i + 0.5) * band and
 * kept inside [lo, hi]. Dates print in full when they fit, else as "Apr" with the
 * year under the first label of each year, every k-th month. Other labels wrap
 * onto two lines in their band (wrap) or thin out to every k-th (no wrap).
 * Returns the height used; draws only when draw is set. */
double cat_axis(const dctx *d, const tl_chart_data *data, double x0, double band,
                double y, double lo, double hi, int draw, int wrap)
{
	const tl_theme *th = d->th;
	double sz = th->label_size, lh = tx_line_height(d, sz), wmax = 0, hmax = 0;
	size_t n = data->ncat, k = 1;
	char b[256];
	int shortform = 0;

	if (!wrap || data->by_date) {
		for (size_t i = 0; i < n; i++) {
			fmt_cat(data->cats[i], data->by_date, 0, b, sizeof b);
			double w = tx_width(d, b, sz, 0);
			if (w > wmax)
				wmax = w;
		}
		if (data->by_date && wmax + 6 > band) {
			shortform = 1;
			wmax = 0;
			for (size_t i = 0; i < n; i++) {
				fmt_cat(data->cats[i], 1, 1, b, sizeof b);
				double w = tx_width(d, b, sz, 0);
				if (w > wmax)
					wmax = w;
			}
		}
		if (!data->by_date && wmax > (hi - lo) / 3)
			wmax = (hi - lo) / 3;            /* labels get ellipsized to this */
		while (k < n && k * band < wmax * 1.25 + 6)
			k++;
		if (shortform) {    /* months step by divisors of a year, quarters of four */
			static const size_t mk[] = { 1, 2, 3, 4, 6, 12, 24, 36, 60, 120 };
			for (size_t i = 0; i < sizeof mk / sizeof mk[0]; i++)
				if (mk[i] >= k) { k = mk[i]; break; }
		}
	}
	int last_year = 0;
	for (size_t i = 0; i < n; i += k) {
		fmt_cat(data->cats[i], data->by_date, shortform, b, sizeof b);
		double cx = x0 + (i + 0.5) * band;
		PangoLayout *l = tx_layout(d, b, sz, 0, 0);
		double w, h;
		if (wrap && !data->by_date)
			tx_fit(l, band - 4, 2, TX_CENTER);
		else
			tx_fit(l, wmax + 1, 1, TX_CENTER);
		tx_size(l, &w, &h);
		if (cx - w / 2 < lo) cx = lo + w / 2;
		if (cx + w / 2 > hi) cx = hi - w / 2;
		if (draw)
			tx_draw(d, l, cx, y, TX_CENTER | TX_TOP, th->muted, 0);
		g_object_unref(l);
		if (shortform) {
			int yr = key_year(data->cats[i]);
			if (yr != last_year) {
				snprintf(b, sizeof b, "%d", yr);
				double yw = tx_width(d, b, sz, 0);
				double yx = cx;
				if (yx - yw / 2 < lo) yx = lo + yw / 2;
				if (yx + yw / 2 > hi) yx = hi - yw / 2;
				if (draw)
					tx_put(d, b, sz, 0, th->muted, yx, y + lh, 0, 0, TX_CENTER | TX_TOP);
				last_year = yr;
			}
			h = 2 * lh;
		}
		if (h > hmax)
			hmax = h;
	}
	return hmax;
}
