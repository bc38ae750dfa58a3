-- luarocks make: builds tally.so (and the tally program) with the Makefile and
-- installs them into the rock tree. tally's data, plugins and lib/ go to the rock's
-- own share/tally, which the module and the program are built to find.
rockspec_format = "3.0"
package = "tally"
version = "0.1.0-1"
source = {
	url = "git+file:///work/main",
	tag = "v0.1.0",
}
description = {
	summary = "Report and statistics engine: columnar counting in C, charts and PDF reports",
	detailed = [[
tally loads CSV files of dated, categorised records into a columnar store and
counts, cross-tabulates, charts (cairo and pango) and reports on them. This rock
builds tally.so, the Lua 5.4 module (local tally = require "tally"), and the
tally command. It needs Debian's build dependencies: scripts/deps.sh.]],
}
dependencies = {
	"lua >= 5.4, < 5.5",
}
build = {
	type = "make",
	build_target = "programs",
	build_variables = {
		PREFIX = "$(PREFIX)",
	},
	install_variables = {
		PREFIX = "$(PREFIX)",
		BINDIR = "$(BINDIR)",
		LUA_CMODDIR = "$(LIBDIR)",
	},
}
