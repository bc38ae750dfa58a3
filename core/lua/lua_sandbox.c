/* The sandbox a script or plugin runs in: which libraries it sees, where it may read
 * and write, how much memory and time it may take, and the outputs it leaves only
 * when it succeeds.
 *
 * Built as Redis builds its scripting state: an allow-list of libraries, functions that
 * say why a function is missing, globals that raise when read undefined. Limits as
 * Lua's own tests impose them: an allocator that refuses to grow past a cap
 * (ltests.c:debug_realloc) and a count hook that checks the clock. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "lua/lua_int.h"
#include "lua/lua_tally.h"


/* ---------------------------------------------------------------------- */
/* Restricted io: reads checked, writes to temporary files under --out    */
/* ---------------------------------------------------------------------- */

/* Copies from (when it exists) to to, so that "a" and "r+" see the old content. */
static int copyfile(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[8192];
	size_t n;
	int rc = 0;
	if (in == NULL)
		return errno == ENOENT ? 0 : -1;
	if ((out = fopen(to, "wb")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Calls the original io function (upvalue 1) with real in place of argument 1, and
 * names the script's path, not the temporary one, in a failure message. */
static int callorig(lua_State *L, const char *path, const char *real)
{
	int base = lua_gettop(L), n;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushstring(L, real);
	for (int i = 2; i <= base; i++)
		lua_pushvalue(L, i);
	lua_call(L, base, LUA_MULTRET);
	n = lua_gettop(L) - base;
	if (n >= 2 && lua_isnil(L, base + 1) && lua_isstring(L, base + 2) && real != path) {
		luaL_gsub(L, lua_tostring(L, base + 2), real, path);
		lua_replace(L, base + 2);
	}
	return n;
}

static int writemode(const char *mode)
{
	return strpbrk(mode, "wa+") != NULL;
}

/* As liolib's l_checkmode: "r", "w" or "a", an optional "+", then any "b"s. */
static int validmode(const char *m)
{
	if (*m == '\0' || strchr("rwa", *m) == NULL)
		return 0;
	m++;
	if (*m == '+')
		m++;
	return strspn(m, "b") == strlen(m);
}

/* The close function of an output stream: a failed flush or close (a full disk)
 * marks the output failed, so the run cannot commit a truncated file even when
 * the script ignores what close returned, or never closed the file. */
static int sbio_closeoutput(lua_State *L)
{
	luaL_Stream *p = luaL_checkudata(L, 1, LUA_FILEHANDLE);
	return lt_finishoutput(L, p->f, lt_streamoutput(lt_getctx(L), p), NULL);
}

/* A Lua file handle writing the temporary real, as io.open makes them (liolib's
 * newprefile), but closed by sbio_closeoutput. */
static int sbio_openoutput(lua_State *L, const char *path, const char *real, const char *mode)
{
	luaL_Stream *p = lua_newuserdatauv(L, sizeof *p, 0);
	p->closef = NULL;   /* closed until it is open */
	luaL_setmetatable(L, LUA_FILEHANDLE);
	if ((p->f = fopen(real, mode)) == NULL) {
		int e = lt_getctx(L)->mkdir_errno;   /* why its directory could not be made */
		if (e)
			errno = e;
		return luaL_fileresult(L, 0, path);
	}
	p->closef = sbio_closeoutput;
	lt_outputstream(lt_getctx(L), real, p);
	return 1;
}

static int sbio_open(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	const char *mode = luaL_optstring(L, 2, "r");
	const char *real;
	if (writemode(mode) && lt_getctx(L)->unsafe) {
		real = path;   /* --unsafe: the script's own files are plain Lua io */
	} else if (writemode(mode)) {
		char *abs = lt_abspath(path);
		const lt_output *o;
		const char *old;
		if (abs == NULL)
			return luaL_fileresult(L, 0, path);
		o = sb_pending(lt_getctx(L), abs);
		lua_pushstring(L, o ? o->tmp : abs);
		free(abs);
		old = lua_tostring(L, -1);
		luaL_argcheck(L, validmode(mode), 2, "invalid mode");
		real = lt_checkoutpath(L, path);
		if (mode[0] != 'w' && copyfile(old, real) != 0)
			return luaL_fileresult(L, 0, path);
		lua_pop(L, 1);
		return sbio_openoutput(L, path, real, mode);
	} else {
		real = lt_checkreadpath(L, path);
	}
	return callorig(L, path, real);
}

/* Calls the original function (upvalue 1) with this call's arguments. */
static int callthrough(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

static int sbio_lines(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		return callthrough(L);
	const char *path = luaL_checkstring(L, 1);
	return callorig(L, path, lt_checkreadpath(L, path));
}

/* io.input(path) and io.output(path): checked like io.open; file handles pass. */
static int sbio_input(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING) {
		const char *path = lua_tostring(L, 1);
		return callorig(L, path, lt_checkreadpath(L, path));
	}
	return callthrough(L);
}

static int sbio_output(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING && !lt_getctx(L)->unsafe) {
		const char *path = lua_tostring(L, 1);
		if (sbio_openoutput(L, path, lt_checkoutpath(L, path), "w") != 1)
			return luaL_error(L, "%s", lua_tostring(L, -2));   /* io.output raises, as liolib's */
		lua_replace(L, 1);
		lua_settop(L, 1);
	}
	return callthrough(L);
}

/* A function the sandbox leaves out, saying so when called (upvalue: its name). */
static int sb_denied(lua_State *L)
{
	return luaL_error(L, "%s is not allowed in the sandbox (run with --unsafe to allow it)",
	                  lua_tostring(L, lua_upvalueindex(1)));
}

static void setdenied(lua_State *L, int t, const char *lib, const char *name)
{
	t = lua_absindex(L, t);
	if (lib)
		lua_pushfstring(L, "%s.%s", lib, name);
	else
		lua_pushstring(L, name);
	lua_pushcclosure(L, sb_denied, 1);
	lua_setfield(L, t, name);
}

/* Wraps field name of the table at t with f, the original as upvalue. */
static void wrap(lua_State *L, int t, const char *name, lua_CFunction f)
{
	t = lua_absindex(L, t);
	lua_getfield(L, t, name);
	lua_pushcclosure(L, f, 1);
	lua_setfield(L, t, name);
}

/* Moves field name from table from to table to. */
static void keep(lua_State *L, int from, int to, const char *name)
{
	to = lua_absindex(L, to);
	lua_getfield(L, from, name);
	lua_setfield(L, to, name);
}

/* Replaces the io table at the top by the sandbox's (left at the top). */
static void sandbox_io(lua_State *L, int unsafe)
{
	static const char *const kept[] = { "close", "read", "write", "type", "stdout", "stderr", "stdin", NULL };
	int full = lua_gettop(L);
	if (unsafe) {
		wrap(L, full, "open", sbio_open);
		wrap(L, full, "lines", sbio_lines);
		wrap(L, full, "input", sbio_input);
		wrap(L, full, "output", sbio_output);
		return;
	}
	lua_newtable(L);
	for (int i = 0; kept[i]; i++)
		keep(L, full, -1, kept[i]);
	wrap(L, full, "open", sbio_open);
	keep(L, full, -1, "open");
	wrap(L, full, "lines", sbio_lines);
	keep(L, full, -1, "lines");
	wrap(L, full, "input", sbio_input);
	keep(L, full, -1, "input");
	wrap(L, full, "output", sbio_output);
	keep(L, full, -1, "output");
	setdenied(L, -1, "io", "popen");
	setdenied(L, -1, "io", "tmpfile");
	lua_remove(L, full);
}

static void sandbox_os(lua_State *L)
{
	static const char *const kept[] = { "clock", "date", "time", "difftime", NULL };
	static const char *const denied[] = { "execute", "exit", "getenv", "remove", "rename",
	                                      "tmpname", "setlocale", NULL };
	int full = lua_gettop(L);
	lua_newtable(L);
	for (int i = 0; kept[i]; i++)
		keep(L, full, -1, kept[i]);
	for (int i = 0; denied[i]; i++)
		setdenied(L, -1, "os", denied[i]);
	lua_remove(L, full);
}

/* A library left out entirely: any field read says so. */
static int sb_deniedlib(lua_State *L)
{
	return luaL_error(L, "the %s library is not available in the sandbox (run with --unsafe to allow it)",
	                  lua_tostring(L, lua_upvalueindex(1)));
}

static void setdeniedlib(lua_State *L, const char *name)
{
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushstring(L, name);
	lua_pushcclosure(L, sb_deniedlib, 1);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_setglobal(L, name);
}

static int sb_undefined(lua_State *L)
{
	return luaL_error(L, "undefined global '%s'", luaL_tolstring(L, 2, NULL));
}

/* Sets LOADED[name] and the global name to the value at the top, popping it. */
static void setlib(lua_State *L, const char *name)
{
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
	lua_setglobal(L, name);
}

static void openlib(lua_State *L, const char *name, lua_CFunction f)
{
	lua_pushcfunction(L, f);
	lua_call(L, 0, 1);
	setlib(L, name);
}

/* Opens the libraries a script sees (run protected: it allocates), after
 * recording the run's context (argument 1) where the bindings find it. */
static int sb_openlibs(lua_State *L)
{
	lt_ctx *c0 = lua_touserdata(L, 1);
	lt_setctx(L, c0);
	lt_settlctx(L, c0->tl);
	lua_settop(L, 0);
	int unsafe = c0->unsafe;
	if (unsafe) {
		luaL_openlibs(L);
		lua_getglobal(L, "io");
		sandbox_io(L, 1);
		lua_pop(L, 1);
		/* require also finds Lua modules in lib/ and the plugin directories */
		lt_ctx *c = lt_getctx(L);
		lua_getglobal(L, "package");
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (size_t i = 0; i < c->nlibdirs; i++) {
			luaL_addstring(&b, c->libdirs[i]);
			luaL_addstring(&b, "/?.lua;");
		}
		for (size_t i = 0; i < c->nplugindirs; i++) {
			luaL_addstring(&b, c->plugindirs[i]);
			luaL_addstring(&b, "/?.lua;");
		}
		lua_getfield(L, -2, "path");
		luaL_addvalue(&b);
		luaL_pushresult(&b);
		lua_setfield(L, -2, "path");
		lua_pop(L, 1);
	} else {
		luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
		lua_pop(L, 1);
		openlib(L, LUA_STRLIBNAME, luaopen_string);
		openlib(L, LUA_TABLIBNAME, luaopen_table);
		openlib(L, LUA_MATHLIBNAME, luaopen_math);
		openlib(L, LUA_UTF8LIBNAME, luaopen_utf8);
		lua_pushcfunction(L, luaopen_io);
		lua_call(L, 0, 1);
		sandbox_io(L, 0);
		setlib(L, LUA_IOLIBNAME);
		lua_pushcfunction(L, luaopen_os);
		lua_call(L, 0, 1);
		sandbox_os(L);
		setlib(L, LUA_OSLIBNAME);

		lua_pushglobaltable(L);
		lua_getfield(L, -1, "load");
		lua_pushcclosure(L, sb_load, 1);
		lua_setfield(L, -2, "load");
		lua_pushcfunction(L, sb_loadfile);
		lua_setfield(L, -2, "loadfile");
		lua_pushcfunction(L, sb_dofile);
		lua_setfield(L, -2, "dofile");
		lua_pushcfunction(L, sb_require);
		lua_setfield(L, -2, "require");
		lua_pop(L, 1);

		lua_newtable(L);   /* package: what is harmless */
		luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
		lua_setfield(L, -2, "loaded");
		lua_pushliteral(L, "");
		lua_setfield(L, -2, "cpath");
		setdenied(L, -1, "package", "loadlib");
		setdenied(L, -1, "package", "searchpath");
		setlib(L, LUA_LOADLIBNAME);
		setdeniedlib(L, "debug");
		setdeniedlib(L, "coroutine");
	}
	lua_pushcfunction(L, sb_pcall);
	lua_setglobal(L, "pcall");
	lua_pushcfunction(L, sb_xpcall);
	lua_setglobal(L, "xpcall");

	luaL_requiref(L, "tally", lt_open_tally, 1);
	lua_pop(L, 1);

	if (!unsafe) {
		lua_pushglobaltable(L);
		lua_createtable(L, 0, 1);
		lua_pushcfunction(L, sb_undefined);
		lua_setfield(L, -2, "__index");
		lua_setmetatable(L, -2);
		lua_pop(L, 1);
	}
	return 0;
}

static int sb_panic(lua_State *L)
{
	const char *msg = lua_tostring(L, -1);
	fprintf(stderr, "tally: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
	return 0;
}

lua_State *lt_newstate(lt_ctx *c)
{
	lua_State *L = lua_newstate(sb_alloc, c);
	if (L == NULL)
		return NULL;   /* the caller says so: no state to push a message on */
	lua_atpanic(L, sb_panic);
	lua_pushcfunction(L, sb_openlibs);
	lua_pushlightuserdata(L, c);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		fprintf(stderr, "tally: cannot set up Lua: %s\n", lua_tostring(L, -1));
		lua_close(L);
		return NULL;
	}
	if (c->timeout > 0) {
		clock_gettime(CLOCK_MONOTONIC, &c->deadline);
		c->deadline.tv_sec += (time_t)c->timeout;
		c->deadline.tv_nsec += (long)((c->timeout - (double)(time_t)c->timeout) * 1e9);
		if (c->deadline.tv_nsec >= 1000000000L) {
			c->deadline.tv_sec++;
			c->deadline.tv_nsec -= 1000000000L;
		}
		lua_sethook(L, sb_hook, LUA_MASKCOUNT, SB_HOOKCOUNT);
		lt_timer_start(L, c);
	}
	return L;
}

/* ---------------------------------------------------------------------- */
/* Data errors: end the run with status 2                                 */
/* ---------------------------------------------------------------------- */

static int dataerror_tostring(lua_State *L)
{
	lua_getfield(L, 1, "message");
	return 1;
}

int lt_dataerror(lua_State *L, const char *fmt, ...)
{
	va_list ap;
	lua_createtable(L, 0, 1);
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_setfield(L, -2, "message");
	if (luaL_newmetatable(L, LT_DATAERROR)) {
		lua_pushcfunction(L, dataerror_tostring);
		lua_setfield(L, -2, "__tostring");
		lua_pushliteral(L, LT_DATAERROR);
		lua_setfield(L, -2, "__metatable");   /* not to be copied onto a forged error */
	}
	lua_setmetatable(L, -2);
	return lua_error(L);
}