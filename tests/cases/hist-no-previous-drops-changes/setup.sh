#!/bin/bash
# Two runs, the second with --previous: OUTDIR then holds a changes.csv.
set -e
"$SKUSCAN" -q -s subs-1.csv --as-of 2019-01-01 -o "$OUTDIR"
"$SKUSCAN" -q -s subs-2.csv --as-of 2019-01-20 -o "$OUTDIR" --previous "$OUTDIR"
