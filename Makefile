# ordex - plain Makefile (GNU make).  See README.md.
#
#   make            build build/libordex.a, build/libordex.so, build/ordex
#   make deps       install the Debian packages below when missing (root)
#   make deps-demo  only those of DEMO_PACKAGES (what building ordex needs)
#   make check      deps + build with -Werror + every test + a clang -Werror
#                   build + a short fuzz run
#   make asan       the tests again under AddressSanitizer + UBSan
#   make demo       deps-demo (DEMO_PACKAGES only) + build + run ordex on the
#                   bundled OpenAI sample
#   make samples    rebuild samples/*.pdf from samples/*.txt, and the scan
#                   samples/scans/*.pdf from a sample PDF
#   make install    honours prefix and DESTDIR (the grammars are inside the
#                   library: any prefix works without rebuilding)
#   make clean      leaves `git status --ignored` empty

# ---- Dependencies: the one list -------------------------------------
# Debian packages, in two parts: what `make demo` needs (build the library
# and the command, run it on a text-layer PDF), and what `make check` needs
# on top (tests, sample generator, OCR data, fuzzing, Slurm, leak check).
DEMO_PACKAGES = build-essential pkg-config libglib2.0-dev \
	libpoppler-glib-dev libicu-dev libjson-glib-dev libtesseract-dev \
	libsoup-3.0-dev libical-dev libhunspell-dev hunspell-en-us libvectorscan-dev
CHECK_PACKAGES = check libpango1.0-dev fonts-liberation tesseract-ocr-eng \
	libwebp-dev libgif-dev libopenjp2-7-dev libtiff-dev \
	poppler-utils qpdf python3 python3-jsonschema python3-icalendar \
	python3-pytest mypy python3-setuptools python3-pip python3-wheel \
	clang libclang-rt-14-dev slurmctld slurmd slurm-client munge valgrind man-db
DEB_PACKAGES = $(DEMO_PACKAGES) $(CHECK_PACKAGES)
# (libwebp-dev ... libtiff-dev: leptonica's lept.pc lists them for static
# links, `pkg-config --static --libs ordex`, but libleptonica-dev does not
# depend on them.  python3-pytest ... python3-wheel: tests/run_python.sh runs
# pytest, mypy --strict and an offline pip install of python/.)
# pkg-config modules of the library, of the tests, of the sample generator.
PKGS = poppler-glib json-glib-1.0 gio-2.0 glib-2.0 icu-uc icu-i18n tesseract lept hunspell libhs
TEST_PKGS = check
# pkg-config modules of the command only (parser/cli_*.c), not of the
# library: ordex serve (libsoup) and calendars (libical).
CLI_PKGS = libsoup-3.0 libical
GEN_PKGS = pangocairo cairo-pdf poppler-glib glib-2.0

# ---- Settings ---------------------------------------------------------
prefix ?= /usr/local
bindir ?= $(prefix)/bin
libdir ?= $(prefix)/lib
includedir ?= $(prefix)/include
datadir ?= $(prefix)/share
mandir ?= $(datadir)/man
docdir ?= $(datadir)/doc/ordex
DESTDIR ?=

CC = cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes \
	-Wmissing-prototypes -Wshadow -Wno-overlength-strings
WERROR ?= -Werror
BUILD ?= build
SANFLAGS ?=

SOVERSION = 0
LIBVERSION = 0.1.0

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)
CLI_CFLAGS := $(shell pkg-config --cflags $(CLI_PKGS) 2>/dev/null)
CLI_LIBS := $(shell pkg-config --libs $(CLI_PKGS) 2>/dev/null)
GEN_CFLAGS := $(shell pkg-config --cflags $(GEN_PKGS) 2>/dev/null)
GEN_LIBS := $(shell pkg-config --libs $(GEN_PKGS) 2>/dev/null)

CPPFLAGS_ALL = -Iinclude -Iparser -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DORDEX_BUILDING
ALL_CFLAGS = $(WARN) $(WERROR) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS)

# The command is main.c plus the cli_*.c files; everything else is the library.
CLI_SRC := parser/main.c $(sort $(wildcard parser/cli_*.c))
LIB_SRC := $(filter-out $(CLI_SRC),$(sort $(wildcard parser/*.c)))
LIB_OBJ := $(LIB_SRC:parser/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/shipped_res.o
CHECK_SRC := $(sort $(wildcard tests/check_*.c))
CHECK_BIN := $(CHECK_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps deps-demo check asan test demo samples install uninstall clean \
	tests unit golden eval bench fuzz fuzz-build

all: $(BUILD)/libordex.a $(BUILD)/libordex.so $(BUILD)/ordex

# Installing packages and compiling are separate make runs: the pkg-config
# flags above are computed when make reads this file, so a target that
# installs packages (demo, check, asan) runs `deps` first and then builds in
# a fresh $(MAKE) that sees the new packages.
deps: ; @$(call install_missing,$(DEB_PACKAGES))
deps-demo: ; @$(call install_missing,$(DEMO_PACKAGES))

install_missing = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: need root to install:$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/obj/%.o: parser/%.c parser/ordex_p.h include/ordex.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

$(BUILD)/obj $(BUILD)/tests $(BUILD)/gen:
	mkdir -p $@

# The shipped grammars, compiled into the library as a GLib resource
# (parser/shipped.c reads it).  grammars/ordex.gresource.xml must list
# every grammars/*.rules; the build stops when one is missing.  The
# generated C is GLib's, so it is compiled without our warnings.
GRAMMAR_FILES := $(sort $(wildcard grammars/*.rules))
$(BUILD)/gen/shipped_res.c $(BUILD)/gen/shipped_res.h &: grammars/ordex.gresource.xml \
		$(GRAMMAR_FILES) | $(BUILD)/gen
	@for f in $(GRAMMAR_FILES:grammars/%=%); do \
	  grep -q "<file>$$f</file>" grammars/ordex.gresource.xml || { \
	    echo "grammars/ordex.gresource.xml: grammars/$$f is not listed" >&2; exit 1; }; done
	glib-compile-resources --sourcedir=grammars --internal --c-name od_shipped \
	  --generate-source --target=$(BUILD)/gen/shipped_res.c grammars/ordex.gresource.xml
	glib-compile-resources --sourcedir=grammars --internal --c-name od_shipped \
	  --generate-header --target=$(BUILD)/gen/shipped_res.h grammars/ordex.gresource.xml

$(BUILD)/obj/shipped_res.o: $(BUILD)/gen/shipped_res.c | $(BUILD)/obj
	$(CC) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(BUILD)/obj/shipped.o: CPPFLAGS_ALL += -I$(BUILD)/gen
$(BUILD)/obj/shipped.o: $(BUILD)/gen/shipped_res.h

$(BUILD)/libordex.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# Only ordex_* leaves the shared library: -fvisibility=hidden covers our
# code, the version script the linker's own __bss_start, _edata and _end,
# which GNU ld exports once a library linked in exports its own (libtesseract
# does).
$(BUILD)/libordex.map: | $(BUILD)/obj
	printf '{\n  global: ordex_*;\n  local: *;\n};\n' > $@

$(BUILD)/libordex.so: $(LIB_OBJ) $(BUILD)/libordex.map
	$(CC) $(CFLAGS) $(SANFLAGS) -shared -Wl,-soname,libordex.so.$(SOVERSION) \
	  -Wl,--version-script,$(BUILD)/libordex.map \
	  -o $(BUILD)/libordex.so.$(LIBVERSION) $(LIB_OBJ) $(PKG_LIBS) -lm
	ln -sf libordex.so.$(LIBVERSION) $(BUILD)/libordex.so.$(SOVERSION)
	ln -sf libordex.so.$(LIBVERSION) $@

$(BUILD)/ordex: $(CLI_SRC) parser/cli.h include/ordex.h $(BUILD)/libordex.a | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) $(CLI_CFLAGS) -o $@ $(CLI_SRC) $(BUILD)/libordex.a \
	  $(CLI_LIBS) $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/%.c $(BUILD)/libordex.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(BUILD)/libordex.a \
	  $(TEST_LIBS) $(PKG_LIBS) -lm

# Reads an .ics back with libical (tests/run_calendar.sh).
$(BUILD)/tests/icsread: tests/icsread.c | $(BUILD)/tests
	$(CC) $(WARN) $(WERROR) $(CFLAGS) $(SANFLAGS) $(CLI_CFLAGS) $(GEN_CFLAGS) -o $@ $< $(CLI_LIBS) $(GEN_LIBS)

$(BUILD)/mksample: tests/gen/mksample.c | $(BUILD)/obj
	$(CC) $(WARN) $(WERROR) $(CFLAGS) $(GEN_CFLAGS) -o $@ $< $(GEN_LIBS) -lm

-include $(LIB_OBJ:.o=.d)

tests: all $(CHECK_BIN) $(BUILD)/tests/icsread

# Unit tests (Check), then the golden and command-line tests.
unit: tests
	@set -e; for t in $(CHECK_BIN); do echo "== $$t"; \
	  OMP_THREAD_LIMIT=1 CK_DEFAULT_TIMEOUT=60 $$t; done

# Every tests/run_*.sh script: golden outputs, command line, batch, ...
# `make golden CASES=deadlines,calendar/santos-*` runs only the golden
# cases (tests/golden/KIND/CASE/) that CASES names (see tests/run_golden.sh).
golden: all
	@set -e; if [ -n "$(CASES)" ]; then CASES='$(CASES)' sh tests/run_golden.sh $(BUILD)/ordex; \
	else for s in $(sort $(wildcard tests/run_*.sh)); do echo "== $$s"; \
	  sh $$s $(BUILD)/ordex; done; fi

test: unit golden

check: deps
	$(MAKE) WERROR=-Werror test
	$(MAKE) clang-werror
	$(MAKE) fuzz FUZZ_SECONDS=12

# The library and the command built once more with clang, warnings as
# errors (about 45 s); nothing is run.
.PHONY: clang-werror
clang-werror:
	$(MAKE) -s BUILD=build/clang CC=clang WERROR=-Werror all

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
asan: deps
	CK_FORK=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) BUILD=build/asan CFLAGS="$(ASAN_FLAGS)" SANFLAGS= \
	  LDFLAGS="-fsanitize=address,undefined" test

# The threaded library test (tests/check_threads.c: one engine, 4 threads)
# under ThreadSanitizer, clang.  tests/tsan.supp holds only races inside
# third-party libraries, each with the reason it is not ours.
# G_SLICE=always-malloc: GSlice's per-thread magazines synchronise inside
# the uninstrumented GLib, which TSan cannot see (GLib 2.76 dropped them).
.PHONY: tsan
tsan: deps
	$(MAKE) BUILD=build/tsan CC=clang WERROR= \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=thread" \
	  build/tsan/tests/check_threads
	CK_FORK=no OMP_THREAD_LIMIT=1 ORDEX_GRAMMAR_DIR=grammars G_SLICE=always-malloc \
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$(CURDIR)/tests/tsan.supp" \
	  build/tsan/tests/check_threads

# Definite leaks under valgrind: every sample and a few hostile inputs
# (tests/hostile/); third-party suppressions only, in tests/valgrind.supp.
# OMP_THREAD_LIMIT set: else ordex would execute itself again, outside
# valgrind.  (The OCR path is leak-checked by check_ocr under make asan.)
.PHONY: leakcheck
LEAK_HOSTILE = enc-aes256 bad-zero-pages any-loop-parent any-xref-gone \
	any-flip-seed4 any-nest-array-page ok-unicode-odd ok-empty-page
leakcheck: all
	@command -v valgrind >/dev/null || { echo "leakcheck: needs valgrind" >&2; exit 1; }
	@T=$$(mktemp -d) && trap 'rm -rf "$$T"' EXIT && \
	python3 tests/hostile/mkhostile.py "$$T" && fail=0 && \
	for f in samples/*.pdf $(LEAK_HOSTILE:%=$$T/%.pdf) $$(ls "$$T"/any-trunc-0-* | sed -n 4p); do \
	  ORDEX_GRAMMAR_DIR=grammars OMP_THREAD_LIMIT=1 timeout 600 valgrind -q --leak-check=full \
	    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	    --error-exitcode=99 --suppressions=tests/valgrind.supp \
	    $(BUILD)/ordex "$$f" >/dev/null 2>"$$T/vg.log"; rc=$$?; \
	  if [ $$rc -eq 99 ] || [ $$rc -gt 10 ]; then fail=$$((fail + 1)); \
	    echo "leakcheck: FAIL $${f##*/} (exit $$rc)"; cat "$$T/vg.log"; \
	  else echo "leakcheck: ok $${f##*/} (exit $$rc)"; fi; done; \
	[ $$fail -eq 0 ]

# Precision and recall on the gold of the real corpus (skips without it),
# then on the corpus's independent gold/ with its own score.py (per-kind table).
CORPUS ?= ../shared/corpus
eval: all
	python3 tests/eval.py $(BUILD)/ordex $(CORPUS)/real
	python3 tests/eval_attorneys.py $(BUILD)/ordex $(CORPUS)/real
	python3 tests/eval_independent.py $(BUILD)/ordex $(CORPUS) $(BUILD)/eval-independent

# Performance (issue 9; not part of check): tests/bench/bench.py.
BENCH_RUNS ?= 5
bench: all $(BUILD)/mksample
	python3 tests/bench/bench.py --ordex $(BUILD)/ordex --mksample $(BUILD)/mksample \
	  --out $(BUILD)/bench --corpus $(CORPUS) --runs $(BENCH_RUNS) $(BENCH_FLAGS)

# ---- Fuzzing (libFuzzer, clang) -----------------------------------------
# `make fuzz FUZZ_SECONDS=N` runs each target for N seconds under ASan +
# UBSan; `make check` runs each briefly.  `make fuzz-ubsan` (in .ci/run)
# runs them under clang's UBSan alone, which sees what the gcc sanitizer
# build does not (a zero offset from a null pointer, issue 21).
# `make fuzz-long FUZZ_SECONDS=N CORPUS_DIR=DIR` is the long run: DIR (a
# folder of your own inputs, e.g. PDFs) seeds every target besides the
# usual seeds.  tests/fuzz/regress/ holds every input that once crashed,
# named after what it was; each target replays them first.  In fuzz-ubsan
# and fuzz-long the PDF target is also seeded with the hostile PDFs
# (tests/hostile/mkhostile.py).
FUZZ_SECONDS ?= 60
FUZZ_UBSAN_SECONDS ?= 15
CORPUS_DIR ?=
FUZZ_TARGETS = grammar text pdf dates
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SEEDS_grammar = grammars
FUZZ_SEEDS_text = samples tests/fuzz/seeds/text
FUZZ_SEEDS_pdf = samples
FUZZ_SEEDS_dates = tests/fuzz/seeds/dates

.PHONY: fuzz-ubsan fuzz-long fuzz-ubsan-build

# $(call fuzz_build,DIR,SANITIZERS)
define fuzz_build
	$(MAKE) BUILD=$(1) CC=clang WERROR= \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(2)" \
	  $(1)/libordex.a
	@set -e; for t in $(FUZZ_TARGETS); do \
	  clang -O1 -g -fsanitize=fuzzer $(2) $(CPPFLAGS_ALL) $(PKG_CFLAGS) \
	    -o $(1)/fuzz_$$t tests/fuzz/fuzz_$$t.c $(1)/libordex.a $(PKG_LIBS) -lm; done
endef

# $(call fuzz_run,DIR,SECONDS,EXTRA_CORPUS,HOSTILE): replays the
# regressions, then runs each target; new inputs go to DIR/corpus/TARGET.
# HOSTILE=1 also seeds the PDF target with the hostile PDFs under 64 KB,
# less the bombs and the 2,000-page file (seconds each inside Poppler).
define fuzz_run
	@set -e; rm -rf $(1)/hostile; mkdir -p $(1)/hostile; \
	if [ "$(4)" = 1 ]; then python3 tests/hostile/mkhostile.py $(1)/hostile >/dev/null; \
	  find $(1)/hostile -type f \( -size +64k -o -name 'any-bomb-*' -o -name 'ok-pages-*' \
	    -o -name 'any-form-fanout-*' \) -delete; fi; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(1)/corpus/$$t; \
	  echo "== fuzz_$$t ($(1)): $(2) s"; \
	  if ls tests/fuzz/regress/$$t-* >/dev/null 2>&1; then \
	    ORDEX_GRAMMAR_DIR=grammars $(1)/fuzz_$$t tests/fuzz/regress/$$t-* 2>$(1)/$$t.log \
	      || { tail -40 $(1)/$$t.log; exit 1; }; fi; \
	  case $$t in grammar) seeds="$(FUZZ_SEEDS_grammar)";; text) seeds="$(FUZZ_SEEDS_text)";; \
	    pdf) seeds="$(FUZZ_SEEDS_pdf) $(1)/hostile";; dates) seeds="$(FUZZ_SEEDS_dates)";; esac; \
	  ORDEX_GRAMMAR_DIR=grammars ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(1)/fuzz_$$t -max_total_time=$(2) -timeout=20 -rss_limit_mb=3072 \
	    -dict=tests/fuzz/legal.dict -print_final_stats=1 -artifact_prefix=$(1)/$$t- \
	    $(1)/corpus/$$t $$seeds $(3) 2>$(1)/$$t.log \
	    || { tail -40 $(1)/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units' $(1)/$$t.log | sed "s/^/  /"; done
endef

fuzz-build:
	$(call fuzz_build,build/fuzz,$(FUZZ_SAN))

fuzz: fuzz-build
	$(call fuzz_run,build/fuzz,$(FUZZ_SECONDS),)

fuzz-ubsan-build:
	$(call fuzz_build,build/fuzz-ubsan,-fsanitize=undefined -fno-sanitize-recover=undefined)

fuzz-ubsan: fuzz-ubsan-build
	$(call fuzz_run,build/fuzz-ubsan,$(FUZZ_UBSAN_SECONDS),,1)

fuzz-long: fuzz-build
	@if [ -n "$(CORPUS_DIR)" ] && [ ! -d "$(CORPUS_DIR)" ]; then \
	  echo "fuzz-long: CORPUS_DIR=$(CORPUS_DIR) is not a folder" >&2; exit 2; fi
	$(call fuzz_run,build/fuzz,$(FUZZ_SECONDS),$(CORPUS_DIR),1)

demo: deps-demo
	$(MAKE) all
	$(BUILD)/ordex --pretty samples/openai_privilege_order.pdf

samples: $(BUILD)/mksample
	@set -e; for s in samples/*.txt; do \
	  echo "mksample $$s"; $(BUILD)/mksample $$s $${s%.txt}.pdf; done
	$(BUILD)/mksample --rasterise 200 samples/openai_privilege_order.pdf \
	  samples/scans/openai_privilege_order.pdf
	$(BUILD)/mksample --rasterise 72 samples/cand_stipulated_protective_order.pdf \
	  samples/scans/cand_stipulated_protective_order_72dpi.pdf

install: all
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir)/pkgconfig \
	  $(DESTDIR)$(includedir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(docdir)
	install -m 755 $(BUILD)/ordex $(DESTDIR)$(bindir)/ordex
	install -m 644 $(BUILD)/libordex.a $(DESTDIR)$(libdir)/libordex.a
	install -m 755 $(BUILD)/libordex.so.$(LIBVERSION) $(DESTDIR)$(libdir)/
	ln -sf libordex.so.$(LIBVERSION) $(DESTDIR)$(libdir)/libordex.so.$(SOVERSION)
	ln -sf libordex.so.$(LIBVERSION) $(DESTDIR)$(libdir)/libordex.so
	install -m 644 include/ordex.h $(DESTDIR)$(includedir)/ordex.h
	install -m 644 ordex.1 $(DESTDIR)$(mandir)/man1/ordex.1
	install -m 644 LICENSE $(DESTDIR)$(docdir)/LICENSE
	install -m 644 grammars/README.md $(DESTDIR)$(docdir)/grammars.md
	sed -e 's|@prefix@|$(prefix)|; s|@libdir@|$(libdir)|; s|@includedir@|$(includedir)|' \
	  -e 's|@version@|$(LIBVERSION)|; s|@requires@|$(PKGS)|' \
	  ordex.pc.in > $(DESTDIR)$(libdir)/pkgconfig/ordex.pc
	install -d $(DESTDIR)$(datadir)/ordex/python/ordex
	install -m 644 schema/ordex.schema.json $(DESTDIR)$(datadir)/ordex/ordex.schema.json
	install -m 644 python/ordex/*.py python/ordex/py.typed \
	  $(DESTDIR)$(datadir)/ordex/python/ordex/

uninstall:
	rm -f $(DESTDIR)$(bindir)/ordex $(DESTDIR)$(libdir)/libordex.* \
	  $(DESTDIR)$(libdir)/pkgconfig/ordex.pc $(DESTDIR)$(includedir)/ordex.h \
	  $(DESTDIR)$(mandir)/man1/ordex.1
	rm -rf $(DESTDIR)$(datadir)/ordex $(DESTDIR)$(docdir)

clean:
	rm -rf build
