/* Datasets and their views for Lua: fields, counting, filters, records, the date
 * span; tally.load, tally.data and tally.plugin. A Dataset owns a columnar store, a
 * view is a selection of its rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "lua/lua_tally.h"
#include "tally/load.h"
#include "tally/suggest.h"

#define LT_DATACACHE "tally.datasets"   /* registry: tally.data(i) loaded once */
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

/* ---------------------------------------------------------------------- */
/* Dataset methods                                                        */
/* ---------------------------------------------------------------------- */

static int ds_gc(lua_State *L)
{
	lt_dataset *d = todataset(L, 1);
	store_free(d->store);
	d->store = NULL;
	tl_sel_free(&d->sel);
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

int lt_dataset_holds(lua_State *L, int ds, const char *field, const char *value, tl_error *err)
{
	const char *vals[2] = { value, NULL };
	tl_filter f = { field, vals, 0, 0 };
	return agg_check_filter(ds_store(L, ds, NULL), &f, 1, 0, "", lt_tlctx(L), err) < 0 ? -1 : 1;
}

int64_t lt_dataset_items_with(lua_State *L, int ds, const char *field, const char **values)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, ds, &sel);
	tl_filter f = { field, values, 0, 0 };
	tl_sel out;
	tl_error err;
	int64_t n;
	tl_error_clear(&err);
	if (agg_filter(s, sel, &f, 1, lt_tlctx(L), &out, &err) < 0)
		return -1;
	n = (int64_t)out.n;
	tl_sel_free(&out);
	return n;
}

/* ds:count(field): a Counts, counted in C; an unknown field raises. The Counts
 * keeps the Dataset as its user value, to look keys up in. */
static int ds_count(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	lt_dataset *d = todataset(L, 1);
	const char *field = luaL_checkstring(L, 2);
	lt_keyed *c;
	tl_error err;
	tl_error_clear(&err);
	c = lt_newcounts(L);
	s = ds_store(L, 1, &sel);   /* again: making c may have run a finaliser */
	if ((c->c = agg_count(s, sel, field, d->from, d->to, &err)) == NULL)
		return luaL_error(L, "count: %s", err.msg);
	lt_chargecounts(L);
	if (c->c->by_date)
		tl_counts_sort_key(c->c);   /* months, quarters, years in time order */
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
	return 1;
}

static int ds_crosstab(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	lt_dataset *d = todataset(L, 1);
	const char *f1 = luaL_checkstring(L, 2), *f2 = luaL_checkstring(L, 3);
	lt_keyed *x;
	tl_error err;
	tl_error_clear(&err);
	x = lt_newxtab(L);
	s = ds_store(L, 1, &sel);   /* again: making x may have run a finaliser */
	/* the cells (rows x columns) are refused before they are made: the margins
	 * tell their number */
	tl_counts *r = agg_count(s, sel, f1, d->from, d->to, &err), *k = NULL;
	if (r && (k = agg_count(s, sel, f2, d->from, d->to, &err))) {
		size_t cells = r->n * k->n;
		tl_counts_free(r);
		tl_counts_free(k);
		lt_charge(L, cells * sizeof(int64_t));   /* raises past the cap */
		lt_discharge(L, cells * sizeof(int64_t));
	} else {
		tl_counts_free(r);
	}
	if ((x->x = agg_crosstab(s, sel, f1, f2, d->from, d->to, &err)) == NULL)
		return luaL_error(L, "crosstab: %s", err.msg);
	x->c = x->x->rows;
	lt_chargecounts(L);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
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

/* Raises "FILE:LINE: where: msg" as a usage failure (status 1, no traceback): a
 * value the user gave that means nothing, or that nothing holds. */
static int where_fail(lua_State *L, const char *msg)
{
	luaL_where(L, 1);
	return lt_failure(L, TL_EXIT_USAGE, "%swhere: %s", lua_tostring(L, -1), msg);
}

/* A date of a where key: a tally.Date or a string. Raises naming the key. */
static tl_date where_date(lua_State *L, int i, const char *key)
{
	tl_date *p = luaL_testudata(L, i, LT_DATE), d;
	const char *why, *str;
	size_t n;
	if (p)
		return *p;
	if (lua_type(L, i) != LUA_TSTRING)
		luaL_error(L, "where: %s wants a date (a string such as 2023-04-10, or a tally.Date), not a %s",
		           key, luaL_typename(L, i));
	str = lua_tolstring(L, i, &n);
	if (tl_date_parse(str, n, &d, &why) < 0)
		where_fail(L, lua_pushfstring(L, "%s: '%s': %s", key, str, why));
	return d;
}

/* The last day of d's period: counting a view by month or quarter stops there. */
static tl_date period_last(tl_date d)
{
	int y = tl_date_year(d), m = tl_date_month(d), p = tl_date_prec(d);
	if (p == TL_PREC_DAY)
		return d;
	m = p == TL_PREC_YEAR ? 12 : p == TL_PREC_QUARTER ? m + 2 : m;
	return tl_date_make(y, m, tl_days_in_month(y, m), TL_PREC_DAY);
}

/* The options of ds:where (an argument apart from the filter, so that a column
 * named strict stays filterable): {strict = false} lets a value nothing holds
 * give an empty view. The default is strict unless tally run --allow-empty. */
static int where_strict(lua_State *L, int i)
{
	lt_ctx *c = lt_getctx(L);
	int strict = !(c && c->allow_empty);
	if (lua_isnoneornil(L, i))
		return strict;
	if (!lua_istable(L, i))
		return luaL_error(L, "where: the options (argument 2) must be a table such as {strict = false}, not a %s",
		                  luaL_typename(L, i));
	lua_pushnil(L);
	while (lua_next(L, i)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		int allow = strcmp(k, "allow_empty") == 0;   /* the command line's name, the other way up */
		if (strcmp(k, "strict") != 0 && !allow) {
			static const char *const known[] = {"strict", "allow_empty"};
			char hint[64];
			return luaL_error(L, "where: unknown option '%s'%s (options: strict, allow_empty)", k,
			                  tl_did_you_mean(hint, sizeof hint, k, known, 2));
		}
		if (!lua_isboolean(L, -1))
			return luaL_error(L, "where: %s wants true or false", k);
		strict = lua_toboolean(L, -1) != allow;
		lua_pop(L, 1);
	}
	return strict;
}

/* ds:where({field = value or {values...}, from =, to =, quarter =, month =, year =}
 * [, {strict = false}]): a view of the records that match every key. A value is
 * checked first (agg_check_filter): a country or dimension outside the vocabulary,
 * a malformed quarter, month or year, or (when strict) a value no record of the
 * whole dataset holds is a usage failure naming the nearest values. */
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
	int strict;
	if (!lua_istable(L, 2))
		return luaL_error(L, "where: wants a table of filters such as {dimension = \"human\"}, not a %s",
		                  luaL_typename(L, 2));
	strict = where_strict(L, 3);
	lua_settop(L, 2);
	lua_newtable(L);   /* 3: anchors strings made from numbers and dates */
	/* size the boxes: one filter per key, its values plus a NULL */
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			return luaL_error(L, "where: filter keys must be field names, not a %s", luaL_typename(L, -2));
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
			tl_date d = where_date(L, -1, key);
			f[nf].from = key[0] == 'f' ? d : 0;
			f[nf].to = key[0] == 't' ? d : 0;
			if (key[0] == 'f' && d > from)
				from = d;
			if (key[0] == 't' && (to == 0 || d < to))
				to = d;
		} else if (isdatepart(s, key)) {   /* checked and made a range by agg_check_filter, agg_filter */
			char buf[32];
			tl_date *p = luaL_testudata(L, -1, LT_DATE);
			f[nf].field = key;
			f[nf].values = vals + nv;
			if (p)
				tl_date_format(*p, buf, sizeof buf), lua_pushstring(L, buf);
			else if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
				lua_pushstring(L, lua_tostring(L, -1));
			else
				return luaL_error(L, "where: %s wants a string such as %s, not a %s", key,
				                  key[0] == 'q' ? "2023Q2" : key[0] == 'm' ? "2023-04" : "2023", luaL_typename(L, -1));
			vals[nv++] = lua_tostring(L, -1);
			lua_rawseti(L, 3, (lua_Integer)lua_rawlen(L, 3) + 1);
			vals[nv++] = NULL;
		} else {
			f[nf].field = key;
			f[nf].values = vals + nv;
			if (lua_istable(L, -1)) {
				size_t n = lua_rawlen(L, -1);
				for (size_t j = 1; j <= n; j++) {
					lua_rawgeti(L, -1, (lua_Integer)j);
					if (!lua_isstring(L, -1))
						return luaL_error(L, "where: values of '%s' must be strings", key);
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
				return luaL_error(L, "where: '%s' wants a value or a list of values, not a %s", key,
				                  luaL_typename(L, -1));
			}
			vals[nv++] = NULL;
		}
		nf++;
		lua_pop(L, 1);
	}
	tl_error_clear(&err);
	if (agg_check_filter(s, f, nf, !strict, "; where(filter, {strict = false}) or tally run --allow-empty if an empty view is intended",
	                     lt_tlctx(L), &err) < 0)
		return where_fail(L, err.msg);
	/* the view's period: counting it by month or quarter covers the whole of it */
	for (size_t j = 0; j < nf; j++) {
		tl_date d;
		const char *why;
		if (!f[j].field || !isdatepart(s, f[j].field) ||
		    tl_date_parse(f[j].values[0], strlen(f[j].values[0]), &d, &why) < 0)
			continue;
		if (d > from)
			from = d;
		if (to == 0 || period_last(d) < to)
			to = period_last(d);
	}
	v = newview(L, 1);   /* 6 */
	if (from && from > v->from)
		v->from = from;
	if (to && (v->to == 0 || to < v->to))
		v->to = to;
	if (agg_filter(s, sel, f, nf, lt_tlctx(L), &v->sel, &err) < 0)
		return luaL_error(L, "where: %s", err.msg);
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
				lt_pushdate(L, c->dates[r]);
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
 * logic only: ds:where counts in C. The rows a date range left at the edge of ds
 * (tl_sel) go through fn too, and those it keeps stay at the edge. */
static int ds_filter(lua_State *L)
{
	const tl_sel *sel;
	tl_store *s = ds_store(L, 1, &sel);
	size_t n = sel_n(s, sel), ne = sel ? sel->nedge : 0, kept = 0, kedge = 0;
	uint32_t *box, *rows, *edge;
	lt_dataset *v;
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	box = lua_newuserdatauv(L, (n + ne ? n + ne : 1) * sizeof *box, 0);   /* 3: rows kept so far, edge rows from the end */
	for (size_t i = 0; i < n + ne; i++) {
		size_t r;
		s = ds_store(L, 1, &sel);   /* fn may have done anything: look again */
		if (i < n ? i >= sel_n(s, sel) : !sel || i - n >= sel->nedge)
			break;
		r = i < n ? sel_row(sel, i) : sel->edge[i - n];
		lua_pushvalue(L, 2);
		pushrecord(L, s, r);
		lua_call(L, 1, 1);
		if (lua_toboolean(L, -1)) {
			if (i < n)
				box[kept++] = (uint32_t)r;
			else
				box[n + ne - 1 - kedge++] = (uint32_t)r;
		}
		lua_pop(L, 1);
	}
	v = newview(L, 1);
	rows = malloc((kept ? kept : 1) * sizeof *rows);
	edge = malloc((kedge ? kedge : 1) * sizeof *edge);
	if (rows == NULL || edge == NULL) {
		free(rows);
		free(edge);
		return luaL_error(L, "not enough memory");
	}
	memcpy(rows, box, kept * sizeof *rows);
	for (size_t i = 0; i < kedge; i++)
		edge[i] = box[n + ne - 1 - i];
	v->sel.rows = rows;
	v->sel.n = kept;
	v->sel.edge = edge;
	v->sel.nedge = kedge;
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
	lt_pushdate(L, lo);
	lt_pushdate(L, hi);
	return 2;
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                */
/* ---------------------------------------------------------------------- */

/* Fills o from the options table at i: the command line's loading options by the
 * same names, a '-' written '-' or '_' (map, date_format, na, country_codes,
 * skip_bad, no_cache, threads). Strings stay anchored in the table or at anchor. */
static void checkloadopts(lua_State *L, int i, tl_load_opts *o, int anchor)
{
	if (lua_isnoneornil(L, i))
		return;
	luaL_checktype(L, i, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, i)) {
		char k[32];
		snprintf(k, sizeof k, "%s", lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?");
		for (char *p = k; *p; p++)
			if (*p == '-')
				*p = '_';
		if (strcmp(k, "map") == 0) {
			/* {date = "when", country = "where"} or "date=when,country=where" */
			if (lua_type(L, -1) == LUA_TSTRING) {
				size_t n;
				const char *spec = lua_tolstring(L, -1, &n);
				char *copy = lua_newuserdatauv(L, n + 1, 0);   /* the columns point into it */
				tl_error err;
				memcpy(copy, spec, n + 1);
				lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
				if (tl_load_mapspec(o, copy, &err) < 0)
					luaL_argerror(L, i, lua_pushfstring(L, "map %s", err.msg));
			} else {
				luaL_argcheck(L, lua_istable(L, -1), i, "map wants a table {role = column}");
				lua_pushnil(L);
				while (lua_next(L, -2)) {
					const char *role = lua_tostring(L, -2), *col = lua_tostring(L, -1);
					if (lua_type(L, -2) != LUA_TSTRING || col == NULL)
						luaL_argerror(L, i, "map wants {role = column}");
					if (tl_load_map(o, role, col) < 0)
						luaL_argerror(L, i, lua_pushfstring(L, "map: unknown role '%s' (date, country, dimension, year, month, day)", role));
					lua_pop(L, 1);
				}
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
			luaL_argcheck(L, m >= 0, i, "country_codes wants name, iso2, iso3, fips or raw");
			o->country_codes = (tl_ccmode)m;
		} else if (strcmp(k, "no_cache") == 0) {
			o->no_cache = lua_toboolean(L, -1);
		} else if (strcmp(k, "threads") == 0) {
			lua_Integer n = lua_tointeger(L, -1);
			luaL_argcheck(L, lua_isinteger(L, -1) && n >= 1 && n <= 64, i, "threads wants a whole number from 1");
			o->threads = (int)n;
		} else {
			static const char *const known[] = {"map", "date_format", "na", "skip_bad", "country_codes", "no_cache",
			                                    "threads"};
			char hint[TL_SUGGEST_MAX + 32];
			luaL_error(L, "load: unknown option '%s'%s (map, date_format, na, country_codes, skip_bad, no_cache, threads)",
			           lua_tostring(L, -2) ? lua_tostring(L, -2) : "?", tl_did_you_mean(hint, sizeof hint, k, known, 7));
		}
		lua_pop(L, 1);
	}
}

/* Loads path with o into the empty Dataset d; 0, or -1 with the message pushed. */
static int loadinto(lua_State *L, lt_dataset *d, const char *path, tl_load_opts *o)
{
	tl_error err;
	char buf[1400];
	unsigned long refusals;
	tl_error_clear(&err);
	if (o->ctx == NULL)
		o->ctx = lt_tlctx(L);
	/* the store is counted against --max-memory as it grows (the context's
	 * tl_mem), and for as long as it lives: store_free gives it back */
	refusals = o->ctx ? o->ctx->mem.refusals : 0;
	lt_loadcap_begin(L);
	d->store = tl_load_cached(path, o, &err);
	lt_loadcap_end(L, refusals, d->store == NULL);   /* raises when the cap stopped the load */
	if (d->store == NULL) {
		lua_pushstring(L, tl_error_str(&err, buf, sizeof buf));
		return -1;
	}
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

/* --quarter, --from or --to as the command line gave it, or NULL. */
const char *lt_cli_period(const lt_ctx *c, const char *name)
{
	if (strcmp(name, "quarter") == 0)
		return c->quarter;
	if (strcmp(name, "from") == 0)
		return c->from;
	if (strcmp(name, "to") == 0)
		return c->to;
	return NULL;
}

/* Whether the script or plugin declared an option of that name (lt_check_options
 * keeps the names): then the value is its own, in tally.args, and no filter. */
static int declared(lua_State *L, const char *name)
{
	int r = 0;
	if (lua_getfield(L, LUA_REGISTRYINDEX, LT_DECLARED) == LUA_TTABLE) {
		r = lua_getfield(L, -1, name) != LUA_TNIL;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return r;
}

/* Pushes the command line's filters as a table for ds:where, with count's
 * meaning: each --where field holds a value or a list of the values given for it
 * (any of them), then quarter, from and to unless declared. */
int lt_pushfilter(lua_State *L)
{
	static const char *const periods[] = {"quarter", "from", "to"};
	lt_ctx *c = lt_getctx(L);
	lua_newtable(L);
	for (size_t i = 0; c && i < c->nwhere; i++) {
		const char *w = c->where[i], *eq = strchr(w, '=');
		lua_pushlstring(L, w, (size_t)(eq - w));      /* t field */
		lua_pushvalue(L, -1);
		switch (lua_rawget(L, -3)) {                  /* t field old */
		case LUA_TNIL:
			lua_pop(L, 1);
			lua_pushstring(L, eq + 1);
			break;
		case LUA_TSTRING:                             /* a second value: a list */
			lua_createtable(L, 2, 0);
			lua_insert(L, -2);
			lua_rawseti(L, -2, 1);
			/* FALLTHROUGH */
		default:
			lua_pushstring(L, eq + 1);
			lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
			break;
		}
		lua_rawset(L, -3);                            /* t.field = value or list */
	}
	for (int k = 0; c && k < 3; k++) {
		const char *v = lt_cli_period(c, periods[k]);
		if (v && !declared(L, periods[k])) {
			lua_pushstring(L, v);
			lua_setfield(L, -2, periods[k]);
		}
	}
	return 1;
}

static int t_where(lua_State *L)
{
	return lt_pushfilter(L);
}

/* Narrows the dataset at the top to the command line's filters, in its place. */
static void applyfilter(lua_State *L)
{
	lt_pushfilter(L);
	lua_pushnil(L);
	if (lua_next(L, -2) == 0) {   /* nothing to keep out */
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 2);
	lua_pushcfunction(L, ds_where);
	lua_insert(L, -3);            /* where ds filter */
	lua_call(L, 2, 1);            /* a value nothing holds fails as count's does */
	lt_getctx(L)->filtered = 1;
}

/* tally.data(i) for C: the i-th --data file (0-based), loaded once with the
 * command-line options and narrowed by its filters (--where, and --quarter, --from,
 * --to when the script does not declare them). A load failure ends the run with
 * status 2. */
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
	applyfilter(L);
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
static const luaL_Reg ds_funcs[] = {
	{ "load", t_load },
	{ "data", t_data },
	{ "where", t_where },
	{ "plugin", t_plugin },
	{ NULL, NULL }
};

/* Makes the Dataset metatable; adds load, data and plugin to the module at the top. */
void lt_open_dataset(lua_State *L)
{
	lt_createmeta(L, LT_DATASET, ds_meta, ds_methods);
	luaL_setfuncs(L, ds_funcs, 0);
}
