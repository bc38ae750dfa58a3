/* What the numbers mean, in one place: top N, Other, shares that add up to 100,
 * and the sentences that say what a count leaves out or counts twice. The CLI,
 * the Lua bindings and the charts all go through these, so that "the top 5" and
 * "Other" mean the same thing everywhere (README, "What the numbers mean"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/count.h"

/* At most n named rows, never cut inside a tie: when the n-th value equals the
 * next, stop above both. A single leftover is named rather than folded, since
 * "Other (1 value)" hides a name for no room saved. */
size_t tl_top_keep(const int64_t *desc, size_t len, size_t n)
{
	size_t keep = n;
	if (n >= len)
		return len;
	while (keep > 0 && desc[keep - 1] == desc[n])
		keep--;
	return len - keep == 1 ? len : keep;
}

/* Row order largest first, ties by key (as tl_counts_sort_count). */
struct by { const int64_t *vals; char *const *keys; };

static int cmp_desc(const void *a, const void *b, void *ctx)
{
	const struct by *by = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (by->vals[i] != by->vals[j])
		return by->vals[i] > by->vals[j] ? -1 : 1;
	return strcmp(by->keys[i], by->keys[j]);
}

/* The permutation of vals largest first, how many to keep (*keep) and how many
 * are not zero (*len: a top ranks what occurs, so the zero rows of a date part
 * are neither named nor folded); NULL when out of memory. */
static size_t *top_order(const int64_t *vals, char *const *keys, size_t *len_io, size_t n, size_t *keep)
{
	size_t len = *len_io;
	size_t *ix = malloc((len ? len : 1) * sizeof *ix);
	int64_t *sorted = malloc((len ? len : 1) * sizeof *sorted);
	if (!ix || !sorted) {
		free(ix);
		free(sorted);
		return NULL;
	}
	for (size_t i = 0; i < len; i++)
		ix[i] = i;
	struct by by = { vals, keys };
	qsort_r(ix, len, sizeof *ix, cmp_desc, &by);
	for (size_t i = 0; i < len; i++)
		sorted[i] = vals[ix[i]];
	while (len > 0 && sorted[len - 1] == 0)
		len--;
	*len_io = len;
	*keep = tl_top_keep(sorted, len, n);
	free(sorted);
	return ix;
}

static char *other_label(const char *other, size_t k)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s (%zu values)", other ? other : "Other", k);
	return strdup(buf);
}

tl_counts *tl_counts_top(const tl_counts *c, size_t n, const char *other)
{
	size_t len = c->n, keep, *ix = top_order(c->counts, c->keys, &len, n, &keep);
	size_t rows = keep + (keep < len);
	tl_counts *t = calloc(1, sizeof *t);
	if (!ix || !t)
		goto fail;
	*t = *c;
	t->n = 0;
	t->keys = calloc(rows + 1, sizeof *t->keys);
	t->counts = calloc(rows + 1, sizeof *t->counts);
	t->order = calloc(rows + 1, sizeof *t->order);
	t->least = c->least ? calloc(rows + 1, sizeof *t->least) : NULL;
	t->field = strdup(c->field);
	if (!t->keys || !t->counts || !t->order || !t->field || (c->least && !t->least))
		goto fail;
	for (size_t i = 0; i < keep; i++, t->n++) {
		if (!(t->keys[i] = strdup(c->keys[ix[i]])))
			goto fail;
		t->counts[i] = c->counts[ix[i]];
		t->order[i] = c->order[ix[i]];
		if (t->least)
			t->least[i] = c->least[ix[i]];
	}
	if (keep < len) {
		/* the folded keys are every key at or below a count (the cut is never
		 * inside a tie), so the items whose least-counted key is among them are
		 * exactly the items naming any of them */
		int64_t sum = 0;
		for (size_t i = keep; i < len; i++)
			sum += c->least ? c->least[ix[i]] : c->counts[ix[i]];
		if (!(t->keys[keep] = other_label(other, len - keep)))
			goto fail;
		t->counts[keep] = sum;
		t->order[keep] = UINT32_MAX;
		if (t->least)
			t->least[keep] = sum;
		t->n++;
	}
	t->by_date = c->by_date && keep == len;
	free(ix);
	return t;
fail:
	free(ix);
	tl_counts_free(t);
	return NULL;
}

tl_xtab *tl_xtab_top(const tl_xtab *x, size_t n, const char *other)
{
	size_t nr = x->rows->n, nc = x->cols->n, keep, *ix = NULL;
	int64_t *sums = calloc(nr + 1, sizeof *sums);
	tl_xtab *y = calloc(1, sizeof *y);
	tl_counts *rows = NULL;
	if (!sums || !y)
		goto fail;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++)
			sums[i] += x->cells[i * nc + j];
	size_t len = nr;
	if (!(ix = top_order(sums, x->rows->keys, &len, n, &keep)))
		goto fail;
	/* the rows margin, cut the same way: a Counts of the row sums' order */
	size_t outn = keep + (keep < len);
	y->cells = calloc(outn * nc + 1, sizeof *y->cells);
	if (x->least_rows && !(y->least_rows = calloc(outn * nc + 1, sizeof *y->least_rows)))
		goto fail;
	if (x->least_cols && !(y->least_cols = calloc(outn * nc + 1, sizeof *y->least_cols)))
		goto fail;
	if (!y->cells || !(rows = calloc(1, sizeof *rows)))
		goto fail;
	*rows = *x->rows;
	rows->n = 0;
	rows->keys = calloc(outn + 1, sizeof *rows->keys);
	rows->counts = calloc(outn + 1, sizeof *rows->counts);
	rows->order = calloc(outn + 1, sizeof *rows->order);
	rows->least = NULL;
	rows->field = strdup(x->rows->field);
	y->rows = rows;
	if (!rows->keys || !rows->counts || !rows->order || !rows->field)
		goto fail;
	for (size_t i = 0; i < keep; i++, rows->n++) {
		if (!(rows->keys[i] = strdup(x->rows->keys[ix[i]])))
			goto fail;
		rows->counts[i] = x->rows->counts[ix[i]];
		rows->order[i] = x->rows->order[ix[i]];
		memcpy(y->cells + i * nc, x->cells + ix[i] * nc, nc * sizeof *y->cells);
		if (y->least_rows)
			memcpy(y->least_rows + i * nc, x->least_rows + ix[i] * nc, nc * sizeof *y->cells);
		if (y->least_cols)
			memcpy(y->least_cols + i * nc, x->least_cols + ix[i] * nc, nc * sizeof *y->cells);
	}
	if (keep < len) {
		if (!(rows->keys[keep] = other_label(other, len - keep)))
			goto fail;
		rows->order[keep] = UINT32_MAX;
		for (size_t i = keep; i < len; i++) {
			rows->counts[keep] += x->rows->counts[ix[i]];   /* a margin of mentions: see below */
			for (size_t j = 0; j < nc; j++) {
				const int64_t *g = x->least_rows ? x->least_rows : x->cells;
				y->cells[keep * nc + j] += g[ix[i] * nc + j];
				if (y->least_rows)
					y->least_rows[keep * nc + j] += x->least_rows[ix[i] * nc + j];
				if (y->least_cols)   /* columns keep their own least: summed along the fold */
					y->least_cols[keep * nc + j] += x->least_cols[ix[i] * nc + j];
			}
		}
		if (x->least_rows) {   /* Other's margin: its items once, from its cells' items */
			rows->counts[keep] = 0;
			for (size_t j = 0; j < nc; j++)
				rows->counts[keep] += y->cells[keep * nc + j];
		}
		rows->n++;
	}
	rows->by_date = x->rows->by_date && keep == len;
	if (!(y->cols = calloc(1, sizeof *y->cols)))
		goto fail;
	*y->cols = *x->cols;
	y->cols->n = 0;
	y->cols->keys = calloc(nc + 1, sizeof *y->cols->keys);
	y->cols->counts = calloc(nc + 1, sizeof *y->cols->counts);
	y->cols->order = calloc(nc + 1, sizeof *y->cols->order);
	y->cols->least = NULL;
	y->cols->field = strdup(x->cols->field);
	if (!y->cols->keys || !y->cols->counts || !y->cols->order || !y->cols->field)
		goto fail;
	for (size_t j = 0; j < nc; j++, y->cols->n++) {
		if (!(y->cols->keys[j] = strdup(x->cols->keys[j])))
			goto fail;
		y->cols->counts[j] = x->cols->counts[j];
		y->cols->order[j] = x->cols->order[j];
	}
	free(ix);
	free(sums);
	return y;
fail:
	free(ix);
	free(sums);
	tl_xtab_free(y);
	return NULL;
}

/* Largest remainder (Hamilton): floor every share in units of 10^-decimals
 * percent, then hand the units still missing to the largest remainders. Equal
 * counts always show equal shares: a tie the units left cannot cover (thirds:
 * one unit for three parts) is rounded alike, to the nearest, and the handing out
 * stops there, so the sum may miss 100 by the rounding of that tie. Parts that
 * are not the whole (some items have no value, or several) are only rounded. */
void tl_round_shares(const int64_t *v, size_t n, int64_t total, int decimals, double *pct)
{
	double unit = pow(10, decimals), whole = 100 * unit;
	int64_t sum = 0, given = 0;
	double *rem = malloc((n ? n : 1) * sizeof *rem);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	for (size_t i = 0; i < n; i++) {
		double exact = total > 0 ? whole * (double)v[i] / (double)total : 0;
		pct[i] = sum == total && rem ? floor(exact) : floor(exact + 0.5);
		given += (int64_t)pct[i];
		if (rem)
			rem[i] = exact - pct[i];
	}
	int64_t left = sum == total && total > 0 && rem ? (int64_t)whole - given : 0;
	while (left > 0) {
		size_t best = n, tie = 0;
		for (size_t i = 0; i < n; i++)
			if (rem[i] > 0 && (best == n || rem[i] > rem[best]))
				best = i;
		if (best == n)
			break;
		for (size_t i = 0; i < n; i++)   /* equal counts have equal remainders */
			tie += rem[i] > 0 && v[i] == v[best];
		int up = (int64_t)tie <= left || rem[best] >= 0.5;
		int64_t bv = v[best];
		for (size_t i = 0; i < n; i++)
			if (rem[i] > 0 && v[i] == bv) {
				pct[i] += up;
				rem[i] = 0;
			}
		left = (int64_t)tie <= left ? left - (int64_t)tie : 0;
	}
	for (size_t i = 0; i < n; i++)
		pct[i] /= unit;
	free(rem);
}

static const char *items(int64_t n) { return n == 1 ? "item" : "items"; }

/* "several countries": the role word country, a name already plural, or "values". */
static const char *several(const char *field, char *buf, size_t n)
{
	size_t len = strlen(field);
	if (!strcmp(field, "country"))
		return "countries";
	if (len && field[len - 1] == 's')
		return field;
	snprintf(buf, n, "%s values", field);
	return buf;
}

/* The items a date range left out, their dates being only partly inside it. */
static size_t edge_note(int64_t edge, char *buf, size_t used, size_t n)
{
	if (edge > 0 && used < n)
		used += (size_t)snprintf(buf + used, n - used, edge == 1
		        ? "%s%lld item is left out because its date (a month, quarter or year) is only partly inside the period asked for."
		        : "%s%lld items are left out because their dates (a month, quarter or year) are only partly inside the period asked for.",
		        used ? " " : "", (long long)edge);
	return used;
}

char *tl_counts_note(const tl_counts *c, char *buf, size_t n)
{
	size_t used = 0;
	int64_t all = tl_counts_items(c), none = c->missing - c->coarse_quarter - c->coarse_year;
	const char *part = c->field;
	char pl[128];
	buf[0] = 0;
#define ADD(...) do { if (used < n) used += (size_t)snprintf(buf + used, n - used, __VA_ARGS__); } while (0)
	if (c->coarse_quarter || c->coarse_year) {
		ADD("%s", used ? " " : "");
		if (c->coarse_quarter)
			ADD("%lld %s dated only to the quarter", (long long)c->coarse_quarter, items(c->coarse_quarter));
		if (c->coarse_quarter && c->coarse_year)
			ADD(" and %lld only to the year", (long long)c->coarse_year);
		else if (c->coarse_year)
			ADD("%lld %s dated only to the year", (long long)c->coarse_year, items(c->coarse_year));
		ADD(" %s in no %s.", c->coarse_quarter + c->coarse_year == 1 ? "is" : "are", part);
	}
	if (none > 0 && c->by_date)
		ADD("%s%lld %s no date.", used ? " " : "", (long long)none, none == 1 ? "item has" : "items have");
	else if (none > 0 && c->list)
		ADD("%s%lld %s no %s.", used ? " " : "", (long long)none, none == 1 ? "item names" : "items name", part);
	else if (none > 0)
		ADD("%s%lld %s no %s.", used ? " " : "", (long long)none, none == 1 ? "item has" : "items have", part);
	/* more than all the items, or only more than those that name one (22 mentions
	 * of organisations in 13 of 36 items add up to less than the 36) */
	if (c->list && c->mentions > all)
		ADD("%sAn item may name several %s, so the counts add up to more than the %lld %s.",
		    used ? " " : "", several(part, pl, sizeof pl), (long long)all, items(all));
	else if (c->list && c->mentions > c->records)
		ADD("%sAn item may name several %s, so the counts add up to more than the %lld %s that name one.",
		    used ? " " : "", several(part, pl, sizeof pl), (long long)c->records, items(c->records));
	used = edge_note(c->edge, buf, used, n);
#undef ADD
	if (used >= n && n > 4)
		strcpy(buf + n - 4, "...");
	return buf;
}

/* One margin's sentences for a cross-tab: what is in no row (column), what may be
 * in several. */
static size_t margin_note(const tl_counts *m, const char *axis, char *buf, size_t used, size_t n)
{
	int64_t none = m->missing - m->coarse_quarter - m->coarse_year, coarse = m->coarse_quarter + m->coarse_year;
	char pl[128];
#define ADD(...) do { if (used < n) used += (size_t)snprintf(buf + used, n - used, __VA_ARGS__); } while (0)
	if (coarse) {
		ADD("%s", used ? " " : "");
		if (m->coarse_quarter)
			ADD("%lld %s dated only to the quarter", (long long)m->coarse_quarter, items(m->coarse_quarter));
		if (m->coarse_quarter && m->coarse_year)
			ADD(" and %lld only to the year", (long long)m->coarse_year);
		else if (m->coarse_year)
			ADD("%lld %s dated only to the year", (long long)m->coarse_year, items(m->coarse_year));
		ADD(" %s in no %s %s.", coarse == 1 ? "is" : "are", m->field, axis);
	}
	if (none > 0)
		ADD("%s%lld %s no %s.", used ? " " : "", (long long)none,
		    m->by_date ? (none == 1 ? "item has" : "items have") : m->list ? (none == 1 ? "item names" : "items name")
		               : (none == 1 ? "item has" : "items have"), m->by_date ? "date" : m->field);
	if (m->list && m->mentions > m->records)
		ADD("%sAn item may name several %s, so it may count in several %ss.", used ? " " : "",
		    several(m->field, pl, sizeof pl), axis);
#undef ADD
	return used;
}

char *tl_xtab_note(const tl_xtab *x, char *buf, size_t n)
{
	size_t used;
	buf[0] = 0;
	used = margin_note(x->rows, "row", buf, 0, n);
	used = margin_note(x->cols, "column", buf, used, n);
	used = edge_note(x->rows->edge, buf, used, n);
	if (used >= n && n > 4)
		strcpy(buf + n - 4, "...");
	return buf;
}
