# mailtriage -- top-level build.
#
#   make          build the library and CLI into build/ (build/mailtriage)
#   make test     build everything with ASan+UBSan and run every test
#   make demo     run the main jobs on the bundled examples, offline
#   make fuzz     run every libFuzzer target for FUZZ_SECONDS each
#   make bench    run the benchmarks against the established tools
#   make install  install the CLI, library, headers, mailtriage.pc, man page
#
# Each source folder src/<module>/ is one module, built into its own
# archive; src/<module>/module.mk names the modules it needs (MOD_DEPS_x).
# A test in tests/<module>/ links that module and its dependencies only, so
# a module under construction cannot break another module's tests.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
FUZZ_SECONDS ?= 30
SHARED ?= $(abspath ../shared)

BUILD := build
ASAN := $(BUILD)/asan

PKGS := libunbound libssl libcrypto jansson libpsl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs yaml-0.1 2>/dev/null)

# The CLI takes its libraries in statically (CLI_LINK=static, the default):
# a run of `mailtriage bounce` on one message is mostly start-up, and
# binding the shared libcrypto, libunbound and libpsl costs about 5 million
# instructions (3 ms) before main.  Linked in, only the parts we call come
# along and start-up is about 1 ms.  The price is that a security update of
# those libraries needs a rebuild; `make CLI_LINK=shared` links them shared
# (what a distribution package wants).  The library itself is always shared
# against them.  libpsl's pkg-config file leaves out its own dependencies
# (libidn2, libunistring), so they are named here.
CLI_LINK ?= static
ifeq ($(CLI_LINK),static)
CLI_LIBS := -Wl,-Bstatic $(shell pkg-config --static --libs-only-l $(PKGS) \
	2>/dev/null | sed 's/-ldl//g; s/-pthread//g') -lidn2 -lunistring \
	-Wl,-Bdynamic -ldl -lm -lpthread
else
CLI_LIBS := $(PKG_LIBS) -lm -lpthread
endif

WARN := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -Wformat=2
CSTD := -std=c17 -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS)
CFLAGS ?= -O2 -g
REL_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIC
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
ASAN_CFLAGS := $(CSTD) $(WARN) -O1 -g $(SAN) -DMT_TESTING

MODULES := $(sort $(patsubst src/%/,%,$(filter-out src/cli/,$(wildcard src/*/))))
-include $(wildcard src/*/module.mk)

# Sources per module, objects per build flavour.
mod_src = $(wildcard src/$(1)/*.c)
mod_obj = $(patsubst src/%.c,$(2)/obj/%.o,$(call mod_src,$(1)))
# A module's archive list: itself then its dependencies (already transitive).
mod_libs = $(foreach m,$(1) $(MOD_DEPS_$(1)),$(2)/lib/libmt_$(m).a)

LIB_SRC := $(foreach m,$(MODULES),$(call mod_src,$(m)))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC))
CLI_SRC := $(wildcard src/cli/*.c)
CLI_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(CLI_SRC))
CLI_ASAN_OBJ := $(patsubst src/%.c,$(ASAN)/obj/%.o,$(CLI_SRC))

TEST_COMMON_SRC := $(wildcard tests/common/*.c)
TEST_COMMON_OBJ := $(patsubst tests/%.c,$(ASAN)/tobj/%.o,$(TEST_COMMON_SRC))
TEST_MODS := $(filter-out common cli,$(patsubst tests/%/,%,$(wildcard tests/*/)))
TEST_BINS := $(foreach m,$(TEST_MODS),$(patsubst tests/$(m)/%.c,$(ASAN)/tests/$(m)_%,$(wildcard tests/$(m)/test_*.c)))

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))

# Objects are not intermediate files to delete after a link.
.SECONDARY:

.PHONY: all deps test-deps test check demo fuzz fuzz-build bench install \
	uninstall clean lib cli asan-cli tests

# The package lists below are read when make starts, so on a fresh machine
# the targets that install packages first build through a second make that
# sees them.
all: deps
	@$(MAKE) --no-print-directory lib cli

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

lib: $(BUILD)/libmailtriage.a $(BUILD)/libmailtriage.so $(BUILD)/mailtriage.pc
cli: $(BUILD)/mailtriage

# ---------------------------------------------------------------- release
$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libmailtriage.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libmailtriage.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libmailtriage.so.0 -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/mailtriage: $(CLI_OBJ) $(BUILD)/libmailtriage.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmailtriage.a $(CLI_LIBS)

# The prefix is written into the file, so install writes it again for the
# PREFIX it installs to: a file made by an earlier `make` may name another.
MT_VERSION := $(shell sed -n 's/#define MT_VERSION_STRING "\(.*\)"/\1/p' include/mailtriage/mailtriage.h)
make_pc = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(MT_VERSION)|g' \
	-e 's|@REQUIRES@|$(PKGS)|g' mk/mailtriage.pc.in > $(1)
$(BUILD)/mailtriage.pc: mk/mailtriage.pc.in Makefile
	@mkdir -p $(dir $@)
	$(call make_pc,$@)

# -------------------------------------------------------------- sanitized
$(ASAN)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(ASAN)/tobj/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -Itests -MMD -MP -c $< -o $@

define module_rules
$(ASAN)/lib/libmt_$(1).a: $(call mod_obj,$(1),$(ASAN))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
$(ASAN)/tests/$(1)_%: tests/$(1)/%.c $(TEST_COMMON_OBJ) $(call mod_libs,$(1),$(ASAN))
	@mkdir -p $$(dir $$@) $(ASAN)/dep
	$(CC) $(ASAN_CFLAGS) -Itests -MMD -MP -MF $(ASAN)/dep/$$(notdir $$@).d -o $$@ $$< $(TEST_COMMON_OBJ) \
		-Wl,--start-group $(call mod_libs,$(1),$(ASAN)) -Wl,--end-group \
		$(PKG_LIBS) $(TEST_LIBS) -lm -lpthread
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

ASAN_ALL_LIBS := $(foreach m,$(MODULES),$(ASAN)/lib/libmt_$(m).a)
$(ASAN)/mailtriage: $(CLI_ASAN_OBJ) $(ASAN_ALL_LIBS)
	$(CC) $(ASAN_CFLAGS) -o $@ $(CLI_ASAN_OBJ) -Wl,--start-group \
		$(ASAN_ALL_LIBS) -Wl,--end-group $(PKG_LIBS) -lm -lpthread

asan-cli: $(ASAN)/mailtriage
tests: $(TEST_BINS) $(ASAN)/mailtriage

test: test-deps
	@$(MAKE) --no-print-directory tests lib cli
	@MT_SHARED="$(SHARED)" MT_CLI="$(CURDIR)/$(ASAN)/mailtriage" \
		MT_RELEASE_CLI="$(CURDIR)/$(BUILD)/mailtriage" \
		tests/run.sh $(TEST_BINS) $(wildcard tests/cli/test_*.sh)
check: test

# ------------------------------------------------------------------ demo
demo: deps
	@$(MAKE) --no-print-directory lib cli
	@scripts/demo.sh $(BUILD)/mailtriage

# ------------------------------------------------------------------ fuzz
# Library objects instrumented once (fuzzer-no-link), then each target links
# them with the libFuzzer driver.
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := $(CSTD) -O1 -g $(FUZZ_SAN) -DMT_FUZZING
FUZZ_OBJ := $(patsubst src/%.c,$(BUILD)/fuzzobj/%.o,$(LIB_SRC))
$(BUILD)/fuzzobj/%.o: src/%.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(BUILD)/fuzz/libmt_fuzz.a: $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/fuzz/%: fuzz/%.c $(BUILD)/fuzz/libmt_fuzz.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/libmt_fuzz.a \
		$(PKG_LIBS) -lm -lpthread

fuzz-build: test-deps $(FUZZ_BINS)
fuzz: fuzz-build
	@scripts/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# ----------------------------------------------------------------- bench
bench: deps
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory lib cli
	@bench/run.sh $(BUILD)/mailtriage

# --------------------------------------------------------------- install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/include/mailtriage $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/mailtriage $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/libmailtriage.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libmailtriage.so $(DESTDIR)$(PREFIX)/lib/libmailtriage.so.0
	ln -sf libmailtriage.so.0 $(DESTDIR)$(PREFIX)/lib/libmailtriage.so
	install -m 644 include/mailtriage/*.h $(DESTDIR)$(PREFIX)/include/mailtriage/
	$(call make_pc,$(DESTDIR)$(PREFIX)/lib/pkgconfig/mailtriage.pc)
	install -m 644 doc/mailtriage.1 $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mailtriage $(DESTDIR)$(PREFIX)/lib/libmailtriage.* \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/mailtriage.pc \
		$(DESTDIR)$(PREFIX)/share/man/man1/mailtriage.1
	rm -rf $(DESTDIR)$(PREFIX)/include/mailtriage

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
