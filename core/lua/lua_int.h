/* Private to the Lua files (lua_run.c, the sandbox's and the bindings' files): the state of
 * one run of a script, the sandbox and the module's entry points. */
#ifndef TALLY_LUA_INT_H
#define TALLY_LUA_INT_H

#include <stddef.h>
#include <time.h>
#include <lua.h>
#include "tally/load.h"
#include "lua/lua_status.h"

#define SB_HOOKCOUNT 1000   /* instructions between looks at the clock */
#define LT_DECLARED "tally.declared"    /* registry: the option names the script or plugin declared */
#define LT_DATAERROR "tally.DataError"  /* metatable of errors that end a run with their .status (default 2),
                                          printed without a traceback */

/* One output a script writes: to tmp while it runs, renamed to final on success. */
typedef struct lt_output {
	char       *final, *tmp;
	const void *stream;   /* the Lua file handle writing tmp, to find it on close */
	int         failed;   /* errno of a failed write or close; the run cannot commit */
} lt_output;

/* Everything a run knows besides the Lua state; lives in C, outlives lua_close. */
typedef struct lt_ctx {
	tl_ctx      *tl;              /* the library's context: home, cache, vocabulary */
	int          unsafe;          /* --unsafe: no sandbox (limits still apply) */
	int          allow_empty;     /* --allow-empty: ds:where is not strict by default */
	int          atonce;          /* tally.so: no run to end, so each output is renamed
	                                 into place as soon as it is complete (lt_settle) */
	/* limits */
	size_t       mem_cap;         /* bytes; 0 = none */
	size_t       mem_used;        /* held by the Lua allocator */
	size_t       mem_ext;         /* held by C objects Lua owns (datasets) */
	int          mem_refused;     /* the allocator said no at least once */
	int          mem_over;        /* C memory past the cap: the run ends, pcall or not */
	double       timeout;         /* seconds; 0 = none */
	struct timespec deadline;
	int          timed_out;
	volatile int reported;        /* the host has printed how the run ended */
	/* command line */
	const char  *script;          /* the script's path, or the plugin's name */
	char        *out;             /* --out, absolute; NULL when not given */
	char       **reads;           /* absolute paths a sandboxed script may read under */
	size_t       nreads;
	char       **plugindirs;      /* TALLY_PLUGIN_PATH, then the home's plugins/ */
	size_t       nplugindirs;
	char       **libdirs;         /* TALLY_LIB_PATH, then the home's lib/: helpers require finds */
	size_t       nlibdirs;
	const char **data;            /* --data paths, in order */
	size_t       ndata;
	tl_load_opts opts;            /* the loading options given on the command line */
	/* the filters given on the command line (argv strings): tally.data() keeps the
	 * records count would keep with them, save a period option the script declares */
	const char **where;           /* --where FIELD=VALUE, in order */
	size_t       nwhere;
	const char  *from, *to, *quarter;
	int          filtered;        /* tally.data() has applied them */
	/* outputs written so far; directories made for them */
	lt_output   *outputs;
	size_t       noutputs, outcap;
	char       **madedirs;
	size_t       nmadedirs;
	int          mkdir_errno;     /* why the last output's directory could not be made */
	char         checked[4096];   /* the last path lt_checkreadpath let through, resolved */
} lt_ctx;

/* the sandbox: lua_paths.c (context, paths, outputs), lua_limits.c, lua_plugins.c
 * (loading code), lua_sandbox.c (libraries, the state) */
void        lt_ctx_init(lt_ctx *c, tl_ctx *tl);
void        lt_ctx_free(lt_ctx *c);
int         lt_ctx_addread(lt_ctx *c, const char *path);
int         lt_ctx_plugindirs(lt_ctx *c);   /* fills plugindirs and libdirs */
lua_State  *lt_newstate(lt_ctx *c);            /* allocator with the cap, hook, libraries */
void        lt_setctx(lua_State *L, lt_ctx *c);   /* allocates: call it protected */
lt_ctx     *lt_getctx(lua_State *L);
char       *lt_abspath(const char *path);      /* malloc'ed, lexically normalised */
const char *lt_checkreadpath(lua_State *L, const char *path);
int         lt_loadfile(lua_State *L, const char *path);  /* text chunk with its own _ENV */
int         lt_newenv(lua_State *L);           /* pushes a fresh _ENV over the globals */
int         lt_plugin_find(lt_ctx *c, const char *name, char *buf, size_t n);
int         lt_plugin_push(lua_State *L, const char *name);  /* the plugin's table, cached */
int         lt_commit(lt_ctx *c, char *err, size_t n);   /* all outputs, or none */
void        lt_outputstream(lt_ctx *c, const char *tmp, const void *stream);
lt_output  *lt_streamoutput(lt_ctx *c, const void *stream);   /* NULL when none */
void        lt_rollback(lt_ctx *c);
int         lt_settle(lt_ctx *c, int ok, char *err, size_t n);   /* atonce: commit or drop now */
void        lt_charge(lua_State *L, size_t bytes); /* counts C memory against the cap, or raises */
void        lt_discharge(lua_State *L, size_t bytes);
void        lt_loadcap_begin(lua_State *L);    /* caps the context's tl_mem for a load */
void        lt_loadcap_end(lua_State *L, unsigned long refusals, int failed);   /* raises when the cap failed it */
void        lt_timer_start(lua_State *L, lt_ctx *c);   /* the wall clock behind --timeout */
void        lt_timer_stop(void);
int         lt_dataerror(lua_State *L, const char *fmt, ...);

/* lua_options.c */
int         lt_failure(lua_State *L, int status, const char *fmt, ...);  /* raises; status 0..3 */
void        lt_check_options(lua_State *L, int spec, int args, const char *who, const char *const *also);
void        lt_print_options(lua_State *L, int spec, const char *who, const char *description);
void        lt_open_options(lua_State *L, int idx);   /* tally.options, tally.suggest, tally.fail */
void        lt_plugin_options(lua_State *L, int idx, const char *name);  /* checks tally.args, or --help */
char       *lt_plugin_suggest(lt_ctx *c, const char *name, char *buf, size_t n);

/* Shared among the sandbox's files only. */
int                sb_under(const char *path, const char *root);   /* path is root or below */
const lt_output   *sb_pending(const lt_ctx *c, const char *abs);    /* a pending output, or NULL */
void              *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize);  /* capped */
void               sb_hook(lua_State *L, lua_Debug *ar);           /* the time limit */
int                sb_pcall(lua_State *L);     /* pcall and xpcall that rethrow the limits */
int                sb_xpcall(lua_State *L);
int                sb_load(lua_State *L);      /* load, loadfile, dofile, require: text only, */
int                sb_loadfile(lua_State *L);  /* from allowed places */
int                sb_dofile(lua_State *L);
int                sb_require(lua_State *L);

/* lua_tally.c, lua_dataset.c */
int         lt_open_tally(lua_State *L);    /* the module table, pushed */
int         lt_pushdataset(lua_State *L, size_t i);   /* tally.data(i+1), or raises */
int         lt_pushfilter(lua_State *L);              /* tally.where(): the command line's filters */
const char *lt_cli_period(const lt_ctx *c, const char *name);   /* --quarter/--from/--to, or NULL */
void        lt_print(lua_State *L, int idx);          /* prints a value the way eval shows it */

#endif
