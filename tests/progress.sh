#!/bin/bash
# The progress bar: shown on a terminal (run under tmux) while a large input
# is read, erased at the end; absent when stderr is not a terminal; an
# input's name in it, and in the summary, escaped.
# Usage: tests/progress.sh BINARY. Skipped when tmux is not installed.
set -u
bin=$(realpath "$1")
if ! command -v tmux >/dev/null; then
	echo "progress: tmux not installed, terminal check skipped"
	echo "progress: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d)
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
mkfifo "$tmp/in.csv"
sock="skuscan-progress-$$"
tmux -L "$sock" new-session -d -x 120 -y 20 \
	"'$bin' -s '$tmp/in.csv' -o '$tmp/out' --as-of 2019-01-01; echo DONE-\$?; sleep 30"
exec 7>"$tmp/in.csv"
echo "CustomerId,SubscriptionId,OfferName,Quantity" >&7
# 8 MB of rows that match no rule, then a pause with the input still open.
yes "c0000001,s0000001,Office 365 E3 for the whole organisation,25" | head -n 125000 >&7

sleep 1
screen=$(tmux -L "$sock" capture-pane -p)
echo "$screen" | grep -q "skuscan: .*in.csv .*MB read, .*MB/s" && ok ||
	bad "no progress line while reading: $screen"
exec 7>&-
for _ in $(seq 50); do
	screen=$(tmux -L "$sock" capture-pane -p)
	echo "$screen" | grep -q "DONE-" && break
	sleep 0.1
done
echo "$screen" | grep -q "DONE-0" && ok || bad "the run did not end with 0: $screen"
echo "$screen" | grep -q "MB read" && bad "the progress line was not erased: $screen" || ok
echo "$screen" | grep -q "skuscan: summary" && ok || bad "no summary: $screen"
tmux -L "$sock" kill-server 2>/dev/null
# Not a terminal: no progress, unless --progress. The two runs' reports are
# compared: history.csv's run time is fixed, or the two would differ
# whenever a second passed between them.
export SOURCE_DATE_EPOCH=1546300800
yes "c0000001,s0000001,Office 365 E3 for the whole organisation,25" | head -n 125000 |
	{ echo "CustomerId,SubscriptionId,OfferName,Quantity"; cat; } >"$tmp/big.csv"
"$bin" -s "$tmp/big.csv" -o "$tmp/out2" --as-of 2019-01-01 2>"$tmp/err"
grep -q "MB/s ETA" "$tmp/err" && bad "progress written to a non-terminal" || ok
grep -q "$(printf '\r')" "$tmp/err" && bad "carriage return written to a non-terminal" || ok
"$bin" -s "$tmp/big.csv" -o "$tmp/out3" --as-of 2019-01-01 --progress 2>"$tmp/err" >/dev/null
grep -q "MB/s ETA" "$tmp/err" && ok || bad "--progress did not force the bar"
for f in "$tmp"/out2/*.csv; do cmp -s "$f" "$tmp/out3/$(basename "$f")" || bad "--progress changed $(basename "$f")"; done
grep -q "MB/s" "$tmp"/out3/*.csv && bad "progress text in a report" || ok
# An input whose name holds a newline, an OSC title sequence and a bell:
# the bar and the summary show it escaped, and the only control bytes on
# stderr are the bar's own carriage return and erase-line.
weird="$tmp/big"$'\n\e]0;pwned\a'".csv"
cp "$tmp/big.csv" "$weird"
"$bin" -s "$weird" -o "$tmp/out4" --as-of 2019-01-01 --progress 2>"$tmp/err" >/dev/null
shown="big\\\\n\\\\x1b]0;pwned\\\\x07.csv"
# The bar's updates as lines of their own, its control sequences gone.
sed 's/\r\x1b\[K/\n/g' "$tmp/err" | grep -v '^$' >"$tmp/lines"
grep -q "^skuscan: .*$shown [0-9 ]*% .*MB/s ETA" "$tmp/lines" && ok ||
	bad "the bar does not show the name escaped: $(od -c "$tmp/err" | head -5)"
grep -q "^skuscan:   subscriptions .*$shown: 125000 records" "$tmp/lines" && ok ||
	bad "the summary does not show the name escaped: $(od -c "$tmp/err" | tail -8)"
left=$(tr -d '\n' <"$tmp/lines" | LC_ALL=C tr -d ' -~' | od -An -c | tr -d ' \n')
[ -z "$left" ] && ok || bad "control bytes on stderr besides the bar's own: $left"
[ -z "$(grep -v '^skuscan: ' "$tmp/lines")" ] && ok ||
	bad "a line on stderr that does not start with 'skuscan: '"
rm -rf "$tmp"
echo "progress: $pass passed, $fail failed"
[ $fail -eq 0 ]
