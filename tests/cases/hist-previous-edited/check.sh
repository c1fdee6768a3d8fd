#!/bin/bash
# The earlier set is still there, as edited.
grep -q ',ten,0,2019' "$OUTDIR/affected_customers.csv" || { echo "the earlier set changed"; exit 1; }
