/* The contract between the Lua bindings' files (lua_tally.c, lua_chart.c, ...). */
#ifndef TALLY_LUA_TALLY_H
#define TALLY_LUA_TALLY_H

#include <lua.h>
#include <lauxlib.h>
#include "tally/aggregate.h"

#define LT_DATASET "tally.Dataset"
#define LT_COUNTS  "tally.Counts"
#define LT_TABLE   "tally.Table"
#define LT_CHART   "tally.Chart"
#define LT_REPORT  "tally.Report"
#define LT_PAGE    "tally.Page"

/* The Counts or Table at index i, or raise an argument error. (lua_tally.c) */
tl_counts *lt_checkcounts(lua_State *L, int i);
tl_xtab   *lt_checkxtab(lua_State *L, int i);
tl_counts *lt_tocounts(lua_State *L, int i);   /* NULL when not a Counts */
tl_xtab   *lt_toxtab(lua_State *L, int i);     /* NULL when not a Table */

/* Sandbox-aware output: the path where a script may write, or raise. Returns the
 * real path to open (lua_sandbox.c). Outputs are written to path.tmp and renamed. */
const char *lt_checkoutpath(lua_State *L, const char *path);

/* Pushes the table of chart constructors (bar, line, donut, heatmap, table) and
 * sets tally.report; called by luaopen_tally (lua_chart.c). */
int luaopen_tally_chart(lua_State *L);
/* Adds tally.report to the module table at index idx (lua_chart.c). */
void lt_open_report(lua_State *L, int idx);
/* Adds tally.import, the helpers of importer plugins (lua_import.c). */
void lt_open_import(lua_State *L, int idx);

#endif
