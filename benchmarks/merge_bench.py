"""`kerjasama merge` of many regions' registers, against importing the same rows.

    python benchmarks/merge_bench.py [--regions 20] [--rows 5000]

Builds N synthetic regional registers (benchmarks/synthetic.py, a different
seed and number prefix each, imported with `kerjasama import`, plus a 2021
evaluation of every third agreement in force), outside the timing. Then
measures, each in a fresh process:

- merge: `kerjasama merge` of all N registers into a new roll-up (agreements,
  partners, OPDs, links, history, evaluations);
- merge again: the same, over the finished roll-up (nothing new: it updates);
- export: the roll-up's 2021 workbook with the Per Daerah sheet (--by-region);
- baseline: `kerjasama import` of the same N x rows agreements from one CSV
  into a new register (the same rows, validated, without the evaluations).

Prints wall time, peak memory (max RSS) and the ratio of the merge to the
baseline import.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, target, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
from kerjasama_cli.db.engine import Register
register = Register.open(target)
start = time.perf_counter()
if mode == "merge":
    from kerjasama_cli.merging import merge, resolve_sources
    opened = resolve_sources(rest, from_config=True, target=register)
    summaries = merge(register, opened)
    rows = sum(s.created + s.updated + s.unchanged for s in summaries)
elif mode == "export":
    from kerjasama_cli.exporting.files import write_exports
    with register.reading() as session:
        write_exports(session, 2021, ["xlsx"], output=Path(rest[0]), by_region=True)
    rows = 0
else:
    from kerjasama_cli.importing import ImportOptions, import_file
    from kerjasama_cli.register import Actor
    (summary,) = import_file(register, rest[0], ImportOptions(), actor=Actor("bench", "import"))
    assert summary.invalid == 0, summary.problems[:3]
    rows = summary.created
seconds = time.perf_counter() - start
# A large import validates in a second process: count its peak too (an upper
# bound: both peaks added, pages they share counted twice).
peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
           + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_mb}))
"""


def measure(mode: str, target: Path, *rest: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(target), *rest],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def regional_rows(region: int, count: int) -> list[list[str]]:
    """The synthetic rows with numbers unique across regions (one CSV holds them all)."""
    import synthetic

    prefix = f"K{region:02d}-"
    rows = []
    for row in synthetic.rows(count, seed=2021 + region):
        row[2] = prefix + row[2]
        if row[15]:
            row[15] = prefix + row[15]
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    import synthetic

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(synthetic.HEADER)
        writer.writerows(rows)
    return path


def build_region(folder: Path, region: int, rows: list[list[str]]) -> Path:
    from kerjasama_cli.db.engine import Register
    from kerjasama_cli.evaluation import read_evaluation_fields, record_evaluation
    from kerjasama_cli.importing import ImportOptions, import_file
    from kerjasama_cli.queries import load_views
    from kerjasama_cli.register import Actor
    from kerjasama_cli.settings import set_setting
    from kerjasama_cli.status import in_force_during

    db = folder / f"kab{region:02d}.db"
    source = write_csv(folder / f"kab{region:02d}.csv", rows)
    register = Register.open(str(db))
    import_file(register, str(source), ImportOptions(), actor=Actor("bench", "import"))
    actor = Actor("bench", "evaluate")
    fields = read_evaluation_fields({"level": "terlaksana"})
    with register.writing() as session:
        set_setting(session, "region", f"Kabupaten {region:02d}")
        from datetime import date

        views = load_views(session, as_of=date(2021, 12, 31))
        for view in [v for v in views if in_force_during(v, 2021)][::3]:
            record_evaluation(session, 2021, f"id:{view.id}", fields, actor=actor)
    register.close()
    return db


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        every: list[list[str]] = []
        sources = []
        for region in range(args.regions):
            rows = regional_rows(region, args.rows)
            every += rows
            sources.append(str(build_region(folder, region, rows)))
        combined = write_csv(folder / "all.csv", every)
        total = len(every)
        print(f"{args.regions} registers x {args.rows:,} agreements = {total:,}")

        rollup = folder / "provinsi.db"
        merged = measure("merge", rollup, *sources)
        again = measure("merge", rollup, *sources)
        exported = measure("export", rollup, str(folder / "out"))
        baseline = measure("import", folder / "import.db", str(combined))
        for label, data in (
            ("merge", merged),
            ("merge again", again),
            ("export --by-region", exported),
            ("import one CSV", baseline),
        ):
            print(f"{label:<19} {data['seconds']:7.2f} s   peak {data['peak_mb']:5.0f} MB")
        print(
            f"merge / import of the same rows: {merged['seconds'] / baseline['seconds']:.2f}x "
            f"(again: {again['seconds'] / baseline['seconds']:.2f}x)"
        )


if __name__ == "__main__":
    main()
