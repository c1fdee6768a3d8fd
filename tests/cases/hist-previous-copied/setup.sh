#!/bin/bash
# Last week's reports copied elsewhere as plain files (cp -L), as an
# auditor keeps them.
set -e
"$SKUSCAN" -q -s subs-1.csv --as-of 2019-01-01 -o last-week-run
mkdir -p last-week
cp -L last-week-run/*.csv last-week/
rm -rf last-week-run
