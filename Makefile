# tally: report and statistics engine (C core, Lua scripting, cairo charts)
#   make                 build ./tally and ./tally.so (the Lua 5.4 module)
#   make test            unit, command-line and Lua tests, plain and under ASan+UBSan
#   make SANITIZE=1      build the sanitizer binary build/san/tally
#   make install PREFIX=/usr/local DESTDIR=
#   make report          render the bundled quarterly report into reports/
#   make bench           benchmarks against Miller and DuckDB
#   make faults          allocation-failure sweep over every N (FAULT_STEP=k samples)
#   make eval-import     imports the seed issue (text and PDF) and scores it against data/

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
SHAREDIR  = $(PREFIX)/share/tally
LIBDIR    = $(PREFIX)/lib/tally
MANDIR    = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
LOCALEDIR = $(PREFIX)/share/locale
LUA_CMODDIR = $(PREFIX)/lib/lua/5.4
SANITIZE ?= 0

PKGS      = lua5.4 cairo pangocairo glib-2.0 json-c zlib poppler-glib libxml-2.0
CC       ?= cc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wmissing-prototypes \
            -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wno-format-nonliteral \
            -Iinclude -Icore -pthread -fPIC
# no interposition: calls inside the program and inside a module stay direct
CFLAGS   += -fno-semantic-interposition
CFLAGS   += -DTALLY_VERSION='"$(VERSION)"' -DTALLY_SHAREDIR='"$(SHAREDIR)"' -DTALLY_LIBDIR='"$(LIBDIR)"'
LDLIBS   += -lcsv -lm -pthread

ifeq ($(SANITIZE),1)
O        := build/san
BIN      := build/san/tally
MODULE   :=
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
# allocation-failure injection (tests/fault/nth_alloc.c): tally's own malloc, calloc,
# realloc, strdup and strndup calls go through it; off unless TALLY_FAIL_ALLOC is set
INJECT   := $(O)/inject/nth_alloc.o
LDFLAGS  += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
else
O        := build/rel
BIN      := tally
# the module is for a stock lua5.4, which an ASan build cannot be loaded into
MODULE   := tally.so
endif

# libtally.a, position-independent: the library rooms, linked by the tally program
# (core/cli) and by the Lua module tally.so (core/module).
SRC       = $(wildcard core/*/*.c)
LIB_SRC   = $(filter-out core/cli/% core/module/%,$(SRC))
CLI_OBJ   = $(patsubst %.c,$(O)/%.o,$(wildcard core/cli/*.c))
LIBA      = $(O)/libtally.a
# what the unit tests and fuzz drivers link: everything but main
LIBOBJ    = $(filter-out $(O)/core/cli/main.o,$(CLI_OBJ)) $(LIBA)
# The commands that draw, script or import (chart, run, eval, plugins, import) and
# the rooms only they use are a module the program opens when one of them runs
# (core/cli/ext.c): a count does not load Lua, cairo, pango, poppler or libxml2.
# The program holds every other object whole (not the archive's picks): the
# module calls into any of them.
EXT_SRC   = $(filter-out core/chart/lang.c,$(wildcard core/chart/*.c)) $(wildcard core/report/*.c) \
            $(wildcard core/import/*.c) $(wildcard core/lua/*.c) \
            core/cli/chart_cmd.c core/cli/import_cmd.c core/cli/lua_run.c
EXT_OBJ   = $(EXT_SRC:%.c=$(O)/%.o)
EXE_OBJ   = $(filter-out $(EXT_OBJ),$(CLI_OBJ) $(LIB_SRC:%.c=$(O)/%.o))
EXT       = $(O)/tally-ext.so
UNIT_SRC  = $(wildcard tests/unit/*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
TOOLS_SRC = $(wildcard tools/*.c)
TOOLS_BIN = $(TOOLS_SRC:tools/%.c=build/tools/%)

FAULT_LIB = build/fault/libfault.so
# Fuzz harnesses (tests/fuzz/fuzz_*.c): replayed by a gcc-built driver in make test,
# fuzzed with libFuzzer by make fuzz.
FUZZ      = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY    = $(FUZZ:%=$(O)/fuzz/replay-%)

# Message catalogs: po/LANG.po compiled into build/locale/LANG/LC_MESSAGES/tally.mo,
# where tally finds them when run from the source tree.
PO        = $(wildcard po/*.po)
MO        = $(PO:po/%.po=build/locale/%/LC_MESSAGES/tally.mo)

all: deps $(BIN) $(EXT) $(MODULE) $(UNIT_BIN) $(TOOLS_BIN) $(FAULT_LIB) $(REPLAY) $(MO)

build/locale/%/LC_MESSAGES/tally.mo: po/%.po | deps
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The catalogs' template, po/tally.pot, from the sources and data/labels.tsv
# (scripts/mkpot.sh); make po-update merges it into every po/LANG.po, where a
# translator finds the new messages empty (tests/cli/catalogs.sh fails until
# every one is translated).
pot: deps
	scripts/mkpot.sh po/tally.pot

po-update: pot
	for p in $(PO); do msgmerge -q --update --backup=none --no-fuzzy-matching --no-wrap $$p po/tally.pot; done

# Installs missing Debian packages (as root) or says which are missing.
deps:
	@scripts/deps.sh build

# pkg-config is asked once per make run, after deps.sh had its chance to install it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# a Lua C module takes Lua's symbols from the interpreter that loads it
MOD_LIBS   = $(shell pkg-config --libs $(filter-out lua5.4,$(PKGS)) 2>/dev/null)
# tally-ext.so opens poppler and libxml2 when a PDF or a web page is imported
# (core/import/pdf.c, html.c), by the names of the libraries built against
EXT_LIBS   = $(shell pkg-config --libs $(filter-out poppler-glib libxml-2.0,$(PKGS)) 2>/dev/null)
soname     = $(shell objdump -p $$(pkg-config --variable=libdir $(1))/$(2) 2>/dev/null | awk '/SONAME/ { print $$2 }')
POPPLER_SO = $(call soname,poppler-glib,libpoppler-glib.so)
LIBXML2_SO = $(call soname,libxml-2.0,libxml2.so)
$(O)/core/import/pdf.o: CFLAGS += $(if $(POPPLER_SO),-DIMP_POPPLER_SO='"$(POPPLER_SO)"')
$(O)/core/import/html.o: CFLAGS += $(if $(LIBXML2_SO),-DIMP_LIBXML2_SO='"$(LIBXML2_SO)"')

$(O)/%.o: %.c $(wildcard include/tally/*.h core/*/*.h) Makefile | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_SRC:%.c=$(O)/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

# The program exports its symbols (-rdynamic): tally-ext.so calls the store, the
# loader and the counts in it. --as-needed keeps the libraries only the module
# uses out of the program.
$(BIN): $(EXE_OBJ) $(INJECT)
	$(CC) $(LDFLAGS) -rdynamic -o $@ $(EXE_OBJ) $(INJECT) -Wl,--as-needed $(PKG_LIBS) $(LDLIBS) -ldl

$(EXT): $(EXT_OBJ)
	$(CC) $(LDFLAGS) -shared -o $@ $(EXT_OBJ) $(EXT_LIBS) $(LDLIBS)

# Only luaopen_tally is exported: the archive's symbols stay inside the module.
$(MODULE): $(O)/core/module/module.o $(LIBA)
	$(CC) $(LDFLAGS) -shared -o $@ $< $(LIBA) -Wl,--exclude-libs,ALL $(MOD_LIBS) $(LDLIBS)

$(O)/inject/nth_alloc.o: tests/fault/nth_alloc.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(O)/tests/%: tests/unit/%.c $(LIBOBJ) $(INJECT)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJ) $(INJECT) $(PKG_LIBS) $(LDLIBS)

# the scanner's floor times core/load/scan.c alone
build/tools/scan-floor: tools/scan-floor.c core/load/scan.c core/load/scan.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Icore -o $@ tools/scan-floor.c core/load/scan.c

$(O)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $(LIBOBJ) $(INJECT)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(LIBOBJ) $(INJECT) $(PKG_LIBS) $(LDLIBS)

# libFuzzer builds: clang, every core file instrumented; scripts/deps.sh fuzz installs clang.
FUZZ_SECONDS ?= 60
# FUZZ_RUNS=N stops each harness after N executions instead of FUZZ_SECONDS.
# FUZZ_TIMEOUT: seconds of wall time one input may take before it is reported as a
# hang (libFuzzer counts a run paused with kill -STOP as the input's time).
FUZZ_TIMEOUT ?= 10
# FUZZ_JOBS=N fuzzes in N processes at once (libFuzzer's -fork=N), their
# executions counted together.
FUZZ_LIMIT    = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS))$(if $(FUZZ_JOBS), -fork=$(FUZZ_JOBS))
FUZZ_CC       = clang
FUZZ_FLAGS    = -O2 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OBJ      = $(filter-out build/fuzz/core/cli/main.o build/fuzz/core/module/%,$(SRC:%.c=build/fuzz/%.o))

build/fuzz/%.o: %.c $(wildcard include/tally/*.h core/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c $< -o $@

build/fuzz/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) $(LDLIBS)

# Fuzzes each harness for FUZZ_SECONDS, one after the other (one core), with the
# flags in tests/fuzz/NAME.options if there is one. New inputs
# go to build/fuzz/corpus-NAME, crashes to build/fuzz/crash-NAME/; add crashers to
# tests/fuzz/NAME/crashers once fixed, so that make test replays them.
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ:%=build/fuzz/fuzz-%)
	@for h in $(FUZZ); do \
		mkdir -p build/fuzz/corpus-$$h build/fuzz/crash-$$h; \
		echo "== fuzz $$h: $(FUZZ_LIMIT)"; \
		build/fuzz/fuzz-$$h $(FUZZ_LIMIT) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=1024 -print_final_stats=1 \
			$$( [ -f tests/fuzz/$$h.dict ] && echo -dict=tests/fuzz/$$h.dict ) \
			$$( [ -f tests/fuzz/$$h.options ] && cat tests/fuzz/$$h.options ) \
			-artifact_prefix=build/fuzz/crash-$$h/ build/fuzz/corpus-$$h tests/fuzz/$$h/corpus || exit 1; \
	done

# The LD_PRELOAD library that makes system calls fail for the tests (tests/fault/).
$(FAULT_LIB): tests/fault/fault.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -Wall -Wextra -shared -fPIC -o $@ $< -ldl

build/tools/%: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -o $@ $< $(LDLIBS)

# Allocation-failure sweep (tests/fault/sweep): every N for count, check, chart and
# run on small inputs under the sanitizer build; FAULT_STEP=7 samples every 7th.
FAULT_STEP ?= 1
faults: deps
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@tests/fault/sweep build/san/tally $(FAULT_STEP)

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@tests/run ./tally build/san/tally

# Regenerates the chart reference images after a deliberate change.
reference: all
	tests/make-reference

report: all
	./tally run scripts/quarterly.lua --data data/cica-digest-2023q2.csv --quarter 2023Q2 --out reports/2023-Q2
	./tally run scripts/quarterly.lua --lang ru --data data/cica-digest-2023q2.csv --quarter 2023Q2 --out reports/2023-Q2
	./tally run scripts/quarterly.lua --lang zh --data data/cica-digest-2023q2.csv --quarter 2023Q2 --out reports/2023-Q2
	./tally run scripts/quarterly.lua --lang ar --data data/cica-digest-2023q2.csv --quarter 2023Q2 --out reports/2023-Q2

# Imports the seed issue as text and as a PDF rendered by tally.report, and scores
# both drafts against the hand-coded records, field by field.
SEED ?= ../shared/seeds/000_42258f4242562ee1.txt
eval-import: all
	@mkdir -p build/eval
	./tally import $(SEED) -o build/eval/seed-text.csv 2>/dev/null
	./tally run --unsafe tests/render-digest.lua -- $(SEED) build/eval/seed.pdf
	./tally import build/eval/seed.pdf -o build/eval/seed-pdf.csv 2>/dev/null
	@./tally run scripts/eval-import.lua --names text,pdf \
		--data data/cica-digest-2023q2.csv build/eval/seed-text.csv build/eval/seed-pdf.csv

bench: all
	@scripts/deps.sh bench
	bench/run

# what an installation needs, without the tests' programs (the rockspec builds this)
programs: deps $(BIN) $(EXT) $(MODULE) $(MO)

install: programs
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/plugins $(DESTDIR)$(SHAREDIR)/plugins/import \
		$(DESTDIR)$(SHAREDIR)/data $(DESTDIR)$(SHAREDIR)/scripts $(DESTDIR)$(SHAREDIR)/lib
	install -m 755 tally $(DESTDIR)$(BINDIR)/tally
	install -d $(DESTDIR)$(LIBDIR)
	install -m 644 $(EXT) $(DESTDIR)$(LIBDIR)/tally-ext.so
	install -d $(DESTDIR)$(LUA_CMODDIR)
	install -m 755 tally.so $(DESTDIR)$(LUA_CMODDIR)/tally.so
	install -m 644 plugins/*.lua $(DESTDIR)$(SHAREDIR)/plugins/
	install -m 644 plugins/import/*.lua plugins/import/*.tsv $(DESTDIR)$(SHAREDIR)/plugins/import/
	install -m 644 lib/*.lua $(DESTDIR)$(SHAREDIR)/lib/
	install -d $(DESTDIR)$(MANDIR)
	install -m 644 tally.1 $(DESTDIR)$(MANDIR)/tally.1
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 completions/tally.bash $(DESTDIR)$(BASHCOMPDIR)/tally
	install -m 644 data/*.tsv data/*.csv $(DESTDIR)$(SHAREDIR)/data/
	install -m 644 scripts/*.lua $(DESTDIR)$(SHAREDIR)/scripts/
	for m in $(MO); do l=$${m#build/locale/}; l=$${l%%/*}; \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
		install -m 644 $$m $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/tally.mo; done

clean:
	rm -rf build tally tally.so

.PHONY: pot po-update all programs deps faults test reference report bench eval-import install clean fuzz
