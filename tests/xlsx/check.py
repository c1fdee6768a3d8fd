#!/usr/bin/python3
"""skuscan.xlsx against the CSV reports beside it.

Usage: check.py [--soffice NAME,NAME...] OUTDIR...

For each OUTDIR (a run that published), opens skuscan.xlsx with openpyxl and
checks that every report's sheets ("Replacements", "Replacements (2)"...)
hold the CSV's header and rows, cell by cell, types included: whole numbers
as numbers (text past 15 digits, which a spreadsheet cannot show), dates as dates
shown yyyy-mm-dd (text before 1900-03-01), everything else as text with the
CSV's formula guard undone; empty fields as blank cells. Each sheet's header
is bold, frozen, under an autofilter over the whole sheet; urgency and
status cells wear summary.html's colours. The Summary sheet's numbers are
summary.html's. A text longer than a cell holds (32,767 UTF-16 units) must
be the CSV's text cut, and the Summary sheet must say so.

openpyxl 3.0 leaves ECMA-376's _xHHHH_ escapes in inline strings as they
are, where Excel and LibreOffice decode them: this check decodes them as
they do. With --soffice, LibreOffice itself turns every sheet of the OUTDIRs
so named into CSV (soffice --convert-to csv, one file per sheet), and those
values must equal the reports' too: a real spreadsheet program reading the
workbook (skipped, and said, when soffice is not installed).

Prints one line per failure and ends with "xlsx: N passed, N failed".
"""
import csv
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl

REPORTS = [
    # file, sheet, kinds (t text, n number, d date, u urgency, s status)
    ("affected_customers.csv", "Affected customers", "ttnnnndnu"),
    ("replacements.csv", "Replacements", "tttttttttndnutt"),
    ("license_counts.csv", "License counts", "tttnnn"),
    ("migration_audit.csv", "Migration audit", "tttttstd"),
    ("changes.csv", "Changes", "tttssttnnnndd"),
    ("history.csv", "History", "dttnnnnnn"),
    ("rejects.csv", "Rejects", "tntt"),
    ("manifest.csv", "Manifest", "ttntnndnt"),
]
URGENCY = {"expired": "B42318", "critical": "E8590C", "soon": "D4A72C",
           "later": "2F6FDB", "unknown": "8C959F"}
STATUS = {"complete": "1A7F37", "in_progress": "BF8700", "not_started": "B42318"}
CELL_UNITS = 32767
EXACT = 10 ** 15 - 1  # Excel and LibreOffice show 15 significant digits
GUARDED = re.compile(r"^'+[=+\-@\t\r]")
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)
    return ok


def unguard(s):
    return s[1:] if GUARDED.match(s) else s


def decode(s):
    """A cell's text as Excel reads it: _xHHHH_ escapes decoded."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)


def units(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def sheets_of(wb, title):
    """The report's sheets in order: title, "title (2)", ..."""
    out = []
    if title in wb.sheetnames:
        out.append(wb[title])
        k = 2
        while "%s (%d)" % (title, k) in wb.sheetnames:
            out.append(wb["%s (%d)" % (title, k)])
            k += 1
    return out


def want_cell(kind, field):
    """What the cell of a CSV field must hold: (type, value)."""
    if field == "":
        return (type(None), None)
    if kind == "n" and re.fullmatch(r"-?[0-9]+", field) and abs(int(field)) <= EXACT:
        return (int, int(field))
    if kind == "d" and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", field):
        try:
            d = datetime.datetime.strptime(field, "%Y-%m-%d")
            if d >= datetime.datetime(1900, 3, 1):
                return (datetime.datetime, d)
        except ValueError:
            pass
    return (str, unguard(field))


def fill_of(cell):
    fg = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
    return fg[-6:].upper() if isinstance(fg, str) else None


def check_cell(where, kind, field, cell, state):
    typ, value = want_cell(kind, field)
    got = cell.value
    if typ is str and isinstance(got, str):
        got = decode(got)
        if units(value) > CELL_UNITS:
            state["cut"] = True
            return check(value.startswith(got) and units(got) <= CELL_UNITS and
                         units(got) > CELL_UNITS - 8, "%s: a long text is not the CSV's, cut" % where)
    if not check(type(got) is typ and got == value,
                 "%s: %r (%s), expected %r (%s)" % (where, got, type(got).__name__, value,
                                                    typ.__name__)):
        return False
    if typ is datetime.datetime:
        check(cell.number_format == "yyyy-mm-dd", "%s: date shown %s" % (where, cell.number_format))
    colours = URGENCY if kind == "u" else STATUS if kind == "s" else None
    if colours is not None and value in colours:
        check(fill_of(cell) == colours[value], "%s: %s in colour %s, expected %s" %
              (where, value, fill_of(cell), colours[value]))
    return True


def check_report(outdir, wb, name, title, kinds, state):
    rows = read_csv(os.path.join(outdir, name))
    sheets = sheets_of(wb, title)
    if not check(len(sheets) > 0, "%s: no sheet %s" % (outdir, title)):
        return
    header, data = rows[0], rows[1:]
    per_sheet = sheets[0].max_row - 1
    at = 0
    for k, ws in enumerate(sheets):
        where = "%s: %s" % (outdir, ws.title)
        got = [c.value for c in ws[1]]
        check(got[:len(header)] == header, "%s: header %r" % (where, got))
        check(all(c.font.b for c in ws[1][:len(header)]), "%s: header not bold" % where)
        check(ws.freeze_panes == "A2", "%s: frozen at %s" % (where, ws.freeze_panes))
        n = ws.max_row - 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 0
        if k < len(sheets) - 1:
            check(n == per_sheet, "%s: %d rows, the first sheet has %d" % (where, n, per_sheet))
        last_col = openpyxl.utils.get_column_letter(len(header))
        check(ws.auto_filter.ref == "A1:%s%d" % (last_col, n + 1),
              "%s: filter %s" % (where, ws.auto_filter.ref))
        for r, row in enumerate(ws.iter_rows(min_row=2, max_row=n + 1), start=2):
            if at >= len(data):
                check(False, "%s: row %d beyond the CSV's %d" % (where, r, len(data)))
                break
            for c, field in enumerate(data[at]):
                cell = row[c] if c < len(row) else ws.cell(r, c + 1)
                check_cell("%s!%s%d" % (where, openpyxl.utils.get_column_letter(c + 1), r),
                           kinds[c] if c < len(kinds) else "t", field, cell, state)
            at += 1
    check(at == len(data), "%s: %s holds %d rows, the CSV %d" % (outdir, title, at, len(data)))
    if len(sheets) > 1:
        state["split"].append(title)


def html_number(html, ident):
    m = re.search(r'id="%s">(-?[0-9]+)<' % ident, html)
    return int(m.group(1)) if m else None


def check_summary(outdir, wb, state):
    if not check("Summary" in wb.sheetnames and wb.sheetnames[0] == "Summary",
                 "%s: Summary is not the first sheet" % outdir):
        return
    ws = wb["Summary"]
    labels = {}
    text = []
    for row in ws.iter_rows(values_only=True):
        if isinstance(row[0], str):
            labels.setdefault(row[0], row[1])
            text.append(row[0])
    manifest = read_csv(os.path.join(outdir, "manifest.csv"))
    as_of = datetime.datetime.strptime(manifest[1][6], "%Y-%m-%d")
    check(labels.get("as of") == as_of, "%s: Summary as of %r" % (outdir, labels.get("as of")))
    html_path = os.path.join(outdir, "summary.html")
    if os.path.exists(html_path):
        with open(html_path, encoding="utf-8") as f:
            html = f.read()
        for label, ident in [("customers affected", "customers-affected"),
                             ("active retired subscriptions", "active-retired-subscriptions"),
                             ("retired seats", "retired-seats"),
                             ("users on retired licenses", "users-on-retired"),
                             ("migrations complete", "migrations-complete"),
                             ("migrations in progress", "migrations-in-progress"),
                             ("migrations not started", "migrations-not-started")]:
            want = want_cell("n", str(html_number(html, ident)))[1]
            check(labels.get(label) == want,
                  "%s: Summary %s %r, summary.html %r" % (outdir, label, labels.get(label), want))
    changes_path = os.path.join(outdir, "changes.csv")
    if os.path.exists(changes_path):
        rows = read_csv(changes_path)[1:]
        check(labels.get("customers changed") == len(rows),
              "%s: Summary customers changed %r, changes.csv %d" % (outdir, labels.get("customers changed"), len(rows)))
        for k in ["new", "gone", "completed", "progressed", "regressed", "seats_changed",
                  "became_critical", "expired"]:
            n = sum(1 for r in rows if k in r[2].split(";"))
            check(labels.get("change: " + k) == n, "%s: Summary %s %r, changes.csv %d" %
                  (outdir, k, labels.get("change: " + k), n))
    else:
        check("customers changed" not in labels, "%s: Summary has changes without changes.csv" % outdir)
    for title in state["split"]:
        check(any(t.startswith(next(r[0] for r in REPORTS if r[1] == title) + " continues")
                  for t in text), "%s: Summary does not say %s continues" % (outdir, title))
    check(state["cut"] == any("cut here" in t for t in text),
          "%s: Summary on cut texts (cut: %s)" % (outdir, state["cut"]))


def soffice_sheets(path, tmp):
    """Every sheet of the workbook as LibreOffice writes it to CSV."""
    subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://%s/profile" % tmp,
                    "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", tmp, path], check=True, capture_output=True)
    base = os.path.splitext(os.path.basename(path))[0]
    out = {}
    for f in os.listdir(tmp):
        if f.startswith(base + "-") and f.endswith(".csv"):
            out[f[len(base) + 1:-4]] = read_csv(os.path.join(tmp, f))
    return out


def check_soffice(outdir):
    with tempfile.TemporaryDirectory() as tmp:
        got = soffice_sheets(os.path.join(outdir, "skuscan.xlsx"), tmp)
        for name, title, kinds in REPORTS:
            if not os.path.exists(os.path.join(outdir, name)):
                continue
            rows = read_csv(os.path.join(outdir, name))
            shown = []
            for k in range(1, 1000):
                t = title if k == 1 else "%s (%d)" % (title, k)
                if t not in got:
                    break
                shown += got[t][1:] if shown else got[t]
            want = [[unguard(f) if kinds[c] not in "nd" else f for c, f in enumerate(r)]
                    for r in rows]
            if any(units(f) > CELL_UNITS for r in want for f in r):
                continue  # cut texts: the openpyxl check compares them
            check([r[:len(rows[0])] for r in shown] == want,
                  "%s: LibreOffice reads %s otherwise: %r" % (outdir, title,
                                                             [r for r in shown if r not in want][:2]))


def main(argv):
    soffice = set()
    if len(argv) > 1 and argv[0] == "--soffice":
        soffice = set(argv[1].split(","))
        argv = argv[2:]
    if soffice and shutil.which("soffice") is None:
        print("xlsx: LibreOffice is not installed: its reading of the workbooks is skipped")
        soffice = set()
    for outdir in argv:
        path = os.path.join(outdir, "skuscan.xlsx")
        if not check(os.path.exists(path), "%s: no skuscan.xlsx" % outdir):
            continue
        wb = openpyxl.load_workbook(path)
        state = {"split": [], "cut": False}
        for name, title, kinds in REPORTS:
            if name == "changes.csv" and not os.path.exists(os.path.join(outdir, name)):
                check("Changes" not in wb.sheetnames, "%s: a Changes sheet without changes.csv" % outdir)
                continue
            check_report(outdir, wb, name, title, kinds, state)
        check_summary(outdir, wb, state)
        if os.path.basename(os.path.normpath(outdir)) in soffice:
            check_soffice(outdir)
    print("xlsx: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
