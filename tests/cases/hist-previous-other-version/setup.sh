#!/bin/bash
# Reports as a later version might write them: migration_audit.csv with a
# column more.
set -e
"$SKUSCAN" -q -s subs-1.csv --as-of 2019-01-01 -o "$OUTDIR"
f="$OUTDIR/.skuscan/current/migration_audit.csv"
sed -i '1s/$/,owner/; 2,$s/$/,/' "$f"
