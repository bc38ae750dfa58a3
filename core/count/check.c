/* Checking the values of filters before they are applied.
 *
 * A filter whose value nothing holds counts zero records, and "0 records" printed
 * with exit status 0 reads as a finding, not as the typo it usually is. So a value
 * is checked against what it may mean: a country or dimension against the
 * vocabulary (a usage error with "did you mean"), a quarter, month or year against
 * its form, and any value against the whole store (not the current view: a quarter
 * without photos is a finding) unless the caller says an empty result is intended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/count.h"
#include "tally/ctx.h"
#include "tally/suggest.h"
#include "tally/vocab.h"
#include "count/count_int.h"

#define NEAREST   3       /* values named when one is not held */
#define SCAN_MAX  50000   /* rows of a text column looked at for near values */

/* Does any record of the store match field = v? 1, 0, or -1 with err. A category
 * or list column is scanned for the value's code until it is found (at once, for
 * most values); other fields are filtered as agg_filter would. */
static int held(const tl_store *s, const char *field, const char *v, tl_ctx *ctx, tl_error *err)
{
	int col = agg_field_column(s, field);
	if (col >= 0 && s->cols[col].dict) {
		const tl_column *c = &s->cols[col];
		uint32_t code = dict_find(c->dict, v, strlen(v));
		if (code == TL_NA) return 0;
		if (c->type == TL_CAT) {
			for (size_t r = 0; r < s->nrows; r++)
				if (store_cat(c, r) == code) return 1;
		} else {
			size_t n = c->offs ? c->offs[s->nrows] : 0;   /* the values of kept rows */
			for (size_t i = 0; i < n; i++)
				if (store_val(c, i) == code) return 1;
		}
		return 0;
	}
	const char *vals[2] = {v, NULL};
	tl_filter one = {field, vals, 0, 0};
	tl_sel out;
	if (agg_filter(s, NULL, &one, 1, ctx, &out, err) < 0) return -1;
	int n = out.n > 0;
	tl_sel_free(&out);
	return n;
}

/* "'a', 'b' or 'c'" from the nearest of cands to v. */
static void nearest_list(char *buf, size_t size, const char *v, const char *const *cands, size_t n)
{
	const char *near[NEAREST];
	size_t k = tl_nearest(v, cands, n, near, NEAREST), used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s'%s'", i == 0 ? "" : i + 1 == k ? " or " : ", ", near[i]);
}

/* The near values of a column: its dictionary, or the values of its first rows. */
static void column_nearest(const tl_store *s, int col, const char *v, char *buf, size_t size)
{
	const tl_column *c = &s->cols[col];
	if (c->dict) {
		nearest_list(buf, size, v, (const char *const *)c->dict->str, c->dict->n);
		return;
	}
	size_t n = s->nrows < SCAN_MAX ? s->nrows : SCAN_MAX, k = 0;
	char **vals = calloc(n + 1, sizeof *vals);
	buf[0] = '\0';
	if (!vals) return;
	for (size_t r = 0; r < n; r++) {
		char tmp[40];
		size_t len = 0;
		const char *str = tmp;
		if (c->type == TL_TEXT) str = store_text(c, r, &len);
		else if (c->type == TL_DATE) len = c->dates[r] ? (size_t)tl_date_format(c->dates[r], tmp, sizeof tmp) : 0;
		else if (c->type == TL_INT && !store_int_isnull(c, r)) len = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)c->ints[r]);
		if (len && len <= TL_SUGGEST_MAX && (vals[k] = strndup(str, len))) k++;
	}
	nearest_list(buf, size, v, (const char *const *)vals, k);
	for (size_t i = 0; i < k; i++) free(vals[i]);
	free(vals);
}

/* A quarter, month or year value: its form first, then whether any record is in it. */
static int check_part(const tl_store *s, const char *part, const char *v, int allow_empty,
                      const char *hint, tl_ctx *ctx, tl_error *err)
{
	static const struct { const char *part; int prec; const char *example; } parts[] = {
		{"quarter", TL_PREC_QUARTER, "2023Q2 or 2023-Q2"}, {"month", TL_PREC_MONTH, "2023-04"},
		{"year", TL_PREC_YEAR, "2023"},
	};
	size_t i = 0;
	tl_date d;
	const char *why;
	while (strcmp(parts[i].part, part)) i++;
	if (tl_date_parse(v, strlen(v), &d, &why) < 0 || tl_date_prec(d) != parts[i].prec)
		return tl_fail(err, NULL, 0, 0, "unknown %s '%s' (expected %s)", part, v, parts[i].example);
	int h = held(s, part, v, ctx, err);
	if (h < 0) return -1;
	if (h || allow_empty) return 0;
	/* name the span the data covers: the nearest periods it holds */
	const tl_column *c = &s->cols[s->role[TL_ROLE_DATE]];
	tl_date lo = 0, hi = 0;
	for (size_t r = 0; r < s->nrows; r++) {
		tl_date x = c->dates[r];
		if (!x) continue;
		if (!lo || x < lo) lo = x;
		if (!hi || x > hi) hi = x;
	}
	char a[32] = "", b[32] = "";
	if (!lo) return tl_fail(err, NULL, 0, 0, "no record is dated in %s %s: no record has a date%s", part, v, hint);
	tl_date_format(lo, a, sizeof a);
	tl_date_format(hi, b, sizeof b);
	return tl_fail(err, NULL, 0, 0, "no record is dated in %s %s: the dates run from %s to %s%s", part, v, a, b, hint);
}

/* A value of the dimension role must be one of the six dimensions (or an alias). */
int agg_check_dimension(const char *v, tl_error *err)
{
	const char *names[TL_NDIMS];
	char hint[TL_SUGGEST_MAX + 32];
	if (vocab_dimension(v, strlen(v)) >= 0) return 0;
	for (int d = 0; d < TL_NDIMS; d++) names[d] = vocab_dimension_name(d);
	tl_did_you_mean(hint, sizeof hint, v, names, TL_NDIMS);
	return tl_fail(err, NULL, 0, 0, "unknown dimension '%s'%s (dimensions: military-political, "
	               "new-challenges-and-threats, economic, environmental, human, institutional)", v, hint);
}

/* A value of the country role must name a country (or be held as written, as a
 * load with --country-codes raw keeps cells). */
static int check_country(const tl_store *s, int col, const char *v, tl_ctx *ctx, tl_error *err)
{
	const tl_vocab *voc = ctx ? tl_ctx_vocab(ctx, NULL) : NULL;
	const tl_column *c = &s->cols[col];
	if (!voc || dict_find(c->dict, v, strlen(v)) != TL_NA) return 0;
	return agg_check_country(voc, v, err);
}

int agg_check_country(const tl_vocab *voc, const char *v, tl_error *err)
{
	if (vocab_country(voc, v, strlen(v), TL_CC_NAME)) return 0;
	const char *near = vocab_suggest(voc, v, strlen(v));
	if (near) return tl_fail(err, NULL, 0, 0, "unknown country '%s' (did you mean '%s'?)", v, near);
	return tl_fail(err, NULL, 0, 0, "unknown country '%s' (not a country name, alias or ISO alpha-3 code)", v);
}

int agg_check_filter(const tl_store *s, const tl_filter *f, size_t nf, int allow_empty,
                     const char *hint, tl_ctx *ctx, tl_error *err)
{
	if (!hint) hint = "";
	for (size_t j = 0; j < nf; j++) {
		const char *field = f[j].field;
		if (!field || !f[j].values) continue;
		int col = agg_field_column(s, field);
		int part = col < 0 && (!strcmp(field, "quarter") || !strcmp(field, "month") || !strcmp(field, "year"));
		if (col < 0 && !part) return agg_unknown_field(s, field, err);
		for (const char **v = f[j].values; *v; v++) {
			if (part) {
				if (check_part(s, field, *v, allow_empty, hint, ctx, err) < 0) return -1;
				continue;
			}
			if (col == s->role[TL_ROLE_DIMENSION]) {
				if (agg_check_dimension(*v, err) < 0) return -1;
				continue;
			}
			if (col == s->role[TL_ROLE_COUNTRY]) {
				if (check_country(s, col, *v, ctx, err) < 0) return -1;
				continue;
			}
			if (allow_empty) continue;
			int h = held(s, field, *v, ctx, err);
			if (h < 0) return -1;
			if (h) continue;
			char near[3 * (TL_SUGGEST_MAX + 8)];
			column_nearest(s, col, *v, near, sizeof near);
			if (!near[0]) return tl_fail(err, NULL, 0, 0, "no record has %s '%s': the field holds no value%s", field, *v, hint);
			return tl_fail(err, NULL, 0, 0, "no record has %s '%s' (nearest values held: %s)%s", field, *v, near, hint);
		}
	}
	return 0;
}
