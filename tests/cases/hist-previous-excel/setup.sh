#!/bin/bash
# The earlier run wrote its reports for Excel: a byte order mark and CRLF.
set -e
SOURCE_DATE_EPOCH=1546333200 "$SKUSCAN" -q --excel -s subs-1.csv -l licenses-1.csv --as-of 2019-01-01 -o "$OUTDIR"
