/* The Lua API surface, in the sandbox. The input is read as a program: each
 * pair of bytes (op, arg) becomes one statement from a table of calls on the
 * datasets, views, counts and tables made so far, with fields, values and keys
 * chosen by arg (or cut from the input itself). Every statement runs under
 * pcall, so an error in one leaves the rest to run; collectgarbage calls and
 * filters that collect while C iterates are among the statements. The script
 * runs as `tally run --data tests/fixtures/lua-digest.csv` would run it, under
 * the sandbox and a memory cap, without a time limit (no statement loops).
 * Inputs are at most 512 bytes, some 250 statements (tests/fuzz/lua.options):
 * libFuzzer lets inputs grow to 4 KiB, and at 2000 statements an input took
 * 10 ms under the sanitizers, so that a million of them took most of a day. */
#include <string.h>
#include <lauxlib.h>
#include "fuzz.h"
#include "lua/lua_int.h"
#include "tally/ctx.h"

static const char *const fields[] = {"kind", "dimension", "countries", "month", "quarter", "year", "lead",
                                     "format", "id", "nope", "date", "organizations", "title", "participants"};
static const char *const values[] = {"\"article\"", "\"NCT\"", "\"Turkey\"", "\"China\"", "\"2023Q2\"", "\"human\"",
                                     "{\"human\", \"economic\"}", "\"2023-05\"", "\"\"", "{}", "tally.date(\"2023-04-10\")",
                                     "\"SG\"", "42", "\"Việt Nam\"", "\"2023\"", "nil"};
static const char *const stmts[] = {
	"v[#v+1] = V:where{[F] = X}",
	"c[#c+1] = V:count(F)",
	"c[#c+1] = V:crosstab(F, G)",
	"c[#c+1] = C:top(N)",
	"c[#c+1] = C:top(N, S)",
	"c[#c+1] = C:sorted(F, N % 2 == 0)",
	"_ = C:total(), C:share(S), C:get(S), #C",
	"for k, n in C:pairs() do _ = k end",
	"_ = tally.date(S)",
	"_ = tally.quarter(S)",
	"_ = tally.country(S)",
	"v[#v+1] = V:filter(function(r) collectgarbage() return r.kind == X end)",
	"collectgarbage()",
	"c[#c+1] = C:diff(D)",
	"for r in V:records() do _ = r.id end",
	"_ = V:span(), #V, tostring(V), V:fields()",
	"_ = C:rows(), C:keys(), C:info()",
	"for k in C:keys() do collectgarbage() end",
	"v[#v+1] = tally.load(\"tests/fixtures/lua-digest.csv\", {skip_bad = true, na = {S}})",
	"v[#v+1] = V:where{from = S, to = X}",
	"_ = C:get(N, N), C:cols(), C:share(S)",
	"v[#v] = nil; c[#c] = nil; collectgarbage()",
	"_ = tally.date(N, N % 13, N % 32) - tally.date(S)",
	"_ = tostring(C), tostring(tally.date(2023, N % 12 + 1))",
};

/* Appends s to b, replacing each upper-case placeholder. */
static void emit(luaL_Buffer *b, const char *s, int arg, const char *str)
{
	char num[32];
	for (; *s; s++) {
		switch (*s) {
		case 'V': luaL_addstring(b, "v[1 + "); snprintf(num, sizeof num, "%d", arg % 7); luaL_addstring(b, num); luaL_addstring(b, " % #v]"); break;
		case 'C': case 'D': luaL_addstring(b, "c[1 + "); snprintf(num, sizeof num, "%d", *s == 'C' ? arg % 5 : arg / 5 % 5);
			luaL_addstring(b, num); luaL_addstring(b, " % #c]"); break;
		case 'F': luaL_addstring(b, "\""); luaL_addstring(b, fields[arg % 14]); luaL_addstring(b, "\""); break;
		case 'G': luaL_addstring(b, "\""); luaL_addstring(b, fields[arg / 14 % 14]); luaL_addstring(b, "\""); break;
		case 'X': luaL_addstring(b, values[arg % 16]); break;
		case 'N': snprintf(num, sizeof num, "%d", arg - 40); luaL_addstring(b, num); break;
		case 'S': luaL_addstring(b, str); break;
		default: luaL_addchar(b, *s);
		}
	}
}

/* The script for data: a string literal cut from the input (escaped), then the
 * statements. */
static int build(lua_State *L)
{
	const uint8_t *data = lua_touserdata(L, 1);
	size_t size = (size_t)lua_tointeger(L, 2), cut = size > 16 ? data[0] % 16 : 0;
	luaL_Buffer b, lit;
	luaL_buffinit(L, &lit);
	luaL_addchar(&lit, '"');
	for (size_t i = 1; i <= cut && i < size; i++) {
		char e[8];
		snprintf(e, sizeof e, "\\%03u", data[i]);
		luaL_addstring(&lit, e);
	}
	luaL_addchar(&lit, '"');
	luaL_pushresult(&lit);
	const char *str = lua_tostring(L, -1);
	luaL_buffinit(L, &b);
	luaL_addstring(&b, "local v, c = {tally.data()}, {}\n");
	for (size_t i = 1 + cut; i + 1 < size; i += 2) {
		luaL_addstring(&b, "pcall(function() ");
		emit(&b, stmts[data[i] % (sizeof stmts / sizeof *stmts)], data[i + 1], str);
		luaL_addstring(&b, " end)\n");
	}
	luaL_pushresult(&b);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char fixture[] = "tests/fixtures/lua-digest.csv";
	static tl_ctx tl;   /* one for the process: the vocabulary is read once */
	static int tl_ready;
	lt_ctx c;
	lua_State *L;
	if (size > 512) return 0;   /* tests/fuzz/lua.options: -max_len=512 */
	if (!tl_ready) {
		tl_ctx_init(&tl, ".");
		tl_ready = 1;
	}
	lt_ctx_init(&c, &tl);
	c.opts.no_cache = 1;
	c.mem_cap = (size_t)256 << 20;
	c.script = "fuzz";
	if (!(c.data = malloc(sizeof *c.data))) return 0;   /* lt_ctx_free frees the list */
	c.data[0] = fixture;
	c.ndata = 1;
	if (lt_ctx_addread(&c, fixture) == 0 && (L = lt_newstate(&c))) {
		lua_pushcfunction(L, build);
		lua_pushlightuserdata(L, (void *)data);
		lua_pushinteger(L, (lua_Integer)size);
		if (lua_pcall(L, 2, 1, 0) == LUA_OK) {
			size_t n;
			const char *src = lua_tolstring(L, -1, &n);
			if (getenv("FUZZ_LUA_PRINT")) fputs(src, stderr);   /* to read what a crasher ran */
			int rc = luaL_loadbuffer(L, src, n, "=fuzz");
			fuzz_assert(rc == LUA_OK || rc == LUA_ERRMEM, "the generated script does not compile");
			if (rc == LUA_OK) lua_pcall(L, 0, 0, 0);
		}
		lua_close(L);
	}
	lt_rollback(&c);
	lt_ctx_free(&c);
	return 0;
}
