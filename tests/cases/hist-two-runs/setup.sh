#!/bin/bash
# The run of a week before, into the same OUTDIR.
set -e
SOURCE_DATE_EPOCH=1546333200 "$SKUSCAN" -q -s subs-1.csv -l licenses-1.csv --as-of 2019-01-01 -o "$OUTDIR"
