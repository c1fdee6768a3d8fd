#!/bin/bash
# Golden end-to-end cases: tests/run-cases.sh BINARY [--update] [CASE...]
#
# Each tests/cases/NAME/ holds the inputs, `args` (run from inside a copy of
# the folder, with `-o OUTDIR -q` added), optionally `stdin`, `setup.sh`
# (run first, with OUTDIR set) and `check.sh` (run after, with OUTDIR and
# the exit status in STATUS; both get SKUSCAN, the binary), `env` (lines
# NAME=VALUE exported for the run: the test settings of main.c;
# SOURCE_DATE_EPOCH is 2019-01-01 unless it says otherwise), and
# `expected/`: `exit`, and any of the CSV reports, `stdout` and `stderr` (OUTDIR's path reads as OUTDIR). With
# --update the expected files that exist are rewritten from this run (the
# exit status always); a new case, with no expected file but exit, gets
# them all. Review the diff before committing it. A case that checks
# nothing but its exit status fails. With KEEP_OUTDIRS=DIR, each case's
# OUTDIR of a run that published (exit 0 or 3) is kept as DIR/NAME, for
# the workbook's check (tests/xlsx/check.sh).
set -u
bin=$(realpath "$1")
shift
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
top=$(cd "$(dirname "$0")/.." && pwd)
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=($(ls "$top/tests/cases"))
pass=0 fail=0
for name in "${cases[@]}"; do
	src="$top/tests/cases/$name"
	[ -f "$src/args" ] || continue
	tmp=$(mktemp -d)
	cp -a "$src" "$tmp/case"
	rm -rf "$tmp/case/expected"
	out="$tmp/out"
	ok=1 why=""
	(
		cd "$tmp/case" || exit 99
		export OUTDIR="$out"
		# history.csv's run time, fixed (a case's env may set its own), and
		# the binary for a setup.sh that makes the runs before the case's.
		export SOURCE_DATE_EPOCH=1546300800 SKUSCAN="$bin"
		if [ -f setup.sh ]; then bash setup.sh || exit 98; fi
		if [ -f env ]; then set -a; . ./env; set +a; fi
		eval "set -- $(cat args)"
		if [ -f stdin ]; then
			"$bin" "$@" -o "$out" -q <stdin >"$tmp/stdout" 2>"$tmp/stderr"
		else
			"$bin" "$@" -o "$out" -q </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
		fi
	)
	status=$?
	sed -i "s|$out|OUTDIR|g; s|$tmp/case/||g" "$tmp/stderr"
	if [ $update -eq 1 ]; then
		mkdir -p "$src/expected"
		# A new case (no expected file but exit) gets every one: stdout,
		# stderr and each CSV report this run wrote (summary.html is
		# checked by tests/html/check.sh instead).
		if [ -z "$(ls "$src/expected" | grep -vx exit)" ]; then
			touch "$src/expected/stdout" "$src/expected/stderr"
			for r in "$out"/*.csv; do
				[ -f "$r" ] && touch "$src/expected/$(basename "$r")"
			done
		fi
		echo $status >"$src/expected/exit"
		for f in "$src/expected/"*; do
			b=$(basename "$f")
			case $b in
			exit) ;;
			stdout|stderr) cp "$tmp/$b" "$f" ;;
			*) if [ -f "$out/$b" ]; then cp "$out/$b" "$f"; else rm -f "$f"; fi ;;
			esac
		done
	fi
	want=$(cat "$src/expected/exit" 2>/dev/null)
	[ "$status" = "$want" ] || { ok=0; why="exit $status, expected $want"; }
	if [ -z "$(ls "$src/expected" 2>/dev/null | grep -vx exit)" ]; then
		ok=0
		why="$why; no expected file but exit: run --update and review what it wrote"
	fi
	for f in "$src/expected/"*; do
		b=$(basename "$f")
		case $b in
		exit) continue ;;
		stdout|stderr) got="$tmp/$b" ;;
		*) got="$out/$b" ;;
		esac
		if ! cmp -s "$f" "$got"; then
			ok=0
			why="$why; $b differs"
			diff -u "$f" "$got" 2>&1 | head -20 | sed 's/^/    /'
		fi
	done
	if ls -a "$out" 2>/dev/null | grep -q '^\.skuscan-'; then
		ok=0
		why="$why; temporary files left in OUTDIR"
	fi
	if [ -f "$src/check.sh" ]; then
		(cd "$tmp/case" && OUTDIR="$out" STATUS=$status SKUSCAN="$bin" bash "$src/check.sh") >"$tmp/check" 2>&1 ||
			{ ok=0; why="$why; check.sh: $(tail -1 "$tmp/check")"; }
	fi
	if [ $ok -eq 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: ${why#; }"
		sed 's/^/    stderr: /' "$tmp/stderr" | head -5
	fi
	chmod -R u+rwX "$tmp" 2>/dev/null
	if [ -n "${KEEP_OUTDIRS:-}" ] && { [ "$status" = 0 ] || [ "$status" = 3 ]; } &&
		[ -d "$out" ]; then
		mkdir -p "$KEEP_OUTDIRS"
		rm -rf "${KEEP_OUTDIRS:?}/$name"
		mv "$out" "$KEEP_OUTDIRS/$name"
	fi
	rm -rf "$tmp"
done
echo "cases: $pass passed, $fail failed"
[ $fail -eq 0 ]
