#!/bin/bash
# The workbook of an earlier run, as a plain file (as a version before the
# generations left it).
set -e
mkdir -p "$OUTDIR"
printf "marker: earlier workbook\n" > "$OUTDIR/skuscan.xlsx"
