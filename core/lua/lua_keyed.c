/* The rows of keyed results, built in C: chosen, reordered, cut to the top with
 * the rest summed, and the difference of two counts. Nothing here calls Lua, so no
 * finaliser can run half-way: each function either fills its result or returns
 * -1 (NULL) with nothing left allocated, and the bindings (lua_counts.c) raise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lua/lua_tally.h"

/* The value of row i: its count, or for a Table the sum of its cells. */
int64_t lt_rowvalue(const lt_keyed *k, size_t i)
{
	int64_t t = 0;
	if (k->x == NULL)
		return k->c->counts[i];
	for (size_t j = 0; j < k->x->cols->n; j++)
		t += k->x->cells[i * k->x->cols->n + j];
	return t;
}

/* ---------------------------------------------------------------------- */
/* Rows chosen and reordered                                              */
/* ---------------------------------------------------------------------- */

/* An empty tl_counts with room for n rows, carrying like's field and totals. */
static tl_counts *counts_alloc(size_t n, const tl_counts *like)
{
	tl_counts *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->keys = calloc(n ? n : 1, sizeof *c->keys);
	c->counts = calloc(n ? n : 1, sizeof *c->counts);
	c->order = calloc(n ? n : 1, sizeof *c->order);
	c->field = strdup(like->field ? like->field : "");
	if (like->least)
		c->least = calloc(n ? n : 1, sizeof *c->least);
	if (!c->keys || !c->counts || !c->order || !c->field || (like->least && !c->least)) {
		tl_counts_free(c);
		return NULL;
	}
	c->records = like->records;
	c->mentions = like->mentions;
	c->missing = like->missing;
	c->edge = like->edge;
	c->coarse_quarter = like->coarse_quarter;
	c->coarse_year = like->coarse_year;
	c->by_date = like->by_date;
	c->list = like->list;
	c->vocab = like->vocab;
	return c;
}

/* Appends row i of src to dst. */
static int counts_addrow(tl_counts *dst, const tl_counts *src, size_t i)
{
	if ((dst->keys[dst->n] = strdup(src->keys[i])) == NULL)
		return -1;
	dst->counts[dst->n] = src->counts[i];
	dst->order[dst->n] = src->order[i];
	if (dst->least)
		dst->least[dst->n] = src->least ? src->least[i] : src->counts[i];
	dst->n++;
	return 0;
}

typedef struct perm_ctx {
	const tl_counts *c;
	const int64_t   *vals;   /* the values compared (row sums for a Table) */
	int              desc;   /* 1: larger counts, later keys first */
} perm_ctx;

/* By value (ties by key, always ascending, so that equal counts read A to Z). */
static int cmp_byvalue(const void *a, const void *b, void *ctx)
{
	const perm_ctx *p = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (p->vals[i] != p->vals[j])
		return (p->vals[i] > p->vals[j]) == p->desc ? -1 : 1;
	return strcmp(p->c->keys[i], p->c->keys[j]);
}

static int cmp_bykey(const void *a, const void *b, void *ctx)
{
	const perm_ctx *p = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int r;
	if (p->c->by_date && p->c->order[i] != p->c->order[j])
		r = p->c->order[i] < p->c->order[j] ? -1 : 1;
	else
		r = strcmp(p->c->keys[i], p->c->keys[j]);
	return p->desc ? -r : r;
}

/* The order of k's rows by value or by key, descending or not. NULL when out of
 * memory. */
size_t *lt_permutation(const lt_keyed *k, int bykey, int desc)
{
	size_t n = k->c->n;
	size_t *ix = malloc((n ? n : 1) * sizeof *ix);
	int64_t *vals = malloc((n ? n : 1) * sizeof *vals);
	perm_ctx p = { k->c, vals, desc };
	if (ix == NULL || vals == NULL) {
		free(ix);
		free(vals);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		ix[i] = i;
		vals[i] = lt_rowvalue(k, i);
	}
	qsort_r(ix, n, sizeof *ix, bykey ? cmp_bykey : cmp_byvalue, &p);
	free(vals);
	return ix;
}

/* A Table with x's rows ix[0..n) and, when other, one more row summing the rest.
 * NULL when out of memory. */
static tl_xtab *xtab_rows(const tl_xtab *x, const size_t *ix, size_t n, const char *other)
{
	size_t nc = x->cols->n, extra = other && n < x->rows->n;
	tl_xtab *y = calloc(1, sizeof *y);
	if (y == NULL)
		return NULL;
	y->rows = counts_alloc(n + extra, x->rows);
	y->cols = counts_alloc(nc, x->cols);
	y->cells = calloc((n + extra) * nc + 1, sizeof *y->cells);
	if (x->least_rows)
		y->least_rows = calloc((n + extra) * nc + 1, sizeof *y->least_rows);
	if (x->least_cols)
		y->least_cols = calloc((n + extra) * nc + 1, sizeof *y->least_cols);
	if (!y->rows || !y->cols || !y->cells || (x->least_rows && !y->least_rows) || (x->least_cols && !y->least_cols))
		goto fail;
	for (size_t j = 0; j < nc; j++)
		if (counts_addrow(y->cols, x->cols, j) != 0)
			goto fail;
	for (size_t i = 0; i < n; i++) {
		if (counts_addrow(y->rows, x->rows, ix[i]) != 0)
			goto fail;
		memcpy(y->cells + i * nc, x->cells + ix[i] * nc, nc * sizeof *y->cells);
		if (x->least_rows)
			memcpy(y->least_rows + i * nc, x->least_rows + ix[i] * nc, nc * sizeof *y->cells);
		if (x->least_cols)
			memcpy(y->least_cols + i * nc, x->least_cols + ix[i] * nc, nc * sizeof *y->cells);
	}
	if (extra) {
		if ((y->rows->keys[n] = strdup(other)) == NULL)
			goto fail;
		y->rows->order[n] = UINT32_MAX;
		for (size_t i = n; i < x->rows->n; i++) {
			y->rows->counts[n] += x->rows->counts[ix[i]];
			for (size_t j = 0; j < nc; j++)
				y->cells[n * nc + j] += x->cells[ix[i] * nc + j];
		}
		y->rows->n = n + 1;
	}
	return y;
fail:
	tl_xtab_free(y);
	return NULL;
}

/* Fills the empty dst with src's rows ix[0..n) and, when other names it, one more
 * row summing the rest. No Lua call: -1 when out of memory, nothing left allocated. */
int lt_keyed_select(lt_keyed *dst, const lt_keyed *src, const size_t *ix, size_t n, const char *other)
{
	const tl_counts *s = src->c;
	tl_counts *c;
	int64_t *before;
	int ok;
	if (src->x) {
		tl_xtab *y = xtab_rows(src->x, ix, n, other);
		if (y == NULL)
			return -1;
		dst->x = y;
		dst->c = y->rows;
		return 0;
	}
	c = counts_alloc(n + 1, s);
	before = src->before ? calloc(n + 1, sizeof *before) : NULL;
	ok = c != NULL && (src->before == NULL || before != NULL);
	for (size_t i = 0; ok && i < n; i++) {
		ok = counts_addrow(c, s, ix[i]) == 0;
		if (before)
			before[i] = src->before[ix[i]];
	}
	if (ok && other && n < s->n) {
		int64_t rest = 0, restb = 0;
		for (size_t i = n; i < s->n; i++) {
			rest += s->counts[ix[i]];
			if (before)
				restb += src->before[ix[i]];
		}
		if ((c->keys[c->n] = strdup(other)) == NULL) {
			ok = 0;
		} else {
			c->counts[c->n] = rest;
			c->order[c->n] = UINT32_MAX;
			if (before)
				before[c->n] = restb;
			c->n++;
		}
	}
	if (!ok) {
		tl_counts_free(c);
		free(before);
		return -1;
	}
	dst->c = c;
	dst->before = before;
	dst->base_records = src->base_records;
	dst->base_mentions = src->base_mentions;
	dst->base_missing = src->base_missing;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The difference of two counts                                           */
/* ---------------------------------------------------------------------- */

static int cmp_keyix(const void *a, const void *b, void *ctx)
{
	const tl_counts *c = ctx;
	return strcmp(c->keys[*(const size_t *)a], c->keys[*(const size_t *)b]);
}

/* Index of key among b's keys sorted in sk. */
static long sorted_find(const tl_counts *b, const size_t *sk, const char *key)
{
	size_t lo = 0, hi = b->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(b->keys[sk[mid]], key);
		if (r == 0)
			return (long)sk[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Fills the empty dst with a's counts minus b's, per key, and b's as before: keys
 * of a in a's order, then the keys only b has. -1 when out of memory. */
int lt_keyed_diff(lt_keyed *dst, const tl_counts *a, const tl_counts *b)
{
	size_t *sk, *sa, n = 0;
	tl_counts *c;
	int64_t *before;
	int ok;
	sk = malloc((b->n ? b->n : 1) * sizeof *sk);
	sa = malloc((a->n ? a->n : 1) * sizeof *sa);
	c = counts_alloc(a->n + b->n, a);
	before = calloc(a->n + b->n + 1, sizeof *before);
	ok = sk && sa && c && before;
	if (ok) {
		for (size_t i = 0; i < b->n; i++)
			sk[i] = i;
		for (size_t i = 0; i < a->n; i++)
			sa[i] = i;
		qsort_r(sk, b->n, sizeof *sk, cmp_keyix, (void *)b);
		qsort_r(sa, a->n, sizeof *sa, cmp_keyix, (void *)a);
	}
	for (size_t i = 0; ok && i < a->n; i++) {
		long j = sorted_find(b, sk, a->keys[i]);
		ok = counts_addrow(c, a, i) == 0;
		before[n] = j < 0 ? 0 : b->counts[j];
		if (ok)
			c->counts[n] -= before[n];
		n++;
	}
	for (size_t j = 0; ok && j < b->n; j++) {
		if (sorted_find(a, sa, b->keys[j]) >= 0)
			continue;
		ok = counts_addrow(c, b, j) == 0;
		before[n] = b->counts[j];
		if (ok)
			c->counts[n] = -b->counts[j];
		n++;
	}
	free(sk);
	free(sa);
	if (!ok) {
		tl_counts_free(c);
		free(before);
		return -1;
	}
	dst->base_records = b->records;   /* c keeps a's */
	dst->base_mentions = b->mentions;
	dst->base_missing = b->missing;
	dst->c = c;
	dst->before = before;
	return 0;
}
