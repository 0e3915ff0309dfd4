"""`kerjasama export` of a large register against plain openpyxl, in the same run.

    python benchmarks/export_bench.py [--rows 100000] [--repeat 3]

Imports a synthetic register (benchmarks/synthetic.py), then measures, each in
a fresh process: kerjasama's whole-register workbook export (reading the
register, building the rows, writing all sheets), and plain openpyxl
write-only mode writing the same register rows as one sheet (the cells only:
no formats, no other sheets), after reading them with the same query. Prints
wall time, peak memory (max RSS) and the ratio; with --repeat N the two are
run interleaved N times and the medians compared, so a busy moment of the
machine weighs on one pair, not on the result. Targets: peak under 400 MB at
100,000 agreements, within 1.5x of the plain write.
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
import json, resource, sys, time
from pathlib import Path
mode, db, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
from kerjasama_cli.db.engine import Register
from kerjasama_cli.exporting.content import gather
register = Register.open(db)
start = time.perf_counter()
with register.reading() as session:
    content = gather(session, None)
if mode == "export":
    from kerjasama_cli.exporting.workbook import write_workbook
    write_workbook(content, out)
else:
    from openpyxl import Workbook
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Daftar Kerja Sama")
    table = content.sheets[0]
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    workbook.save(out)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": len(content.views)}))
"""


def run(mode: str, db: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(db), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run of median time (its own peak and rows with it)."""
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    arguments = parser.parse_args()
    rows, repeat = arguments.rows, max(1, arguments.repeat)
    sys.path.insert(0, str(HERE))
    import synthetic

    from kerjasama_cli.db.engine import Register
    from kerjasama_cli.importing import ImportOptions, import_file
    from kerjasama_cli.register import Actor

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = folder / "register.db"
        source = synthetic.write_csv(folder / "register.csv", rows)
        register = Register.open(str(db))
        import_file(register, str(source), ImportOptions(), actor=Actor("bench", "import"))
        register.close()
        pairs = [
            (run("plain", db, folder / "plain.xlsx"), run("export", db, folder / "export.xlsx"))
            for _ in range(repeat)
        ]
        plain = median_run([pair[0] for pair in pairs])
        ours = median_run([pair[1] for pair in pairs])
        if repeat > 1:
            ratios = ", ".join(f"{b['seconds'] / a['seconds']:.2f}x" for a, b in pairs)
            print(f"{repeat} interleaved runs, ratios {ratios}; medians below")
        print(f"{int(ours['rows']):,} agreements")
        print(
            f"plain openpyxl write-only: {plain['seconds']:6.2f} s  peak {plain['peak_mb']:5.0f} MB"
        )
        print(
            f"kerjasama export:          {ours['seconds']:6.2f} s  peak {ours['peak_mb']:5.0f} MB"
            f"  ratio {ours['seconds'] / plain['seconds']:.2f}x (goal <= 1.5x; peak < 400 MB)"
        )


if __name__ == "__main__":
    main()
