/* Lua bindings of reports:
 *
 *   local r = tally.report{title = "...", author = "...", date = "..."}
 *   local p = r:page()
 *   p:heading("Where"); p:text("**Bold** words")
 *   local at = p:chart(c, {min_h = 200, max_h = 360})   -- where it went
 *   if p:remaining() < 200 then p = r:page() end
 *   p:columns{donut, bars, gap = 16}
 *   r:save("reports/2023-Q2/report.pdf")
 *
 * Blocks are placed as they are added, so p:cursor() and p:remaining() tell a
 * script where the next block goes and how much room is left on the sheet, and
 * every block returns its placement (or nil and why, when asked not to move).
 *
 * Userdata: "tally.Report", "tally.Page" (a page holds its report as user value,
 * so the report lives as long as a page). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lua.h>
#include <lauxlib.h>
#include "tally/report.h"
#include "tally/lang.h"
#include "tally/ctx.h"
#include "tally/vocab.h"
#include "lua/lua_tally.h"

typedef struct lc_report { tl_report *r; } lc_report;
typedef struct lc_page   { tl_page *p; } lc_page;

#define toreport(L, i) ((lc_report *)luaL_checkudata(L, i, LT_REPORT))
#define topage(L, i)   ((lc_page *)luaL_checkudata(L, i, LT_PAGE))

/* ---- the report ------------------------------------------------------------------------ */

static const char *const report_keys[] = {
	"title", "subtitle", "author", "date", "subject", "footer", "page_format", "theme", NULL
};

/* tally.report{title =, subtitle =, author =, date =, subject =, footer =,
 * page_format =, theme =} */
static int report_new_lua(lua_State *L)
{
	tl_report_info info;
	tl_error err;
	if (lua_isnoneornil(L, 1))
		lua_newtable(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lt_check_keys(L, 1, report_keys, "report");
	report_info_defaults(&info);
	info.title = lt_opt_string(L, 1, "title");
	info.subtitle = lt_opt_string(L, 1, "subtitle");
	info.author = lt_opt_string(L, 1, "author");
	info.date = lt_opt_string(L, 1, "date");
	info.subject = lt_opt_string(L, 1, "subject");
	info.footer = lt_opt_string(L, 1, "footer");
	info.page_fmt = lt_opt_string(L, 1, "page_format");
	if (lua_getfield(L, 1, "theme") != LUA_TNIL)
		lt_read_theme(L, 2, &info.theme);
	lua_settop(L, 1);
	lc_report *u = lua_newuserdatauv(L, sizeof *u, 0);
	u->r = NULL;
	luaL_setmetatable(L, LT_REPORT);
	tl_error_clear(&err);
	if (!(u->r = report_new(&info, &err)))
		return luaL_error(L, "tally.report: %s", err.msg);
	return 1;
}

static int report_page_lua(lua_State *L)
{
	lc_report *u = toreport(L, 1);
	luaL_argcheck(L, u->r != NULL, 1, "report is closed");
	lc_page *p = lua_newuserdatauv(L, sizeof *p, 1);
	p->p = NULL;
	luaL_setmetatable(L, LT_PAGE);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);        /* page keeps its report alive */
	/* again: making the page may have run a finaliser that closed the report */
	luaL_argcheck(L, u->r != NULL, 1, "report is closed");
	if (!(p->p = report_page(u->r)))
		return luaL_error(L, "out of memory");
	return 1;
}

/* report:geometry(): {width =, height =}, the content area of a sheet in points. */
static int report_geometry_lua(lua_State *L)
{
	double w, h;
	toreport(L, 1);
	report_geometry(&w, &h);
	lua_createtable(L, 0, 2);
	lua_pushnumber(L, w);
	lua_setfield(L, -2, "width");
	lua_pushnumber(L, h);
	lua_setfield(L, -2, "height");
	return 1;
}

/* report:save(path): true, or nil and a message. Reports are PDF only. */
static int report_save_lua(lua_State *L)
{
	lc_report *u = toreport(L, 1);
	const char *path = luaL_checkstring(L, 2);
	tl_error err;
	luaL_argcheck(L, u->r != NULL, 1, "report is closed");
	luaL_argcheck(L, strcasecmp(lt_ext_of(path), "pdf") == 0, 2,
	              "reports are PDF: the name must end in .pdf");
	const char *real = lt_checkoutpath(L, path);
	luaL_argcheck(L, u->r != NULL, 1, "report is closed");   /* again, after allocating */
	tl_error_clear(&err);
	return lt_saved(L, path, report_save_pdf(u->r, real, &err), &err);
}

static int report_gc(lua_State *L)
{
	lc_report *u = toreport(L, 1);
	report_free(u->r);
	u->r = NULL;
	return 0;
}

static int report_len(lua_State *L)
{
	lc_report *u = toreport(L, 1);
	lua_pushinteger(L, u->r ? (lua_Integer)report_npages(u->r) : 0);
	return 1;
}

static int report_tostring(lua_State *L)
{
	lc_report *u = toreport(L, 1);
	lua_pushfstring(L, "tally.Report (%d pages)", u->r ? (int)report_npages(u->r) : 0);
	return 1;
}

/* ---- blocks ------------------------------------------------------------------------------ */

/* The page at 1, checked live (its report not closed). */
static tl_page *livepage(lua_State *L)
{
	lc_page *p = topage(L, 1);
	lua_getiuservalue(L, 1, 1);
	lc_report *r = luaL_testudata(L, -1, LT_REPORT);
	luaL_argcheck(L, r && r->r && p->p, 1, "the page's report is closed");
	lua_pop(L, 1);
	return p->p;
}

static const char *const box_keys[] = {
	"x", "y", "w", "h", "min_h", "max_h", "keep", "link", "skip", "hang", NULL
};

static double box_number(lua_State *L, int t, const char *k)
{
	int isnum;
	double v = lua_tonumberx(L, t, &isnum);
	if (!isnum || !isfinite(v) || v < 0 || v > 5000)
		luaL_error(L, "box.%s must be a number of points from 0 to 5000", k);
	return v;
}

/* box = {x =, y =, w =, h =} or {x, y, w, h} in points from the top-left of the
 * sheet's content area, absent entries automatic, with how the block may give
 * way: min_h, max_h (a flexible height), keep (with the next block), skip (left
 * out, not moved, when it does not fit), link (a URI), hang (text: hanging indent). */
static void read_box(lua_State *L, int idx, tl_block *b)
{
	double *f[] = { &b->box.x, &b->box.y, &b->box.w, &b->box.h, &b->min_h, &b->max_h, &b->hang };
	static const int slot[] = { 0, 1, 2, 3, 4, 5, -1, -1, -1, 6 };
	if (lua_isnoneornil(L, idx))
		return;
	idx = lua_absindex(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {          /* positional x, y, w, h or known names */
		int ok = lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= 4;
		for (int i = 0; !ok && box_keys[i]; i++)
			ok = lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), box_keys[i]) == 0;
		if (!ok) {
			lua_pushvalue(L, -2);
			luaL_error(L, "unknown box option '%s'", luaL_tolstring(L, -1, NULL));
		}
		lua_pop(L, 1);
	}
	for (int i = 0; box_keys[i]; i++) {
		int t = lua_getfield(L, idx, box_keys[i]);
		if (t == LUA_TNIL && i < 4) {
			lua_pop(L, 1);
			t = lua_geti(L, idx, i + 1);
		}
		if (t != LUA_TNIL) {
			if (slot[i] >= 0)
				*f[slot[i]] = box_number(L, -1, box_keys[i]);
			else if (strcmp(box_keys[i], "link") == 0) {
				luaL_argcheck(L, t == LUA_TSTRING, idx, "box.link must be a string (a URI)");
				b->link = lua_tostring(L, -1);    /* alive in the box table */
			} else {
				luaL_argcheck(L, t == LUA_TBOOLEAN, idx, "box.keep and box.skip are true or false");
				*(strcmp(box_keys[i], "keep") == 0 ? &b->keep : &b->skip) = lua_toboolean(L, -1);
			}
		}
		lua_pop(L, 1);
	}
}

static void push_placement(lua_State *L, const tl_placement *at)
{
	lua_createtable(L, 0, 7);
	lua_pushnumber(L, at->x);
	lua_setfield(L, -2, "x");
	lua_pushnumber(L, at->y);
	lua_setfield(L, -2, "y");
	lua_pushnumber(L, at->w);
	lua_setfield(L, -2, "w");
	lua_pushnumber(L, at->h);
	lua_setfield(L, -2, "h");
	lua_pushinteger(L, (lua_Integer)at->sheet + 1);
	lua_setfield(L, -2, "sheet");
	lua_pushboolean(L, at->moved);
	lua_setfield(L, -2, "moved");
	lua_pushboolean(L, at->shrunk);
	lua_setfield(L, -2, "shrunk");
}

/* Places b and returns its placement, or nil and why when it was left out. */
static int place(lua_State *L, tl_page *p, const tl_block *b)
{
	tl_placement at;
	double need = b->box.h > 0 ? b->box.h : -1, left = page_remaining(p);
	if (page_add(p, b, &at) != 0)
		return luaL_error(L, "out of memory");
	if (!at.placed) {
		luaL_pushfail(L);
		if (need > 0)
			lua_pushfstring(L, "does not fit: %d points needed, %d left", (int)need, (int)left);
		else
			lua_pushfstring(L, "does not fit: %d points left", (int)left);
		return 2;
	}
	push_placement(L, &at);
	return 1;
}

/* page:chart(chart, box). The page and the chart are looked up after read_box:
 * it runs Lua (a box may have metamethods), which may close either of them. */
static int page_chart_lua(lua_State *L)
{
	tl_block b;
	livepage(L);
	lt_checkchart(L, 2);
	block_defaults(&b);
	read_box(L, 3, &b);
	b.chart = lt_checkchart(L, 2);
	return place(L, livepage(L), &b);
}

/* page:table(data, box, options): a table block of a Counts, Table or Lua table;
 * options as for tally.chart.table (title, source, limit, ...). */
static int page_table_lua(lua_State *L)
{
	tl_block b;
	livepage(L);
	lua_settop(L, 4);
	block_defaults(&b);
	read_box(L, 3, &b);
	b.chart = lt_pushtable(L, 2, 4);   /* a chart only this call holds */
	return place(L, livepage(L), &b);
}

/* page:text(str, box), page:heading(str, box), page:subheading(str, box):
 * paragraphs (blank lines), pango markup or **bold** and *italic*. */
static int text_block(lua_State *L, int role)
{
	tl_block b;
	livepage(L);
	block_defaults(&b);
	b.text = luaL_checkstring(L, 2);
	char why[256];
	/* tags that do not parse would print as plain text, tags and all: say where */
	if (chart_markup_error(b.text, why, sizeof why) < 0)
		return luaL_argerror(L, 2, lua_pushfstring(L, "markup error: %s (write &lt; for a literal <)", why));
	b.role = role;
	read_box(L, 3, &b);
	return place(L, livepage(L), &b);
}

static int page_text_lua(lua_State *L)       { return text_block(L, TL_ROLE_TEXT); }
static int page_heading_lua(lua_State *L)    { return text_block(L, TL_ROLE_HEADING); }
static int page_subheading_lua(lua_State *L) { return text_block(L, TL_ROLE_SUBHEADING); }

/* page:columns{item, item, ..., gap = 16}: blocks side by side at the cursor;
 * an item is a chart, a string (text) or {chart = c | text = s | table = data,
 * options = {...}, w =, h =, min_h =, max_h =, link =}. Returns the placements. */
static int page_columns_lua(lua_State *L)
{
	tl_page *p = livepage(L);
	double gap = 16;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	lua_Integer n = luaL_len(L, 2);
	luaL_argcheck(L, n >= 1 && n <= 8, 2, "columns takes 1 to 8 blocks");
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		int ok = lua_isinteger(L, -2) || (lua_type(L, -2) == LUA_TSTRING
		                                  && strcmp(lua_tostring(L, -2), "gap") == 0);
		if (!ok) {
			lua_pushvalue(L, -2);
			luaL_error(L, "unknown columns option '%s'", luaL_tolstring(L, -1, NULL));
		}
		lua_pop(L, 1);
	}
	if (lt_opt_number(L, 2, "gap", &gap))
		luaL_argcheck(L, gap >= 0 && gap <= 200, 2, "gap is 0 to 200 points");
	tl_block *b = lua_newuserdatauv(L, (size_t)n * sizeof *b, 0);   /* 3: freed by the GC */
	tl_placement *at = lua_newuserdatauv(L, (size_t)n * sizeof *at, 0);
	int chartat[8] = { 0 };   /* where each column's script-held chart is on the stack */
	for (lua_Integer i = 0; i < n; i++) {
		block_defaults(&b[i]);
		luaL_checkstack(L, 12, "too many columns");
		int t = lua_geti(L, 2, i + 1), item = lua_gettop(L);
		if (t == LUA_TSTRING) {
			b[i].text = lua_tostring(L, item);
		} else if (t == LUA_TTABLE && !luaL_testudata(L, item, LT_CHART)) {
			lua_getfield(L, item, "chart");
			lua_getfield(L, item, "text");
			lua_getfield(L, item, "table");
			lua_getfield(L, item, "options");
			if (!lua_isnil(L, -4))
				b[i].chart = lt_checkchart(L, chartat[i] = lua_absindex(L, -4));
			else if (!lua_isnil(L, -3))
				b[i].text = luaL_checkstring(L, -3);
			else if (!lua_isnil(L, -2))
				b[i].chart = lt_pushtable(L, -2, -1);
			else
				luaL_error(L, "columns: item %d has no chart, text or table", (int)i + 1);
			/* the box entries sit beside chart/text/table in the item */
			lua_newtable(L);
			static const char *const pass[] = { "w", "h", "min_h", "max_h", "link", "hang", "keep" };
			for (size_t k = 0; k < sizeof pass / sizeof pass[0]; k++) {
				lua_getfield(L, item, pass[k]);
				lua_setfield(L, -2, pass[k]);
			}
			read_box(L, -1, &b[i]);
			/* everything stays on the stack (strings and tables alive) until placed */
		} else {
			b[i].chart = lt_checkchart(L, chartat[i] = item);
		}
	}
	/* the items ran Lua: every chart and the page are looked up again */
	for (lua_Integer i = 0; i < n; i++)
		if (chartat[i])
			b[i].chart = lt_checkchart(L, chartat[i]);
	p = livepage(L);
	if (page_row(p, b, (size_t)n, gap, at) != 0)
		return luaL_error(L, "out of memory");
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 0; i < n; i++) {
		push_placement(L, &at[i]);
		lua_seti(L, -2, i + 1);
	}
	return 1;
}

static int page_cursor_lua(lua_State *L)
{
	lua_pushnumber(L, page_cursor(livepage(L)));
	return 1;
}

static int page_remaining_lua(lua_State *L)
{
	lua_pushnumber(L, page_remaining(livepage(L)));
	return 1;
}

static int page_sheets_lua(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)page_sheets(livepage(L)));
	return 1;
}

/* page:measure(text, w, box): the width and height text takes as a block w wide
 * (nil: unwrapped), with box.hang as page:text would set it. */
static int page_measure_lua(lua_State *L)
{
	tl_block b;
	double w = luaL_optnumber(L, 3, -1), tw, th;
	livepage(L);
	block_defaults(&b);
	b.text = luaL_checkstring(L, 2);
	read_box(L, 4, &b);
	if (page_measure(livepage(L), &b, w, &tw, &th) < 0)
		return luaL_error(L, "out of memory");
	lua_pushnumber(L, tw);
	lua_pushnumber(L, th);
	return 2;
}

static const luaL_Reg report_methods[] = {
	{ "page", report_page_lua }, { "save", report_save_lua }, { "geometry", report_geometry_lua },
	{ NULL, NULL }
};
static const luaL_Reg report_meta[] = {
	{ "__gc", report_gc }, { "__close", report_gc }, { "__len", report_len },
	{ "__tostring", report_tostring }, { NULL, NULL }
};
static const luaL_Reg page_methods[] = {
	{ "chart", page_chart_lua }, { "table", page_table_lua }, { "text", page_text_lua },
	{ "heading", page_heading_lua }, { "subheading", page_subheading_lua },
	{ "columns", page_columns_lua }, { "cursor", page_cursor_lua },
	{ "remaining", page_remaining_lua }, { "sheets", page_sheets_lua },
	{ "measure", page_measure_lua }, { NULL, NULL }
};
static const luaL_Reg page_meta[] = { { NULL, NULL } };

/* ---- the reader's language ------------------------------------------------------------ */

/* tally._(msgid): the string in the reader's language (tally.lang()), or msgid. */
static int lang_gettext(lua_State *L)
{
	lua_pushstring(L, tl_gettext(luaL_checkstring(L, 1)));
	return 1;
}

/* tally.ngettext(one, many, n): the form for n ("%d item" / "%d items"). */
static int lang_ngettext(lua_State *L)
{
	const char *one = luaL_checkstring(L, 1), *many = luaL_checkstring(L, 2);
	lua_Integer n = luaL_checkinteger(L, 3);
	lua_pushstring(L, tl_ngettext(one, many, (unsigned long)(n < 0 ? -n : n)));
	return 1;
}

/* tally.country_name(name): an English country name as iso-codes gives it in the
 * reader's language; names it does not know come back as they are. The
 * vocabulary gives the ISO name to try when the short one is not translated. */
static int lang_country(lua_State *L)
{
	size_t n;
	const char *name = luaL_checklstring(L, 1, &n), *iso = NULL;
	tl_ctx *c = lt_tlctx(L);
	const tl_vocab *v = c ? tl_ctx_vocab(c, NULL) : NULL;
	const tl_country *k = v ? vocab_country(v, name, n, TL_CC_NAME) : NULL;
	if (k && strcmp(k->name, name) == 0)
		iso = k->iso_name;
	lua_pushstring(L, tl_country_name(name, iso));
	return 1;
}

/* tally.month_name(m [, form [, start]]): month 1-12 in the reader's language,
 * form "standalone" (default: Russian "апрель") or "genitive" ("апреля", as in
 * a date), lower case where the language writes it so mid-sentence; start true
 * capitalises it to begin a sentence or a heading. */
static int lang_month(lua_State *L)
{
	static const char *const forms[] = { "standalone", "genitive", NULL };
	char buf[128];
	lua_Integer m = luaL_checkinteger(L, 1);
	int genitive = luaL_checkoption(L, 2, "standalone", forms);
	luaL_argcheck(L, m >= 1 && m <= 12, 1, "a month is 1 to 12");
	lua_pushstring(L, tl_month_name((int)m, genitive, lua_toboolean(L, 3), buf, sizeof buf));
	return 1;
}

/* tally.capitalize(s): s with its first letter capitalised, in any script. */
static int lang_capitalize(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, n + 8);
	tl_capitalize(s, out, n + 8);
	luaL_pushresultsize(&b, strlen(out));
	return 1;
}

/* tally.lang(): the code ("en", "ru", ...) and whether it is written right to left. */
static int lang_code(lua_State *L)
{
	lua_pushstring(L, tl_lang());
	lua_pushboolean(L, tl_lang_rtl());
	return 2;
}

/* tally.number(v [, format]): v as the charts print it ("12 345", "51,3" in Russian,
 * "−3"); format "percent", "signed" or "change" as value_format. */
static int lang_number(lua_State *L)
{
	static const char *const fmts[] = { "number", "percent", "signed", "change", NULL };
	static const int codes[] = { TL_FMT_NUMBER, TL_FMT_PERCENT, TL_FMT_SIGNED, TL_FMT_CHANGE };
	char buf[64];
	double v = luaL_checknumber(L, 1);
	int f = codes[luaL_checkoption(L, 2, "number", fmts)];
	chart_format_value(v, f, buf, sizeof buf);
	lua_pushstring(L, buf);
	return 1;
}

void lt_open_report(lua_State *L, int idx)
{
	static const luaL_Reg lang[] = {
		{ "_", lang_gettext }, { "ngettext", lang_ngettext }, { "country_name", lang_country },
		{ "month_name", lang_month }, { "capitalize", lang_capitalize },
		{ "lang", lang_code }, { "number", lang_number }, { NULL, NULL }
	};
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	luaL_setfuncs(L, lang, 0);
	lua_pop(L, 1);
	lt_createmeta(L, LT_REPORT, report_meta, report_methods);
	lt_createmeta(L, LT_PAGE, page_meta, page_methods);
	lua_pushcfunction(L, report_new_lua);
	lua_setfield(L, idx, "report");
}
