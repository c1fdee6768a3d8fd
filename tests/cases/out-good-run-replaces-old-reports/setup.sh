#!/bin/bash
set -e
mkdir -p "$OUTDIR"
for f in affected_customers.csv replacements.csv license_counts.csv migration_audit.csv rejects.csv manifest.csv; do printf "marker: earlier good run\n" > "$OUTDIR/$f"; done
printf "not a report\n" > "$OUTDIR/keep-me.txt"
