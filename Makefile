# ordex - plain Makefile (GNU make).  See README.md.
#
#   make            build build/libordex.a, build/libordex.so, build/ordex
#   make deps       install the Debian packages below when missing (root)
#   make check      deps + build with -Werror + every test
#   make asan       the tests again under AddressSanitizer + UBSan
#   make demo       deps + build + run ordex on the bundled OpenAI sample
#   make samples    rebuild samples/*.pdf from samples/*.txt, and the scan
#                   samples/scans/*.pdf from a sample PDF
#   make install    honours prefix and DESTDIR
#   make clean      leaves `git status --ignored` empty

# ---- Dependencies: the one list -------------------------------------
# Debian packages needed to build, test and benchmark ordex.
DEB_PACKAGES = build-essential pkg-config \
	libpoppler-glib-dev libicu-dev libjson-glib-dev check \
	libhunspell-dev hunspell-en-us \
	libpango1.0-dev fonts-liberation \
	libtesseract-dev tesseract-ocr-eng \
	libwebp-dev libgif-dev libopenjp2-7-dev libtiff-dev \
	poppler-utils qpdf python3 python3-jsonschema clang libclang-rt-14-dev slurmctld slurmd slurm-client munge valgrind
# (libwebp-dev ... libtiff-dev: leptonica's lept.pc lists them for static
# links, `pkg-config --static --libs ordex`, but libleptonica-dev does not
# depend on them.)
# pkg-config modules of the library, of the tests, of the sample generator.
PKGS = poppler-glib json-glib-1.0 gio-2.0 glib-2.0 icu-uc icu-i18n tesseract lept hunspell
TEST_PKGS = check
GEN_PKGS = pangocairo cairo-pdf poppler-glib glib-2.0

# ---- Settings ---------------------------------------------------------
prefix ?= /usr/local
bindir ?= $(prefix)/bin
libdir ?= $(prefix)/lib
includedir ?= $(prefix)/include
datadir ?= $(prefix)/share
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
GEN_CFLAGS := $(shell pkg-config --cflags $(GEN_PKGS) 2>/dev/null)
GEN_LIBS := $(shell pkg-config --libs $(GEN_PKGS) 2>/dev/null)

CPPFLAGS_ALL = -Iinclude -Iparser -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DORDEX_BUILDING -DORDEX_GRAMMAR_DIR='"$(datadir)/ordex/grammars"'
ALL_CFLAGS = $(WARN) $(WERROR) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS_ALL) $(PKG_CFLAGS)

# The command is main.c plus the cli_*.c files; everything else is the library.
CLI_SRC := parser/main.c $(sort $(wildcard parser/cli_*.c))
LIB_SRC := $(filter-out $(CLI_SRC),$(sort $(wildcard parser/*.c)))
LIB_OBJ := $(LIB_SRC:parser/%.c=$(BUILD)/obj/%.o)
CHECK_SRC := $(sort $(wildcard tests/check_*.c))
CHECK_BIN := $(CHECK_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps check asan test demo samples install uninstall clean \
	tests unit golden eval bench fuzz fuzz-build

all: $(BUILD)/libordex.a $(BUILD)/libordex.so $(BUILD)/ordex

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: need root to install:$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/obj/%.o: parser/%.c parser/ordex_p.h include/ordex.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

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
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_SRC) $(BUILD)/libordex.a $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/%.c $(BUILD)/libordex.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(BUILD)/libordex.a \
	  $(TEST_LIBS) $(PKG_LIBS) -lm

$(BUILD)/mksample: tests/gen/mksample.c | $(BUILD)/obj
	$(CC) $(WARN) $(WERROR) $(CFLAGS) $(GEN_CFLAGS) -o $@ $< $(GEN_LIBS) -lm

-include $(LIB_OBJ:.o=.d)

tests: all $(CHECK_BIN)

# Unit tests (Check), then the golden and command-line tests.
unit: tests
	@set -e; for t in $(CHECK_BIN); do echo "== $$t"; \
	  OMP_THREAD_LIMIT=1 CK_DEFAULT_TIMEOUT=60 $$t; done

# Every tests/run_*.sh script: golden outputs, command line, batch, ...
golden: all
	@set -e; for s in $(sort $(wildcard tests/run_*.sh)); do echo "== $$s"; \
	  sh $$s $(BUILD)/ordex; done

test: unit golden

check: deps
	$(MAKE) WERROR=-Werror test
	$(MAKE) fuzz FUZZ_SECONDS=12

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
asan: deps
	CK_FORK=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) BUILD=build/asan CFLAGS="$(ASAN_FLAGS)" SANFLAGS= \
	  LDFLAGS="-fsanitize=address,undefined" test

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

# Precision and recall on the gold of the real corpus (skips without it).
CORPUS ?= ../shared/corpus
eval: all
	python3 tests/eval.py $(BUILD)/ordex $(CORPUS)/real
	python3 tests/eval_attorneys.py $(BUILD)/ordex $(CORPUS)/real

# Performance (issue 9; not part of check): tests/bench/bench.py.
BENCH_RUNS ?= 3
bench: all $(BUILD)/mksample
	python3 tests/bench/bench.py --ordex $(BUILD)/ordex --mksample $(BUILD)/mksample \
	  --out $(BUILD)/bench --bulk $(CORPUS)/bulk --runs $(BENCH_RUNS)

# ---- Fuzzing (libFuzzer, clang) -----------------------------------------
# `make fuzz FUZZ_SECONDS=N` runs each target for N seconds; `make check`
# runs each briefly.  tests/fuzz/regress/ holds every input that once
# crashed, named after what it was; each target replays them first.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = grammar text pdf dates
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_BIN := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
FUZZ_SEEDS_grammar = grammars
FUZZ_SEEDS_text = samples tests/fuzz/seeds/text
FUZZ_SEEDS_pdf = samples
FUZZ_SEEDS_dates = tests/fuzz/seeds/dates

fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=clang WERROR= \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	  build/fuzz/libordex.a
	@set -e; for t in $(FUZZ_TARGETS); do \
	  clang -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) \
	    -o build/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c build/fuzz/libordex.a $(PKG_LIBS) -lm; done

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t; \
	  echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  if ls tests/fuzz/regress/$$t-* >/dev/null 2>&1; then \
	    ORDEX_GRAMMAR_DIR=grammars build/fuzz/fuzz_$$t tests/fuzz/regress/$$t-*; fi; \
	  ORDEX_GRAMMAR_DIR=grammars ASAN_OPTIONS=detect_leaks=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=3072 \
	    -dict=tests/fuzz/legal.dict -print_final_stats=1 -artifact_prefix=build/fuzz/$$t- \
	    build/fuzz/corpus/$$t $(FUZZ_SEEDS_$$t) 2>build/fuzz/$$t.log \
	    || { tail -40 build/fuzz/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units' build/fuzz/$$t.log | sed "s/^/  /"; done

demo: deps all
	ORDEX_GRAMMAR_DIR=grammars $(BUILD)/ordex --pretty samples/openai_privilege_order.pdf

samples: $(BUILD)/mksample
	@set -e; for s in samples/*.txt; do \
	  echo "mksample $$s"; $(BUILD)/mksample $$s $${s%.txt}.pdf; done
	$(BUILD)/mksample --rasterise 200 samples/openai_privilege_order.pdf \
	  samples/scans/openai_privilege_order.pdf

install: all
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir)/pkgconfig \
	  $(DESTDIR)$(includedir) $(DESTDIR)$(datadir)/ordex/grammars
	install -m 755 $(BUILD)/ordex $(DESTDIR)$(bindir)/ordex
	install -m 644 $(BUILD)/libordex.a $(DESTDIR)$(libdir)/libordex.a
	install -m 755 $(BUILD)/libordex.so.$(LIBVERSION) $(DESTDIR)$(libdir)/
	ln -sf libordex.so.$(LIBVERSION) $(DESTDIR)$(libdir)/libordex.so.$(SOVERSION)
	ln -sf libordex.so.$(LIBVERSION) $(DESTDIR)$(libdir)/libordex.so
	install -m 644 include/ordex.h $(DESTDIR)$(includedir)/ordex.h
	install -m 644 grammars/*.rules grammars/README.md $(DESTDIR)$(datadir)/ordex/grammars/
	sed -e 's|@prefix@|$(prefix)|; s|@libdir@|$(libdir)|; s|@includedir@|$(includedir)|' \
	  -e 's|@version@|$(LIBVERSION)|; s|@requires@|$(PKGS)|' \
	  ordex.pc.in > $(DESTDIR)$(libdir)/pkgconfig/ordex.pc
	install -d $(DESTDIR)$(datadir)/ordex/python
	install -m 644 schema/ordex.schema.json $(DESTDIR)$(datadir)/ordex/ordex.schema.json
	install -m 644 python/ordex.py $(DESTDIR)$(datadir)/ordex/python/ordex.py

uninstall:
	rm -f $(DESTDIR)$(bindir)/ordex $(DESTDIR)$(libdir)/libordex.* \
	  $(DESTDIR)$(libdir)/pkgconfig/ordex.pc $(DESTDIR)$(includedir)/ordex.h
	rm -rf $(DESTDIR)$(datadir)/ordex

clean:
	rm -rf build
