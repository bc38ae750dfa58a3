/* The contract between the Lua bindings' files: the module (lua_tally.c), datasets
 * (lua_dataset.c), counts and tables (lua_counts.c), dates (lua_date.c), charts
 * (lua_chart.c) and reports (lua_report.c). */
#ifndef TALLY_LUA_TALLY_H
#define TALLY_LUA_TALLY_H

#include <lua.h>
#include <lauxlib.h>
#include <stdio.h>
#include "tally/count.h"
#include "tally/chart.h"
#include "tally/ctx.h"

#define LT_DATASET "tally.Dataset"
#define LT_COUNTS  "tally.Counts"
#define LT_TABLE   "tally.Table"
#define LT_DIFF    "tally.Diff"
#define LT_CHART   "tally.Chart"
#define LT_REPORT  "tally.Report"
#define LT_PAGE    "tally.Page"
#define LT_DATE    "tally.Date"

/* A Dataset owns its store; a view (view = 1) points into the store of the
 * Dataset held as its user value, through the rows of sel. */
typedef struct lt_dataset {
	tl_store *store;     /* NULL for a view, or once collected */
	tl_sel    sel;
	int       view;
	tl_date   from, to;  /* a view's date range: months with no record still count 0 */
} lt_dataset;          /* a store counts against --max-memory through the context's tl_mem */

/* A keyed result: a Counts (one dimension), a Table (two) or a Diff (a Counts of
 * changes); one userdata for all three, told apart by their metatables. */
typedef struct lt_keyed {
	tl_counts *c;        /* the rows: keys, and the counts of a Counts or Diff */
	tl_xtab   *x;        /* a Table's cross-tab, whose rows c is; NULL otherwise */
	int64_t   *before;   /* a Diff's earlier count per row; c's counts are the change */
	int64_t    base_records, base_mentions, base_missing;   /* a Diff: the earlier count's
	                        totals (c's are the later one's) */
	size_t     charged;  /* bytes counted against --max-memory, given back by __gc */
} lt_keyed;

#define todataset(L, i) ((lt_dataset *)luaL_checkudata(L, i, LT_DATASET))
#define todate(L, i)    (*(tl_date *)luaL_checkudata(L, i, LT_DATE))

/* The library's context the bindings load and look up countries with: set by
 * whoever makes the state, read by the types (lua_tally.c). NULL when none. */
void    lt_settlctx(lua_State *L, tl_ctx *c);
tl_ctx *lt_tlctx(lua_State *L);

/* As liolib.c:createmeta: metamethods in the metatable, methods as its __index
 * (lua_tally.c). */
void lt_createmeta(lua_State *L, const char *name, const luaL_Reg *meta, const luaL_Reg *methods);
/* The temporary file for an output path (sandbox-checked; raises when refused), or
 * NULL with errno; lt_closeoutput ends it: true, or nil and a message (lua_tally.c). */
FILE *lt_openoutput(lua_State *L, const char *path);
int   lt_closeoutput(lua_State *L, FILE *f, const char *path);
/* The same for a stream registered under another key (the sandbox's io files):
 * flush and close f, mark o (which may be NULL) failed on error; path may be NULL. */
struct lt_output;
int   lt_finishoutput(lua_State *L, FILE *f, struct lt_output *o, const char *path);

/* Each type's metatables; dataset and date add their functions to the module table
 * at the top of the stack (lua_dataset.c, lua_counts.c, lua_date.c). */
void lt_open_dataset(lua_State *L);
void lt_open_counts(lua_State *L);
void lt_open_date(lua_State *L);

/* New empty Counts and Table userdata, pushed (lua_counts.c). */
lt_keyed  *lt_newcounts(lua_State *L);
/* 1 when some record of the Dataset at ds holds value in field (a count of one of
 * its views may still have none), else -1 with err as where words it: "no record
 * has kind 'photoo' (nearest values held: ...)" (lua_dataset.c). */
int        lt_dataset_holds(lua_State *L, int ds, const char *field, const char *value, tl_error *err);
/* The records of the Dataset (or view) at ds that hold any of values (NULL-ended)
 * in field; -1 when memory runs out (lua_dataset.c). */
int64_t    lt_dataset_items_with(lua_State *L, int ds, const char *field, const char **values);
lt_keyed  *lt_newxtab(lua_State *L);   /* the caller sets x and c = x->rows */
void       lt_chargecounts(lua_State *L);  /* the result at the top, to --max-memory */
/* Prints the Counts or Table at idx as `tally count` does; 0 when it is neither. */
int        lt_printkeyed(lua_State *L, int idx);

/* Rows of keyed results, in C with no Lua call: -1 or NULL when out of memory, with
 * nothing left allocated (lua_keyed.c). */
int64_t lt_rowvalue(const lt_keyed *k, size_t i);   /* a count, or a Table row's sum */
size_t *lt_permutation(const lt_keyed *k, int bykey, int desc);   /* malloc'ed row order */
int     lt_keyed_select(lt_keyed *dst, const lt_keyed *src, const size_t *ix, size_t n, const char *other);
int     lt_keyed_diff(lt_keyed *dst, const tl_counts *a, const tl_counts *b);

/* A Date pushed; a date argument (a tally.Date or a string such as "2023-04-10"),
 * or raise (lua_date.c). */
void    lt_pushdate(lua_State *L, tl_date d);
tl_date lt_checkdate(lua_State *L, int i);

/* The Counts (or Diff) or Table at index i, or raise an argument error (lua_counts.c). */
tl_counts *lt_checkcounts(lua_State *L, int i);
tl_xtab   *lt_checkxtab(lua_State *L, int i);
tl_counts *lt_tocounts(lua_State *L, int i);   /* NULL when not a Counts or Diff */
tl_xtab   *lt_toxtab(lua_State *L, int i);     /* NULL when not a Table */

/* Sandbox-aware output: the path where a script may write, or raise. Returns the
 * real path to open (lua_paths.c). Outputs are written to path.tmp and renamed. */
const char *lt_checkoutpath(lua_State *L, const char *path);

/* Pushes the table of chart constructors (bar, line, donut, heatmap, table);
 * called by lt_open_tally (lua_chart.c). */
int luaopen_tally_chart(lua_State *L);
/* Adds tally.report to the module table at index idx (lua_report.c). */
void lt_open_report(lua_State *L, int idx);
/* Adds tally.import, the helpers of importer plugins (lua_import.c). */
void lt_open_import(lua_State *L, int idx);

/* Shared by the chart and report bindings (lua_chart.c): options checked by name
 * (a misspelt one would be ignored silently), a theme, a chart argument, a table
 * chart built from data and options (pushed), what a save returns. */
void        lt_check_keys(lua_State *L, int t, const char *const *known, const char *what);
const char *lt_opt_string(lua_State *L, int t, const char *k);
int         lt_opt_number(lua_State *L, int t, const char *k, double *out);
void        lt_read_theme(lua_State *L, int t, tl_theme *th);
tl_chart   *lt_checkchart(lua_State *L, int i);
tl_chart   *lt_pushtable(lua_State *L, int data, int opts);
const char *lt_ext_of(const char *path);
int         lt_saved(lua_State *L, const char *path, int rc, const tl_error *err);

#endif
