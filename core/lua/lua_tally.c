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

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "lua/lua_tally.h"

#ifndef TALLY_VERSION
#define TALLY_VERSION "0"
#endif

#define LT_TLCTX "tally.ctx"   /* registry: the tl_ctx, a light userdata */

/* ---------------------------------------------------------------------- */
/* The library's context                                                  */
/* ---------------------------------------------------------------------- */

void lt_settlctx(lua_State *L, tl_ctx *c)
{
	lua_pushlightuserdata(L, c);
	lua_setfield(L, LUA_REGISTRYINDEX, LT_TLCTX);
}

tl_ctx *lt_tlctx(lua_State *L)
{
	tl_ctx *c;
	lua_getfield(L, LUA_REGISTRYINDEX, LT_TLCTX);
	c = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return c;
}

/* ---------------------------------------------------------------------- */
/* Output helpers shared by the types                                     */
/* ---------------------------------------------------------------------- */


/* Opens the temporary file for an output path (sandbox-checked; raises when the
 * path is refused). NULL with errno on an I/O failure. */
FILE *lt_openoutput(lua_State *L, const char *path)
{
	const char *real = lt_checkoutpath(L, path);
	FILE *f = fopen(real, "w");
	if (f == NULL && lt_getctx(L)->mkdir_errno)
		errno = lt_getctx(L)->mkdir_errno;
	if (f)
		lt_outputstream(lt_getctx(L), real, f);
	return f;
}

/* Ends writing f: true, or nil and a message naming path. A failure also marks
 * the output failed, so the run cannot commit it whatever the script does next. */
int lt_finishoutput(lua_State *L, FILE *f, lt_output *o, const char *path)
{
	int bad, e;
	errno = 0;
	bad = fflush(f) != 0 || ferror(f);
	e = errno ? errno : EIO;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (o) {
		o->stream = NULL;
		if (bad)
			o->failed = e;
	}
	errno = e;
	return luaL_fileresult(L, !bad, path);
}

int lt_closeoutput(lua_State *L, FILE *f, const char *path)
{
	char why[600];
	int n = lt_finishoutput(L, f, lt_streamoutput(lt_getctx(L), f), path);
	if (lt_settle(lt_getctx(L), n == 1, why, sizeof why) != 0) {
		luaL_pushfail(L);
		lua_pushstring(L, why);
		return 2;
	}
	return n;
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
	idx = lua_absindex(L, idx);	if (lt_printkeyed(L, idx)) {
		return;
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
/* As liolib.c:createmeta: metamethods in the metatable, methods as its __index.
 * getmetatable gives the type's name, never the table: a script that could reach
 * __gc could free an object that C code is still using. */
void lt_createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods)
{
	luaL_newmetatable(L, name);
	luaL_setfuncs(L, meta, 0);
	lua_pushstring(L, name);
	lua_setfield(L, -2, "__metatable");
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");   /* metatable.__index = methods */
	lua_pop(L, 1);
}

int lt_open_tally(lua_State *L)
{
	lua_newtable(L);
	lt_open_dataset(L);
	lt_open_counts(L);
	lt_open_date(L);
	lua_pushliteral(L, TALLY_VERSION);
	lua_setfield(L, -2, "version");
	lua_newtable(L);
	lua_setfield(L, -2, "args");
	luaopen_tally_chart(L);
	lua_setfield(L, -2, "chart");
	lt_open_report(L, lua_gettop(L));
	lt_open_import(L, lua_gettop(L));
	lt_open_options(L, -1);
	return 1;
}
