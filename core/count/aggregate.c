/* Counting and filtering on the columnar store.
 *
 * Every way of counting goes through a keyer: it turns a row into zero or more
 * small integer keys (a category code, a month index minus the first month, a
 * code in a scratch dictionary for text), so that a count is a histogram over an
 * array and a cross-tab a histogram over pairs. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "tally/count.h"
#include "count/count_int.h"
#include "tally/ctx.h"
#include "tally/suggest.h"
#include "tally/vocab.h"

enum { K_CAT, K_LIST, K_MONTH, K_QUARTER, K_YEAR, K_STR };

typedef struct keyer {
	const tl_column *c;
	int       kind;
	int       lo, hi;     /* date parts: first and last index */
	tl_dict  *tmp;        /* K_STR: the keys seen */
	uint32_t  nkeys;
	int64_t   coarse[2];  /* date parts: records too coarse for the key, by precision (year, quarter) */
} keyer;

void tl_sel_free(tl_sel *s)
{
	if (!s) return;
	free(s->rows);
	free(s->edge);
	s->rows = NULL;
	s->edge = NULL;
	s->n = s->nedge = 0;
}

static size_t sel_n(const tl_store *s, const tl_sel *sel) { return sel && sel->rows ? sel->n : s->nrows; }
static size_t sel_row(const tl_sel *sel, size_t i) { return sel && sel->rows ? sel->rows[i] : i; }

/* The column a field name means: a column of that name, else a role word. */
int agg_field_column(const tl_store *s, const char *field)
{
	int c = store_find(s, field);
	if (c >= 0) return c;
	if (!strcmp(field, "country") || !strcmp(field, "countries")) return s->role[TL_ROLE_COUNTRY];
	if (!strcmp(field, "dimension")) return s->role[TL_ROLE_DIMENSION];
	if (!strcmp(field, "date")) return s->role[TL_ROLE_DATE];
	return -1;
}

/* "no field 'x' (did you mean 'y'?) (fields: ...)": the header's names, the role
 * words and the date parts are all names a count or filter accepts. */
int agg_unknown_field(const tl_store *s, const char *field, tl_error *err)
{
	char list[512] = "", hint[TL_SUGGEST_MAX + 32];
	size_t used = 0, n = 0;
	int dated = s->role[TL_ROLE_DATE] >= 0;
	const char **names = calloc(s->nheader + 8, sizeof *names);
	/* a load of the fields a count needs may have left the date column out */
	for (size_t i = 0; i < s->nheader && !dated; i++) dated = !strcmp(s->header[i], "date");
	for (size_t i = 0; i < s->nheader && used + 2 < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", s->header[i]);
	if (used >= sizeof list) strcpy(list + sizeof list - 5, "...");
	if (names) {
		for (size_t i = 0; i < s->nheader; i++) names[n++] = s->header[i];
		if (s->role[TL_ROLE_COUNTRY] >= 0) names[n++] = "countries";
		if (s->role[TL_ROLE_DIMENSION] >= 0) names[n++] = "dimension";
		if (dated) { names[n++] = "date"; names[n++] = "month"; names[n++] = "quarter"; names[n++] = "year"; }
	}
	tl_did_you_mean(hint, sizeof hint, field, names, n);
	free(names);
	return tl_fail(err, NULL, 0, 0, "no field '%s'%s (fields: %s%s)", field, hint, list,
	               dated ? "; and month, quarter, year of the date" : "");
}

static int date_index(int kind, tl_date d)
{
	int mi = tl_date_month_index(d);
	return kind == K_MONTH ? mi : kind == K_QUARTER ? mi / 3 : mi / 12;
}

/* Can a date of this precision be counted under this kind of key? */
static int date_fits(int kind, tl_date d)
{
	int p = tl_date_prec(d);
	return kind == K_YEAR || (kind == K_QUARTER && p >= TL_PREC_QUARTER) || (kind == K_MONTH && p >= TL_PREC_MONTH);
}

/* Sets up a keyer for field over the selection; date parts find their range first. */
static int keyer_init(keyer *k, const tl_store *s, const tl_sel *sel, const char *field,
                      tl_date from, tl_date to, tl_error *err)
{
	int c = agg_field_column(s, field);
	memset(k, 0, sizeof *k);
	if (c < 0) {
		int kind = !strcmp(field, "month") ? K_MONTH : !strcmp(field, "quarter") ? K_QUARTER :
		           !strcmp(field, "year") ? K_YEAR : -1;
		if (kind < 0 || s->role[TL_ROLE_DATE] < 0) return agg_unknown_field(s, field, err);
		k->kind = kind;
		k->c = &s->cols[s->role[TL_ROLE_DATE]];
		k->lo = from ? date_index(kind, from) : 1 << 30;
		k->hi = to ? date_index(kind, to) : -1;
		if (!from || !to) {
			size_t n = sel_n(s, sel);
			for (size_t i = 0; i < n; i++) {
				tl_date d = k->c->dates[sel_row(sel, i)];
				if (!d || !date_fits(kind, d)) continue;
				int x = date_index(kind, d);
				if (!from && x < k->lo) k->lo = x;
				if (!to && x > k->hi) k->hi = x;
			}
		}
		k->nkeys = k->hi >= k->lo ? (uint32_t)(k->hi - k->lo + 1) : 0;
		return 0;
	}
	k->c = &s->cols[c];
	switch (k->c->type) {
	case TL_CAT: k->kind = K_CAT; k->nkeys = k->c->dict->n; break;
	case TL_LIST: k->kind = K_LIST; k->nkeys = k->c->dict->n; break;
	default:
		k->kind = K_STR;
		if (!(k->tmp = dict_new())) return tl_fail(err, NULL, 0, 0, "out of memory");
	}
	return 0;
}

static void keyer_free(keyer *k) { dict_free(k->tmp); }

/* The keys of row r into out (at most cap); returns how many. */
static size_t keyer_keys(keyer *k, size_t r, uint32_t *out, size_t cap)
{
	const tl_column *c = k->c;
	switch (k->kind) {
	case K_CAT:
		if ((out[0] = store_cat(c, r)) == TL_NA) return 0;
		return 1;
	case K_LIST: {   /* an item naming a value twice ("KZ;Kazakhstan") has it once */
		size_t n = (size_t)(c->offs[r + 1] - c->offs[r]), m = 0;
		if (n > cap) n = cap;
		for (size_t j = 0; j < n; j++) {
			uint32_t v = store_val(c, c->offs[r] + j);
			size_t i = 0;
			while (i < m && out[i] != v) i++;
			if (i == m) out[m++] = v;
		}
		return m;
	}
	case K_MONTH: case K_QUARTER: case K_YEAR: {
		tl_date d = c->dates[r];
		if (!d) return 0;
		if (!date_fits(k->kind, d)) { k->coarse[tl_date_prec(d)]++; return 0; }
		int x = date_index(k->kind, d);
		if (x < k->lo || x > k->hi) return 0;
		out[0] = (uint32_t)(x - k->lo);
		return 1;
	}
	default: {
		char buf[40];
		const char *str = buf;
		size_t n;
		if (c->type == TL_TEXT) {
			str = store_text(c, r, &n);
			if (!n) return 0;
		} else if (c->type == TL_DATE) {
			if (!c->dates[r]) return 0;
			n = (size_t)tl_date_format(c->dates[r], buf, sizeof buf);
		} else {
			if (store_int_isnull(c, r)) return 0;
			n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)c->ints[r]);
		}
		out[0] = dict_intern(k->tmp, str, n);
		return out[0] == TL_NA ? 0 : 1;
	}
	}
}

static uint32_t keyer_nkeys(const keyer *k) { return k->tmp ? k->tmp->n : k->nkeys; }

static char *keyer_name(const keyer *k, uint32_t key)
{
	char buf[32];
	switch (k->kind) {
	case K_CAT: case K_LIST: return strdup(k->c->dict->str[key]);
	case K_MONTH: tl_month_key(k->lo + (int)key, buf, sizeof buf); return strdup(buf);
	case K_QUARTER: tl_quarter_key(k->lo + (int)key, buf, sizeof buf); return strdup(buf);
	case K_YEAR: snprintf(buf, sizeof buf, "%04d", k->lo + (int)key); return strdup(buf);
	default: return strdup(k->tmp->str[key]);
	}
}

/* ----------------------------------------------------------------- counts */

void tl_counts_free(tl_counts *c)
{
	if (!c) return;
	for (size_t i = 0; i < c->n; i++) free(c->keys[i]);
	free(c->keys);
	free(c->counts);
	free(c->least);
	free(c->order);
	free(c->field);
	free(c);
}

/* qsort_r (glibc) carries the counts, so a library call is re-entrant. */
static int cmp_count(const void *a, const void *b, void *ctx)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const tl_counts *c = ctx;
	if (c->counts[i] != c->counts[j]) return c->counts[i] > c->counts[j] ? -1 : 1;
	return strcmp(c->keys[i], c->keys[j]);
}

static int cmp_key(const void *a, const void *b, void *ctx)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const tl_counts *c = ctx;
	if (c->by_date) return c->order[i] < c->order[j] ? -1 : c->order[i] > c->order[j];
	return strcmp(c->keys[i], c->keys[j]);
}

/* Reorders the rows of c by a permutation found with cmp; the permutation is
 * left in *perm when perm is given (the caller frees it), for cells to follow. */
static int counts_sort(tl_counts *c, int (*cmp)(const void *, const void *, void *), size_t **perm)
{
	int rc = -1;
	size_t *ix = malloc((c->n ? c->n : 1) * sizeof *ix);
	char **keys = malloc((c->n ? c->n : 1) * sizeof *keys);
	int64_t *counts = malloc((c->n ? c->n : 1) * sizeof *counts);
	int64_t *least = c->least ? malloc((c->n ? c->n : 1) * sizeof *least) : NULL;
	uint32_t *order = malloc((c->n ? c->n : 1) * sizeof *order);
	if (!ix || !keys || !counts || !order || (c->least && !least)) goto out;
	for (size_t i = 0; i < c->n; i++) ix[i] = i;
	qsort_r(ix, c->n, sizeof *ix, cmp, c);
	for (size_t i = 0; i < c->n; i++) {
		keys[i] = c->keys[ix[i]];
		counts[i] = c->counts[ix[i]];
		order[i] = c->order[ix[i]];
		if (least) least[i] = c->least[ix[i]];
	}
	if (least) memcpy(c->least, least, c->n * sizeof *least);
	memcpy(c->keys, keys, c->n * sizeof *keys);
	memcpy(c->counts, counts, c->n * sizeof *counts);
	memcpy(c->order, order, c->n * sizeof *order);
	rc = 0;
	if (perm) {
		*perm = ix;
		ix = NULL;
	}
out:
	free(ix); free(keys); free(counts); free(least); free(order);
	return rc;
}

/* The same order without allocating, for when memory ran out: an insertion sort
 * moving rows in place (slow on many rows, but never a wrong order). */
static void counts_sort_inplace(tl_counts *c, int (*cmp)(const void *, const void *, void *))
{
	for (size_t i = 1; i < c->n; i++)
		for (size_t j = i; j > 0; j--) {
			size_t a = j - 1, b = j;
			if (cmp(&a, &b, c) <= 0)
				break;
			char *k = c->keys[a]; c->keys[a] = c->keys[b]; c->keys[b] = k;
			int64_t n = c->counts[a]; c->counts[a] = c->counts[b]; c->counts[b] = n;
			uint32_t o = c->order[a]; c->order[a] = c->order[b]; c->order[b] = o;
			if (c->least) {
				n = c->least[a]; c->least[a] = c->least[b]; c->least[b] = n;
			}
		}
}

void tl_counts_sort_key(tl_counts *c)
{
	if (counts_sort(c, cmp_key, NULL) < 0)
		counts_sort_inplace(c, cmp_key);
}

void tl_counts_sort_count(tl_counts *c)
{
	if (counts_sort(c, cmp_count, NULL) < 0)
		counts_sort_inplace(c, cmp_count);
}

/* Builds a Counts from a histogram over the keyer's keys (and, for a list, the
 * histogram of least-counted keys); date parts keep their zero rows, other fields
 * only the keys that occur. */
static tl_counts *counts_from_hist(const keyer *k, const int64_t *hist, const int64_t *least,
                                   uint32_t nkeys, const char *field)
{
	tl_counts *c = calloc(1, sizeof *c);
	size_t n = 0;
	int dates = k->kind == K_MONTH || k->kind == K_QUARTER || k->kind == K_YEAR;
	if (!c) return NULL;
	c->by_date = dates || k->c->type == TL_DATE;
	c->keys = calloc(nkeys ? nkeys : 1, sizeof *c->keys);
	c->counts = calloc(nkeys ? nkeys : 1, sizeof *c->counts);
	c->order = calloc(nkeys ? nkeys : 1, sizeof *c->order);
	c->field = strdup(field);
	c->list = k->kind == K_LIST;
	if (least && !(c->least = calloc(nkeys ? nkeys : 1, sizeof *c->least))) goto fail;
	if (!c->keys || !c->counts || !c->order || !c->field) goto fail;
	for (uint32_t key = 0; key < nkeys; key++) {
		if (!hist[key] && !dates) continue;
		if (!(c->keys[n] = keyer_name(k, key))) goto fail;
		c->counts[n] = hist[key];
		if (least) c->least[n] = least[key];
		c->order[n] = key;
		n++;
		c->n = n;
	}
	if (c->by_date && !dates) {   /* a date column counted by its values: ISO keys sort in time */
		c->by_date = 0;
		tl_counts_sort_key(c);
		c->by_date = 1;
		for (size_t i = 0; i < c->n; i++) c->order[i] = (uint32_t)i;
	}
	return c;
fail:
	tl_counts_free(c);
	return NULL;
}

#define MAXKEYS 4096   /* values of one list cell counted at most */

/* Counting every row of a category, a list or a date part: tight loops over the
 * column, without the keyer's call per row. Returns 0 for the other kinds. */
static int count_all(keyer *k, size_t nrows, int64_t *hist, int64_t *records, int64_t *mentions, int64_t *missing)
{
	const tl_column *c = k->c;
	int64_t with = 0;
	switch (k->kind) {
	case K_CAT:
		if (c->small) {
			int64_t h[256] = {0};
			for (size_t r = 0; r < nrows; r++) h[c->small[r]]++;
			for (uint32_t key = 0; key < k->nkeys && key < 255; key++) hist[key] += h[key];
			with = (int64_t)nrows - h[255];
		} else {
			for (size_t r = 0; r < nrows; r++)
				if (c->codes[r] != TL_NA) hist[c->codes[r]]++, with++;
		}
		*mentions = with;
		break;
	case K_LIST: {
		int64_t twice = 0;
		if (c->small) {
			int64_t h[256] = {0};
			for (size_t v = 0; v < c->nvals; v++) h[c->small[v]]++;
			for (uint32_t key = 0; key < k->nkeys && key < 256; key++) hist[key] += h[key];
		} else {
			for (size_t v = 0; v < c->nvals; v++) hist[c->codes[v]]++;
		}
		/* a value repeated in a row was counted twice: take the repeats back */
		for (size_t r = 0; r < nrows; r++) {
			uint32_t a = c->offs[r], b = c->offs[r + 1];
			with += a != b;
			for (uint32_t v = a + 1; v < b; v++)
				for (uint32_t u = a; u < v; u++)
					if (store_val(c, u) == store_val(c, v)) { hist[store_val(c, v)]--; twice++; break; }
		}
		*mentions = (int64_t)c->nvals - twice;
		break;
	}
	case K_MONTH: case K_QUARTER: case K_YEAR:
		for (size_t r = 0; r < nrows; r++) {
			tl_date d = c->dates[r];
			if (!d) continue;
			if (!date_fits(k->kind, d)) { k->coarse[tl_date_prec(d)]++; continue; }
			int x = date_index(k->kind, d);
			if (x < k->lo || x > k->hi) continue;
			hist[x - k->lo]++;
			with++;
		}
		*mentions = with;
		break;
	default:
		return 0;
	}
	*records = with;
	*missing = (int64_t)nrows - with;
	return 1;
}

/* Of each item with values, the one with the fewest items (ties: the smaller
 * code) gets the item: least[key] over hist, for folding into Other. */
static int64_t *list_least(keyer *k, const tl_store *s, const tl_sel *sel, const int64_t *hist)
{
	uint32_t keys[MAXKEYS];
	int64_t *least = calloc(k->nkeys ? k->nkeys : 1, sizeof *least);
	size_t n = sel_n(s, sel);
	for (size_t i = 0; least && i < n; i++) {
		size_t m = keyer_keys(k, sel_row(sel, i), keys, MAXKEYS);
		if (!m) continue;
		uint32_t best = keys[0];
		for (size_t j = 1; j < m; j++)
			if (hist[keys[j]] < hist[best] || (hist[keys[j]] == hist[best] && keys[j] < best)) best = keys[j];
		least[best]++;
	}
	return least;
}

tl_counts *agg_count(const tl_store *s, const tl_sel *sel, const char *field,
                     tl_date from, tl_date to, tl_error *err)
{
	keyer k;
	int64_t *hist = NULL, *least = NULL;
	uint32_t cap = 0, keys[MAXKEYS];
	int64_t records = 0, mentions = 0, missing = 0;
	tl_counts *c = NULL;
	size_t n = sel_n(s, sel);

	if (keyer_init(&k, s, sel, field, from, to, err) < 0) return NULL;
	cap = keyer_nkeys(&k) + (k.tmp ? 1024 : 0);
	if (!(hist = calloc(cap ? cap : 1, sizeof *hist))) goto nomem;
	if (!(sel && sel->rows) && count_all(&k, s->nrows, hist, &records, &mentions, &missing)) n = 0;
	for (size_t i = 0; i < n; i++) {
		size_t m = keyer_keys(&k, sel_row(sel, i), keys, MAXKEYS);
		if (!m) { missing++; continue; }
		records++;
		mentions += (int64_t)m;
		for (size_t j = 0; j < m; j++) {
			if (keys[j] >= cap) {   /* scratch dictionaries grow as they go */
				uint32_t ncap = cap * 2;
				while (ncap <= keys[j]) ncap *= 2;
				int64_t *h = realloc(hist, ncap * sizeof *h);
				if (!h) goto nomem;
				memset(h + cap, 0, (ncap - cap) * sizeof *h);
				hist = h;
				cap = ncap;
			}
			hist[keys[j]]++;
		}
	}
	if (k.kind == K_LIST && !(least = list_least(&k, s, sel, hist))) goto nomem;
	if (!(c = counts_from_hist(&k, hist, least, keyer_nkeys(&k), field))) goto nomem;
	c->records = records;
	c->mentions = mentions;
	c->missing = missing;
	c->coarse_year = k.coarse[TL_PREC_YEAR];
	c->coarse_quarter = k.coarse[TL_PREC_QUARTER];
	c->edge = sel ? (int64_t)sel->nedge : 0;
	if (k.kind == K_MONTH || k.kind == K_QUARTER || k.kind == K_YEAR)
		c->vocab = k.kind == K_MONTH ? TL_KEYS_MONTH : k.kind == K_QUARTER ? TL_KEYS_QUARTER : TL_KEYS_YEAR;
	else if (k.c->type == TL_DATE)
		c->vocab = TL_KEYS_DATE;
	else if (s->role[TL_ROLE_COUNTRY] >= 0 && k.c == &s->cols[s->role[TL_ROLE_COUNTRY]])
		c->vocab = TL_KEYS_COUNTRY;
	else if (s->role[TL_ROLE_DIMENSION] >= 0 && k.c == &s->cols[s->role[TL_ROLE_DIMENSION]])
		c->vocab = TL_KEYS_DIMENSION;
	tl_counts_sort_count(c);
	goto out;
nomem:
	tl_fail(err, NULL, 0, 0, "out of memory");
out:
	free(hist);
	free(least);
	keyer_free(&k);
	return c;
}

/* ---------------------------------------------------------------- cross-tab */

/* Moves the row-major grid g (rows of nc) to the row order ix; -1: no memory. */
static int permute_grid(int64_t **g, const size_t *ix, size_t nr, size_t nc)
{
	int64_t *to;
	if (!*g) return 0;
	if (!(to = malloc((nr * nc + 1) * sizeof *to))) return -1;
	for (size_t i = 0; i < nr; i++)
		memcpy(to + i * nc, *g + ix[i] * nc, nc * sizeof *to);
	free(*g);
	*g = to;
	return 0;
}

static int xtab_permute(tl_xtab *x, const size_t *ix)
{
	size_t nr = x->rows->n, nc = x->cols->n;
	return permute_grid(&x->cells, ix, nr, nc) < 0 || permute_grid(&x->least_rows, ix, nr, nc) < 0 ||
	       permute_grid(&x->least_cols, ix, nr, nc) < 0 ? -1 : 0;
}

int tl_xtab_sort_key(tl_xtab *x)
{
	size_t *ix = NULL;
	int rc = counts_sort(x->rows, cmp_key, &ix) < 0 ? -1 : xtab_permute(x, ix);
	free(ix);
	return rc;
}

/* Rows by the sum of their cells, largest first, then by key: a row's items that
 * fall in no column (a date too coarse for a month) do not move it up. */
static int xtab_sort_shown(tl_xtab *x, const int64_t *rowsum)
{
	tl_counts *r = x->rows;
	int64_t *margin = r->counts;
	size_t *ix = NULL;
	int rc = -1;
	int64_t *sums = malloc((r->n ? r->n : 1) * sizeof *sums), *kept = NULL;
	if (!sums) return -1;
	memcpy(sums, rowsum, r->n * sizeof *sums);
	r->counts = sums;                    /* sorted as if they were the counts */
	if (counts_sort(r, cmp_count, &ix) == 0 && (kept = malloc((r->n ? r->n : 1) * sizeof *kept))) {
		for (size_t i = 0; i < r->n; i++) kept[i] = margin[ix[i]];
		rc = xtab_permute(x, ix);
	}
	r->counts = kept ? kept : margin;
	if (kept) free(margin);
	free(sums);
	free(ix);
	return kept ? rc : -1;
}

void tl_xtab_free(tl_xtab *x)
{
	if (!x) return;
	tl_counts_free(x->rows);
	tl_counts_free(x->cols);
	free(x->cells);
	free(x->least_rows);
	free(x->least_cols);
	free(x);
}

/* Shown sums of the rows (by = 0, malloc'ed [nrows]) or of the columns. */
static int64_t *xtab_sums(const tl_xtab *x, int by)
{
	size_t nr = x->rows->n, nc = x->cols->n;
	int64_t *t = calloc((by ? nc : nr) + 1, sizeof *t);
	for (size_t i = 0; t && i < nr; i++)
		for (size_t j = 0; j < nc; j++) t[by ? j : i] += x->cells[i * nc + j];
	return t;
}

/* The least-counted row (column) of each item, when the rows (columns) are a
 * list, so that folding rows into Other counts an item once per column; then the
 * rows in the order of what is shown. */
static int xtab_least(tl_xtab *x, const tl_store *s, const tl_sel *sel, keyer *k1, keyer *k2,
                      const uint32_t *pos1, const uint32_t *pos2, uint32_t n1, uint32_t n2)
{
	size_t nr = x->rows->n, nc = x->cols->n, n = sel_n(s, sel);
	uint32_t a[MAXKEYS], b[MAXKEYS];
	int64_t *rs = xtab_sums(x, 0), *cs = xtab_sums(x, 1);
	int rc = -1;
	if (!rs || !cs) goto out;
	if (x->rows->list && !(x->least_rows = calloc(nr * nc + 1, sizeof *x->least_rows))) goto out;
	if (x->cols->list && !(x->least_cols = calloc(nr * nc + 1, sizeof *x->least_cols))) goto out;
	for (size_t i = 0; (x->least_rows || x->least_cols) && i < n; i++) {
		size_t r = sel_row(sel, i), na = keyer_keys(k1, r, a, MAXKEYS), nb = na ? keyer_keys(k2, r, b, MAXKEYS) : 0;
		uint32_t p[MAXKEYS], q[MAXKEYS], np = 0, nq = 0, bp = UINT32_MAX, bq = UINT32_MAX;
		for (size_t j = 0; j < na; j++)
			if (a[j] < n1 && pos1[a[j]] != UINT32_MAX) p[np++] = pos1[a[j]];
		for (size_t j = 0; j < nb; j++)
			if (b[j] < n2 && pos2[b[j]] != UINT32_MAX) q[nq++] = pos2[b[j]];
		if (!np || !nq) continue;   /* in no cell */
		for (uint32_t j = 0; j < np; j++)
			if (bp == UINT32_MAX || rs[p[j]] < rs[bp] || (rs[p[j]] == rs[bp] && p[j] < bp)) bp = p[j];
		for (uint32_t j = 0; j < nq; j++)
			if (bq == UINT32_MAX || cs[q[j]] < cs[bq] || (cs[q[j]] == cs[bq] && q[j] < bq)) bq = q[j];
		if (bp == UINT32_MAX || bq == UINT32_MAX) continue;   /* a key not shown: no cell to fill */
		for (uint32_t j = 0; x->least_rows && j < nq; j++) x->least_rows[(size_t)bp * nc + q[j]]++;
		for (uint32_t j = 0; x->least_cols && j < np; j++) x->least_cols[(size_t)p[j] * nc + bq]++;
	}
	rc = x->rows->by_date ? 0 : xtab_sort_shown(x, rs);
out:
	free(rs);
	free(cs);
	return rc;
}

/* Rows and columns are the margins in display order (rows by count, date columns
 * chronologically); cells count records having both keys. */
tl_xtab *agg_crosstab(const tl_store *s, const tl_sel *sel, const char *f1, const char *f2,
                      tl_date from, tl_date to, tl_error *err)
{
	tl_xtab *x = calloc(1, sizeof *x);
	keyer k1, k2;
	uint32_t *pos1 = NULL, *pos2 = NULL, a[MAXKEYS], b[MAXKEYS];
	size_t n = sel_n(s, sel);
	int ok1 = 0, ok2 = 0;
	if (!x) { tl_fail(err, NULL, 0, 0, "out of memory"); return NULL; }
	if (!(x->rows = agg_count(s, sel, f1, from, to, err))) goto fail;
	if (!(x->cols = agg_count(s, sel, f2, from, to, err))) goto fail;
	x->cols->edge = 0;   /* the items a date range left out are said once, with the rows */
	if (x->cols->by_date) tl_counts_sort_key(x->cols);
	if (x->rows->by_date) tl_counts_sort_key(x->rows);
	if (keyer_init(&k1, s, sel, f1, from, to, err) < 0) goto fail;
	ok1 = 1;
	if (keyer_init(&k2, s, sel, f2, from, to, err) < 0) goto fail;
	ok2 = 1;
	/* scratch dictionaries must know every key before the positions are mapped */
	for (size_t i = 0; (k1.tmp || k2.tmp) && i < n; i++) {
		if (k1.tmp) keyer_keys(&k1, sel_row(sel, i), a, MAXKEYS);
		if (k2.tmp) keyer_keys(&k2, sel_row(sel, i), b, MAXKEYS);
	}
	uint32_t n1 = keyer_nkeys(&k1), n2 = keyer_nkeys(&k2);
	pos1 = malloc((n1 ? n1 : 1) * sizeof *pos1);
	pos2 = malloc((n2 ? n2 : 1) * sizeof *pos2);
	x->cells = calloc(x->rows->n * x->cols->n + 1, sizeof *x->cells);
	if (!pos1 || !pos2 || !x->cells) { tl_fail(err, NULL, 0, 0, "out of memory"); goto fail; }
	/* key -> display position, through the names the margins carry */
	for (uint32_t key = 0; key < n1; key++) pos1[key] = UINT32_MAX;
	for (uint32_t key = 0; key < n2; key++) pos2[key] = UINT32_MAX;
	for (size_t i = 0; i < x->rows->n; i++) {
		uint32_t key = x->rows->order[i];
		if (k1.tmp) key = dict_find(k1.tmp, x->rows->keys[i], strlen(x->rows->keys[i]));
		if (key < n1) pos1[key] = (uint32_t)i;
	}
	for (size_t i = 0; i < x->cols->n; i++) {
		uint32_t key = x->cols->order[i];
		if (k2.tmp) key = dict_find(k2.tmp, x->cols->keys[i], strlen(x->cols->keys[i]));
		if (key < n2) pos2[key] = (uint32_t)i;
	}
	size_t nc = x->cols->n;
	for (size_t i = 0; i < n; i++) {
		size_t r = sel_row(sel, i);
		size_t na = keyer_keys(&k1, r, a, MAXKEYS);
		if (!na) continue;
		size_t nb = keyer_keys(&k2, r, b, MAXKEYS);
		for (size_t p = 0; p < na; p++)
			for (size_t q = 0; q < nb; q++)
				if (a[p] < n1 && b[q] < n2 && pos1[a[p]] != UINT32_MAX && pos2[b[q]] != UINT32_MAX)
					x->cells[(size_t)pos1[a[p]] * nc + pos2[b[q]]]++;
	}
	if (xtab_least(x, s, sel, &k1, &k2, pos1, pos2, n1, n2) < 0) { tl_fail(err, NULL, 0, 0, "out of memory"); goto fail; }
	free(pos1); free(pos2);
	keyer_free(&k1); keyer_free(&k2);
	return x;
fail:
	free(pos1); free(pos2);
	if (ok1) keyer_free(&k1);
	if (ok2) keyer_free(&k2);
	tl_xtab_free(x);
	return NULL;
}

/* ------------------------------------------------------------------ filters */

/* The start of a date's period, as a comparable value (day 1 for coarse dates). */
static int32_t period_start(tl_date d)
{
	int day = tl_date_day(d);
	return (tl_date_month_index(d) << 7) | ((day ? day : 1) << 2);
}

static int32_t period_end(tl_date d)
{
	int day = tl_date_day(d);
	int y = tl_date_year(d), m = tl_date_month(d);
	if (!day) {
		int p = tl_date_prec(d), last = p == TL_PREC_YEAR ? 12 : p == TL_PREC_QUARTER ? m + 2 : m;
		return ((y * 12 + last - 1) << 7) | (tl_days_in_month(y, last) << 2);
	}
	return (tl_date_month_index(d) << 7) | (day << 2);
}

/* The codes a filter's values mean in a category column; countries accept their
 * aliases when ctx gives a vocabulary, dimensions always. Returns a bitmap over the
 * dictionary. */
static uint8_t *filter_codes(const tl_store *s, int col, const char **values, tl_ctx *ctx, tl_error *err)
{
	const tl_column *c = &s->cols[col];
	uint8_t *want = calloc(c->dict->n / 8 + 1, 1);
	if (!want) { tl_fail(err, NULL, 0, 0, "out of memory"); return NULL; }
	for (const char **v = values; *v; v++) {
		const char *name = *v;
		if (col == s->role[TL_ROLE_COUNTRY]) {
			const tl_vocab *voc = ctx ? tl_ctx_vocab(ctx, NULL) : NULL;
			const tl_country *k = voc ? vocab_country(voc, name, strlen(name), TL_CC_NAME) : NULL;
			if (k && dict_find(c->dict, name, strlen(name)) == TL_NA) name = k->name;
		} else if (col == s->role[TL_ROLE_DIMENSION]) {
			int d = vocab_dimension(name, strlen(name));
			if (d >= 0) name = vocab_dimension_name(d);
		}
		uint32_t code = dict_find(c->dict, name, strlen(name));
		if (code != TL_NA) want[code >> 3] |= (uint8_t)(1u << (code & 7));
	}
	return want;
}

static int row_has(const tl_column *c, size_t r, const uint8_t *want)
{
	if (c->type == TL_CAT) {
		uint32_t code = store_cat(c, r);
		return code != TL_NA && (want[code >> 3] >> (code & 7) & 1);
	}
	for (uint64_t v = c->offs[r]; v < c->offs[r + 1]; v++)
		if (want[store_val(c, v) >> 3] >> (store_val(c, v) & 7) & 1) return 1;
	return 0;
}

/* A row's value of a text, integer or date column as a string, for matching. */
static int row_matches_str(const tl_column *c, size_t r, const char **values)
{
	char buf[40];
	const char *str = buf;
	size_t n;
	if (c->type == TL_TEXT) str = store_text(c, r, &n);
	else if (c->type == TL_DATE) n = c->dates[r] ? (size_t)tl_date_format(c->dates[r], buf, sizeof buf) : 0;
	else n = store_int_isnull(c, r) ? 0 : (size_t)snprintf(buf, sizeof buf, "%lld", (long long)c->ints[r]);
	for (const char **v = values; *v; v++)
		if (strlen(*v) == n && memcmp(*v, str, n) == 0) return 1;
	return 0;
}

/* A filter on month, quarter or year becomes a date range. */
static int part_filter(const tl_store *s, const tl_filter *f, tl_date *from, tl_date *to, tl_error *err)
{
	const char *v = f->values[0];
	tl_date d;
	const char *why;
	if (!v || f->values[1]) return tl_fail(err, NULL, 0, 0, "--where %s= takes one value", f->field);
	if (s->role[TL_ROLE_DATE] < 0) return tl_fail(err, NULL, 0, 0, "no date field to filter by %s", f->field);
	if (tl_date_parse(v, strlen(v), &d, &why) < 0) return tl_fail(err, NULL, 0, 0, "--where %s=%s: %s", f->field, v, why);
	*from = d;
	*to = d;
	return 0;
}

int agg_filter(const tl_store *s, const tl_sel *sel, const tl_filter *f, size_t nf,
               tl_ctx *ctx, tl_sel *out, tl_error *err)
{
	size_t n = sel_n(s, sel), nin = n + (sel ? sel->nedge : 0), kept = 0, edge = 0;
	int *cols = calloc(nf + 1, sizeof *cols);
	uint8_t **want = calloc(nf + 1, sizeof *want);
	int32_t *lo = calloc(nf + 1, sizeof *lo), *hi = calloc(nf + 1, sizeof *hi);
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (!cols || !want || !lo || !hi || !(out->rows = malloc((n ? n : 1) * sizeof *out->rows)) ||
	    !(out->edge = malloc((nin ? nin : 1) * sizeof *out->edge))) {
		tl_fail(err, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t j = 0; j < nf; j++) {
		tl_date from = f[j].from, to = f[j].to;
		cols[j] = -1;
		if (f[j].field) {
			int c = agg_field_column(s, f[j].field);
			if (c < 0 && (!strcmp(f[j].field, "month") || !strcmp(f[j].field, "quarter") || !strcmp(f[j].field, "year"))) {
				if (part_filter(s, &f[j], &from, &to, err) < 0) goto done;
			} else if (c < 0) {
				agg_unknown_field(s, f[j].field, err);
				goto done;
			} else {
				cols[j] = c;
				if (s->cols[c].dict && !(want[j] = filter_codes(s, c, f[j].values, ctx, err))) goto done;
			}
		}
		if ((from || to) && s->role[TL_ROLE_DATE] < 0) {
			tl_fail(err, NULL, 0, 0, "no date field to filter on (use --map date=COLUMN)");
			goto done;
		}
		lo[j] = from ? period_start(from) : INT32_MIN;
		hi[j] = to ? period_end(to) : INT32_MAX;
	}
	const tl_column *dc = s->role[TL_ROLE_DATE] >= 0 ? &s->cols[s->role[TL_ROLE_DATE]] : NULL;
	/* the rows in, then the rows an earlier range left at its edge: a row kept by
	 * every filter but a range its date only overlaps is at the edge */
	for (size_t i = 0; i < nin; i++) {
		size_t r = i < n ? sel_row(sel, i) : sel->edge[i - n];
		size_t j;
		int at_edge = i >= n;
		for (j = 0; j < nf; j++) {
			if (cols[j] >= 0) {
				const tl_column *c = &s->cols[cols[j]];
				if (want[j] ? !row_has(c, r, want[j]) : !row_matches_str(c, r, f[j].values)) break;
			}
			if (lo[j] != INT32_MIN || hi[j] != INT32_MAX) {
				tl_date d = dc->dates[r];
				if (!d) break;
				if (period_start(d) < lo[j] || period_end(d) > hi[j]) {
					if (period_end(d) < lo[j] || period_start(d) > hi[j]) break;
					at_edge = 1;
				}
			}
		}
		if (j < nf) continue;
		if (at_edge) out->edge[edge++] = (uint32_t)r;
		else out->rows[kept++] = (uint32_t)r;
	}
	out->n = kept;
	out->nedge = edge;
	rc = 0;
done:
	if (rc < 0) tl_sel_free(out);
	for (size_t j = 0; want && j < nf; j++) free(want[j]);
	free(want); free(cols); free(lo); free(hi);
	return rc;
}

/* ------------------------------------------------------------ distinct values */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Distinct values and missing rows of a column, without copying its strings:
 * text, dates and numbers are hashed to 64 bits, sorted and the runs counted
 * (8 bytes a row, less than a hash set needs at a load it can probe). */
int64_t agg_distinct(const tl_store *s, int col, int64_t *missing)
{
	const tl_column *c = &s->cols[col];
	uint64_t *hashes = NULL;
	size_t nh = 0, n = 0;
	int64_t miss = 0;
	uint8_t *seen = NULL;
	if (c->dict && !(seen = calloc(c->dict->n / 8 + 1, 1))) return -1;
	if (!c->dict && !(hashes = malloc((s->nrows ? s->nrows : 1) * sizeof *hashes))) return -1;
	for (size_t r = 0; r < s->nrows; r++) {
		uint64_t h = 0;
		switch (c->type) {
		case TL_CAT:
		{
			uint32_t code = store_cat(c, r);
			if (code == TL_NA) { miss++; continue; }
			if (!(seen[code >> 3] >> (code & 7) & 1)) n++;
			seen[code >> 3] |= (uint8_t)(1u << (code & 7));
			continue;
		}
		case TL_LIST:
			if (c->offs[r] == c->offs[r + 1]) { miss++; continue; }
			for (uint32_t v = c->offs[r]; v < c->offs[r + 1]; v++) {
				uint32_t code = store_val(c, v);
				if (!(seen[code >> 3] >> (code & 7) & 1)) n++;
				seen[code >> 3] |= (uint8_t)(1u << (code & 7));
			}
			continue;
		case TL_TEXT: {
			size_t len;
			const char *t = store_text(c, r, &len);
			if (!len) { miss++; continue; }
			h = 14695981039346656037ull;
			for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)t[i]) * 1099511628211ull;
			break;
		}
		case TL_DATE:
			if (!c->dates[r]) { miss++; continue; }
			h = (uint64_t)(uint32_t)c->dates[r];
			break;
		case TL_INT:
			if (store_int_isnull(c, r)) { miss++; continue; }
			h = (uint64_t)c->ints[r] * 0xff51afd7ed558ccdull + 1;
			break;
		}
		hashes[nh++] = h;
	}
	if (hashes) {
		qsort(hashes, nh, sizeof *hashes, cmp_u64);
		for (size_t i = 0; i < nh; i++) n += !i || hashes[i] != hashes[i - 1];
	}
	free(hashes);
	free(seen);
	if (missing) *missing = miss;
	return (int64_t)n;
}
