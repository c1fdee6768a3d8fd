#!/bin/bash
# An earlier run whose affected_customers.csv was then edited by hand: a
# seat count is no longer a number.
set -e
"$SKUSCAN" -q -s subs-1.csv --as-of 2019-01-01 -o "$OUTDIR"
sed -i '3s/,\([0-9]*\),0,2019/,ten,0,2019/' "$OUTDIR/.skuscan/current/affected_customers.csv"
