#!/bin/bash
# Two runs before: the week before, and this morning's on the same exports.
set -e
SOURCE_DATE_EPOCH=1546333200 "$SKUSCAN" -q -s subs-1.csv -l licenses-1.csv --as-of 2019-01-01 -o "$OUTDIR"
SOURCE_DATE_EPOCH=1547974800 "$SKUSCAN" -q -s subs-2.csv -l licenses-2.csv --as-of 2019-01-20 -o "$OUTDIR"
