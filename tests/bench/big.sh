#!/bin/bash
# Files over 4 GiB: generates an export of ROWS rows (default 20 million,
# about 4.7 GB) with BENCH_MATCHED retired rows, gzips it, runs skuscan on
# both and compares the counts with the generator's truth: customers,
# retired subscriptions and seats, and the manifest's records and bytes.
# Not part of `make check` (it needs ~6 GB of disk and a few minutes):
#   make bench-big    or    tests/bench/big.sh [ROWS]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-20000000}
dir=${BENCH_DIR:-/tmp/skuscan-bench}
matched=${BENCH_MATCHED:-200000}
mkdir -p "$dir"
cc -O2 -o "$dir/gen" "$top/tests/bench/gen.c" || exit 1
name="big-$rows-m$matched"
if [ ! -s "$dir/$name.csv" ] || [ ! -s "$dir/$name.truth" ]; then
	BENCH_MATCHED=$matched "$dir/gen" "$rows" 1 "$dir/$name.csv" "$dir/$name.lic.csv" \
	    >"$dir/$name.truth" || exit 1
fi
[ -s "$dir/$name.csv.gz" ] || gzip -1 -c "$dir/$name.csv" >"$dir/$name.csv.gz"
truth() { sed -n "s/^$1=//p" "$dir/$name.truth"; }
size=$(stat -c %s "$dir/$name.csv")
echo "input: $rows rows, $size bytes ($(awk -v b="$size" 'BEGIN { printf "%.2f", b / 2^30 }') GiB)"
fail=0
for f in "$name.csv" "$name.csv.gz"; do
	out="$dir/out-big"
	rm -rf "$out"
	start=$(date +%s.%N)
	"$top/skuscan" -s "$dir/$f" -o "$out" -q --as-of 2019-01-15
	st=$?
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	customers=$(($(wc -l <"$out/affected_customers.csv") - 1))
	subs=$(($(wc -l <"$out/replacements.csv") - 1))
	seats=$(awk -F, 'NR > 1 { s += $(NF - 4) } END { print s + 0 }' "$out/affected_customers.csv")
	records=$(awk -F, 'NR == 2 { print $5 }' "$out/manifest.csv")
	bytes=$(awk -F, 'NR == 2 { print $3 }' "$out/manifest.csv")
	want_bytes=$(stat -c %s "$dir/$f")
	if [ $st -eq 0 ] && [ "$customers" = "$(truth retired_customers)" ] &&
	    [ "$subs" = "$(truth retired_subscriptions)" ] &&
	    [ "$seats" = "$(truth retired_active_quantity)" ] && [ "$records" = "$rows" ] &&
	    [ "$bytes" = "$want_bytes" ]; then
		echo "$f: OK in ${secs}s (customers $customers, subscriptions $subs, seats $seats," \
		    "records $records, bytes $bytes)"
	else
		fail=1
		echo "$f: MISMATCH (exit $st; customers $customers vs $(truth retired_customers)," \
		    "subscriptions $subs vs $(truth retired_subscriptions), seats $seats vs" \
		    "$(truth retired_active_quantity), records $records vs $rows, bytes $bytes vs $want_bytes)"
	fi
done
exit $fail
