/* The sandbox's run context and paths: where a script may read, where it may
 * write (outputs go to temporary files, renamed when the run succeeds, removed with
 * the directories made for them when it fails). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include <lua.h>
#include <lauxlib.h>

#include "tally/outfile.h"
#include "lua/lua_int.h"
#include "lua/lua_tally.h"

/* ---------------------------------------------------------------------- */
/* The run context                                                        */
/* ---------------------------------------------------------------------- */

void lt_ctx_init(lt_ctx *c, tl_ctx *tl)
{
	memset(c, 0, sizeof *c);
	c->tl = tl;
	tl_load_opts_init(&c->opts);
	c->opts.ctx = tl;
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
	freelist(c->libdirs, c->nlibdirs);
	for (size_t i = 0; i < c->noutputs; i++) {
		free(c->outputs[i].final);
		free(c->outputs[i].tmp);
	}
	free(c->outputs);
	freelist(c->madedirs, c->nmadedirs);
	free(c->data);
	free(c->where);
	c->where = NULL;
	c->nwhere = 0;
	c->out = NULL;
	c->reads = c->plugindirs = c->libdirs = c->madedirs = NULL;
	c->outputs = NULL;
	c->data = NULL;
	c->nreads = c->nplugindirs = c->nlibdirs = c->noutputs = c->outcap = c->nmadedirs = c->ndata = 0;
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

/* The directories of a colon-separated path variable, then the home's sub, onto
 * *v: the user's come first so that they can replace a bundled one. */
static int pathdirs(lt_ctx *c, const char *var, const char *sub, char ***v, size_t *n)
{
	const char *env = getenv(var);
	char buf[4096];
	while (env && *env) {
		size_t k = strcspn(env, ":");
		if (k > 0 && k < sizeof buf) {
			memcpy(buf, env, k);
			buf[k] = '\0';
			if (pushlist(v, n, lt_abspath(buf)) < 0)
				return -1;
		}
		env += k + (env[k] == ':');
	}
	if (snprintf(buf, sizeof buf, "%s/%s", c->tl->home, sub) >= (int)sizeof buf)
		return -1;   /* a home that long has no directory we could name */
	return pushlist(v, n, lt_abspath(buf));
}

/* Plugins: TALLY_PLUGIN_PATH, then plugins/; helpers for scripts and plugins:
 * TALLY_LIB_PATH, then lib/. */
int lt_ctx_plugindirs(lt_ctx *c)
{
	if (pathdirs(c, "TALLY_PLUGIN_PATH", "plugins", &c->plugindirs, &c->nplugindirs) < 0)
		return -1;
	return pathdirs(c, "TALLY_LIB_PATH", "lib", &c->libdirs, &c->nlibdirs);
}

/* In the registry, not the state's extra space: tally.so runs in a host whose
 * extra space is its own. Keyed by an address, so that reading it (in the hook, in
 * every path check) allocates nothing. */
static const char runkey;

void lt_setctx(lua_State *L, lt_ctx *c)
{
	lua_pushlightuserdata(L, c);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &runkey);
}

lt_ctx *lt_getctx(lua_State *L)
{
	lt_ctx *c;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &runkey);
	c = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return c;
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
int sb_under(const char *path, const char *root)
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
	if (!sb_under(abs, root))
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
	ok = rpath == NULL || sb_under(rpath, rroot);
	free(rpath);
	free(probe);
	free(rroot);
	return ok;
}

/* The pending output whose final name is abs, latest first; NULL when none. */
const lt_output *sb_pending(const lt_ctx *c, const char *abs)
{
	for (size_t i = c->noutputs; i-- > 0; )
		if (strcmp(c->outputs[i].final, abs) == 0)
			return &c->outputs[i];
	return NULL;
}

/* Whether the kernel, opening rel below the directory root, stays below it: openat2
 * with RESOLVE_BENEATH refuses "..", absolute and escaping links on the way (glibc
 * 2.36 has no wrapper). O_PATH opens nothing (a FIFO would block a read open).
 * 1 below, 0 not, -1 when openat2 is missing (ENOSYS) or filtered (EPERM). */
static int kernel_beneath(const char *root, const char *rel)
{
	struct open_how how;
	int dfd, fd, e;
	memset(&how, 0, sizeof how);
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	if ((dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	fd = (int)syscall(SYS_openat2, dfd, *rel ? rel : ".", &how, sizeof how);
	e = errno;
	close(dfd);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return e == ENOSYS || e == EPERM ? -1 : 0;
}

/* Whether real (a path realpath resolved) lies below one of the roots, asked of
 * the kernel when it can answer. */
static int real_under(const char *real, char **roots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *rroot = realpath(roots[i], NULL);
		int ok = 0;
		if (rroot && sb_under(real, rroot)) {
			size_t k = strlen(rroot);
			const char *rel = real + k + (real[k] == '/');
			if (k == 1)
				rel = real + 1;   /* the root is "/" */
			/* the root itself (a --data or --allow-read file) is what was given;
			 * below it, the kernel's answer, or without openat2 realpath's, a
			 * name with no link left */
			ok = *rel == '\0' || kernel_beneath(rroot, rel) != 0;
		}
		free(rroot);
		if (ok)
			return 1;
	}
	return 0;
}

/* The path a script may read: refused outside the --data files, --out, the plugin
 * directories and --allow-read unless --unsafe. A file the script wrote earlier in
 * the run is read from its temporary copy. Raises on refusal.
 *
 * The check and the open must see the same file. "ALLOWED/link/../etc/passwd" is
 * ALLOWED/etc/passwd by name but /etc/passwd to the kernel when link points to /:
 * so an existing file is judged where realpath says it is (and openat2 confirms
 * it below the root), and that resolved name, with no link or ".." left in it, is
 * what the caller opens. A file that does not exist is judged and opened by its
 * name with ".." taken away, so its open cannot go through a link either. */
const char *lt_checkreadpath(lua_State *L, const char *path)
{
	lt_ctx *c = lt_getctx(L);
	char *abs = lt_abspath(path), *real;
	const lt_output *o;
	int ok;
	if (abs == NULL) {
		luaL_error(L, "cannot resolve path '%s': %s", path, strerror(errno));
		return NULL;
	}
	ok = c->unsafe || (c->out && under_real(abs, c->out));
	o = ok ? sb_pending(c, abs) : NULL;
	if (o || c->unsafe) {
		free(abs);
		return o ? o->tmp : path;
	}
	if ((real = realpath(path, NULL)) != NULL) {
		char *out = c->out;
		ok = (out && real_under(real, &out, 1)) || real_under(real, c->reads, c->nreads)
		     || real_under(real, c->plugindirs, c->nplugindirs)
		     || real_under(real, c->libdirs, c->nlibdirs);
	} else {
		for (size_t i = 0; !ok && i < c->nreads; i++)
			ok = under_real(abs, c->reads[i]);
		for (size_t i = 0; !ok && i < c->nplugindirs; i++)
			ok = under_real(abs, c->plugindirs[i]);
		for (size_t i = 0; !ok && i < c->nlibdirs; i++)
			ok = under_real(abs, c->libdirs[i]);
	}
	if (ok)
		snprintf(c->checked, sizeof c->checked, "%s", real ? real : abs);
	free(real);
	free(abs);
	if (!ok)
		luaL_error(L, "cannot read '%s': the sandbox reads only the --data files, --out, "
		           "the plugin directories and --allow-read directories", path);
	if (strlen(c->checked) + 1 >= sizeof c->checked)
		luaL_error(L, "cannot read '%s': the path is too long", path);
	return c->checked;
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
	/* a directory that cannot be made is left for the caller's open to report,
	 * with the reason kept for it */
	c->mkdir_errno = 0;
	if (slash != abs && makedirs(c, abs) != 0)
		c->mkdir_errno = errno;
	else if (slash != abs)
		outfile_clean_stale(abs);
	*slash = '/';
	/* a hidden name beside the output, so the rename stays on one file system */
	if ((tmp = outfile_tmpname(abs)) == NULL) {
		free(abs);
		luaL_error(L, "not enough memory");
		return NULL;
	}
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
	c->outputs[c->noutputs].stream = NULL;
	c->outputs[c->noutputs].failed = 0;
	return c->outputs[c->noutputs++].tmp;
}

void lt_outputstream(lt_ctx *c, const char *tmp, const void *stream)
{
	for (size_t i = c->noutputs; i-- > 0; )
		if (strcmp(c->outputs[i].tmp, tmp) == 0) {
			c->outputs[i].stream = stream;
			return;
		}
}

lt_output *lt_streamoutput(lt_ctx *c, const void *stream)
{
	for (size_t i = c->noutputs; i-- > 0; )
		if (c->outputs[i].stream == stream)
			return &c->outputs[i];
	return NULL;
}

/* Renames every output into place, in the order they were opened (so the last
 * write of a path wins). An output never created is skipped. One that failed to
 * be written (a full disk the script did not check for) fails the whole run
 * before anything is renamed: the outputs of a run appear together or not at all. */
int lt_commit(lt_ctx *c, char *err, size_t n)
{
	int rc = 0;
	struct stat st;
	for (size_t i = 0; i < c->noutputs; i++)
		if (c->outputs[i].failed) {
			snprintf(err, n, "cannot write %s: %s", c->outputs[i].final, strerror(c->outputs[i].failed));
			lt_rollback(c);
			return -1;
		}
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

/* tally.so has no run whose end commits the outputs (atonce): there the output
 * just written is renamed into place when ok, its temporary removed when not, and
 * forgotten. 0, or -1 with the reason in err. A run of tally keeps its outputs
 * pending for lt_commit. */
int lt_settle(lt_ctx *c, int ok, char *err, size_t n)
{
	int rc = 0;
	if (!c->atonce)
		return 0;
	if (ok)
		rc = lt_commit(c, err, n);
	else
		lt_rollback(c);
	for (size_t i = 0; i < c->noutputs; i++) {
		free(c->outputs[i].final);
		free(c->outputs[i].tmp);
	}
	c->noutputs = 0;
	for (size_t i = 0; i < c->nmadedirs; i++)
		free(c->madedirs[i]);
	c->nmadedirs = 0;
	return rc;
}
