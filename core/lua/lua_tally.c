/* The `tally` Lua module: datasets and their views, counts, cross-tabs, dates,
 * quarters, countries, plugins and the command line.
 *
 * The work stays in C: a Dataset owns a columnar store, a view is a selection of
 * its rows, counting and filtering call aggregate.c. Lua sees one metatable per
 * type (liolib.c's createmeta), userdata made empty before resources are taken, and
 * __gc that may run twice. Results built in C are made before the userdata that
 * will own them only when no Lua call can raise in between. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <lua.h>
#include <lauxlib.h>

#include "cli/cli.h"
#include "lua/lua_int.h"
#include "count/format.h"
#include "lua/lua_tally.h"
#include "tally/load.h"
#include "tally/vocab.h"

#ifndef TALLY_VERSION
#define TALLY_VERSION "0"
#endif

#define LT_DATACACHE "tally.datasets"   /* registry: tally.data(i) loaded once */

/* ---------------------------------------------------------------------- */
/* Types                                                                  */
/* ---------------------------------------------------------------------- */

/* A Dataset owns its store; a view (view = 1) points into the store of the
 * Dataset held as its user value, through the rows of sel. */
typedef struct lt_dataset {
	tl_store *store;     /* NULL for a view, or once collected */
	tl_sel    sel;
	int       view;
	tl_date   from, to;  /* a view's date range: months with no record still count 0 */
	size_t    charged;   /* bytes counted against --max-memory */
} lt_dataset;

typedef struct lt_counts {
	tl_counts *c;
	int64_t   *before;   /* a diff's earlier count per row; counts are the change */
} lt_counts;

typedef struct lt_xtab {
	tl_xtab *x;
} lt_xtab;

#define todataset(L, i) ((lt_dataset *)luaL_checkudata(L, i, LT_DATASET))
#define tocounts(L, i)  ((lt_counts *)luaL_checkudata(L, i, LT_COUNTS))
#define toxtab(L, i)    ((lt_xtab *)luaL_checkudata(L, i, LT_TABLE))
#define todate(L, i)    (*(tl_date *)luaL_checkudata(L, i, LT_DATE))

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

/* The store behind the Dataset or view at i and its selection (NULL = all rows). */
static tl_store *ds_store(lua_State *L, int i, const tl_sel **sel)
{
	lt_dataset *d = todataset(L, i);
	tl_store *s = d->store;
	if (d->view) {
		lua_getiuservalue(L, i, 1);
		lt_dataset *base = luaL_testudata(L, -1, LT_DATASET);
		s = base ? base->store : NULL;
		lua_pop(L, 1);   /* the view's user value keeps base alive */
	}
	if (s == NULL)
		luaL_argerror(L, i, "Dataset already collected");
	if (sel)
		*sel = d->view ? &d->sel : NULL;
	return s;
}

static size_t sel_n(const tl_store *s, const tl_sel *sel)
{
	return sel ? sel->n : s->nrows;
}

static size_t sel_row(const tl_sel *sel, size_t i)
{
	return sel ? sel->rows[i] : i;
}

static lt_dataset *newdataset(lua_State *L)
{
	lt_dataset *d = lua_newuserdatauv(L, sizeof *d, 1);
	memset(d, 0, sizeof *d);
	luaL_setmetatable(L, LT_DATASET);
	return d;
}

static lt_counts *newcounts(lua_State *L)
{
	lt_counts *c = lua_newuserdatauv(L, sizeof *c, 0);
	c->c = NULL;
	c->before = NULL;
	luaL_setmetatable(L, LT_COUNTS);
	return c;
}

static lt_xtab *newxtab(lua_State *L)
{
	lt_xtab *x = lua_newuserdatauv(L, sizeof *x, 0);
	x->x = NULL;
	luaL_setmetatable(L, LT_TABLE);
	return x;
}

static void pushdate(lua_State *L, tl_date d)
{
	tl_date *p = lua_newuserdatauv(L, sizeof *p, 0);
	*p = d;
	luaL_setmetatable(L, LT_DATE);
}

/* A date argument: a tally.Date or a string such as "2023-04-10". Raises. */
static tl_date checkdate(lua_State *L, int i)
{
	tl_date *p = luaL_testudata(L, i, LT_DATE), d;
	const char *why;
	size_t n;
	const char *s;
	if (p)
		return *p;
	s = luaL_checklstring(L, i, &n);
	if (tl_date_parse(s, n, &d, &why) < 0)
		luaL_argerror(L, i, lua_pushfstring(L, "'%s': %s", s, why));
	return d;
}

/* ---------------------------------------------------------------------- */
/* Output helpers shared by Counts and Table                              */
/* ---------------------------------------------------------------------- */


/* Opens the temporary file for an output path (sandbox-checked; raises when the
 * path is refused). NULL with errno on an I/O failure. */
static FILE *open_output(lua_State *L, const char *path)
{
	const char *real = lt_checkoutpath(L, path);
	return fopen(real, "w");
}

/* Ends writing f: true, or nil and a message naming path. */
static int close_output(lua_State *L, FILE *f, const char *path)
{
	int bad = ferror(f);
	int e = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	errno = e;
	return luaL_fileresult(L, !bad, path);
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
	dst = newcounts(L);   /* before anything is malloc'ed */
	ix = permutation(src->c, src->c->counts, bykey, desc);
	if (ix == NULL || counts_permuted(dst, src, ix, src->c->n) < 0) {
		free(ix);
		return luaL_error(L, "not enough memory");
	}
	free(ix);
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
	dst = newcounts(L);
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

static int counts_rows(lua_State *L)
{
	lt_counts *c = checkcounts(L, 1);
	int64_t t = counts_total(c->c);
	lua_createtable(L, (int)c->c->n, 0);
	for (size_t i = 0; i < c->c->n; i++) {
		lua_createtable(L, 2, 4);
		lua_pushstring(L, c->c->keys[i]);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, 1);
		lua_setfield(L, -2, "key");
		lua_pushinteger(L, c->c->counts[i]);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, 2);
		lua_setfield(L, -2, "count");
		if (c->before) {
			lua_pushinteger(L, c->before[i]);
			lua_setfield(L, -2, "before");
			lua_pushinteger(L, c->before[i] + c->c->counts[i]);
			lua_setfield(L, -2, "after");
			lua_pushinteger(L, c->c->counts[i]);
			lua_setfield(L, -2, "change");
			pushpct(L, c, i);
			lua_setfield(L, -2, "pct");
		} else {
			lua_pushnumber(L, t ? (lua_Number)c->c->counts[i] / (lua_Number)t : 0.0);
			lua_setfield(L, -2, "share");
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int counts_keys(lua_State *L)
{
	tl_counts *c = lt_checkcounts(L, 1);
	lua_createtable(L, (int)c->n, 0);
	for (size_t i = 0; i < c->n; i++) {
		lua_pushstring(L, c->keys[i]);
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
	FILE *f = open_output(L, path);
	if (f == NULL)
		return luaL_fileresult(L, 0, path);
	if (!lc->before) {
		fmt_counts(f, c, FMT_CSV, 0);
		return close_output(L, f, path);
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
	return close_output(L, f, path);
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
	dst = newcounts(L);
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
	tl_xtab *x = lt_checkxtab(L, 1), *y = NULL;
	int bykey = luaL_checkoption(L, 2, "count", sortby);
	int desc = lua_isnoneornil(L, 3) ? !bykey : lua_toboolean(L, 3);
	lt_xtab *dst = newxtab(L);
	int64_t *sums = xtab_sums(x);
	size_t *ix = sums ? permutation(x->rows, sums, bykey, desc) : NULL;
	if (ix)
		y = xtab_rows(x, ix, x->rows->n, NULL);
	free(ix);
	free(sums);
	if (y == NULL)
		return luaL_error(L, "not enough memory");
	dst->x = y;
	return 1;
}

static int xtab_top(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, 1), *y = NULL;
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *other = luaL_optstring(L, 3, NULL);
	lt_xtab *dst;
	int64_t *sums;
	size_t *ix;
	luaL_argcheck(L, n >= 0, 2, "must not be negative");
	dst = newxtab(L);
	sums = xtab_sums(x);
	ix = sums ? permutation(x->rows, sums, 0, 1) : NULL;
	if (ix)
		y = xtab_rows(x, ix, (size_t)n < x->rows->n ? (size_t)n : x->rows->n, other);
	free(ix);
	free(sums);
	if (y == NULL)
		return luaL_error(L, "not enough memory");
	dst->x = y;
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

static int xtab_cols(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, 1);
	lua_createtable(L, (int)x->cols->n, 0);
	for (size_t j = 0; j < x->cols->n; j++) {
		lua_pushstring(L, x->cols->keys[j]);
		lua_rawseti(L, -2, (lua_Integer)j + 1);
	}
	return 1;
}

/* Pushes row i's cells as {colkey = n}. */
static void pushcells(lua_State *L, const tl_xtab *x, size_t i)
{
	lua_createtable(L, 0, (int)x->cols->n);
	for (size_t j = 0; j < x->cols->n; j++) {
		lua_pushinteger(L, x->cells[i * x->cols->n + j]);
		lua_setfield(L, -2, x->cols->keys[j]);
	}
}

static int xtab_next(lua_State *L)
{
	tl_xtab *x = lt_checkxtab(L, lua_upvalueindex(1));
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	if ((size_t)i >= x->rows->n)
		return 0;
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	lua_pushstring(L, x->rows->keys[i]);
	lua_pushinteger(L, xtab_rowsum(x, (size_t)i));
	pushcells(L, x, (size_t)i);
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
	tl_xtab *x = lt_checkxtab(L, 1);
	lua_createtable(L, (int)x->rows->n, 0);
	for (size_t i = 0; i < x->rows->n; i++) {
		lua_createtable(L, 0, 3);
		lua_pushstring(L, x->rows->keys[i]);
		lua_setfield(L, -2, "key");
		lua_pushinteger(L, xtab_rowsum(x, i));
		lua_setfield(L, -2, "total");
		pushcells(L, x, i);
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
	FILE *f = open_output(L, path);
	if (f == NULL)
		return luaL_fileresult(L, 0, path);
	fmt_xtab(f, x, FMT_CSV);
	return close_output(L, f, path);
}

/* ---------------------------------------------------------------------- */
/* Dataset methods                                                        */
/* ---------------------------------------------------------------------- */

static int ds_gc(lua_State *L)
{
	lt_dataset *d = todataset(L, 1);
	store_free(d->store);
	d->store = NULL;
	tl_sel_free(&d->sel);
	if (d->charged) {
		lt_discharge(L, d->charged);
		d->charged = 0;
	}
	return 0;
}

static int ds_len(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	lua_pushinteger(L, (lua_Integer)sel_n(s, sel));
	return 1;
}

static int ds_tostring(lua_State *L)
{
	lt_dataset *d = todataset(L, 1);
	const tl_sel *sel;
	tl_store *s;
	if (!d->view && d->store == NULL) {
		lua_pushliteral(L, "tally.Dataset (collected)");
		return 1;
	}
	s = ds_store(L, 1, &sel);
	if (d->view)
		lua_pushfstring(L, "tally.View: %d of %d records", (int)sel->n, (int)s->nrows);
	else
		lua_pushfstring(L, "tally.Dataset: %d records, %d fields (%s)", (int)s->nrows, (int)s->ncols,
		                s->source ? s->source : "?");
	return 1;
}

static int ds_fields(lua_State *L)
{
	tl_store *s = ds_store(L, 1, NULL);
	lua_createtable(L, (int)s->ncols, 0);
	for (size_t i = 0; i < s->ncols; i++) {
		lua_pushstring(L, s->cols[i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ds:count(field): a Counts, counted in C; an unknown field raises. */
static int ds_count(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	lt_dataset *d = todataset(L, 1);
	const char *field = luaL_checkstring(L, 2);
	lt_counts *c;
	tl_error err;
	tl_error_clear(&err);
	c = newcounts(L);
	if ((c->c = agg_count(s, sel, field, d->from, d->to, &err)) == NULL)
		return luaL_argerror(L, 2, err.msg);
	if (c->c->by_date)
		tl_counts_sort_key(c->c);   /* months, quarters, years in time order */
	return 1;
}

static int ds_crosstab(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	lt_dataset *d = todataset(L, 1);
	const char *f1 = luaL_checkstring(L, 2), *f2 = luaL_checkstring(L, 3);
	lt_xtab *x;
	tl_error err;
	tl_error_clear(&err);
	x = newxtab(L);
	if ((x->x = agg_crosstab(s, sel, f1, f2, d->from, d->to, &err)) == NULL)
		return luaL_error(L, "crosstab: %s", err.msg);
	return 1;
}

/* A new view of the Dataset at i (pushed): rows to be filled by the caller. The
 * view's user value is the Dataset that owns the store. */
static lt_dataset *newview(lua_State *L, int i)
{
	lt_dataset *parent = todataset(L, i), *v;
	i = lua_absindex(L, i);
	v = newdataset(L);
	v->view = 1;
	v->from = parent->from;
	v->to = parent->to;
	if (parent->view)
		lua_getiuservalue(L, i, 1);
	else
		lua_pushvalue(L, i);
	lua_setiuservalue(L, -2, 1);
	return v;
}

static int isdatepart(const tl_store *s, const char *k)
{
	return (strcmp(k, "month") == 0 || strcmp(k, "quarter") == 0 || strcmp(k, "year") == 0) &&
	       store_find(s, k) < 0;
}

/* ds:where{field = value or {values...}, from =, to =, quarter =, month =, year =}:
 * a view of the records that match every key. */
static int ds_where(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	size_t nf = 0, nv = 0;
	tl_filter *f;
	const char **vals;
	lt_dataset *v;
	tl_date from = 0, to = 0;
	tl_error err;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	lua_newtable(L);   /* 3: anchors strings made from numbers */
	/* size the boxes: one filter per key, its values plus a NULL */
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			return luaL_argerror(L, 2, "keys must be field names");
		nf++;
		nv += lua_istable(L, -1) ? lua_rawlen(L, -1) + 1 : 2;
		lua_pop(L, 1);
	}
	f = lua_newuserdatauv(L, (nf + 1) * sizeof *f, 0);   /* 4 */
	vals = lua_newuserdatauv(L, (nv + 1) * sizeof *vals, 0);   /* 5 */
	memset(f, 0, (nf + 1) * sizeof *f);
	nf = nv = 0;
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		const char *key = lua_tostring(L, -2);
		if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
			tl_date d = checkdate(L, -1);
			f[nf].from = key[0] == 'f' ? d : 0;
			f[nf].to = key[0] == 't' ? d : 0;
			if (key[0] == 'f' && d > from)
				from = d;
			if (key[0] == 't' && (to == 0 || d < to))
				to = d;
		} else if (strcmp(key, "quarter") == 0 && isdatepart(s, key)) {
			const char *q = luaL_tolstring(L, -1, NULL);
			if (tl_quarter_range(q, &f[nf].from, &f[nf].to) < 0)
				return luaL_argerror(L, 2, lua_pushfstring(L, "quarter wants YYYYQn or YYYY-Qn, not '%s'", q));
			lua_pop(L, 1);
			if (f[nf].from > from)
				from = f[nf].from;
			if (to == 0 || f[nf].to < to)
				to = f[nf].to;
		} else if (isdatepart(s, key)) {
			tl_date d = checkdate(L, -1);
			f[nf].from = f[nf].to = d;
			if (d > from)
				from = d;
			if (to == 0 || d < to)
				to = d;
		} else {
			f[nf].field = key;
			f[nf].values = vals + nv;
			if (lua_istable(L, -1)) {
				size_t n = lua_rawlen(L, -1);
				for (size_t j = 1; j <= n; j++) {
					lua_rawgeti(L, -1, (lua_Integer)j);
					if (!lua_isstring(L, -1))
						return luaL_argerror(L, 2, lua_pushfstring(L, "values of '%s' must be strings", key));
					lua_pushvalue(L, -1);
					lua_rawseti(L, 3, (lua_Integer)lua_rawlen(L, 3) + 1);
					vals[nv++] = lua_tostring(L, -1);
					lua_pop(L, 1);
				}
			} else if (lua_isstring(L, -1)) {
				lua_pushvalue(L, -1);
				vals[nv++] = lua_tostring(L, -1);
				lua_rawseti(L, 3, (lua_Integer)lua_rawlen(L, 3) + 1);
			} else {
				return luaL_argerror(L, 2, lua_pushfstring(L, "'%s' wants a value or a list of values", key));
			}
			vals[nv++] = NULL;
		}
		nf++;
		lua_pop(L, 1);
	}
	v = newview(L, 1);   /* 6 */
	if (from && from > v->from)
		v->from = from;
	if (to && (v->to == 0 || to < v->to))
		v->to = to;
	/* quarter ranges are days; counting by quarter wants the whole quarter */
	tl_error_clear(&err);
	if (agg_filter(s, sel, f, nf, &v->sel, &err) < 0)
		return luaL_argerror(L, 2, err.msg);
	return 1;
}

/* Pushes record r as a fresh table: field = value, lists as arrays, dates as
 * tally.Date; role words (date, countries, dimension) alias their columns. */
static void pushrecord(lua_State *L, const tl_store *s, size_t r)
{
	lua_createtable(L, 0, (int)s->ncols + 2);
	for (size_t i = 0; i < s->ncols; i++) {
		const tl_column *c = &s->cols[i];
		switch (c->type) {
		case TL_TEXT: {
			size_t n;
			const char *t = store_text(c, r, &n);
			lua_pushlstring(L, t, n);
			break;
		}
		case TL_CAT: {
			uint32_t code = store_cat(c, r);   /* one-byte or four-byte codes */
			if (code == TL_NA)
				lua_pushnil(L);
			else
				lua_pushstring(L, c->dict->str[code]);
			break;
		}
		case TL_LIST: {
			uint64_t a = c->offs[r], b = c->offs[r + 1];
			lua_createtable(L, (int)(b - a), 0);
			for (uint64_t v = a; v < b; v++) {
				lua_pushstring(L, c->dict->str[store_val(c, v)]);
				lua_rawseti(L, -2, (lua_Integer)(v - a + 1));
			}
			break;
		}
		case TL_DATE:
			if (c->dates[r])
				pushdate(L, c->dates[r]);
			else
				lua_pushnil(L);
			break;
		case TL_INT:
			if (store_int_isnull(c, r))
				lua_pushnil(L);
			else
				lua_pushinteger(L, c->ints[r]);
			break;
		default:
			lua_pushnil(L);
		}
		lua_setfield(L, -2, c->name);
	}
	static const char *const roles[TL_NROLES] = { "date", "countries", "dimension" };
	for (int k = 0; k < TL_NROLES; k++) {
		if (s->role[k] < 0 || store_find(s, roles[k]) >= 0)
			continue;
		lua_getfield(L, -1, s->cols[s->role[k]].name);
		lua_setfield(L, -2, roles[k]);
	}
}

/* ds:filter(fn): a view of the records for which fn(rec) is true. For custom
 * logic only: ds:where counts in C. */
static int ds_filter(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	size_t n = sel_n(s, sel), kept = 0;
	uint32_t *box, *rows;
	lt_dataset *v;
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	box = lua_newuserdatauv(L, (n ? n : 1) * sizeof *box, 0);   /* 3: rows kept so far */
	for (size_t i = 0; i < n; i++) {
		size_t r;
		s = ds_store(L, 1, &sel);   /* fn may have done anything: look again */
		if (i >= sel_n(s, sel))
			break;
		r = sel_row(sel, i);
		lua_pushvalue(L, 2);
		pushrecord(L, s, r);
		lua_call(L, 1, 1);
		if (lua_toboolean(L, -1))
			box[kept++] = (uint32_t)r;
		lua_pop(L, 1);
	}
	v = newview(L, 1);
	if ((rows = malloc((kept ? kept : 1) * sizeof *rows)) == NULL)
		return luaL_error(L, "not enough memory");
	memcpy(rows, box, kept * sizeof *rows);
	v->sel.rows = rows;
	v->sel.n = kept;
	return 1;
}

static int records_next(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, lua_upvalueindex(1), &sel);
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	if ((size_t)i >= sel_n(s, sel))
		return 0;
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	pushrecord(L, s, sel_row(sel, (size_t)i));
	return 1;
}

/* for rec in ds:records() do ... end */
static int ds_records(lua_State *L)
{
	ds_store(L, 1, NULL);
	lua_settop(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, records_next, 2);
	return 1;
}

/* ds:span(): the first and last date, or nil when there is none. */
static int ds_span(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	tl_date lo = 0, hi = 0;
	if (s->role[TL_ROLE_DATE] >= 0) {
		const tl_column *c = &s->cols[s->role[TL_ROLE_DATE]];
		for (size_t i = 0, n = sel_n(s, sel); i < n; i++) {
			tl_date d = c->dates[sel_row(sel, i)];
			if (!d)
				continue;
			if (!lo || d < lo)
				lo = d;
			if (!hi || d > hi)
				hi = d;
		}
	}
	if (!lo) {
		lua_pushnil(L);
		return 1;
	}
	pushdate(L, lo);
	pushdate(L, hi);
	return 2;
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                */
/* ---------------------------------------------------------------------- */

/* Fills o from the options table at i (keys as the command line: map, date_format,
 * na, skip_bad, country_codes). Strings stay anchored in the table or at anchor. */
static void checkloadopts(lua_State *L, int i, tl_load_opts *o, int anchor)
{
	if (lua_isnoneornil(L, i))
		return;
	luaL_checktype(L, i, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, i)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		if (strcmp(k, "map") == 0) {
			/* {date = "when", country = "where"} or "date=when,country=where" */
			if (lua_type(L, -1) == LUA_TSTRING) {
				lua_newtable(L);
				const char *p = lua_tostring(L, -2);
				while (*p) {
					size_t n = strcspn(p, ","), e = strcspn(p, "=");
					if (e >= n)
						luaL_argerror(L, i, "map wants ROLE=COLUMN pairs");
					lua_pushlstring(L, p, e);
					lua_pushlstring(L, p + e + 1, n - e - 1);
					lua_settable(L, -3);
					p += n + (p[n] == ',');
				}
				lua_replace(L, -2);
				lua_pushvalue(L, -1);
				lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
			}
			luaL_argcheck(L, lua_istable(L, -1), i, "map wants a table {role = column}");
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				const char *role = lua_tostring(L, -2), *col = lua_tostring(L, -1);
				if (lua_type(L, -2) != LUA_TSTRING || col == NULL)
					luaL_argerror(L, i, "map wants {role = column}");
				if (!strcmp(role, "date")) o->map_date = col;
				else if (!strcmp(role, "country") || !strcmp(role, "countries")) o->map_country = col;
				else if (!strcmp(role, "dimension")) o->map_dimension = col;
				else if (!strcmp(role, "year")) o->map_year = col;
				else if (!strcmp(role, "month")) o->map_month = col;
				else if (!strcmp(role, "day")) o->map_day = col;
				else luaL_argerror(L, i, lua_pushfstring(L, "map: unknown role '%s' (date, country, dimension, year, month, day)", role));
				lua_pop(L, 1);
			}
		} else if (strcmp(k, "date_format") == 0) {
			o->date_format = luaL_tolstring(L, -1, NULL);
			lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
		} else if (strcmp(k, "na") == 0) {
			o->nna = 0;
			if (lua_istable(L, -1)) {
				size_t n = lua_rawlen(L, -1);
				luaL_argcheck(L, n <= TL_MAX_NA, i, "too many na tokens");
				for (size_t j = 1; j <= n; j++) {
					lua_rawgeti(L, -1, (lua_Integer)j);
					o->na[o->nna++] = luaL_tolstring(L, -1, NULL);
					lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
					lua_pop(L, 1);
				}
			} else {
				o->na[o->nna++] = luaL_tolstring(L, -1, NULL);
				lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
			}
		} else if (strcmp(k, "skip_bad") == 0) {
			o->skip_bad = lua_toboolean(L, -1);
		} else if (strcmp(k, "country_codes") == 0) {
			int m = vocab_ccmode(lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
			luaL_argcheck(L, m >= 0, i, "country_codes wants name, iso2, iso3 or raw");
			o->country_codes = (tl_ccmode)m;
		} else if (strcmp(k, "no_cache") == 0) {
			o->no_cache = lua_toboolean(L, -1);
		} else {
			luaL_argerror(L, i, lua_pushfstring(L, "unknown option '%s' (map, date_format, na, skip_bad, country_codes)", k));
		}
		lua_pop(L, 1);
	}
}

/* Loads path with o into the empty Dataset d; 0, or -1 with the message pushed. */
static int loadinto(lua_State *L, lt_dataset *d, const char *path, tl_load_opts *o)
{
	tl_error err;
	char buf[1400];
	size_t bytes;
	tl_error_clear(&err);
	if ((d->store = tl_load_cached(path, o, &err)) == NULL) {
		lua_pushstring(L, tl_error_str(&err, buf, sizeof buf));
		return -1;
	}
	bytes = store_bytes(d->store);
	lt_charge(L, bytes);   /* may raise: __gc frees the store */
	d->charged = bytes;
	return 0;
}

/* tally.load(path [, opts]): a Dataset, or nil and "file:line:column: reason". */
static int t_load(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	const char *real;
	tl_load_opts o;
	lt_dataset *d;
	tl_load_opts_init(&o);
	lua_settop(L, 2);
	lua_newtable(L);   /* 3: anchors */
	checkloadopts(L, 2, &o, 3);
	real = lt_checkreadpath(L, path);
	d = newdataset(L);
	if (loadinto(L, d, real, &o) < 0) {
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	return 1;
}

/* tally.data(i) for C: the i-th --data file (0-based), loaded once with the
 * command-line options. A load failure ends the run with status 2. */
int lt_pushdataset(lua_State *L, size_t i)
{
	lt_ctx *c = lt_getctx(L);
	lt_dataset *d;
	if (i >= c->ndata) {
		if (c->ndata == 0)
			return lt_dataerror(L, "%s: no data: give a file with --data", c->script);
		return lt_dataerror(L, "%s: tally.data(%d): only %d --data file%s given", c->script, (int)i + 1,
		                    (int)c->ndata, c->ndata == 1 ? "" : "s");
	}
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LT_DATACACHE);
	if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TNIL) {
		lua_remove(L, -2);
		return 1;
	}
	lua_pop(L, 1);
	d = newdataset(L);
	if (loadinto(L, d, c->data[i], &c->opts) < 0)
		return lt_dataerror(L, "%s", lua_tostring(L, -1));
	lua_pushvalue(L, -1);
	lua_rawseti(L, -3, (lua_Integer)i + 1);
	lua_remove(L, -2);
	return 1;
}

static int t_data(lua_State *L)
{
	lua_Integer i = luaL_optinteger(L, 1, 1);
	luaL_argcheck(L, i >= 1, 1, "data files are numbered from 1");
	return lt_pushdataset(L, (size_t)i - 1);
}

static int t_plugin(lua_State *L)
{
	return lt_plugin_push(L, luaL_checkstring(L, 1));
}

/* ---------------------------------------------------------------------- */
/* Dates, quarters, countries                                             */
/* ---------------------------------------------------------------------- */

/* tally.date("2023-04-10") or tally.date(2023, 4, 10): a Date; a bad date raises. */
static int t_date(lua_State *L)
{
	tl_date d;
	const char *why;
	if (lua_type(L, 1) == LUA_TNUMBER) {
		lua_Integer y = luaL_checkinteger(L, 1), m = luaL_optinteger(L, 2, 0), day = luaL_optinteger(L, 3, 0);
		if (tl_date_from_parts((long)y, (long)m, (long)day, &d, &why) < 0)
			return luaL_error(L, "tally.date: %s", why);
	} else {
		d = checkdate(L, 1);
	}
	pushdate(L, d);
	return 1;
}

static int date_year(lua_State *L)
{
	lua_pushinteger(L, tl_date_year(todate(L, 1)));
	return 1;
}

/* A part of the date, or nil when the date is coarser than that part. */
static int date_part(lua_State *L, int prec, int (*part)(tl_date))
{
	tl_date d = todate(L, 1);
	if (tl_date_prec(d) < prec)
		lua_pushnil(L);
	else
		lua_pushinteger(L, part(d));
	return 1;
}

static int date_month(lua_State *L) { return date_part(L, TL_PREC_MONTH, tl_date_month); }
static int date_quarter(lua_State *L) { return date_part(L, TL_PREC_QUARTER, tl_date_quarter); }
static int date_day(lua_State *L) { return date_part(L, TL_PREC_DAY, tl_date_day); }

static int date_precision(lua_State *L)
{
	static const char *const names[] = { "year", "quarter", "month", "day" };
	lua_pushstring(L, names[tl_date_prec(todate(L, 1))]);
	return 1;
}

/* d:key("month" | "quarter" | "year"): the counting key the date falls under. */
static int date_key(lua_State *L)
{
	static const char *const parts[] = { "month", "quarter", "year", NULL };
	tl_date d = todate(L, 1);
	int part = luaL_checkoption(L, 2, NULL, parts);
	char buf[32];
	int mi = tl_date_month_index(d);
	if (part == 0)
		tl_month_key(mi, buf, sizeof buf);
	else if (part == 1)
		tl_quarter_key(tl_date_year(d) * 4 + tl_date_quarter(d) - 1, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%04d", tl_date_year(d));
	lua_pushstring(L, buf);
	return 1;
}

/* d:format([fmt]): ISO at the date's own precision, or strftime's fmt. */
static int date_format(lua_State *L)
{
	tl_date d = todate(L, 1);
	char buf[256];
	if (lua_isnoneornil(L, 2)) {
		tl_date_format(d, buf, sizeof buf);
	} else {
		const char *fmt = luaL_checkstring(L, 2);
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = tl_date_year(d) - 1900;
		tm.tm_mon = tl_date_month(d) - 1;
		tm.tm_mday = tl_date_day(d) ? tl_date_day(d) : 1;
		tm.tm_isdst = -1;
		timegm(&tm);   /* fills the weekday and day of the year */
		if (strftime(buf, sizeof buf, fmt, &tm) == 0 && fmt[0] != '\0')
			return luaL_argerror(L, 2, "format too long");
		if (fmt[0] == '\0')
			buf[0] = '\0';
	}
	lua_pushstring(L, buf);
	return 1;
}

static int date_tostring(lua_State *L)
{
	char buf[32];
	tl_date_format(todate(L, 1), buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

/* Dates compare in time; a string on either side is read as a date. */
static int date_eq(lua_State *L)
{
	tl_date *a = luaL_testudata(L, 1, LT_DATE), *b = luaL_testudata(L, 2, LT_DATE);
	lua_pushboolean(L, a && b && *a == *b);
	return 1;
}

static int date_lt(lua_State *L)
{
	lua_pushboolean(L, checkdate(L, 1) < checkdate(L, 2));
	return 1;
}

static int date_le(lua_State *L)
{
	lua_pushboolean(L, checkdate(L, 1) <= checkdate(L, 2));
	return 1;
}

static int date_concat(lua_State *L)
{
	luaL_tolstring(L, 1, NULL);
	luaL_tolstring(L, 2, NULL);
	lua_concat(L, 2);
	return 1;
}

/* tally.quarter("2023Q2"): its first and last day. */
static int t_quarter(lua_State *L)
{
	const char *q = luaL_checkstring(L, 1);
	tl_date from, to;
	if (tl_quarter_range(q, &from, &to) < 0)
		return luaL_argerror(L, 1, lua_pushfstring(L, "'%s' is not a quarter (YYYYQn or YYYY-Qn)", q));
	pushdate(L, from);
	pushdate(L, to);
	return 2;
}

/* tally.country("Turkey"): {code = "TUR", alpha2 = "TR", name = "Türkiye",
 * iso_name =, cica = "member" | "observer" | nil}, or nil and a message. */
static int t_country(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	tl_error err;
	char buf[1400];
	const tl_vocab *v;
	const tl_country *c;
	tl_error_clear(&err);
	if ((v = tl_vocab_shared(&err)) == NULL) {
		luaL_pushfail(L);
		lua_pushstring(L, tl_error_str(&err, buf, sizeof buf));
		return 2;
	}
	if ((c = vocab_country(v, s, n, TL_CC_NAME)) == NULL) {
		const char *near = vocab_suggest(v, s, n);
		luaL_pushfail(L);
		if (near)
			lua_pushfstring(L, "unknown country '%s' (did you mean %s?)", s, near);
		else
			lua_pushfstring(L, "unknown country '%s'", s);
		return 2;
	}
	lua_createtable(L, 0, 5);
	lua_pushstring(L, c->alpha3);
	lua_setfield(L, -2, "code");
	lua_pushstring(L, c->alpha2);
	lua_setfield(L, -2, "alpha2");
	lua_pushstring(L, c->name);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, c->iso_name ? c->iso_name : c->name);
	lua_setfield(L, -2, "iso_name");
	if (c->cica != TL_CICA_NONE) {
		lua_pushstring(L, c->cica == TL_CICA_MEMBER ? "member" : "observer");
		lua_setfield(L, -2, "cica");
	}
	return 1;
}

/* ---------------------------------------------------------------------- */
/* Printing a value the way `tally eval` shows it                         */
/* ---------------------------------------------------------------------- */

typedef struct print_entry {
	int         isnum;
	lua_Number  num;
	const char *k, *v;
} print_entry;

/* Numbers first, in order, then strings and the rest by their printed form. */
static int cmp_entry(const void *a, const void *b)
{
	const print_entry *x = a, *y = b;
	if (x->isnum != y->isnum)
		return x->isnum ? -1 : 1;
	if (x->isnum && x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return strcmp(x->k, y->k);
}

/* A plain table as "key<TAB>value" lines in key order. */
static void print_table(lua_State *L, int idx)
{
	size_t n = 0, i = 0;
	print_entry *e;
	int anchor;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		n++;
		lua_pop(L, 1);
	}
	e = lua_newuserdatauv(L, (n ? n : 1) * sizeof *e, 0);
	lua_createtable(L, (int)(2 * n), 0);
	anchor = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, idx) && i < n) {
		e[i].isnum = lua_type(L, -2) == LUA_TNUMBER;
		e[i].num = e[i].isnum ? lua_tonumber(L, -2) : 0;
		e[i].k = luaL_tolstring(L, -2, NULL);
		lua_rawseti(L, anchor, (lua_Integer)(2 * i + 1));
		e[i].v = luaL_tolstring(L, -1, NULL);
		lua_rawseti(L, anchor, (lua_Integer)(2 * i + 2));
		lua_pop(L, 1);
		i++;
	}
	qsort(e, i, sizeof *e, cmp_entry);
	for (size_t j = 0; j < i; j++)
		printf("%s\t%s\n", e[j].k, e[j].v);
	lua_pop(L, 2);
}

void lt_print(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (lt_tocounts(L, idx)) {
		print_counts(stdout, tocounts(L, idx));
	} else if (lt_toxtab(L, idx)) {
		print_xtab(stdout, lt_toxtab(L, idx));
	} else if (lua_type(L, idx) == LUA_TTABLE && luaL_getmetafield(L, idx, "__tostring") == LUA_TNIL) {
		print_table(L, idx);
	} else {
		if (lua_type(L, idx) == LUA_TTABLE)
			lua_pop(L, 1);   /* the metafield */
		puts(luaL_tolstring(L, idx, NULL));
		lua_pop(L, 1);
	}
}

/* ---------------------------------------------------------------------- */
/* The module                                                             */
/* ---------------------------------------------------------------------- */

static const luaL_Reg ds_methods[] = {
	{ "fields", ds_fields },
	{ "count", ds_count },
	{ "crosstab", ds_crosstab },
	{ "where", ds_where },
	{ "filter", ds_filter },
	{ "records", ds_records },
	{ "span", ds_span },
	{ NULL, NULL }
};

static const luaL_Reg ds_meta[] = {
	{ "__index", NULL },
	{ "__gc", ds_gc },
	{ "__close", ds_gc },
	{ "__len", ds_len },
	{ "__tostring", ds_tostring },
	{ NULL, NULL }
};

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

static const luaL_Reg date_methods[] = {
	{ "year", date_year },
	{ "month", date_month },
	{ "quarter", date_quarter },
	{ "day", date_day },
	{ "precision", date_precision },
	{ "key", date_key },
	{ "format", date_format },
	{ NULL, NULL }
};

static const luaL_Reg date_meta[] = {
	{ "__index", NULL },
	{ "__tostring", date_tostring },
	{ "__eq", date_eq },
	{ "__lt", date_lt },
	{ "__le", date_le },
	{ "__concat", date_concat },
	{ NULL, NULL }
};

static const luaL_Reg tally_funcs[] = {
	{ "load", t_load },
	{ "data", t_data },
	{ "date", t_date },
	{ "quarter", t_quarter },
	{ "country", t_country },
	{ "plugin", t_plugin },
	{ NULL, NULL }
};

/* As liolib.c:createmeta: metamethods in the metatable, methods as its __index. */
static void createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods)
{
	luaL_newmetatable(L, name);
	luaL_setfuncs(L, meta, 0);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");   /* metatable.__index = methods */
	lua_pop(L, 1);
}

int luaopen_tally(lua_State *L)
{
	createmeta(L, LT_DATASET, ds_meta, ds_methods);
	createmeta(L, LT_COUNTS, counts_meta, counts_methods);
	createmeta(L, LT_TABLE, xtab_meta, xtab_methods);
	createmeta(L, LT_DATE, date_meta, date_methods);
	luaL_newlib(L, tally_funcs);
	lua_pushliteral(L, TALLY_VERSION);
	lua_setfield(L, -2, "version");
	lua_newtable(L);
	lua_setfield(L, -2, "args");
	luaopen_tally_chart(L);
	lua_setfield(L, -2, "chart");
	lt_open_report(L, lua_gettop(L));
	lt_open_import(L, lua_gettop(L));
	return 1;
}
