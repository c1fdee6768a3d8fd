#!/bin/bash
# The modules of src/ form no cycle: each NAME.c with its NAME.h is one
# module, and an #include "OTHER.h" in either is an arrow NAME -> OTHER.
# Prints the arrows (with -v), then checks them with tsort(1), which names
# any loop. Ends with "modules: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
arrows=$(for f in src/*.c src/*.h; do
	m=$(basename "${f%.*}")
	grep -oE '^#include "[a-z0-9_]+\.h"' "$f" | sed -E 's/.*"(.*)\.h"/\1/' |
		while read -r d; do [ "$d" != "$m" ] && echo "$m $d"; done
done | sort -u)
[ "${1:-}" = -v ] && echo "$arrows"
for f in src/*.h; do
	m=$(basename "${f%.h}")
	[ "$m" = main ] && continue
	# Every header belongs to a module of the same name, or stands alone.
	[ -f "src/$m.c" ] || grep -q "^ \* $m: " "$f" || { echo "FAIL $f: no $m.c and no opening comment"; fail=$((fail + 1)); continue; }
	pass=$((pass + 1))
done
if loop=$(echo "$arrows" | tsort 2>&1 >/dev/null) && [ -z "$loop" ]; then
	pass=$((pass + 1))
else
	echo "FAIL the modules form a cycle:"
	echo "$loop"
	fail=$((fail + 1))
fi
echo "modules: $pass passed, $fail failed"
[ $fail -eq 0 ]
