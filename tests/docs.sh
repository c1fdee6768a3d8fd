#!/bin/bash
# The man page is lint-clean, samples/rules.csv is what --print-rules
# writes, and `make demo`'s run on the samples succeeds.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

lint=$(mandoc -Tlint -W warning man/skuscan.1 2>&1 | grep -v 'outdated mandoc.db')
[ -z "$lint" ] && ok || bad "mandoc -Tlint: $lint"
./skuscan --print-rules | cmp -s - samples/rules.csv && ok ||
	bad "samples/rules.csv differs from --print-rules"
tmp=$(mktemp -d)
./skuscan -s samples/subscriptions.csv -l samples/licenses.csv --as-of 2019-01-01 -o "$tmp/a" -q
[ $? -eq 0 ] && ok || bad "the sample run did not exit 0"
./skuscan -s samples/subscriptions.csv.gz -l samples/licenses.csv --as-of 2019-01-01 -o "$tmp/b" -q
for f in affected_customers replacements license_counts migration_audit rejects; do
	cmp -s "$tmp/a/$f.csv" "$tmp/b/$f.csv" && ok || bad "gzip sample: $f.csv differs"
done
for s in not_started in_progress complete; do
	grep -q ",$s," "$tmp/a/migration_audit.csv" && ok || bad "samples show no $s migration"
done
rm -rf "$tmp"
echo "docs: $pass passed, $fail failed"
[ $fail -eq 0 ]
