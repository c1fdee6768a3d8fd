#!/bin/bash
# The summary counts each converted field once, however the file was cut:
# c6's id, and c7's, whose record a quote left open to the file's end (the
# threaded reader parses that record in its chunk, then again from its
# start when the file ends inside it).
"$SKUSCAN" -s subscriptions.csv --as-of 2019-01-15 --no-xlsx -o "$OUTDIR.again" 2>"$OUTDIR.err"
grep -q "subscriptions.csv: 2 records, 1 rejected, 2 Windows-1252 fields converted" "$OUTDIR.err" ||
	{ echo "summary: $(grep -a 'Windows-1252' "$OUTDIR.err")"; exit 1; }
