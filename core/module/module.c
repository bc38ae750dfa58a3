/* tally.so: the tally module for a stock Lua 5.4, `local tally = require "tally"`.
 *
 * The bindings are the tally command's, without its sandbox: the host's libraries
 * stay as they are, a script reads and writes where it says, no memory or time
 * limit applies. What the command does at the end of a run is done at once here:
 * an output is renamed into place as soon as it is complete (lt_settle).
 *
 * tally's home (data/, plugins/, lib/) is found from this file's own location,
 * which dladdr gives: /proc/self/exe is the interpreter, not tally.
 * $(PREFIX)/lib/lua/5.4/tally.so finds $(PREFIX)/share/tally, ./tally.so in the
 * source tree finds the tree; TALLY_HOME wins over both. */
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "lua/lua_tally.h"

#ifndef TALLY_SHAREDIR
#define TALLY_SHAREDIR "/usr/local/share/tally"
#endif

#define MOD_STATE "tally.module"   /* registry: the module's contexts, freed at lua_close */

LUAMOD_API int luaopen_tally(lua_State *L);

/* Both contexts in one userdata: the bindings hold pointers to them, so they
 * live as long as the state does. */
typedef struct mod_state {
	lt_ctx run;
	tl_ctx tl;
	int    made;   /* run and tl initialised: __gc has something to free */
} mod_state;

/* Created before any datasets, so finalised after them at lua_close (Lua calls
 * finalisers in the reverse order of creation); their __gc still finds run. */
static int mod_gc(lua_State *L)
{
	mod_state *m = luaL_checkudata(L, 1, MOD_STATE);
	if (m->made) {
		lt_ctx_free(&m->run);
		tl_ctx_free(&m->tl);
		m->made = 0;
	}
	return 0;
}

/* The path of the file holding this code, resolved; "" when dladdr cannot say. */
static void mod_path(char *buf, size_t n)
{
	Dl_info info;
	char real[PATH_MAX];
	buf[0] = '\0';
	if (dladdr((void *)luaopen_tally, &info) && info.dli_fname && realpath(info.dli_fname, real)
	    && strlen(real) < n)
		strcpy(buf, real);
}

/* Appends tally's lib/ and plugins/ to package.path, so that plugins loaded with
 * tally.plugin find their helpers (require "digest", require "_common"). After the
 * host's own entries: a module of the user's of the same name wins. */
static void mod_path_helpers(lua_State *L, const lt_ctx *c)
{
	luaL_Buffer b;
	if (lua_getglobal(L, "package") != LUA_TTABLE) {
		lua_pop(L, 1);
		return;   /* a host without the package library: nothing to add to */
	}
	luaL_buffinit(L, &b);
	lua_getfield(L, -2, "path");
	luaL_addvalue(&b);
	for (size_t i = 0; i < c->nlibdirs + c->nplugindirs; i++) {
		luaL_addchar(&b, ';');
		luaL_addstring(&b, i < c->nlibdirs ? c->libdirs[i] : c->plugindirs[i - c->nlibdirs]);
		luaL_addstring(&b, "/?.lua");
	}
	luaL_pushresult(&b);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);
}

LUAMOD_API int luaopen_tally(lua_State *L)
{
	char code[PATH_MAX], home[PATH_MAX];
	mod_state *m = lua_newuserdatauv(L, sizeof *m, 0);
	m->made = 0;   /* empty until both contexts are made */
	if (luaL_newmetatable(L, MOD_STATE)) {
		lua_pushcfunction(L, mod_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, MOD_STATE);   /* kept until lua_close */

	mod_path(code, sizeof code);
	tl_home_find(code, TALLY_SHAREDIR, home, sizeof home);
	tl_ctx_init(&m->tl, home);
	strcpy(m->tl.code, code);
	lt_ctx_init(&m->run, &m->tl);
	m->made = 1;
	m->run.unsafe = 1;      /* no sandbox: that is the tally command's */
	m->run.mem_cap = 0;     /* nor its limits */
	m->run.atonce = 1;
	m->run.script = "tally";
	if (lt_ctx_plugindirs(&m->run) != 0)
		return luaL_error(L, "tally: not enough memory");
	lt_setctx(L, &m->run);
	lt_settlctx(L, &m->tl);
	mod_path_helpers(L, &m->run);
	return lt_open_tally(L);
}
