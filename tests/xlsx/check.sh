#!/bin/bash
# The workbook of every golden case that published, against its CSV
# reports (tests/xlsx/check.py): DIR holds the OUTDIRs the golden cases
# kept (run-cases.sh with KEEP_OUTDIRS=DIR). LibreOffice, when installed,
# also reads the workbooks of the cases named below and must see the same
# values. Usage: tests/xlsx/check.sh DIR
set -u
dir=$1
py=/usr/bin/python3
if ! [ -x $py ] || ! $py -c 'import openpyxl' 2>/dev/null; then
	echo "xlsx: python3-openpyxl is not installed: the workbook check is skipped"
	echo "xlsx: 0 passed, 0 failed"
	exit 0
fi
n=$(ls "$dir" 2>/dev/null | wc -l)
if [ "$n" -lt 100 ]; then
	echo "xlsx: only $n golden cases published, expected them all"
	echo "xlsx: 0 passed, 1 failed"
	exit 1
fi
# A case per kind of text, the split sheets, --excel's CSV and the examples.
soffice=out-xlsx-texts,out-xlsx-split,out-guard-names,out-guard-rejects,out-excel
soffice=$soffice,example-02-with-licenses,lic-admin-center,values-unicode-spaces-localized
# Every case that published, but those that asked for no workbook.
cases=$(cd "$(dirname "$0")/../cases" && pwd)
outdirs=()
for d in "$dir"/*; do
	grep -q -- '--no-xlsx' "$cases/$(basename "$d")/args" 2>/dev/null || outdirs+=("$d")
done
echo "xlsx: the workbooks of ${#outdirs[@]} golden cases"
exec $py "$(dirname "$0")/check.py" --soffice "$soffice" "${outdirs[@]}"
