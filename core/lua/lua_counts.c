/* Keyed results for Lua: a Counts is a one-dimensional table, a Table (cross-tab)
 * a two-dimensional one, a Diff a Counts of changes. One userdata (lt_keyed) and
 * one set of methods serve all three: sorting, cutting to the top, totals, shares,
 * lookups, iteration, printing and CSV; a metatable each, so that a script and an
 * error message can tell them apart. The counting itself is aggregate.c's. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "count/format.h"
#include "lua/lua_tally.h"
#include "tally/suggest.h"
#include "tally/vocab.h"

/* ---------------------------------------------------------------------- */
/* The userdata                                                           */
/* ---------------------------------------------------------------------- */

static const char *const keyed_names[] = { LT_COUNTS, LT_TABLE, LT_DIFF };

/* The keyed result at i, or NULL when it is none of the three. */
static lt_keyed *testkeyed(lua_State *L, int i)
{
	for (size_t t = 0; t < sizeof keyed_names / sizeof *keyed_names; t++) {
		lt_keyed *k = luaL_testudata(L, i, keyed_names[t]);
		if (k)
			return k;
	}
	return NULL;
}

/* The keyed result at i, not yet collected; raises otherwise. */
static lt_keyed *checkkeyed(lua_State *L, int i)
{
	lt_keyed *k = testkeyed(L, i);
	if (k == NULL)
		luaL_typeerror(L, i, "tally.Counts or tally.Table");
	if (k->c == NULL)
		luaL_argerror(L, i, k->x || luaL_testudata(L, i, LT_TABLE) ? "Table already collected"
		                                                           : "Counts already collected");
	return k;
}

/* A Counts or a Diff: what charts and C callers take as a count. */
static lt_keyed *testcounts(lua_State *L, int i)
{
	lt_keyed *k = luaL_testudata(L, i, LT_COUNTS);
	return k ? k : luaL_testudata(L, i, LT_DIFF);
}

tl_counts *lt_checkcounts(lua_State *L, int i)
{
	lt_keyed *k = testcounts(L, i);
	if (k == NULL)
		luaL_typeerror(L, i, LT_COUNTS);
	if (k->c == NULL)
		luaL_argerror(L, i, "Counts already collected");
	return k->c;
}

tl_xtab *lt_checkxtab(lua_State *L, int i)
{
	lt_keyed *k = luaL_checkudata(L, i, LT_TABLE);
	if (k->x == NULL)
		luaL_argerror(L, i, "Table already collected");
	return k->x;
}

tl_counts *lt_tocounts(lua_State *L, int i)
{
	lt_keyed *k = testcounts(L, i);
	return k ? k->c : NULL;
}

tl_xtab *lt_toxtab(lua_State *L, int i)
{
	lt_keyed *k = luaL_testudata(L, i, LT_TABLE);
	return k ? k->x : NULL;
}

/* A new empty keyed result with the metatable name, pushed. */
static lt_keyed *newkeyed(lua_State *L, const char *name)
{
	lt_keyed *k = lua_newuserdatauv(L, sizeof *k, 1);
	memset(k, 0, sizeof *k);
	luaL_setmetatable(L, name);
	return k;
}

static size_t counts_bytes(const tl_counts *c)
{
	size_t b = sizeof *c + c->n * (sizeof *c->keys + sizeof *c->counts + sizeof *c->order + 16);
	for (size_t i = 0; i < c->n; i++)
		b += strlen(c->keys[i]) + 1;
	return b;
}

/* Counts what the result at the top holds against --max-memory (raises past it;
 * __gc frees the result and gives the bytes back). */
void lt_chargecounts(lua_State *L)
{
	lt_keyed *k = testkeyed(L, -1);
	size_t b = 0;
	if (k && k->x)
		b = counts_bytes(k->x->rows) + counts_bytes(k->x->cols)
		    + k->x->rows->n * k->x->cols->n * sizeof *k->x->cells;
	else if (k && k->c)
		b = counts_bytes(k->c) + (k->before ? k->c->n * sizeof *k->before : 0);
	if (k == NULL)
		return;
	lt_charge(L, b);
	k->charged = b;
}

lt_keyed *lt_newcounts(lua_State *L)
{
	return newkeyed(L, LT_COUNTS);
}

lt_keyed *lt_newxtab(lua_State *L)
{
	return newkeyed(L, LT_TABLE);
}

static int64_t keyed_sum(const lt_keyed *k)
{
	int64_t t = 0;
	for (size_t i = 0; i < k->c->n; i++)
		t += lt_rowvalue(k, i);
	return t;
}

/* The row of key, or -1. */
static long counts_find(const tl_counts *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->keys[i], key) == 0)
			return (long)i;
	return -1;
}

/* Raises "FILE:LINE: fn: msg" as a usage failure (status 1, no traceback). */
static int key_fail(lua_State *L, const char *fn, const char *fmt, ...)
{
	va_list ap;
	luaL_where(L, 1);
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	return lt_failure(L, TL_EXIT_USAGE, "%s%s: %s", lua_tostring(L, -2), fn, lua_tostring(L, -1));
}

/* A date-part or date key as the count writes it ("2023-Q2" for "2023Q2"), into
 * buf; NULL when key is not one (the message's format in *why). */
static const char *date_key(const tl_counts *c, const char *key, char *buf, size_t n, const char **why)
{
	tl_date d, to;
	const char *bad;
	if (c->vocab == TL_KEYS_QUARTER) {
		*why = "unknown quarter '%s' (expected 2023Q2 or 2023-Q2)";
		if (tl_quarter_range(key, &d, &to) < 0)
			return NULL;
		tl_quarter_key(tl_date_year(d) * 4 + tl_date_quarter(d) - 1, buf, n);
		return buf;
	}
	*why = c->vocab == TL_KEYS_MONTH ? "'%s' is not a month (expected 2023-04)"
	     : c->vocab == TL_KEYS_YEAR ? "'%s' is not a year (expected 2023)" : "'%s' is not a date (expected 2023-04-10, 2023-04, 2023-Q2 or 2023)";
	if (tl_date_parse(key, strlen(key), &d, &bad) < 0)
		return NULL;
	if (c->vocab == TL_KEYS_MONTH && tl_date_prec(d) == TL_PREC_MONTH)
		tl_month_key(tl_date_month_index(d), buf, n);
	else if (c->vocab == TL_KEYS_YEAR && tl_date_prec(d) == TL_PREC_YEAR)
		snprintf(buf, n, "%d", tl_date_year(d));
	else if (c->vocab == TL_KEYS_DATE)
		tl_date_format(d, buf, n);
	else
		return NULL;
	return buf;
}

/* The row of key, looked up as a filter takes a value: a count of the country
 * role, the dimensions or a date part also finds a key by its alias or code
 * ("Turkey", "KAZ") or in another accepted form ("2023Q2" for "2023-Q2"), and a
 * key that is none of these is an error worded as where's (core/count/check.c),
 * not a count of 0. -1: no item has it. fn names the method in the message.
 * Nothing here allocates Lua memory but the raise, so c stays valid. */
static long counts_lookup(lua_State *L, int ud, const tl_counts *c, const char *key, const char *fn)
{
	long i = counts_find(c, key);
	tl_ctx *ctx = lt_tlctx(L);
	const tl_vocab *v;
	const tl_country *ct;
	tl_error err;
	int d;
	if (i >= 0)
		return i;
	tl_error_clear(&err);
	switch (c->vocab) {
	case 0:   /* a value no record of the Dataset holds, unless data/labels.tsv names
	           * it (a format "hybrid" in a quarter without one) */
		if (ctx && labels_value(tl_ctx_labels(ctx, NULL), c->field, key))
			return -1;
		d = lua_getiuservalue(L, ud, 1) == LUA_TUSERDATA ? lt_dataset_holds(L, -1, c->field, key, &err) : 1;
		lua_pop(L, 1);
		return d < 0 ? key_fail(L, fn, "%s", err.msg) : -1;
	case TL_KEYS_DIMENSION:
		if ((d = vocab_dimension(key, strlen(key))) >= 0)
			return counts_find(c, vocab_dimension_name(d));
		agg_check_dimension(key, &err);
		return key_fail(L, fn, "%s", err.msg);
	case TL_KEYS_COUNTRY:
		if (!ctx || !(v = tl_ctx_vocab(ctx, NULL)))
			return -1;
		if ((ct = vocab_country(v, key, strlen(key), TL_CC_NAME)) != NULL)
			return counts_find(c, ct->name);
		agg_check_country(v, key, &err);
		return key_fail(L, fn, "%s", err.msg);
	default: {   /* months, quarters, years, dates */
		char buf[64];
		const char *why, *k = date_key(c, key, buf, sizeof buf, &why);
		return k ? counts_find(c, k) : key_fail(L, fn, why, key);
	}
	}
}

/* A new empty result of the kind of the one at idx, pushed. */
static lt_keyed *newlike(lua_State *L, int idx)
{
	lt_keyed *k = lua_newuserdatauv(L, sizeof *k, 1);
	memset(k, 0, sizeof *k);   /* charged too: a raise before the charge frees it */
	lua_getiuservalue(L, idx, 1);   /* the Dataset counted, for looking keys up */
	lua_setiuservalue(L, -2, 1);
	lua_getmetatable(L, idx);
	lua_setmetatable(L, -2);
	return k;
}

/* ---------------------------------------------------------------------- */
/* Methods of all three                                                   */
/* ---------------------------------------------------------------------- */

static int keyed_gc(lua_State *L)
{
	lt_keyed *k = testkeyed(L, 1);
	if (k->x)
		tl_xtab_free(k->x);   /* its rows are k->c */
	else
		tl_counts_free(k->c);
	free(k->before);
	k->c = NULL;
	k->x = NULL;
	k->before = NULL;
	lt_discharge(L, k->charged);
	k->charged = 0;
	return 0;
}

static int keyed_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)checkkeyed(L, 1)->c->n);
	return 1;
}

static int keyed_tostring(lua_State *L)
{
	lt_keyed *k = testkeyed(L, 1);
	const char *kind = luaL_testudata(L, 1, LT_TABLE) ? "Table" : luaL_testudata(L, 1, LT_DIFF) ? "Diff" : "Counts";
	if (k->c == NULL)
		lua_pushfstring(L, "tally.%s (collected)", kind);
	else if (k->x)
		lua_pushfstring(L, "tally.Table: %s by %s, %d x %d", k->x->rows->field, k->x->cols->field,
		                (int)k->x->rows->n, (int)k->x->cols->n);
	else
		lua_pushfstring(L, "tally.%s: %s, %d rows", kind, k->c->field, (int)k->c->n);
	return 1;
}

static const char *const sortby[] = { "count", "key", NULL };

/* k:sorted([by [, desc]]): by "count" (descending; a Table's rows by their sums)
 * or "key" (ascending, dates in time order); desc reverses. A new result. */
static int keyed_sorted(lua_State *L)
{
	lt_keyed *src = checkkeyed(L, 1);
	int bykey = luaL_checkoption(L, 2, "count", sortby);
	int desc = lua_isnoneornil(L, 3) ? !bykey : lua_toboolean(L, 3);
	lt_keyed *dst = newlike(L, 1);   /* before anything is malloc'ed */
	src = checkkeyed(L, 1);          /* again: making dst may have run a finaliser */
	size_t *ix = lt_permutation(src, bykey, desc);
	int rc = ix ? lt_keyed_select(dst, src, ix, src->c->n, NULL) : -1;
	free(ix);
	if (rc < 0)
		return luaL_error(L, "not enough memory");
	lt_chargecounts(L);
	return 1;
}

/* The Other row of a Table's top over a list field (dst, cut from src at ud): its
 * margin, the base of t:share, is the items of the view naming any folded key,
 * counted in the Dataset, not its cells' sum (which counts an item once per column
 * it falls in, or not at all). The folded keys are src's rows with cells that dst
 * does not name. Nothing here allocates Lua memory. -1: out of memory. */
static int table_other_margin(lua_State *L, int ud, const lt_keyed *src, lt_keyed *dst)
{
	const tl_counts *r = src->x->rows, *t = dst->c;
	size_t nc = src->x->cols->n, nf = 0;
	int64_t items;
	const char **vals;
	if (!r->list || t->n == 0 || t->order[t->n - 1] != UINT32_MAX)
		return 0;   /* no Other row, or a single-valued field's margins add up */
	if (!(vals = malloc((r->n + 1) * sizeof *vals)))
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		int64_t sum = 0;
		int named = 0;
		for (size_t j = 0; j < nc; j++)
			sum += src->x->cells[i * nc + j];
		for (size_t k = 0; k + 1 < t->n && !named; k++)
			named = strcmp(t->keys[k], r->keys[i]) == 0;
		if (sum > 0 && !named)
			vals[nf++] = r->keys[i];
	}
	vals[nf] = NULL;
	if (lua_getiuservalue(L, ud, 1) == LUA_TUSERDATA && nf > 0) {
		items = lt_dataset_items_with(L, -1, r->field, vals);
		if (items >= 0)
			t->counts[t->n - 1] = items;
	} else
		items = 0;
	lua_pop(L, 1);
	free(vals);
	return items < 0 ? -1 : 0;
}

/* k:top(n [, other]): top N, one meaning (tl_counts_top): at most n named rows,
 * largest first, never cut inside a tie, the rest as "<other> (k values)" when
 * k >= 2, counting the items that have any of them. A new result. */
static int keyed_top(lua_State *L)
{
	lt_keyed *src = checkkeyed(L, 1), *dst;
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *other = luaL_optstring(L, 3, NULL);
	int rc = 0;
	luaL_argcheck(L, n >= 1, 2, "top: n must be 1 or more");
	dst = newlike(L, 1);
	src = checkkeyed(L, 1);   /* again: making dst may have run a finaliser */
	if (src->x) {
		if ((dst->x = tl_xtab_top(src->x, (size_t)n, other)) != NULL)
			dst->c = dst->x->rows;
		rc = dst->x ? table_other_margin(L, 1, src, dst) : -1;
	} else if (!src->before) {
		rc = (dst->c = tl_counts_top(src->c, (size_t)n, other)) ? 0 : -1;
	} else {   /* a Diff: by change, the same cut, changes summed */
		size_t *ix = lt_permutation(src, 0, 1), keep = 0;
		int64_t *v = malloc((src->c->n + 1) * sizeof *v);
		if (ix && v) {
			for (size_t i = 0; i < src->c->n; i++)
				v[i] = src->c->counts[ix[i]];
			keep = tl_top_keep(v, src->c->n, (size_t)n);
		}
		char label[256];
		snprintf(label, sizeof label, "%s (%zu values)", other ? other : "Other", src->c->n - keep);
		rc = ix && v ? lt_keyed_select(dst, src, ix, keep, label) : -1;
		free(ix);
		free(v);
	}
	if (rc < 0)
		return luaL_error(L, "not enough memory");
	lt_chargecounts(L);
	return 1;
}

static int keyed_total(lua_State *L)
{
	lua_pushinteger(L, keyed_sum(checkkeyed(L, 1)));
	return 1;
}

/* The base of shares: the items counted (those with no value too), whatever a
 * list field's rows add up to (a Diff has none: share raises). */
static int64_t share_base(const lt_keyed *k)
{
	return tl_counts_items(k->c);
}

/* k:share(key): the share of the items counted that have key, 0..1. */
static int keyed_share(lua_State *L)
{
	const char *key = luaL_checkstring(L, 2);
	lt_keyed *k = checkkeyed(L, 1);
	if (k->before)   /* a change over the net change is no share of anything */
		return key_fail(L, "share", "a comparison has no base for a share of '%s': its rows' pct is "
		                "the percent change; shares are of the two counts it compares", key);
	long i = counts_lookup(L, 1, k->c, key, "share");
	int64_t t = share_base(k);
	/* the items with the key: a Table's row margin, not the sum of its cells, which
	 * counts an item once per column it falls in (a list field's) or not at all
	 * (a date too coarse for a month column) */
	lua_pushnumber(L, i < 0 || t == 0 ? 0.0 : (lua_Number)k->c->counts[i] / (lua_Number)t);
	return 1;
}

/* k:items(): the items counted (the view), the base of every share. */
static int keyed_items(lua_State *L)
{
	lt_keyed *k = checkkeyed(L, 1);
	if (k->before)   /* its items would be the difference of two views' items */
		return key_fail(L, "items", "a comparison counts no items itself: take items() of the two counts "
		                "it compares");
	lua_pushinteger(L, tl_counts_items(k->c));
	return 1;
}

/* c:get(key), t:get(row, col): a count or a cell, 0 when no item has the key. */
static int keyed_get(lua_State *L)
{
	const char *key = luaL_checkstring(L, 2);
	const char *col = lua_isnoneornil(L, 3) ? NULL : luaL_checkstring(L, 3);
	lt_keyed *k = checkkeyed(L, 1);
	long i = counts_lookup(L, 1, k->c, key, "get");
	if (k->x) {
		long j = counts_lookup(L, 1, k->x->cols, col ? col : luaL_checkstring(L, 3), "get");
		lua_pushinteger(L, i < 0 || j < 0 ? 0 : k->x->cells[(size_t)i * k->x->cols->n + (size_t)j]);
	} else {
		lua_pushinteger(L, i < 0 ? 0 : k->c->counts[i]);
	}
	return 1;
}

/* Pushes the percent change of row i of a diff, or nil when it had no base. */
static void pushpct(lua_State *L, const lt_keyed *k, size_t i)
{
	if (k->before[i] == 0)
		lua_pushnil(L);
	else
		lua_pushnumber(L, 100.0 * (lua_Number)k->c->counts[i] / (lua_Number)k->before[i]);
}

/* Every Lua allocation can run a finaliser, and a finaliser can reach a result
 * through a resurrected object whose __gc already ran: the functions below read
 * the C data again (checkkeyed raises once it is gone) after each allocation,
 * and copy what a row needs into locals first. */

/* Pushes row i's cells of the Table at ud as {colkey = n}. */
static void pushcells(lua_State *L, int ud, size_t i)
{
	lua_createtable(L, 0, (int)checkkeyed(L, ud)->x->cols->n);
	for (size_t j = 0; j < checkkeyed(L, ud)->x->cols->n; j++) {
		const tl_xtab *x = checkkeyed(L, ud)->x;
		lua_pushstring(L, x->cols->keys[j]);
		lua_pushinteger(L, x->cells[i * x->cols->n + j]);   /* x not used past here */
		lua_rawset(L, -3);
	}
}

static int keyed_next(lua_State *L)
{
	lt_keyed *k = checkkeyed(L, lua_upvalueindex(1));
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	int64_t v;
	if ((size_t)i >= k->c->n)
		return 0;
	v = lt_rowvalue(k, (size_t)i);
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	lua_pushstring(L, k->c->keys[i]);
	lua_pushinteger(L, v);
	k = checkkeyed(L, lua_upvalueindex(1));
	if (k->x)
		pushcells(L, lua_upvalueindex(1), (size_t)i);
	else if (k->before)
		pushpct(L, k, (size_t)i);
	else
		return 2;
	return 3;
}

/* for key, n in c:pairs() (a Diff adds the percent change, a Table the cells). */
static int keyed_pairs(lua_State *L)
{
	checkkeyed(L, 1);
	lua_settop(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, keyed_next, 2);
	return 1;
}

/* One table per row: {key, count, key =, count =, share =} for a Counts, with
 * before, after, change, pct for a Diff; {key =, total =, cells =} for a Table. */
static int keyed_rows(lua_State *L)
{
	lt_keyed *k = checkkeyed(L, 1);
	int64_t t = share_base(k);
	lua_createtable(L, (int)k->c->n, 0);
	for (size_t i = 0; i < (k = checkkeyed(L, 1))->c->n; i++) {
		int64_t n = lt_rowvalue(k, i), before = k->before ? k->before[i] : 0;
		int table = k->x != NULL, diff = k->before != NULL;
		lua_pushstring(L, k->c->keys[i]);   /* the last read of k until the next row */
		if (table) {
			lua_createtable(L, 0, 3);
			lua_insert(L, -2);
			lua_setfield(L, -2, "key");
			lua_pushinteger(L, n);
			lua_setfield(L, -2, "total");
			pushcells(L, 1, i);
			lua_setfield(L, -2, "cells");
			lua_rawseti(L, -2, (lua_Integer)i + 1);
			continue;
		}
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

/* The keys of the rows (cols: a Table's columns) of the result at 1, read again
 * after each allocation. */
static void pushkeys(lua_State *L, int cols)
{
#define KEYS(L) (cols ? checkkeyed(L, 1)->x->cols : checkkeyed(L, 1)->c)
	lua_createtable(L, (int)KEYS(L)->n, 0);
	for (size_t i = 0; i < KEYS(L)->n; i++) {
		lua_pushstring(L, KEYS(L)->keys[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
#undef KEYS
}

static int keyed_keys(lua_State *L)
{
	checkkeyed(L, 1);
	pushkeys(L, 0);
	return 1;
}

/* k:info(): what was counted (a Table: its rows). */
/* info() of a Diff: the totals of the two counts it compares, as before and after
 * tables; its changes are no items, so it has no items, shares or note of its own. */
static int diff_info(lua_State *L)
{
	lt_keyed *k = checkkeyed(L, 1);
	int64_t v[2][3] = { { k->base_records, k->base_mentions, k->base_missing },
	                    { k->c->records, k->c->mentions, k->c->missing } };
	lua_createtable(L, 0, 8);
	for (int w = 0; w < 2; w++) {
		lua_createtable(L, 0, 4);
		lua_pushinteger(L, v[w][0]);
		lua_setfield(L, -2, "records");
		lua_pushinteger(L, v[w][1]);
		lua_setfield(L, -2, "mentions");
		lua_pushinteger(L, v[w][2]);
		lua_setfield(L, -2, "missing");
		lua_pushinteger(L, v[w][0] + v[w][2]);
		lua_setfield(L, -2, "items");
		lua_setfield(L, -2, w ? "after" : "before");
	}
	k = checkkeyed(L, 1);   /* again after the allocations */
	lua_pushboolean(L, k->c->list);
	lua_setfield(L, -2, "list");
	k = checkkeyed(L, 1);
	lua_pushboolean(L, k->c->by_date);
	lua_setfield(L, -2, "by_date");
	k = checkkeyed(L, 1);
	lua_pushinteger(L, (lua_Integer)k->c->n);
	lua_setfield(L, -2, "rows");
	lua_pushstring(L, checkkeyed(L, 1)->c->field);
	lua_setfield(L, -2, "field");
	lua_pushliteral(L, "");
	lua_setfield(L, -2, "note");
	return 1;
}

static int keyed_info(lua_State *L)
{
	lt_keyed *k = checkkeyed(L, 1);
	if (k->before)
		return diff_info(L);
	tl_counts *c = k->c;
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
	lua_pushinteger(L, tl_counts_items(c));
	lua_setfield(L, -2, "items");
	lua_pushboolean(L, c->list);
	lua_setfield(L, -2, "list");
	lua_pushinteger(L, c->coarse_quarter);
	lua_setfield(L, -2, "coarse_quarter");
	lua_pushinteger(L, c->coarse_year);
	lua_setfield(L, -2, "coarse_year");
	lua_pushinteger(L, c->edge);
	lua_setfield(L, -2, "edge");
	{
		char note[1024];
		lua_pushstring(L, k->x ? tl_xtab_note(k->x, note, sizeof note) : tl_counts_note(c, note, sizeof note));
		lua_setfield(L, -2, "note");
	}
	return 1;
}

static void fmt_pct(char *buf, size_t n, const lt_keyed *k, size_t i)
{
	if (k->before[i] == 0)
		snprintf(buf, n, "new");
	else
		snprintf(buf, n, "%+.1f%%", 100.0 * (double)k->c->counts[i] / (double)k->before[i]);
}

/* The layout of `tally count`: key, count, a bar; then what was counted; of
 * `tally count --by F1,F2` for a Table. A Diff shows before, after, change and
 * percent. */
/* -1 when memory ran out before anything was printed. */
static int print_keyed(FILE *f, const lt_keyed *k)
{
	const tl_counts *c = k->c;
	int kw = fmt_text_width(c->field), cw;
	int64_t max = 0;
	char num[32];
	if (k->x) {
		fmt_xtab(f, k->x, FMT_TABLE);
		return 0;
	}
	if (!k->before)
		return fmt_counts(f, c, FMT_TABLE, 0);
	for (size_t i = 0; i < c->n; i++) {
		int w = fmt_text_width(c->keys[i]);
		int64_t after = k->before[i] + c->counts[i], v = k->before[i] > after ? k->before[i] : after;
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
		fmt_pct(pct, sizeof pct, k, i);
		fputs(c->keys[i], f);
		fmt_pad(f, kw - fmt_text_width(c->keys[i]) + 2);
		fprintf(f, "%*lld  %*lld  %+*lld  %8s\n", wb, (long long)k->before[i],
		        cw, (long long)(k->before[i] + c->counts[i]), wc, (long long)c->counts[i], pct);
	}
	return 0;
}

static int keyed_print(lua_State *L)
{
	if (print_keyed(stdout, checkkeyed(L, 1)) < 0)
		return luaL_error(L, "print: out of memory");
	lua_settop(L, 1);
	return 1;
}

/* k:to_csv(path): the CSV of `tally count --format csv`; true or nil, message. */
static int keyed_to_csv(lua_State *L)
{
	lt_keyed *k = checkkeyed(L, 1);
	const char *path = luaL_checkstring(L, 2);
	const tl_counts *c = k->c;
	FILE *f = lt_openoutput(L, path);
	if (f == NULL)
		return luaL_fileresult(L, 0, path);
	if (k->x) {
		fmt_xtab(f, k->x, FMT_CSV);
		return lt_closeoutput(L, f, path);
	}
	if (!k->before) {
		fmt_counts(f, c, FMT_CSV, 0);
		return lt_closeoutput(L, f, path);
	}
	fmt_csv_field(f, c->field);
	fputs(",before,after,change,percent\n", f);
	for (size_t i = 0; i < c->n; i++) {
		fmt_csv_field(f, c->keys[i]);
		fprintf(f, ",%lld,%lld,%lld,", (long long)k->before[i],
		        (long long)(k->before[i] + c->counts[i]), (long long)c->counts[i]);
		if (k->before[i])
			fprintf(f, "%.1f", 100.0 * (double)c->counts[i] / (double)k->before[i]);
		fputc('\n', f);
	}
	return lt_closeoutput(L, f, path);
}

/* Prints the Counts, Diff or Table at idx as `tally count` does; 0 when it is
 * none of them. */
int lt_printkeyed(lua_State *L, int idx)
{
	lt_keyed *k = testkeyed(L, idx);
	if (k == NULL || k->c == NULL)
		return 0;
	if (print_keyed(stdout, k) < 0)
		luaL_error(L, "print: out of memory");
	return 1;
}

/* ---------------------------------------------------------------------- */
/* Methods of one kind                                                    */
/* ---------------------------------------------------------------------- */

/* a:diff(b): per key, a's count minus b's, and the percent change from b (keys of
 * a in a's order, then keys only b has). A Diff. */
static int counts_diff(lua_State *L)
{
	lt_keyed *dst;
	luaL_argcheck(L, !luaL_testudata(L, 1, LT_DIFF), 1, "a diff cannot be diffed again");
	luaL_checkudata(L, 1, LT_COUNTS);
	luaL_checkudata(L, 2, LT_COUNTS);
	lt_checkcounts(L, 1);
	lt_checkcounts(L, 2);
	dst = newkeyed(L, LT_DIFF);
	/* read a and b again: making dst may have run a finaliser */
	if (lt_keyed_diff(dst, lt_checkcounts(L, 1), lt_checkcounts(L, 2)) != 0)
		return luaL_error(L, "not enough memory");
	lt_chargecounts(L);
	return 1;
}

/* t:cols(): a Table's column keys. */
static int xtab_cols(lua_State *L)
{
	lt_checkxtab(L, 1);
	pushkeys(L, 1);
	return 1;
}

/* ---------------------------------------------------------------------- */
/* The metatables                                                         */
/* ---------------------------------------------------------------------- */

static const luaL_Reg keyed_methods[] = {
	{ "sorted", keyed_sorted },
	{ "top", keyed_top },
	{ "total", keyed_total },
	{ "share", keyed_share },
	{ "items", keyed_items },
	{ "get", keyed_get },
	{ "pairs", keyed_pairs },
	{ "rows", keyed_rows },
	{ "keys", keyed_keys },
	{ "info", keyed_info },
	{ "to_csv", keyed_to_csv },
	{ "print", keyed_print },
	{ NULL, NULL }
};

static const luaL_Reg keyed_meta[] = {
	{ "__index", NULL },
	{ "__gc", keyed_gc },
	{ "__len", keyed_len },
	{ "__tostring", keyed_tostring },
	{ "__pairs", keyed_pairs },
	{ NULL, NULL }
};

/* diff belongs to Counts, and to Diff so that a second diff says why it fails. */
static const luaL_Reg counts_extra[] = { { "diff", counts_diff }, { NULL, NULL } };
static const luaL_Reg xtab_extra[] = { { "cols", xtab_cols }, { NULL, NULL } };

/* A metatable of the shared methods plus a kind's own. */
static void keyedmeta(lua_State *L, const char *name, const luaL_Reg *extra)
{
	lt_createmeta(L, name, keyed_meta, keyed_methods);
	luaL_getmetatable(L, name);
	lua_getfield(L, -1, "__index");
	luaL_setfuncs(L, extra, 0);
	lua_pop(L, 2);
}

void lt_open_counts(lua_State *L)
{
	keyedmeta(L, LT_COUNTS, counts_extra);
	keyedmeta(L, LT_DIFF, counts_extra);
	keyedmeta(L, LT_TABLE, xtab_extra);
}
