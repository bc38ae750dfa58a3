/* Dates, quarters and countries for Lua: tally.Date (a date with its precision),
 * tally.date, tally.quarter, tally.country. */
#include <stdio.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "lua/lua_tally.h"
#include "tally/ctx.h"
#include "tally/labels.h"
#include "tally/lang.h"
#include "tally/vocab.h"

void lt_pushdate(lua_State *L, tl_date d)
{
	tl_date *p = lua_newuserdatauv(L, sizeof *p, 0);
	*p = d;
	luaL_setmetatable(L, LT_DATE);
}

/* A date argument: a tally.Date or a string such as "2023-04-10". Raises. */
tl_date lt_checkdate(lua_State *L, int i)
{
	tl_date *p = luaL_testudata(L, i, LT_DATE), d;
	const char *why;
	size_t n;
	const char *s;
	if (p)
		return *p;
	s = luaL_checklstring(L, i, &n);
	if (tl_date_parse(s, n, &d, &why) < 0)
		luaL_error(L, "date: '%s': %s", s, why);
	return d;
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
		d = lt_checkdate(L, 1);
	}
	lt_pushdate(L, d);
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

/* d:label(): the form people read, "Q2 2023", "April 2023", "10 April 2023". */
static int date_label(lua_State *L)
{
	char buf[64];
	tl_date_label(todate(L, 1), buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

/* tally.label(field [, plural]): the words of data/labels.tsv for a field in
 * the reader's language, "event type" for event_type; a field the table lacks
 * reads as its name. */
static int t_label(lua_State *L)
{
	const char *field = luaL_checkstring(L, 1);
	int plural = lua_toboolean(L, 2);
	char buf[256];
	tl_ctx *c = lt_tlctx(L);
	labels_field(c ? tl_ctx_labels(c, NULL) : NULL, field, plural, buf, sizeof buf);
	lua_pushstring(L, tl_gettext(buf));
	return 1;
}

/* tally.value_label(field, value): the words of data/labels.tsv for a value in
 * the reader's language ("cultural event" for event_type "cultural-event"), or
 * nil when the table has none. */
static int t_value_label(lua_State *L)
{
	const char *field = luaL_checkstring(L, 1), *value = luaL_checkstring(L, 2);
	tl_ctx *c = lt_tlctx(L);
	const char *l = labels_value(c ? tl_ctx_labels(c, NULL) : NULL, field, value);
	if (l)
		lua_pushstring(L, tl_gettext(l));
	else
		luaL_pushfail(L);
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
	lua_pushboolean(L, lt_checkdate(L, 1) < lt_checkdate(L, 2));
	return 1;
}

static int date_le(lua_State *L)
{
	lua_pushboolean(L, lt_checkdate(L, 1) <= lt_checkdate(L, 2));
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
		return luaL_error(L, "tally.quarter: unknown quarter '%s' (expected 2023Q2 or 2023-Q2)", q);
	lt_pushdate(L, from);
	lt_pushdate(L, to);
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
	if (lt_tlctx(L) == NULL)
		tl_fail(&err, NULL, 0, 0, "no vocabulary: tally has no home to read data/ from");
	if (lt_tlctx(L) == NULL || (v = tl_ctx_vocab(lt_tlctx(L), &err)) == NULL) {
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
static const luaL_Reg date_methods[] = {
	{ "year", date_year },
	{ "month", date_month },
	{ "quarter", date_quarter },
	{ "day", date_day },
	{ "precision", date_precision },
	{ "key", date_key },
	{ "format", date_format },
	{ "label", date_label },
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
static const luaL_Reg date_funcs[] = {
	{ "date", t_date },
	{ "quarter", t_quarter },
	{ "country", t_country },
	{ "label", t_label },
	{ "value_label", t_value_label },
	{ NULL, NULL }
};

/* Makes the Date metatable; adds date, quarter and country to the module at the top. */
void lt_open_date(lua_State *L)
{
	lt_createmeta(L, LT_DATE, date_meta, date_methods);
	luaL_setfuncs(L, date_funcs, 0);
}
