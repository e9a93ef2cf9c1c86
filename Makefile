# chanlab - build, run, test, benchmark, install.
#
# One library per module (runtime, render, patterns, quiz, cmd) so that each
# test runner links only what it tests: a half-written quiz file cannot break
# the runtime's tests.  Build products go to build/<variant>/, where the
# variant is "release" or the sanitizer named by SAN=asan|ubsan|tsan.

CC       ?= cc
SAN      ?=
PREFIX   ?= /usr/local
DESTDIR  ?=
VARIANT  := $(if $(SAN),$(SAN),release)
CCNAME   := $(if $(findstring clang,$(CC)),-clang,)
B        := build/$(VARIANT)$(CCNAME)
VERSION  := 0.1.0

PKGS_BUILD := sqlite3 yaml-0.1 libedit jansson
PKGS_TEST  := check
DEB_PKGS   := build-essential pkg-config check libsqlite3-dev libyaml-dev libedit-dev libjansson-dev valgrind golang-go libck-dev chromium
# The peers `make bench` measures beside chanlab (none of the tests needs them).
BENCH_DEB_PKGS := libboost-fiber-dev

WARN     := -Wall -Wextra -Werror -Wno-missing-field-initializers
CFLAGS_san_release :=
CFLAGS_san_asan  := -fsanitize=address -fno-omit-frame-pointer
CFLAGS_san_ubsan := -fsanitize=undefined -fno-sanitize-recover=all
CFLAGS_san_tsan  := -fsanitize=thread
# make debug: assertions on (no -DNDEBUG anywhere), CHANLAB_DEBUG's checks
# (locks held on entry, run-queue invariants), build/debug.
CFLAGS_san_debug := -DCHANLAB_DEBUG
OPT      := $(if $(SAN),-O1,-O2)
SANFLAGS := $(CFLAGS_san_$(VARIANT))
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS_BUILD) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS_BUILD) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(SANFLAGS) -I. -I$(B)/gen \
             -DCHANLAB_VERSION='"$(VERSION)"' -DCHANLAB_DATADIR='"$(PREFIX)/share/chanlab"' \
             $(PKG_CFLAGS) $(FRAMEFLAGS) $(CFLAGS)
# Stack probing: a frame larger than a page touches its pages in order, top
# down, so it cannot jump a task stack's guard page (runtime/stack.c).
ALL_CFLAGS += -fstack-clash-protection
# cl_recover checks that its caller is the deferred function itself by the
# frame pointers (runtime/chanlab.h): every function keeps one.
FRAMEFLAGS = -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
# exercise check compiles student code against this build tree (its flags
# included) when chanlab runs from it, else against the installed prefix.
$(B)/cmd/exercise.c.o: ALL_CFLAGS += -DCHANLAB_SRCDIR='"$(CURDIR)"' \
  -DCHANLAB_BUILDDIR='"$(CURDIR)/$(B)"' -DCHANLAB_BUILD_SANFLAGS='"$(SANFLAGS)"' \
  -DCHANLAB_PREFIX='"$(PREFIX)"'
# ... and with the flags the runtime needs of all code on a task stack.
$(B)/cmd/exercise.c.o: ALL_CFLAGS += -DCHANLAB_RUNTIME_CFLAGS='"-fstack-clash-protection $(FRAMEFLAGS)"'
LIBS     = $(PKG_LIBS) -lpthread -lm

MODULES  := runtime render patterns quiz cmd explore
MODULES  += coach
# bench/: the programs `chanlab bench` measures and its peers' drivers (libbench.a)
MODULES  += bench
src_of    = $(filter-out cmd/main.c,$(wildcard $(1)/*.c) $(wildcard $(1)/*.S))
obj_of    = $(patsubst %,$(B)/%.o,$(call src_of,$(1)))
lib_of    = $(B)/lib$(1).a

EMBED_FILES = $(sort $(wildcard data/*.yaml) $(wildcard patterns/*.c) $(wildcard patterns/*.h) $(wildcard patterns/go/*.go))

.PHONY: debug
.PHONY: all deps bench-deps check check-all check-install check-serial run-suites valgrind-all check-par check-san check-deps run bench bench-peers install uninstall clean asan ubsan tsan valgrind golden help
all: chanlab

help:
	@echo "make            build ./chanlab"
	@echo "make run        install missing packages, build, run a demo"
	@echo "make check      install missing packages, build, run every test suite"
	@echo "make asan|ubsan|tsan   run the test suites under a sanitizer"
	@echo "make debug      run the test suites with the runtime's invariant checks (build/debug)"
	@echo "make valgrind   run the runtime suites under valgrind memcheck"
	@echo "make bench      build and run the benchmarks (with Go's figures if go is installed)"
	@echo "make golden     regenerate tests/golden after a deliberate trace change"
	@echo "make fuzz       build (fuzz-build) and run the quiz's libFuzzer targets (clang)"
	@echo "make install PREFIX=... DESTDIR=..."

# --- dependencies -----------------------------------------------------------
deps:
	@./tools/deps.sh $(DEB_PKGS)
# The bench's peers are installed for make bench only: no test needs them,
# and CI's clean machine need not fetch Boost.
bench-deps: deps
	@./tools/deps.sh $(BENCH_DEB_PKGS)

check-deps:
	@for p in $(PKGS_BUILD) $(PKGS_TEST); do \
	  pkg-config --exists $$p || { echo "chanlab: missing library '$$p' (run 'make deps' as root, or apt-get install $(DEB_PKGS))" >&2; exit 1; }; \
	done

# --- objects and libraries --------------------------------------------------
# V=1 shows the full commands.
Q := $(if $(V),,@)
$(B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC  $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  AS  $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

define module_lib
$(call lib_of,$(1)): $(call obj_of,$(1))
	@mkdir -p $$(dir $$@)
	$(Q)rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_lib,$(m))))

# Files compiled into the binary (question banks, pattern sources, Go originals).
$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

$(B)/gen/embedded.c: $(B)/tools/embed $(EMBED_FILES) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(B)/tools/embed $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

# The html renderer's page, compiled into librender (render/ may not use cmd/'s table).
$(B)/gen/html_page.c: $(B)/tools/embed render/html_page.html
	@mkdir -p $(dir $@)
	$(Q)$(B)/tools/embed --symbol render_html_page render/html_page.html > $@.tmp && mv $@.tmp $@
$(B)/gen/html_page.o: $(B)/gen/html_page.c
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@
$(call lib_of,render): $(B)/gen/html_page.o

$(B)/gen/embedded.o: $(B)/gen/embedded.c
	$(Q)$(CC) $(ALL_CFLAGS) -Icmd -c $< -o $@

ALL_LIBS = $(call lib_of,cmd) $(call lib_of,bench) $(call lib_of,coach) $(call lib_of,explore) $(call lib_of,patterns) $(call lib_of,render) $(call lib_of,quiz) $(call lib_of,runtime)

$(B)/chanlab: $(B)/cmd/main.c.o $(B)/gen/embedded.o $(ALL_LIBS)
	@$(if $(V),,echo "  LD  $@")
	$(Q)$(CC) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

chanlab: check-deps $(B)/chanlab
	@[ "$(VARIANT)$(CCNAME)" = release ] && cp $(B)/chanlab ./chanlab || true

# --- tests ------------------------------------------------------------------
# Sanitizer builds scale long soak loops down (tests read CHANLAB_TEST_SCALE).
# Defined before the runners below, whose recipes are expanded when defined.
# The libcheck tag of cases that run alone (tests/testlib.h's TAG_SERIAL).
TAG_SERIAL := serial
TEST_ENV := $(if $(SAN),CHANLAB_TEST_SCALE=0.02 CK_TIMEOUT_MULTIPLIER=5,CK_TIMEOUT_MULTIPLIER=3)
# tests/<module>/*.c each define one or more "Suite *suite_NAME(void)"; the
# runner's list is generated, so adding a test file needs no edit elsewhere.
TEST_MODULES := runtime render patterns quiz cli explore
TEST_MODULES += coach
TEST_LIBS_runtime  := $(call lib_of,runtime)
TEST_LIBS_render   := $(call lib_of,render) $(call lib_of,runtime)
TEST_LIBS_patterns := $(call lib_of,explore) $(call lib_of,patterns) $(call lib_of,render) $(call lib_of,runtime)
TEST_LIBS_quiz     := $(call lib_of,quiz)
TEST_LIBS_cli      := $(ALL_LIBS)
TEST_LIBS_explore  := $(call lib_of,explore) $(call lib_of,patterns) $(call lib_of,render) $(call lib_of,runtime)
TEST_LIBS_coach    := $(ALL_LIBS)
TEST_SUPPORT := $(patsubst %,$(B)/%.o,$(filter-out tests/check_main.c,$(wildcard tests/*.c)))

define test_runner
TEST_SRC_$(1) := $$(wildcard tests/$(1)/*.c)
# Rebuilt on every make (a deleted test file leaves no newer prerequisite)
# but written only when the list changed, so nothing relinks needlessly.
$(B)/gen/suites_$(1).h: FORCE
	@mkdir -p $$(dir $$@)
	@cat /dev/null $$(TEST_SRC_$(1)) | sed -n 's/^Suite \*\(suite_[a-z0-9_]*\)(void).*/SUITE(\1)/p' > $$@.tmp
	@if cmp -s $$@.tmp $$@; then rm -f $$@.tmp; else mv $$@.tmp $$@; fi
$(B)/tests/run_$(1).o: tests/check_main.c $(B)/gen/suites_$(1).h
	@mkdir -p $$(dir $$@)
	$(Q)$$(CC) $$(ALL_CFLAGS) $$(CHECK_CFLAGS) -DSUITES_H='"suites_$(1).h"' -DTEST_MODULE='"$(1)"' -c $$< -o $$@
$(B)/tests/$(1)/%.c.o: tests/$(1)/%.c
	@mkdir -p $$(dir $$@)
	@$(if $(V),,echo "  CC  $$<")
	$(Q)$$(CC) $$(ALL_CFLAGS) $$(CHECK_CFLAGS) -MMD -MP -c $$< -o $$@
$(B)/test-$(1): $(B)/tests/run_$(1).o $$(patsubst %,$(B)/%.o,$$(TEST_SRC_$(1))) $$(TEST_SUPPORT) $(B)/gen/embedded.o $$(TEST_LIBS_$(1))
	@$(if $(V),,echo "  LD  $$@")
	$(Q)$$(CC) $$(ALL_LDFLAGS) $$^ $$(CHECK_LIBS) $$(LIBS) -o $$@
test-$(1): check-deps $(B)/test-$(1) $(B)/chanlab
	@echo "== $(1) suites ($(VARIANT))"
	@t0=$$$$(date +%s); CK_EXCLUDE_TAGS=$(TAG_SERIAL) CHANLAB_BIN=$(B)/chanlab $(TEST_ENV) $(B)/test-$(1); rc=$$$$?; \
	  echo "== $(1) suites ($(VARIANT)): $$$$(( $$$$(date +%s) - t0 )) s"; exit $$$$rc
endef
$(foreach m,$(TEST_MODULES),$(eval $(call test_runner,$(m))))
$(B)/tests/%.c.o: tests/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

# deps runs alone first: under -j it would race the pkg-config check of the build.
check: deps
	@$(MAKE) --no-print-directory check-all

# Which suites each build runs.  The release make check runs them all, heavy
# checks included; the debug and sanitizer passes of .ci/run run a scaled-down
# subset (CHANLAB_TEST_SCALE; tests/testlib.h's test_heavy_skipped): the
# suites whose code the build's checks see into.  TSan only sees threads, so
# it runs the suites that run the par scheduler.
SUITES_release := $(TEST_MODULES)
SUITES_debug   := runtime render patterns explore coach
SUITES_asan    := $(TEST_MODULES)
SUITES_ubsan   := $(TEST_MODULES)
SUITES_tsan    := runtime patterns explore
# Suites run side by side (make -j) with their output kept whole per suite
# (-O); a failing suite does not stop the others (-k).  Under load a suite's
# per-test timeouts stretch (CK_TIMEOUT_MULTIPLIER): they catch hangs, not
# slowness.
SUITE_GOALS = $(addprefix test-,$(SUITES_$(VARIANT))) check-par
# The release build also installs into a scratch folder and checks an
# exercise with the installed chanlab, outside the source tree.
SUITE_GOALS += $(if $(SAN),,check-install)
check-install: chanlab
	@t0=$$(date +%s); ./tools/check-install.sh "$(MAKE)"; rc=$$?; \
	  echo "== install check ($(VARIANT)): $$(( $$(date +%s) - t0 )) s"; exit $$rc
# Test cases tagged serial (tests/testlib.h: real threads, real programs
# timed) run alone afterwards, each suite that has them in turn.
SERIAL_SUITES = $(filter $(SUITES_$(VARIANT)),patterns cli)
check-all: chanlab
	@$(MAKE) --no-print-directory run-suites
# This build's suites side by side, then its serial cases alone.
run-suites:
	@rc=0; $(MAKE) --no-print-directory -k -O $(SUITE_GOALS) || rc=1; \
	$(MAKE) --no-print-directory check-serial || rc=1; exit $$rc
check-serial: $(addprefix $(B)/test-,$(SERIAL_SUITES)) $(B)/chanlab
	@for m in $(SERIAL_SUITES); do echo "== $$m suites, serial cases alone ($(VARIANT))"; \
	  CK_INCLUDE_TAGS=$(TAG_SERIAL) CHANLAB_BIN=$(B)/chanlab $(TEST_ENV) $(B)/test-$$m || exit 1; done

# The runtime's any-scheduler suites (tag "any") again under the parallel
# scheduler with 1, 2 and 4 processors (PAR_PROCS overrides).
PAR_PROCS ?= 1 2 4
check-par: check-deps $(B)/test-runtime
	@for n in $(PAR_PROCS); do echo "== runtime suites, par scheduler, $$n procs ($(VARIANT))"; \
	  CK_INCLUDE_TAGS=any CHANLAB_TEST_SCHED=par CHANLAB_TEST_PROCS=$$n $(TEST_ENV) $(B)/test-runtime || exit 1; done

asan ubsan tsan: deps
	@$(MAKE) --no-print-directory SAN=$@ check-san
debug: deps
	@$(MAKE) --no-print-directory SAN=debug check-san

check-san: $(B)/chanlab
	@$(MAKE) --no-print-directory SAN=$(SAN) PAR_PROCS=2 run-suites

VALGRIND_SUITES := runtime render patterns
.PHONY: $(addprefix valgrind-,$(VALGRIND_SUITES))
valgrind: deps
	@$(MAKE) --no-print-directory valgrind-all
valgrind-all: $(B)/chanlab
	@$(MAKE) --no-print-directory -k -O $(addprefix valgrind-,$(VALGRIND_SUITES))
$(addprefix valgrind-,$(VALGRIND_SUITES)): valgrind-%: $(B)/test-% $(B)/chanlab
	@echo "== $* suites (valgrind)"; t0=$$(date +%s); \
	  CK_FORK=no CK_EXCLUDE_TAGS=$(TAG_SERIAL) CHANLAB_TEST_SCALE=0.01 CHANLAB_BIN=$(B)/chanlab valgrind -q --error-exitcode=1 \
	    --leak-check=full --errors-for-leak-kinds=definite $(B)/test-$*; rc=$$?; \
	  echo "== $* suites (valgrind): $$(( $$(date +%s) - t0 )) s"; exit $$rc

# --- demo, benchmarks, golden files ------------------------------------------
run: deps
	@$(MAKE) --no-print-directory chanlab
	./chanlab --version
	./chanlab run rendezvous 2>&1 || ./chanlab --help

# make bench is `chanlab bench --vs-go`: one harness, one Go driver (bench/).
# The Boost.Fiber peer (bench/boost_fiber.cpp) is built only where its header
# is installed; bench finds it beside the binary or through CHANLAB_BENCH_BOOST.
BOOST_FIBER_HDR := $(wildcard /usr/include/boost/fiber/all.hpp)
CXX ?= c++
$(B)/bench-boost-fiber: bench/boost_fiber.cpp
	$(Q)$(CXX) -std=c++17 -O2 -Wall -Wextra -Werror $< -lboost_fiber -lboost_context -lpthread -o $@
bench-peers: $(if $(BOOST_FIBER_HDR),$(B)/bench-boost-fiber)
bench: bench-deps chanlab
	@$(MAKE) --no-print-directory bench-peers
	CHANLAB_BENCH_BOOST=$(B)/bench-boost-fiber ./chanlab bench --vs-go

golden: chanlab $(B)/test-render
	./tools/golden.sh
	CHANLAB_GOLDEN_WRITE=1 CK_RUN_SUITE=html $(B)/test-render

# --- install ------------------------------------------------------------------
install: chanlab
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/chanlab $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 chanlab $(DESTDIR)$(PREFIX)/bin/chanlab
	for f in data/*.yaml; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/chanlab/; done; true
	[ -f docs/chanlab.1 ] && install -m 644 docs/chanlab.1 $(DESTDIR)$(PREFIX)/share/man/man1/ || true
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	./chanlab completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/chanlab
	# bench --vs-go builds these Go counterparts into $$XDG_CACHE_HOME at run time
	install -d $(DESTDIR)$(PREFIX)/share/chanlab/bench/go/million $(DESTDIR)$(PREFIX)/share/chanlab/bench/go/workerpool
	install -m 644 bench/go/go.mod bench/go/*_test.go $(DESTDIR)$(PREFIX)/share/chanlab/bench/go/
	install -m 644 bench/go/million/main.go $(DESTDIR)$(PREFIX)/share/chanlab/bench/go/million/
	install -m 644 bench/go/workerpool/main.go $(DESTDIR)$(PREFIX)/share/chanlab/bench/go/workerpool/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/chanlab $(DESTDIR)$(PREFIX)/share/man/man1/chanlab.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/chanlab
	rm -rf $(DESTDIR)$(PREFIX)/share/chanlab

clean:
	rm -rf build chanlab

# --- fuzzing (clang's libFuzzer; not part of check) -----------------------------
# make fuzz-build builds tests/fuzz/fuzz_*.c against the quiz sources with
# ASan; make fuzz runs each for FUZZ_SECONDS (default 600) at nice 19, one at
# a time, corpus in build/fuzz/corpus-NAME.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
                -I. -DCHANLAB_VERSION='"$(VERSION)"' -DCHANLAB_DATADIR='"$(PREFIX)/share/chanlab"' $(PKG_CFLAGS)
.PHONY: fuzz fuzz-build
fuzz-build: check-deps $(FUZZ_TARGETS)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard quiz/*.c) $(wildcard quiz/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(wildcard quiz/*.c) $(PKG_LIBS) -lm -o $@
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do c=$$t-corpus; mkdir -p $$c; echo "== $$t ($(FUZZ_SECONDS) s)"; \
	  nice -n 19 $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=1024 $$c || exit 1; done

-include $(shell find build -name '*.d' 2>/dev/null)

# --- install: the exercise checker's headers, libraries, pkg-config file, pack
# (exercise check compiles student code against these after install)
COACH_HEADERS := runtime/chanlab.h runtime/event.h runtime/shared.h coach/coach.h
COACH_LIBDIR  := $(PREFIX)/lib/chanlab
install: install-coach
uninstall: uninstall-coach
.PHONY: install-coach uninstall-coach
install-coach: $(call lib_of,runtime) $(call lib_of,render) $(call lib_of,coach) $(call lib_of,explore)
	install -d $(DESTDIR)$(PREFIX)/include/chanlab/runtime $(DESTDIR)$(PREFIX)/include/chanlab/coach \
	  $(DESTDIR)$(COACH_LIBDIR) $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/chanlab/exercises
	for h in $(COACH_HEADERS); do install -m 644 $$h $(DESTDIR)$(PREFIX)/include/chanlab/$$h; done
	install -m 644 $^ $(DESTDIR)$(COACH_LIBDIR)/
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include/chanlab' 'libdir=$${prefix}/lib/chanlab' '' \
	  'Name: chanlab' "Description: chanlab's CSP runtime and exercise harness" 'Version: $(VERSION)' \
	  'Cflags: -std=c11 -D_GNU_SOURCE $(SANFLAGS) -fstack-clash-protection $(FRAMEFLAGS) -I$${includedir}' \
	  'Libs: $(SANFLAGS) -L$${libdir} -lcoach -lexplore -lrender -lruntime -lpthread -lm' > $(DESTDIR)$(PREFIX)/lib/pkgconfig/chanlab.pc
	cp -R exercises/. $(DESTDIR)$(PREFIX)/share/chanlab/exercises/
uninstall-coach:
	rm -rf $(DESTDIR)$(PREFIX)/include/chanlab $(DESTDIR)$(COACH_LIBDIR) $(DESTDIR)$(PREFIX)/share/chanlab/exercises
	rm -f $(DESTDIR)$(PREFIX)/lib/pkgconfig/chanlab.pc

.PHONY: FORCE
FORCE:
