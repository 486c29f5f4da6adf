# iotap build. Everything is found by wildcard so that adding a file needs no
# edit here:
#   lib/**/*.c            -> $(BUILD)/libiotap.a (linked by every program/test)
#   analyze/iotap-*.c     -> $(BUILD)/bin/iotap-*   (one main() each)
#   recorder/iotap-*.c    -> $(BUILD)/bin/iotap-*
#   tests/synth/*.c       -> $(BUILD)/bin/iotap-synth (synthetic home generator)
#   tests/unit/test-*.c   -> $(BUILD)/tests/test-*  (run by tests/run.sh)
#   tests/e2e/*.sh        -> run by tests/run.sh
# `make check SAN=1` builds the same tree into build-san/ with ASan+UBSan.

PREFIX  ?= /usr/local
DESTDIR ?=
SAN     ?= 0
CC      ?= cc

ifeq ($(SAN),1)
BUILD   ?= build-san
OPT     ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SANLD    = -fsanitize=address,undefined
else
BUILD   ?= build
OPT     ?= -O2 -g
SANLD    =
endif

PKGS    = libpcap libzstd libmaxminddb yaml-0.1 zlib libbrotlidec libpsl libcrypto
DEPS_OK = $(BUILD)/.deps-ok

# pkg-config is only asked once the dependency script has run.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm

WARN    = -Wall -Wextra -Wshadow -Wno-missing-field-initializers
CFLAGS  ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Ilib $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDLIBS_ALL = $(SANLD) $(PKG_LIBS) $(LDFLAGS)

LIB_SRC   = $(wildcard lib/*.c lib/*/*.c)
LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
PROG_SRC  = $(wildcard analyze/iotap-*.c recorder/iotap-*.c)
PROGS     = $(patsubst %.c,$(BUILD)/bin/%,$(notdir $(PROG_SRC)))
SYNTH_SRC = $(wildcard tests/synth/*.c)
SYNTH_OBJ = $(SYNTH_SRC:%.c=$(BUILD)/obj/%.o)
SYNTH     = $(BUILD)/bin/iotap-synth
TEST_SRC  = $(wildcard tests/unit/test-*.c)
TESTS     = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCH_SRC = $(wildcard tests/bench/*.c)
BENCHES   = $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
# Fuzz targets (tests/fuzz/fuzz-X.c, one LLVMFuzzerTestOneInput each) are also
# linked with tests/fuzz/replay.c into plain programs that replay saved inputs,
# so every crash ever found keeps being checked by `make check`.
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_REPLAY = $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
TESTH_SRC = $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
TESTH_OBJ = $(TESTH_SRC:%.c=$(BUILD)/obj/%.o)

.PHONY: all deps check demo bench install clean fuzz
# Keep objects made by chained pattern rules (no relinking on every make).
.SECONDARY:
all: $(PROGS) $(SYNTH)

deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libiotap.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/analyze/%.o $(BUILD)/libiotap.a
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(BUILD)/libiotap.a $(LDLIBS_ALL)

$(BUILD)/bin/%: $(BUILD)/obj/recorder/%.o $(BUILD)/libiotap.a
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(BUILD)/libiotap.a $(LDLIBS_ALL)

$(SYNTH): $(SYNTH_OBJ) $(BUILD)/libiotap.a
	@mkdir -p $(@D)
	$(CC) -o $@ $(SYNTH_OBJ) $(BUILD)/libiotap.a $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TESTH_OBJ) $(BUILD)/libiotap.a
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(TESTH_OBJ) $(BUILD)/libiotap.a $(LDLIBS_ALL)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BUILD)/libiotap.a
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(BUILD)/libiotap.a $(LDLIBS_ALL)

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/replay.o $(BUILD)/libiotap.a
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(BUILD)/obj/tests/fuzz/replay.o $(BUILD)/libiotap.a $(LDLIBS_ALL)

check: all $(TESTS) $(FUZZ_REPLAY)
	@sh tests/run.sh $(BUILD)

# The main job on the built-in synthetic home.
demo: all
	@sh scripts/demo.sh $(BUILD)

bench: all $(BENCHES)
	@sh scripts/bench.sh $(BUILD)

# Coverage-guided fuzzing with libFuzzer (clang); FUZZ_SECONDS per target.
fuzz: $(DEPS_OK)
	@sh tests/fuzz/run.sh $(or $(FUZZ_SECONDS),60)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)/etc/iotap
	install -m 0755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	for m in man/*.[158]; do [ -f "$$m" ] || continue; \
	    s=$${m##*.}; install -m 0644 "$$m" $(DESTDIR)$(PREFIX)/share/man/man$$s/; done
	[ -f $(DESTDIR)/etc/iotap/iotap.yaml ] || \
	    install -m 0644 etc/iotap.yaml $(DESTDIR)/etc/iotap/iotap.yaml
	if [ -f etc/iotap-record@.service ]; then \
	    install -d $(DESTDIR)$(PREFIX)/lib/systemd/system; \
	    sed 's|@PREFIX@|$(PREFIX)|g' etc/iotap-record@.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/iotap-record@.service; \
	    chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/iotap-record@.service; fi

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(SYNTH_OBJ:.o=.d) $(TESTH_OBJ:.o=.d) $(PROG_SRC:%.c=$(BUILD)/obj/%.d) $(TEST_SRC:%.c=$(BUILD)/obj/%.d) $(BENCH_SRC:%.c=$(BUILD)/obj/%.d) $(FUZZ_SRC:%.c=$(BUILD)/obj/%.d)
