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

#include "cli/cli.h"
#include "lua/lua_int.h"
#include "lua/lua_tally.h"

#define SB_HOOKCOUNT 1000   /* instructions between looks at the clock */
#define SB_PLUGINS   "tally.plugins"

/* ---------------------------------------------------------------------- */
/* The run context                                                        */
/* ---------------------------------------------------------------------- */

void lt_ctx_init(lt_ctx *c)
{
	memset(c, 0, sizeof *c);
	tl_load_opts_init(&c->opts);
	c->mem_cap = (size_t)1 << 30;
}

static void freelist(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void lt_ctx_free(lt_ctx *c)
{
	free(c->out);
	freelist(c->reads, c->nreads);
	freelist(c->plugindirs, c->nplugindirs);
	for (size_t i = 0; i < c->noutputs; i++) {
		free(c->outputs[i].final);
		free(c->outputs[i].tmp);
	}
	free(c->outputs);
	freelist(c->madedirs, c->nmadedirs);
	free(c->data);
	c->out = NULL;
	c->reads = c->plugindirs = c->madedirs = NULL;
	c->outputs = NULL;
	c->data = NULL;
	c->nreads = c->nplugindirs = c->noutputs = c->outcap = c->nmadedirs = c->ndata = 0;
}

/* Appends s (taken over) to the list *v of *n strings. */
static int pushlist(char ***v, size_t *n, char *s)
{
	char **nv;
	if (s == NULL || (nv = realloc(*v, (*n + 1) * sizeof *nv)) == NULL) {
		free(s);
		return -1;
	}
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

int lt_ctx_addread(lt_ctx *c, const char *path)
{
	return pushlist(&c->reads, &c->nreads, lt_abspath(path));
}

/* TALLY_PLUGIN_PATH comes first so that a user's plugin can replace a bundled one. */
int lt_ctx_plugindirs(lt_ctx *c)
{
	const char *env = getenv("TALLY_PLUGIN_PATH");
	char buf[4096];
	while (env && *env) {
		size_t n = strcspn(env, ":");
		if (n > 0 && n < sizeof buf) {
			memcpy(buf, env, n);
			buf[n] = '\0';
			if (pushlist(&c->plugindirs, &c->nplugindirs, lt_abspath(buf)) < 0)
				return -1;
		}
		env += n + (env[n] == ':');
	}
	snprintf(buf, sizeof buf, "%s/plugins", tl_home());
	return pushlist(&c->plugindirs, &c->nplugindirs, lt_abspath(buf));
}

lt_ctx *lt_getctx(lua_State *L)
{
	return *(lt_ctx **)lua_getextraspace(L);
}

/* ---------------------------------------------------------------------- */
/* Paths                                                                  */
/* ---------------------------------------------------------------------- */

/* The absolute form of path with "." and ".." resolved by name, not by following
 * links: the sandbox compares names first and checks links separately. */
char *lt_abspath(const char *path)
{
	char *cwd = NULL, *full, *out;
	size_t n, o = 0;
	if (path[0] != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL)
			return NULL;
	}
	n = (cwd ? strlen(cwd) : 0) + strlen(path) + 2;
	full = malloc(n);
	out = malloc(n + 1);
	if (full == NULL || out == NULL) {
		free(cwd); free(full); free(out);
		return NULL;
	}
	snprintf(full, n, "%s/%s", cwd ? cwd : "", path);
	free(cwd);
	for (char *p = full; *p; ) {
		size_t len;
		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;       /* the slash before the last part */
		} else {
			out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	free(full);
	return out;
}

/* Whether path is root or below it (both absolute and normalised). */
static int under(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return 1;
	return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Whether abs, and what it points to once links are followed, lie below root. A
 * path that does not exist yet is judged by its nearest existing parent. */
static int under_real(const char *abs, const char *root)
{
	char *rroot, *rpath = NULL, *probe;
	int ok;
	if (!under(abs, root))
		return 0;
	if ((rroot = realpath(root, NULL)) == NULL)
		return 1;   /* a root that does not exist holds nothing to escape through */
	if ((probe = strdup(abs)) == NULL) {
		free(rroot);
		return 0;
	}
	for (;;) {
		if ((rpath = realpath(probe, NULL)) != NULL)
			break;
		char *slash = strrchr(probe, '/');
		if (slash == NULL || slash == probe)
			break;
		*slash = '\0';
	}
	ok = rpath == NULL || under(rpath, rroot);
	free(rpath);
	free(probe);
	free(rroot);
	return ok;
}

/* The pending output whose final name is abs, latest first; NULL when none. */
static const lt_output *pending(const lt_ctx *c, const char *abs)
{
	for (size_t i = c->noutputs; i-- > 0; )
		if (strcmp(c->outputs[i].final, abs) == 0)
			return &c->outputs[i];
	return NULL;
}

/* The path a script may read: refused outside the --data files, --out, the plugin
 * directories and --allow-read unless --unsafe. A file the script wrote earlier in
 * the run is read from its temporary copy. Raises on refusal. */
const char *lt_checkreadpath(lua_State *L, const char *path)
{
	lt_ctx *c = lt_getctx(L);
	char *abs = lt_abspath(path);
	const lt_output *o;
	int ok;
	if (abs == NULL) {
		luaL_error(L, "cannot resolve path '%s': %s", path, strerror(errno));
		return NULL;
	}
	ok = c->unsafe || (c->out && under_real(abs, c->out));
	for (size_t i = 0; !ok && i < c->nreads; i++)
		ok = under_real(abs, c->reads[i]);
	for (size_t i = 0; !ok && i < c->nplugindirs; i++)
		ok = under_real(abs, c->plugindirs[i]);
	o = ok ? pending(c, abs) : NULL;
	free(abs);
	if (!ok)
		luaL_error(L, "cannot read '%s': the sandbox reads only the --data files, --out, "
		           "the plugin directories and --allow-read directories", path);
	return o ? o->tmp : path;
}

/* mkdir -p for the directories of an output, remembering those it made so that a
 * failed run can take them away again. */
static int makedirs(lt_ctx *c, const char *dir)
{
	char *p = strdup(dir);
	struct stat st;
	if (p == NULL)
		return -1;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char was = *s;
		*s = '\0';
		if (stat(p, &st) != 0) {
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				free(p);
				return -1;
			}
			pushlist(&c->madedirs, &c->nmadedirs, strdup(p));
		} else if (!S_ISDIR(st.st_mode)) {
			free(p);
			errno = ENOTDIR;
			return -1;
		}
		*s = was;
		if (was == '\0')
			break;
	}
	free(p);
	return 0;
}

/* The sandbox's gate for writing: path must lie under --out (anywhere with --unsafe).
 * Returns the temporary file to write instead, renamed to path when the script
 * succeeds and removed when it fails. Raises on refusal. */
const char *lt_checkoutpath(lua_State *L, const char *path)
{
	lt_ctx *c = lt_getctx(L);
	char *abs = lt_abspath(path), *slash, *tmp;
	static unsigned long seq;
	size_t n;
	if (abs == NULL) {
		luaL_error(L, "cannot resolve path '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (!c->unsafe && (c->out == NULL || !under_real(abs, c->out))) {
		free(abs);
		if (c->out == NULL)
			luaL_error(L, "cannot write '%s': scripts write only under --out, and no --out was given", path);
		luaL_error(L, "cannot write '%s': scripts write only under --out (%s)", path, c->out);
		return NULL;
	}
	if (strcmp(abs, "/") == 0 || (c->out && strcmp(abs, c->out) == 0)) {
		free(abs);
		luaL_error(L, "cannot write '%s': it is a directory", path);
		return NULL;
	}
	slash = strrchr(abs, '/');
	*slash = '\0';
	/* a directory that cannot be made is left for the caller's open to report */
	if (slash != abs)
		makedirs(c, abs);
	*slash = '/';
	n = strlen(abs) + 64;
	if ((tmp = malloc(n)) == NULL) {
		free(abs);
		luaL_error(L, "not enough memory");
		return NULL;
	}
	/* a hidden name beside the output, so the rename stays on one file system */
	snprintf(tmp, n, "%.*s/.%s.tally-%ld-%lu.tmp", (int)(slash - abs), abs, slash + 1, (long)getpid(), ++seq);
	if (c->noutputs == c->outcap) {
		size_t cap = c->outcap ? 2 * c->outcap : 8;
		lt_output *no = realloc(c->outputs, cap * sizeof *no);
		if (no == NULL) {
			free(abs);
			free(tmp);
			luaL_error(L, "not enough memory");
			return NULL;
		}
		c->outputs = no;
		c->outcap = cap;
	}
	c->outputs[c->noutputs].final = abs;
	c->outputs[c->noutputs].tmp = tmp;
	return c->outputs[c->noutputs++].tmp;
}

/* Renames every output into place, in the order they were opened (so the last
 * write of a path wins). An output never created is skipped. */
int lt_commit(lt_ctx *c, char *err, size_t n)
{
	int rc = 0;
	struct stat st;
	for (size_t i = 0; i < c->noutputs; i++) {
		if (lstat(c->outputs[i].tmp, &st) != 0)
			continue;   /* never created: its open failed and said so */
		if (rename(c->outputs[i].tmp, c->outputs[i].final) != 0) {
			if (rc == 0)
				snprintf(err, n, "cannot write %s: %s", c->outputs[i].final, strerror(errno));
			unlink(c->outputs[i].tmp);
			rc = -1;
		}
	}
	return rc;
}

/* Removes the temporary outputs and the directories made for them. */
void lt_rollback(lt_ctx *c)
{
	for (size_t i = 0; i < c->noutputs; i++)
		unlink(c->outputs[i].tmp);
	for (size_t i = c->nmadedirs; i-- > 0; )
		rmdir(c->madedirs[i]);
}

/* ---------------------------------------------------------------------- */
/* Limits: memory and time                                                */
/* ---------------------------------------------------------------------- */

/* The allocator with a cap. Shrinking never fails, as Lua requires; growing past
 * the cap returns NULL, which Lua turns into "not enough memory" after one
 * emergency collection. */
static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
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
static void sb_hook(lua_State *L, lua_Debug *ar)
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

static int sb_pcall(lua_State *L)
{
	int status;
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finishpcall);
	return finishpcall(L, status, 0);
}

static int sb_xpcall(lua_State *L)
{
	int status, n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);   /* true, f below f's arguments */
	status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finishpcall);
	return finishpcall(L, status, 2);
}

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
static int sb_load(lua_State *L)
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

static int sb_loadfile(lua_State *L)
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

static int sb_dofile(lua_State *L)
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
static int sb_require(lua_State *L)
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
		for (size_t i = 0; i < c->nplugindirs; i++) {
			luaL_addstring(&b, i ? ", " : "");
			luaL_addstring(&b, c->plugindirs[i]);
		}
		luaL_pushresult(&b);
		return luaL_error(L, "module '%s' not found: require loads only Lua files from the "
		                  "plugin directories (%s)", name, lua_tostring(L, -1));
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
	if (!lua_istable(L, -1) || lua_getfield(L, -1, "run") != LUA_TFUNCTION)
		return luaL_error(L, "plugin %s must return a table with a run function", path);
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
		o = pending(lt_getctx(L), abs);
		lua_pushstring(L, o ? o->tmp : abs);
		free(abs);
		old = lua_tostring(L, -1);
		real = lt_checkoutpath(L, path);
		if (mode[0] != 'w' && copyfile(old, real) != 0)
			return luaL_fileresult(L, 0, path);
		lua_pop(L, 1);
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
		return callorig(L, path, lt_checkoutpath(L, path));
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

/* Opens the libraries a script sees (run protected: it allocates). */
static int sb_openlibs(lua_State *L)
{
	int unsafe = lt_getctx(L)->unsafe;
	if (unsafe) {
		luaL_openlibs(L);
		lua_getglobal(L, "io");
		sandbox_io(L, 1);
		lua_pop(L, 1);
		/* require also finds Lua modules in the plugin directories */
		lt_ctx *c = lt_getctx(L);
		lua_getglobal(L, "package");
		luaL_Buffer b;
		luaL_buffinit(L, &b);
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

	luaL_requiref(L, "tally", luaopen_tally, 1);
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
		return NULL;
	*(lt_ctx **)lua_getextraspace(L) = c;
	lua_atpanic(L, sb_panic);
	lua_pushcfunction(L, sb_openlibs);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
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
	}
	lua_setmetatable(L, -2);
	return lua_error(L);
}
