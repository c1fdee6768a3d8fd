#!/bin/bash
# The sheets a report continues on, in order, three rows each.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import openpyxl' 2>/dev/null || { echo "no openpyxl: skipped"; exit 0; }
/usr/bin/python3 - "$OUTDIR/skuscan.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
want = ["Summary", "Affected customers", "Affected customers (2)", "Replacements",
        "Replacements (2)", "Replacements (3)", "License counts", "License counts (2)",
        "Migration audit", "Migration audit (2)", "History", "Rejects", "Rejects (2)", "Manifest"]
assert wb.sheetnames == want, wb.sheetnames
rows = [wb[t].max_row - 1 for t in ["Replacements", "Replacements (2)", "Replacements (3)"]]
assert rows == [3, 3, 2], rows
# Exactly two sheets' worth of rows: no empty third sheet.
assert [wb[t].max_row - 1 for t in ["Affected customers", "Affected customers (2)"]] == [3, 3]
notes = [r[0] for r in wb["Summary"].iter_rows(values_only=True) if isinstance(r[0], str)]
assert 'replacements.csv continues on the sheets "Replacements (2)" to "Replacements (3)": a sheet holds 3 rows.' in notes, notes
PY
