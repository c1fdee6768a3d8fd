#!/bin/bash
# summary.html: tests/html/check.sh BINARY
#
# (a) text from the inputs is HTML-escaped and the page fetches nothing;
# (b) on the samples, the page's numbers equal those of the CSV reports of
#     the same run, counted here with awk;
# (c) when Debian's chromium is installed, the page renders headless to a
#     PNG and the DOM it loaded holds the same numbers; otherwise a line
#     says the check was skipped. CHROMIUM names another browser binary
#     (default /usr/bin/chromium); HTML_PNG=FILE keeps the screenshot.
#
# The last line reads "html: N passed, N failed"; the exit status is not 0
# when a check failed.
set -u
bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check WHAT COMMAND...: one check, counted.
check() {
	local what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL html: $what"
	fi
}

# The number in the element of id ID in FILE (the first one).
num() {
	sed -n "s/.*id=\"$2\"[^>]*>\([0-9][0-9]*\)<.*/\1/p" "$1" | head -n 1
}

# equal WHAT GOT WANT: an empty GOT (element missing) never equals.
equal() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		return 0
	fi
	echo "    $1: page has '${2}', the CSV reports give '$3'"
	return 1
}

has() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qiF -- "$2" "$1"; }

# RFC 4180 fields of one line (no line ends inside quotes), for mawk too.
csv_awk='
function csv(s, f,    n, i, c, q, cur) {
	n = 0; q = 0; cur = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q) {
			if (c != "\"") cur = cur c
			else if (substr(s, i + 1, 1) == "\"") { cur = cur c; i++ }
			else q = 0
		} else if (c == "\"") q = 1
		else if (c == ",") { f[++n] = cur; cur = "" }
		else cur = cur c
	}
	f[++n] = cur
	return n
}'

# csvsum FILE COLUMN [WHERE-COLUMN VALUE]: the sum of a column.
csvsum() {
	awk -v col="$2" -v wc="${3:-0}" -v wv="${4:-}" "$csv_awk"'
	NR > 1 { csv($0, f); if (wc == 0 || f[wc] == wv) s += f[col] }
	END { print s + 0 }' "$1"
}

# ---- (a) escaping, and nothing fetched -----------------------------------
mkdir -p "$tmp/esc"
esc_in="$tmp/esc/subs <&> 'q'.csv"
cat >"$esc_in" <<'EOF'
CustomerId,CustomerName,SubscriptionId,OfferName,Quantity,Status,CommitmentEndDate
c1,"<script>alert(1)</script> & ""Co""",s1,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5,Active,2019-03-01
"<b onmouseover=alert(2)>k</b>",,s2,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),3,,2019-05-01
EOF
"$bin" -q -s "$esc_in" --as-of 2019-01-01 -o "$tmp/esc/out"
st=$?
page="$tmp/esc/out/summary.html"
check "escape case: exit status $st, expected 0" test "$st" -eq 0
check "escape case: summary.html written" test -s "$page"
touch "$page"
check "customer name shown escaped" \
	has "$page" '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;'
check "customer key shown escaped" has "$page" '&lt;b onmouseover=alert(2)&gt;k&lt;/b&gt;'
check "file path shown escaped" has "$page" "subs &lt;&amp;&gt; &#39;q&#39;.csv"
for bad in '<script' '<b onmouseover' 'http://' 'https://' 'src=' 'url(' '@import'; do
	check "page holds no '$bad'" lacks "$page" "$bad"
done
check "page is one whole document" has "$page" '</html>'

# ---- (a2) what the run noticed about its inputs is on the page ----------
c="$top/tests/cases"
"$bin" -q -s "$c/header-optional-typo/subscriptions.csv" \
	-s "$c/input-repeated-header-cat/subscriptions.csv" \
	-s "$c/values-unicode-spaces-localized/subscriptions.csv" --as-of 2019-01-15 \
	-o "$tmp/notes" 2>"$tmp/notes.err"
page="$tmp/notes/summary.html"
check "optional column typo warned on the page" \
	has "$page" "column &#39;Staus&#39; is not read: did you mean &#39;Status&#39; (status)?"
check "each typo on its own line" \
	has "$page" "subscriptions.csv: column &#39;CommitmentEndDte&#39; is not read"
check "repeated header counted on the page" has "$page" "1 repeated header line skipped"
check "unknown auto_renew named on the page" \
	has "$page" "1 auto_renew value not understood, read as unknown (first: &#39;Ja&#39;)"
"$bin" -q -s "$c/recon-two-months/recon-jan.csv" --as-of 2019-02-25 -o "$tmp/recon"
check "a reconciliation file said so on the page" \
	has "$tmp/recon/summary.html" "recon-jan.csv: read as a reconciliation file"
check "typo warned on stderr even with -q" \
	has "$tmp/notes.err" "header-optional-typo/subscriptions.csv:1: warning: column 'Staus'"

# ---- (a3) control characters: escaped on stderr, not on the page -------
# stderr shows a header name's or a value's ESC and BEL as \x1b and \x07;
# the page keeps showing them as it always has, as spaces.
printf 'CustomerId,SubscriptionId,OfferName,Quantity,Sta\033tus,AutoRenew\n%s\n' \
	'c1,s1,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),5,Active,"J'$'\033'']0;x'$'\a''a"' \
	>"$tmp/ctl.csv"
"$bin" -s "$tmp/ctl.csv" --as-of 2019-01-15 -o "$tmp/ctl" 2>"$tmp/ctl.err" >/dev/null
page="$tmp/ctl/summary.html"
check "control character in a header name: a space on the page" \
	has "$page" "column &#39;Sta tus&#39; is not read"
check "control characters in a value: spaces on the page" \
	has "$page" "(first: &#39;J ]0;x a&#39;)"
check "no terminal escape on the page" lacks "$page" '\x1b'
check "control character in a header name: escaped on stderr" \
	has "$tmp/ctl.err" "ctl.csv:1: warning: column 'Sta\\x1btus' is not read"
check "control characters in a value: escaped on stderr" \
	has "$tmp/ctl.err" "(first: 'J\\x1b]0;x\\x07a')"

# ---- (b) the samples: the page agrees with the CSV reports --------------
out="$tmp/samples/out"
args=(-q -s "$top/samples/subscriptions.csv" -l "$top/samples/licenses.csv" --as-of 2019-01-01)
"$bin" "${args[@]}" -o "$out"
st=$?
page="$out/summary.html"
check "samples: exit status $st, expected 0" test "$st" -eq 0
check "samples: summary.html written" test -s "$page"
touch "$page"
check "samples: no temporary file left" test -z "$(ls -A "$out" | grep '^\.skuscan-')"
check "samples: page under 100 KB" test "$(wc -c <"$page")" -lt 102400
"$bin" "${args[@]}" -o "$tmp/samples/again"
check "samples: same bytes on a second run" cmp -s "$page" "$tmp/samples/again/summary.html"
"$bin" "${args[@]}" --no-html -o "$tmp/samples/nohtml"
check "--no-html: no summary.html" test ! -e "$tmp/samples/nohtml/summary.html"
check "--no-html: the CSV reports are still written" \
	test -s "$tmp/samples/nohtml/affected_customers.csv"

aff="$out/affected_customers.csv" aud="$out/migration_audit.csv"
rpl="$out/replacements.csv"
want=(
	"customers-affected $(($(wc -l <"$aff") - 1))"
	"active-retired-subscriptions $(csvsum "$aff" 4)"
	"retired-seats $(csvsum "$aff" 5)"
	"users-on-retired $(csvsum "$aff" 6)"
	"migrations-complete $(awk "$csv_awk"' NR > 1 { csv($0, f); n += f[6] == "complete" } END { print n + 0 }' "$aud")"
	"migrations-in-progress $(awk "$csv_awk"' NR > 1 { csv($0, f); n += f[6] == "in_progress" } END { print n + 0 }' "$aud")"
	"migrations-not-started $(awk "$csv_awk"' NR > 1 { csv($0, f); n += f[6] == "not_started" } END { print n + 0 }' "$aud")"
)
# Seats by urgency and by end month: active retired subscriptions
# (status empty or active) in replacements.csv.
active_awk="$csv_awk"'
NR > 1 { csv($0, f); if (f[8] == "" || f[8] == "active") print f[10], f[11], f[13] }'
for u in expired critical soon later unknown; do
	want+=("seats-$u $(awk "$active_awk" "$rpl" | awk -v u="$u" '$NF == u { s += $1 } END { print s + 0 }')")
done
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	want+=("seats-2019-$m $(awk "$active_awk" "$rpl" |
		awk -v m="2019-$m" 'NF == 3 && substr($2, 1, 7) == m && $2 >= "2019-01-01" { s += $1 }
		END { print s + 0 }')")
done
for w in "${want[@]}"; do
	set -- $w
	check "samples: $1" equal "$1" "$(num "$page" "$1")" "$2"
done
check "samples: as-of date shown" has "$page" '<b id="as-of">2019-01-01</b>'
while IFS= read -r line; do
	file=$(awk "$csv_awk"' { csv($0, f); print f[2] }' <<<"$line")
	check "samples: input $file listed" has "$page" "<td class=\"f\">$file</td>"
done < <(tail -n +2 "$out/manifest.csv")

# The bar list: the 20 customers with the most active retired seats, ties
# by key, from 26 customers whose seats tie in threes (keys given out of
# order, so that reading order is not key order).
top_in="$tmp/top.csv"
echo "CustomerId,CustomerName,SubscriptionId,OfferName,Quantity,Status" >"$top_in"
for k in 17 04 22 09 13 01 25 06 19 11 02 24 15 08 20 03 26 12 07 18 05 23 10 16 14 21; do
	echo "key-$k,Name $k,sub-$k,Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer),$(( (10#$k % 9) * 10 + 5 )),Active"
done >>"$top_in"
"$bin" -q -s "$top_in" --as-of 2019-01-01 -o "$tmp/top"
top_got=$(grep -o '<g><title>[^<]*' "$tmp/top/summary.html" | sed 's/.*(\(key-[0-9]*\))$/\1/' | tr '\n' ' ')
top_want=$(tail -n +2 "$tmp/top/affected_customers.csv" | sort -t, -k5,5nr -k1,1 | head -n 20 |
	cut -d, -f1 | tr '\n' ' ')
check "top customers: 20, by seats then key ($top_got)" equal "top customers" "$top_got" \
	"$top_want"
check "top customers: 20 of 26" test "$(echo "$top_want" | wc -w)" -eq 20

# ---- (b2) a total that saturates reads the same everywhere ---------------
# Seats near 2^63 (tests/cases/values-seats-saturate): stderr's summary,
# the page and affected_customers.csv all say 9223372036854775807.
sat="$top/tests/cases/values-seats-saturate"
(cd "$sat" && "$bin" -s subscriptions.csv -s recon.csv --as-of 2019-01-15 \
	-o "$tmp/sat") 2>"$tmp/sat.err"
sat_err=$(sed -n 's/.* customers affected, \(-*[0-9]*\) retired seats,.*/\1/p' "$tmp/sat.err")
check "saturated total: stderr says $sat_err retired seats" \
	equal "stderr retired seats" "$sat_err" 9223372036854775807
check "saturated total: the page" \
	equal "retired-seats" "$(num "$tmp/sat/summary.html" retired-seats)" 9223372036854775807
check "saturated total: the page's soon and later seats" equal "seats-soon seats-later" \
	"$(num "$tmp/sat/summary.html" seats-soon) $(num "$tmp/sat/summary.html" seats-later)" \
	"9223372036854775807 9223372036854775807"
check "saturated total: affected_customers.csv" equal "retired_seats" \
	"$(cut -d, -f5 "$tmp/sat/affected_customers.csv" | sed -n 2p)" 9223372036854775807

# ---- (b3) since last run and the burndown: changes.csv and history.csv ---
# The three runs of tests/cases/hist-three-runs into one OUTDIR, the last
# with --previous: each change's count on the page is the number of rows
# of changes.csv that name it, and the burndown draws history.csv's rows.
h="$top/tests/cases/hist-three-runs"
(cd "$h" && "$bin" -q -s subs-1.csv -l licenses-1.csv --as-of 2019-01-01 -o "$tmp/h" &&
	"$bin" -q -s subs-2.csv -l licenses-2.csv --as-of 2019-01-20 -o "$tmp/h" &&
	"$bin" -q -s subs-3.csv -l licenses-3.csv --as-of 2019-02-01 -o "$tmp/h" --previous "$tmp/h")
hp="$tmp/h/summary.html"
for k in new gone completed progressed regressed seats_changed became_critical expired; do
	want_k=$(awk -F, -v k="$k" 'NR > 1 { n = split($3, a, ";"); for (i = 1; i <= n; i++)
		if (a[i] == k) c++ } END { print c + 0 }' "$tmp/h/changes.csv")
	check "since last run: $k" equal "changes-$k" "$(num "$hp" "changes-$k")" "$want_k"
done
check "since last run: customers changed" equal "customers-changed" \
	"$(num "$hp" customers-changed)" "$(($(wc -l <"$tmp/h/changes.csv") - 1))"
check "since last run: the earlier as-of" has "$hp" 'id="previous-as-of">2019-01-20<'
check "burndown: runs" equal "history-runs" "$(num "$hp" history-runs)" \
	"$(($(wc -l <"$tmp/h/history.csv") - 1))"
for d in 2019-01-01 2019-01-20 2019-02-01; do
	check "burndown: a column for the run as of $d" has "$hp" ">$d</text>"
done
check "burndown: each run's retired seats" equal "burndown seats" \
	"$(grep -o 'class="v s" x="[0-9.]*" y="[0-9.]*" text-anchor="middle">[0-9]*<' "$hp" |
	    sed 's/.*>\([0-9]*\)</\1/' | tr '\n' ' ')" \
	"$(awk -F, 'NR > 1 { printf "%s ", $5 }' "$tmp/h/history.csv")"
"$bin" -q -s "$h/subs-3.csv" --as-of 2019-02-02 -o "$tmp/h"
check "no --previous: no since-last-run block" lacks "$tmp/h/summary.html" 'id="since"'

# ---- (c) headless Chromium: it loads, renders and shows the same numbers -
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
	failed_before=$fail
	chrome=(timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run
		--disable-background-networking --disable-component-update --disable-sync)
	"${chrome[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" --screenshot="$tmp/page.png" \
		--window-size=1200,2200 "file://$page" >"$tmp/chromium.log" 2>&1
	size=$(wc -c 2>/dev/null <"$tmp/page.png" || echo 0)
	check "chromium: screenshot written ($size bytes, more than 10 KB wanted)" \
		test "$size" -gt 10240
	check "chromium: screenshot is a PNG" \
		test "$(head -c 8 "$tmp/page.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = \
		89504e470d0a1a0a
	[ -n "${HTML_PNG:-}" ] && [ -f "$tmp/page.png" ] && cp "$tmp/page.png" "$HTML_PNG"
	"${chrome[@]}" --user-data-dir="$(mktemp -d -p "$tmp")" --dump-dom "file://$page" \
		>"$tmp/dom.html" 2>"$tmp/chromium-dom.log"
	touch "$tmp/dom.html"
	check "chromium: page loaded (title in the DOM)" has "$tmp/dom.html" \
		'Retired subscriptions: summary'
	if [ $fail -gt $failed_before ]; then
		tail -n 5 "$tmp/chromium.log" "$tmp/chromium-dom.log" | sed 's/^/    /'
	fi
	for w in "${want[@]}"; do
		set -- $w
		check "chromium: $1" equal "$1 (DOM)" "$(num "$tmp/dom.html" "$1")" "$2"
	done
else
	echo "html: chromium not installed, rendering check skipped"
fi

echo "html: $pass passed, $fail failed"
[ $fail -eq 0 ]
