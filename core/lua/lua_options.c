/* Options that plugins and scripts declare, and the failures tally's own Lua code
 * raises on purpose.
 *
 * A plugin's table, or a script's call to tally.options, lists its options as
 * {name =, type =, help =, default =}. The command line is checked against the
 * list before the work starts, so that `--quater 2023Q1` is an error with a
 * suggestion instead of a count of every record, and `tally run NAME --help`
 * prints the list. A failure ({message =, status =} with the LT_DATAERROR
 * metatable) ends the run with its status and its message alone: no traceback
 * through the helper that raised it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <lua.h>
#include <lauxlib.h>

#include "tally/date.h"
#include "tally/error.h"
#include "tally/suggest.h"
#include "lua/lua_int.h"

#define MAX_OPTS 64

static int failure_tostring(lua_State *L)
{
	lua_getfield(L, 1, "message");
	return 1;
}

/* Raises a failure that ends the run with status and the formatted message. */
int lt_failure(lua_State *L, int status, const char *fmt, ...)
{
	va_list ap;
	lua_createtable(L, 0, 2);
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_setfield(L, -2, "message");
	lua_pushinteger(L, status);
	lua_setfield(L, -2, "status");
	if (luaL_newmetatable(L, LT_DATAERROR)) {
		lua_pushcfunction(L, failure_tostring);
		lua_setfield(L, -2, "__tostring");
		lua_pushliteral(L, LT_DATAERROR);
		lua_setfield(L, -2, "__metatable");   /* not to be copied onto a forged failure */
	}
	lua_setmetatable(L, -2);
	return lua_error(L);
}

/* ---------------------------------------------------------------------- */
/* Declared options                                                       */
/* ---------------------------------------------------------------------- */

/* What each type of option shows in --help, and checks. */
static const char *const opt_types[] = {"string", "int", "number", "flag", "quarter", "date", NULL};
static const char *const opt_args[] = {"VALUE", "N", "X", "", "QUARTER", "DATE"};

/* "allow_empty_base" or "allow-empty-base" -> "allow-empty-base" in buf. */
static const char *dashed(const char *name, char *buf, size_t n)
{
	size_t i;
	for (i = 0; name[i] && i + 1 < n; i++)
		buf[i] = name[i] == '_' ? '-' : name[i];
	buf[i] = '\0';
	return buf;
}

/* The name, type and help of spec[i] (pushes nothing; strings stay in the spec). */
static int opt_entry(lua_State *L, int spec, lua_Integer i, const char **name, int *type, const char **help)
{
	const char *t;
	if (lua_rawgeti(L, spec, i) != LUA_TTABLE) {
		lua_pop(L, 1);
		return 0;
	}
	lua_getfield(L, -1, "name");
	lua_getfield(L, -2, "type");
	lua_getfield(L, -3, "help");
	*name = lua_tostring(L, -3);
	t = lua_isnil(L, -2) ? "string" : lua_tostring(L, -2);
	*help = lua_tostring(L, -1);
	lua_pop(L, 4);   /* the spec table still holds the strings */
	if (*name == NULL)
		return luaL_error(L, "option %d of the declaration has no name", (int)i);
	for (*type = 0; t && opt_types[*type]; (*type)++)
		if (strcmp(opt_types[*type], t) == 0)
			return 1;
	return luaL_error(L, "option '%s' has an unknown type '%s' (string, int, number, flag, quarter, date)",
	                  *name, t ? t : "?");
}

/* Converts args[key] (at the top) to the option's type, or raises a usage failure. */
static void opt_convert(lua_State *L, const char *who, const char *name, int type, int args, const char *key)
{
	char dn[128];
	const char *v = lua_tostring(L, -1);
	int given = lua_type(L, -1) == LUA_TSTRING;
	dashed(name, dn, sizeof dn);
	switch (type) {
	case 3: /* flag */
		if (lua_isboolean(L, -1))
			return;
		if (v && (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1")))
			lua_pushboolean(L, 1);
		else if (v && (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0")))
			lua_pushboolean(L, 0);
		else
			lt_failure(L, TL_EXIT_USAGE, "%s: --%s is a flag and takes no value, not '%s'", who, dn, v ? v : "?");
		break;
	case 0: /* string */
		if (!given)
			lt_failure(L, TL_EXIT_USAGE, "%s: --%s needs a value", who, dn);
		return;
	case 1: case 2: { /* int, number */
		int isnum;
		lua_Number x;
		if (!given)
			lt_failure(L, TL_EXIT_USAGE, "%s: --%s needs a %s", who, dn, type == 1 ? "whole number" : "number");
		x = lua_tonumberx(L, -1, &isnum);
		if (!isnum || (type == 1 && x != (lua_Number)(lua_Integer)x))
			lt_failure(L, TL_EXIT_USAGE, "%s: --%s wants a %s, not '%s'", who, dn,
			           type == 1 ? "whole number" : "number", v);
		if (type == 1)
			lua_pushinteger(L, (lua_Integer)x);
		else
			lua_pushnumber(L, x);
		break;
	}
	case 4: { /* quarter: 2023Q2 or 2023-Q2, kept as 2023Q2 */
		tl_date from, to;
		char q[16];
		if (!given || tl_quarter_range(v, &from, &to) != 0)
			lt_failure(L, TL_EXIT_USAGE, "%s: --%s: '%s' is not a quarter (expected 2023Q2 or 2023-Q2)", who, dn,
			           given ? v : "");
		snprintf(q, sizeof q, "%dQ%d", tl_date_year(from), tl_date_quarter(from));
		lua_pushstring(L, q);
		break;
	}
	case 5: { /* date */
		tl_date d;
		const char *why = "no date given";
		if (!given || tl_date_parse(v, strlen(v), &d, &why) != 0)
			lt_failure(L, TL_EXIT_USAGE, "%s: --%s: '%s': %s (expected 2023-04-10, 2023-04, 2023Q2 or 2023)",
			           who, dn, given ? v : "", why);
		return;
	}
	}
	lua_setfield(L, args, key);
}

/* name with '-' and '_' alike as '_' (how the command line gives keys) into buf. */
static const char *underscored(const char *name, char *buf, size_t n)
{
	size_t i;
	for (i = 0; name[i] && i + 1 < n; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
	return buf;
}

/* Raises "who: unknown option --key (did you mean --x?); who takes --a, --b". */
static void unknown_option(lua_State *L, const char *who, const char *key, char (*unames)[64], size_t n)
{
	const char *cands[MAX_OPTS];
	char dn[128], near[128], list[1024] = "", ku[128];
	size_t used = 0;
	const char *best;
	for (size_t k = 0; k < n; k++) {
		cands[k] = unames[k];
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s--%s", k ? ", " : "",
			                         dashed(unames[k], dn, sizeof dn));
	}
	best = tl_suggest(underscored(key, ku, sizeof ku), cands, n);
	snprintf(near, sizeof near, best ? " (did you mean --%s?)" : "", best ? dashed(best, dn, sizeof dn) : "");
	lt_failure(L, TL_EXIT_USAGE, "%s: unknown option --%s%s; %s takes %s (see tally run %s --help)", who,
	           dashed(key, ku, sizeof ku), near, who, n ? list : "no options of its own", who);
}

/* Checks the named options in the table at args against the declaration at spec
 * (an array of {name, type, help, default}); names in also (NULL-terminated) are
 * always allowed. Converts values to their types, fills defaults, and raises a
 * usage failure naming the option, with "did you mean", for anything else.
 * Values end up under the declared name with '_' for '-' (--allow-empty-base is
 * args.allow_empty_base). */
void lt_check_options(lua_State *L, int spec, int args, const char *who, const char *const *also)
{
	char unames[MAX_OPTS][64], ku[128];
	const char *names[MAX_OPTS];
	int types[MAX_OPTS];
	lua_Integer at[MAX_OPTS];
	size_t n = 0;
	lt_ctx *c = lt_getctx(L);
	spec = lua_absindex(L, spec);
	args = lua_absindex(L, args);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LT_DECLARED);
	for (lua_Integer i = 1; n < MAX_OPTS && i <= (lua_Integer)lua_rawlen(L, spec); i++) {
		const char *help;
		if (opt_entry(L, spec, i, &names[n], &types[n], &help)) {
			underscored(names[n], unames[n], sizeof unames[n]);
			/* a period option declared is the script's, not a filter of tally.data():
			 * too late once tally.data() has applied it */
			if (c && c->filtered && lt_cli_period(c, unames[n]))
				lt_failure(L, TL_EXIT_SCRIPT, "%s declares --%s after tally.data() applied it as a filter: "
				           "call tally.options before tally.data()", who, unames[n]);
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, unames[n]);
			at[n++] = i;
		}
	}
	lua_pop(L, 1);
	/* every key given must be declared */
	lua_pushnil(L);
	while (lua_next(L, args)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int known = key == NULL;
		if (key)
			underscored(key, ku, sizeof ku);
		for (size_t k = 0; !known && also && also[k]; k++)
			known = strcmp(ku, also[k]) == 0;
		for (size_t k = 0; !known && k < n; k++)
			known = strcmp(ku, unames[k]) == 0;
		if (!known)
			unknown_option(L, who, key, unames, n);
		lua_pop(L, 1);
	}
	/* then each declared option: its type, or its default */
	for (size_t k = 0; k < n; k++) {
		if (lua_getfield(L, args, unames[k]) != LUA_TNIL) {
			opt_convert(L, who, names[k], types[k], args, unames[k]);
		} else {
			lua_rawgeti(L, spec, at[k]);
			if (lua_getfield(L, -1, "default") != LUA_TNIL)
				lua_setfield(L, args, unames[k]);
			else
				lua_pop(L, 1);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
}

/* Prints what `tally run who --help` shows: the description and the declared
 * options (spec may be 0: none declared). */
void lt_print_options(lua_State *L, int spec, const char *who, const char *description)
{
	spec = spec ? lua_absindex(L, spec) : 0;
	printf("usage: tally run %s [--data FILE...] [--out DIR]%s\n", who, spec ? " [OPTIONS]" : "");
	if (description)
		printf("\n%s\n", description);
	if (spec) {
		printf("\noptions:\n");
		for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, spec); i++) {
			const char *name, *help;
			int type;
			char dn[128], left[192];
			if (!opt_entry(L, spec, i, &name, &type, &help))
				continue;
			snprintf(left, sizeof left, "--%s%s%s", dashed(name, dn, sizeof dn), *opt_args[type] ? " " : "",
			         opt_args[type]);
			printf("  %-22s %s", left, help ? help : "");
			lua_rawgeti(L, spec, i);
			if (lua_getfield(L, -1, "default") != LUA_TNIL)
				printf(" (default: %s)", luaL_tolstring(L, -1, NULL)), lua_pop(L, 1);
			lua_pop(L, 2);
			putchar('\n');
		}
	}
	printf("\n--data, --out, --allow-empty, --where and the loading options: see tally run --help\n");
}

/* ---------------------------------------------------------------------- */
/* Lua: tally.options, tally.suggest, tally.fail                          */
/* ---------------------------------------------------------------------- */

/* tally's own options that reach tally.args: always allowed (quarter, from and to
 * filter tally.data() unless declared, see lt_pushfilter) */
static const char *const run_names[] = {"data", "out", "help", "quarter", "from", "to", NULL};

/* The script's name as the user typed it, for messages. */
static const char *script_name(lua_State *L)
{
	const char *s = lt_getctx(L)->script;
	return s ? s : "script";
}

/* tally.options{description =, {name =, type =, help =, default =}, ...}: checks
 * tally.args against the declaration and returns it; with --help, prints the
 * options and ends the run with status 0. */
static int t_options(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, "tally");
	lua_getfield(L, -1, "args");                     /* 4: tally.args */
	if (!lua_istable(L, 4))
		return luaL_error(L, "options: tally.args is not a table");
	if (lua_getfield(L, 4, "help") == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
		lua_getfield(L, 1, "description");
		lt_print_options(L, 1, script_name(L), lua_tostring(L, -1));
		fflush(stdout);
		return lt_failure(L, TL_EXIT_OK, "");
	}
	lua_pop(L, 1);
	lt_check_options(L, 1, 4, script_name(L), run_names);
	return 1;
}

/* tally.suggest(word, {names...}): the nearest name within the rule every "did you
 * mean" follows, or nil. */
static int t_suggest(lua_State *L)
{
	const char *word = luaL_checkstring(L, 1), *cands[256], *near;
	size_t n = 0;
	luaL_checktype(L, 2, LUA_TTABLE);
	for (lua_Integer i = 1; n < 256 && i <= (lua_Integer)lua_rawlen(L, 2); i++) {
		lua_rawgeti(L, 2, i);
		if (lua_type(L, -1) == LUA_TSTRING)
			cands[n++] = lua_tostring(L, -1);   /* the table keeps the string */
		lua_pop(L, 1);
	}
	near = tl_suggest(word, cands, n);
	if (near)
		lua_pushstring(L, near);
	else
		lua_pushnil(L);
	return 1;
}

/* tally.fail(message [, "usage"|"data"|"script"]): ends the run with the message
 * alone (no traceback) and status 1, 2 or 3 (default 3). For errors a helper raises
 * on purpose, whose place in the helper would tell the user nothing. */
static int t_fail(lua_State *L)
{
	static const char *const kinds[] = {"usage", "data", "script", NULL};
	static const int status[] = {TL_EXIT_USAGE, TL_EXIT_DATA, TL_EXIT_SCRIPT};
	const char *msg = luaL_checkstring(L, 1);
	int k = luaL_checkoption(L, 2, "script", kinds);
	return lt_failure(L, status[k], "%s", msg);
}

static const luaL_Reg option_funcs[] = {
	{ "options", t_options },
	{ "suggest", t_suggest },
	{ "fail", t_fail },
	{ NULL, NULL }
};

void lt_open_options(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	luaL_setfuncs(L, option_funcs, 0);
	lua_pop(L, 1);
}

/* " (did you mean 'x'?)" for a plugin name none of the plugin directories has. */
char *lt_plugin_suggest(lt_ctx *c, const char *name, char *buf, size_t n)
{
	char *names[512] = {NULL};
	size_t k = 0;
	buf[0] = '\0';
	for (size_t d = 0; d < c->nplugindirs; d++) {
		DIR *dir = opendir(c->plugindirs[d]);
		struct dirent *e;
		while (dir && k < 512 && (e = readdir(dir)) != NULL) {
			size_t len = strlen(e->d_name);
			if (e->d_name[0] != '.' && e->d_name[0] != '_' && len > 4 && strcmp(e->d_name + len - 4, ".lua") == 0)
				if ((names[k] = strndup(e->d_name, len - 4)) != NULL)
					k++;
		}
		if (dir)
			closedir(dir);
	}
	tl_did_you_mean(buf, n, name, (const char *const *)names, k);
	for (size_t i = 0; i < k; i++)
		free(names[i]);
	return buf;
}

/* Before a plugin runs from the command line: tally.args checked against the
 * plugin table's options (at idx), or with --help the options printed and the run
 * ended with status 0. A plugin that declares nothing is not checked. */
void lt_plugin_options(lua_State *L, int idx, const char *name)
{
	int top = lua_gettop(L), spec;
	idx = lua_absindex(L, idx);
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, "tally");
	lua_getfield(L, -1, "args");
	int args = lua_gettop(L);
	spec = lua_getfield(L, idx, "options") == LUA_TTABLE ? lua_gettop(L) : 0;
	if (lua_getfield(L, args, "help") == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
		lua_getfield(L, idx, "description");
		lt_print_options(L, spec, name, lua_tostring(L, -1));
		fflush(stdout);
		lt_failure(L, TL_EXIT_OK, "");
	}
	if (spec)
		lt_check_options(L, spec, args, name, run_names);
	lua_settop(L, top);
}
