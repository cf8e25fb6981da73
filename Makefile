# certboard — hand-written Makefile (C11, pkg-config).
#
#   make            build build/certboard
#   make run        build and open the dashboard on the bundled default plan
#   make demo       the dashboard on a live demo: today in week 6, a team history
#   make test       build and run every test (unit, cli, store, tui)
#   make asan       the whole suite under AddressSanitizer + UBSan (build-asan/)
#   make bench      benchmarks; prints figures, asserts nothing
#   make fuzz       fuzz the plan loader for FUZZ_SECONDS (default 60)
#   make install    PREFIX=/usr/local DESTDIR=  (plans go to $(DATADIR)/plans;
#                   also the man page, bash completion, README/LICENSE/CHANGELOG)
#   make uninstall  the same variables: removes exactly what install wrote
#   make clean

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/certboard
BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
FUZZ_SECONDS ?= 60
PKG_CONFIG ?= pkg-config

WARN      := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter
CORE_PKGS := sqlite3 yaml-0.1
# libpq: its headers only; store_pg.c loads the library when a store is on a
# server (linked in, it slows every start of every command).
PG_PKGS   := libpq
UI_PKGS   := ncursesw
ALL_CPPFLAGS := -Iinclude -D_GNU_SOURCE -DCB_DATADIR='"$(DATADIR)"' $(CPPFLAGS)

# Library flags are asked for only after scripts/deps.sh has run (see $(DEPS_OK)).
core_cflags = $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS) $(PG_PKGS) 2>/dev/null)
core_libs   = $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null) -lm
ui_cflags   = $(shell $(PKG_CONFIG) --cflags $(UI_PKGS) 2>/dev/null)
ui_libs     = $(shell $(PKG_CONFIG) --libs $(UI_PKGS) 2>/dev/null)

# The core library (plan, store, view models): everything in src/ but the
# drawing files (ui_*), the subcommands (cmd_*) and main. It never sees curses.
APP_SRC  := src/main.c $(wildcard src/cmd_*.c) $(wildcard src/ui_*.c)
CORE_SRC := $(filter-out $(APP_SRC),$(wildcard src/*.c))
CORE_OBJ := $(CORE_SRC:src/%.c=$(BUILD)/obj/%.o)
APP_OBJ  := $(APP_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libcertboard.a
BIN      := $(BUILD)/certboard

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all run demo test asan bench fuzz install uninstall clean deps test-deps check-layout format format-check analyse

all: $(BIN)

$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh build
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_OK)

test-deps:
	@sh scripts/deps.sh test

$(BUILD)/obj/ui_%.o: src/ui_%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(ALL_CPPFLAGS) $(ui_cflags) $(core_cflags) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: src/%.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(ALL_CPPFLAGS) $(core_cflags) -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(APP_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(APP_OBJ) $(LIB) $(ui_libs) $(core_libs)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/t.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(ALL_CPPFLAGS) -Itests/unit $(core_cflags) -MMD -MP $< -o $@ $(LDFLAGS) $(LIB) $(core_libs)

$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(ALL_CPPFLAGS) $(core_cflags) -MMD -MP $< -o $@ $(LDFLAGS) $(LIB) $(core_libs) -lutil

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(ALL_CPPFLAGS) $(core_cflags) -MMD -MP $< -o $@ $(LDFLAGS) $(LIB) $(core_libs) -lutil

# The demo acts as the plan's lead so every key works; RUN_AS=nov1 for a member,
# RUN_AS= for the guest view.
RUN_AS ?= exp1
run: $(BIN)
	$(BIN) --plan plans/de-professional.yaml $(if $(RUN_AS),--as $(RUN_AS))
	@exam=$$($(BIN) show plans/de-professional.yaml 2>/dev/null | sed -n 's/^Exam: *\([0-9-]*\),.*/\1/p' | tr -d -); \
	if [ -n "$$exam" ] && [ "$$exam" -lt "$$(date +%Y%m%d)" ]; then \
	  echo "note: the bundled plan's dates are past: 'make demo' shows a plan in full swing;"; \
	  echo "      'certboard init' starts your own team's plan (README, Usage)."; \
	fi

# A live demo on any date: the default plan moved so that today is in week 6,
# with a plausible history in a temporary store (scripts/demo.sh).
demo: $(BIN) $(BUILD)/tools/demo_store
	@sh scripts/demo.sh $(BUILD)

# The core must not include curses: only ui_*.c draw. The store's key schema
# lives in src/keys.c alone; the views (board, readiness, report, screens)
# read the team's state (state.h), never keys or the store's internals.
VIEW_SRC := src/board.c src/readiness.c src/report.c src/ical.c src/screen.c src/screen_draw.c
check-layout:
	@bad=$$(grep -l 'curses\.h' $(CORE_SRC) include/certboard/*.h 2>/dev/null); \
	if [ -n "$$bad" ]; then echo "curses included outside ui_*: $$bad"; exit 1; fi
	@bad=$$(grep -ln '"tick/\|"ms/\|"exam/\|"standup/\|"block/\|"asset/\|"result/' src/ include/ -r | grep -v '^src/keys\.c$$'); \
	if [ -n "$$bad" ]; then echo "store key prefixes outside src/keys.c: $$bad"; exit 1; fi
	@bad=$$(grep -ln 'certboard/keys\.h\|store_impl\.h' $(VIEW_SRC)); \
	if [ -n "$$bad" ]; then echo "views reading keys or store internals: $$bad"; exit 1; fi

test: $(BIN) $(UNIT_BIN) $(TOOL_BIN) check-layout
	@sh scripts/deps.sh test
	@bash tests/run.sh $(BUILD)

asan:
	$(MAKE) BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" test

bench: $(BIN) $(BENCH_BIN) $(TOOL_BIN)
	@bash bench/run.sh $(BUILD)

fuzz: $(LIB)
	@mkdir -p $(BUILD)/fuzz
	clang $(filter-out -Werror,$(WARN)) -O1 -g -fsanitize=fuzzer,address,undefined $(ALL_CPPFLAGS) $(core_cflags) \
	  fuzz/fuzz_plan.c $(CORE_SRC) -o $(BUILD)/fuzz/fuzz_plan $(core_libs)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(BUILD)/fuzz/fuzz_plan -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 \
	  -timeout=5 $(BUILD)/fuzz/corpus fuzz/seeds $(wildcard plans)

# install writes exactly the files listed here; uninstall removes exactly those
# (and the certboard-only directories when empty), never a whole directory.
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/certboard
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PLAN_FILES := $(notdir $(wildcard plans/*.yaml))
DOC_FILES  := README.md LICENSE CHANGELOG.md

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/plans $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/certboard
	install -m 644 $(addprefix plans/,$(PLAN_FILES)) $(DESTDIR)$(DATADIR)/plans/
	install -m 644 docs/certboard.1 $(DESTDIR)$(MANDIR)/man1/certboard.1
	install -m 644 scripts/certboard.bash-completion $(DESTDIR)$(BASHCOMPDIR)/certboard
	install -m 644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/certboard $(DESTDIR)$(MANDIR)/man1/certboard.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/certboard \
	  $(addprefix $(DESTDIR)$(DATADIR)/plans/,$(PLAN_FILES)) \
	  $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOC_FILES))
	@for d in $(DESTDIR)$(DATADIR)/plans $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR); do \
	  case "$$d" in */certboard | */certboard/plans) rmdir "$$d" 2>/dev/null || true ;; esac; \
	done

FORMATTED := src/*.c src/*.h include/certboard/*.h tests/unit/*.c tests/unit/*.h tests/tools/*.c bench/*.c bench/*.h
format:
	clang-format -i $(FORMATTED)

# CI habits: the checked-in .clang-format is the style; cppcheck finds nothing
# (a suppression, if ever needed, is inline with its reason).
format-check:
	@clang-format --dry-run -Werror $(FORMATTED) && echo "format-check: ok"

analyse:
	@cppcheck --quiet --std=c11 --enable=warning,portability --inline-suppr -Iinclude \
	  -D_GNU_SOURCE --error-exitcode=1 src/ && echo "analyse: cppcheck found nothing in src/"

clean:
	rm -rf build build-asan

-include $(CORE_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) $(BENCH_BIN:=.d)
