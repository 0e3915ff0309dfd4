"""`kerjasama import` against a raw baseline measured in the same run.

    python benchmarks/import_bench.py [--rows 100000] [--skip-xlsx]

Generates a synthetic register (benchmarks/synthetic.py) as CSV and XLSX, then
measures, each in a fresh process on a fresh register:

- raw baseline "agreements": the csv module (or python-calamine for XLSX) reads
  the file and sqlite3 executemany inserts its rows, as text, into the same
  agreement table, in one transaction (no validation, no partners or OPDs, no
  history);
- raw baseline "same rows": the same, plus every other row the import writes
  (partner and OPD names, the links to them, one history row per agreement),
  split with str.split and no validation: the database ends up as large;
- kerjasama import of the CSV and of the XLSX (validation, partners, OPDs,
  parent links and history included).

Prints wall time, rows/s, peak memory (max RSS; for kerjasama import the
validating second process's peak is added) and the ratio to the baseline.
Targets: CSV within 2.5x, XLSX within 3x; peak memory under 300 MB (CSV) and
1 GB (XLSX) at 100,000 rows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent

CHILD = r"""
import csv, json, resource, sqlite3, sys, time
from pathlib import Path
mode, source, db = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, sys.argv[4])
from kerjasama_cli.db.engine import Register
Register.open(db).close()  # the schema, outside the timing
start = time.perf_counter()
if mode == "import":
    from kerjasama_cli.importing import ImportOptions, import_file
    from kerjasama_cli.register import Actor
    register = Register.open(db)
    summary = import_file(register, source, ImportOptions(), actor=Actor("bench", "import"))
    if isinstance(summary, list):  # one summary per type of table in the file
        (summary,) = summary
    assert summary.invalid == 0 and summary.created > 0, summary.problems[:3]
    rows = summary.created
else:
    same_rows = mode == "raw-same"
    if source.endswith(".xlsx"):
        from python_calamine import CalamineWorkbook
        sheet = CalamineWorkbook.from_path(source).get_sheet_by_index(0)
        reader = iter(sheet.to_python())
    else:
        handle = open(source, encoding="utf-8-sig", newline="")
        reader = csv.reader(handle, delimiter=";")
    next(reader)
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("BEGIN")
    sql = ("INSERT INTO agreement (doc_type, number, number_key, partner_number, title, "
           "scope, kind, bidang, signed_on, ends_on, term_text, value, funding, note, "
           "ends_on_derived, version, created_at, updated_at) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,1,'2021-01-01','2021-01-01')")
    rows = 0
    batch = []
    links = []
    for r in reader:
        batch.append((r[1], r[2], r[2].lower(), r[3], r[4], r[5], r[7], r[8], r[10], r[11],
                      r[12], r[13], r[14], r[16]))
        if same_rows:
            links.append((r[2].lower(), [p.strip() for p in r[6].split(";")],
                          [u.strip() for u in r[9].split(";")]))
        if len(batch) == 5000:
            connection.executemany(sql, batch)
            rows += len(batch)
            batch = []
    connection.executemany(sql, batch)
    rows += len(batch)
    if same_rows:
        ids = dict(connection.execute("SELECT number_key, id FROM agreement"))
        partners = sorted({p for _, names, _ in links for p in names})
        units = sorted({u for _, _, names in links for u in names})
        connection.executemany("INSERT INTO partner (name, name_key) VALUES (?, ?)",
                               [(p, p.lower()) for p in partners])
        connection.executemany("INSERT INTO unit (name, name_key) VALUES (?, ?)",
                               [(u, u.lower()) for u in units])
        partner_ids = dict(connection.execute("SELECT name, id FROM partner"))
        unit_ids = dict(connection.execute("SELECT name, id FROM unit"))
        connection.executemany(
            "INSERT INTO agreement_partner (agreement_id, partner_id, position) VALUES (?,?,?)",
            [(ids[key], partner_ids[p], i) for key, names, _ in links
             for i, p in enumerate(dict.fromkeys(names))])
        connection.executemany(
            "INSERT INTO agreement_unit (agreement_id, unit_id, position) VALUES (?,?,?)",
            [(ids[key], unit_ids[u], i) for key, _, names in links
             for i, u in enumerate(dict.fromkeys(names))])
        connection.executemany(
            "INSERT INTO history (agreement_id, at, user_name, command, field, new) "
            "VALUES (?, '2021-01-01', 'bench', 'import', 'dibuat', ?)",
            [(ids[key], key) for key, _, _ in links])
    connection.execute("COMMIT")
seconds = time.perf_counter() - start
# A large import validates in a second process: count its peak too (an upper
# bound: both peaks added, pages they share counted twice).
peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
           + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_mb}))
"""


def measure(mode: str, source: Path, folder: Path) -> dict[str, float]:
    db = folder / f"{mode}-{source.suffix[1:]}.db"
    for stale in folder.glob(db.name + "*"):
        stale.unlink()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(source), str(db), str(HERE.parent / "src")],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def report(
    label: str,
    ours: dict[str, float],
    agreements: dict[str, float],
    same_rows: dict[str, float],
    goal: float,
) -> None:
    print(
        f"{label}: kerjasama import {ours['seconds']:6.2f} s  "
        f"{ours['rows'] / ours['seconds']:8,.0f} rows/s  peak {ours['peak_mb']:5.0f} MB"
    )
    for name, baseline in (("agreements", agreements), ("same rows", same_rows)):
        ratio = ours["seconds"] / baseline["seconds"]
        print(
            f"      raw baseline, {name:<10} {baseline['seconds']:6.2f} s  "
            f"peak {baseline['peak_mb']:5.0f} MB   ratio {ratio:5.2f}x (goal <= {goal}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-xlsx", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import synthetic

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_file = synthetic.write_csv(folder / "register.csv", args.rows)
        print(f"{args.rows:,} agreements, CSV {csv_file.stat().st_size / 1e6:.1f} MB", end="")
        xlsx_file = None
        if not args.skip_xlsx:
            xlsx_file = synthetic.write_xlsx(folder / "register.xlsx", args.rows)
            print(f", XLSX {xlsx_file.stat().st_size / 1e6:.1f} MB", end="")
        print()
        for label, source, goal in (("CSV", csv_file, 2.5), ("XLSX", xlsx_file, 3.0)):
            if source is not None:
                report(
                    label,
                    measure("import", source, folder),
                    measure("raw", source, folder),
                    measure("raw-same", source, folder),
                    goal,
                )


if __name__ == "__main__":
    main()
