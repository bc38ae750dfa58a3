/* The sandbox's code loading: text chunks only, from allowed places, each with an
 * _ENV of its own; require and tally.plugin find plugins on the plugin path. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"
#include "lua/lua_tally.h"

#define SB_PLUGINS   "tally.plugins"

/* ---------------------------------------------------------------------- */
/* Loading code: text chunks only, from allowed places                    */
/* ---------------------------------------------------------------------- */

int lt_newenv(lua_State *L)
{
	lua_newtable(L);                       /* env */
	lua_createtable(L, 0, 1);              /* its metatable */
	lua_pushglobaltable(L);
	lua_setfield(L, -2, "__index");        /* reads fall through to the globals */
	lua_setmetatable(L, -2);
	return 1;
}

/* Loads path as a text chunk whose _ENV is a table of its own. */
int lt_loadfile(lua_State *L, const char *path)
{
	int status = luaL_loadfilex(L, path, "t");
	if (status == LUA_OK) {
		lt_newenv(L);
		if (lua_setupvalue(L, -2, 1) == NULL)
			lua_pop(L, 1);
	}
	return status;
}

/* load(chunk [, name [, mode [, env]]]) with mode forced to "t". */
int sb_load(lua_State *L)
{
	size_t n;
	const char *s = lua_tolstring(L, 1, &n);
	int hasenv = !lua_isnone(L, 4);
	if (s && n > 0 && s[0] == LUA_SIGNATURE[0]) {
		luaL_pushfail(L);
		lua_pushliteral(L, "binary chunks are not allowed: load accepts only text (mode \"t\")");
		return 2;
	}
	lua_settop(L, 4);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	if (hasenv)
		lua_pushvalue(L, 4);
	lua_call(L, hasenv ? 4 : 3, LUA_MULTRET);
	return lua_gettop(L) - 4;
}

int sb_loadfile(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	int envidx = lua_isnone(L, 3) ? 0 : 3;
	const char *real = lt_checkreadpath(L, path);
	if (luaL_loadfilex(L, real, "t") != LUA_OK) {
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	if (envidx) {
		lua_pushvalue(L, envidx);
		if (lua_setupvalue(L, -2, 1) == NULL)
			lua_pop(L, 1);
	}
	return 1;
}

static int dofilecont(lua_State *L, int status, lua_KContext k)
{
	(void)status; (void)k;
	return lua_gettop(L) - 1;
}

int sb_dofile(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	const char *real = lt_checkreadpath(L, path);
	lua_settop(L, 1);
	if (luaL_loadfilex(L, real, "t") != LUA_OK)
		return lua_error(L);
	lua_callk(L, 0, LUA_MULTRET, 0, dofilecont);
	return dofilecont(L, 0, 0);
}

/* Finds a module or plugin file NAME.lua (dots as directories) in the plugin
 * directories. Returns 0 with the path in buf, or -1. */
static int findmodule(lt_ctx *c, const char *name, char *buf, size_t n)
{
	char rel[512];
	size_t len = strlen(name);
	if (len == 0 || len >= sizeof rel - 5 || name[0] == '.' || strstr(name, ".."))
		return -1;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];
		if (!(ch == '-' || ch == '_' || ch == '.' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return -1;
		rel[i] = ch == '.' ? '/' : ch;
	}
	memcpy(rel + len, ".lua", 5);
	for (size_t i = 0; i < c->nlibdirs; i++) {   /* helpers first: lib/ */
		snprintf(buf, n, "%s/%s", c->libdirs[i], rel);
		if (access(buf, R_OK) == 0)
			return 0;
	}
	for (size_t i = 0; i < c->nplugindirs; i++) {
		snprintf(buf, n, "%s/%s", c->plugindirs[i], rel);
		if (access(buf, R_OK) == 0)
			return 0;
	}
	return -1;
}

int lt_plugin_find(lt_ctx *c, const char *name, char *buf, size_t n)
{
	if (strchr(name, '.') || name[0] == '_')
		return -1;
	return findmodule(c, name, buf, n);
}

/* require that resolves only in the plugin directories: modules already loaded
 * (tally, string, ...) or NAME.lua there; never C modules. */
int sb_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lt_ctx *c = lt_getctx(L);
	char path[4096];
	lua_settop(L, 1);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	if (lua_getfield(L, 2, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	if (findmodule(c, name, path, sizeof path) != 0) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (size_t i = 0; i < c->nlibdirs + c->nplugindirs; i++) {
			luaL_addstring(&b, i ? ", " : "");
			luaL_addstring(&b, i < c->nlibdirs ? c->libdirs[i] : c->plugindirs[i - c->nlibdirs]);
		}
		luaL_pushresult(&b);
		return luaL_error(L, "module '%s' not found: require loads only Lua files from the plugin "
		                  "directories and lib/ (%s)", name, lua_tostring(L, -1));
	}
	if (lt_loadfile(L, path) != LUA_OK)
		return lua_error(L);
	lua_pushstring(L, name);
	lua_pushstring(L, path);
	lua_call(L, 2, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, 2, name);   /* LOADED[name] = module */
	lua_pushstring(L, path);
	return 2;
}

/* The plugin NAME's table, loaded once per run (registry SB_PLUGINS[name]). */
int lt_plugin_push(lua_State *L, const char *name)
{
	char path[4096];
	luaL_getsubtable(L, LUA_REGISTRYINDEX, SB_PLUGINS);
	if (lua_getfield(L, -1, name) != LUA_TNIL) {
		lua_remove(L, -2);
		return 1;
	}
	lua_pop(L, 1);
	if (lt_plugin_find(lt_getctx(L), name, path, sizeof path) != 0) {
		char hint[300];
		return luaL_error(L, "no plugin named '%s'%s (see `tally plugins`)", name,
		                  lt_plugin_suggest(lt_getctx(L), name, hint, sizeof hint));
	}
	if (lt_loadfile(L, path) != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	if (!lua_istable(L, -1))
		return luaL_error(L, "plugin %s must return a table with a run function", path);
	/* a chart plugin supplies tally.chart.NAME by its chart function; run is optional */
	lua_getfield(L, -1, "kind");
	if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "chart") == 0) {
		if (lua_getfield(L, -2, "chart") != LUA_TFUNCTION)
			return luaL_error(L, "chart plugin %s must return a table with a chart function", path);
		lua_pop(L, 1);
	} else if (lua_getfield(L, -2, "run") != LUA_TFUNCTION) {
		return luaL_error(L, "plugin %s must return a table with a run function", path);
	} else {
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	if (lua_getfield(L, -1, "name") == LUA_TNIL) {
		lua_pushstring(L, name);
		lua_setfield(L, -3, "name");
	}
	lua_pop(L, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	lua_remove(L, -2);
	return 1;
}
