#!/bin/bash
# --no-xlsx: the published set has no workbook, not even the earlier one.
[ ! -e "$OUTDIR/skuscan.xlsx" ] && [ ! -L "$OUTDIR/skuscan.xlsx" ] || { echo "skuscan.xlsx is there"; exit 1; }
[ -f "$OUTDIR/summary.html" ] || { echo "summary.html is missing"; exit 1; }
