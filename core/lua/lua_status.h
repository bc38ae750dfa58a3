/* How a run of tally ends: the exit statuses the command returns and a script's
 * failure (tally.fail, a data error) asks for. Private to core/lua and core/cli. */
#ifndef TALLY_LUA_STATUS_H
#define TALLY_LUA_STATUS_H

enum { TL_EXIT_OK = 0, TL_EXIT_USAGE = 1, TL_EXIT_DATA = 2, TL_EXIT_SCRIPT = 3 };

#endif
