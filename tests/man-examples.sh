#!/bin/bash
# Runs every command of the man page's EXAMPLES that starts with "$ ", in
# order, from a copy of samples/, so that the page cannot drift from the
# program. Usage: tests/man-examples.sh BINARY
set -u
bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
mkdir -p "$tmp/bin" && ln -s "$bin" "$tmp/bin/skuscan"
cp -a "$top/samples" "$tmp/samples"
# Commands: "$ " starts one; its following lines up to the next "$ " or
# .Ed belong to it; "\e" is mdoc's backslash.
awk '
	/^\.Sh EXAMPLES/ { ex = 1; next }
	/^\.Sh / { ex = 0 }
	ex && /^\.Bd -literal/ { lit = 1; next }
	ex && /^\.Ed/ { if (cmd != "") print cmd "\0"; cmd = ""; lit = 0; next }
	lit && /^\$ / { if (cmd != "") print cmd "\0"; cmd = substr($0, 3); next }
	lit && cmd != "" { cmd = cmd "\n" $0 }
' "$top/man/skuscan.1" | sed 's/\\e$/\\/' >"$tmp/commands"
pass=0 fail=0
cd "$tmp" || exit 1
while IFS= read -r -d '' cmd; do
	cmd=${cmd#$'\n'}
	[ -z "$cmd" ] && continue
	if PATH="$tmp/bin:$PATH" bash -c "$cmd" >"$tmp/out" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL man page example: $cmd"
		sed 's/^/    /' "$tmp/out" | head -5
	fi
done <"$tmp/commands"
cd / && rm -rf "$tmp"
[ $pass -gt 0 ] || { echo "FAIL no example found in the man page"; fail=$((fail + 1)); }
echo "man examples: $pass passed, $fail failed"
[ $fail -eq 0 ]
