#!/bin/bash
# Faults while writing: a full disk, a signal in the middle of a run, a
# symbolic link planted at a report's name, an OUTDIR that cannot be
# written. Each must leave the last good reports untouched and no
# temporary file behind. Usage: tests/faults.sh BINARY
set -u
bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pass=0 fail=0 skip=0
# history.csv records each run's time: fixed, so that a run's set is the same bytes each time.
export SOURCE_DATE_EPOCH=1546300800
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# A run into $1 reading the fifo $2 as stdin, fed the first $3 lines of
# big.csv and then held open on fd 7; its stderr to $4, its pid in $pid.
held_run() {
	mkfifo "$2"
	"$bin" -s - --as-of 2019-01-01 -q -o "$1" <"$2" 2>"$4" &
	pid=$!
	exec 7>"$2"
	head -n "$3" "$tmp/big.csv" >&7
	sleep 0.3
}
# A run that failed as it should: exit 1, a message matching $3 on stderr
# ($tmp/err), the last good reports in $4 unchanged (their sums in $sum1),
# and no temporaries. $1 names the attack in a failure.
failed_cleanly() {
	[ "$2" -eq 1 ] && ok || bad "$1: exit $2, expected 1"
	grep -q "$3" "$tmp/err" && ok || bad "$1: message: $(cat "$tmp/err")"
	[ "$(set_sum "$4")" = "$sum1" ] && ok || bad "$1: the last good reports changed"
	no_temps "$4" && ok || bad "$1: temporaries left"
}
# No temporaries: nothing named .skuscan-* (earlier versions' temporaries),
# and under .skuscan/ only the lock, the link current and its generation.
no_temps() {
	local cur
	! ls -a "$1" 2>/dev/null | grep -q '^\.skuscan-' || return 1
	[ -d "$1/.skuscan" ] || return 0
	cur=$(readlink "$1/.skuscan/current" 2>/dev/null)
	[ -z "$(ls -A "$1/.skuscan" | grep -v -x -e lock -e current -e "${cur:-current}")" ]
}
# A run in progress has a generation that current does not point at.
running_gen() {
	local cur
	cur=$(readlink "$1/.skuscan/current" 2>/dev/null)
	ls -A "$1/.skuscan" 2>/dev/null | grep -v -x -e lock -e current -e "${cur:-current}" | grep -q '^run\.'
}
# The bytes of the set a reader sees: every report, summary.html and skuscan.xlsx included.
set_sum() { cat "$1/"*.csv "$1/summary.html" "$1/skuscan.xlsx" 2>/dev/null | md5sum; }
good_run() { "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -q -o "$1"; }

# full_disk LABEL INPUT OUT: a run on INPUT fills the disk under OUT; it must
# fail with ENOSPC and leave the last good reports as they were, no temporaries.
full_disk() {
	local label=$1 input=$2 out=$3 sum1 st
	good_run "$out" && ok || bad "$label: the good run before it failed"
	sum1=$(set_sum "$out")
	"$bin" -s "$input" --as-of 2019-01-01 -q -o "$out" 2>"$tmp/err"
	st=$?
	[ $st -eq 1 ] && ok || bad "$label: exit $st, expected 1"
	grep -q "No space left on device" "$tmp/err" && ok || bad "$label: message: $(cat "$tmp/err")"
	[ "$(set_sum "$out")" = "$sum1" ] && ok || bad "$label: the last good reports changed"
	no_temps "$out" && ok || bad "$label: temporary files left"
}

# Retired subscriptions enough for replacements.csv to outgrow a small disk.
{
	echo "CustomerId,SubscriptionId,OfferName,Quantity"
	for i in $(seq 1 3000); do
		echo "c$i,s$i,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5"
	done
} >"$tmp/big.csv"

# 1. A full disk while the reports are written.
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=256k tmpfs "$tmp/full" 2>/dev/null; then
	full_disk "full disk" "$tmp/big.csv" "$tmp/full/out"
	umount "$tmp/full"
else
	skip=$((skip + 1))
	echo "faults: cannot mount a tmpfs (not root?): full-disk check skipped"
fi

# 1b. Reports of several MiB are written with O_DIRECT, each full buffer on
# a thread while the next is filled: the same bytes on the disk and on a
# tmpfs, and a full disk in the middle of them fails cleanly.
awk 'BEGIN { print "CustomerId,SubscriptionId,OfferName,Quantity";
	for (i = 1; i <= 20000; i++)
		printf "c%d,s%d,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),%d\n", i, i, i % 97 + 1 }' >"$tmp/large.csv"
"$bin" -s "$tmp/large.csv" --as-of 2019-01-01 -q -o "$tmp/large-disk"
[ "$(wc -l <"$tmp/large-disk/replacements.csv")" = 20001 ] && ok ||
	bad "large reports: replacements.csv has $(wc -l <"$tmp/large-disk/replacements.csv") lines"
[ "$(tail -n 1 "$tmp/large-disk/replacements.csv" | cut -d, -f1,3,10)" = "c9999,s9999,9" ] && ok ||
	bad "large reports: last row $(tail -n 1 "$tmp/large-disk/replacements.csv")"
# Reports of 4096 rows or more are written on threads of their own (here
# replacements.csv, affected_customers.csv and migration_audit.csv), with SKUSCAN_THREADS=1 one
# after another on the calling thread: the same bytes either way.
for t in 1 2; do
	SOURCE_DATE_EPOCH=1700000000 SKUSCAN_THREADS=$t "$bin" -s "$tmp/large.csv" \
	    --as-of 2019-01-01 -q -o "$tmp/large-t$t"
done
for f in affected_customers.csv replacements.csv license_counts.csv migration_audit.csv \
    history.csv manifest.csv summary.html; do
	cmp -s "$tmp/large-t1/$f" "$tmp/large-t2/$f" && ok ||
		bad "large reports: $f differs between one thread and two"
done
# The same under ThreadSanitizer (make check builds it): the writer threads
# and the calling thread share the summary, and only read it.
if [ -x "$top/build/tsan/skuscan" ]; then
	rc=0
	TSAN_OPTIONS=halt_on_error=1:exitcode=92 SOURCE_DATE_EPOCH=1700000000 SKUSCAN_THREADS=2 \
	    "$top/build/tsan/skuscan" -s "$tmp/large.csv" --as-of 2019-01-01 -q --no-xlsx \
	    -o "$tmp/large-tsan" 2>"$tmp/err" || rc=$?
	[ $rc -eq 0 ] && ok || bad "large reports under ThreadSanitizer: exit $rc: $(head -n 5 "$tmp/err")"
	for f in affected_customers.csv migration_audit.csv replacements.csv; do
		cmp -s "$tmp/large-t1/$f" "$tmp/large-tsan/$f" &&
			ok || bad "large reports under ThreadSanitizer: $f differs"
	done
else
	skip=$((skip + 1))
	echo "faults: no build/tsan/skuscan (make check builds it): the ThreadSanitizer run skipped"
fi
mkdir -p "$tmp/big-fs"
if mount -t tmpfs -o size=64m tmpfs "$tmp/big-fs" 2>/dev/null; then
	"$bin" -s "$tmp/large.csv" --as-of 2019-01-01 -q -o "$tmp/big-fs/out"
	cmp -s "$tmp/large-disk/replacements.csv" "$tmp/big-fs/out/replacements.csv" && ok ||
		bad "large reports: tmpfs and disk differ"
	umount "$tmp/big-fs"
	mount -t tmpfs -o size=3m tmpfs "$tmp/big-fs"
	full_disk "full disk, large reports" "$tmp/large.csv" "$tmp/big-fs/out"
	umount "$tmp/big-fs"
else
	skip=$((skip + 1))
	echo "faults: cannot mount a tmpfs (not root?): large-report checks on tmpfs skipped"
fi

# 1c. A disk that fills up while skuscan.xlsx is written. libxlsxwriter
# does not check its writes to its temporary files, and packing the
# workbook frees some as it goes: without the read-back (xlsxcheck), a run
# on these sizes published a workbook cut short with exit status 0. On
# disks from the size of the whole set to six times it, each run either
# fails cleanly or publishes a workbook whose every cell is its CSV's.
mkdir -p "$tmp/xfs"
if mount -t tmpfs -o size=64m tmpfs "$tmp/xfs" 2>/dev/null; then
	"$bin" -s "$tmp/big.csv" --as-of 2019-01-01 -q -o "$tmp/xfs/out"
	whole=$(du -sk "$tmp/xfs/out/.skuscan" | cut -f1)
	umount "$tmp/xfs"
	failed_xlsx=0 published=0
	for k in $(seq 4 24); do
		label="workbook on a disk of $((whole * k / 4)) KiB"
		mount -t tmpfs -o size=$((whole * k / 4))k tmpfs "$tmp/xfs"
		good_run "$tmp/xfs/out" && ok || bad "$label: the good run before it failed"
		sum1=$(set_sum "$tmp/xfs/out")
		"$bin" -s "$tmp/big.csv" --as-of 2019-01-01 -q -o "$tmp/xfs/out" 2>"$tmp/err"
		st=$?
		if [ $st -eq 0 ]; then
			published=$((published + 1))
			if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
				/usr/bin/python3 "$top/tests/xlsx/check.py" "$tmp/xfs/out" >"$tmp/xcheck" 2>&1 &&
					ok || bad "$label: exit 0, but: $(grep -v passed "$tmp/xcheck" | tail -n 2)"
			fi
		else
			grep -q 'skuscan.xlsx' "$tmp/err" && failed_xlsx=$((failed_xlsx + 1))
			failed_cleanly "$label" $st "No space left on device\|reads back incomplete" "$tmp/xfs/out"
		fi
		umount "$tmp/xfs"
	done
	[ $failed_xlsx -gt 0 ] && ok || bad "workbook on a full disk: no run failed while writing it"
	[ $published -gt 0 ] && ok || bad "workbook on a full disk: no run had room enough"
else
	skip=$((skip + 1))
	echo "faults: cannot mount a tmpfs (not root?): the workbook's full-disk check skipped"
fi

# 2. SIGINT and SIGTERM while an input is being read (stdin held open).
for sig in INT TERM; do
	out="$tmp/sig-$sig"
	good_run "$out"
	sum1=$(set_sum "$out")
	held_run "$out" "$tmp/fifo-$sig" 20 /dev/null
	running_gen "$out" && ok || bad "SIG$sig: no generation being written while running"
	kill -$sig $pid
	wait $pid
	st=$?
	exec 7>&-
	[ $st -eq 1 ] && ok || bad "SIG$sig: exit status $st, expected 1"
	[ "$(set_sum "$out")" = "$sum1" ] && ok || bad "SIG$sig: the last good reports changed"
	no_temps "$out" && ok || bad "SIG$sig: temporary files left"
done

# A fatal error in a pipe's first lines while its writer goes on: exit at
# once, not when the writer stops.
mkfifo "$tmp/fifo-bad"
(printf 'Foo,Bar\nx,y\n'; sleep 20) >"$tmp/fifo-bad" &
writer=$!
timeout 10 "$bin" -s "$tmp/fifo-bad" -o "$tmp/pipe-out" --as-of 2019-01-01 -q 2>/dev/null
st=$?
kill $writer 2>/dev/null
wait $writer 2>/dev/null
[ $st -eq 1 ] && ok || bad "fatal error on an open pipe: exit $st (124: it waited for the writer)"

# 3. A symbolic link planted at a report's name is replaced by the report's
# own link through .skuscan/current, never followed.
out="$tmp/link"
mkdir -p "$out"
echo "precious" >"$tmp/victim"
ln -s "$tmp/victim" "$out/affected_customers.csv"
good_run "$out"
[ "$(cat "$tmp/victim")" = "precious" ] && ok || bad "symlink: the link's target was written"
[ "$(readlink "$out/affected_customers.csv")" = .skuscan/current/affected_customers.csv ] &&
	[ -f "$out/.skuscan/current/affected_customers.csv" ] &&
	[ ! -L "$out/.skuscan/current/affected_customers.csv" ] && ok ||
	bad "symlink: the report is not skuscan's link to a regular file"

# 4. A directory standing at one report's name: nothing is published, not
# even the reports that could have been renamed.
out="$tmp/blocked"
good_run "$out"
rm "$out/migration_audit.csv"
mkdir -p "$out/migration_audit.csv/x"
sum1=$(cat "$out/affected_customers.csv" "$out/replacements.csv" "$out/manifest.csv" | md5sum)
"$bin" -s "$top/tests/cases/example-01-subscriptions-only/subscriptions.csv" --as-of 2019-01-15 \
    -q -o "$out" 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && ok || bad "blocked publish: exit $st, expected 1"
[ "$(cat "$out/affected_customers.csv" "$out/replacements.csv" "$out/manifest.csv" | md5sum)" = "$sum1" ] &&
	ok || bad "blocked publish: some reports were replaced"
no_temps "$out" && ok || bad "blocked publish: temporary files left"

# 5. Reports are created as the umask allows (customer data: 077 keeps them private).
(umask 077 && good_run "$tmp/private")
[ "$(stat -L -c %a "$tmp/private/affected_customers.csv")" = 600 ] && ok ||
	bad "umask 077: reports are $(stat -L -c %a "$tmp/private/affected_customers.csv")"
(umask 022 && good_run "$tmp/shared")
[ "$(stat -L -c %a "$tmp/shared/affected_customers.csv")" = 644 ] && ok ||
	bad "umask 022: reports are $(stat -L -c %a "$tmp/shared/affected_customers.csv")"

# 6. An OUTDIR that cannot be created (under /proc, even for root).
"$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -q -o /proc/skuscan-out 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && ok || bad "unwritable OUTDIR: exit $st, expected 1"
grep -q "^skuscan: /proc/skuscan-out: cannot create" "$tmp/err" && ok ||
	bad "unwritable OUTDIR: message: $(cat "$tmp/err")"

# 7. Standard output that cannot be written (a full disk): --help, --version
# and --print-rules exit 1 and say why, never 0 with nothing written.
for opt in --help --version --print-rules; do
	"$bin" $opt >/dev/full 2>"$tmp/err"
	st=$?
	[ $st -eq 1 ] && ok || bad "$opt >/dev/full: exit $st, expected 1"
	grep -q "^skuscan: standard output: " "$tmp/err" && ok ||
		bad "$opt >/dev/full: message: $(cat "$tmp/err")"
done

# 8. Memory that runs out inside libcsv (a 150 MB quoted field under a
# 120 MB address-space limit) is the fatal "out of memory", not a reject.
{
	printf 'CustomerId,SubscriptionId,OfferName,Quantity\nc1,s1,"'
	head -c 157286400 /dev/zero | tr '\0' x
	printf '",1\n'
} >"$tmp/bigq.csv"
(ulimit -v 120000; "$bin" -s "$tmp/bigq.csv" --max-field-bytes 400000000 --as-of 2019-01-01 -q \
    -o "$tmp/oom" 2>"$tmp/err")
st=$?
[ $st -eq 1 ] && ok || bad "out of memory in libcsv: exit $st, expected 1"
grep -q "^skuscan: $tmp/bigq.csv: out of memory" "$tmp/err" && ok ||
	bad "out of memory in libcsv: message: $(cat "$tmp/err")"
# The same under a name with a newline and a clear-screen sequence: the
# message, written once memory has run out, names it escaped.
mv "$tmp/bigq.csv" "$tmp/bigq"$'\n\e[2J'".csv"
(ulimit -v 120000; "$bin" -s "$tmp/bigq"$'\n\e[2J'".csv" --max-field-bytes 400000000 \
    --as-of 2019-01-01 -q -o "$tmp/oom" 2>"$tmp/err")
grep -q -x -F "skuscan: $tmp/bigq\\n\\x1b[2J.csv: out of memory" "$tmp/err" && ok ||
	bad "out of memory, odd name: message: $(od -c "$tmp/err" | head -4)"
rm -f "$tmp/bigq"*

# 9. Publishing is one unit. Run A's set is in OUTDIR; run B is killed
# (SIGKILL) or fails (EACCES) at each rename, symlink and unlink it makes:
# the set is A's or B's, never a mix, and the next run removes what the
# killed one left. Once from a set of plain files (as earlier versions
# wrote them), once from links.
run_a() { "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -q -o "$1"; }
run_b() {
	"$bin" -s "$top/samples/subscriptions.csv" -l "$top/samples/licenses.csv" \
	    --as-of 2019-03-01 -q -o "$1"
}
if strace -f -o /dev/null -e inject=rename:error=EACCES:when=1 true 2>/dev/null; then
	# B's set after A's (history.csv holds both runs).
	run_a "$tmp/set-b" && run_b "$tmp/set-b" && sum_b=$(set_sum "$tmp/set-b")
	for start in plain links; do
		for call in rename symlink unlink; do
			for n in 1 2 3 4 5 6 7 8 9 10; do
				for how in signal=SIGKILL error=EACCES; do
					out="$tmp/kill-$start-$call-$n-${how%%=*}"
					run_a "$out"
					if [ $start = plain ]; then
						for f in "$out"/*.csv "$out"/summary.html; do
							cp -L "$f" "$f.plain" && mv -f "$f.plain" "$f"
						done
						rm -rf "$out/.skuscan"
					fi
					sum_a=$(set_sum "$out")
					st=$( { strace -f -o /dev/null -e inject=$call:$how:when=$n \
					    "$bin" -s "$top/samples/subscriptions.csv" \
					    -l "$top/samples/licenses.csv" --as-of 2019-03-01 -q \
					    -o "$out" 2>"$tmp/err"; echo $?; } 2>/dev/null)
					got=$(set_sum "$out")
					label="$start, $call #$n ${how%%=*}"
					[ "$got" = "$sum_a" ] || [ "$got" = "$sum_b" ] && ok ||
						bad "$label: a mixed set"
					if [ "$how" = error=EACCES ]; then
						# Exit 1 means nothing changed; 0 means B's whole set.
						{ [ $st -eq 1 ] && [ "$got" = "$sum_a" ]; } ||
						    { [ $st -eq 0 ] && [ "$got" = "$sum_b" ]; } && ok ||
							bad "$label: exit $st and the set of $([ "$got" = "$sum_a" ] && echo A || echo B)"
					fi
					run_b "$out"
					[ "$(set_sum "$out")" = "$sum_b" ] && ok ||
						bad "$label: the run after it did not publish"
					no_temps "$out" && ok || bad "$label: the run after it left temporaries"
					rm -rf "$out"
				done
			done
		done
	done
else
	skip=$((skip + 1))
	echo "faults: strace cannot inject faults here: kill-at-every-rename checks skipped"
fi

# 10. Two runs into one OUTDIR: the second waits for the first's lock; each
# pair ends with one whole set. A run that cannot get the lock in
# SKUSCAN_LOCK_WAIT seconds exits 1 naming the process that holds it.
# Each pair into an OUTDIR of its own: the set is then the later run's, its
# history.csv holding both runs (A's then B's, or B's then A's).
run_a "$tmp/set-ab" && run_b "$tmp/set-ab" && sum_ab=$(set_sum "$tmp/set-ab")
run_b "$tmp/set-ba" && run_a "$tmp/set-ba" && sum_ba=$(set_sum "$tmp/set-ba")
for i in 1 2 3 4 5 6 7 8 9 10; do
	out="$tmp/pairs-$i"
	run_a "$out" & a=$!
	run_b "$out" & b=$!
	wait $a; sa=$?
	wait $b; sb=$?
	[ $sa -eq 0 ] && [ $sb -eq 0 ] && ok || bad "pair $i: exits $sa and $sb"
	got=$(set_sum "$out")
	[ "$got" = "$sum_ab" ] || [ "$got" = "$sum_ba" ] && ok || bad "pair $i: a mixed set"
	no_temps "$out" && ok || bad "pair $i: temporaries left"
done
# The lock file still holds a longer id than any process has (left by an
# earlier version, or garbage): the holder's id is written over it.
printf '12345678901234567890123456789\n' >"$out/.skuscan/lock"
held_run "$out" "$tmp/fifo-lock" 5 /dev/null
holder=$pid
SKUSCAN_LOCK_WAIT=1 "$bin" -s "$top/samples/subscriptions.csv" -q -o "$out" 2>"$tmp/err"
st=$?
exec 7>&-
wait $holder
[ $st -eq 1 ] && ok || bad "locked OUTDIR: exit $st, expected 1"
grep -q "^skuscan: $out: in use by another skuscan run (process $holder)" "$tmp/err" && ok ||
	bad "locked OUTDIR: message: $(cat "$tmp/err")"

# 11. What dead runs left (a generation never published, a half-made link
# in .skuscan or in OUTDIR, temporaries of earlier versions) is removed by
# the next run.
out="$tmp/stale"
run_a "$out"
mkdir -p "$out/.skuscan/run.dead01"
head -c 100000 /dev/zero >"$out/.skuscan/run.dead01/replacements.csv"
ln -s run.dead01 "$out/.skuscan/.link.x1"
ln -s run.dead01 "$out/.skuscan/.skuscan-link.99999"
ln -s .skuscan/current/replacements.csv "$out/.skuscan-link.99999"
: >"$out/.skuscan-replacements.csv.AbC123"
run_a "$out"
no_temps "$out" && ok || bad "stale: left $(ls -A "$out" "$out/.skuscan")"

# 12. Every signal that can end a run ends it with exit 1, a message and no
# temporaries; SIGPIPE is ignored (the run goes on); a full file-size
# limit (SIGXFSZ) is a write error; a closed stderr does not change the exit.
for sig in HUP QUIT XCPU USR1 ALRM PIPE; do
	out="$tmp/sig2-$sig"
	run_a "$out"
	sum1=$(set_sum "$out")
	rm -f "$tmp/fifo"
	held_run "$out" "$tmp/fifo" 20 "$tmp/err"
	kill -$sig $pid
	sleep 0.1
	exec 7>&-
	wait $pid
	st=$?
	if [ $sig = PIPE ]; then
		[ $st -eq 0 ] && ok || bad "SIGPIPE: exit $st, expected 0 (ignored)"
		no_temps "$out" && ok || bad "SIGPIPE: temporaries left"
	else
		failed_cleanly "SIG$sig" $st "^skuscan: stopped by SIG$sig" "$out"
	fi
done
out="$tmp/fsize"
run_a "$out"
sum1=$(set_sum "$out")
(ulimit -f 64; "$bin" -s "$tmp/large.csv" --as-of 2019-01-01 -q -o "$out" 2>"$tmp/err")
st=$?
[ $st -eq 1 ] && ok || bad "file-size limit: exit $st, expected 1"
grep -q "File too large" "$tmp/err" && ok || bad "file-size limit: message: $(cat "$tmp/err")"
[ "$(set_sum "$out")" = "$sum1" ] && ok || bad "file-size limit: the last good reports changed"
no_temps "$out" && ok || bad "file-size limit: temporaries left"
st=$( { "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -o "$tmp/epipe" 2>&1 >/dev/null
	echo $? >"$tmp/st"; } | true; cat "$tmp/st")
[ "$st" = 0 ] && ok || bad "stderr a closed pipe: exit $st, expected 0"

# 13. An input that changes while it is read (the next export job rewriting
# it in place) ends the run with exit 1 naming the file, on the serial path
# (reads slowed by strace) and on the mapped one (chunk hand-offs slowed):
# cut short, grown, and, mapped, cut short under the map (SIGBUS).
if strace -f -o /dev/null -e inject=read:delay_exit=1000 true 2>/dev/null; then
	awk 'BEGIN { print "CustomerId,SubscriptionId,OfferName,Quantity";
		for (i = 1; i <= 60000; i++)
			printf "c%d,s%d,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),%d\n", i, i, i % 97 + 1 }' >"$tmp/moving.csv"
	for change in shrink grow; do
		for path in serial mapped; do
			out="$tmp/moving-$change-$path"
			run_a "$out"
			sum1=$(set_sum "$out")
			cp "$tmp/moving.csv" "$tmp/m.csv"
			if [ $path = serial ]; then
				strace -f -o /dev/null -e trace=read -e inject=read:delay_exit=300000 \
				    "$bin" -s "$tmp/m.csv" --as-of 2019-01-01 -q -o "$out" 2>"$tmp/err" &
			else
				SKUSCAN_THREADS=2 SKUSCAN_CHUNK_BYTES=65536 strace -f -o /dev/null \
				    -e trace=futex -e inject=futex:delay_exit=50000 \
				    "$bin" -s "$tmp/m.csv" --as-of 2019-01-01 -q -o "$out" 2>"$tmp/err" &
			fi
			pid=$!
			# Once the run has the file open (the loader's reads are slowed too).
			for i in $(seq 100); do
				ls -l /proc/[0-9]*/fd 2>/dev/null | grep -q -- "-> $tmp/m.csv" && break
				sleep 0.05
			done
			sleep 0.4
			if [ $change = shrink ]; then truncate -s 100000 "$tmp/m.csv"
			else head -n 1000 "$tmp/moving.csv" | tail -n +2 >>"$tmp/m.csv"; fi
			wait $pid
			st=$?
			failed_cleanly "input that ${change}s, $path" $st \
			    "^skuscan: $tmp/m.csv: changed while it was read" "$out"
		done
	done
else
	skip=$((skip + 1))
	echo "faults: strace cannot delay calls here: changing-input checks skipped"
fi

# 14. No thread to be had (a pid limit; root is exempt from RLIMIT_NPROC,
# so the run is another user's): a plain file of 16 MB or more is read on
# one thread, with the same reports.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
	mkdir -p "$tmp/nproc" && chmod 777 "$tmp/nproc" && chmod 755 "$tmp"
	awk 'BEGIN { print "CustomerId,SubscriptionId,OfferName,Quantity";
		for (i = 1; i <= 200000; i++)
			printf "c%d,s%d,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),%d\n", i, i, i % 97 + 1 }' >"$tmp/nproc/big.csv"
	chmod 644 "$tmp/nproc/big.csv"
	cp "$bin" "$tmp/nproc/skuscan"	# the checkout may be closed to other users
	"$bin" -s "$tmp/nproc/big.csv" --as-of 2019-01-01 -q -o "$tmp/nproc/threads"
	setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=1 \
	    "$tmp/nproc/skuscan" -s "$tmp/nproc/big.csv" --as-of 2019-01-01 -q -o "$tmp/nproc/one" 2>"$tmp/err"
	st=$?
	[ $st -eq 0 ] && ok || bad "no thread: exit $st, expected 0: $(cat "$tmp/err")"
	cmp -s "$tmp/nproc/threads/replacements.csv" "$tmp/nproc/one/replacements.csv" && ok ||
		bad "no thread: other reports than with threads"
else
	skip=$((skip + 1))
	echo "faults: not root or no setpriv/prlimit: no-thread check skipped"
fi

# 15. Memory stays flat whatever ends the lines: a file of lone CRs (old Mac
# line ends) is cut into chunks as a file of LFs is, and a file with no line
# end at all is read by the serial reader, so neither holds the file's pages
# or events; nor does a gzipped file of long records, whose events the
# serial reader applies in batches of bounded size. Peak RSS against the
# same file with LFs, as a ratio.
if [ -x /usr/bin/time ]; then
	mkdir -p "$tmp/flat"
	awk -v other="Microsoft 365 Business Premium for a customer far away" \
	    -v retired="Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)" 'BEGIN { print "CustomerId,SubscriptionId,OfferName,Quantity";
		for (i = 1; i <= 400000; i++)
			printf "c%d,s%d,%s,%d\n", i, i, i % 1000 ? other : retired, i % 97 + 1 }' \
	    >"$tmp/flat/lf.csv"
	tr '\n' '\r' <"$tmp/flat/lf.csv" >"$tmp/flat/cr.csv"
	# gzip goes to the serial reader, which applies its records in batches:
	# 1200 rows of one customer with a 200 kB name are not all held at once.
	awk -v retired="Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)" 'BEGIN {
		name = "x"; while (length(name) < 200000) name = name name
		name = substr(name, 1, 200000)
		print "CustomerId,CustomerName,SubscriptionId,OfferName,Quantity"
		for (i = 1; i <= 1200; i++) printf "c1,%s,s%d,%s,1\n", name, i, retired }' |
	    gzip -1 >"$tmp/flat/long.csv.gz"
	{ echo "CustomerId,SubscriptionId,OfferName,Quantity"; head -c 40000000 /dev/zero | tr '\0' a; } \
	    >"$tmp/flat/noend.csv"
	for f in lf cr noend long; do
		in=$tmp/flat/$f.csv
		[ -f "$in" ] || in=$in.gz
		/usr/bin/time -f %M -o "$tmp/flat/$f.rss" "$bin" -s "$in" \
		    --as-of 2019-01-01 -q -o "$tmp/flat/out-$f" 2>/dev/null
	done
	lf=$(tail -n 1 "$tmp/flat/lf.rss")
	for f in cr noend long; do
		rss=$(tail -n 1 "$tmp/flat/$f.rss")
		[ $((rss * 2)) -le $((lf * 3)) ] && ok ||
			bad "line ends: $f peak RSS ${rss} KB, LF file ${lf} KB"
	done
	cmp -s "$tmp/flat/out-lf/replacements.csv" "$tmp/flat/out-cr/replacements.csv" && ok ||
		bad "line ends: CR file gave other reports than its LF twin"
	rm -rf "$tmp/flat"
else
	skip=$((skip + 1))
	echo "faults: no /usr/bin/time: flat-memory checks skipped"
fi

# 16. OUTDIR renamed while the run reads its input (stdin held open): the run
# fails with exit 1, and the renamed directory keeps no generation of it.
mkdir -p "$tmp/moved"
printf 'CustomerId,SubscriptionId,OfferName,Quantity\nc1,s1,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),3\n' \
    >"$tmp/moved/in.csv"
(sleep 2; cat "$tmp/moved/in.csv") | "$bin" -s - --as-of 2019-01-01 -q -o "$tmp/moved/out" \
    2>"$tmp/err" &
pid=$!
n=0
while [ ! -e "$tmp/moved/out/.skuscan/lock" ] && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
mv "$tmp/moved/out" "$tmp/moved/elsewhere"
wait $pid
st=$?
[ $st -eq 1 ] && ok || bad "OUTDIR renamed mid-run: exit $st, expected 1: $(cat "$tmp/err")"
left=$(ls -A "$tmp/moved/elsewhere/.skuscan" | grep -v '^lock$')
[ -z "$left" ] && ok || bad "OUTDIR renamed mid-run: left behind: $left"

# 17. After publishing, the generation, .skuscan and OUTDIR itself are
# fsynced, so that the new set survives a power cut once the run says done.
if strace -f -o /dev/null true 2>/dev/null; then
	strace -f -y -e trace=fsync -o "$tmp/fsync.tr" "$bin" -s "$top/samples/subscriptions.csv" \
	    --as-of 2019-01-01 -q -o "$tmp/synced" >/dev/null 2>&1
	for d in "$tmp/synced/.skuscan/run.[A-Za-z0-9]*" "$tmp/synced/.skuscan" "$tmp/synced"; do
		grep -q "fsync([0-9]*<$d>)" "$tmp/fsync.tr" && ok ||
			bad "no fsync of the directory $d after publishing"
	done
else
	skip=$((skip + 1))
	echo "faults: strace cannot trace here: fsync check skipped"
fi

# 18. history.csv only ever grows by whole rows: runs into one OUTDIR,
# each a day later than the one before, killed (SIGKILL) after 0 to 2
# times what the first run took (about half a second, more on a busy
# machine: fixed delays then killed every run before it published).
# After each, history.csv is what it was, or that and one whole row for
# the run's as-of date; never a row cut short or one lost.
out="$tmp/hist"
t0=$(date +%s%N)
"$bin" -s "$tmp/large.csv" --as-of 2019-01-01 -q -o "$out"
run_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grown=0 same=0
for i in $(seq 1 20); do
	cp -L "$out/history.csv" "$tmp/hist-before"
	day=$(date -u -d "2019-01-01 + $i days" +%F)
	"$bin" -s "$tmp/large.csv" --as-of "$day" -q -o "$out" 2>/dev/null &
	pid=$!
	sleep "$(awk -v m="$run_ms" -v f="$(( (i * 37) % 200 ))" 'BEGIN { printf "%.3f", m * f / 100 / 1000 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if cmp -s "$out/history.csv" "$tmp/hist-before"; then
		same=$((same + 1))
		ok
	elif [ "$(head -n -1 "$out/history.csv")" = "$(cat "$tmp/hist-before")" ] &&
	    tail -n 1 "$out/history.csv" |
	    grep -qE "^$day,2019-01-01T00:00:00Z,subscriptions:[0-9a-f]{8};rules:[0-9a-f]{8},20000,[0-9]+,0,0,0,20000$"; then
		grown=$((grown + 1))
		ok
	else
		bad "history after a run killed as of $day: $(diff "$tmp/hist-before" "$out/history.csv" | head -5)"
	fi
done
[ $same -gt 0 ] && [ $grown -gt 0 ] && ok ||
	bad "history: of 20 runs killed, $same left it and $grown grew it: both should occur"
"$bin" -s "$tmp/large.csv" --as-of 2019-02-01 -q -o "$out" && ok || bad "history: the run after the kills failed"
[ "$(tail -n 1 "$out/history.csv" | cut -d, -f1)" = 2019-02-01 ] && ok ||
	bad "history: the run after the kills added no row"
no_temps "$out" && ok || bad "history: temporaries left after the kills"

# 19. libxlsxwriter is loaded only when a workbook is written: where it
# cannot be loaded (here a file of its name that is no library), a run
# that would write one stops before reading, with exit 1, a message and
# the published set untouched; a run with --no-xlsx goes on without it.
mkdir -p "$tmp/badlib"
: >"$tmp/badlib/libxlsxwriter.so.4"
out=$tmp/badlib-out
good_run "$out" || bad "bad library: the first run failed"
before=$(set_sum "$out")
rc=0
LD_LIBRARY_PATH=$tmp/badlib "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -q \
    -o "$out" 2>"$tmp/err" || rc=$?
[ $rc -eq 1 ] && ok || bad "bad library: exit $rc, not 1"
grep -q "^skuscan: cannot write skuscan.xlsx: .*libxlsxwriter.so.4.*give --no-xlsx$" "$tmp/err" &&
	ok || bad "bad library: message $(cat "$tmp/err")"
[ "$(set_sum "$out")" = "$before" ] && ok || bad "bad library: the published set changed"
no_temps "$out" && ok || bad "bad library: temporaries left"
# A library of that name without libxlsxwriter's functions (an older one).
mkdir -p "$tmp/badlib2"
if printf 'int skuscan_nothing;\n' | ${CC:-cc} -shared -fPIC -x c -o "$tmp/badlib2/libxlsxwriter.so.4" - \
    2>/dev/null; then
	rc=0
	LD_LIBRARY_PATH=$tmp/badlib2 "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 \
	    -q -o "$out" 2>"$tmp/err" || rc=$?
	[ $rc -eq 1 ] && ok || bad "library without the functions: exit $rc, not 1"
	grep -q "^skuscan: cannot write skuscan.xlsx: libxlsxwriter.so.4 has no [a-z_]*; install libxlsxwriter [0-9.]*, or give --no-xlsx$" "$tmp/err" &&
		ok || bad "library without the functions: message $(cat "$tmp/err")"
	[ "$(set_sum "$out")" = "$before" ] && ok || bad "library without the functions: the set changed"
else
	skip=$((skip + 1))
	echo "faults: no C compiler: the check of a library without libxlsxwriter's functions skipped"
fi
LD_LIBRARY_PATH=$tmp/badlib "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -q \
    --no-xlsx -o "$tmp/badlib-noxlsx" && ok || bad "bad library: --no-xlsx failed"
[ -s "$tmp/badlib-noxlsx/affected_customers.csv" ] && [ ! -e "$tmp/badlib-noxlsx/skuscan.xlsx" ] &&
	ok || bad "bad library: --no-xlsx made no reports, or a workbook"

rm -rf "$tmp"
echo "faults: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
