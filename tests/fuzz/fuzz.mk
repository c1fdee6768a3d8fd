# tests/fuzz/fuzz.mk — libFuzzer targets, included by the Makefile after
# LIB_SRC and LIB_LIBS are defined.
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="records values rules items inflate"]
#
# A sixth target, reports (the readers of earlier reports: --previous and
# history.csv), runs when named: make fuzz FUZZ_TARGETS=reports. CI runs
# the default five, within its time.
#
# builds each target with clang's libFuzzer, AddressSanitizer (with its leak
# checker) and UndefinedBehaviorSanitizer (Debian: clang, libclang-rt-14-dev),
# seeds build/fuzz/corpus-NAME from tests/cases, samples/ and
# tests/fuzz/seeds/, and runs each for FUZZ_SECONDS seconds. It prints one
# line per target (executions, coverage) and fails when any target finds a
# crash, a leak, undefined behaviour, a timeout or runaway memory; the input
# is then in build/fuzz/artifacts/ and the log in build/fuzz/NAME.log. The
# corpora are kept between runs, so each run starts where the last stopped.

FUZZ_SAVED_GOAL := $(.DEFAULT_GOAL)

FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_TARGETS ?= records values rules items inflate
FZ = build/fuzz
FUZZ_CFLAGS = -std=c11 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-Wall -Wextra -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Isrc $(LIB_CFLAGS)
FUZZ_LIB_OBJ = $(LIB_SRC:src/%.c=$(FZ)/%.o)
# The records target reads past the 256 KiB and 1 MiB buffers of input.c
# and records.c only with inputs that large (or with gzip).
FUZZ_MAXLEN_records = 300000
FUZZ_MAXLEN_DEFAULT = 65536
FUZZ_RUN_OPTS = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-build fuzz-deps

$(FZ)/%.o: src/%.c src/*.h
	@mkdir -p $(FZ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	    $(FUZZ_LIB_OBJ) $(LIB_LIBS)

fuzz-build: $(FUZZ_TARGETS:%=$(FZ)/fuzz_%)

# Kept between runs: make would otherwise delete them as intermediates.
.SECONDARY: $(FUZZ_LIB_OBJ)

# Seeds: every input file of the golden cases and samples for records; the
# rules files for rules; hand-written values; license values and every line
# of the license exports for items; for inflate, hand-made deflate
# streams (valid, invalid, and the codes only igzip reads) and the data of
# every gzip input recompressed at levels 1 and 9 (gzip -n, header cut
# off), each after a byte that picks how the input is cut. Seed names
# carry the case name, so reseeding overwrites rather than duplicates.
fuzz-deps:
	@sh tests/deps.sh clang libclang-rt-14-dev $(DEPS_PKGS)

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build
	@fail=0; ok=0; bad=0; \
	for t in $(FUZZ_TARGETS); do \
	    c=$(FZ)/corpus-$$t; mkdir -p $$c $(FZ)/artifacts; \
	    case $$t in \
	    records) \
	        for f in tests/cases/*/* samples/*.csv samples/*.gz; do \
	            [ -f "$$f" ] || continue; \
	            case $${f##*/} in args|notes.txt|*.sh|*.md) continue ;; esac; \
	            cp "$$f" "$$c/seed-$$(basename "$$(dirname "$$f")")-$${f##*/}"; \
	        done ;; \
	    rules) \
	        for f in tests/cases/*/rules*.csv samples/rules.csv; do \
	            [ -f "$$f" ] && cp "$$f" "$$c/seed-$$(basename "$$(dirname "$$f")")-$${f##*/}"; \
	        done; : ;; \
	    values) \
	        cp tests/fuzz/seeds/values/* $$c/ ;; \
	    inflate) \
	        cp tests/fuzz/seeds/inflate/* $$c/; \
	        for f in tests/cases/*/*.gz samples/*.gz; do \
	            [ -f "$$f" ] || continue; \
	            for l in 1 9; do \
	                s="$$c/seed-$$(basename "$$(dirname "$$f")")-$$l"; \
	                printf '%s' "$$l" >"$$s"; \
	                { gzip -dc "$$f" 2>/dev/null || true; } | gzip -n -$$l | tail -c +11 >>"$$s"; \
	            done; \
	        done ;; \
	    reports) \
	        for d in tests/cases/hist-*; do \
	            [ -f "$$d/expected/manifest.csv" ] || continue; \
	            { cat "$$d/expected/manifest.csv"; printf '\001'; \
	              cat "$$d/expected/affected_customers.csv"; printf '\001'; \
	              cat "$$d/expected/migration_audit.csv"; printf '\001'; \
	              cat "$$d/expected/history.csv"; } >"$$c/seed-$$(basename "$$d")" 2>/dev/null; \
	        done ;; \
	    items) \
	        cp tests/fuzz/seeds/items/* $$c/; \
	        for f in tests/cases/*/users*.csv tests/cases/*/assignments.csv \
	            tests/cases/*/*licenses*.csv tests/cases/*/msol-users.csv samples/licenses.csv; do \
	            [ -f "$$f" ] || continue; \
	            awk -v p="$$c/seed-$$(basename "$$(dirname "$$f")")-$${f##*/}" \
	                'NR > 1 { o = p "-" NR; printf "%s", $$0 > o; close(o) }' "$$f"; \
	        done ;; \
	    esac; \
	    maxlen=$(FUZZ_MAXLEN_DEFAULT); [ $$t = records ] && maxlen=$(FUZZ_MAXLEN_records); \
	    log=$(FZ)/$$t.log; \
	    if $(FUZZ_ENV) $(FZ)/fuzz_$$t $$c -max_total_time=$(FUZZ_SECONDS) $(FUZZ_RUN_OPTS) \
	        -max_len=$$maxlen -artifact_prefix=$(FZ)/artifacts/$$t- >$$log 2>&1; then \
	        echo "fuzz $$t: $$(grep -E '^#[0-9]+[[:space:]]+DONE' $$log | tail -n 1 | tr -s '\t ' ' ')"; \
	        ok=$$((ok + 1)); \
	    else \
	        st=$$?; fail=1; bad=$$((bad + 1)); \
	        echo "fuzz $$t: FAILED (exit $$st); log $$log, input in $(FZ)/artifacts/:"; \
	        grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED|RELOAD)' $$log | tail -n 40 | sed 's/^/    /'; \
	    fi; \
	done; \
	echo "fuzz: $$ok passed, $$bad failed"; \
	exit $$fail

ifeq ($(FUZZ_SAVED_GOAL),)
.DEFAULT_GOAL :=
else
.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)
endif
