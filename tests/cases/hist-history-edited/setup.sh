#!/bin/bash
# A history whose second row was edited by hand (a count is no number).
set -e
"$SKUSCAN" -q -s subs-1.csv --as-of 2019-01-01 -o "$OUTDIR"
"$SKUSCAN" -q -s subs-2.csv --as-of 2019-01-20 -o "$OUTDIR"
sed -i '3s/,6,34,/,six,34,/' "$OUTDIR/.skuscan/current/history.csv"
