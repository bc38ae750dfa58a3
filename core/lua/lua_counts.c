/* Counts and Tables (cross-tabs) for Lua: sorting, cutting to the top, shares,
 * diffs, printing and CSV. The counting itself is aggregate.c's; a Counts owns its
 * tl_counts, a Table its tl_xtab. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "count/format.h"
#include "lua/lua_tally.h"

tl_counts *lt_checkcounts(lua_State *L, int i)
{
	lt_counts *c = tocounts(L, i);
	if (c->c == NULL)
		luaL_argerror(L, i, "Counts already collected");
	return c->c;
}

tl_xtab *lt_checkxtab(lua_State *L, int i)
{
	lt_xtab *x = toxtab(L, i);
	if (x->x == NULL)
		luaL_argerror(L, i, "Table already collected");
	return x->x;
}

tl_counts *lt_tocounts(lua_State *L, int i)
{
	lt_counts *c = luaL_testudata(L, i, LT_COUNTS);
	return c ? c->c : NULL;
}

tl_xtab *lt_toxtab(lua_State *L, int i)
{
	lt_xtab *x = luaL_testudata(L, i, LT_TABLE);
	return x ? x->x : NULL;
}

lt_counts *lt_newcounts(lua_State *L)
{
	lt_counts *c = lua_newuserdatauv(L, sizeof *c, 0);
	c->c = NULL;
	c->before = NULL;
	c->charged = 0;
	luaL_setmetatable(L, LT_COUNTS);
	return c;
}

lt_xtab *lt_newxtab(lua_State *L)
{
	lt_xtab *x = lua_newuserdatauv(L, sizeof *x, 0);
	x->x = NULL;
	x->charged = 0;
	luaL_setmetatable(L, LT_TABLE);
	return x;
}

static size_t counts_bytes(const tl_counts *c)
{
	size_t b = sizeof *c + c->n * (sizeof *c->keys + sizeof *c->counts + sizeof *c->order + 16);
	for (size_t i = 0; i < c->n; i++)
		b += strlen(c->keys[i]) + 1;
	return b;
}

/* Counts what the Counts or Table at the top holds against --max-memory (raises
 * past it; __gc frees the object and gives the bytes back). */
void lt_chargecounts(lua_State *L)
{
	lt_counts *c = luaL_testudata(L, -1, LT_COUNTS);
	lt_xtab *x = c ? NULL : luaL_testudata(L, -1, LT_TABLE);
	size_t b = 0;
	if (c && c->c)
		b = counts_bytes(c->c) + (c->before ? c->c->n * sizeof *c->before : 0);
	else if (x && x->x)
		b = counts_bytes(x->x->rows) + counts_bytes(x->x->cols)
		    + x->x->rows->n * x->x->cols->n * sizeof *x->x->cells;
	lt_charge(L, b);
	if (c)
		c->charged = b;
	else if (x)
		x->charged = b;
}

/* ---------------------------------------------------------------------- */
/* Counts built in C                                                      */
/* ---------------------------------------------------------------------- */

/* An empty Counts with room for n rows, carrying like's field and totals. */
static tl_counts *counts_alloc(size_t n, const tl_counts *like)
{
	tl_counts *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->keys = calloc(n ? n : 1, sizeof *c->keys);
	c->counts = calloc(n ? n : 1, sizeof *c->counts);
	c->order = calloc(n ? n : 1, sizeof *c->order);
	c->field = strdup(like->field ? like->field : "");
	if (!c->keys || !c->counts || !c->order || !c->field) {
		tl_counts_free(c);
		return NULL;
	}
	c->records = like->records;
	c->mentions = like->mentions;
	c->missing = like->missing;
	c->by_date = like->by_date;
	return c;
}

/* Appends row i of src to dst. */
static int counts_addrow(tl_counts *dst, const tl_counts *src, size_t i)
{
	if ((dst->keys[dst->n] = strdup(src->keys[i])) == NULL)
		return -1;
	dst->counts[dst->n] = src->counts[i];
	dst->order[dst->n] = src->order[i];
	dst->n++;
	return 0;
}

/* Sorting by a permutation: qsort has no context argument in C11. */
static const tl_counts *cmp_counts;
static const int64_t *cmp_xcounts;   /* the values compared (row sums for a Table) */

static int cmp_desc;                 /* 1: larger counts, later keys first */

/* By count (ties by key, always ascending, so that equal counts read A to Z). */
static int cmp_bycount(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (cmp_xcounts[i] != cmp_xcounts[j])
		return (cmp_xcounts[i] > cmp_xcounts[j]) == cmp_desc ? -1 : 1;
	return strcmp(cmp_counts->keys[i], cmp_counts->keys[j]);
}

static int cmp_bykey(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const tl_counts *c = cmp_counts;
	int r;
	if (c->by_date && c->order[i] != c->order[j])
		r = c->order[i] < c->order[j] ? -1 : 1;
	else
		r = strcmp(c->keys[i], c->keys[j]);
	return cmp_desc ? -r : r;
}

/* The order of c's rows by count (of vals) or by key, descending or not. NULL
 * when out of memory. */
static size_t *permutation(const tl_counts *c, const int64_t *vals, int bykey, int desc)
{
	size_t *ix = malloc((c->n ? c->n : 1) * sizeof *ix);
	if (ix == NULL)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		ix[i] = i;
	cmp_counts = c;
	cmp_xcounts = vals;
	cmp_desc = desc;
	qsort(ix, c->n, sizeof *ix, bykey ? cmp_bykey : cmp_bycount);
	return ix;
}

/* ---------------------------------------------------------------------- */
/* Counts methods                                                         */
/* ---------------------------------------------------------------------- */

static lt_counts *checkcounts(lua_State *L, int i)
{
	lt_checkcounts(L, i);
	return tocounts(L, i);
}

static int64_t counts_total(const tl_counts *c)
{
	int64_t t = 0;
	for (size_t i = 0; i < c->n; i++)
		t += c->counts[i];
	return t;
}

static int counts_gc(lua_State *L)
{
	lt_counts *c = tocounts(L, 1);
	tl_counts_free(c->c);
	free(c->before);
	c->c = NULL;
	c->before = NULL;
	lt_discharge(L, c->charged);
	c->charged = 0;
	return 0;
}

static int counts_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lt_checkcounts(L, 1)->n);
	return 1;
}

static int counts_tostring(lua_State *L)
{
	lt_counts *c = tocounts(L, 1);
	if (c->c == NULL)
		lua_pushliteral(L, "tally.Counts (collected)");
	else
		lua_pushfstring(L, "tally.%s: %s, %d rows", c->before ? "Diff" : "Counts", c->c->field, (int)c->c->n);
	return 1;
}

/* Fills the empty dst with src's rows in the order ix (the first n of them).
 * No Lua call: -1 when out of memory, with nothing left allocated. */
static int counts_permuted(lt_counts *dst, const lt_counts *src, const size_t *ix, size_t n)
{
	tl_counts *c = counts_alloc(n, src->c);
	int64_t *before = src->before ? malloc((n ? n : 1) * sizeof *before) : NULL;
	int ok = c != NULL && (src->before == NULL || before != NULL);
	for (size_t i = 0; ok && i < n; i++) {
		ok = counts_addrow(c, src->c, ix[i]) == 0;
		if (before)
			before[i] = src->before[ix[i]];
	}
	if (!ok) {
		tl_counts_free(c);
		free(before);
		return -1;
	}
	dst->c = c;
	dst->before = before;
	return 0;
}

static const char *const sortby[] = { "count", "key", NULL };

/* c:sorted([by [, desc]]): by "count" (descending) or "key" (ascending, dates in
 * time order); desc reverses. A new Counts. */
static int counts_sorted(lua_State *L)
{
	lt_counts *src = checkcounts(L, 1), *dst;
	int bykey = luaL_checkoption(L, 2, "count", sortby);
	int desc = lua_isnoneornil(L, 3) ? !bykey : lua_toboolean(L, 3);
	size_t *ix;
	dst = lt_newcounts(L);   /* before anything is malloc'ed */
	src = checkcounts(L, 1);   /* again: making dst may have run a finaliser */
	ix = permutation(src->c, src->c->counts, bykey, desc);
	if (ix == NULL || counts_permuted(dst, src, ix, src->c->n) < 0) {
		free(ix);
		return luaL_error(L, "not enough memory");
	}
	free(ix);
	lt_chargecounts(L);
	return 1;
}

/* c:top(n [, other]): the n largest rows; with other, the rest folded into one
 * row of that name. A new Counts. */
static int counts_top(lua_State *L)
{
	lt_counts *src = checkcounts(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *other = luaL_optstring(L, 3, NULL);
	size_t keep, *ix;
	lt_counts *dst;
	luaL_argcheck(L, n >= 0, 2, "must not be negative");
	keep = (size_t)n < src->c->n ? (size_t)n : src->c->n;
	dst = lt_newcounts(L);
	src = checkcounts(L, 1);   /* again: making dst may have run a finaliser */
	if ((ix = permutation(src->c, src->c->counts, 0, 1)) == NULL)
		return luaL_error(L, "not enough memory");
	tl_counts *c = counts_alloc(keep + 1, src->c);
	int64_t *before = src->before ? calloc(keep + 1, sizeof *before) : NULL;
	int ok = c != NULL && (!src->before || before);
	for (size_t i = 0; ok && i < keep; i++) {
		ok = counts_addrow(c, src->c, ix[i]) == 0;
		if (before)
			before[i] = src->before[ix[i]];
	}
	if (ok && other && keep < src->c->n) {
		int64_t rest = 0, restb = 0;
		for (size_t i = keep; i < src->c->n; i++) {
			rest += src->c->counts[ix[i]];
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
	free(ix);
	if (!ok) {
		tl_counts_free(c);
		free(before);
		return luaL_error(L, "not enough memory");
	}
	dst->c = c;
	dst->before = before;
	lt_chargecounts(L);
	return 1;
}

static int counts_total_l(lua_State *L)
{
	lua_pushinteger(L, counts_total(lt_checkcounts(L, 1)));
	return 1;
}

/* The row of key, or -1. */
static long counts_find(const tl_counts *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->keys[i], key) == 0)
			return (long)i;
	return -1;
}

static int counts_get(lua_State *L)
{
	tl_counts *c = lt_checkcounts(L, 1);
	long i = counts_find(c, luaL_checkstring(L, 2));
	lua_pushinteger(L, i < 0 ? 0 : c->counts[i]);
	return 1;
}

/* c:share(key): key's count over the total, 0..1. */
static int counts_share(lua_State *L)
{
	tl_counts *c = lt_checkcounts(L, 1);
	long i = counts_find(c, luaL_checkstring(L, 2));
	int64_t t = counts_total(c);
	lua_pushnumber(L, i < 0 || t == 0 ? 0.0 : (lua_Number)c->counts[i] / (lua_Number)t);
	return 1;
}

/* Pushes the percent change of row i of a diff, or nil when it had no base. */
static void pushpct(lua_State *L, const lt_counts *c, size_t i)
{
	if (c->before[i] == 0)
		lua_pushnil(L);
	else
		lua_pushnumber(L, 100.0 * (lua_Number)c->c->counts[i] / (lua_Number)c->before[i]);
}

static int counts_next(lua_State *L)
{
	lt_counts *c = checkcounts(L, lua_upvalueindex(1));
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	if ((size_t)i >= c->c->n)
		return 0;
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	lua_pushstring(L, c->c->keys[i]);
	lua_pushinteger(L, c->c->counts[i]);
	if (c->before) {
		pushpct(L, c, (size_t)i);
		return 3;
	}
	return 2;
}

/* for key, n in c:pairs() (a diff also gives the percent change). */
static int counts_pairs(lua_State *L)
{
	checkcounts(L, 1);
	lua_settop(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, counts_next, 2);
	return 1;
}

/* Every Lua allocation can run a finaliser, and a finaliser can reach a Counts
 * through a resurrected object whose __gc already ran: the loops below read the
 * C data again after each allocation (checkcounts raises once it is gone) and copy
 * what a row needs into locals first. */
static int counts_rows(lua_State *L)
{
	lt_counts *c = checkcounts(L, 1);
	int64_t t = counts_total(c->c);
	lua_createtable(L, (int)c->c->n, 0);
	for (size_t i = 0; i < (c = checkcounts(L, 1))->c->n; i++) {
		int64_t n = c->c->counts[i], before = c->before ? c->before[i] : 0;
		int diff = c->before != NULL;
		lua_pushstring(L, c->c->keys[i]);   /* the last read of c until the next row */
		lua_createtable(L, 2, 4);
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, 1);
		lua_insert(L, -2);
		lua_setfield(L, -2, "key");
		lua_pushinteger(L, n);
		lua_rawseti(L, -2, 2);
		lua_pushinteger(L, n);
		lua_setfield(L, -2, "count");
		if (diff) {
			lua_pushinteger(L, before);
			lua_setfield(L, -2, "before");
			lua_pushinteger(L, before + n);
			lua_setfield(L, -2, "after");
			lua_pushinteger(L, n);
			lua_setfield(L, -2, "change");
			if (before == 0)
				lua_pushnil(L);   /* as pushpct: no percent change from nothing */
			else
				lua_pushnumber(L, 100.0 * (lua_Number)n / (lua_Number)before);
			lua_setfield(L, -2, "pct");
		} else {
			lua_pushnumber(L, t ? (lua_Number)n / (lua_Number)t : 0.0);
			lua_setfield(L, -2, "share");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int counts_keys(lua_State *L)
{
	lua_createtable(L, (int)lt_checkcounts(L, 1)->n, 0);
	for (size_t i = 0; i < lt_checkcounts(L, 1)->n; i++) {
		lua_pushstring(L, lt_checkcounts(L, 1)->keys[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* c:info(): what was counted. */
static int counts_info(lua_State *L)
{
	tl_counts *c = lt_checkcounts(L, 1);
	lua_createtable(L, 0, 6);
	lua_pushstring(L, c->field);
	lua_setfield(L, -2, "field");
	lua_pushinteger(L, c->records);
	lua_setfield(L, -2, "records");
	lua_pushinteger(L, c->mentions);
	lua_setfield(L, -2, "mentions");
	lua_pushinteger(L, c->missing);
	lua_setfield(L, -2, "missing");
	lua_pushinteger(L, (lua_Integer)c->n);
	lua_setfield(L, -2, "rows");
	lua_pushboolean(L, c->by_date);
	lua_setfield(L, -2, "by_date");
	return 1;
}

static void fmt_pct(char *buf, size_t n, const lt_counts *c, size_t i)
{
	if (c->before[i] == 0)
		snprintf(buf, n, "new");
	else
		snprintf(buf, n, "%+.1f%%", 100.0 * (double)c->c->counts[i] / (double)c->before[i]);
}

/* The layout of `tally count`: key, count, a bar; then what was counted. A diff
 * shows before, after, change and percent. */
static void print_counts(FILE *f, const lt_counts *lc)
{
	const tl_counts *c = lc->c;
	int kw = fmt_text_width(c->field), cw;
	int64_t max = 0;
	char num[32];
	if (!lc->before) {
		fmt_counts(f, c, FMT_TABLE, 0);
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		int w = fmt_text_width(c->keys[i]);
		int64_t after = lc->before[i] + c->counts[i], v = lc->before[i] > after ? lc->before[i] : after;
		if (w > kw)
			kw = w;
		if (v > max)
			max = v;
	}
	if (kw > 48)
		kw = 48;
	cw = snprintf(num, sizeof num, "%lld", (long long)max);
	if (cw < 5)
		cw = 5;
	fputs(c->field, f);
	fmt_pad(f, kw - fmt_text_width(c->field) + 2);
	int wb = cw < 6 ? 6 : cw, wc = cw + 1 < 6 ? 6 : cw + 1;
	fprintf(f, "%*s  %*s  %*s  %8s\n", wb, "before", cw, "after", wc, "change", "percent");
	for (size_t i = 0; i < c->n; i++) {
		char pct[32];
		fmt_pct(pct, sizeof pct, lc, i);
		fputs(c->keys[i], f);
		fmt_pad(f, kw - fmt_text_width(c->keys[i]) + 2);
		fprintf(f, "%*lld  %*lld  %+*lld  %8s\n", wb, (long long)lc->before[i],
		        cw, (long long)(lc->before[i] + c->counts[i]), wc, (long long)c->counts[i], pct);
	}
}

static int counts_print(lua_State *L)
{
	print_counts(stdout, checkcounts(L, 1));
	lua_settop(L, 1);
	return 1;
}

/* c:to_csv(path): the CSV of `tally count --format csv`; true or nil, message. */
static int counts_to_csv(lua_State *L)
{
	lt_counts *lc = checkcounts(L, 1);
	const char *path = luaL_checkstring(L, 2);
	const tl_counts *c = lc->c;
	FILE *f = lt_openoutput(L, path);
	if (f == NULL)
		return luaL_fileresult(L, 0, path);
	if (!lc->before) {
		fmt_counts(f, c, FMT_CSV, 0);
		return lt_closeoutput(L, f, path);
	}
	fmt_csv_field(f, c->field);
	fputs(",before,after,change,percent\n", f);
	for (size_t i = 0; i < c->n; i++) {
		fmt_csv_field(f, c->keys[i]);
		fprintf(f, ",%lld,%lld,%lld,", (long long)lc->before[i],
		        (long long)(lc->before[i] + c->counts[i]), (long long)c->counts[i]);
		if (lc->before[i])
			fprintf(f, "%.1f", 100.0 * (double)c->counts[i] / (double)lc->before[i]);
		fputc('\n', f);
	}
	return lt_closeoutput(L, f, path);
}

/* Index of key among b's keys sorted in sk (bsearch context). */
static const tl_counts *find_in;

static int cmp_keyix(const void *a, const void *b)
{
	return strcmp(find_in->keys[*(const size_t *)a], find_in->keys[*(const size_t *)b]);
}

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

/* a:diff(b): per key, a's count minus b's, and the percent change from b (keys of
 * a in a's order, then keys only b has). A Counts of the changes. */
static int counts_diff(lua_State *L)
{
	lt_counts *la = checkcounts(L, 1), *lb = checkcounts(L, 2), *dst;
	const tl_counts *a = la->c, *b = lb->c;
	size_t *sk, *sa, n = 0;
	tl_counts *c;
	int64_t *before;
	int ok;
	luaL_argcheck(L, !la->before && !lb->before, 1, "a diff cannot be diffed again");
	dst = lt_newcounts(L);
	a = lt_checkcounts(L, 1);   /* again: making dst may have run a finaliser */
	b = lt_checkcounts(L, 2);
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
		find_in = b;
		qsort(sk, b->n, sizeof *sk, cmp_keyix);
		find_in = a;
		qsort(sa, a->n, sizeof *sa, cmp_keyix);
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
		return luaL_error(L, "not enough memory");
	}
	c->records -= b->records;
	c->mentions -= b->mentions;
	c->missing -= b->missing;
	dst->c = c;
	dst->before = before;
	lt_chargecounts(L);
	return 1;
}

/* ---------------------------------------------------------------------- */
/* Table (cross-tab) methods                                              */
/* ---------------------------------------------------------------------- */

static int xtab_gc(lua_State *L)
{
	lt_xtab *x = toxtab(L, 1);
	tl_xtab_free(x->x);
	x->x = NULL;
	lt_discharge(L, x->charged);
	x->charged = 0;
	return 0;
}

static int xtab_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lt_checkxtab(L, 1)->rows->n);
	return 1;
}

static int xtab_tostring(lua_State *L)
{
	lt_xtab *x = toxtab(L, 1);
	if (x->x == NULL)
		lua_pushliteral(L, "tally.Table (collected)");
	else
		lua_pushfstring(L, "tally.Table: %s by %s, %d x %d", x->x->rows->field, x->x->cols->field,
		                (int)x->x->rows->n, (int)x->x->cols->n);
	return 1;
}

static int64_t xtab_rowsum(const tl_xtab *x, size_t i)
{
	int64_t t = 0;
	for (size_t j = 0; j < x->cols->n; j++)
		t += x->cells[i * x->cols->n + j];
	return t;
}

/* A new Table with x's rows ix[0..n) and, when other, one more row summing the
 * rest. NULL when out of memory. */
static tl_xtab *xtab_rows(const tl_xtab *x, const size_t *ix, size_t n, const char *other)
{
	size_t nc = x->cols->n, extra = other && n < x->rows->n;
	tl_xtab *y = calloc(1, sizeof *y);
	if (y == NULL)
		return NULL;
	y->rows = counts_alloc(n + extra, x->rows);
	y->cols = counts_alloc(nc, x->cols);
	y->cells = calloc((n + extra) * nc + 1, sizeof *y->cells);
	if (!y->rows || !y->cols || !y->cells)
		goto fail;
	for (size_t j = 0; j < nc; j++)
		if (counts_addrow(y->cols, x->cols, j) != 0)
			goto fail;
	for (size_t i = 0; i < n; i++) {
		if (counts_addrow(y->rows, x->rows, ix[i]) != 0)
			goto fail;
		memcpy(y->cells + i * nc, x->cells + ix[i] * nc, nc * sizeof *y->cells);
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

/* The row sums of x (malloc'ed), the values rows are sorted and cut by. */
static int64_t *xtab_sums(const tl_xtab *x)
{
	int64_t *s = malloc((x->rows->n ? x->rows->n : 1) * sizeof *s);
	for (size_t i = 0; s && i < x->rows->n; i++)
		s[i] = xtab_rowsum(x, i);
	return s;
}

static int xtab_sorted(lua_State *L)
{
	tl_xtab *x, *y = NULL;
	int bykey = luaL_checkoption(L, 2, "count", sortby);
	int desc = lua_isnoneornil(L, 3) ? !bykey : lua_toboolean(L, 3);
	lt_xtab *dst = lt_newxtab(L);   /* made before x is read: it may run a finaliser */
	x = lt_checkxtab(L, 1);
	int64_t *sums = xtab_sums(x);
	size_t *ix = sums ? permutation(x->rows, sums, bykey, desc) : NULL;
	if (ix)
		y = xtab_rows(x, ix, x->rows->n, NULL);
	free(ix);
	free(sums);
	if (y == NULL)
		return luaL_error(L, "not enough memory");
	dst->x = y;
	lt_chargecounts(L);
	return 1;
}

static int xtab_top(lua_State *L)
{
	tl_xtab *x, *y = NULL;
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *other = luaL_optstring(L, 3, NULL);
	lt_xtab *dst;
	int64_t *sums;
	size_t *ix;
	luaL_argcheck(L, n >= 0, 2, "must not be negative");
	dst = lt_newxtab(L);   /* made before x is read: it may run a finaliser */
	x = lt_checkxtab(L, 1);
	sums = xtab_sums(x);
	ix = sums ? permutation(x->rows, sums, 0, 1) : NULL;
	if (ix)
		y = xtab_rows(x, ix, (size_t)n < x->rows->n ? (size_t)n : x->rows->n, other);
	free(ix);
	free(sums);
	if (y == NULL)
		return luaL_error(L, "not enough memory");
	dst->x = y;
	lt_chargecounts(L);
	return 1;
}

static int xtab_total(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, 1);
	int64_t t = 0;
	for (size_t i = 0; i < x->rows->n; i++)
		t += xtab_rowsum(x, i);
	lua_pushinteger(L, t);
	return 1;
}

static int xtab_share(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, 1);
	long i = counts_find(x->rows, luaL_checkstring(L, 2));
	int64_t t = 0;
	for (size_t r = 0; r < x->rows->n; r++)
		t += xtab_rowsum(x, r);
	lua_pushnumber(L, i < 0 || t == 0 ? 0.0 : (lua_Number)xtab_rowsum(x, (size_t)i) / (lua_Number)t);
	return 1;
}

/* t:get(row, col): one cell (0 when either key is absent). */
static int xtab_get(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, 1);
	long i = counts_find(x->rows, luaL_checkstring(L, 2));
	long j = counts_find(x->cols, luaL_checkstring(L, 3));
	lua_pushinteger(L, i < 0 || j < 0 ? 0 : x->cells[(size_t)i * x->cols->n + (size_t)j]);
	return 1;
}

/* As for Counts (see counts_rows): the Table's C data is read again after every
 * allocation, through lt_checkxtab on the userdata at ud. */
static int xtab_cols(lua_State *L)
{
	lua_createtable(L, (int)lt_checkxtab(L, 1)->cols->n, 0);
	for (size_t j = 0; j < lt_checkxtab(L, 1)->cols->n; j++) {
		lua_pushstring(L, lt_checkxtab(L, 1)->cols->keys[j]);
		lua_rawseti(L, -2, (lua_Integer)j + 1);
	}
	return 1;
}

/* Pushes row i's cells as {colkey = n}. */
static void pushcells(lua_State *L, int ud, size_t i)
{
	lua_createtable(L, 0, (int)lt_checkxtab(L, ud)->cols->n);
	for (size_t j = 0; j < lt_checkxtab(L, ud)->cols->n; j++) {
		const tl_xtab *x = lt_checkxtab(L, ud);
		lua_pushstring(L, x->cols->keys[j]);
		lua_pushinteger(L, x->cells[i * x->cols->n + j]);   /* x not used past here */
		lua_rawset(L, -3);
	}
}

static int xtab_next(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, lua_upvalueindex(1));
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	int64_t total;
	if ((size_t)i >= x->rows->n)
		return 0;
	total = xtab_rowsum(x, (size_t)i);
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	lua_pushstring(L, x->rows->keys[i]);
	lua_pushinteger(L, total);
	pushcells(L, lua_upvalueindex(1), (size_t)i);
	return 3;
}

/* for key, total, cells in t:pairs() */
static int xtab_pairs(lua_State *L)
{
	lt_checkxtab(L, 1);
	lua_settop(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, xtab_next, 2);
	return 1;
}

static int xtab_rowsl(lua_State *L)
{
	lua_createtable(L, (int)lt_checkxtab(L, 1)->rows->n, 0);
	for (size_t i = 0; i < lt_checkxtab(L, 1)->rows->n; i++) {
		const tl_xtab *x = lt_checkxtab(L, 1);
		int64_t total = xtab_rowsum(x, i);
		lua_pushstring(L, x->rows->keys[i]);   /* x not used past here */
		lua_createtable(L, 0, 3);
		lua_insert(L, -2);
		lua_setfield(L, -2, "key");
		lua_pushinteger(L, total);
		lua_setfield(L, -2, "total");
		pushcells(L, 1, i);
		lua_setfield(L, -2, "cells");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* The layout of `tally count --by F1,F2`. */
static void print_xtab(FILE *f, const tl_xtab *x)
{
	fmt_xtab(f, x, FMT_TABLE);
}

static int xtab_print(lua_State *L)
{
	print_xtab(stdout, lt_checkxtab(L, 1));
	lua_settop(L, 1);
	return 1;
}

static int xtab_to_csv(lua_State *L)
{
	const tl_xtab *x = lt_checkxtab(L, 1);
	const char *path = luaL_checkstring(L, 2);
	FILE *f = lt_openoutput(L, path);
	if (f == NULL)
		return luaL_fileresult(L, 0, path);
	fmt_xtab(f, x, FMT_CSV);
	return lt_closeoutput(L, f, path);
}
/* Prints the Counts or Table at idx as `tally count` does; 0 when it is neither. */
int lt_printkeyed(lua_State *L, int idx)
{
	if (lt_tocounts(L, idx))
		print_counts(stdout, tocounts(L, idx));
	else if (lt_toxtab(L, idx))
		print_xtab(stdout, lt_toxtab(L, idx));
	else
		return 0;
	return 1;
}

static const luaL_Reg counts_methods[] = {
	{ "sorted", counts_sorted },
	{ "top", counts_top },
	{ "total", counts_total_l },
	{ "share", counts_share },
	{ "get", counts_get },
	{ "pairs", counts_pairs },
	{ "rows", counts_rows },
	{ "keys", counts_keys },
	{ "info", counts_info },
	{ "to_csv", counts_to_csv },
	{ "print", counts_print },
	{ "diff", counts_diff },
	{ NULL, NULL }
};

static const luaL_Reg counts_meta[] = {
	{ "__index", NULL },
	{ "__gc", counts_gc },
	{ "__len", counts_len },
	{ "__tostring", counts_tostring },
	{ "__pairs", counts_pairs },
	{ NULL, NULL }
};

static const luaL_Reg xtab_methods[] = {
	{ "sorted", xtab_sorted },
	{ "top", xtab_top },
	{ "total", xtab_total },
	{ "share", xtab_share },
	{ "get", xtab_get },
	{ "cols", xtab_cols },
	{ "pairs", xtab_pairs },
	{ "rows", xtab_rowsl },
	{ "to_csv", xtab_to_csv },
	{ "print", xtab_print },
	{ NULL, NULL }
};

static const luaL_Reg xtab_meta[] = {
	{ "__index", NULL },
	{ "__gc", xtab_gc },
	{ "__len", xtab_len },
	{ "__tostring", xtab_tostring },
	{ "__pairs", xtab_pairs },
	{ NULL, NULL }
};

void lt_open_counts(lua_State *L)
{
	lt_createmeta(L, LT_COUNTS, counts_meta, counts_methods);
	lt_createmeta(L, LT_TABLE, xtab_meta, xtab_methods);
}
