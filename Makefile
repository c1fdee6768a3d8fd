# skuscan — GNU Makefile. `make demo` and `make check` are the two commands.
VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=

CC       ?= cc
PKG_CONFIG ?= pkg-config
DEPS_PKGS = libcsv-dev libpcre2-dev zlib1g-dev libisal-dev libxlsxwriter-dev libminizip-dev pkg-config
# What `make check` uses besides: the man page linter, the terminal for the
# progress bar test, valgrind, the browser for summary.html, strace and GNU
# time for the fault tests, openpyxl and LibreOffice to read skuscan.xlsx.
TEST_PKGS = mandoc tmux valgrind chromium fonts-nanum strace time python3-openpyxl \
	libreoffice-calc-nogui
PROJECT_CFLAGS = -std=c11 -Wall -Wextra -Werror -O2 -g -D_FILE_OFFSET_BITS=64 \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSKUSCAN_VERSION='"$(VERSION)"'
LIB_CFLAGS = $(shell $(PKG_CONFIG) --cflags libpcre2-8 zlib libisal xlsxwriter 2>/dev/null)
# libxlsxwriter is not linked: workbook.c loads it (dlopen) when a workbook is written.
LIB_LIBS   = -pthread -lcsv $(shell $(PKG_CONFIG) --libs libpcre2-8 zlib libisal \
	minizip 2>/dev/null || echo -lpcre2-8 -lz -lisal -lminizip)
ALL_CFLAGS = $(PROJECT_CFLAGS) $(LIB_CFLAGS) $(CFLAGS)
SAN_FLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TSAN_FLAGS = -fsanitize=thread -fno-omit-frame-pointer

# Every module of src/ but main.c: a new module is just its file.
LIB_SRC = $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
UNIT_SRC = $(wildcard tests/unit/test_*.c)

B  = build
BS = build/san
BT = build/tsan

include tests/fuzz/fuzz.mk
include tests/bench/bench.mk
LIB_OBJ  = $(LIB_SRC:src/%.c=$(B)/%.o)
LIB_SOBJ = $(LIB_SRC:src/%.c=$(BS)/%.o)
LIB_TOBJ = $(LIB_SRC:src/%.c=$(BT)/%.o)

.PHONY: all deps test-deps demo check unit cases lint clean install uninstall

# Plain `make` builds the program (the included files define targets first).
.DEFAULT_GOAL := all

all: skuscan

$(B) $(BS) $(BT):
	@mkdir -p $@

$(B)/%.o: src/%.c src/*.h | $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BS)/%.o: src/%.c src/*.h | $(BS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

# The program under ThreadSanitizer, for the threaded golden cases.
$(BT)/%.o: src/%.c src/*.h | $(BT)
	$(CC) $(ALL_CFLAGS) $(TSAN_FLAGS) -c -o $@ $<

$(BT)/skuscan: $(BT)/main.o $(LIB_TOBJ)
	$(CC) $(ALL_CFLAGS) $(TSAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(B)/libskuscan.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BS)/libskuscan.a: $(LIB_SOBJ)
	$(AR) rcs $@ $^

skuscan: $(B)/main.o $(B)/libskuscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(BS)/skuscan: $(BS)/main.o $(BS)/libskuscan.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

# The unit suites are the files tests/unit/test_NAME.c, each defining
# test_NAME(): the list test_main.c runs is made from the file names.
SUITES = $(filter-out main,$(UNIT_SRC:tests/unit/test_%.c=%))
$(B)/suites.h: $(UNIT_SRC) | $(B)
	printf 'SUITE(%s)\n' $(SUITES) >$@

$(B)/unit: $(UNIT_SRC) tests/unit/check.h $(B)/libskuscan.a $(B)/suites.h
	$(CC) $(ALL_CFLAGS) -Isrc -I$(B) $(LDFLAGS) -o $@ $(UNIT_SRC) $(B)/libskuscan.a $(LIB_LIBS)

$(BS)/unit: $(UNIT_SRC) tests/unit/check.h $(BS)/libskuscan.a $(B)/suites.h
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Isrc -I$(B) $(LDFLAGS) -o $@ $(UNIT_SRC) $(BS)/libskuscan.a $(LIB_LIBS)

# Installs the Debian packages skuscan builds and tests with, when missing.
deps:
	@sh tests/deps.sh $(DEPS_PKGS)

test-deps: deps
	@sh tests/deps.sh --optional $(TEST_PKGS)

demo: deps
	@$(MAKE) --no-print-directory skuscan
	./skuscan -s samples/subscriptions.csv -l samples/licenses.csv --as-of 2019-01-01 -o skuscan-out; \
	st=$$?; if [ $$st -ne 0 ] && [ $$st -ne 3 ]; then exit $$st; fi
	@echo "The reports are in skuscan-out/: affected_customers.csv replacements.csv"
	@echo "license_counts.csv migration_audit.csv rejects.csv manifest.csv,"
	@echo "history.csv (a row per run), the page summary.html (open it in a browser)"
	@echo "and the workbook skuscan.xlsx (open it in Excel or LibreOffice)."

# Every test: unit tests and golden cases, then both again under
# AddressSanitizer and UndefinedBehaviorSanitizer, the threaded cases under
# ThreadSanitizer, then the man page lint.
check: test-deps
	@$(MAKE) --no-print-directory skuscan $(B)/unit $(BS)/skuscan $(BS)/unit $(BT)/skuscan
	@sh tests/check.sh

# Parts of `make check`, each alone: the unit tests, the golden cases, the
# man page's lint.
unit: $(B)/unit
	./$(B)/unit

cases: skuscan
	tests/run-cases.sh ./skuscan

lint:
	mandoc -Tlint -Wwarning man/skuscan.1

clean:
	rm -rf $(B) skuscan skuscan-out

install: skuscan
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 skuscan $(DESTDIR)$(BINDIR)/skuscan
	install -m 644 man/skuscan.1 $(DESTDIR)$(MANDIR)/man1/skuscan.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/skuscan $(DESTDIR)$(MANDIR)/man1/skuscan.1
