#!/bin/bash
# Without --previous, the changes.csv of an earlier run goes with its set.
[ ! -e "$OUTDIR/changes.csv" ] && [ ! -L "$OUTDIR/changes.csv" ] || { echo "changes.csv is still there"; exit 1; }
