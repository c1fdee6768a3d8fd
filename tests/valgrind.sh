#!/bin/bash
# Every golden case under valgrind: tests/valgrind.sh [CASE...]
#
# Runs tests/run-cases.sh with a wrapper that execs ./skuscan (build it with
# `make skuscan` first) under memcheck. Any valgrind report (invalid read or
# write, uninitialised value, definite or indirect leak) goes to stderr,
# which the case compares with expected/stderr, and makes valgrind exit 97:
# either fails the case. Cases run in parallel, VALGRIND_JOBS at a time (the
# number of CPUs by default). The last line reads
# "valgrind: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/skuscan"
wrap="$top/build/valgrind-skuscan"
supp="$top/build/valgrind-skuscan.supp"
jobs=${VALGRIND_JOBS:-$(nproc 2>/dev/null || echo 2)}

command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (Debian: apt-get install valgrind)"; echo "valgrind: 0 passed, 1 failed"; exit 1; }
[ -x "$bin" ] || { echo "valgrind: $bin is missing: run 'make skuscan' first"; echo "valgrind: 0 passed, 1 failed"; exit 1; }

mkdir -p "$top/build"
# PCRE2's JIT code reads a little past the end of the subject (inside the
# allocation, up to an aligned block) and branches on those bytes before it
# checks the length: memcheck reports "conditional jump depends on
# uninitialised value" in code that has no object file ("???"), the JIT's.
# The suppression matches only such frames, so errors in skuscan, libcsv,
# PCRE2's interpreter, zlib or libc are still reported.
cat >"$supp" <<'EOF'
{
   pcre2-jit-read-ahead-cond
   Memcheck:Cond
   obj:???
}
{
   pcre2-jit-read-ahead-value8
   Memcheck:Value8
   obj:???
}
EOF
cat >"$wrap" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=97 --leak-check=full \\
    --errors-for-leak-kinds=definite,indirect --suppressions="$supp" "$bin" "\$@"
EOF
chmod +x "$wrap"

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=($(ls "$top/tests/cases"))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One run-cases.sh per case, so that failures print whole and in order.
export top wrap out
printf '%s\n' "${cases[@]}" | xargs -P "$jobs" -I{} \
    sh -c '"$top/tests/run-cases.sh" "$wrap" "$1" >"$out/$1" 2>&1' sh {}

pass=0 fail=0
for name in "${cases[@]}"; do
	f="$out/$name"
	line=$(grep -E '^cases: [0-9]+ passed, [0-9]+ failed$' "$f" | tail -n 1)
	if [ -z "$line" ]; then
		fail=$((fail + 1))
		echo "FAIL $name: run-cases.sh did not finish"
		sed 's/^/    /' "$f" | tail -n 20
		continue
	fi
	grep -v -E '^cases: ' "$f"
	p=$(echo "$line" | sed -E 's/^cases: ([0-9]+) passed.*/\1/')
	q=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	pass=$((pass + p))
	fail=$((fail + q))
done
echo "valgrind: $pass passed, $fail failed"
[ $fail -eq 0 ]
