/* The commands that run Lua: `tally run`, `tally eval`, `tally plugins`.
 *
 * Shaped like lua.c: the command line is read in C, the work is done by a C function
 * called through docall (lua_pcall with a message handler that adds a traceback), and
 * the outcome becomes an exit status: 0 ok, 1 usage, 2 data error, 3 script error.
 * Outputs are committed only when the script succeeded. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <sys/stat.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "tally/outfile.h"
#include "cli/cli.h"
#include "tally/mem.h"
#include "cli/options.h"
#include "lua/lua_int.h"
#include "lua/lua_tally.h"

/* What the command line said besides what lt_ctx keeps. */
typedef struct runargs {
	lt_ctx      *ctx;        /* filled by the parser too */
	const char  *target;     /* script path, plugin name, or eval's expression */
	char       **names;      /* other --name value options */
	char       **values;     /* NULL for a flag given without a value */
	size_t       nopts;
	char       **words;      /* words after -- (and after the target) */
	size_t       nwords;
	int          importer;   /* run by tally import: the plugin must be an importer */
} runargs;

static void runargs_free(runargs *a)
{
	for (size_t i = 0; i < a->nopts; i++)
		free(a->names[i]);
	free(a->names);
	free(a->values);
	free(a->words);
}

static int usage(const char *fmt, const char *what)
{
	fputs("tally: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("\nsee tally run --help\n", stderr);
	return TL_EXIT_USAGE;
}

/* A path that could not be made absolute for want of memory is not the user's
 * mistake: exit 3, as other memory failures of a run. */
static int pathfail(const char *fmt, const char *what)
{
	if (errno != ENOMEM)
		return usage(fmt, what);
	fputs("tally: out of memory\n", stderr);
	return TL_EXIT_SCRIPT;
}

static int isopt(const char *s)
{
	return s[0] == '-' && s[1] == '-' && s[2] != '\0';
}

static int run_option(void *p, cli_key key, const char *s, const char *v)
{
	runargs *a = p;
	lt_ctx *c = a->ctx;
	char *end;
	switch (key) {
	case OPT_HELP:   /* after the target, --help is the script's or plugin's */
		return a->target ? CLI_PASS : 0;
	case OPT_DATA: {
		/* several files may follow one --data; a script named after them is the target */
		size_t n = strlen(v);
		if (a->target == NULL && c->ndata > 0 && n > 4 && strcmp(v + n - 4, ".lua") == 0)
			a->target = v;
		else
			c->data[c->ndata++] = v;
		break;
	}
	case OPT_WHERE:   /* checked against the data when tally.data() applies it */
		if (!strchr(v, '=') || v[0] == '=')
			return usage("--where takes FIELD=VALUE, not '%s'", v);
		c->where[c->nwhere++] = v;
		break;
	case OPT_FROM: c->from = v; break;     /* checked by checkperiods */
	case OPT_TO: c->to = v; break;
	case OPT_QUARTER: c->quarter = v; break;
	case OPT_UNSAFE: c->unsafe = 1; break;
	case OPT_ALLOW_EMPTY: c->allow_empty = 1; break;
	case OPT_OUT:
		free(c->out);
		if ((c->out = lt_abspath(v)) == NULL)
			return pathfail("cannot resolve --out %s", v);
		break;
	case OPT_LANG:
		if (cli_lang(v) != 0)
			return TL_EXIT_USAGE;
		break;
	case OPT_TIMEOUT:
		c->timeout = strtod(v, &end);
		if (end == v || *end || c->timeout <= 0)
			return usage("--timeout wants a number of seconds, not '%s'", v);
		break;
	case OPT_MAX_MEMORY:
		c->mem_cap = tl_parse_size(v);
		if (c->mem_cap == 0 && strcmp(v, "0") != 0)
			return usage("--max-memory wants a size such as 512M or 1G, not '%s'", v);
		break;
	case OPT_ALLOW_READ:
		if (lt_ctx_addread(c, v) != 0)
			return pathfail("cannot resolve --allow-read %s", v);
		break;
	default:
		(void)s;
		break;
	}
	return 0;
}

/* The target first, then words for the script. */
static int run_word(void *p, const char *w, int rest)
{
	runargs *a = p;
	if (a->target == NULL && !rest)
		a->target = w;
	else
		a->words[a->nwords++] = (char *)w;
	return 0;
}

/* Any other option is tally.args.NAME: --name value, --name=value or a --flag. */
static int run_other(void *p, int argc, char **argv, int *i)
{
	runargs *a = p;
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t n = eq ? (size_t)(eq - name) : strlen(name);
	char *key = malloc(n + 1);
	if (key == NULL) {
		fprintf(stderr, "tally: out of memory\n");
		return TL_EXIT_DATA;
	}
	for (size_t k = 0; k < n; k++)
		key[k] = name[k] == '-' ? '_' : name[k];
	key[n] = '\0';
	a->names[a->nopts] = key;
	if (eq) {
		a->values[a->nopts] = (char *)eq + 1;
	} else if (*i + 1 < argc && !isopt(argv[*i + 1]) && strcmp(argv[*i + 1], "--") != 0) {
		a->values[a->nopts] = argv[*i + 1];
		(*i)++;
	} else {
		a->values[a->nopts] = NULL;
	}
	a->nopts++;
	return 0;
}

static const cli_cmd run_cmd = {
	"run", CMD_RUN,
	"usage: tally run SCRIPT.lua|PLUGIN [--data FILE...] [--out DIR] [--NAME VALUE...] [-- ARGS...]\n",
	"Runs a Lua report script, or the plugin of that name, in a sandbox.\n",
	"  --NAME VALUE  any other option is tally.args.NAME; words after -- are tally.args[1], ...\n",
	1, run_option, run_word, run_other
};

static const cli_cmd eval_cmd = {
	"eval", CMD_EVAL,
	"usage: tally eval 'EXPR' [--data FILE...]\n",
	"Evaluates a Lua expression (or chunk) and prints its values; ds is the first --data file.\n",
	"  --NAME VALUE  any other option is tally.args.NAME\n",
	1, run_option, run_word, run_other
};

/* --quarter, --from and --to, checked once the target is known, in the words a
 * script's declared option of that type would use (lua_options.c, opt_convert). */
static int checkperiods(const lt_ctx *c, const char *who)
{
	tl_date d, e;
	const char *why;
	if (c->quarter && tl_quarter_range(c->quarter, &d, &e) < 0) {
		fprintf(stderr, "tally: %s: --quarter: '%s' is not a quarter (expected 2023Q2 or 2023-Q2)\n", who, c->quarter);
		return TL_EXIT_USAGE;
	}
	for (int k = 0; k < 2; k++) {
		const char *v = k ? c->to : c->from;
		if (v && tl_date_parse(v, strlen(v), &d, &why) < 0) {
			fprintf(stderr, "tally: %s: --%s: '%s': %s (expected 2023-04-10, 2023-04, 2023Q2 or 2023)\n", who,
			        k ? "to" : "from", v, why);
			return TL_EXIT_USAGE;
		}
	}
	return 0;
}

/* Reads argv[1..] into c and a. Returns 0, -1 after --help, or an exit status
 * after a message. */
static int parseargs(const cli_cmd *cmd, lt_ctx *c, runargs *a, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	a->ctx = c;
	c->data = calloc((size_t)argc, sizeof *c->data);
	c->where = calloc((size_t)argc, sizeof *c->where);
	a->names = calloc((size_t)argc, sizeof *a->names);
	a->values = calloc((size_t)argc, sizeof *a->values);
	a->words = calloc((size_t)argc, sizeof *a->words);
	if (!c->data || !c->where || !a->names || !a->values || !a->words) {
		fprintf(stderr, "tally: out of memory\n");
		return TL_EXIT_DATA;
	}
	return cli_parse(cmd, a, &c->opts, argc, argv);
}

/* ---------------------------------------------------------------------- */
/* Protected calls                                                        */
/* ---------------------------------------------------------------------- */

static int isdataerror(lua_State *L, int idx)
{
	int r = 0;
	if (lua_istable(L, idx) && lua_getmetatable(L, idx)) {
		luaL_getmetatable(L, LT_DATAERROR);
		r = lua_rawequal(L, -1, -2);
		lua_pop(L, 2);
	}
	return r;
}

/* As lua.c's msghandler: adds a traceback to the message. A data error passes as it
 * is (the run ends with status 2), and so does a time-out, whose place is enough. */
static int msghandler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (isdataerror(L, 1) || lt_getctx(L)->timed_out)
		return 1;
	if (msg == NULL) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Calls the function below narg arguments with the message handler. */
static int docall(lua_State *L, int narg, int nres)
{
	int base = lua_gettop(L) - narg, status;
	lua_pushcfunction(L, msghandler);
	lua_insert(L, base);
	status = lua_pcall(L, narg, nres, base);
	lua_remove(L, base);
	return status;
}

static void human(size_t bytes, char *buf, size_t n)
{
	if (bytes >= ((size_t)1 << 30) && bytes % ((size_t)1 << 30) == 0)
		snprintf(buf, n, "%zuG", bytes >> 30);
	else if (bytes >= ((size_t)1 << 20) && bytes % ((size_t)1 << 20) == 0)
		snprintf(buf, n, "%zuM", bytes >> 20);
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(buf, n, "%zuK", bytes >> 10);
	else
		snprintf(buf, n, "%zu bytes", bytes);
}

/* Reports how the protected call ended and returns the exit status. */
static int report(lua_State *L, lt_ctx *c, int status)
{
	const char *msg;
	if (status == LUA_OK)
		return TL_EXIT_OK;
	if (isdataerror(L, -1)) {   /* a failure raised on purpose: its status, its message alone */
		int rc = lua_getfield(L, -1, "status") == LUA_TNUMBER ? (int)lua_tointeger(L, -1) : TL_EXIT_DATA;
		lua_getfield(L, -2, "message");
		msg = lua_tostring(L, -1);
		if (msg && *msg)
			fprintf(stderr, "tally: %s\n", msg);
		return rc;
	}
	msg = lua_tostring(L, -1);
	if (c->mem_over || (c->mem_refused && (status == LUA_ERRMEM || status == LUA_ERRERR ||
	                                       (msg && strstr(msg, "not enough memory"))))) {
		char size[32];
		human(c->mem_cap, size, sizeof size);
		fprintf(stderr, "tally: %s: memory limit exceeded (--max-memory %s)\n", c->script, size);
		return TL_EXIT_SCRIPT;
	}
	if (c->timed_out) {
		fprintf(stderr, "tally: %s\n", msg ? msg : "time limit exceeded");
		return TL_EXIT_SCRIPT;
	}
	fprintf(stderr, "tally: %s\n", msg ? msg : "(error object is not a string)");
	return TL_EXIT_SCRIPT;
}

/* tally.args and the global arg, from the command line. */
static void pushargs(lua_State *L, lt_ctx *c, runargs *a)
{
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, "tally");
	lua_createtable(L, (int)a->nwords, (int)a->nopts + 2);     /* tally.args */
	lua_createtable(L, (int)c->ndata, 0);
	for (size_t i = 0; i < c->ndata; i++) {
		lua_pushstring(L, c->data[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "data");
	if (c->out) {
		lua_pushstring(L, c->out);
		lua_setfield(L, -2, "out");
	}
	/* the period options reach the script too: one that declares them takes them */
	for (int k = 0; k < 3; k++) {
		static const char *const periods[] = {"quarter", "from", "to"};
		const char *v = lt_cli_period(c, periods[k]);
		if (v) {
			lua_pushstring(L, v);
			lua_setfield(L, -2, periods[k]);
		}
	}
	for (size_t i = 0; i < a->nopts; i++) {
		if (a->values[i])
			lua_pushstring(L, a->values[i]);
		else
			lua_pushboolean(L, 1);
		lua_setfield(L, -2, a->names[i]);
	}
	for (size_t i = 0; i < a->nwords; i++) {
		lua_pushstring(L, a->words[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "args");
	lua_pop(L, 2);

	lua_createtable(L, (int)a->nwords, 1);   /* arg, as lua.c makes it */
	lua_pushstring(L, c->script);
	lua_rawseti(L, -2, 0);
	for (size_t i = 0; i < a->nwords; i++) {
		lua_pushstring(L, a->words[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setglobal(L, "arg");
}

/* ctx.log(...): a line on stderr naming the plugin. */
static int ctx_log(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	lua_pushfstring(L, "tally: [%s] ", lua_tostring(L, lua_upvalueindex(1)));
	luaL_addvalue(&b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, ' ');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_addchar(&b, '\n');
	luaL_pushresult(&b);
	fputs(lua_tostring(L, -1), stderr);
	return 0;
}

/* A plugin's kind says who runs it: tally import runs importers and nothing else,
 * tally run the rest but chart plugins without a run function (a script draws
 * those, as tally.chart.NAME). Raises a usage error (status 1) otherwise. */
static void check_kind(lua_State *L, int plugin, const char *name, int importer)
{
	const char *kind;
	lua_getfield(L, plugin, "kind");
	kind = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
	if (importer && strcmp(kind, "importer") != 0)
		lt_failure(L, TL_EXIT_USAGE, "the plugin %s is %s: tally import runs importers (kind = \"importer\")",
		           name, *kind ? lua_pushfstring(L, "of kind %s", kind) : "of no kind");
	if (!importer && strcmp(kind, "importer") == 0)
		lt_failure(L, TL_EXIT_USAGE, "%s is an importer: run it with tally import FILE... -o DRAFT.csv --plugin %s",
		           name, name);
	if (!importer && strcmp(kind, "chart") == 0 && lua_getfield(L, plugin, "run") != LUA_TFUNCTION)
		lt_failure(L, TL_EXIT_USAGE, "%s is a chart type: a script draws it with tally.chart.%s{data = ...}",
		           name, name);
	lua_settop(L, plugin);
}

/* The work of `tally run`, protected: upvalues are the context and arguments. */
static int pmain_run(lua_State *L)
{
	lt_ctx *c = lua_touserdata(L, 1);
	runargs *a = lua_touserdata(L, 2);
	int isplugin = lua_toboolean(L, 3);
	lua_settop(L, 0);
	pushargs(L, c, a);
	if (isplugin) {
		lt_plugin_push(L, c->script);                  /* plugin */
		check_kind(L, 1, c->script, a->importer);
		lt_plugin_options(L, 1, c->script);            /* its declared options, or --help */
		int base = lua_gettop(L);
		lua_getfield(L, 1, "run");
		lua_createtable(L, 0, 6);                      /* ctx */
		lua_createtable(L, (int)c->ndata, 0);
		for (size_t i = 0; i < c->ndata; i++) {
			lt_pushdataset(L, i);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_rawgeti(L, -1, 1);
		lua_setfield(L, -3, "data");
		lua_setfield(L, -2, "datasets");
		if (c->out) {
			lua_pushstring(L, c->out);
			lua_setfield(L, -2, "out");
		}
		lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
		lua_getfield(L, -1, "tally");
		lua_getfield(L, -1, "args");                   /* the plugin's args, once: not in ctx too */
		lua_replace(L, -3);
		lua_pop(L, 1);                                 /* run ctx args */
		lua_pushstring(L, c->script);
		lua_pushvalue(L, -1);
		lua_setfield(L, -4, "name");
		lua_pushcclosure(L, ctx_log, 1);
		lua_setfield(L, -3, "log");
		lua_call(L, 2, LUA_MULTRET);
		/* what run returns goes to a Lua caller of tally.plugin(NAME).run; here
		 * each value but nil is printed, as tally eval prints it */
		for (int i = base + 1; i <= lua_gettop(L); i++)
			if (!lua_isnil(L, i))
				lt_print(L, i);
		return 0;
	}
	if (lt_loadfile(L, c->script) != LUA_OK)
		return lua_error(L);
	luaL_checkstack(L, (int)a->nwords + 1, "too many arguments");
	for (size_t i = 0; i < a->nwords; i++)
		lua_pushstring(L, a->words[i]);
	lua_call(L, (int)a->nwords, 0);
	return 0;
}

static int clean_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		outfile_clean_stale(path);
	return 0;
}

/* Runs fn(c, a, flag) protected, closes the state, then commits or rolls back the
 * outputs. Returns the exit status. */
static int execute(lt_ctx *c, runargs *a, lua_CFunction fn, int flag)
{
	lua_State *L;
	int status, rc;
	if (c->nplugindirs == 0 && lt_ctx_plugindirs(c) != 0) {
		fprintf(stderr, "tally: out of memory\n");
		return TL_EXIT_SCRIPT;
	}
	for (size_t i = 0; i < c->ndata; i++)
		if (lt_ctx_addread(c, c->data[i]) != 0) {
			fprintf(stderr, "tally: cannot resolve %s: %s\n", c->data[i], strerror(errno));
			return errno == ENOMEM ? TL_EXIT_DATA : TL_EXIT_USAGE;
		}
	/* a run killed before it committed left hidden temporaries under --out */
	if (c->out)
		nftw(c->out, clean_dir, 16, FTW_DEPTH | FTW_PHYS);
	if ((L = lt_newstate(c)) == NULL) {
		fprintf(stderr, "tally: cannot set up Lua: not enough memory\n");
		return TL_EXIT_SCRIPT;
	}
	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, c);
	lua_pushlightuserdata(L, a);
	lua_pushboolean(L, flag);
	status = docall(L, 3, 0);
	rc = report(L, c, status);
	c->reported = 1;
	/* what the script printed is part of its output: lost, the run failed */
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == TL_EXIT_OK) {
		fprintf(stderr, "tally: cannot write to standard output: %s\n", strerror(errno ? errno : EIO));
		rc = TL_EXIT_DATA;
	}
	lua_close(L);    /* closes the files the script left open; the timer still runs */
	lt_timer_stop();
	if (rc == TL_EXIT_OK) {
		char err[1024];
		if (lt_commit(c, err, sizeof err) != 0) {
			fprintf(stderr, "tally: %s\n", err);
			rc = TL_EXIT_SCRIPT;
		}
	} else {
		lt_rollback(c);
	}
	return rc;
}

/* tally run, or tally import's run of an importer plugin (importer = 1). */
static int run_main(int argc, char **argv, int importer)
{
	lt_ctx c;
	runargs a;
	int rc, isplugin = 0;
	char path[4096];
	struct stat st;
	lt_ctx_init(&c, cli_ctx());
	rc = parseargs(&run_cmd, &c, &a, argc, argv);
	a.importer = importer;
	if (rc == 0 && a.target == NULL)
		rc = usage("%s", "run needs a script or a plugin name");
	if (rc == 0)
		rc = checkperiods(&c, a.target);
	if (rc == 0) {
		size_t n = strlen(a.target);
		c.script = a.target;
		if (strchr(a.target, '/') == NULL && !(n > 4 && strcmp(a.target + n - 4, ".lua") == 0) &&
		    stat(a.target, &st) != 0) {
			isplugin = 1;
			if (lt_ctx_plugindirs(&c) != 0 || lt_plugin_find(&c, a.target, path, sizeof path) != 0) {
				char hint[300];
				fprintf(stderr, "tally: no script or plugin named '%s'%s\nsee `tally plugins`\n", a.target,
				        lt_plugin_suggest(&c, a.target, hint, sizeof hint));
				rc = TL_EXIT_USAGE;
			}
		} else if (stat(a.target, &st) != 0) {
			fprintf(stderr, "tally: cannot open %s: %s\n", a.target, strerror(errno));
			rc = TL_EXIT_USAGE;
		}
	}
	if (rc == 0)
		rc = execute(&c, &a, pmain_run, isplugin);
	runargs_free(&a);
	lt_ctx_free(&c);
	return rc < 0 ? TL_EXIT_OK : rc;
}

int cmd_run(int argc, char **argv)
{
	return run_main(argc, argv, 0);
}

int cli_run_importer(int argc, char **argv)
{
	return run_main(argc, argv, 1);
}

/* ---------------------------------------------------------------------- */
/* tally eval                                                             */
/* ---------------------------------------------------------------------- */

static int pmain_eval(lua_State *L)
{
	lt_ctx *c = lua_touserdata(L, 1);
	runargs *a = lua_touserdata(L, 2);
	const char *expr = a->target;
	int base;
	lua_settop(L, 0);
	pushargs(L, c, a);
	lua_pushfstring(L, "return %s", expr);
	if (luaL_loadbufferx(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=eval", "t") != LUA_OK) {
		lua_pop(L, 2);
		if (luaL_loadbufferx(L, expr, strlen(expr), "=eval", "t") != LUA_OK)
			return lua_error(L);
	} else {
		lua_remove(L, -2);
	}
	lt_newenv(L);
	if (c->ndata > 0) {
		lt_pushdataset(L, 0);
		lua_setfield(L, -2, "ds");
	}
	lua_setupvalue(L, -2, 1);
	base = lua_gettop(L) - 1;
	lua_call(L, 0, LUA_MULTRET);
	for (int i = base + 1; i <= lua_gettop(L); i++)
		lt_print(L, i);
	return 0;
}

int cmd_eval(int argc, char **argv)
{
	lt_ctx c;
	runargs a;
	int rc;
	lt_ctx_init(&c, cli_ctx());
	rc = parseargs(&eval_cmd, &c, &a, argc, argv);
	if (rc == 0 && a.target == NULL)
		rc = usage("%s", "eval needs an expression");
	if (rc == 0)
		rc = checkperiods(&c, "eval");
	if (rc == 0) {
		c.script = "eval";
		rc = execute(&c, &a, pmain_eval, 0);
	}
	runargs_free(&a);
	lt_ctx_free(&c);
	return rc < 0 ? TL_EXIT_OK : rc;
}

/* ---------------------------------------------------------------------- */
/* tally plugins                                                          */
/* ---------------------------------------------------------------------- */

static int cmpstr(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Loads one plugin file sandboxed and leaves its table; raises on a bad plugin. */
static int plugin_describe(lua_State *L)
{
	const char *path = lua_tostring(L, 1);
	if (lt_loadfile(L, path) != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	if (!lua_istable(L, -1))
		return luaL_error(L, "%s does not return a plugin table", path);
	return 1;
}

static const char *field(lua_State *L, int t, const char *k, const char *def)
{
	const char *s;
	lua_getfield(L, t, k);
	s = lua_tostring(L, -1);
	lua_pop(L, 1);   /* the table still holds the string */
	return s ? s : def;
}

static int plugins_word(void *a, const char *w, int rest)
{
	(void)a, (void)w, (void)rest;
	fprintf(stderr, "tally: plugins takes no arguments\nusage: tally plugins\n");
	return TL_EXIT_USAGE;
}

static const cli_cmd plugins_cmd = {
	"plugins", CMD_PLUGINS, "usage: tally plugins\n",
	"Lists the plugins in TALLY_PLUGIN_PATH and in tally's plugins/ directory.\n", NULL,
	0, NULL, plugins_word, NULL
};

int cmd_plugins(int argc, char **argv)
{
	lt_ctx c;
	lua_State *L;
	int rc = TL_EXIT_OK;
	char **seen = NULL;
	size_t nseen = 0;
	if ((rc = cli_parse(&plugins_cmd, NULL, NULL, argc, argv)) != 0)
		return rc < 0 ? TL_EXIT_OK : rc;
	lt_ctx_init(&c, cli_ctx());
	c.timeout = 10;
	c.script = "plugins";
	if (lt_ctx_plugindirs(&c) != 0 || (L = lt_newstate(&c)) == NULL) {
		fprintf(stderr, "tally: cannot set up Lua: not enough memory\n");
		lt_ctx_free(&c);
		return TL_EXIT_SCRIPT;
	}
	for (size_t d = 0; d < c.nplugindirs; d++) {
		DIR *dir = opendir(c.plugindirs[d]);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0, cap = 0;
		if (dir == NULL)
			continue;
		while ((e = readdir(dir)) != NULL) {
			size_t len = strlen(e->d_name);
			/* "_name.lua" is a module plugins share, not a plugin */
			if (e->d_name[0] == '.' || e->d_name[0] == '_' || len < 5 || strcmp(e->d_name + len - 4, ".lua") != 0)
				continue;
			if (n == cap) {
				char **nn = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof *nn);
				if (nn == NULL)
					break;
				names = nn;
			}
			if ((names[n] = strndup(e->d_name, len - 4)) != NULL)
				n++;
		}
		closedir(dir);
		if (n > 0)
			qsort(names, n, sizeof *names, cmpstr);
		for (size_t i = 0; i < n; i++) {
			char path[4096];
			int shadowed = 0;
			for (size_t k = 0; k < nseen; k++)
				shadowed |= strcmp(seen[k], names[i]) == 0;
			if (shadowed) {
				free(names[i]);
				continue;
			}
			snprintf(path, sizeof path, "%s/%s.lua", c.plugindirs[d], names[i]);
			lua_pushcfunction(L, plugin_describe);
			lua_pushstring(L, path);
			if (docall(L, 1, 1) != LUA_OK) {
				fprintf(stderr, "tally: plugin %s: %s\n", path, lua_tostring(L, -1));
				rc = TL_EXIT_SCRIPT;
			} else {
				printf("%-18s %-9s %s\n", field(L, -1, "name", names[i]), field(L, -1, "kind", "?"),
				       field(L, -1, "description", ""));
			}
			lua_pop(L, 1);
			char **ns = realloc(seen, (nseen + 1) * sizeof *ns);
			if (ns) {
				seen = ns;
				seen[nseen++] = names[i];
			} else {
				free(names[i]);
			}
		}
		free(names);
	}
	for (size_t k = 0; k < nseen; k++)
		free(seen[k]);
	free(seen);
	c.reported = 1;
	lua_close(L);
	lt_timer_stop();
	lt_ctx_free(&c);
	return rc;
}
