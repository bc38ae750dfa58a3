/* tally.import: what an importer plugin needs from C.
 *
 *   tally.import.read(path)      -> {format = "pdf"|"html"|"text", text = ...}
 *   tally.import.fold(s)         -> s folded for matching ("Türkiye’s" -> "turkiye's")
 *   tally.import.places()        -> {folded place name = alpha-2 code}
 *   tally.import.countries()     -> {folded name = tally's name}, {alpha-2 = tally's name}
 *   tally.import.fail(message)   -> ends the run with status 2 (bad input)
 *
 * A file that cannot be read as text (not a PDF, encrypted, no text layer, empty,
 * a page without an article) is a data error: the run ends with status 2 and
 * the message names the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include "tally/import.h"
#include "tally/vocab.h"
#include "tally/ctx.h"
#include "lua/lua_int.h"
#include "lua/lua_tally.h"

#define IMP_PLACES "tally.import.places"   /* registry key of the cached place table */
#define IMP_BOX    "tally.import.box"

/* A userdata that owns one malloc'ed block, so that a raise between malloc and
 * free (pushing a string can run out of memory under --max-memory) leaks nothing:
 * the collector frees what the box still holds. */
static int box_gc(lua_State *L)
{
	char **p = luaL_checkudata(L, 1, IMP_BOX);
	free(*p);
	*p = NULL;
	return 0;
}

static char **newbox(lua_State *L)
{
	char **p = lua_newuserdatauv(L, sizeof *p, 0);
	*p = NULL;
	if (luaL_newmetatable(L, IMP_BOX)) {
		lua_pushcfunction(L, box_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return p;
}

/* Pushes len bytes of the boxed block as a string and frees the block. */
static void push_boxed(lua_State *L, char **box, size_t len)
{
	lua_pushlstring(L, *box, len);
	free(*box);
	*box = NULL;
}

/* Reads a whole file; NULL with err. */
static char *slurp(const char *path, const char *real, size_t *n, tl_error *err)
{
	FILE *f = fopen(real, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0;
	if (!f) {
		tl_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, (cap = cap ? 2 * cap : 65536) + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				tl_fail(err, path, 0, 0, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		tl_fail(err, path, 0, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*n = len;
	return buf;
}

/* Plain text: a BOM dropped, CR LF made LF, and it must be UTF-8. */
static char *text_clean(const char *path, char *buf, size_t n, size_t *len, tl_error *err)
{
	size_t i = 0, o = 0;
	if (n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < n; i++)
		if (!(buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n'))
			buf[o++] = buf[i];
	buf[o] = '\0';
	size_t fl;
	char *probe = imp_fold(buf, o, &fl);   /* NULL also when the text is not UTF-8 */
	if (!probe) {
		tl_fail(err, path, 0, 0, "not UTF-8 text (save it as UTF-8, or give the PDF)");
		return NULL;
	}
	free(probe);
	*len = o;
	return buf;
}

/* tally.import.read(path) */
static int imp_read(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	const char *real = lt_checkreadpath(L, path);
	tl_error err;
	size_t n = 0, len = 0;
	char *buf, *text = NULL;
	char msg[1400];
	tl_impformat fmt = TL_IMP_TEXT;
	char **box = newbox(L);
	tl_error_clear(&err);
	if ((buf = slurp(path, real, &n, &err)) != NULL) {
		size_t blank = 0;
		while (blank < n && (buf[blank] == ' ' || buf[blank] == '\n' || buf[blank] == '\r' || buf[blank] == '\t'))
			blank++;
		fmt = imp_sniff(path, buf, n);
		if (blank == n)
			tl_fail(&err, path, 0, 0, "the file is empty");
		else if (fmt == TL_IMP_PDF)
			text = imp_pdf_text(path, buf, n, &len, &err);
		else if (fmt == TL_IMP_HTML)
			text = imp_html_text(path, buf, n, &len, &err);
		else
			text = text_clean(path, buf, n, &len, &err);
		if (text != buf)
			free(buf);
	}
	if (!text)   /* nothing malloc'ed is held past this point */
		return lt_dataerror(L, "%s", tl_error_str(&err, msg, sizeof msg));
	*box = text;
	lua_createtable(L, 0, 2);
	lua_pushstring(L, imp_format_name(fmt));
	lua_setfield(L, -2, "format");
	push_boxed(L, box, len);
	lua_setfield(L, -2, "text");
	return 1;
}

/* tally.import.fold(s) */
static int imp_fold_l(lua_State *L)
{
	size_t n, len;
	const char *s = luaL_checklstring(L, 1, &n);
	char **box = newbox(L);
	if (!(*box = imp_fold(s, n, &len)))
		return luaL_argerror(L, 1, "not UTF-8 text");
	push_boxed(L, box, len);
	return 1;
}

static void place_cb(void *ud, const char *name, const char *alpha2)
{
	lua_State *L = ud;
	lua_pushstring(L, alpha2);
	lua_setfield(L, -2, name);
}

/* tally.import.places(): built once per run, then the same table. */
static int imp_places_l(lua_State *L)
{
	tl_error err;
	char msg[1400];
	if (lua_getfield(L, LUA_REGISTRYINDEX, IMP_PLACES) == LUA_TTABLE)
		return 1;
	lua_pop(L, 1);
	lua_createtable(L, 0, 8192);
	tl_error_clear(&err);
	if (imp_places(place_cb, L, &err) < 0)
		return lt_dataerror(L, "%s", tl_error_str(&err, msg, sizeof msg));
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, IMP_PLACES);
	return 1;
}

/* t[fold(key)] = name, t at -2 below the box at -1. */
static void put_folded(lua_State *L, char **box, const char *key, const char *name)
{
	size_t len;
	if (!key || !(*box = imp_fold(key, strlen(key), &len)))
		return;
	push_boxed(L, box, len);
	lua_pushstring(L, name);
	lua_settable(L, -4);
}

/* tally.import.countries(): names by folded spelling, names by alpha-2 code. */
static int imp_countries(lua_State *L)
{
	tl_error err;
	char msg[1400];
	const tl_vocab *v;
	tl_error_clear(&err);
	if (!lt_tlctx(L) || !(v = tl_ctx_vocab(lt_tlctx(L), &err)))
		return lt_dataerror(L, "%s", tl_error_str(&err, msg, sizeof msg));
	size_t n = vocab_ncountries(v);
	lua_createtable(L, 0, (int)(2 * n));
	lua_createtable(L, 0, (int)n);
	for (size_t i = 0; i < n; i++) {
		const tl_country *c = vocab_country_at(v, i);
		lua_pushstring(L, c->name);
		lua_setfield(L, -2, c->alpha2);
		lua_pushvalue(L, -2);
		char **box = newbox(L);
		put_folded(L, box, c->name, c->name);
		put_folded(L, box, c->iso_name, c->name);
		lua_pop(L, 2);
	}
	return 2;
}

/* tally.import.fail(message): ends the run as a data error (status 2), the way a
 * file that cannot be read does. */
static int imp_fail(lua_State *L)
{
	return lt_dataerror(L, "%s", luaL_checkstring(L, 1));
}

static const luaL_Reg import_funcs[] = {
	{"fail", imp_fail},
	{"read", imp_read},
	{"fold", imp_fold_l},
	{"places", imp_places_l},
	{"countries", imp_countries},
	{NULL, NULL}
};

void lt_open_import(lua_State *L, int idx)
{
	luaL_newlib(L, import_funcs);
	lua_setfield(L, idx, "import");
}
