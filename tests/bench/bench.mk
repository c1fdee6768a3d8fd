# tests/bench/bench.mk: `make bench` (included by the main Makefile).
# Generates BENCH_ROWS rows of realistic exports (tests/bench/gen.c) into
# BENCH_DIR (default /tmp/skuscan-bench) when missing, then measures skuscan
# against cat, zcat, zlib inflate and, when npm is present, DuckDB.
# `make bench BENCH_ROWS=200000` is a quick run; see tests/bench/README.md.
BENCH_ROWS ?= 5000000

.PHONY: bench

bench: skuscan
	bash tests/bench/run.sh $(BENCH_ROWS)

# Over 4 GiB: a 20-million-row export (plain and gzip) against the
# generator's truth; needs ~6 GB in BENCH_DIR.
.PHONY: bench-big
bench-big: skuscan
	bash tests/bench/big.sh $(BENCH_BIG_ROWS)
BENCH_BIG_ROWS ?= 20000000
