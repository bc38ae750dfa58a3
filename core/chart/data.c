/* Chart data: labels and series of numbers, independent of the store, and the
 * preparation (sorting, merging the tail into "Other") done before drawing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "chart_int.h"

tl_chart_data *chart_data_new(size_t ncat, size_t nseries)
{
	tl_chart_data *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->ncat = ncat;
	d->nseries = nseries;
	d->cats = calloc(ncat ? ncat : 1, sizeof *d->cats);
	d->series = calloc(nseries ? nseries : 1, sizeof *d->series);
	if (!d->cats || !d->series)
		goto fail;
	for (size_t i = 0; i < ncat; i++)
		if (!(d->cats[i] = strdup("")))
			goto fail;
	for (size_t j = 0; j < nseries; j++) {
		d->series[j].name = strdup("");
		d->series[j].values = calloc(ncat ? ncat : 1, sizeof(double));
		if (!d->series[j].name || !d->series[j].values)
			goto fail;
	}
	return d;
fail:
	chart_data_free(d);
	return NULL;
}

void chart_data_free(tl_chart_data *d)
{
	if (!d)
		return;
	if (d->cats)
		for (size_t i = 0; i < d->ncat; i++)
			free(d->cats[i]);
	if (d->series)
		for (size_t j = 0; j < d->nseries; j++) {
			free(d->series[j].name);
			free(d->series[j].values);
			free(d->series[j].least);
		}
	free(d->note);
	free(d->cats);
	free(d->series);
	free(d);
}

int chart_data_set_cat(tl_chart_data *d, size_t i, const char *label)
{
	char *s;
	if (i >= d->ncat || !(s = strdup(label ? label : "")))
		return -1;
	free(d->cats[i]);
	d->cats[i] = s;
	return 0;
}

int chart_data_set_series(tl_chart_data *d, size_t j, const char *name)
{
	char *s;
	if (j >= d->nseries || !(s = strdup(name ? name : "")))
		return -1;
	free(d->series[j].name);
	d->series[j].name = s;
	return 0;
}

tl_chart_data *chart_data_copy(const tl_chart_data *in)
{
	tl_chart_data *d = chart_data_new(in->ncat, in->nseries);
	if (!d)
		return NULL;
	d->by_date = in->by_date;
	d->other = in->other;
	d->multi = in->multi;
	d->items = in->items;
	if (in->note && !(d->note = strdup(in->note)))
		goto fail;
	for (size_t i = 0; i < in->ncat; i++)
		if (chart_data_set_cat(d, i, in->cats[i]))
			goto fail;
	for (size_t j = 0; j < in->nseries; j++) {
		if (chart_data_set_series(d, j, in->series[j].name))
			goto fail;
		d->series[j].format = in->series[j].format;
		if (in->ncat)
			memcpy(d->series[j].values, in->series[j].values, in->ncat * sizeof(double));
		if (in->series[j].least) {
			if (!(d->series[j].least = malloc((in->ncat + 1) * sizeof(double))))
				goto fail;
			memcpy(d->series[j].least, in->series[j].least, in->ncat * sizeof(double));
		}
	}
	return d;
fail:
	chart_data_free(d);
	return NULL;
}

/* Ties keep the input order; by the natural (chronological) index of each key. */
static int cmp_order(const void *a, const void *b, void *ctx)
{
	const size_t *x = a, *y = b;
	const uint32_t *order = ctx;
	if (order[*x] != order[*y])
		return order[*x] < order[*y] ? -1 : 1;
	return *x < *y ? -1 : *x > *y;
}

/* Appends msgid's form for n with {n} and {field} filled to buf (size cap, length *len). */
static void note_add(char *buf, size_t cap, size_t *len, const char *one, const char *many, int64_t n,
                     const char *field)
{
	const char *fmt = tl_ngettext(one, many, (unsigned long)n);
	if (*len && *len + 1 < cap)
		*len += (size_t)snprintf(buf + *len, cap - *len, "%s", tl_gettext(" "));
	for (const char *s = fmt; *s && *len + 24 < cap; ) {
		if (strncmp(s, "{n}", 3) == 0) {
			*len += (size_t)snprintf(buf + *len, cap - *len, "%lld", (long long)n);
			s += 3;
		} else if (strncmp(s, "{field}", 7) == 0) {
			*len += (size_t)snprintf(buf + *len, cap - *len, "%s", tl_gettext(field));
			s += 7;
		} else
			buf[(*len)++] = *s++;
	}
	buf[*len < cap ? *len : cap - 1] = 0;
}

const char *data_note(const tl_chart_data *d, int donut, char *buf, size_t n)
{
	size_t len = 0;
	double shown = 0;
	buf[0] = 0;
	for (size_t i = 0; donut && d->items > 0 && i < d->ncat; i++)
		shown += data_total(d, i);
	if (donut && shown > 0 && shown < d->items)
		note_add(buf, n, &len, "Shares are of the {n} item shown.", "Shares are of the {n} items shown.",
		         (int64_t)llround(shown), "");
	if (d->note && *d->note)
		snprintf(buf + len, n > len ? n - len : 0, "%s%s", len ? tl_gettext(" ") : "", d->note);
	return buf;
}

/* What a count leaves out or counts twice, in the reader's language; English keeps
 * the count room's own sentences (tl_counts_note), which tally count prints too. */
static const char *counts_note(const tl_counts *c, char *buf, size_t n)
{
	size_t len = 0;
	int64_t none = c->missing - c->coarse_quarter - c->coarse_year;
	if (strcmp(tl_lang(), "en") == 0)
		return tl_counts_note(c, buf, n);
	buf[0] = 0;
	if (c->coarse_quarter)
		note_add(buf, n, &len, "{n} item dated only to the quarter is in no {field}.",
		         "{n} items dated only to the quarter are in no {field}.", c->coarse_quarter, c->field);
	if (c->coarse_year)
		note_add(buf, n, &len, "{n} item dated only to the year is in no {field}.",
		         "{n} items dated only to the year are in no {field}.", c->coarse_year, c->field);
	if (none > 0 && c->by_date)
		note_add(buf, n, &len, "{n} item has no date.", "{n} items have no date.", none, c->field);
	else if (none > 0)
		note_add(buf, n, &len, "{n} item has no {field}.", "{n} items have no {field}.", none, c->field);
	if (c->list && c->mentions > tl_counts_items(c))
		note_add(buf, n, &len, "An item may name several, so the counts add up to more than the {n} item.",
		         "An item may name several, so the counts add up to more than the {n} items.",
		         tl_counts_items(c), c->field);
	else if (c->list && c->mentions > c->records)
		note_add(buf, n, &len, "An item may name several, so the counts add up to more than the {n} item that names one.",
		         "An item may name several, so the counts add up to more than the {n} items that name one.",
		         c->records, c->field);
	if (c->edge > 0)
		note_add(buf, n, &len, "{n} item is left out because its date (a month, quarter or year) is only partly inside the period asked for.",
		         "{n} items are left out because their dates (a month, quarter or year) are only partly inside the period asked for.",
		         c->edge, c->field);
	return buf;
}

/* The same for a cross-tab: what each margin leaves out or counts twice. */
static const char *xtab_note(const tl_xtab *x, char *buf, size_t n)
{
	char part[512];
	if (strcmp(tl_lang(), "en") == 0)
		return tl_xtab_note(x, buf, n);
	counts_note(x->rows, buf, n);
	if (*counts_note(x->cols, part, sizeof part)) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "%s%s", len ? tl_gettext(" ") : "", part);
	}
	return buf;
}

tl_chart_data *chart_data_from_counts(const tl_counts *c)
{
	if (!c)
		return NULL;
	tl_chart_data *d = chart_data_new(c->n, 1);
	size_t *idx = calloc(c->n ? c->n : 1, sizeof *idx);
	if (!d || !idx)
		goto fail;
	d->by_date = c->by_date;
	d->multi = c->list;
	d->items = (double)tl_counts_items(c);
	char note[1024];
	if (*counts_note(c, note, sizeof note) && !(d->note = strdup(note)))
		goto fail;
	if (c->least && !(d->series[0].least = calloc(c->n + 1, sizeof(double))))
		goto fail;
	for (size_t i = 0; i < c->n; i++)
		idx[i] = i;
	if (c->by_date && c->order)     /* time runs in order, whatever the counts' sort */
		qsort_r(idx, c->n, sizeof *idx, cmp_order, c->order);
	if (chart_data_set_series(d, 0, c->field ? c->field : "count"))
		goto fail;
	for (size_t i = 0; i < c->n; i++) {
		if (chart_data_set_cat(d, i, c->keys[idx[i]]))
			goto fail;
		d->series[0].values[i] = (double)c->counts[idx[i]];
		if (c->least)
			d->series[0].least[i] = (double)c->least[idx[i]];
	}
	free(idx);
	return d;
fail:
	free(idx);
	chart_data_free(d);
	return NULL;
}

tl_chart_data *chart_data_transpose(const tl_chart_data *in)
{
	tl_chart_data *d = chart_data_new(in->nseries, in->ncat);
	if (!d)
		return NULL;
	for (size_t j = 0; j < in->nseries; j++)
		if (chart_data_set_cat(d, j, in->series[j].name))
			goto fail;
	for (size_t i = 0; i < in->ncat; i++) {
		if (chart_data_set_series(d, i, in->cats[i]))
			goto fail;
		for (size_t j = 0; j < in->nseries; j++)
			d->series[i].values[j] = in->series[j].values[i];
	}
	d->by_date = chart_labels_are_dates(d->cats, d->ncat);
	if (in->note && !(d->note = strdup(in->note)))
		goto fail;
	return d;
fail:
	chart_data_free(d);
	return NULL;
}

int chart_labels_are_dates(char *const *labels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = labels[i];
		int y, m;
		char c;
		size_t len = strlen(s);
		if (len == 4 && sscanf(s, "%4d%c", &y, &c) == 1)
			continue;
		if (len == 7 && (sscanf(s, "%4d-%2d%c", &y, &m, &c) == 2
		                 || sscanf(s, "%4d-Q%1d%c", &y, &m, &c) == 2))
			continue;
		return 0;
	}
	return n > 0;
}

tl_chart_data *chart_data_from_xtab(const tl_xtab *x)
{
	if (!x || !x->rows || !x->cols)
		return NULL;
	size_t nr = x->rows->n, nc = x->cols->n;
	tl_chart_data *d = chart_data_new(nr, nc);
	if (!d)
		return NULL;
	d->by_date = x->rows->by_date;
	d->multi = x->rows->list;
	d->items = (double)tl_counts_items(x->rows);
	char note[1024];
	if (*xtab_note(x, note, sizeof note) && !(d->note = strdup(note)))
		goto fail;
	for (size_t i = 0; i < nr; i++)
		if (chart_data_set_cat(d, i, x->rows->keys[i]))
			goto fail;
	for (size_t j = 0; j < nc; j++) {
		if (chart_data_set_series(d, j, x->cols->keys[j]))
			goto fail;
		if (x->least_rows && !(d->series[j].least = calloc(nr + 1, sizeof(double))))
			goto fail;
		for (size_t i = 0; i < nr; i++) {
			d->series[j].values[i] = (double)x->cells[i * nc + j];
			if (x->least_rows)
				d->series[j].least[i] = (double)x->least_rows[i * nc + j];
		}
	}
	return d;
fail:
	chart_data_free(d);
	return NULL;
}

double data_total(const tl_chart_data *d, size_t cat)
{
	double s = 0;
	for (size_t j = 0; j < d->nseries; j++)
		if (isfinite(d->series[j].values[cat]))
			s += d->series[j].values[cat];
	return s;
}

/* ---- preparation ------------------------------------------------------------ */

typedef struct sortkey { size_t i; double v; const char *label; } sortkey;

/* Ties keep the input order so that the output does not depend on qsort. */
static int cmp_key(const void *a, const void *b, void *mode)
{
	const sortkey *x = a, *y = b;
	tl_sort sort_mode = *(const tl_sort *)mode;
	int c = 0;
	if (sort_mode == TL_SORT_LABEL)
		c = strcmp(x->label, y->label);
	else if (x->v != y->v)
		c = (x->v < y->v ? -1 : 1) * (sort_mode == TL_SORT_DESC ? -1 : 1);
	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* When in has more than fit categories, a copy cut by the one top N (at most
 * fit-1 named, never inside a tie, the rest as "Other (k values)") keeping their
 * order, stored in *cut; otherwise in itself. NULL when out of memory. The
 * caller frees *cut. */
const tl_chart_data *data_fit(const tl_chart_data *in, const tl_chart_cfg *cfg, size_t fit, tl_chart_data **cut)
{
	tl_chart_cfg keep = *cfg;
	*cut = NULL;
	if (in->ncat <= fit)
		return in;
	keep.sort = TL_SORT_NONE;
	keep.type = TL_CHART_BAR;   /* cut whatever the type: it must fit */
	return *cut = data_prepare(in, &keep, fit > 1 ? fit - 1 : 1);
}

/* A drawable copy of in. With limit > 0, the categories are chosen as top N is
 * everywhere (tl_top_keep on the totals: at most limit named, never cut inside a
 * tie, the rest one "Other (k values)" when k >= 2, counting a list field's
 * items once through the series' least); then ordered by cfg->sort (none: the
 * data's order), Other last. Lines keep every category. */
tl_chart_data *data_prepare(const tl_chart_data *in, const tl_chart_cfg *cfg, size_t limit)
{
	size_t n = in->ncat, keep = n;
	tl_sort mode = cfg->type == TL_CHART_LINE ? TL_SORT_NONE : cfg->sort, desc = TL_SORT_DESC;
	sortkey *k = calloc(n ? n : 1, sizeof *k);
	int64_t *v = calloc(n + 1, sizeof *v);
	unsigned char *kept = calloc(n + 1, 1);
	tl_chart_data *d = NULL;
	if (!k || !v || !kept)
		goto out;
	for (size_t i = 0; i < n; i++)
		k[i] = (sortkey){ i, data_total(in, i), in->cats[i] };
	/* only counts rank and fold; changes and percentages keep the data's order
	 * and are cut after the first limit - 1 (their sum means nothing as a count) */
	int counts = 1;
	for (size_t j = 0; j < in->nseries; j++)
		counts &= in->series[j].format == TL_FMT_AUTO || in->series[j].format == TL_FMT_NUMBER;
	if (limit > 0 && n > limit && !counts)
		keep = limit > 1 ? limit - 1 : 1;
	else if (limit > 0 && n > limit && cfg->type != TL_CHART_LINE) {
		qsort_r(k, n, sizeof *k, cmp_key, &desc);
		for (size_t i = 0; i < n; i++)
			v[i] = (int64_t)llround(k[i].v);
		keep = tl_top_keep(v, n, limit);
		for (size_t i = 0; i < keep; i++)
			kept[k[i].i] = 1;
		/* the kept ones first in the data's order, then the folded ones */
		size_t a = 0, b = keep;
		for (size_t i = 0; i < n; i++)
			k[kept[i] ? a++ : b++] = (sortkey){ i, data_total(in, i), in->cats[i] };
	}
	if (mode != TL_SORT_NONE)
		qsort_r(k, keep, sizeof *k, cmp_key, &mode);
	size_t outn = keep + (keep < n);
	if (!(d = chart_data_new(outn, in->nseries)))
		goto out;
	d->by_date = in->by_date && keep == n;
	d->multi = in->multi;
	d->items = in->items;
	if (in->note && !(d->note = strdup(in->note)))
		goto fail;
	for (size_t j = 0; j < in->nseries; j++) {
		if (chart_data_set_series(d, j, in->series[j].name))
			goto fail;
		d->series[j].format = in->series[j].format;
	}
	for (size_t i = 0; i < keep; i++) {
		if (chart_data_set_cat(d, i, in->cats[k[i].i]))
			goto fail;
		if (in->other == k[i].i + 1)
			d->other = i + 1;
		for (size_t j = 0; j < in->nseries; j++)
			d->series[j].values[i] = in->series[j].values[k[i].i];
	}
	if (keep < n) {
		char label[64];
		/* "{n}" rather than a printf format: a catalog cannot break the call */
		const char *fmt = tl_ngettext("Other ({n} values)", "Other ({n} values)", (unsigned long)(n - keep));
		const char *at = strstr(fmt, "{n}");
		if (at)
			snprintf(label, sizeof label, "%.*s%zu%s", (int)(at - fmt), fmt, n - keep, at + 3);
		else
			snprintf(label, sizeof label, "%s", fmt);
		if (chart_data_set_cat(d, keep, label))
			goto fail;
		d->other = keep + 1;
		for (size_t j = 0; j < in->nseries; j++) {
			/* a list field's folded items once each, else the sum */
			const double *from = in->series[j].least ? in->series[j].least : in->series[j].values;
			double s = 0;
			for (size_t i = keep; i < n; i++)
				if (isfinite(from[k[i].i]))
					s += from[k[i].i];
			d->series[j].values[keep] = s;
		}
	}
	goto out;
fail:
	chart_data_free(d);
	d = NULL;
out:
	free(k);
	free(v);
	free(kept);
	return d;
}
