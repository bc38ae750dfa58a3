/* Lua bindings of the chart engine (reports are in lua_report.c):
 *
 *   local c = tally.chart.bar{data = counts, title = "...", orientation = "horizontal"}
 *   c:save("reports/2023-Q2/by-country.png")
 *
 * Userdata: "tally.Chart" (a chart reference). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lua.h>
#include <lauxlib.h>
#include "tally/chart.h"
#include "tally/suggest.h"
#include "lua/lua_int.h"
#include "lua/lua_tally.h"

#define LT_CHARTDATA "tally.ChartData"   /* a box freeing half-built data on error */

typedef struct lc_chart  { tl_chart *c; } lc_chart;
typedef struct lc_data   { tl_chart_data *d; } lc_data;

#define tochart(L, i)  ((lc_chart *)luaL_checkudata(L, i, LT_CHART))

/* ---- options ------------------------------------------------------------------ */

/* A misspelt option would be silently ignored; every key must be known. */
void lt_check_keys(lua_State *L, int t, const char *const *known, const char *what)
{
	lua_pushnil(L);
	while (lua_next(L, t)) {
		int ok = 0;
		if (lua_type(L, -2) == LUA_TSTRING)
			for (const char *const *k = known; *k && !ok; k++)
				ok = strcmp(*k, lua_tostring(L, -2)) == 0;
		if (!ok) {
			size_t n = 0;
			char hint[TL_SUGGEST_MAX + 32];
			while (known[n]) n++;
			lua_pushvalue(L, -2);
			luaL_tolstring(L, -1, NULL);
			luaL_error(L, "unknown %s option '%s'%s", what, lua_tostring(L, -1),
			           tl_did_you_mean(hint, sizeof hint, lua_tostring(L, -1), known, n));
		}
		lua_pop(L, 1);
	}
}

/* The string field k of table t, or NULL (raises when not a string). */
const char *lt_opt_string(lua_State *L, int t, const char *k)
{
	const char *s = NULL;
	int ty = lua_getfield(L, t, k);
	if (ty != LUA_TNIL) {
		if (ty != LUA_TSTRING && ty != LUA_TNUMBER)
			luaL_error(L, "option '%s' must be a string", k);
		s = lua_tostring(L, -1);
	}
	lua_pop(L, 1);     /* the string stays alive in the options table */
	return s;
}

int lt_opt_number(lua_State *L, int t, const char *k, double *out)
{
	int ty = lua_getfield(L, t, k), isnum = 0;
	double v = lua_tonumberx(L, -1, &isnum);
	lua_pop(L, 1);
	if (ty == LUA_TNIL)
		return 0;
	if (!isnum || !isfinite(v))
		return luaL_error(L, "option '%s' must be a number", k);
	*out = v;
	return 1;
}

static int opt_bool(lua_State *L, int t, const char *k, int *out)
{
	int ty = lua_getfield(L, t, k);
	if (ty != LUA_TNIL) {
		if (ty != LUA_TBOOLEAN)
			luaL_error(L, "option '%s' must be true or false", k);
		*out = lua_toboolean(L, -1);
	}
	lua_pop(L, 1);
	return ty != LUA_TNIL;
}

static int opt_choice(lua_State *L, int t, const char *k, const char *const *names, int def)
{
	const char *s = lt_opt_string(L, t, k);
	if (!s)
		return def;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return luaL_error(L, "option '%s' cannot be '%s'", k, s);
}

static tl_rgb opt_color(lua_State *L, const char *k, const char *s)
{
	tl_rgb c;
	if (chart_parse_color(s, &c) != 0)
		luaL_error(L, "theme.%s: '%s' is not a colour (#RRGGBB)", k, s);
	return c;
}

static const char *const theme_keys[] = {
	"font", "title_size", "subtitle_size", "label_size", "value_size", "tick_size",
	"note_size", "legend_size", "background", "text", "muted", "grid", "axis", "palette",
	"heat_low", "heat_high", "other", "margin", "margin_top", "margin_right", "margin_bottom",
	"margin_left", "line_width", "marker_size", "bar_gap", "label_max", NULL
};

/* theme = {font =, *_size =, colours as "#RRGGBB", palette = {...}, margin(s) =}:
 * overrides entries of th, leaving the others at their defaults. */
void lt_read_theme(lua_State *L, int t, tl_theme *th)
{
	struct { const char *k; double *v; double lo, hi; } nums[] = {
		{ "title_size", &th->title_size, 4, 96 }, { "subtitle_size", &th->subtitle_size, 4, 96 },
		{ "label_size", &th->label_size, 4, 96 }, { "value_size", &th->value_size, 4, 96 },
		{ "tick_size", &th->tick_size, 4, 96 }, { "note_size", &th->note_size, 4, 96 },
		{ "legend_size", &th->legend_size, 4, 96 },
		{ "margin_top", &th->margin_top, 0, 200 }, { "margin_right", &th->margin_right, 0, 200 },
		{ "margin_bottom", &th->margin_bottom, 0, 200 }, { "margin_left", &th->margin_left, 0, 200 },
		{ "line_width", &th->line_width, 0.1, 20 }, { "marker_size", &th->marker_size, 0, 20 },
		{ "bar_gap", &th->bar_gap, 0, 0.9 }, { "label_max", &th->label_max, 0.1, 0.8 },
	};
	struct { const char *k; tl_rgb *c; } cols[] = {
		{ "background", &th->background }, { "text", &th->text }, { "muted", &th->muted },
		{ "grid", &th->grid }, { "axis", &th->axis }, { "heat_low", &th->heat_low },
		{ "heat_high", &th->heat_high }, { "other", &th->other },
	};
	luaL_checktype(L, t, LUA_TTABLE);
	lt_check_keys(L, t, theme_keys, "theme");
	const char *font = lt_opt_string(L, t, "font");
	if (font) {
		char why[512];
		if (strlen(font) >= sizeof th->font || !*font)
			luaL_error(L, "theme.font: a family name, not '%s'", font);
		if (chart_font_check(font, why, sizeof why) < 0)
			luaL_error(L, "theme.font: %s", why);
		strcpy(th->font, font);
	}
	double m;
	if (lt_opt_number(L, t, "margin", &m)) {
		if (m < 0 || m > 200)
			luaL_error(L, "theme.margin must be from 0 to 200 points");
		th->margin_top = th->margin_right = th->margin_bottom = th->margin_left = m;
	}
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (lt_opt_number(L, t, nums[i].k, nums[i].v)
		    && (*nums[i].v < nums[i].lo || *nums[i].v > nums[i].hi))
			luaL_error(L, "theme.%s must be from %g to %g", nums[i].k, nums[i].lo, nums[i].hi);
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		const char *s = lt_opt_string(L, t, cols[i].k);
		if (s)
			*cols[i].c = opt_color(L, cols[i].k, s);
	}
	if (lua_getfield(L, t, "palette") != LUA_TNIL) {
		luaL_checktype(L, -1, LUA_TTABLE);
		size_t n = (size_t)luaL_len(L, -1);
		if (n < 1 || n > TL_PALETTE_MAX)
			luaL_error(L, "theme.palette needs 1 to %d colours", TL_PALETTE_MAX);
		for (size_t i = 0; i < n; i++) {
			lua_geti(L, -1, (lua_Integer)i + 1);
			const char *s = lua_tostring(L, -1);
			th->palette[i] = opt_color(L, "palette", s ? s : "?");
			lua_pop(L, 1);
		}
		th->npalette = n;
	}
	lua_pop(L, 1);
}

/* ---- data ------------------------------------------------------------------------ */

static int data_gc(lua_State *L)
{
	lc_data *b = luaL_checkudata(L, 1, LT_CHARTDATA);
	chart_data_free(b->d);
	b->d = NULL;
	return 0;
}

/* An empty box on the stack that will own the data being built, so that a raise
 * while filling it from Lua tables does not leak: it is pushed before the malloc. */
static lc_data *push_databox(lua_State *L)
{
	lc_data *b = lua_newuserdatauv(L, sizeof *b, 0);
	b->d = NULL;
	luaL_setmetatable(L, LT_CHARTDATA);
	return b;
}

static double cell_value(lua_State *L, int idx, const char *where)
{
	int isnum = 0;
	double v;
	if (lua_isnil(L, idx) || (lua_isboolean(L, idx) && !lua_toboolean(L, idx)))
		return NAN;          /* a missing value: a gap in a line */
	v = lua_tonumberx(L, idx, &isnum);
	if (!isnum || !isfinite(v))
		luaL_error(L, "chart data: %s must be a number", where);
	return v;
}

/* {{"Kazakhstan", 12}, {"China", 3}}: one series. */
static void data_from_pairs(lua_State *L, int t, lc_data *b)
{
	size_t n = (size_t)luaL_len(L, t);
	if (!(b->d = chart_data_new(n, 1)) || chart_data_set_series(b->d, 0, "count"))
		luaL_error(L, "out of memory");
	for (size_t i = 0; i < n; i++) {
		lua_geti(L, t, (lua_Integer)i + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "chart data: item %d must be a {label, value} pair", (int)i + 1);
		lua_geti(L, -1, 1);
		lua_geti(L, -2, 2);
		const char *label = lua_tostring(L, -2);
		if (!label)
			luaL_error(L, "chart data: item %d has no label", (int)i + 1);
		if (chart_data_set_cat(b->d, i, label))
			luaL_error(L, "out of memory");
		b->d->series[0].values[i] = cell_value(L, -1, "a value");
		lua_pop(L, 3);
	}
	b->d->by_date = chart_labels_are_dates(b->d->cats, b->d->ncat);
}

/* {labels = {...}, series = {{name =, values = {...}}, ...}} */
/* As TL_FMT_*: how a chart or a series prints its values. */
static const char *const value_formats[] = { "auto", "number", "percent", "signed", "change", NULL };

static void data_from_series(lua_State *L, int t, lc_data *b)
{
	lua_getfield(L, t, "labels");
	lua_getfield(L, t, "series");
	int lt = lua_gettop(L) - 1, st = lua_gettop(L);
	if (!lua_istable(L, lt) || !lua_istable(L, st))
		luaL_error(L, "chart data: a table of {label, value} pairs, or {labels = {...}, series = {...}}");
	size_t nc = (size_t)luaL_len(L, lt), ns = (size_t)luaL_len(L, st);
	if (ns == 0)
		luaL_error(L, "chart data: series is empty");
	if (!(b->d = chart_data_new(nc, ns)))
		luaL_error(L, "out of memory");
	for (size_t i = 0; i < nc; i++) {
		lua_geti(L, lt, (lua_Integer)i + 1);
		const char *s = lua_tostring(L, -1);
		if (!s)
			luaL_error(L, "chart data: labels[%d] must be a string", (int)i + 1);
		if (chart_data_set_cat(b->d, i, s))
			luaL_error(L, "out of memory");
		lua_pop(L, 1);
	}
	for (size_t j = 0; j < ns; j++) {
		lua_geti(L, st, (lua_Integer)j + 1);
		if (!lua_istable(L, -1))
			luaL_error(L, "chart data: series[%d] must be {name =, values = {...}}", (int)j + 1);
		lua_getfield(L, -1, "name");
		lua_getfield(L, -2, "values");
		const char *name = lua_tostring(L, -2);
		if (chart_data_set_series(b->d, j, name ? name : ""))
			luaL_error(L, "out of memory");
		b->d->series[j].format = opt_choice(L, -3, "format", value_formats, 0);
		if (!lua_istable(L, -1))
			luaL_error(L, "chart data: series[%d].values must be a list", (int)j + 1);
		if ((size_t)luaL_len(L, -1) > nc)
			luaL_error(L, "chart data: series[%d] has more values than labels", (int)j + 1);
		for (size_t i = 0; i < nc; i++) {
			lua_geti(L, -1, (lua_Integer)i + 1);
			b->d->series[j].values[i] = cell_value(L, -1, "series values");
			lua_pop(L, 1);
		}
		lua_pop(L, 3);
	}
	b->d->by_date = chart_labels_are_dates(b->d->cats, b->d->ncat);
	lua_pop(L, 2);
}

/* The data at idx into the box b: a Counts, a Table (cross-tab) or a plain Lua
 * table. Line charts of a cross-tab whose columns are dates run along the dates. */
static void read_data(lua_State *L, int idx, tl_chart_type type, lc_data *b)
{
	tl_counts *c;
	tl_xtab *x;
	if (luaL_testudata(L, idx, LT_DIFF))   /* its rows are changes: no bar of items, no share */
		luaL_error(L, "chart: data is a comparison (a:diff(b)), whose rows are changes, not counts of items: "
		           "chart the two counts as series, {labels = {...}, series = {{name = ..., values = {...}}, ...}}");
	if ((c = lt_tocounts(L, idx)))
		b->d = chart_data_from_counts(c);
	else if ((x = lt_toxtab(L, idx))) {
		b->d = chart_data_from_xtab(x);
		if (b->d && type == TL_CHART_LINE && x->cols->by_date && !x->rows->by_date) {
			tl_chart_data *t = chart_data_transpose(b->d);
			chart_data_free(b->d);
			b->d = t;
		}
	} else if (lua_istable(L, idx)) {
		int series_form = lua_getfield(L, idx, "labels") != LUA_TNIL;
		lua_pop(L, 1);
		if (series_form)
			data_from_series(L, idx, b);
		else
			data_from_pairs(L, idx, b);
	} else
		luaL_error(L, "chart data must be a Counts, a Table or a Lua table, not %s",
		           luaL_typename(L, idx));
	if (!b->d)
		luaL_error(L, "out of memory");
}

/* ---- charts --------------------------------------------------------------------------- */

static const char *const chart_keys[] = {
	"data", "title", "subtitle", "source", "orientation", "stacked", "sort", "limit", "values",
	"markers", "legend", "hole", "width", "height", "size", "scale", "author", "subject",
	"theme", "value_format", "percent", "totals", NULL
};

/* Fills cfg from the options table t (strings stay owned by t). */
static void read_cfg(lua_State *L, int t, tl_chart_cfg *cfg)
{
	static const char *const orients[] = { "auto", "vertical", "horizontal", NULL };
	static const char *const sorts[] = { "none", "desc", "asc", "label", NULL };
	static const char *const sizes[] = { "web", "a4", "a5", NULL };
	static const char *const tri[] = { "auto", "off", "on", NULL };
	int b;
	double v;
	lt_check_keys(L, t, chart_keys, "chart");
	if (lt_opt_string(L, t, "title")) cfg->title = lt_opt_string(L, t, "title");
	if (lt_opt_string(L, t, "subtitle")) cfg->subtitle = lt_opt_string(L, t, "subtitle");
	if (lt_opt_string(L, t, "source")) cfg->source = lt_opt_string(L, t, "source");
	if (lt_opt_string(L, t, "author")) cfg->author = lt_opt_string(L, t, "author");
	if (lt_opt_string(L, t, "subject")) cfg->subject = lt_opt_string(L, t, "subject");
	cfg->orientation = (tl_orient)opt_choice(L, t, "orientation", orients, (int)cfg->orientation);
	cfg->sort = (tl_sort)opt_choice(L, t, "sort", sorts, (int)cfg->sort);
	if (opt_bool(L, t, "stacked", &b)) cfg->stacked = b;
	if (opt_bool(L, t, "values", &b)) cfg->value_labels = b;
	cfg->value_format = opt_choice(L, t, "value_format", value_formats, cfg->value_format);
	if (opt_bool(L, t, "percent", &b))
		cfg->value_format = b ? TL_FMT_PERCENT : TL_FMT_NUMBER;
	if (opt_bool(L, t, "totals", &b)) cfg->totals = b;
	for (int k = 0; k < 2; k++) {     /* true/false, or "auto"/"off"/"on" */
		const char *key = k ? "legend" : "markers";
		int *dst = k ? &cfg->legend : &cfg->markers;
		int ty = lua_getfield(L, t, key);
		if (ty == LUA_TBOOLEAN)
			*dst = lua_toboolean(L, -1);
		lua_pop(L, 1);
		if (ty == LUA_TSTRING)
			*dst = opt_choice(L, t, key, tri, 0) - 1;
		else if (ty != LUA_TNIL && ty != LUA_TBOOLEAN)
			luaL_error(L, "option '%s' must be true, false, \"auto\", \"off\" or \"on\"", key);
	}
	if (lt_opt_number(L, t, "limit", &v)) {
		if (v < 0 || v > 1e6 || v != floor(v))
			luaL_error(L, "option 'limit' must be a whole number (0 = all)");
		cfg->limit = (size_t)v;
	}
	if (lt_opt_number(L, t, "hole", &v)) {
		if (v < 0 || v > 0.9)
			luaL_error(L, "option 'hole' must be from 0 to 0.9");
		cfg->donut_hole = v;
	}
	int size = opt_choice(L, t, "size", sizes, -1);
	if (size >= 0)
		chart_size_named(sizes[size], &cfg->width, &cfg->height);
	if (lt_opt_number(L, t, "width", &v)) {
		if (v < 100 || v > 5000)
			luaL_error(L, "option 'width' must be from 100 to 5000 points");
		cfg->width = v;
	}
	if (lt_opt_number(L, t, "height", &v)) {
		if (v < 100 || v > 5000)
			luaL_error(L, "option 'height' must be from 100 to 5000 points");
		cfg->height = v;
	}
	if (lt_opt_number(L, t, "scale", &v)) {
		if (v < 0.25 || v > 8)
			luaL_error(L, "option 'scale' must be from 0.25 to 8");
		cfg->scale = v;
	}
	if (lua_getfield(L, t, "theme") != LUA_TNIL)
		lt_read_theme(L, lua_gettop(L), &cfg->theme);
	lua_pop(L, 1);
}

static lc_chart *push_chart(lua_State *L)
{
	lc_chart *u = lua_newuserdatauv(L, sizeof *u, 0);
	u->c = NULL;                        /* safe empty state before any C resource */
	luaL_setmetatable(L, LT_CHART);
	return u;
}

/* tally.chart.TYPE{data =, ...}: the type is the closure's upvalue. */
static int chart_new_lua(lua_State *L)
{
	tl_chart_type type = (tl_chart_type)lua_tointeger(L, lua_upvalueindex(1));
	tl_chart_cfg cfg;
	tl_error err;
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	chart_cfg_defaults(&cfg, type);
	read_cfg(L, 1, &cfg);
	lc_chart *u = push_chart(L);                 /* 2 */
	if (lua_getfield(L, 1, "data") == LUA_TNIL)  /* 3 */
		return luaL_error(L, "tally.chart.%s: the data field is required", chart_type_name(type));
	lc_data *b = push_databox(L);               /* 4 */
	read_data(L, 3, type, b);
	tl_chart_data *d = b->d;
	b->d = NULL;                                 /* chart_new owns d from here */
	tl_error_clear(&err);
	if (!(u->c = chart_new(&cfg, d, &err)))
		return luaL_error(L, "tally.chart.%s: %s", chart_type_name(type), err.msg);
	lua_settop(L, 2);
	return 1;
}

/* chart:set{...}: changes options; returns the chart, for chaining. */
static int chart_set(lua_State *L)
{
	lc_chart *u = tochart(L, 1);
	tl_error err;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_getfield(L, 2, "data");   /* may run Lua: the chart is checked after it */
	luaL_argcheck(L, lua_isnil(L, -1), 2, "data cannot be changed: make a new chart");
	lua_pop(L, 1);
	luaL_argcheck(L, u->c != NULL, 1, "chart is closed");
	tl_chart_cfg cfg = *chart_cfg(u->c);
	read_cfg(L, 2, &cfg);   /* runs Lua (an options table may have metamethods) */
	luaL_argcheck(L, u->c != NULL, 1, "chart is closed");
	tl_error_clear(&err);
	if (chart_set_cfg(u->c, &cfg, &err) != 0)
		return luaL_error(L, "chart:set: %s", err.msg);
	lua_settop(L, 1);
	return 1;
}

const char *lt_ext_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && !strchr(dot, '/') ? dot + 1 : "";
}

/* What a save returns to Lua: true, or nil and a message naming the path. */
int lt_saved(lua_State *L, const char *path, int rc, const tl_error *err)
{
	char why[600];
	int settled = lt_settle(lt_getctx(L), rc == 0, why, sizeof why);
	if (rc != 0) {
		luaL_pushfail(L);
		lua_pushfstring(L, "%s: %s", path, err->msg);
		return 2;
	}
	if (settled != 0) {
		luaL_pushfail(L);
		lua_pushstring(L, why);
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

/* chart:save(path): true, or nil and a message when the file cannot be written. */
static int chart_save_lua(lua_State *L)
{
	lc_chart *u = tochart(L, 1);
	const char *path = luaL_checkstring(L, 2);
	const char *ext = lt_ext_of(path);
	tl_error err;
	luaL_argcheck(L, u->c != NULL, 1, "chart is closed");
	if (strcasecmp(ext, "png") && strcasecmp(ext, "pdf") && strcasecmp(ext, "svg"))
		return luaL_argerror(L, 2, "the name must end in .png, .pdf or .svg");
	const char *real = lt_checkoutpath(L, path);
	/* again: a finaliser run by an allocation may have closed the chart */
	luaL_argcheck(L, u->c != NULL, 1, "chart is closed");
	tl_error_clear(&err);
	/* a PNG's image buffer, sized by the script's width, height and scale, counts
	 * against --max-memory while it exists (a size past cairo's is refused by
	 * chart_save_as itself, before any buffer) */
	const tl_chart_cfg *cfg = chart_cfg(u->c);
	double px = 2 * cfg->scale, w = ceil(cfg->width * px), h = ceil(cfg->height * px);
	size_t image = strcasecmp(ext, "png") == 0 && w * h < 4e9 ? (size_t)(w * h * 4) : 0;
	lt_charge(L, image);
	int rc = chart_save_as(u->c, real, ext, &err);
	lt_discharge(L, image);
	return lt_saved(L, path, rc, &err);
}

static int chart_gc(lua_State *L)
{
	lc_chart *u = tochart(L, 1);
	chart_free(u->c);
	u->c = NULL;
	return 0;
}

static int chart_tostring(lua_State *L)
{
	lc_chart *u = tochart(L, 1);
	if (!u->c)
		lua_pushliteral(L, "tally.Chart (closed)");
	else {
		const tl_chart_cfg *cfg = chart_cfg(u->c);
		const tl_chart_data *d = chart_data(u->c);
		lua_pushfstring(L, "tally.Chart: %s \"%s\" (%d categories, %d series)",
		                chart_type_name(cfg->type), cfg->title ? cfg->title : "",
		                (int)d->ncat, (int)d->nseries);
	}
	return 1;
}

static const luaL_Reg chart_methods[] = {
	{ "save", chart_save_lua }, { "set", chart_set }, { NULL, NULL }
};
static const luaL_Reg chart_meta[] = {
	{ "__gc", chart_gc }, { "__close", chart_gc }, { "__tostring", chart_tostring }, { NULL, NULL }
};
static const luaL_Reg data_meta[] = { { "__gc", data_gc }, { NULL, NULL } };

/* ---- for the report bindings (lua_report.c) ------------------------------------------- */

tl_chart *lt_checkchart(lua_State *L, int i)
{
	lc_chart *u = tochart(L, i);
	luaL_argcheck(L, u->c != NULL, i, "chart is closed");
	return u->c;
}

/* tally.chart.NAME{...} of a chart plugin: its chart function (upvalue 1) with the
 * arguments, which must give a tally.Chart (upvalue 2 is the plugin's name). */
static int chart_plugin_call(lua_State *L)
{
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, 1);
	if (luaL_testudata(L, -1, LT_CHART) == NULL)
		return luaL_error(L, "tally.chart.%s: the chart plugin's chart function must return a tally.Chart, not %s",
		                  lua_tostring(L, lua_upvalueindex(2)), luaL_typename(L, -1));
	return 1;
}

/* tally.chart.NAME for a NAME that is no built-in type: the chart plugin of that
 * name (kind = "chart", registering the type by being on the plugin path), else an
 * error with "did you mean", not "attempt to call a nil value". */
static int chart_no_type(lua_State *L)
{
	static const char *const types[] = { "bar", "line", "donut", "heatmap", "table" };
	const char *k = luaL_tolstring(L, 2, NULL);
	char hint[TL_SUGGEST_MAX + 32], path[4096];
	lt_ctx *c = lt_getctx(L);
	if (lua_type(L, 2) == LUA_TSTRING && c && lt_plugin_find(c, k, path, sizeof path) == 0) {
		lt_plugin_push(L, k);
		lua_getfield(L, -1, "kind");
		if (lua_type(L, -1) != LUA_TSTRING || strcmp(lua_tostring(L, -1), "chart") != 0)
			return luaL_error(L, "tally.chart: no chart type '%s' (the plugin %s is of kind %s, not chart)",
			                  k, k, luaL_tolstring(L, -1, NULL));
		lua_getfield(L, -2, "chart");   /* lt_plugin_push checked it is a function */
		lua_pushvalue(L, 2);
		lua_pushcclosure(L, chart_plugin_call, 2);
		return 1;
	}
	return luaL_error(L, "tally.chart: no chart type '%s'%s (bar, line, donut, heatmap, table, or a chart plugin)",
	                  k, tl_did_you_mean(hint, sizeof hint, k, types, 5));
}

/* A table chart of the data at index data with the options at opts (or none),
 * pushed as a tally.Chart. */
tl_chart *lt_pushtable(lua_State *L, int data, int opts)
{
	tl_chart_cfg cfg;
	tl_error err;
	data = lua_absindex(L, data);
	chart_cfg_defaults(&cfg, TL_CHART_TABLE);
	if (opts && !lua_isnoneornil(L, opts)) {
		opts = lua_absindex(L, opts);
		luaL_checktype(L, opts, LUA_TTABLE);
		lua_getfield(L, opts, "data");
		luaL_argcheck(L, lua_isnil(L, -1), opts, "the data is the first argument");
		lua_pop(L, 1);
		read_cfg(L, opts, &cfg);
	}
	lc_chart *u = push_chart(L);
	lc_data *b = push_databox(L);
	read_data(L, data, TL_CHART_TABLE, b);
	tl_chart_data *d = b->d;
	b->d = NULL;
	lua_pop(L, 1);
	tl_error_clear(&err);
	if (!(u->c = chart_new(&cfg, d, &err)))
		luaL_error(L, "page:table: %s", err.msg);
	return u->c;
}

/* ---- module ----------------------------------------------------------------------------- */

int luaopen_tally_chart(lua_State *L)
{
	static const char *const types[] = { "bar", "line", "donut", "heatmap", "table" };
	lt_createmeta(L, LT_CHART, chart_meta, chart_methods);
	luaL_newmetatable(L, LT_CHARTDATA);
	luaL_setfuncs(L, data_meta, 0);
	lua_pop(L, 1);
	lua_createtable(L, 0, 5);
	for (int i = 0; i < 5; i++) {
		lua_pushinteger(L, chart_type_from_name(types[i]));
		lua_pushcclosure(L, chart_new_lua, 1);
		lua_setfield(L, -2, types[i]);
	}
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, chart_no_type);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	return 1;
}
