/* The sandbox's limits: an allocator that refuses to grow past a cap
 * (ltests.c:debug_realloc), a count hook that checks the clock, and pcall/xpcall
 * that cannot swallow either kill switch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"

/* ---------------------------------------------------------------------- */
/* Limits: memory and time                                                */
/* ---------------------------------------------------------------------- */

/* The allocator with a cap. Shrinking never fails, as Lua requires; growing past
 * the cap returns NULL, which Lua turns into "not enough memory" after one
 * emergency collection. */
void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	lt_ctx *c = ud;
	void *p;
	if (ptr == NULL)
		osize = 0;   /* then osize tells the kind of object */
	if (nsize == 0) {
		free(ptr);
		c->mem_used -= osize;
		return NULL;
	}
	if (nsize > osize && c->mem_cap && c->mem_used + c->mem_ext + (nsize - osize) > c->mem_cap) {
		c->mem_refused = 1;
		return NULL;
	}
	if ((p = realloc(ptr, nsize)) == NULL)
		return NULL;
	c->mem_used = c->mem_used - osize + nsize;
	return p;
}

void lt_charge(lua_State *L, size_t bytes)
{
	lt_ctx *c = lt_getctx(L);
	if (c->mem_cap && c->mem_used + c->mem_ext + bytes > c->mem_cap)
		luaL_error(L, "memory limit exceeded: %zu more bytes would pass --max-memory (%zu bytes)",
		           bytes, c->mem_cap);
	c->mem_ext += bytes;
}

void lt_discharge(lua_State *L, size_t bytes)
{
	lt_ctx *c = lt_getctx(L);
	c->mem_ext -= bytes < c->mem_ext ? bytes : c->mem_ext;
}

size_t lt_parsesize(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1;
	if (end == s || v <= 0)
		return 0;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case '\0': break;
	default: return 0;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v * mul > 1e15)
		return 0;
	return (size_t)(v * mul);
}

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Once the time is up the hook raises at every call, so a script that catches the
 * error still cannot go on. */
void sb_hook(lua_State *L, lua_Debug *ar)
{
	lt_ctx *c = lt_getctx(L);
	(void)ar;
	if (c->timed_out || since(&c->deadline) > 0) {
		char secs[32];
		c->timed_out = 1;
		snprintf(secs, sizeof secs, "%g", c->timeout);
		luaL_where(L, 0);   /* in a hook, level 0 is the function interrupted */
		lua_pushfstring(L, "time limit exceeded (--timeout %s s)", secs);
		lua_concat(L, 2);
		lua_error(L);
	}
}

/* pcall and xpcall that catch a script's errors but not the limits: an error past
 * the memory cap or the time limit goes on up to the host. */
static int finishpcall(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		if (status == LUA_ERRMEM || lt_getctx(L)->timed_out)
			return lua_error(L);
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

int sb_pcall(lua_State *L)
{
	int status;
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finishpcall);
	return finishpcall(L, status, 0);
}

int sb_xpcall(lua_State *L)
{
	int status, n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);   /* true, f below f's arguments */
	status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finishpcall);
	return finishpcall(L, status, 2);
}
