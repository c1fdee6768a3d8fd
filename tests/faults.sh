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
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
no_temps() { ! ls -a "$1" 2>/dev/null | grep -q '^\.skuscan-'; }
good_run() { "$bin" -s "$top/samples/subscriptions.csv" --as-of 2019-01-01 -q -o "$1"; }

# full_disk LABEL INPUT OUT: a run on INPUT fills the disk under OUT; it must
# fail with ENOSPC and leave the last good reports as they were, no temporaries.
full_disk() {
	local label=$1 input=$2 out=$3 sum1 st
	good_run "$out"
	sum1=$(cat "$out/"*.csv | md5sum)
	"$bin" -s "$input" --as-of 2019-01-01 -q -o "$out" 2>"$tmp/err"
	st=$?
	[ $st -eq 1 ] && ok || bad "$label: exit $st, expected 1"
	grep -q "No space left on device" "$tmp/err" && ok || bad "$label: message: $(cat "$tmp/err")"
	[ "$(cat "$out/"*.csv | md5sum)" = "$sum1" ] && ok || bad "$label: the last good reports changed"
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
if mount -t tmpfs -o size=48k tmpfs "$tmp/full" 2>/dev/null; then
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

# 2. SIGINT and SIGTERM while an input is being read (stdin held open).
for sig in INT TERM; do
	out="$tmp/sig-$sig"
	good_run "$out"
	sum1=$(cat "$out/"*.csv | md5sum)
	mkfifo "$tmp/fifo-$sig"
	"$bin" -s - --as-of 2019-01-01 -q -o "$out" <"$tmp/fifo-$sig" &
	pid=$!
	exec 7>"$tmp/fifo-$sig"
	head -n 20 "$tmp/big.csv" >&7
	sleep 0.3
	ls -a "$out" | grep -q '^\.skuscan-' && ok || bad "SIG$sig: no temporary file while running"
	kill -$sig $pid
	wait $pid
	st=$?
	exec 7>&-
	[ $st -ne 0 ] && ok || bad "SIG$sig: exit status 0"
	[ "$(cat "$out/"*.csv | md5sum)" = "$sum1" ] && ok || bad "SIG$sig: the last good reports changed"
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

# 3. A symbolic link planted at a report's name is replaced, never followed.
out="$tmp/link"
mkdir -p "$out"
echo "precious" >"$tmp/victim"
ln -s "$tmp/victim" "$out/affected_customers.csv"
good_run "$out"
[ "$(cat "$tmp/victim")" = "precious" ] && ok || bad "symlink: the link's target was written"
[ -f "$out/affected_customers.csv" ] && [ ! -L "$out/affected_customers.csv" ] && ok ||
	bad "symlink: the report is not a regular file"

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
[ "$(stat -c %a "$tmp/private/affected_customers.csv")" = 600 ] && ok ||
	bad "umask 077: reports are $(stat -c %a "$tmp/private/affected_customers.csv")"
(umask 022 && good_run "$tmp/shared")
[ "$(stat -c %a "$tmp/shared/affected_customers.csv")" = 644 ] && ok ||
	bad "umask 022: reports are $(stat -c %a "$tmp/shared/affected_customers.csv")"

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
grep -q "^skuscan: out of memory" "$tmp/err" && ok ||
	bad "out of memory in libcsv: message: $(cat "$tmp/err")"
rm -f "$tmp/bigq.csv"

rm -rf "$tmp"
echo "faults: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
