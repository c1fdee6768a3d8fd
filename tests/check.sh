#!/bin/bash
# Everything `make check` runs, in order; ends with one line
# "N passed, N failed" over all suites (each suite's checks or cases).
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0
rm -rf build/case-outdirs

# Runs a suite; its last line must read "...: N passed, N failed".
suite() {
	local name=$1 out
	shift
	echo "== $name"
	out=$("$@" 2>&1)
	local rc=$?
	echo "$out" | tail -n 40
	local line p f
	line=$(echo "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	[ -n "$line" ] || { p=0; f=1; }
	[ $rc -ne 0 ] && [ "$f" = 0 ] && f=1
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

suite "unit tests" ./build/unit
# The cases' OUTDIRs are kept for the workbook's check (below).
KEEP_OUTDIRS=build/case-outdirs suite "golden cases" tests/run-cases.sh ./skuscan
# The same cases through libcsv alone (no quote-free fast path) and with
# zlib inflating gzip instead of igzip, and
# through the threaded reader of mapped files cut into 7-byte chunks, so
# that chunk edges fall inside every kind of record; that run scans lines
# 16 bytes at a time, where the others take the processor's widest scan.
SKUSCAN_LIBCSV_ONLY=1 SKUSCAN_INFLATE=zlib \
	suite "golden cases (libcsv only, zlib inflate)" tests/run-cases.sh ./skuscan
SKUSCAN_THREADS=2 SKUSCAN_CHUNK_BYTES=7 SKUSCAN_VECTOR_BYTES=16 \
	suite "golden cases (threads, 7-byte chunks, 16-byte scan)" tests/run-cases.sh ./skuscan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=90
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=91
suite "unit tests (ASan+UBSan)" ./build/san/unit
suite "golden cases (ASan+UBSan)" tests/run-cases.sh ./build/san/skuscan
SKUSCAN_THREADS=2 SKUSCAN_CHUNK_BYTES=7 SKUSCAN_VECTOR_BYTES=16 \
	suite "golden cases (ASan+UBSan, threads, 16-byte scan)" tests/run-cases.sh ./build/san/skuscan
unset ASAN_OPTIONS UBSAN_OPTIONS
# The threaded reader's workers, its in-order merge and the page release,
# under ThreadSanitizer: a data race fails the case (exit 92).
TSAN_OPTIONS=halt_on_error=1:exitcode=92 SKUSCAN_THREADS=2 SKUSCAN_CHUNK_BYTES=7 \
	suite "golden cases (ThreadSanitizer, threads, 7-byte chunks)" \
	tests/run-cases.sh ./build/tsan/skuscan
suite "summary.html" tests/html/check.sh ./skuscan
suite "skuscan.xlsx" tests/xlsx/check.sh build/case-outdirs
rm -rf build/case-outdirs
if command -v valgrind >/dev/null; then
	suite "golden cases (valgrind)" tests/valgrind.sh
else
	echo "== valgrind not installed: the valgrind run is skipped"
fi
suite "man page and samples" tests/docs.sh
suite "module graph" tests/modules.sh
suite "man page examples" tests/man-examples.sh ./skuscan
suite "faults while writing" tests/faults.sh ./skuscan
suite "progress bar" tests/progress.sh ./skuscan
echo "$total_pass passed, $total_fail failed"
[ $total_fail -eq 0 ]
