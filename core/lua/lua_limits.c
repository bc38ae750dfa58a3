/* The sandbox's limits: an allocator that refuses to grow past a cap
 * (ltests.c:debug_realloc), a count hook that checks the clock, and pcall/xpcall
 * that cannot swallow either kill switch. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

#include <lua.h>
#include <lauxlib.h>

#include "lua/lua_int.h"

/* ---------------------------------------------------------------------- */
/* Limits: memory and time                                                */
/* ---------------------------------------------------------------------- */

/* Bytes held against the cap: the Lua heap, C objects charged to it (counts,
 * cross-tabs, images) and the stores of loaded datasets, which the library's
 * context counts as they grow (tl_mem). */
static size_t held(const lt_ctx *c)
{
	return c->mem_used + c->mem_ext + (c->tl ? __atomic_load_n(&c->tl->mem.used, __ATOMIC_RELAXED) : 0);
}

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
	if (nsize > osize && c->mem_cap && held(c) + (nsize - osize) > c->mem_cap) {
		c->mem_refused = 1;
		return NULL;
	}
	if ((p = realloc(ptr, nsize)) == NULL) {
		if (nsize <= osize)
			return ptr;   /* a shrink that failed keeps the larger block: Lua needs it to succeed */
		return NULL;
	}
	c->mem_used = c->mem_used - osize + nsize;
	return p;
}

/* Memory tally allocates in C for a script (datasets, counts, cross-tabs, image
 * buffers) counts against the same cap. Past it the run ends as when the Lua
 * allocator refuses: pcall rethrows (mem_over), the host prints the limit. */
void lt_charge(lua_State *L, size_t bytes)
{
	lt_ctx *c = lt_getctx(L);
	if (c->mem_cap && (bytes > c->mem_cap || held(c) + bytes > c->mem_cap)) {
		char msg[128];
		c->mem_refused = c->mem_over = 1;
		/* lua_pushfstring knows no %zu: the message is made here */
		snprintf(msg, sizeof msg, "memory limit exceeded: %zu more bytes would pass --max-memory (%zu bytes)",
		         bytes, c->mem_cap);
		luaL_error(L, "%s", msg);
	}
	c->mem_ext += bytes;
}

/* A load is capped while it runs, so that a file too big for the cap stops
 * early instead of after it is in memory whole: the stores may hold what the Lua
 * heap and the other C objects leave of the cap. */
void lt_loadcap_begin(lua_State *L)
{
	lt_ctx *c = lt_getctx(L);
	size_t other = c->mem_used + c->mem_ext;
	if (!c->tl)
		return;
	c->tl->mem.cap = c->mem_cap == 0 ? 0 : other < c->mem_cap ? c->mem_cap - other : 1;
	snprintf(c->tl->mem.limit, sizeof c->tl->mem.limit, "--max-memory %zu bytes", c->mem_cap);
	if (c->mem_cap % (1u << 20) == 0)
		snprintf(c->tl->mem.limit, sizeof c->tl->mem.limit, "--max-memory %zuM", c->mem_cap >> 20);
}

/* After the load: when it failed because the cap refused memory (refusals
 * moved), the run ends as at any other memory limit (pcall cannot catch it,
 * exit 3). A load that did without what was refused (a lookup cache) stands. */
void lt_loadcap_end(lua_State *L, unsigned long refusals, int failed)
{
	lt_ctx *c = lt_getctx(L);
	if (!c->tl)
		return;
	c->tl->mem.cap = 0;
	if (failed && c->tl->mem.refusals != refusals) {
		char msg[160];
		c->mem_refused = c->mem_over = 1;
		snprintf(msg, sizeof msg, "memory limit exceeded while loading (%s)", c->tl->mem.limit);
		luaL_error(L, "%s", msg);
	}
}

void lt_discharge(lua_State *L, size_t bytes)
{
	lt_ctx *c = lt_getctx(L);
	c->mem_ext -= bytes < c->mem_ext ? bytes : c->mem_ext;
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

/* ---------------------------------------------------------------------- */
/* The wall clock behind the hook                                         */
/* ---------------------------------------------------------------------- */

/* The count hook cannot see time spent where Lua runs no hooks: a __gc finaliser
 * (Lua turns hooks off there, and lua_close runs them all), a C function such as
 * string.find on a pattern that backtracks for ever, cairo or pango drawing a
 * huge report. A timer does: at the deadline it sets a hook that fires at the
 * next instruction (all lua.c's SIGINT handler does, and all a handler may do);
 * when that has not ended the run a grace period later, the process writes its
 * message and exits with status 3. Outputs are still temporaries then: nothing
 * half-written appears, and the next run removes them. */
#define SB_GRACE_SECONDS 1

static lua_State *volatile timer_L;
static volatile sig_atomic_t timer_fired;
static lt_ctx *volatile timer_ctx;
static char timer_msg[600];   /* made when armed: the handler may only write(2) it */

static void timer_hook(lua_State *L, lua_Debug *ar)
{
	lt_getctx(L)->timed_out = 1;   /* the timer is the authority on the deadline */
	lua_sethook(L, sb_hook, LUA_MASKCOUNT, SB_HOOKCOUNT);
	sb_hook(L, ar);
}

static void timer_set(double secs)
{
	struct itimerval it;
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)secs;
	it.it_value.tv_usec = (suseconds_t)((secs - (double)(time_t)secs) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void timer_alarm(int sig)
{
	(void)sig;
	if (!timer_fired && timer_L) {
		timer_fired = 1;
		lua_sethook(timer_L, timer_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
		timer_set(SB_GRACE_SECONDS);
		return;
	}
	/* the host already said "time limit exceeded" when the hook raised and it
	 * reported; a finaliser looping in lua_close after that ends silently */
	if (!(timer_ctx && timer_ctx->timed_out && timer_ctx->reported)) {
		ssize_t w = write(2, timer_msg, strlen(timer_msg));
		(void)w;
	}
	_exit(3);   /* TL_EXIT_SCRIPT */
}

void lt_timer_start(lua_State *L, lt_ctx *c)
{
	struct sigaction sa;
	if (c->timeout <= 0)
		return;
	snprintf(timer_msg, sizeof timer_msg, "tally: %s: time limit exceeded (--timeout %g s)\n",
	         c->script ? c->script : "script", c->timeout);
	timer_L = L;
	timer_ctx = c;
	timer_fired = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = timer_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	timer_set(c->timeout);
}

/* After lua_close: a run that finished in time is never cut short by a late alarm. */
void lt_timer_stop(void)
{
	struct itimerval it;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
	timer_L = NULL;
	timer_ctx = NULL;
}

/* pcall and xpcall that catch a script's errors but not the limits: an error past
 * the memory cap or the time limit goes on up to the host. */
static int finishpcall(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		if (status == LUA_ERRMEM || lt_getctx(L)->timed_out || lt_getctx(L)->mem_over)
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
